package deadline_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"caseboard/internal/deadline"
	"caseboard/internal/fault"
)

func london(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// at parses "2024-03-05 10:00" as London time.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, london(t))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func limit(t *testing.T, ls []deadline.Limit, key string) deadline.Limit {
	t.Helper()
	for _, l := range ls {
		if l.Key == key {
			return l
		}
	}
	t.Fatalf("no %s limit in %v", key, ls)
	return deadline.Limit{}
}

// TestProvisionalArrest48Hours: s.6(2) as amended by the Policing and Crime
// Act 2009 s.77 — 48 hours from the arrest, not counting Saturdays,
// Sundays, Christmas Day, Good Friday or bank holidays.
func TestProvisionalArrest48Hours(t *testing.T) {
	for _, tc := range []struct{ name, arrest, due string }{
		// Tue 14h to midnight, Wed 24h (38), Thu 10h: Thursday 10:00.
		{"Weekdays", "2024-03-05 10:00", "2024-03-07 10:00"},
		// Fri 6h; Sat and Sun not counted; Mon 24h (30); Tue 18h.
		{"OverWeekend", "2024-03-01 18:00", "2024-03-05 18:00"},
		// Mon 24h, Tue 24h: midnight at the start of Wednesday.
		{"FromMidnight", "2024-03-04 00:00", "2024-03-06 00:00"},
		// Thu 12h; Good Friday, Sat, Sun (clocks go forward), Easter Monday
		// not counted; Tue 24h (36); Wed 12h, now BST.
		{"Easter", "2024-03-28 12:00", "2024-04-03 12:00"},
		// Arrested on a Saturday evening in BST; Sat and Sun (clocks go back)
		// not counted; Mon and Tue 24h each, in GMT: Wednesday 00:00.
		{"ArrestedAtWeekend", "2024-10-26 20:00", "2024-10-30 00:00"},
		// Tue 9h; Christmas Day, Boxing Day not counted; Fri 24h (33); Sat,
		// Sun not counted; Mon 15h.
		{"Christmas", "2024-12-24 15:00", "2024-12-30 15:00"},
		// Fri 7h; Sat, Sun, Mon 19 Sep (State Funeral) not counted; Tue 24h
		// (31); Wed 17h.
		{"StateFuneral", "2022-09-16 17:00", "2022-09-21 17:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ls, err := deadline.ComputeExtradition(deadline.ExtraditionInput{Arrested: at(t, tc.arrest), Provisional: true}, deadline.DefaultCalendar())
			if err != nil {
				t.Fatal(err)
			}
			l := limit(t, ls, "initial_hearing")
			if want := at(t, tc.due); !l.DueAt.Equal(want) {
				t.Errorf("due %s; want %s", l.DueAt, want)
			}
			if !strings.Contains(l.Rule, "s.6(2)") || len(l.Working) < 3 {
				t.Errorf("rule %q working %q", l.Rule, l.Working)
			}
		})
	}
	t.Run("OKWorking", func(t *testing.T) {
		ls, _ := deadline.ComputeExtradition(deadline.ExtraditionInput{Arrested: at(t, "2024-03-01 18:00"), Provisional: true}, deadline.DefaultCalendar())
		want := []string{
			"Arrested provisionally (s.5) at 2024-03-01 18:00 GMT.",
			"Counted: Friday 2024-03-01 from 18:00, 6h; Monday 2024-03-04 from 00:00, 24h; Tuesday 2024-03-05 from 00:00 to 18:00, 18h.",
			"Not counted: 2024-03-02, a Saturday; 2024-03-03, a Sunday.",
			"The 48 hours end at 2024-03-05 18:00 GMT. The Part 1 warrant and certificate must be produced within the same 48 hours, which the judge may extend by 48 hours more (s.6(2A), (3A)–(3B)).",
		}
		if got := limit(t, ls, "initial_hearing").Working; !slices.Equal(got, want) {
			t.Errorf("working:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

func TestInitialHearingStatus(t *testing.T) {
	cal := deadline.DefaultCalendar()
	in := deadline.ExtraditionInput{Arrested: at(t, "2024-03-05 10:00"), Provisional: true} // due Thu 7 Mar 10:00
	for _, tc := range []struct {
		name    string
		brought string
		now     string
		want    deadline.Status
	}{
		{"Running", "", "2024-03-06 10:00", deadline.StatusRunning},
		{"ExpiresToday", "", "2024-03-07 09:59", deadline.StatusExpiresToday},
		{"ExactlyDue", "", "2024-03-07 10:00", deadline.StatusExpiresToday},
		{"Expired", "", "2024-03-07 10:01", deadline.StatusExpired},
		{"Met", "2024-03-07 09:30", "2024-03-20 10:00", deadline.StatusMet},
		{"Late", "2024-03-07 10:30", "2024-03-20 10:00", deadline.StatusLate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := in
			if tc.brought != "" {
				in.BroughtBefore = at(t, tc.brought)
			}
			ls, err := deadline.ComputeExtradition(in, cal)
			if err != nil {
				t.Fatal(err)
			}
			if got := limit(t, ls, "initial_hearing").Status(at(t, tc.now)); got != tc.want {
				t.Errorf("status %s; want %s", got, tc.want)
			}
		})
	}
	t.Run("OKEndsAtMidnight", func(t *testing.T) {
		// Arrested Mon 00:00: the 48 hours end at Wed 00:00, so Tuesday is the last day.
		ls, _ := deadline.ComputeExtradition(deadline.ExtraditionInput{Arrested: at(t, "2024-03-04 00:00"), Provisional: true}, cal)
		l := limit(t, ls, "initial_hearing")
		for now, want := range map[string]deadline.Status{
			"2024-03-04 12:00": deadline.StatusRunning,
			"2024-03-05 12:00": deadline.StatusExpiresToday,
			"2024-03-06 00:01": deadline.StatusExpired,
		} {
			if got := l.Status(at(t, now)); got != want {
				t.Errorf("at %s status %s; want %s", now, got, want)
			}
		}
	})
	t.Run("OKAsSoonAsPracticable", func(t *testing.T) {
		ls, _ := deadline.ComputeExtradition(deadline.ExtraditionInput{Arrested: at(t, "2024-03-05 10:00")}, cal)
		l := limit(t, ls, "initial_hearing")
		if !l.NoFixedEnd || !l.DueAt.IsZero() || !strings.Contains(l.Rule, "s.4(3)") || l.Status(at(t, "2024-03-09 10:00")) != deadline.StatusRunning {
			t.Errorf("limit %+v", l)
		}
		ls, _ = deadline.ComputeExtradition(deadline.ExtraditionInput{Arrested: at(t, "2024-03-05 10:00"), BroughtBefore: at(t, "2024-03-05 14:00")}, cal)
		if got := limit(t, ls, "initial_hearing").Status(at(t, "2024-03-09 10:00")); got != deadline.StatusMet {
			t.Errorf("status %s", got)
		}
	})
}

// TestExtraditionDayLimits: every period "starting with" a day counts that
// day as day 1, so N days end on the start + (N − 1).
func TestExtraditionDayLimits(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   deadline.ExtraditionInput
		key  string
		due  string
		note string // part of a line the working must have, or ""
	}{
		// s.8(4): 21 days starting with 5 Mar 2024 end on 25 Mar (Monday).
		{"HearingWeekday", deadline.ExtraditionInput{Arrested: at(t, "2024-03-05 10:00")}, "extradition_hearing", "2024-03-25", "2024-03-25 is a Monday, a working day."},
		// 21 days from Sunday 3 Mar end Saturday 23 Mar: fix by Friday 22 Mar.
		{"HearingSaturday", deadline.ExtraditionInput{Arrested: at(t, "2024-03-03 23:00")}, "extradition_hearing", "2024-03-23", "act by the last working day, Friday 2024-03-22"},
		// From 11 Mar: Easter Sunday 31 Mar; Sat 30, Good Friday 29: Thursday 28 Mar.
		{"HearingEaster", deadline.ExtraditionInput{Arrested: at(t, "2024-03-11 09:00")}, "extradition_hearing", "2024-03-31", "act by the last working day, Thursday 2024-03-28"},
		// An arrest just after midnight in summer is dated in London, not UTC:
		// 00:30 BST on 1 Jul is 23:30 UTC on 30 Jun. 21 days starting with
		// 1 Jul end Sunday 21 Jul: fix by Friday 19 Jul.
		{"HearingLondonDate", deadline.ExtraditionInput{Arrested: at(t, "2024-07-01 00:30")}, "extradition_hearing", "2024-07-21", "Friday 2024-07-19"},
		// s.26(4): 7 days starting with Wed 1 May 2024 end Tue 7 May, counting
		// the early May bank holiday (6 May) as a day like any other.
		{"AppealThroughBankHoliday", deadline.ExtraditionInput{Arrested: at(t, "2024-03-05 10:00"), Ordered: date("2024-05-01")}, "appeal_notice", "2024-05-07", "2024-05-07 is a Tuesday, a working day."},
		// 7 days from Fri 20 Dec 2024 end on Boxing Day: give notice by Tue 24 Dec.
		{"AppealBoxingDay", deadline.ExtraditionInput{Arrested: at(t, "2024-10-01 10:00"), Ordered: date("2024-12-20")}, "appeal_notice", "2024-12-26", "act by the last working day, Tuesday 2024-12-24"},
		// s.35(4)(a): no appeal; the 7 days end 7 May, the 10 days start 8 May
		// and end 17 May (Friday).
		{"RemovalNoAppeal", deadline.ExtraditionInput{Arrested: at(t, "2024-03-05 10:00"), Ordered: date("2024-05-01")}, "removal", "2024-05-17", "the 10 days start on 2024-05-08"},
		// s.47: on consent, 10 days starting with the order, 1 May → 10 May.
		{"RemovalConsent", deadline.ExtraditionInput{Arrested: at(t, "2024-03-05 10:00"), Ordered: date("2024-05-01"), Consented: true}, "removal", "2024-05-10", "ordered on consent"},
		// s.36(3)(a): 10 days starting with 15 Jul 2024, when the appeal
		// decision became final, end 24 Jul.
		{"RemovalAfterAppeal", deadline.ExtraditionInput{Arrested: at(t, "2024-03-05 10:00"), Ordered: date("2024-05-01"), AppealNotice: date("2024-05-03"), AppealFinal: date("2024-07-15")}, "removal", "2024-07-24", "became final"},
		// s.35(4)(b): a later date agreed, 1 Jun 2024 → 10 Jun.
		{"RemovalAgreedDate", deadline.ExtraditionInput{Arrested: at(t, "2024-03-05 10:00"), Ordered: date("2024-05-01"), AgreedRemoval: date("2024-06-01")}, "removal", "2024-06-10", "was agreed"},
		// Order 20 Dec 2024, no appeal: start 27 Dec, end Sunday 5 Jan 2025;
		// removal is not a court step, so no "act by" note.
		{"RemovalSunday", deadline.ExtraditionInput{Arrested: at(t, "2024-10-01 10:00"), Ordered: date("2024-12-20")}, "removal", "2025-01-05", "2025-01-05 is a Sunday. The Act counts calendar days and does not move the end of the period."},
		// s.56(5): 21 days starting with 1 Feb 2024 end 21 Feb (Wednesday).
		{"ConsentHearing", deadline.ExtraditionInput{Arrested: at(t, "2023-10-01 10:00"), ConsentRequestReceived: date("2024-02-01")}, "consent_hearing", "2024-02-21", "consent must be refused (s.56(8))"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ls, err := deadline.ComputeExtradition(tc.in, deadline.DefaultCalendar())
			if err != nil {
				t.Fatal(err)
			}
			l := limit(t, ls, tc.key)
			if l.Due.String() != tc.due {
				t.Errorf("due %s; want %s", l.Due, tc.due)
			}
			if !strings.Contains(strings.Join(l.Working, "\n"), tc.note) {
				t.Errorf("working lacks %q:\n%s", tc.note, strings.Join(l.Working, "\n"))
			}
		})
	}
}

func TestExtraditionLimitsPresent(t *testing.T) {
	keys := func(in deadline.ExtraditionInput) []string {
		ls, err := deadline.ComputeExtradition(in, deadline.DefaultCalendar())
		if err != nil {
			t.Fatal(err)
		}
		var ks []string
		for _, l := range ls {
			ks = append(ks, l.Key)
		}
		return ks
	}
	arrest := at(t, "2024-03-05 10:00")
	for _, tc := range []struct {
		name string
		in   deadline.ExtraditionInput
		want []string
	}{
		{"Arrested", deadline.ExtraditionInput{Arrested: arrest}, []string{"initial_hearing", "extradition_hearing"}},
		{"Ordered", deadline.ExtraditionInput{Arrested: arrest, Ordered: date("2024-05-01")}, []string{"initial_hearing", "extradition_hearing", "appeal_notice", "removal"}},
		{"Consented", deadline.ExtraditionInput{Arrested: arrest, Ordered: date("2024-05-01"), Consented: true}, []string{"initial_hearing", "extradition_hearing", "removal"}},
		{"OnwardConsent", deadline.ExtraditionInput{Arrested: arrest, ConsentRequestReceived: date("2024-09-01")}, []string{"initial_hearing", "extradition_hearing", "consent_hearing"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := keys(tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("limits %v; want %v", got, tc.want)
			}
		})
	}
}

func TestExtraditionStatus(t *testing.T) {
	cal := deadline.DefaultCalendar()
	base := deadline.ExtraditionInput{Arrested: at(t, "2024-03-05 10:00"), Ordered: date("2024-05-01")}
	for _, tc := range []struct {
		name string
		edit func(*deadline.ExtraditionInput)
		key  string
		now  string
		want deadline.Status
	}{
		{"AppealRunning", nil, "appeal_notice", "2024-05-06 12:00", deadline.StatusRunning},
		{"AppealLastDay", nil, "appeal_notice", "2024-05-07 23:59", deadline.StatusExpiresToday},
		{"AppealExpired", nil, "appeal_notice", "2024-05-08 00:00", deadline.StatusExpired},
		{"AppealMet", func(in *deadline.ExtraditionInput) { in.AppealNotice = date("2024-05-07") }, "appeal_notice", "2024-06-01 12:00", deadline.StatusMet},
		{"AppealLate", func(in *deadline.ExtraditionInput) { in.AppealNotice = date("2024-05-08") }, "appeal_notice", "2024-06-01 12:00", deadline.StatusLate},
		{"RemovalAwaitsAppeal", func(in *deadline.ExtraditionInput) { in.AppealNotice = date("2024-05-03") }, "removal", "2024-06-01 12:00", deadline.StatusNotStarted},
		{"RemovalMet", func(in *deadline.ExtraditionInput) { in.Removed = date("2024-05-17") }, "removal", "2024-06-01 12:00", deadline.StatusMet},
		{"RemovalLate", func(in *deadline.ExtraditionInput) { in.Removed = date("2024-05-18") }, "removal", "2024-06-01 12:00", deadline.StatusLate},
		{"HearingFixedInTime", func(in *deadline.ExtraditionInput) { in.HearingFixedFor = date("2024-03-25") }, "extradition_hearing", "2024-04-01 12:00", deadline.StatusMet},
		{"HearingFixedLater", func(in *deadline.ExtraditionInput) { in.HearingFixedFor = date("2024-03-26") }, "extradition_hearing", "2024-04-01 12:00", deadline.StatusLate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := base
			if tc.edit != nil {
				tc.edit(&in)
			}
			ls, err := deadline.ComputeExtradition(in, cal)
			if err != nil {
				t.Fatal(err)
			}
			if got := limit(t, ls, tc.key).Status(at(t, tc.now)); got != tc.want {
				t.Errorf("status %s; want %s", got, tc.want)
			}
		})
	}
}

func TestComputeExtraditionInvalid(t *testing.T) {
	arrest := at(t, "2024-03-05 10:00")
	for name, tc := range map[string]struct {
		in    deadline.ExtraditionInput
		field string
	}{
		"ErrNoArrest":              {deadline.ExtraditionInput{Ordered: date("2024-05-01")}, "arrested"},
		"ErrArrestBeforeAct":       {deadline.ExtraditionInput{Arrested: at(t, "2003-12-31 10:00")}, "arrested"},
		"ErrArrestBeyondCalendar":  {deadline.ExtraditionInput{Arrested: at(t, "2031-01-02 10:00")}, "arrested"},
		"ErrBroughtBeforeArrest":   {deadline.ExtraditionInput{Arrested: arrest, BroughtBefore: at(t, "2024-03-05 09:00")}, "brought_before"},
		"ErrOrderedBeforeArrest":   {deadline.ExtraditionInput{Arrested: arrest, Ordered: date("2024-03-04")}, "ordered"},
		"ErrAppealWithoutOrder":    {deadline.ExtraditionInput{Arrested: arrest, AppealNotice: date("2024-05-03")}, "appeal_notice"},
		"ErrAppealBeforeOrder":     {deadline.ExtraditionInput{Arrested: arrest, Ordered: date("2024-05-01"), AppealNotice: date("2024-04-30")}, "appeal_notice"},
		"ErrAppealAfterConsent":    {deadline.ExtraditionInput{Arrested: arrest, Ordered: date("2024-05-01"), Consented: true, AppealNotice: date("2024-05-03")}, "appeal_notice"},
		"ErrFinalWithoutAppeal":    {deadline.ExtraditionInput{Arrested: arrest, Ordered: date("2024-05-01"), AppealFinal: date("2024-07-01")}, "appeal_final"},
		"ErrFinalBeforeNotice":     {deadline.ExtraditionInput{Arrested: arrest, Ordered: date("2024-05-01"), AppealNotice: date("2024-05-03"), AppealFinal: date("2024-05-02")}, "appeal_final"},
		"ErrAgreedNotLater":        {deadline.ExtraditionInput{Arrested: arrest, Ordered: date("2024-05-01"), AgreedRemoval: date("2024-05-08")}, "agreed_removal"},
		"ErrAgreedNotLaterConsent": {deadline.ExtraditionInput{Arrested: arrest, Ordered: date("2024-05-01"), Consented: true, AgreedRemoval: date("2024-05-01")}, "agreed_removal"},
		"ErrAgreedAppealPending":   {deadline.ExtraditionInput{Arrested: arrest, Ordered: date("2024-05-01"), AppealNotice: date("2024-05-03"), AgreedRemoval: date("2024-08-01")}, "agreed_removal"},
		"ErrAgreedWithoutOrder":    {deadline.ExtraditionInput{Arrested: arrest, AgreedRemoval: date("2024-08-01")}, "agreed_removal"},
		"ErrRemovedBeforeOrder":    {deadline.ExtraditionInput{Arrested: arrest, Ordered: date("2024-05-01"), Removed: date("2024-04-30")}, "removed"},
		"ErrConsentHearingEarly":   {deadline.ExtraditionInput{Arrested: arrest, ConsentRequestReceived: date("2024-09-01"), ConsentHearing: date("2024-08-31")}, "consent_hearing"},
		"ErrConsentHearingNoReq":   {deadline.ExtraditionInput{Arrested: arrest, ConsentHearing: date("2024-08-31")}, "consent_hearing"},
		"ErrOrdered1900":           {deadline.ExtraditionInput{Arrested: arrest, Ordered: date("1900-05-01")}, "ordered"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := deadline.ComputeExtradition(tc.in, deadline.DefaultCalendar())
			if fe := fault.As(err); fe == nil || fe.Code != fault.Invalid || fe.FieldMessage(tc.field) == "" {
				t.Fatalf("want a %s error, got %v", tc.field, err)
			}
		})
	}
	for name, in := range map[string]deadline.ExtraditionInput{
		// 7 days from 28 Dec 2030 end 3 Jan 2031, beyond the calendar.
		"ErrAppealBeyondCalendar": {Arrested: at(t, "2030-10-01 10:00"), Ordered: date("2030-12-28")},
		// Tue 31 Dec 2030 16:00: 8h, then 1 Jan 2031 is beyond the calendar.
		"Err48HoursBeyondCalendar": {Arrested: at(t, "2030-12-31 16:00"), Provisional: true},
		// 21 days from 20 Dec 2030 end 9 Jan 2031.
		"ErrHearingBeyondCalendar": {Arrested: at(t, "2030-12-20 16:00")},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := deadline.ComputeExtradition(in, deadline.DefaultCalendar())
			if !errors.Is(err, deadline.ErrBeyondCalendar) || fault.CodeOf(err) != fault.Invalid {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

package deadline_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/London without relying on the host's zone files

	"caseboard/internal/deadline"
	"caseboard/internal/fault"
)

func ptr(n int) *int { return &n }

func ext(granted, until string) deadline.Extension {
	return deadline.Extension{Granted: date(granted), Until: date(until), Reason: "a necessary witness is ill", Court: "Westminster Magistrates' Court"}
}

// TestComputeCTL: every expected expiry is worked by hand in the comment.
// "FA + n" counts n days from the day after first appearance (reg 2(4));
// a last day that falls on a Saturday, Sunday, Christmas Day, Good Friday or
// bank holiday moves back to the preceding working day (reg 2(5)).
func TestComputeCTL(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     deadline.CTLInput
		days   int
		used   int
		raw    string
		expiry string
	}{
		// Summary-only: 56 days.
		{"SummaryThursday", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2018-03-01")},
			// 1 March + 30 = 31 March, + 26 = 26 April (Thursday, working).
			56, 0, "2018-04-26", "2018-04-26"},
		{"SummaryEasterMonday", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2018-02-05")},
			// 5 Feb + 23 = 28 Feb, + 31 = 31 Mar, + 2 = 2 Apr 2018, Easter Monday.
			// Sun 1 Apr, Sat 31 Mar, Good Friday 30 Mar are all out: Thu 29 Mar.
			56, 0, "2018-04-02", "2018-03-29"},
		{"SummarySaturday", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2018-03-03")},
			// 3 Mar + 56 = 28 Apr 2018, a Saturday: Friday 27 Apr.
			56, 0, "2018-04-28", "2018-04-27"},
		{"SummaryChristmasDay", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2018-10-30")},
			// 30 Oct + 1 = 31 Oct, + 30 = 30 Nov, + 25 = 25 Dec 2018 (Tuesday,
			// Christmas Day): Monday 24 Dec, Christmas Eve, is a working day.
			56, 0, "2018-12-25", "2018-12-24"},
		{"SummaryBoxingDay", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2018-10-31")},
			// 31 Oct + 56 = 26 Dec 2018 (Boxing Day), then Christmas Day: 24 Dec.
			56, 0, "2018-12-26", "2018-12-24"},
		{"SummaryChristmasSubstitutes2021", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2021-11-02")},
			// 2 Nov + 28 = 30 Nov, + 28 = 28 Dec 2021 (Boxing Day substitute);
			// 27 Dec (Christmas substitute), Sun 26, Sat 25: Friday 24 Dec.
			56, 0, "2021-12-28", "2021-12-24"},
		{"SummaryBoxingSubstitute2020", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2020-11-02")},
			// 2 Nov + 56 = 28 Dec 2020 (Boxing Day substitute); Sun 27, Sat 26,
			// Fri 25 Christmas Day: Thursday 24 Dec.
			56, 0, "2020-12-28", "2020-12-24"},
		{"SummaryNewYearSubstitute", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2021-11-08")},
			// 8 Nov + 22 = 30 Nov, + 31 = 31 Dec, + 3 = 3 Jan 2022 (New Year
			// substitute); Sun 2, Sat 1 Jan: Friday 31 Dec 2021.
			56, 0, "2022-01-03", "2021-12-31"},
		{"SummaryRoyalWedding", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2011-03-07")},
			// 7 Mar + 24 = 31 Mar, + 30 = 30 Apr, + 2 = 2 May 2011 (early May);
			// Sun 1, Sat 30 Apr, Fri 29 Apr (royal wedding): Thursday 28 Apr.
			56, 0, "2011-05-02", "2011-04-28"},
		{"SummaryDiamondJubilee", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2012-04-10")},
			// 10 Apr + 20 = 30 Apr, + 31 = 31 May, + 5 = 5 Jun 2012 (Jubilee);
			// Mon 4 Jun (moved spring holiday), Sun 3, Sat 2: Friday 1 Jun.
			56, 0, "2012-06-05", "2012-06-01"},
		{"SummaryMovedSpring2012", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2012-04-02")},
			// 2 Apr + 28 = 30 Apr, + 28 = 28 May 2012: the usual spring bank
			// holiday, moved to 4 June that year, so a working day.
			56, 0, "2012-05-28", "2012-05-28"},
		{"SummaryVEDay", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2020-03-13")},
			// 13 Mar + 18 = 31 Mar, + 30 = 30 Apr, + 8 = 8 May 2020 (VE Day
			// holiday): Thursday 7 May.
			56, 0, "2020-05-08", "2020-05-07"},
		{"SummaryMovedEarlyMay2020", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2020-03-09")},
			// 9 Mar + 56 = 4 May 2020, the usual early May Monday, a working day that year.
			56, 0, "2020-05-04", "2020-05-04"},
		{"SummaryPlatinumJubilee", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2022-04-08")},
			// 8 Apr + 22 = 30 Apr, + 31 = 31 May, + 3 = 3 Jun 2022 (Platinum
			// Jubilee); Thu 2 Jun (moved spring holiday): Wednesday 1 Jun.
			56, 0, "2022-06-03", "2022-06-01"},
		{"SummaryStateFuneral", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2022-07-25")},
			// 25 Jul + 6 = 31 Jul, + 31 = 31 Aug, + 19 = 19 Sep 2022 (State
			// Funeral); Sun 18, Sat 17: Friday 16 Sep.
			56, 0, "2022-09-19", "2022-09-16"},
		{"SummaryCoronation", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2023-03-13")},
			// 13 Mar + 18 = 31 Mar, + 30 = 30 Apr, + 8 = 8 May 2023
			// (Coronation); Sun 7, Sat 6: Friday 5 May.
			56, 0, "2023-05-08", "2023-05-05"},

		// Either-way in the magistrates' court: 70 days, or 56 if summary
		// trial is decided by FA + 56.
		{"EitherWayNoDecision", deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: date("2018-03-01")},
			// 1 Mar + 30 = 31 Mar, + 30 = 30 Apr, + 10 = 10 May 2018 (Thursday).
			70, 0, "2018-05-10", "2018-05-10"},
		{"EitherWayDecidedDay56", deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: date("2018-03-01"), ModeOfTrial: date("2018-04-26")},
			// Decided on FA + 56 = 26 Apr, the last of the 56 days: 56 days, 26 Apr.
			56, 0, "2018-04-26", "2018-04-26"},
		{"EitherWayDecidedDay57", deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: date("2018-03-01"), ModeOfTrial: date("2018-04-27")},
			// Decided on FA + 57: the 56 days had run, so 70 days, 10 May.
			70, 0, "2018-05-10", "2018-05-10"},
		{"EitherWayDecidedDay1", deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: date("2018-03-01"), ModeOfTrial: date("2018-03-01")},
			// Decided at first appearance: 56 days.
			56, 0, "2018-04-26", "2018-04-26"},
		{"EitherWayRemandedLater", deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: date("2018-03-01"), CustodyStart: date("2018-03-08")},
			// Bailed at first appearance, remanded on 8 Mar: 70 days of custody
			// from 8 Mar = 17 May 2018 (Thursday).
			70, 0, "2018-05-17", "2018-05-17"},
		{"EitherWayBrokenCustody", deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: date("2018-03-01"), CustodyStart: date("2018-03-20"), EarlierCustodyDays: 10},
			// 10 days used earlier: 60 from 20 Mar = 19 May 2018 (Saturday): Friday 18 May.
			70, 10, "2018-05-19", "2018-05-18"},
		{"IndictableOnlyNotYetSent", deadline.CTLInput{Class: deadline.IndictableOnly, FirstAppearance: date("2018-03-01")},
			// reg 4(4): 70 days, 10 May 2018.
			70, 0, "2018-05-10", "2018-05-10"},

		// Crown Court: 182 days from sending, less magistrates' custody.
		{"IndictableSentAtFirstAppearance", deadline.CTLInput{Class: deadline.IndictableOnly, FirstAppearance: date("2018-03-01"), Sent: date("2018-03-01")},
			// 1 Mar + 30 = 31 Mar, 30 Apr (60), 31 May (91), 30 Jun (121),
			// 31 Jul (152), 30 Aug (182): Thursday 30 Aug 2018.
			182, 0, "2018-08-30", "2018-08-30"},
		{"EitherWaySentAfter28Days", deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: date("2018-03-01"), Sent: date("2018-03-29")},
			// 28 days in the magistrates' court's custody (1 Mar not counted):
			// 154 days from 29 Mar = 30 Aug 2018, the same as FA + 182.
			182, 28, "2018-08-30", "2018-08-30"},
		{"SentSummerBankHoliday", deadline.CTLInput{Class: deadline.IndictableOnly, FirstAppearance: date("2018-02-26"), Sent: date("2018-02-26")},
			// 26 Feb + 2 = 28 Feb, 31 Mar (33), 30 Apr (63), 31 May (94),
			// 30 Jun (124), 31 Jul (155), 27 Aug (182): the summer bank
			// holiday; Sun 26, Sat 25: Friday 24 Aug 2018.
			182, 0, "2018-08-27", "2018-08-24"},
		{"SentMagistratesDaysGiven", deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: date("2018-03-01"), CustodyStart: date("2018-03-20"), Sent: date("2018-03-29"), MagistratesCustodyDays: ptr(19)},
			// 10 days in custody, bail, remanded 20 Mar, sent 29 Mar: 19 days
			// recorded. 163 from 29 Mar = 30 Aug + 9 = 8 Sep 2018 (Saturday):
			// Friday 7 Sep.
			182, 19, "2018-09-08", "2018-09-07"},
		{"SentThenRemanded", deadline.CTLInput{Class: deadline.IndictableOnly, FirstAppearance: date("2018-03-01"), Sent: date("2018-03-01"), CustodyStart: date("2018-04-10")},
			// On bail when sent; remanded 10 Apr: 182 from 10 Apr = 30 Apr (20),
			// 31 May (51), 30 Jun (81), 31 Jul (112), 31 Aug (143), 30 Sep
			// (173), 9 Oct 2018 (182), a Tuesday.
			182, 0, "2018-10-09", "2018-10-09"},

		// The coronavirus Crown Court limit (SI 2020/953): 238 days for adults
		// first in custody 28 Sep 2020 – 27 Jun 2021.
		{"Covid238", deadline.CTLInput{Class: deadline.IndictableOnly, FirstAppearance: date("2020-10-01"), Sent: date("2020-10-01")},
			// 1 Oct + 30 = 31 Oct, 30 Nov (60), 31 Dec (91), 31 Jan (122),
			// 28 Feb (150), 31 Mar (181), 30 Apr (211), 27 May 2021 (238), Thursday.
			238, 0, "2021-05-27", "2021-05-27"},
		{"CovidUnder18", deadline.CTLInput{Class: deadline.IndictableOnly, FirstAppearance: date("2020-10-01"), Sent: date("2020-10-01"), UnderEighteen: true},
			// Children were taken out (SI 2021/91): 182 days, 31 Mar (181) + 1
			// = Thursday 1 Apr 2021 (Good Friday is 2 Apr).
			182, 0, "2021-04-01", "2021-04-01"},
		{"CovidDayBefore", deadline.CTLInput{Class: deadline.IndictableOnly, FirstAppearance: date("2020-09-27"), Sent: date("2020-09-27")},
			// First in custody 27 Sep 2020, before the window: 182 days.
			// 27 Sep + 3 = 30 Sep, 31 Oct (34), 30 Nov (64), 31 Dec (95),
			// 31 Jan (126), 28 Feb (154), 28 Mar 2021 (182), a Sunday: Friday 26 Mar.
			182, 0, "2021-03-28", "2021-03-26"},
		{"CovidFirstDay", deadline.CTLInput{Class: deadline.IndictableOnly, FirstAppearance: date("2020-09-28"), Sent: date("2020-09-28")},
			// 28 Sep 2020 + 182 = 29 Mar 2021, + 56 = 24 May 2021 (Monday; the
			// spring holiday was 31 May).
			238, 0, "2021-05-24", "2021-05-24"},
		{"CovidLastDay", deadline.CTLInput{Class: deadline.IndictableOnly, FirstAppearance: date("2021-06-25"), Sent: date("2021-06-25")},
			// 25 Jun + 5 = 30 Jun, 31 Jul (36), 31 Aug (67), 30 Sep (97),
			// 31 Oct (128), 30 Nov (158), 31 Dec (189), 31 Jan (220),
			// 18 Feb 2022 (238), a Friday.
			238, 0, "2022-02-18", "2022-02-18"},
		{"CovidDayAfter", deadline.CTLInput{Class: deadline.IndictableOnly, FirstAppearance: date("2021-06-28"), Sent: date("2021-06-28")},
			// After the window: 182. 28 Jun + 2 = 30 Jun, 31 Jul (33), 31 Aug
			// (64), 30 Sep (94), 31 Oct (125), 30 Nov (155), 27 Dec 2021 (182),
			// the Christmas substitute; Sun 26, Sat 25: Friday 24 Dec.
			182, 0, "2021-12-27", "2021-12-24"},
		{"CovidMagistratesCustodyInWindow", deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: date("2021-06-01"), Sent: date("2021-07-01")},
			// First in custody 1 Jun 2021 (in the window), sent 1 Jul (after
			// it): 238 − 30 = 208 from 1 Jul = FA + 238 = 1 Jun + 238:
			// 30 Jun (29), 31 Jul (60), 31 Aug (91), 30 Sep (121), 31 Oct
			// (152), 30 Nov (182), 31 Dec (213), 25 Jan 2022 (238), Tuesday.
			238, 30, "2022-01-25", "2022-01-25"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := deadline.ComputeCTL(tc.in, deadline.DefaultCalendar())
			if err != nil {
				t.Fatal(err)
			}
			if c.Days != tc.days || c.Used != tc.used || c.Raw.String() != tc.raw || c.Expiry.String() != tc.expiry || c.Statutory != c.Expiry {
				t.Errorf("got %d days, %d used, raw %s, expiry %s, statutory %s; want %d, %d, %s, %s",
					c.Days, c.Used, c.Raw, c.Expiry, c.Statutory, tc.days, tc.used, tc.raw, tc.expiry)
			}
			if len(c.Working) < 4 {
				t.Errorf("working too short: %q", c.Working)
			}
		})
	}
}

func TestComputeCTLStage(t *testing.T) {
	for _, tc := range []struct {
		in    deadline.CTLInput
		stage deadline.Stage
		rule  string
	}{
		{deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2018-03-01")}, deadline.Magistrates, "reg 4: 56 days"},
		{deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: date("2018-03-01")}, deadline.Magistrates, "reg 4(2): 70 days"},
		{deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: date("2018-03-01"), ModeOfTrial: date("2018-03-02")}, deadline.Magistrates, "reg 4(3): 56 days"},
		{deadline.CTLInput{Class: deadline.IndictableOnly, FirstAppearance: date("2018-03-01")}, deadline.Magistrates, "reg 4(4): 70 days"},
		{deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: date("2018-03-01"), Sent: date("2018-03-02")}, deadline.CrownCourt, "reg 5(6B): 182 days"},
		{deadline.CTLInput{Class: deadline.IndictableOnly, FirstAppearance: date("2020-12-01"), Sent: date("2020-12-01")}, deadline.CrownCourt, "SI 2020/953: 238 days"},
	} {
		c, err := deadline.ComputeCTL(tc.in, deadline.DefaultCalendar())
		if err != nil || c.Stage != tc.stage || !strings.Contains(c.Rule, tc.rule) {
			t.Errorf("%s %s: stage %s rule %q, %v; want %s %q", tc.in.Class, tc.in.FirstAppearance, c.Stage, c.Rule, err, tc.stage, tc.rule)
		}
	}
}

func TestComputeCTLWorking(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		c, err := deadline.ComputeCTL(deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2018-03-01")}, deadline.DefaultCalendar())
		if err != nil {
			t.Fatal(err)
		}
		want := []string{
			"Summary-only offence; first appearance 2018-03-01.",
			"Rule: Prosecution of Offences (Custody Time Limits) Regulations 1987 reg 4: 56 days from first appearance to the start of summary trial (summary-only offence).",
			"Custody began on 2018-03-01, the first appearance; that day is not counted (reg 2(4)).",
			"56 days from 2018-03-01 is 2018-04-26.",
			"2018-04-26 is a Thursday, a working day: the limit expires on 2018-04-26.",
		}
		if !slices.Equal(c.Working, want) {
			t.Errorf("working:\n%s\nwant\n%s", strings.Join(c.Working, "\n"), strings.Join(want, "\n"))
		}
	})
	t.Run("OKEaster", func(t *testing.T) {
		c, _ := deadline.ComputeCTL(deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2018-02-05")}, deadline.DefaultCalendar())
		want := "2018-04-02 is Easter Monday, a bank holiday; 2018-04-01 is a Sunday; 2018-03-31 is a Saturday; 2018-03-30 is Good Friday; a limit cannot end on such a day (reg 2(5)), so it expires on the preceding working day, Thursday 2018-03-29."
		if got := c.Working[len(c.Working)-1]; got != want {
			t.Errorf("last line %q\nwant %q", got, want)
		}
	})
	t.Run("OKEitherWayHint", func(t *testing.T) {
		c, _ := deadline.ComputeCTL(deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: date("2018-03-01")}, deadline.DefaultCalendar())
		if !slices.Contains(c.Working, "No decision on summary trial is recorded. If the court decides on summary trial by 2018-04-26 (56 days after first appearance) the limit becomes 56 days.") {
			t.Errorf("no 56-day hint in %q", c.Working)
		}
	})
	t.Run("OKCrown", func(t *testing.T) {
		c, _ := deadline.ComputeCTL(deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: date("2018-03-01"), Sent: date("2018-03-29")}, deadline.DefaultCalendar())
		for _, line := range []string{
			"Custody in the magistrates' court ran from 2018-03-01 to 2018-03-29: 28 days, the first day not counted.",
			"182 − 28 = 154 days remain.",
			"154 days from 2018-03-29 is 2018-08-30.",
		} {
			if !slices.Contains(c.Working, line) {
				t.Errorf("no line %q in\n%s", line, strings.Join(c.Working, "\n"))
			}
		}
	})
}

func TestComputeCTLExtensions(t *testing.T) {
	base := deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2018-03-01")} // expires 2018-04-26
	with := func(es ...deadline.Extension) deadline.CTLInput { in := base; in.Extensions = es; return in }
	for _, tc := range []struct {
		name        string
		in          deadline.CTLInput
		raw, expiry string
	}{
		// Granted 20 Apr, before the 26 Apr expiry, to Thursday 10 May.
		{"OK", with(ext("2018-04-20", "2018-05-10")), "2018-05-10", "2018-05-10"},
		// Granted on the last day itself: still "before the expiry".
		{"OKOnLastDay", with(ext("2018-04-26", "2018-05-10")), "2018-05-10", "2018-05-10"},
		// To Monday 7 May 2018, the early May bank holiday; Sun 6, Sat 5: Friday 4 May.
		{"OKToBankHoliday", with(ext("2018-04-20", "2018-05-07")), "2018-05-07", "2018-05-04"},
		// The latest replaces the earlier: 10 May, then (granted 8 May) 24 May.
		{"OKLatestWins", with(ext("2018-04-20", "2018-05-10"), ext("2018-05-08", "2018-05-24")), "2018-05-24", "2018-05-24"},
		// Listed out of order: applied in the order granted.
		{"OKOutOfOrder", with(ext("2018-05-08", "2018-05-24"), ext("2018-04-20", "2018-05-10")), "2018-05-24", "2018-05-24"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := deadline.ComputeCTL(tc.in, deadline.DefaultCalendar())
			if err != nil {
				t.Fatal(err)
			}
			if c.Raw.String() != tc.raw || c.Expiry.String() != tc.expiry || c.Statutory.String() != "2018-04-26" || c.Extension == nil {
				t.Errorf("raw %s expiry %s statutory %s extension %v; want %s %s", c.Raw, c.Expiry, c.Statutory, c.Extension, tc.raw, tc.expiry)
			}
			if s := c.Status(date("2018-05-01")); s != deadline.StatusExtended {
				t.Errorf("status on 1 May %s", s)
			}
		})
	}
	t.Run("OKMagistratesExtensionEndsAtSending", func(t *testing.T) {
		in := deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: date("2018-03-01"), Sent: date("2018-05-15"),
			Extensions: []deadline.Extension{ext("2018-05-01", "2018-05-24")}}
		c, err := deadline.ComputeCTL(in, deadline.DefaultCalendar())
		// 75 days before sending (1 Mar → 15 May); 107 from 15 May = FA + 182 = 30 Aug.
		if err != nil || c.Expiry.String() != "2018-08-30" || c.Extension != nil {
			t.Fatalf("expiry %s extension %v err %v", c.Expiry, c.Extension, err)
		}
	})
	for name, tc := range map[string]struct {
		in    deadline.CTLInput
		field string
	}{
		// 27 Apr is after the 26 Apr expiry: s.22(3) allows no extension then.
		"ErrGrantedAfterExpiry": {with(ext("2018-04-27", "2018-05-10")), "extensions[0].granted"},
		// Set "retroactively" to a day before the current expiry.
		"ErrEarlierThanExpiry": {with(ext("2018-04-10", "2018-04-20")), "extensions[0].until"},
		"ErrSameAsExpiry":      {with(ext("2018-04-10", "2018-04-26")), "extensions[0].until"},
		// An extension to a weekend straight after a Friday expiry extends nothing.
		"ErrFallsBackToExpiry": {deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2018-03-02"),
			// 2 Mar + 56 = 27 Apr (Friday); extended to Sunday 29 Apr falls back to Friday 27 Apr.
			Extensions: []deadline.Extension{ext("2018-04-20", "2018-04-29")}}, "extensions[0].until"},
		"ErrSecondNotLater":     {with(ext("2018-04-20", "2018-05-24"), ext("2018-05-08", "2018-05-10")), "extensions[1].until"},
		"ErrNoCourt":            {with(deadline.Extension{Granted: date("2018-04-20"), Until: date("2018-05-10"), Reason: "ill"}), "extensions[0].court"},
		"ErrNoReason":           {with(deadline.Extension{Granted: date("2018-04-20"), Until: date("2018-05-10"), Court: "X"}), "extensions[0].reason"},
		"ErrNoUntil":            {with(deadline.Extension{Granted: date("2018-04-20"), Reason: "ill", Court: "X"}), "extensions[0].until"},
		"ErrUntilBeforeGranted": {with(ext("2018-04-20", "2018-04-19")), "extensions[0].until"},
		"ErrAfterCustodyEnded": {deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2018-03-01"), CustodyEnd: date("2018-04-10"), CustodyEndReason: deadline.Bailed,
			Extensions: []deadline.Extension{ext("2018-04-20", "2018-05-10")}}, "extensions[0].granted"},
		"ErrBeyondCalendar": {with(ext("2018-04-20", "2031-01-10")), "extensions[0].until"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := deadline.ComputeCTL(tc.in, deadline.DefaultCalendar())
			if fe := fault.As(err); fe == nil || fe.Code != fault.Invalid || fe.FieldMessage(tc.field) == "" {
				t.Fatalf("want a %s error, got %v", tc.field, err)
			}
		})
	}
}

func TestComputeCTLStopped(t *testing.T) {
	cal := deadline.DefaultCalendar()
	// Summary-only from 1 Mar 2018: expires 26 Apr.
	for _, tc := range []struct {
		name   string
		in     deadline.CTLInput
		reason string
		before deadline.Status // on 9 Apr, before any stop
		after  deadline.Status // on 27 Apr, the day after expiry
	}{
		{"Running", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2018-03-01")}, "", deadline.StatusRunning, deadline.StatusExpired},
		{"Bailed", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2018-03-01"), CustodyEnd: date("2018-04-10"), CustodyEndReason: deadline.Bailed}, "bailed", deadline.StatusRunning, deadline.StatusStopped},
		{"Released", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2018-03-01"), CustodyEnd: date("2018-04-10"), CustodyEndReason: deadline.Released}, "released", deadline.StatusRunning, deadline.StatusStopped},
		{"TrialStarted", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2018-03-01"), TrialStart: date("2018-04-20")}, "trial_started", deadline.StatusRunning, deadline.StatusStopped},
		{"TrialBeforeBail", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2018-03-01"), TrialStart: date("2018-04-20"), CustodyEnd: date("2018-04-21"), CustodyEndReason: deadline.Bailed}, "trial_started", deadline.StatusRunning, deadline.StatusStopped},
		// Trial began after the limit had expired: expired between, stopped from the trial.
		{"TrialAfterExpiry", deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2018-03-01"), TrialStart: date("2018-05-01")}, "trial_started", deadline.StatusRunning, deadline.StatusExpired},
		// Bailed before sending: the Crown Court limit never ran.
		{"BailedBeforeSending", deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: date("2018-03-01"), CustodyEnd: date("2018-03-05"), CustodyEndReason: deadline.Bailed, Sent: date("2018-03-29")}, "bailed", deadline.StatusStopped, deadline.StatusStopped},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := deadline.ComputeCTL(tc.in, cal)
			if err != nil {
				t.Fatal(err)
			}
			if c.StopReason != tc.reason {
				t.Errorf("stop reason %q; want %q", c.StopReason, tc.reason)
			}
			if got := c.Status(date("2018-04-09")); got != tc.before {
				t.Errorf("status on 9 Apr %s; want %s", got, tc.before)
			}
			if got := c.Status(date("2018-04-27")); got != tc.after {
				t.Errorf("status on 27 Apr %s; want %s", got, tc.after)
			}
		})
	}
	t.Run("OKLateTrialNoted", func(t *testing.T) {
		c, _ := deadline.ComputeCTL(deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2018-03-01"), TrialStart: date("2018-05-01")}, cal)
		if got := c.Working[len(c.Working)-1]; got != "The trial started on 2018-05-01: the limit stopped running, 5 days after it expired on 2018-04-26." {
			t.Errorf("last line %q", got)
		}
		if c.Status(date("2018-05-01")) != deadline.StatusStopped {
			t.Error("not stopped on the day the trial began")
		}
	})
	t.Run("OKBailedBeforeSendingCountsMagistratesDaysToBail", func(t *testing.T) {
		c, _ := deadline.ComputeCTL(deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: date("2018-03-01"), CustodyEnd: date("2018-03-05"), CustodyEndReason: deadline.Bailed, Sent: date("2018-03-29")}, cal)
		// 4 days in custody (1 Mar not counted, to 5 Mar): 178 from 29 Mar.
		if c.Used != 4 {
			t.Errorf("used %d; want 4", c.Used)
		}
	})
}

func TestCTLDaysLeftAndStatus(t *testing.T) {
	c, err := deadline.ComputeCTL(deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2018-03-01")}, deadline.DefaultCalendar())
	if err != nil {
		t.Fatal(err)
	}
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		now    time.Time
		days   int
		status deadline.Status
	}{
		{"DayBefore", time.Date(2018, 4, 25, 12, 0, 0, 0, london), 1, deadline.StatusRunning},
		{"LastMinuteOfDayBefore", time.Date(2018, 4, 25, 23, 59, 59, 0, london), 1, deadline.StatusRunning},
		{"MidnightStartingLastDay", time.Date(2018, 4, 26, 0, 0, 0, 0, london), 0, deadline.StatusExpiresToday},
		{"LastSecondOfLastDay", time.Date(2018, 4, 26, 23, 59, 59, 0, london), 0, deadline.StatusExpiresToday},
		{"MidnightEndingLastDay", time.Date(2018, 4, 27, 0, 0, 0, 0, london), -1, deadline.StatusExpired},
		// 23:30 UTC on 26 Apr is 00:30 BST on 27 Apr: already expired in England.
		{"UTCLateEveningIsNextDayInLondon", time.Date(2018, 4, 26, 23, 30, 0, 0, time.UTC).In(london), -1, deadline.StatusExpired},
		{"WeekAfter", time.Date(2018, 5, 3, 9, 0, 0, 0, london), -7, deadline.StatusExpired},
		{"FirstAppearance", time.Date(2018, 3, 1, 10, 0, 0, 0, london), 56, deadline.StatusRunning},
	} {
		t.Run(tc.name, func(t *testing.T) {
			today := deadline.DateOf(tc.now)
			if got := c.DaysLeft(today); got != tc.days {
				t.Errorf("DaysLeft = %d; want %d", got, tc.days)
			}
			if got := c.Status(today); got != tc.status {
				t.Errorf("Status = %s; want %s", got, tc.status)
			}
		})
	}
}

func TestComputeCTLInvalid(t *testing.T) {
	fa := date("2018-03-01")
	for name, tc := range map[string]struct {
		in    deadline.CTLInput
		field string
	}{
		"ErrClass":                 {deadline.CTLInput{Class: "treason", FirstAppearance: fa}, "offence_class"},
		"ErrNoClass":               {deadline.CTLInput{FirstAppearance: fa}, "offence_class"},
		"ErrNoFirstAppearance":     {deadline.CTLInput{Class: deadline.SummaryOnly}, "first_appearance"},
		"ErrFirstAppearance1900":   {deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("1900-01-01")}, "first_appearance"},
		"ErrFirstAppearance1987":   {deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("1987-03-31")}, "first_appearance"},
		"ErrFirstAppearance2009":   {deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2009-12-01")}, "first_appearance"},
		"ErrFirstAppearance2031":   {deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2031-01-02")}, "first_appearance"},
		"ErrSentBeforeFA":          {deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: fa, Sent: date("2018-02-28")}, "sent"},
		"ErrSentSummaryOnly":       {deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: fa, Sent: date("2018-03-02")}, "sent"},
		"ErrSent1900":              {deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: fa, Sent: date("1900-03-02")}, "sent"},
		"ErrModeBeforeFA":          {deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: fa, ModeOfTrial: date("2018-02-28")}, "mode_of_trial"},
		"ErrModeSummaryOnly":       {deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: fa, ModeOfTrial: date("2018-03-02")}, "mode_of_trial"},
		"ErrModeIndictableOnly":    {deadline.CTLInput{Class: deadline.IndictableOnly, FirstAppearance: fa, ModeOfTrial: date("2018-03-02")}, "mode_of_trial"},
		"ErrModeAfterSending":      {deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: fa, Sent: date("2018-03-10"), ModeOfTrial: date("2018-03-11")}, "mode_of_trial"},
		"ErrCustodyBeforeFA":       {deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: fa, CustodyStart: date("2018-02-28")}, "custody_start"},
		"ErrCustodyEndBeforeStart": {deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: fa, CustodyEnd: date("2018-02-28"), CustodyEndReason: deadline.Bailed}, "custody_end"},
		"ErrCustodyEndNoReason":    {deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: fa, CustodyEnd: date("2018-03-10")}, "custody_end_reason"},
		"ErrCustodyEndBadReason":   {deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: fa, CustodyEnd: date("2018-03-10"), CustodyEndReason: "escaped"}, "custody_end_reason"},
		"ErrReasonNoEnd":           {deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: fa, CustodyEndReason: deadline.Bailed}, "custody_end"},
		"ErrTrialBeforeFA":         {deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: fa, TrialStart: date("2018-02-01")}, "trial_start"},
		"ErrTrialBeforeSent":       {deadline.CTLInput{Class: deadline.IndictableOnly, FirstAppearance: fa, Sent: date("2018-03-05"), TrialStart: date("2018-03-04")}, "trial_start"},
		"ErrTrialBeforeMode":       {deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: fa, ModeOfTrial: date("2018-03-05"), TrialStart: date("2018-03-04")}, "trial_start"},
		"ErrEarlierDaysNegative":   {deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: fa, EarlierCustodyDays: -1}, "earlier_custody_days"},
		"ErrEarlierDaysTooMany":    {deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: fa, CustodyStart: date("2018-03-10"), EarlierCustodyDays: 10}, "earlier_custody_days"},
		"ErrEarlierDaysUnbroken":   {deadline.CTLInput{Class: deadline.IndictableOnly, FirstAppearance: fa, Sent: date("2018-03-10"), EarlierCustodyDays: 2}, "earlier_custody_days"},
		"ErrEarlierDaysUseItUp":    {deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: fa, CustodyStart: date("2018-06-01"), EarlierCustodyDays: 56}, "earlier_custody_days"},
		"ErrMagsDaysNotSent":       {deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: fa, MagistratesCustodyDays: ptr(3)}, "magistrates_custody_days"},
		"ErrMagsDaysNegative":      {deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: fa, Sent: date("2018-03-29"), MagistratesCustodyDays: ptr(-3)}, "magistrates_custody_days"},
		"ErrMagsDaysTooMany":       {deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: fa, Sent: date("2018-03-29"), MagistratesCustodyDays: ptr(29)}, "magistrates_custody_days"},
		"ErrMagsDaysTooFew":        {deadline.CTLInput{Class: deadline.EitherWay, FirstAppearance: fa, Sent: date("2018-03-29"), MagistratesCustodyDays: ptr(27)}, "magistrates_custody_days"},
		"ErrExtensionBeforeFA":     {deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: fa, Extensions: []deadline.Extension{ext("2018-02-01", "2018-05-01")}}, "extensions[0].granted"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := deadline.ComputeCTL(tc.in, deadline.DefaultCalendar())
			fe := fault.As(err)
			if fe == nil || fe.Code != fault.Invalid || fe.FieldMessage(tc.field) == "" {
				t.Fatalf("want a %s error, got %v", tc.field, err)
			}
		})
	}
	t.Run("ErrExpiryBeyondCalendar", func(t *testing.T) {
		// 1 Dec 2030 + 56 = 26 Jan 2031, a year the calendar does not know.
		_, err := deadline.ComputeCTL(deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: date("2030-12-01")}, deadline.DefaultCalendar())
		if !errors.Is(err, deadline.ErrBeyondCalendar) || fault.CodeOf(err) != fault.Invalid {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("ErrManyFieldsAtOnce", func(t *testing.T) {
		_, err := deadline.ComputeCTL(deadline.CTLInput{Class: "x", FirstAppearance: fa, Sent: date("2018-01-01"), TrialStart: date("2018-01-01")}, deadline.DefaultCalendar())
		fe := fault.As(err)
		if fe == nil || len(fe.Fields) != 3 {
			t.Fatalf("want 3 field errors, got %v", err)
		}
	})
}

package deadline

import (
	"fmt"
	"strings"
	"time"

	"caseboard/internal/fault"
)

// initialHearing is s.4(3) (arrest under a certified Part 1 warrant: as soon
// as practicable, no fixed hours) or s.6(2) (provisional arrest under s.5:
// within 48 hours). Since the Policing and Crime Act 2009 s.77, the 48
// hours leave out Saturdays, Sundays, Christmas Day, Good Friday and bank
// holidays, so a Friday-evening arrest runs into the next week.
func initialHearing(in ExtraditionInput, cal *Calendar) (Limit, error) {
	l := Limit{Key: "initial_hearing", Title: "Brought before the appropriate judge", DoneAt: in.BroughtBefore}
	at := in.Arrested.Format("2006-01-02 15:04 MST")
	if !in.Provisional {
		l.Rule = "Extradition Act 2003 s.4(3): the person must be brought before the appropriate judge as soon as practicable"
		l.NoFixedEnd = true
		l.say("Arrested under a certified Part 1 warrant at %s. The Act sets no number of hours: the person must be brought before the judge as soon as practicable, or may apply to be discharged (s.4(3)–(4)).", at)
		return l, nil
	}
	l.Rule = "Extradition Act 2003 s.6(2): a person arrested provisionally must be brought before the appropriate judge within 48 hours starting with the arrest, not counting Saturdays, Sundays, Christmas Day, Good Friday or bank holidays"
	l.say("Arrested provisionally (s.5) at %s.", at)
	due, counted, skipped, err := count48(in.Arrested, cal)
	if err != nil {
		return Limit{}, err
	}
	l.DueAt = due
	l.say("Counted: %s.", strings.Join(counted, "; "))
	if len(skipped) > 0 {
		l.say("Not counted: %s.", strings.Join(skipped, "; "))
	}
	l.say("The 48 hours end at %s. The Part 1 warrant and certificate must be produced within the same 48 hours, which the judge may extend by 48 hours more (s.6(2A), (3A)–(3B)).", due.Format("2006-01-02 15:04 MST"))
	return l, nil
}

// count48 adds 48 hours to the arrest, counting only working days, in the
// arrest's location. It steps a day at a time, so a clock change (a 23- or
// 25-hour day) counts the hours that really pass.
func count48(arrest time.Time, cal *Calendar) (time.Time, []string, []string, error) {
	var counted, skipped []string
	left := 48 * time.Hour
	for t := arrest; ; {
		d := DateOf(t)
		why, err := cal.why(d)
		if err != nil {
			return time.Time{}, nil, nil, err
		}
		next := d.AddDays(1).Time(t.Location())
		if why != "" {
			skipped = append(skipped, fmt.Sprintf("%s, %s", d, why))
			t = next
			continue
		}
		if avail := next.Sub(t); avail < left {
			counted = append(counted, fmt.Sprintf("%s from %s, %s", longDate(d), t.Format("15:04"), hours(avail)))
			left -= avail
			t = next
			continue
		}
		end := t.Add(left)
		counted = append(counted, fmt.Sprintf("%s from %s to %s, %s", longDate(d), t.Format("15:04"), end.Format("15:04"), hours(left)))
		return end, counted, skipped, nil
	}
}

// hours writes a duration as "9h30m" for the working.
func hours(d time.Duration) string {
	h, m := int(d.Hours()), int(d.Minutes())%60
	if m == 0 {
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dh%02dm", h, m)
}

// removalLimit is the 10 days for removal: s.47 after an order on consent,
// 10 days starting with the day of the order; s.35 where there is no
// appeal, 10 days starting with the first day after the 7 days for notice
// of appeal; s.36 after an appeal, 10 days starting with the day the
// decision became final. In each, a later date agreed with the issuing
// authority starts the 10 days instead.
func removalLimit(in ExtraditionInput) Limit {
	l := Limit{Key: "removal", Title: "Removal to the issuing territory", Done: in.Removed}
	var start Date
	switch {
	case in.Consented:
		start = in.Ordered
		l.Rule = "Extradition Act 2003 s.47: removal within 10 days starting with the day of the order made on consent, or with a later agreed date"
		l.say("Extradition ordered on consent on %s; the 10 days start that day.", in.Ordered)
	case !in.AppealNotice.IsZero() && in.AppealFinal.IsZero():
		l.Rule = "Extradition Act 2003 s.36(3): removal within 10 days starting with the day the appeal decision becomes final, or with a later agreed date"
		l.say("Notice of appeal was given on %s. The 10 days for removal start when the decision on the appeal becomes final or the appeal is discontinued: record that date.", in.AppealNotice)
		return l
	case !in.AppealNotice.IsZero():
		start = in.AppealFinal
		l.Rule = "Extradition Act 2003 s.36(3): removal within 10 days starting with the day the appeal decision becomes final, or with a later agreed date"
		l.say("The decision on the appeal became final (or the appeal was discontinued) on %s; the 10 days start that day.", in.AppealFinal)
	default:
		start = in.Ordered.AddDays(7)
		l.Rule = "Extradition Act 2003 s.35(4): removal within 10 days starting with the first day after the 7 days for notice of appeal, or with a later agreed date"
		l.say("Extradition ordered on %s and no notice of appeal is recorded. The 7 days for notice end on %s, so the 10 days start on %s.", in.Ordered, in.Ordered.AddDays(6), start)
	}
	if !in.AgreedRemoval.IsZero() {
		start = in.AgreedRemoval
		l.say("A later date, %s, was agreed with the issuing authority; the 10 days start then instead.", in.AgreedRemoval)
	}
	l.Due = start.AddDays(9)
	l.say("10 days starting with %s (that day is day 1) end on %s. If the person is not removed by then they may apply to be discharged, unless reasonable cause is shown for the delay.", start, l.Due)
	return l
}

// checkAgreedRemoval refuses an agreed date that is not later than the day
// the 10 days would otherwise start: the Act lets the parties agree only a
// later date.
func (in ExtraditionInput) checkAgreedRemoval(v *fault.Validation) {
	if in.AgreedRemoval.IsZero() || in.Ordered.IsZero() {
		return
	}
	switch {
	case in.Consented:
		notAfterOrOn(v, in.AgreedRemoval, in.Ordered)
	case !in.AppealNotice.IsZero() && in.AppealFinal.IsZero():
		v.Add("agreed_removal", "Record the date the appeal decision became final before an agreed removal date")
	case !in.AppealNotice.IsZero():
		notAfterOrOn(v, in.AgreedRemoval, in.AppealFinal)
	default:
		notAfterOrOn(v, in.AgreedRemoval, in.Ordered.AddDays(7))
	}
}

// notAfterOrOn refuses an agreed date on or before the usual start.
func notAfterOrOn(v *fault.Validation, agreed, start Date) {
	if !agreed.After(start) {
		v.Add("agreed_removal", fmt.Sprintf("An agreed date must be later than %s, when the 10 days would otherwise start", start))
	}
}

// hearingLimit is s.8(4): the date fixed for the extradition hearing must
// be no later than 21 days starting with the date of arrest. "Starting
// with" makes the date of arrest day 1, so the last day is arrest + 20.
func hearingLimit(in ExtraditionInput) Limit {
	arrest := DateOf(in.Arrested)
	l := Limit{
		Key:   "extradition_hearing",
		Title: "Date fixed for the extradition hearing",
		Rule:  "Extradition Act 2003 s.8(4): the date fixed for the extradition hearing must be no later than the end of 21 days starting with the date of arrest",
		Due:   arrest.AddDays(20),
		Done:  in.HearingFixedFor,
	}
	l.say("Arrested on %s. 21 days starting with that date (the date of arrest is day 1) end on %s.", arrest, l.Due)
	if !in.HearingFixedFor.IsZero() && in.HearingFixedFor.After(l.Due) {
		l.say("The hearing was fixed for %s, after that: a later date needs the judge to find it in the interests of justice (s.8); check that the order records it.", in.HearingFixedFor)
	}
	return l
}

// appealLimit is s.26(4): notice of application for leave to appeal within
// 7 days starting with the day of the order, so order + 6. The days are
// calendar days; Part 1 does not leave out weekends or bank holidays.
func appealLimit(in ExtraditionInput) Limit {
	l := Limit{
		Key:   "appeal_notice",
		Title: "Notice of application for leave to appeal to the High Court",
		Rule:  "Extradition Act 2003 s.26(4): notice of application for leave to appeal must be given within 7 days starting with the day the order is made",
		Due:   in.Ordered.AddDays(6),
		Done:  in.AppealNotice,
	}
	l.say("Extradition ordered on %s. 7 days starting with that day (the day of the order is day 1) end on %s.", in.Ordered, l.Due)
	if !in.AppealNotice.IsZero() && in.AppealNotice.After(l.Due) {
		l.say("Notice was given on %s, out of time: the High Court may entertain it only if the person did everything reasonably possible to give it in time (s.26(5)).", in.AppealNotice)
	}
	return l
}

// consentLimit is s.56(5): the consent hearing for onward extradition must
// begin within 21 days starting with the day the designated authority
// receives the request.
func consentLimit(in ExtraditionInput) Limit {
	l := Limit{
		Key:   "consent_hearing",
		Title: "Consent hearing for onward extradition",
		Rule:  "Extradition Act 2003 s.56(5): the consent hearing must begin within 21 days starting with the day the designated authority receives the request",
		Due:   in.ConsentRequestReceived.AddDays(20),
		Done:  in.ConsentHearing,
	}
	l.say("Request for consent received on %s. 21 days starting with that day end on %s.", in.ConsentRequestReceived, l.Due)
	l.say("The judge may extend the period, even after it ends (s.56(6)–(7)); if the hearing has not begun and the period is not extended, consent must be refused (s.56(8)).")
	return l
}

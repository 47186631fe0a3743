package deadline

import (
	"fmt"
	"time"

	"caseboard/internal/fault"
)

// actInForce is when the Extradition Act 2003 came wholly into force.
var actInForce = NewDate(2004, 1, 1)

// ExtraditionInput is what is recorded about a Part 1 (European arrest
// warrant) case under the Extradition Act 2003. Times and the dates taken
// from them are read in their own location, which should be Europe/London:
// "21 days starting with the date of the arrest" means the date in England.
type ExtraditionInput struct {
	Arrested time.Time `json:"arrested"`
	// Provisional is whether the arrest was under s.5, before the certified
	// warrant was in hand, which starts the 48 hours of s.6.
	Provisional bool `json:"provisional"`
	// BroughtBefore is when the person was first brought before the judge.
	BroughtBefore time.Time `json:"brought_before"`
	// HearingFixedFor is the date the judge fixed for the extradition
	// hearing to begin (s.8).
	HearingFixedFor Date `json:"hearing_fixed_for"`
	Ordered         Date `json:"ordered"` // the judge ordered extradition
	// Consented is whether the order was made on the person's consent
	// (s.46), from which no appeal lies and removal follows s.47.
	Consented bool `json:"consented"`
	// AppealNotice is the day notice of application for leave to appeal
	// to the High Court was given (s.26).
	AppealNotice Date `json:"appeal_notice"`
	// AppealFinal is the day the decision on the appeal became final or the
	// appeal proceedings were discontinued (s.36(3)(a)).
	AppealFinal Date `json:"appeal_final"`
	// AgreedRemoval is a later date agreed between the court and the issuing
	// authority, from which the 10 days for removal run instead.
	AgreedRemoval Date `json:"agreed_removal"`
	Removed       Date `json:"removed"`
	// ConsentRequestReceived is the day the designated authority received a
	// request for consent to onward extradition to another category 1
	// territory (s.56); ConsentHearing is the day that hearing began.
	ConsentRequestReceived Date `json:"consent_request_received"`
	ConsentHearing         Date `json:"consent_hearing"`
}

// Limit is one time limit in an extradition case, with its working. A limit
// either ends on a day (Due), ends at a moment (DueAt, for the 48 hours of
// s.6), has no fixed end (NoFixedEnd: "as soon as practicable"), or has not
// begun (all three empty).
type Limit struct {
	Key        string    `json:"key"` // initial_hearing, extradition_hearing, appeal_notice, removal, consent_hearing
	Title      string    `json:"title"`
	Rule       string    `json:"rule"`
	Due        Date      `json:"due,omitzero"` // the last day for the step
	DueAt      time.Time `json:"due_at,omitzero"`
	NoFixedEnd bool      `json:"no_fixed_end,omitempty"`
	// Done is the day the step was taken, or for the extradition hearing
	// the day it was fixed for; DoneAt is the moment, for s.6.
	Done    Date      `json:"done,omitzero"`
	DoneAt  time.Time `json:"done_at,omitzero"`
	Working []string  `json:"working"`
}

// Status returns where the limit stands at now. Day limits compare now's
// date in now's location, so pass now in Europe/London.
func (l Limit) Status(now time.Time) Status {
	switch {
	case !l.DoneAt.IsZero() && !l.DueAt.IsZero():
		return metOrLate(!l.DoneAt.After(l.DueAt))
	case !l.Done.IsZero():
		return metOrLate(l.Due.IsZero() || !l.Done.After(l.Due))
	case !l.DoneAt.IsZero():
		return StatusMet
	case l.NoFixedEnd:
		return StatusRunning
	case !l.DueAt.IsZero():
		if now.After(l.DueAt) {
			return StatusExpired
		}
		// A period ending at midnight ends with the day before it.
		return dayStatus(DateOf(now), DateOf(l.DueAt.Add(-time.Nanosecond).In(now.Location())))
	case !l.Due.IsZero():
		return dayStatus(DateOf(now), l.Due)
	}
	return StatusNotStarted
}

func metOrLate(inTime bool) Status {
	if inTime {
		return StatusMet
	}
	return StatusLate
}

func dayStatus(today, due Date) Status {
	switch {
	case today.After(due):
		return StatusExpired
	case today == due:
		return StatusExpiresToday
	}
	return StatusRunning
}

func (l *Limit) say(format string, args ...any) {
	l.Working = append(l.Working, fmt.Sprintf(format, args...))
}

// ComputeExtradition works out the Part 1 time limits that follow from the
// dates recorded, in the order they arise. Limits whose starting event is
// not recorded are left out, except removal pending an appeal, which is
// shown as not started. It returns a fault.Invalid error with a message
// per field for impossible dates or dates beyond the calendar.
func ComputeExtradition(in ExtraditionInput, cal *Calendar) ([]Limit, error) {
	if err := in.Validate(cal); err != nil {
		return nil, err
	}
	initial, err := initialHearing(in, cal)
	if err != nil {
		return nil, err
	}
	limits := []Limit{initial, daysLimit(hearingLimit(in), cal)}
	if !in.Ordered.IsZero() && !in.Consented {
		limits = append(limits, daysLimit(appealLimit(in), cal))
	}
	if !in.Ordered.IsZero() {
		limits = append(limits, daysLimit(removalLimit(in), cal))
	}
	if !in.ConsentRequestReceived.IsZero() {
		limits = append(limits, daysLimit(consentLimit(in), cal))
	}
	for _, l := range limits {
		if !l.Due.IsZero() {
			if err := cal.check(l.Due); err != nil {
				return nil, err
			}
		}
	}
	return limits, nil
}

// daysLimit adds the note every calendar-day limit needs when its last day
// is one the courts do not sit: the Act counts calendar days and does not
// move the end, so the step must be taken on an earlier working day.
func daysLimit(l Limit, cal *Calendar) Limit {
	if l.Due.IsZero() || !cal.Covers(l.Due) {
		return l
	}
	why, _ := cal.why(l.Due)
	if why == "" {
		l.say("%s is a %s, a working day.", l.Due, l.Due.Weekday())
		return l
	}
	last, err := cal.WorkingDayOnOrBefore(l.Due)
	if err != nil {
		return l
	}
	if l.Key == "removal" {
		l.say("%s is %s. The Act counts calendar days and does not move the end of the period.", l.Due, why)
		return l
	}
	l.say("%s is %s. The Act counts calendar days and does not move the end of the period, so act by the last working day, %s.", l.Due, why, longDate(last))
	return l
}

// Validate checks that the dates recorded for an extradition case are
// possible and within the calendar, with a message per field.
func (in ExtraditionInput) Validate(cal *Calendar) error {
	var v fault.Validation
	arrest := DateOf(in.Arrested)
	if in.Arrested.IsZero() {
		v.Add("arrested", "Enter the date and time of arrest")
		arrest = Date{}
	}
	checkDate(&v, cal, "arrested", arrest, actInForce)
	if !in.BroughtBefore.IsZero() {
		checkDate(&v, cal, "brought_before", DateOf(in.BroughtBefore), actInForce)
		if !in.Arrested.IsZero() && in.BroughtBefore.Before(in.Arrested) {
			v.Add("brought_before", "The person cannot be brought before the judge before the arrest")
		}
	}
	for _, f := range []struct {
		field string
		d     Date
	}{
		{"hearing_fixed_for", in.HearingFixedFor}, {"ordered", in.Ordered},
		{"appeal_notice", in.AppealNotice}, {"appeal_final", in.AppealFinal},
		{"agreed_removal", in.AgreedRemoval}, {"removed", in.Removed},
		{"consent_request_received", in.ConsentRequestReceived}, {"consent_hearing", in.ConsentHearing},
	} {
		checkDate(&v, cal, f.field, f.d, actInForce)
		notBefore(&v, f.field, f.d, arrest, "This cannot be before the arrest on %s")
	}
	in.checkOrderDates(&v)
	in.checkAgreedRemoval(&v)
	return v.Err("The extradition time limits could not be worked out")
}

func (in ExtraditionInput) checkOrderDates(v *fault.Validation) {
	needs(v, "appeal_notice", in.AppealNotice, in.Ordered, "Record the date of the extradition order first")
	needs(v, "agreed_removal", in.AgreedRemoval, in.Ordered, "Record the date of the extradition order first")
	needs(v, "removed", in.Removed, in.Ordered, "Record the date of the extradition order first")
	needs(v, "appeal_final", in.AppealFinal, in.AppealNotice, "Record the date notice of appeal was given first")
	needs(v, "consent_hearing", in.ConsentHearing, in.ConsentRequestReceived, "Record the date the request for consent was received first")
	if in.Consented && !in.AppealNotice.IsZero() {
		v.Add("appeal_notice", "No appeal lies against an order made on the person's consent (s.26)")
	}
	notBefore(v, "appeal_notice", in.AppealNotice, in.Ordered, "Notice of appeal cannot be given before the order on %s")
	notBefore(v, "appeal_final", in.AppealFinal, in.AppealNotice, "The appeal cannot be decided before notice was given on %s")
	notBefore(v, "removed", in.Removed, in.Ordered, "Removal cannot be before the order on %s")
	notBefore(v, "consent_hearing", in.ConsentHearing, in.ConsentRequestReceived, "The hearing cannot begin before the request was received on %s")
}

// needs adds message when d is recorded but the date it follows from is not.
func needs(v *fault.Validation, field string, d, after Date, message string) {
	if !d.IsZero() && after.IsZero() {
		v.Add(field, message)
	}
}

package deadline

import (
	"fmt"
	"strings"

	"caseboard/internal/fault"
)

// regulationsInForce is when the custody time limit Regulations began; no
// date in a custody time limit can be earlier.
var regulationsInForce = NewDate(1987, 4, 1)

// Validate checks that the dates recorded for a charge are possible and
// within the calendar, returning a fault.Invalid error with a message per
// field. ComputeCTL calls it; forms may call it to check as they go.
func (in CTLInput) Validate(cal *Calendar) error {
	var v fault.Validation
	if !in.Class.Valid() {
		v.Add("offence_class", "Choose summary only, either way or indictable only")
	}
	checkDate(&v, cal, "first_appearance", in.FirstAppearance, regulationsInForce)
	if in.FirstAppearance.IsZero() {
		v.Add("first_appearance", "Enter the date of first appearance")
	}
	fa := in.FirstAppearance
	checkDate(&v, cal, "mode_of_trial", in.ModeOfTrial, regulationsInForce)
	checkDate(&v, cal, "sent", in.Sent, regulationsInForce)
	checkDate(&v, cal, "custody_start", in.CustodyStart, regulationsInForce)
	checkDate(&v, cal, "custody_end", in.CustodyEnd, regulationsInForce)
	checkDate(&v, cal, "trial_start", in.TrialStart, regulationsInForce)
	in.checkModeOfTrial(&v)
	in.checkSent(&v)
	start := in.CustodyStart
	if start.IsZero() {
		start = fa
	}
	notBefore(&v, "custody_start", in.CustodyStart, fa, "Custody of the court begins at first appearance, %s, at the earliest")
	in.checkCustodyDays(&v, start)
	in.checkEnd(&v, start)
	for i, e := range in.Extensions {
		checkExtension(&v, cal, fmt.Sprintf("extensions[%d]", i), e, fa)
	}
	return v.Err("The custody time limit could not be worked out")
}

func (in CTLInput) checkModeOfTrial(v *fault.Validation) {
	if in.ModeOfTrial.IsZero() {
		return
	}
	if in.Class != EitherWay {
		v.Add("mode_of_trial", "Only an either-way offence has a decision on summary trial")
	}
	notBefore(v, "mode_of_trial", in.ModeOfTrial, in.FirstAppearance, "The decision on summary trial cannot be before first appearance on %s")
	if !in.Sent.IsZero() && in.ModeOfTrial.After(in.Sent) {
		v.Add("mode_of_trial", fmt.Sprintf("The case was sent to the Crown Court on %s, so it cannot have been allocated for summary trial later", in.Sent))
	}
}

func (in CTLInput) checkSent(v *fault.Validation) {
	if in.Sent.IsZero() {
		if in.MagistratesCustodyDays != nil {
			v.Add("magistrates_custody_days", "Record days in the magistrates' court's custody only for a case sent to the Crown Court")
		}
		return
	}
	if in.Class == SummaryOnly {
		v.Add("sent", "A summary-only offence is tried in the magistrates' court; caseboard does not work out a Crown Court limit for it")
	}
	notBefore(v, "sent", in.Sent, in.FirstAppearance, "The case cannot be sent to the Crown Court before first appearance on %s")
}

// checkCustodyDays keeps the counted days within what the dates allow, so a
// typing slip cannot shorten or lengthen a limit unnoticed.
func (in CTLInput) checkCustodyDays(v *fault.Validation, start Date) {
	stageStart := in.FirstAppearance
	if !in.Sent.IsZero() && start.After(in.Sent) {
		stageStart = in.Sent
	}
	switch n := in.EarlierCustodyDays; {
	case n < 0:
		v.Add("earlier_custody_days", "Enter a number of days, 0 or more")
	case n > 0 && !in.Sent.IsZero() && !start.After(in.Sent):
		v.Add("earlier_custody_days", "Custody has run since before sending, so there is no earlier Crown Court custody; record earlier magistrates' court custody as magistrates' court custody days")
	case !in.FirstAppearance.IsZero() && !start.Before(stageStart) && n > start.Sub(stageStart):
		v.Add("earlier_custody_days", fmt.Sprintf("Only %d days passed between %s and %s, when this custody began", start.Sub(stageStart), stageStart, start))
	}
	m := in.MagistratesCustodyDays
	if m == nil || in.Sent.IsZero() || in.FirstAppearance.IsZero() {
		return
	}
	switch most := in.Sent.Sub(in.FirstAppearance); {
	case *m < 0:
		v.Add("magistrates_custody_days", "Enter a number of days, 0 or more")
	case *m > most:
		v.Add("magistrates_custody_days", fmt.Sprintf("Only %d days passed between first appearance and sending", most))
	case start.Before(in.Sent) && (in.CustodyEnd.IsZero() || !in.CustodyEnd.Before(in.Sent)) && *m < in.Sent.Sub(start):
		v.Add("magistrates_custody_days", fmt.Sprintf("Custody ran unbroken from %s to sending, at least %d days", start, in.Sent.Sub(start)))
	}
}

func (in CTLInput) checkEnd(v *fault.Validation, start Date) {
	switch {
	case in.CustodyEnd.IsZero() && in.CustodyEndReason != "":
		v.Add("custody_end", "Enter the date custody ended")
	case in.CustodyEnd.IsZero():
	case in.CustodyEndReason != Bailed && in.CustodyEndReason != Released:
		v.Add("custody_end_reason", "Choose bailed or released")
	}
	notBefore(v, "custody_end", in.CustodyEnd, start, "Custody cannot end before it began on %s")
	notBefore(v, "trial_start", in.TrialStart, in.FirstAppearance, "The trial cannot start before first appearance on %s")
	notBefore(v, "trial_start", in.TrialStart, in.Sent, "A trial on indictment cannot start before the case was sent on %s")
	if in.Sent.IsZero() {
		notBefore(v, "trial_start", in.TrialStart, in.ModeOfTrial, "A summary trial cannot start before the court decided on it on %s")
	}
}

func checkExtension(v *fault.Validation, cal *Calendar, field string, e Extension, fa Date) {
	checkDate(v, cal, field+".until", e.Until, regulationsInForce)
	checkDate(v, cal, field+".granted", e.Granted, regulationsInForce)
	if e.Until.IsZero() {
		v.Add(field+".until", "Enter the date the court extended the limit to")
	}
	if e.Granted.IsZero() {
		v.Add(field+".granted", "Enter the date the court granted the extension")
	}
	notBefore(v, field+".granted", e.Granted, fa, "An extension cannot be granted before first appearance on %s")
	if !e.Granted.IsZero() && !e.Until.After(e.Granted) {
		v.Add(field+".until", "The new expiry must be after the day the extension was granted")
	}
	checkText(v, field+".reason", e.Reason, "Enter the reason the court gave for extending the limit")
	checkText(v, field+".court", e.Court, "Enter the court that extended the limit")
}

func checkText(v *fault.Validation, field, s, missing string) {
	switch n := len(strings.TrimSpace(s)); {
	case n == 0:
		v.Add(field, missing)
	case n > 500:
		v.Add(field, "Use 500 characters or fewer")
	}
}

// checkDate refuses dates before the law began and dates the calendar does
// not cover; the zero Date (not recorded) passes.
func checkDate(v *fault.Validation, cal *Calendar, field string, d, earliest Date) {
	switch {
	case d.IsZero():
	case d.Before(earliest):
		v.Add(field, fmt.Sprintf("%s is before %s, when the law setting this limit came into force", d, earliest))
	case !cal.Covers(d):
		first, last := cal.Years()
		v.Add(field, fmt.Sprintf("The bank-holiday calendar covers %d to %d and %s is outside it; add that year's bank holidays to the calendar", first, last, d))
	}
}

// notBefore adds message (formatted with floor) when both dates are
// recorded and d is before floor.
func notBefore(v *fault.Validation, field string, d, floor Date, message string) {
	if !d.IsZero() && !floor.IsZero() && d.Before(floor) {
		v.Add(field, fmt.Sprintf(message, floor))
	}
}

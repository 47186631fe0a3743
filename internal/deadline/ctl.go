package deadline

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"caseboard/internal/fault"
)

// regs is the short title every custody time limit rule cites.
const regs = "Prosecution of Offences (Custody Time Limits) Regulations 1987"

// OffenceClass is how an offence may be tried, which decides its limit.
type OffenceClass string

const (
	SummaryOnly    OffenceClass = "summary_only"
	EitherWay      OffenceClass = "either_way"
	IndictableOnly OffenceClass = "indictable_only"
)

// Valid reports whether c is one of the three classes.
func (c OffenceClass) Valid() bool {
	return c == SummaryOnly || c == EitherWay || c == IndictableOnly
}

func (c OffenceClass) label() string {
	return map[OffenceClass]string{SummaryOnly: "Summary-only", EitherWay: "Either-way", IndictableOnly: "Indictable-only"}[c]
}

// EndReason is why custody ended before trial.
type EndReason string

const (
	Bailed   EndReason = "bailed"
	Released EndReason = "released" // discharged, charge withdrawn, or otherwise freed
)

// Stage is the court whose custody the limit governs.
type Stage string

const (
	Magistrates Stage = "magistrates"
	CrownCourt  Stage = "crown_court"
)

// Extension is a court's order extending a custody time limit under s.22(3)
// of the Prosecution of Offences Act 1985. The court sets the new expiry
// date; the latest extension replaces whatever expiry went before.
type Extension struct {
	Until   Date   `json:"until"`   // the new last day the court set
	Granted Date   `json:"granted"` // the day the court made the order
	Reason  string `json:"reason"`  // the good and sufficient cause found
	Court   string `json:"court"`   // which court, e.g. "Southwark Crown Court"
}

// CTLInput is what is recorded about one charge of one defendant in
// custody. Custody time limits run per charge, not per defendant.
type CTLInput struct {
	Class           OffenceClass `json:"offence_class"`
	FirstAppearance Date         `json:"first_appearance"`
	// ModeOfTrial is the day the court decided to try an either-way offence
	// summarily (Magistrates' Courts Act 1980 ss.19–24). A decision for
	// trial on indictment is recorded as Sent instead.
	ModeOfTrial Date `json:"mode_of_trial"`
	// Sent is the day the offence was sent to the Crown Court for trial.
	Sent Date `json:"sent"`
	// CustodyStart is the day the current period of custody of the court
	// began; the zero Date means the first appearance.
	CustodyStart Date `json:"custody_start"`
	// EarlierCustodyDays counts days in custody in earlier periods in the
	// current court (before sending, or since sending if custody there
	// began after it) that ended when the accused was bailed.
	EarlierCustodyDays int `json:"earlier_custody_days"`
	// MagistratesCustodyDays, for a sent case, counts the days in the
	// magistrates' court's custody for the offence. Nil means "work it out"
	// as the days from CustodyStart to sending, which is right when custody
	// was unbroken; give it when custody there was broken by bail.
	MagistratesCustodyDays *int `json:"magistrates_custody_days"`
	// UnderEighteen is whether the accused was under 18 when first in
	// custody for the offence; it matters only to the 2020–21 coronavirus
	// Crown Court limit, which did not apply to children.
	UnderEighteen    bool        `json:"under_eighteen"`
	CustodyEnd       Date        `json:"custody_end"`
	CustodyEndReason EndReason   `json:"custody_end_reason"`
	TrialStart       Date        `json:"trial_start"`
	Extensions       []Extension `json:"extensions"`
}

// CTL is a computed custody time limit with the working that led to it.
type CTL struct {
	Stage Stage  `json:"stage"`
	Rule  string `json:"rule"`
	Days  int    `json:"days"` // the limit the rule sets: 56, 70, 182 (238)
	Used  int    `json:"used"` // days of custody already counted against it
	Start Date   `json:"start"`
	// Statutory is the expiry the Regulations give, after moving back to a
	// working day, before any extension.
	Statutory Date `json:"statutory"`
	// Raw is the day the limit would end before moving back to a working
	// day: Start plus (Days − Used), or the latest extension's date.
	Raw       Date       `json:"raw"`
	Expiry    Date       `json:"expiry"`
	Extension *Extension `json:"extension,omitempty"`
	// Stopped is the day the clock stopped (custody ended or trial began).
	Stopped    Date     `json:"stopped,omitzero"`
	StopReason string   `json:"stop_reason,omitempty"`
	Working    []string `json:"working"`
}

// DaysLeft returns the days from today to the expiry: 0 on the last day,
// negative once expired. A limit expires at the end of its last day. It
// says nothing about whether the clock still runs; see Status.
func (c CTL) DaysLeft(today Date) int { return c.Expiry.Sub(today) }

// Status returns where the limit stands on today, the date in England.
// A stopped clock wins over every other state: a limit that no longer
// runs cannot expire. Otherwise the last day and after it win over
// "extended".
func (c CTL) Status(today Date) Status {
	switch {
	case !c.Stopped.IsZero() && !today.Before(c.Stopped):
		return StatusStopped
	case today.After(c.Expiry):
		return StatusExpired
	case today == c.Expiry:
		return StatusExpiresToday
	case c.Extension != nil:
		return StatusExtended
	}
	return StatusRunning
}

// ComputeCTL works out the custody time limit for one charge. It returns a
// fault.Invalid error with a message per field when the dates recorded are
// impossible or beyond the calendar, and one wrapping ErrBeyondCalendar
// when the limit itself falls beyond it.
func ComputeCTL(in CTLInput, cal *Calendar) (CTL, error) {
	if err := in.Validate(cal); err != nil {
		return CTL{}, err
	}
	if in.CustodyStart.IsZero() {
		in.CustodyStart = in.FirstAppearance
	}
	c, err := chooseRule(in)
	if err != nil {
		return CTL{}, err
	}
	c.Raw = c.Start.AddDays(c.Days - c.Used)
	c.say("%d days from %s is %s.", c.Days-c.Used, c.Start, c.Raw)
	if c.Expiry, err = c.moveBack(c.Raw, cal); err != nil {
		return CTL{}, err
	}
	c.Statutory = c.Expiry
	if err := c.applyExtensions(in, cal); err != nil {
		return CTL{}, err
	}
	c.stop(in)
	return c, nil
}

func (c *CTL) say(format string, args ...any) {
	c.Working = append(c.Working, fmt.Sprintf(format, args...))
}

// chooseRule picks the regulation that governs the charge now and where its
// clock starts.
func chooseRule(in CTLInput) (CTL, error) {
	c := CTL{Stage: Magistrates, Start: in.CustodyStart, Used: in.EarlierCustodyDays}
	c.say("%s offence; first appearance %s.", in.Class.label(), in.FirstAppearance)
	switch {
	case !in.Sent.IsZero():
		return c, crownRule(in, &c)
	case in.Class == SummaryOnly:
		c.Days, c.Rule = 56, regs+" reg 4: 56 days from first appearance to the start of summary trial (summary-only offence)"
	case in.Class == EitherWay:
		eitherWayRule(in, &c)
	default:
		c.Days, c.Rule = 70, regs+" reg 4(4): 70 days from first appearance to the decision whether to send for trial (indictable-only offence not yet sent)"
		c.say("No sending to the Crown Court is recorded. An indictable-only offence is normally sent at first appearance (Crime and Disorder Act 1998 s.51); until it is, caseboard applies the 70 days of reg 4(4) — record the sending date.")
	}
	c.say("Rule: %s.", c.Rule)
	c.sayCustodyStart(in)
	return c, c.checkUsed("earlier_custody_days")
}

// eitherWayRule applies reg 4(2) and (3). "Before the expiry of 56 days
// following the day of the accused's first appearance" ends at the end of
// first appearance + 56 days, counted as raw calendar days: the weekend
// rule of reg 2(5) moves a limit's expiry, not this test.
func eitherWayRule(in CTLInput, c *CTL) {
	cutoff := in.FirstAppearance.AddDays(56)
	rule56 := regs + " reg 4(3): 56 days from first appearance to the start of summary trial (either-way offence, summary trial decided within 56 days)"
	rule70 := regs + " reg 4(2): 70 days from first appearance to the start of summary trial (either-way offence)"
	switch {
	case in.ModeOfTrial.IsZero():
		c.Days, c.Rule = 70, rule70
		c.say("No decision on summary trial is recorded. If the court decides on summary trial by %s (56 days after first appearance) the limit becomes 56 days.", cutoff)
	case !in.ModeOfTrial.After(cutoff):
		c.Days, c.Rule = 56, rule56
		c.say("The court decided on summary trial on %s, day %d after first appearance — within the 56 days that ended on %s.", in.ModeOfTrial, in.ModeOfTrial.Sub(in.FirstAppearance), cutoff)
	default:
		c.Days, c.Rule = 70, rule70
		c.say("The court decided on summary trial on %s, day %d after first appearance — after the 56 days that ended on %s, so the 70 days stand.", in.ModeOfTrial, in.ModeOfTrial.Sub(in.FirstAppearance), cutoff)
	}
}

func (c *CTL) sayCustodyStart(in CTLInput) {
	if in.CustodyStart == in.FirstAppearance {
		c.say("Custody began on %s, the first appearance; that day is not counted (reg 2(4)).", in.CustodyStart)
	} else {
		c.say("Custody began on %s, after the first appearance; that day is not counted (reg 2(4)).", in.CustodyStart)
	}
	if c.Used > 0 {
		c.say("%d days already spent in custody in earlier periods count against the limit: %d − %d = %d days remain.", c.Used, c.Days, c.Used, c.Days-c.Used)
	}
}

// checkUsed refuses a limit used up before its clock starts: the
// Regulations give no days to count, and the court must have extended it.
func (c *CTL) checkUsed(field string) error {
	if c.Used < c.Days {
		return nil
	}
	var v fault.Validation
	v.Add(field, fmt.Sprintf("%d days in custody use up the whole %d-day limit; record the court's extension and the days as they stand", c.Used, c.Days))
	return v.Err("The custody time limit could not be worked out")
}

// moveBack applies reg 2(5): a limit that would end on a Saturday, Sunday,
// Christmas Day, Good Friday or bank holiday ends on the preceding day that
// is none of those.
func (c *CTL) moveBack(raw Date, cal *Calendar) (Date, error) {
	expiry, err := cal.WorkingDayOnOrBefore(raw)
	if err != nil {
		return Date{}, err
	}
	if expiry == raw {
		c.say("%s is a %s, a working day: the limit expires on %s.", raw, raw.Weekday(), raw)
		return expiry, nil
	}
	var skipped []string
	for d := raw; d.After(expiry); d = d.AddDays(-1) {
		why, _ := cal.why(d)
		skipped = append(skipped, d.String()+" is "+why)
	}
	c.say("%s; a limit cannot end on such a day (reg 2(5)), so it expires on the preceding working day, %s.", strings.Join(skipped, "; "), longDate(expiry))
	return expiry, nil
}

// applyExtensions replaces the expiry with each extension in the order the
// court granted them. Section 22(3) lets a court extend only before the
// limit expires, and an "extension" that does not end later extends
// nothing, so both are refused rather than silently applied.
func (c *CTL) applyExtensions(in CTLInput, cal *Calendar) error {
	order := make([]int, len(in.Extensions))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		ea, eb := in.Extensions[a], in.Extensions[b]
		return cmp.Or(ea.Granted.Compare(eb.Granted), ea.Until.Compare(eb.Until))
	})
	for _, i := range order {
		if err := c.extend(i, in, cal); err != nil {
			return err
		}
	}
	return nil
}

func (c *CTL) extend(i int, in CTLInput, cal *Calendar) error {
	e := in.Extensions[i]
	field := fmt.Sprintf("extensions[%d]", i)
	if c.Stage == CrownCourt && e.Granted.Before(in.Sent) {
		c.say("The extension granted on %s (to %s) was to the magistrates' court's limit, which ended when the case was sent on %s.", e.Granted, e.Until, in.Sent)
		return nil
	}
	var v fault.Validation
	switch stop := stopDate(in); {
	case e.Granted.Before(c.Start):
		v.Add(field+".granted", fmt.Sprintf("The extension was granted on %s, before this limit began on %s", e.Granted, c.Start))
	case e.Granted.After(c.Expiry):
		v.Add(field+".granted", fmt.Sprintf("A court can extend a limit only before it expires (Prosecution of Offences Act 1985 s.22(3)); it expired on %s, before the extension on %s", c.Expiry, e.Granted))
	case !stop.IsZero() && e.Granted.After(stop):
		v.Add(field+".granted", fmt.Sprintf("The extension on %s came after the clock stopped on %s", e.Granted, stop))
	case !e.Until.After(c.Expiry):
		v.Add(field+".until", fmt.Sprintf("An extension must end after the limit it extends, which expires on %s; %s does not", c.Expiry, e.Until))
	}
	if err := v.Err("The extension could not be applied"); err != nil {
		return err
	}
	c.say("On %s %s extended the limit to %s (%s).", e.Granted, e.Court, e.Until, e.Reason)
	expiry, err := c.moveBack(e.Until, cal)
	if err != nil {
		return err
	}
	if !expiry.After(c.Expiry) {
		v.Add(field+".until", fmt.Sprintf("%s falls back to %s, which does not extend the limit beyond %s", e.Until, expiry, c.Expiry))
		return v.Err("The extension could not be applied")
	}
	c.Raw, c.Expiry, c.Extension = e.Until, expiry, &e
	return nil
}

// stop records the day the clock stopped, if it has: the earlier of the end
// of custody and the start of trial.
func (c *CTL) stop(in CTLInput) {
	end, trial := in.CustodyEnd, in.TrialStart
	switch {
	case !end.IsZero() && (trial.IsZero() || !trial.Before(end)):
		c.Stopped, c.StopReason = end, string(in.CustodyEndReason)
		c.say("Custody ended on %s (%s): the limit stopped running%s.", end, in.CustodyEndReason, c.lateNote(end))
	case !trial.IsZero():
		c.Stopped, c.StopReason = trial, "trial_started"
		c.say("The trial started on %s: the limit stopped running%s.", trial, c.lateNote(trial))
	}
}

func (c *CTL) lateNote(d Date) string {
	if d.After(c.Expiry) {
		return fmt.Sprintf(", %d days after it expired on %s", d.Sub(c.Expiry), c.Expiry)
	}
	return ""
}

func stopDate(in CTLInput) Date {
	switch {
	case in.CustodyEnd.IsZero():
		return in.TrialStart
	case in.TrialStart.IsZero() || in.CustodyEnd.Before(in.TrialStart):
		return in.CustodyEnd
	}
	return in.TrialStart
}

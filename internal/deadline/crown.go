package deadline

// The Prosecution of Offences (Custody Time Limits) (Coronavirus)
// (Amendment) Regulations 2020 (SI 2020/953) raised the Crown Court limit
// from 182 to 238 days for an accused first in custody for the offence from
// 28 September 2020 until 27 June 2021; SI 2021/91 took children (under 18
// when first in custody) back out of it.
var (
	covidFrom = NewDate(2020, 9, 28)
	covidTo   = NewDate(2021, 6, 27)
)

// crownRule applies reg 5(6B): 182 days from sending to the start of trial,
// less the days already spent in the magistrates' court's custody for the
// offence. The clock starts on the day of sending (not counted), or on the
// day custody began if that was later.
func crownRule(in CTLInput, c *CTL) error {
	c.Stage, c.Days = CrownCourt, 182
	c.Rule = regs + " reg 5(6B): 182 days from sending to the Crown Court to the start of trial, less days in the magistrates' court's custody"
	c.covid(in)
	c.say("Sent to the Crown Court on %s. Rule: %s.", in.Sent, c.Rule)
	c.Start = in.Sent
	switch {
	case in.CustodyStart.After(in.Sent):
		c.Start = in.CustodyStart
		c.say("Custody began on %s, after sending; that day is not counted (reg 2(4)).", in.CustodyStart)
	case !in.CustodyEnd.IsZero() && in.CustodyEnd.Before(in.Sent):
		c.say("Custody ended on %s, before sending on %s, so this limit is not running; if the accused is remanded in custody again, record the new custody start.", in.CustodyEnd, in.Sent)
	default:
		c.say("Custody of the Crown Court began on sending, %s; that day is not counted (reg 2(4)).", in.Sent)
	}
	mags := c.magistratesDays(in)
	c.Used = mags + in.EarlierCustodyDays
	if in.EarlierCustodyDays > 0 {
		c.say("%d days in earlier periods of Crown Court custody also count.", in.EarlierCustodyDays)
	}
	if c.Used > 0 {
		c.say("%d − %d = %d days remain.", c.Days, c.Used, c.Days-c.Used)
	}
	field := "magistrates_custody_days"
	if in.EarlierCustodyDays > 0 {
		field = "earlier_custody_days"
	}
	return c.checkUsed(field)
}

// magistratesDays returns the days the accused spent in the magistrates'
// court's custody, as recorded or as worked out from an unbroken custody:
// from the day it began (not counted) to sending, or to its end if it ended
// first.
func (c *CTL) magistratesDays(in CTLInput) int {
	if in.MagistratesCustodyDays != nil {
		c.say("%d days in the magistrates' court's custody were recorded.", *in.MagistratesCustodyDays)
		return *in.MagistratesCustodyDays
	}
	if !in.CustodyStart.Before(in.Sent) {
		c.say("No days were spent in the magistrates' court's custody.")
		return 0
	}
	end := in.Sent
	if !in.CustodyEnd.IsZero() && in.CustodyEnd.Before(end) {
		end = in.CustodyEnd
	}
	n := end.Sub(in.CustodyStart)
	c.say("Custody in the magistrates' court ran from %s to %s: %d days, the first day not counted.", in.CustodyStart, end, n)
	return n
}

// covid applies the 238-day limit of SI 2020/953 where it applied. The
// Regulations turn on the day the accused was first in custody for the
// offence, which caseboard takes to be the start of the current custody
// unless earlier periods are recorded, and then the first appearance.
func (c *CTL) covid(in CTLInput) {
	first, how := in.CustodyStart, "the day custody began"
	if in.EarlierCustodyDays > 0 || in.MagistratesCustodyDays != nil {
		first, how = in.FirstAppearance, "the first appearance"
	}
	if first.Before(covidFrom) || first.After(covidTo) {
		return
	}
	if in.UnderEighteen {
		c.say("The 238-day coronavirus limit (SI 2020/953) did not apply to an accused under 18 when first in custody (SI 2021/91).")
		return
	}
	c.Days = 238
	c.Rule = regs + " reg 5(6B) as amended by SI 2020/953: 238 days from sending to the Crown Court to the start of trial, less days in the magistrates' court's custody (adult first in custody from 2020-09-28 to 2021-06-27)"
	c.say("The accused was first in custody for the offence on %s (caseboard takes %s; check it), between %s and %s, so the coronavirus limit of 238 days applies (SI 2020/953 regs 2 and 3).", first, how, covidFrom, covidTo)
}

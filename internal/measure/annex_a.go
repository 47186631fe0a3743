package measure

import (
	"math"

	"caseboard/internal/casework"
	"caseboard/internal/org"
)

// AnnexA lays out the division's performance data in the shape of the
// inspection report's Annex A: a column per period (financial years and
// twelve months to a month), a section each for Organised Crime,
// Extradition and the division, and totals that are computed from the
// rows above them, so they always add up.
type AnnexA struct {
	Columns  []string       `json:"columns"` // the periods, as people write them
	Periods  []string       `json:"periods"` // the periods' codes
	Sections []AnnexSection `json:"sections"`
}

// AnnexSection is one table of the annex.
type AnnexSection struct {
	Title string     `json:"title"`
	Rows  []AnnexRow `json:"rows"`
}

// AnnexRow is one line of a section: a value per column, null for no
// data. A Total row is the sum of the Part rows since the previous total
// (or heading).
type AnnexRow struct {
	Label   string     `json:"label"`
	Format  Format     `json:"format"`
	Values  []*float64 `json:"values"`
	Heading bool       `json:"heading,omitempty"` // a subheading, with no values
	Part    bool       `json:"part,omitempty"`    // one of the rows the next total adds up
	Total   bool       `json:"total,omitempty"`
}

// AnnexCounts are one column's counts: the division's, and each unit's
// (for the rows split by unit).
type AnnexCounts struct {
	Period   Period
	Division Counts
	Units    map[string]Counts
}

// BuildAnnexA computes the annex from each column's counts; units are the
// division's units in the order to show them (code and name).
func BuildAnnexA(columns []AnnexCounts, units []org.Unit) AnnexA {
	a := AnnexA{}
	for _, c := range columns {
		a.Columns, a.Periods = append(a.Columns, c.Period.String()), append(a.Periods, c.Period.Code())
	}
	each := func(label string, format Format, value func(AnnexCounts) *float64) AnnexRow {
		r := AnnexRow{Label: label, Format: format}
		for _, c := range columns {
			r.Values = append(r.Values, value(c))
		}
		return r
	}
	measureRow := func(label, code string) AnnexRow {
		m, _ := Lookup(code)
		return each(label, m.Format, func(c AnnexCounts) *float64 { return m.Compute(c.Division).Value })
	}
	heading := func(label string) AnnexRow { return AnnexRow{Label: label, Heading: true} }
	part := func(r AnnexRow) AnnexRow { r.Part = true; return r }

	oc := AnnexSection{Title: "Organised Crime", Rows: []AnnexRow{
		heading("Caseload"),
		measureRow("Pre-charge decisions", "pre_charge_decisions"),
		heading("Finalised defendants"),
	}}
	for _, court := range []casework.Court{casework.MagistratesCourt, casework.CrownCourt} {
		oc.Rows = append(oc.Rows, part(each("Finalised defendants ("+string(court)+")", CountFormat, func(c AnnexCounts) *float64 {
			n := float64(prosecution(c.Division, court).Total)
			return &n
		})))
	}
	oc.Rows = append(oc.Rows, totalOf(oc.Rows, "Finalised defendants, total"),
		heading("Outcomes"),
		measureRow("Conviction rate (MC)", "conviction_rate_mc"),
		measureRow("Conviction rate (CC)", "conviction_rate_cc"),
		measureRow("Guilty plea rate, of all convictions (MC)", "guilty_plea_rate_mc"),
		measureRow("Guilty plea rate, of all convictions (CC)", "guilty_plea_rate_cc"),
		measureRow("Timely Crown Court directions", "timely_directions_cc"),
		measureRow("Days from charge to finalisation, median (CC)", "charge_to_finalisation_cc"),
	)

	ex := AnnexSection{Title: "Extradition", Rows: []AnnexRow{heading("Outcomes")}}
	for _, o := range casework.ExtraditionOutcomes { // in Annex A's order
		code := o.Code
		ex.Rows = append(ex.Rows, part(each(o.Label, CountFormat, func(c AnnexCounts) *float64 {
			n := float64(Outcomes(casework.Extradition, ofKind(c.Division.Outcomes, casework.Extradition), false).Outcomes[code])
			return &n
		})))
	}
	ex.Rows = append(ex.Rows, totalOf(ex.Rows, "Total"))

	div := AnnexSection{Title: "The division", Rows: []AnnexRow{heading("Staffing average, full-time equivalent")}}
	for _, group := range []struct {
		label string
		legal bool
	}{{"Legal", true}, {"Operational and senior staff", false}} {
		div.Rows = append(div.Rows, part(each(group.label, DecimalFormat, func(c AnnexCounts) *float64 {
			return fteWhere(c.Division, func(g org.Grade) bool { return (g.Profession() == org.Legal) == group.legal })
		})))
	}
	div.Rows = append(div.Rows, totalOf(div.Rows, "Total"), heading("Unit split"))
	for _, u := range units {
		code := u.Code
		div.Rows = append(div.Rows, part(each(u.Name, DecimalFormat, func(c AnnexCounts) *float64 {
			return fteWhere(c.Units[code], func(org.Grade) bool { return true })
		})))
	}
	div.Rows = append(div.Rows, totalOf(div.Rows, "Total"), heading("Average working days lost per FTE, a year"))
	lost, _ := Lookup("working_days_lost")
	for _, u := range units {
		code := u.Code
		div.Rows = append(div.Rows, each(u.Name, DecimalFormat, func(c AnnexCounts) *float64 { return lost.Compute(c.Units[code]).Value }))
	}
	div.Rows = append(div.Rows, each("The division", DecimalFormat, func(c AnnexCounts) *float64 { return lost.Compute(c.Division).Value }),
		heading("Advocacy"),
		measureRow("In-house advocacy", "in_house_advocacy"),
		measureRow("Crown advocate utilisation", "crown_advocate_utilisation"))

	a.Sections = []AnnexSection{oc, ex, div}
	return a
}

// fteWhere is the average FTE of the grades kept, over the units' returns
// (each unit's average over the months it returned), or nil with no
// returns or where the reader may not see them.
func fteWhere(c Counts, keep func(org.Grade) bool) *float64 {
	if len(c.UnitReturns) == 0 {
		return nil
	}
	for _, w := range c.Withheld {
		if w == UnitReturns {
			return nil
		}
	}
	months := map[string]int{}
	for _, r := range c.UnitReturns {
		months[r.UnitCode]++
	}
	total := 0.0
	for _, r := range c.UnitReturns {
		for _, g := range r.FTE {
			if keep(g.Grade) {
				total += g.FTE / float64(months[r.UnitCode])
			}
		}
	}
	// To the one decimal place shown, so that the rows shown add up to
	// the total shown.
	total = math.Round(total*10) / 10
	return &total
}

// totalOf is the total of the Part rows after the last total, column by
// column; a column is no data only where every part is.
func totalOf(rows []AnnexRow, label string) AnnexRow {
	first := 0
	for i, r := range rows {
		if r.Total {
			first = i + 1
		}
	}
	t := AnnexRow{Label: label, Total: true}
	for _, r := range rows[first:] {
		if !r.Part {
			continue
		}
		t.Format = r.Format
		if t.Values == nil {
			t.Values = make([]*float64, len(r.Values))
		}
		for i, v := range r.Values {
			if v == nil {
				continue
			}
			if t.Values[i] == nil {
				t.Values[i] = new(float64)
			}
			*t.Values[i] = round2(*t.Values[i] + *v)
		}
	}
	return t
}

// AnnexColumns are the annex's usual columns: the financial years before
// the twelve months to a month, and those twelve months: for June 2018 and
// two years, 2016-17, 2017-18 and 12 months to June 2018.
func AnnexColumns(last Period, years int) []Period {
	rolling := last
	if rolling.Kind != Rolling12 {
		rolling = Period{Kind: Rolling12, Start: MonthOf(last.End).Start.AddDate(0, -11, 0), End: MonthOf(last.End).End}
	}
	var out []Period
	if years > 0 {
		// The financial years that end by the rolling period's end.
		lastYear := YearOf(rolling.End)
		if !lastYear.End.Equal(rolling.End) {
			lastYear = lastYear.Previous()
		}
		out = lastYear.Series(years)
	}
	return append(out, rolling)
}

// SplitByUnit gives each unit its own counts of the units' returns, for the
// rows the annex splits by unit.
func SplitByUnit(c Counts, units []org.Unit) map[string]Counts {
	out := map[string]Counts{}
	for _, u := range units {
		split := Counts{Withheld: c.Withheld}
		for _, r := range c.UnitReturns {
			if r.UnitCode == u.Code {
				split.UnitReturns = append(split.UnitReturns, r)
			}
		}
		out[u.Code] = split
	}
	return out
}

package demo

import (
	"time"

	"caseboard/internal/org"
	"caseboard/internal/risk"
)

// Risks returns the demo division's one register, as the 2019 report
// says the division held its risks in pieces (3.2-3.13), brought
// together: the three divisional risks, the Organised Crime locations'
// templated registers (custody time limits, disclosure, casework quality),
// the Extradition unit's high-risk cases, the EU-exit register, project
// risks, International's finance and a health and safety assessment, with
// a few years of score history. Dates run back from today so reviews and
// actions fall due around the day the demo is loaded.
func Risks(c org.Chart, today time.Time) []risk.Seed {
	d := func(years, months, days int) time.Time { return dateOf(today).AddDate(years, months, days) }
	who := func(grade org.Grade, unit, location string) string {
		for _, p := range c.People {
			if p.Grade == grade && (unit == "" || p.UnitCode == unit) && (location == "" || p.LocationCode == location) && p.PartnerCode == "" {
				return p.Email
			}
		}
		for _, p := range c.People { // the grade is not at that location: anyone of it in the unit
			if p.Grade == grade && (unit == "" || p.UnitCode == unit) {
				return p.Email
			}
		}
		return c.People[0].Email
	}
	hod := who("head_of_division", "", "")
	abm := who("area_business_manager", "", "")
	ocHead := who("deputy_head_of_division", "organised_crime", "")
	exHead := who("deputy_head_of_division", "extradition", "")
	intHead := who("deputy_head_of_division", "international", "")
	policy := who("senior_policy_adviser", "strategy_and_policy", "")
	r := func(l1, i1, l2, i2, l3, i3 int) (risk.Rating, risk.Rating, risk.Rating) {
		return risk.Rating{Likelihood: l1, Impact: i1}, risk.Rating{Likelihood: l2, Impact: i2}, risk.Rating{Likelihood: l3, Impact: i3}
	}
	at := func(t time.Time, l, i int, note string) risk.ScorePoint {
		return risk.ScorePoint{At: t, Current: risk.Rating{Likelihood: l, Impact: i}, Status: risk.Open, Note: note}
	}
	measure := func(desc, owner string, due time.Time, st risk.MeasureStatus) risk.SeedMeasure {
		return risk.SeedMeasure{Description: desc, OwnerEmail: owner, Due: due, Status: st}
	}
	seed := func(ref, title, cause, event, consequence string, cat risk.Category, unit, location, owner string, themes []string,
		scores [3]risk.Rating, raised time.Time, review time.Time) risk.Seed {
		return risk.Seed{Risk: risk.Risk{Reference: ref, Title: title, Cause: cause, Event: event, Consequence: consequence, Category: cat,
			Themes: themes, Inherent: scores[0], Current: scores[1], Target: scores[2], ReviewMonths: 3, NextReview: review,
			Treatment: risk.Treat}, Unit: unit, Location: location, OwnerEmail: owner, Raised: raised}
	}
	three := func(a, b, c risk.Rating) [3]risk.Rating { return [3]risk.Rating{a, b, c} }

	var out []risk.Seed
	add := func(s risk.Seed, edit func(*risk.Seed)) {
		if edit != nil {
			edit(&s)
		}
		out = append(out, s)
	}

	// The divisional register's three risks (3.3).
	add(seed("DIV-01", "Recruitment and vetting delays leave posts vacant",
		"the highest level of security clearance is needed for Organised Crime and International work, and specialists are recruited from a shrinking pool in one location",
		"posts stay vacant for months and experienced lawyers are not replaced",
		"caseloads rise, long-running cases lose continuity and custody time limits are put at risk",
		risk.Strategic, "strategy_and_policy", "", hod, []string{"recruitment", "vetting", "resilience"},
		three(r(5, 4, 4, 4, 2, 3)), d(-3, -2, 0), d(0, 0, 20)), func(s *risk.Seed) {
		s.Rescores = []risk.ScorePoint{at(d(-2, -6, 0), 5, 4, "Three lawyers left Organised Crime"), at(d(-1, -9, 0), 5, 4, "Quarterly review: unchanged"),
			at(d(-1, 0, 0), 4, 4, "National recruitment campaign began"), at(d(0, -4, 0), 4, 4, "Quarterly review: unchanged")}
		s.Measures = []risk.SeedMeasure{
			measure("Recruit nationally rather than from London alone", abm, d(0, -2, 0), risk.Done),
			measure("Agree interim work for new starters awaiting clearance", ocHead, d(0, 0, -10), risk.InProgress),
			measure("Open recruitment to talented non-specialists with a training plan", hod, d(0, 3, 0), risk.Planned)}
	})
	add(seed("DIV-02", "No management framework joins up the division",
		"units run their own registers, performance figures and meetings in silos",
		"the senior team does not see risks, performance or quality across the division",
		"problems are found late, by inspectors rather than managers",
		risk.Strategic, "strategy_and_policy", "", hod, []string{"governance", "management framework"},
		three(r(4, 4, 4, 4, 2, 3)), d(-2, -10, 0), d(0, 0, -12)), func(s *risk.Seed) {
		s.Rescores = []risk.ScorePoint{at(d(-1, -3, 0), 4, 4, "Inspection findings confirm the risk"), at(d(0, -6, 0), 3, 4, "One register for the division adopted")}
		s.Measures = []risk.SeedMeasure{
			measure("Bring every unit's register into caseboard", abm, d(0, -1, 0), risk.Done),
			measure("Quarterly assurance signed off by each unit head", hod, d(0, 1, 0), risk.Planned)}
	})
	add(seed("DIV-03", "International unit's finances are not under control",
		"funding comes from the Foreign Office and the Conflict, Stability and Security Fund alongside CPS budgets, tracked on spreadsheets",
		"spend exceeds allocations or is reported late to funders",
		"funders withdraw support and posts abroad close",
		risk.Strategic, "international", "", intHead, []string{"finance", "international"},
		three(r(5, 5, 4, 5, 2, 4)), d(-2, -8, 0), d(0, 1, 0)), func(s *risk.Seed) {
		s.Rescores = []risk.ScorePoint{at(d(-1, -8, 0), 5, 5, "Overspend found at two posts"), at(d(-1, 0, 0), 4, 5, "Matters referred to HQ finance; FCO takes some financial work")}
		s.Measures = []risk.SeedMeasure{
			measure("Monthly allocation and spend review with each regional head", abm, d(0, 0, -5), risk.InProgress),
			measure("Delegate post payments to the Foreign and Commonwealth Office", intHead, d(-1, 0, 0), risk.Done)}
	})

	// Organised Crime: a unit risk fed by each location's templated register (3.4).
	add(seed("OC-01", "Casework quality standards slip across Organised Crime",
		"four locations keep separate registers and there is no peer support system",
		"custody time limits, disclosure and quality risks are not seen together",
		"adverse outcomes and a loss of confidence from investigators",
		risk.Operational, "organised_crime", "", ocHead, []string{"quality standards", "casework quality"},
		three(r(4, 4, 3, 4, 2, 3)), d(-2, -6, 0), d(0, 1, 5)), func(s *risk.Seed) {
		s.ParentRef = "DIV-02"
		s.Rescores = []risk.ScorePoint{at(d(-1, -6, 0), 3, 4, "Case management panels in every location")}
	})
	for i, loc := range []string{"petty_france", "birmingham", "warrington", "calder"} {
		lm := who("legal_manager_2", "organised_crime", loc)
		prefix := []string{"OC-PF", "OC-BH", "OC-WA", "OC-CA"}[i]
		raised := d(-3, i, 0)
		add(seed(prefix+"-1", "Custody time limit missed", "limits are diarised by hand for each charge",
			"a custody time limit expires without an extension being sought",
			"a defendant charged with serious organised crime is released on bail",
			risk.Operational, "organised_crime", loc, lm, []string{"custody time limits"},
			three(r(3, 5, 2, 5, 1, 5)), raised, d(0, 0, 7*(i-1))), func(s *risk.Seed) {
			s.ParentRef = "OC-01"
			s.Rescores = []risk.ScorePoint{at(d(-2, i, 0), 3, 5, "Annual review"), at(d(-1, i, 0), 2, 5, "Limits now computed in caseboard")}
			s.Measures = []risk.SeedMeasure{measure("Weekly custody time limit check by the paralegal team", lm, d(0, 0, 3-5*i), risk.InProgress)}
		})
		add(seed(prefix+"-2", "Disclosure failings in long-running cases", "unused material runs to millions of items in multi-defendant cases",
			"disclosure is late or incomplete", "trials collapse or convictions are quashed",
			risk.Operational, "organised_crime", loc, lm, []string{"disclosure"},
			three(r(4, 5, 3, 5, 2, 4)), raised, d(0, 2, i)), func(s *risk.Seed) {
			s.ParentRef = "OC-01"
			if i == 1 {
				s.Rescores = []risk.ScorePoint{at(d(-1, 0, 0), 4, 5, "A trial stayed for late disclosure"), at(d(0, -3, 0), 4, 4, "Disclosure gateway review adopted")}
			}
		})
		add(seed(prefix+"-3", "Casework quality standards not met", "staff turnover and heavy caseloads",
			"prosecution strategy and disclosure management documents are not kept up to date", "weaker cases and adverse outcome reports",
			risk.Operational, "organised_crime", loc, lm, []string{"quality standards"},
			three(r(3, 3, 3, 3, 2, 2)), raised, d(0, 1, 10*i)), func(s *risk.Seed) { s.ParentRef = "OC-01" })
	}

	// Extradition: the streamlined high-risk case register (3.6).
	add(seed("EX-01", "High-risk extradition cases", "export cases turn on prison conditions, human rights and strict time limits",
		"a high-risk case fails at Westminster Magistrates' Court or on appeal", "requested persons are discharged and requesting states lose confidence",
		risk.Operational, "extradition", "petty_france", exHead, []string{"extradition", "casework quality"},
		three(r(4, 4, 3, 4, 2, 3)), d(-1, -10, 0), d(0, 0, 30)), func(s *risk.Seed) { s.ParentRef = "DIV-02" })
	exLawyer := who("specialist_prosecutor", "extradition", "")
	add(seed("EX-C1", "Refusals because of prison conditions in one requesting state", "the High Court has found conditions in one state's prisons in breach of Article 3",
		"warrants from that state are refused without specific assurances", "requested persons are discharged",
		risk.Casework, "extradition", "petty_france", exLawyer, []string{"extradition", "prison conditions"},
		three(r(4, 4, 4, 4, 2, 4)), d(-1, -6, 0), d(0, 0, -3)), func(s *risk.Seed) {
		s.ParentRef = "EX-01"
		s.Measures = []risk.SeedMeasure{measure("Request individual assurances on prison allocation", exLawyer, d(0, 0, -7), risk.Planned)}
	})
	add(seed("EX-C2", "Removal period missed after an extradition order", "removal must take place within ten days of the order or of the appeal becoming final",
		"a requesting state does not collect the person in time", "the person must be discharged",
		risk.Casework, "extradition", "petty_france", exLawyer, []string{"extradition", "time limits"},
		three(r(3, 5, 2, 5, 1, 5)), d(-1, -2, 0), d(0, 1, 0)), func(s *risk.Seed) { s.ParentRef = "EX-01" })
	add(seed("EX-C3", "High-profile requested person", "a requested person with a public profile contests extradition on forum grounds",
		"the case attracts press and political attention", "reputational harm if handled badly",
		risk.Casework, "extradition", "petty_france", exHead, []string{"extradition", "reputation"},
		three(r(3, 4, 3, 3, 2, 3)), d(0, -5, 0), d(0, 0, 12)), func(s *risk.Seed) { s.ParentRef = "EX-01" })

	// The EU-exit register (3.4, 3.8).
	add(seed("EU-01", "Loss of the European arrest warrant after exit", "the United Kingdom leaves the European Union",
		"surrender arrangements with member states fall back on the 1957 Convention", "slower extraditions and refusals by states that do not extradite their own nationals",
		risk.Strategic, "extradition", "", exHead, []string{"eu exit", "extradition"},
		three(r(4, 5, 4, 5, 3, 4)), d(-2, -9, 0), d(0, 0, 14)), func(s *risk.Seed) {
		s.Rescores = []risk.ScorePoint{at(d(-2, 0, 0), 4, 5, "No agreement yet")}
		s.Related = []string{"EU-02"}
	})
	add(seed("EU-02", "Extradition workload grows without funding", "more work falls on the Extradition unit after exit",
		"additional staff cannot be funded", "backlogs and missed time limits",
		risk.Operational, "extradition", "", abm, []string{"eu exit", "finance", "recruitment"},
		three(r(4, 4, 4, 4, 2, 3)), d(-2, -9, 0), d(0, 0, -20)), func(s *risk.Seed) { s.ParentRef = "DIV-01" })
	add(seed("EU-03", "European investigation orders lapse", "European investigation orders depend on EU membership",
		"evidence requests must go through slower mutual legal assistance", "cases are delayed for want of evidence from abroad",
		risk.Operational, "strategy_and_policy", "", policy, []string{"eu exit", "mutual legal assistance"},
		three(r(4, 3, 4, 3, 3, 3)), d(-2, -9, 0), d(0, 2, 0)), nil)

	// Projects whose registers lived in project documents (3.4).
	add(seed("PRJ-01", "Extradition casework system not ready", "the national case management system does not fit extradition work",
		"the replacement for the bespoke workbook is late", "two systems run in parallel and data is keyed twice",
		risk.Project, "extradition", "", abm, []string{"project", "data quality"},
		three(r(3, 3, 3, 3, 1, 2)), d(-1, -3, 0), d(0, 0, 40)), func(s *risk.Seed) { s.Risk.Project = "Extradition casework system" })
	add(seed("PRJ-02", "Casework Hub templates out of date", "templates are kept by individuals",
		"the Hub's prosecution strategy and disclosure templates are not updated with the law", "Areas and the division use stale guidance",
		risk.Project, "strategy_and_policy", "", policy, []string{"project", "knowledge"},
		three(r(3, 3, 2, 3, 1, 2)), d(-1, 0, 0), d(0, 1, 15)), func(s *risk.Seed) {
		s.Risk.Project = "Digital casework hub"
		s.Rescores = []risk.ScorePoint{at(d(0, -2, 0), 2, 3, "Owners named for every template"), {At: d(0, -1, 0), Current: risk.Rating{Likelihood: 2, Impact: 3}, Status: risk.Closed, Note: "Project closed"}}
	})

	// International and health and safety.
	add(seed("INT-01", "Funders' monthly reports late or inaccurate", "narrative and financial returns are compiled by hand from each post",
		"reports to the Foreign Office and CSSF are late or wrong", "funding is withheld",
		risk.Operational, "international", "", intHead, []string{"finance", "international", "reporting"},
		three(r(4, 4, 3, 4, 1, 3)), d(-1, -6, 0), d(0, 0, -2)), func(s *risk.Seed) { s.ParentRef = "DIV-03" })
	add(seed("HS-01", "Lone working at overseas posts", "prosecutors work alone in posts abroad",
		"a prosecutor is taken ill or threatened with no one to raise the alarm", "harm to a member of staff",
		risk.Operational, "international", "", intHead, []string{"health and safety", "international"},
		three(r(2, 5, 2, 4, 1, 4)), d(-2, 0, 0), d(0, 3, 0)), nil)
	return out
}

func dateOf(t time.Time) time.Time {
	y, m, dd := t.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
}

// RiskRecommendations links divisional risks to the 2019 inspection's
// recommendations they answer to, by the recommendation's number: the
// missing management framework to the risk strategy (3) and the performance
// framework (5), International's finances to its financial controls (7).
var RiskRecommendations = map[string][]int{"DIV-02": {3, 5}, "DIV-03": {7}}

package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/deadline"
	"caseboard/internal/org"
)

// The demo caseload follows the rows of the inspection report's Annex A:
// its rates and counts set the proportions drawn here, and every figure
// caseboard shows is then computed from the generated records, so where the
// report's own totals do not add up the demo's will differ.

// year is one financial year of Annex A.
type year struct {
	start time.Time // 1 April
	// Organised crime: finalised defendants and, per court, conviction
	// and guilty plea rates.
	mc, cc               int
	mcConviction, mcPlea float64
	ccConviction, ccPlea float64
	extradition          map[casework.Outcome]int
}

var annexA = []year{
	{start: fy(2016), mc: 19, cc: 560, mcConviction: .895, mcPlea: .895, ccConviction: .908, ccPlea: .729,
		extradition: map[casework.Outcome]int{"administrative_finalisation": 26, "appeal_abandoned": 42, "appeal_allowed": 81, "appeal_dismissed": 200,
			"appeal_not_contested": 5, "central_casework": 0, "discontinued": 8, "export_eaw_withdrawn": 124, "export_extradition_ordered": 1625,
			"export_requested_person_discharged": 245, "guilty_plea": 0, "import_extradition_ordered": 53, "import_extradition_withdrawn": 19,
			"other_proceedings": 11, "permission_to_appeal_refused": 489, "pre_charge_decision": 45, "prosecution_stayed": 1, "withdrawn": 2}},
	{start: fy(2017), mc: 21, cc: 634, mcConviction: .952, mcPlea: .952, ccConviction: .876, ccPlea: .745,
		extradition: map[casework.Outcome]int{"administrative_finalisation": 9, "appeal_abandoned": 24, "appeal_allowed": 88, "appeal_dismissed": 146,
			"appeal_not_contested": 3, "central_casework": 2, "discontinued": 3, "export_eaw_withdrawn": 87, "export_extradition_ordered": 1121,
			"export_requested_person_discharged": 272, "guilty_plea": 1, "import_extradition_ordered": 30, "import_extradition_withdrawn": 13,
			"other_proceedings": 4, "permission_to_appeal_refused": 277, "pre_charge_decision": 4, "prosecution_stayed": 1, "withdrawn": 1}},
}

func fy(startYear int) time.Time { return time.Date(startYear, time.April, 1, 0, 0, 0, 0, time.UTC) }

// The first quarter of 2018-19, drawn at a quarter of the rolling year to
// June 2018, so the rolling twelve months can be shown.
var firstQuarter2018 = year{start: fy(2018), mc: 3, cc: 150, mcConviction: .941, mcPlea: .941, ccConviction: .865, ccPlea: .711,
	extradition: map[casework.Outcome]int{"administrative_finalisation": 3, "appeal_abandoned": 5, "appeal_allowed": 22, "appeal_dismissed": 32,
		"appeal_not_contested": 1, "central_casework": 1, "discontinued": 1, "export_eaw_withdrawn": 19, "export_extradition_ordered": 270,
		"export_requested_person_discharged": 67, "import_extradition_ordered": 6, "import_extradition_withdrawn": 4,
		"other_proceedings": 6, "permission_to_appeal_refused": 58, "prosecution_stayed": 1, "withdrawn": 7}}

// offenceWeights spread organised crime defendants over the offence
// categories the unit prosecutes: drugs, fraud and money laundering,
// trafficking (offences against the person), firearms (all other).
var offenceWeights = []struct {
	code   casework.OffenceCategory
	weight int
}{{"drugs_offences", 45}, {"fraud_and_forgery", 20}, {"offences_against_the_person", 12}, {"all_other", 12}, {"sexual_offences", 6}, {"homicide", 2}, {"robbery", 3}}

// requestingStates spread extradition requests over the states that send
// the most European arrest warrants, with a long tail.
var requestingStates = []struct {
	code   string
	weight int
}{{"PL", 30}, {"RO", 20}, {"LT", 8}, {"HU", 5}, {"CZ", 5}, {"IT", 5}, {"DE", 4}, {"FR", 4}, {"NL", 4}, {"ES", 3}, {"PT", 3},
	{"LV", 3}, {"SK", 2}, {"BG", 2}, {"IE", 2}, {"US", 2}, {"AL", 1}, {"IN", 1}, {"TR", 1}}

var ocLocations = []struct {
	code   string
	weight int
}{{"petty_france", 50}, {"birmingham", 22}, {"warrington", 15}, {"calder", 13}}

// Outcomes returns a reproducible set of finalised defendants and
// requested persons from April 2016 to June 2018 in the proportions of
// Annex A.
func Outcomes(seed int64) []casework.OutcomeRow {
	rng := rand.New(rand.NewPCG(uint64(seed), 0xa22e_a))
	var rows []casework.OutcomeRow
	serial := 0
	for _, y := range append(append([]year{}, annexA...), firstQuarter2018) {
		months := 12
		if y.start.Equal(firstQuarter2018.start) {
			months = 3
		}
		rows = append(rows, prosecutionRows(rng, y, months, &serial)...)
		rows = append(rows, extraditionRows(rng, y, months, &serial)...)
	}
	return rows
}

func prosecutionRows(rng *rand.Rand, y year, months int, serial *int) []casework.OutcomeRow {
	var rows []casework.OutcomeRow
	for _, court := range []struct {
		court            casework.Court
		n                int
		conviction, plea float64
	}{{casework.MagistratesCourt, y.mc, y.mcConviction, y.mcPlea}, {casework.CrownCourt, y.cc, y.ccConviction, y.ccPlea}} {
		for left := court.n; left > 0; {
			*serial++
			location := pick(rng, ocLocations)
			urn := fmt.Sprintf("%02d%s%05d%02d", 40+rng.IntN(8), locationLetters[location], *serial, y.start.Year()%100)
			day := randomDay(rng, y.start, months)
			defendants := min(left, 1+rng.IntN(4))
			for d := 1; d <= defendants; d++ {
				rows = append(rows, casework.OutcomeRow{CaseURN: urn, Unit: "organised_crime", Location: location, Court: court.court,
					DefendantRef: fmt.Sprint(d), PrincipalOffence: pickOffence(rng), FinalisedOn: day,
					Outcome: prosecutionOutcome(rng, court.conviction, court.plea)})
			}
			left -= defendants
		}
	}
	return rows
}

var locationLetters = map[string]string{"petty_france": "PF", "birmingham": "BM", "warrington": "WA", "calder": "CA"}

func prosecutionOutcome(rng *rand.Rand, conviction, plea float64) casework.Outcome {
	if rng.Float64() < conviction {
		if rng.Float64() < plea {
			return "guilty_plea"
		}
		if rng.IntN(20) == 0 {
			return "proved_in_absence"
		}
		return "conviction_after_trial"
	}
	unsuccessful := []casework.Outcome{"acquitted", "acquitted", "judge_ordered_acquittal", "judge_directed_acquittal", "discontinued",
		"offered_no_evidence", "withdrawn", "lie_on_file", "dismissed_no_case_to_answer", "administrative_finalisation"}
	return unsuccessful[rng.IntN(len(unsuccessful))]
}

func extraditionRows(rng *rand.Rand, y year, months int, serial *int) []casework.OutcomeRow {
	var rows []casework.OutcomeRow
	for _, o := range casework.ExtraditionOutcomes {
		for i := 0; i < y.extradition[o.Code]; i++ {
			*serial++
			rows = append(rows, casework.OutcomeRow{CaseURN: fmt.Sprintf("EX/%d/%05d", y.start.Year(), *serial), Unit: "extradition",
				Location: "petty_france", DefendantRef: "1", FinalisedOn: randomDay(rng, y.start, months), Outcome: o.Code,
				Country: pick(rng, requestingStates)})
		}
	}
	return rows
}

func randomDay(rng *rand.Rand, start time.Time, months int) time.Time {
	end := start.AddDate(0, months, 0)
	return start.AddDate(0, 0, rng.IntN(int(end.Sub(start).Hours()/24)))
}

func pickOffence(rng *rand.Rand) casework.OffenceCategory {
	total := 0
	for _, w := range offenceWeights {
		total += w.weight
	}
	n := rng.IntN(total)
	for _, w := range offenceWeights {
		if n < w.weight {
			return w.code
		}
		n -= w.weight
	}
	return "all_other"
}

func pick(rng *rand.Rand, options []struct {
	code   string
	weight int
}) string {
	total := 0
	for _, o := range options {
		total += o.weight
	}
	n := rng.IntN(total)
	for _, o := range options {
		if n < o.weight {
			return o.code
		}
		n -= o.weight
	}
	return options[0].code
}

// LiveCase is a case still in progress, with its unit and location named
// by code and its lawyer by email, as a chart names them, and the
// defendants held in custody with their charges.
type LiveCase struct {
	Case                   casework.Case
	UnitCode, LocationCode string
	LawyerEmail            string
	InCustody              []CustodyDefendant
	Hearings               []casework.Hearing
	Directions             []HearingDirection
	Documents              []casework.KeyDocument
	Reviews                []DemoReview
	// Requested are the requested persons of an extradition case whose
	// arrest is recorded, so their extradition time limits run.
	Requested []casework.Defendant
}

// CustodyDefendant is a defendant remanded in custody on one charge.
type CustodyDefendant struct {
	Defendant casework.Defendant
	Charge    casework.Charge
}

// LiveCases returns an open caseload in the shape of Annex A (about 370
// organised crime prosecutions, most in the Crown Court, and a few hundred
// extradition cases), each allocated to a lawyer of its unit and location
// in the chart. Charged cases often have a defendant remanded in custody,
// sent to the Crown Court in the months before today, so custody time
// limits run out over the coming months and a few within the week.
func LiveCases(c org.Chart, seed int64, today time.Time) []LiveCase {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x11fe))
	lawyers := lawyersByUnitLocation(c)
	var out []LiveCase
	for i := 0; i < 370; i++ {
		location := pick(rng, ocLocations)
		status := casework.Status([]string{"pre_charge", "charged", "charged", "trial"}[rng.IntN(4)])
		court := casework.CrownCourt
		if rng.IntN(30) == 0 {
			court = casework.MagistratesCourt
		}
		lc := LiveCase{UnitCode: "organised_crime", LocationCode: location, LawyerEmail: pickLawyer(rng, lawyers, "organised_crime", location), Case: casework.Case{
			Reference: fmt.Sprintf("%02d%s%05d18", 40+rng.IntN(8), locationLetters[location], 90000+i), Kind: casework.Prosecution,
			Title: "Operation " + operationNames[rng.IntN(len(operationNames))], Status: status, Sensitivity: sensitivityFor(rng),
			OpenedOn: today.AddDate(0, 0, -400-rng.IntN(400)), Agency: []string{"NCA", "NCA", "NCA", "Immigration Enforcement", "Counter Terrorism Command"}[rng.IntN(5)],
			Court: court}}
		if status != "pre_charge" && court == casework.CrownCourt && rng.IntN(3) == 0 {
			lc.InCustody = append(lc.InCustody, remanded(rng, today))
		}
		out = append(out, lc)
	}
	// The arrests draw on their own generator, so the rest of the caseload
	// is the same with or without them.
	arrests := rand.New(rand.NewPCG(uint64(seed), 0xe7d))
	for i := 0; i < 300; i++ {
		state := pick(rng, requestingStates)
		lc := LiveCase{UnitCode: "extradition", LocationCode: "petty_france", LawyerEmail: pickLawyer(rng, lawyers, "extradition", "petty_france"), Case: casework.Case{
			Reference: fmt.Sprintf("EX/2018/%05d", 70000+i), Kind: casework.Extradition, Title: "Requested person " + fmt.Sprint(i+1),
			Status: casework.Status([]string{"received", "arrested", "hearing", "appeal"}[rng.IntN(4)]), Sensitivity: access.Official,
			OpenedOn: today.AddDate(0, 0, -30-rng.IntN(300)), Direction: "export", Country: state,
			WarrantType: []string{"eaw_conviction", "eaw_accusation", "non_eu_request"}[rng.IntN(3)], CourtCentre: "Westminster Magistrates' Court"}}
		if i%10 == 0 && lc.Case.Status == "arrested" {
			lc.Requested = append(lc.Requested, arrested(arrests, today, i+1, state))
		}
		out = append(out, lc)
	}
	addProgress(out, lawyers, seed, today)
	return out
}

// arrested is a requested person arrested under the warrant between 2 and
// 20 days before today and brought before the judge the next morning, with
// the extradition hearing not yet fixed: the 21 days of s.8 end within the
// next three weeks, a few within the week.
func arrested(rng *rand.Rand, today time.Time, n int, country string) casework.Defendant {
	day := deadline.DateOf(today.AddDate(0, 0, -2-rng.IntN(19)))
	at := time.Date(day.Year(), day.Month(), day.Day(), 7+rng.IntN(12), 15*rng.IntN(4), 0, 0, deadline.England)
	before := time.Date(day.Year(), day.Month(), day.Day()+1, 10, 0, 0, 0, deadline.England)
	return casework.Defendant{Ref: "1", Name: "Requested person " + fmt.Sprint(n), CustodyStatus: "in_custody", Country: country,
		Extradition: &deadline.ExtraditionInput{Arrested: at, BroughtBefore: before}}
}

var operationNames = []string{"Kestrel", "Heron", "Lapwing", "Merlin", "Osprey", "Plover", "Redwing", "Siskin", "Teal", "Wren", "Bittern", "Curlew", "Dunlin", "Fieldfare", "Goldcrest"}

// sensitivityFor makes most organised crime cases official-sensitive and
// a few restricted, as informant and covert work is.
func sensitivityFor(rng *rand.Rand) access.Sensitivity {
	switch n := rng.IntN(20); {
	case n == 0:
		return access.Restricted
	case n < 14:
		return access.OfficialSensitive
	}
	return access.Official
}

func lawyersByUnitLocation(c org.Chart) map[string][]string {
	out := map[string][]string{}
	for _, p := range c.People {
		if p.Grade.Profession() == org.Legal && p.PartnerCode == "" {
			key := p.UnitCode + "/" + p.LocationCode
			out[key] = append(out[key], p.Email)
		}
	}
	return out
}

func pickLawyer(rng *rand.Rand, lawyers map[string][]string, unit, location string) string {
	list := lawyers[unit+"/"+location]
	if len(list) == 0 {
		return ""
	}
	return list[rng.IntN(len(list))]
}

// remanded is a defendant sent to the Crown Court in custody between 10 and
// 178 days before today: their 182-day limit ends between 4 and 172 days on.
func remanded(rng *rand.Rand, today time.Time) CustodyDefendant {
	sent := deadline.DateOf(today.AddDate(0, 0, -10-rng.IntN(169)))
	return CustodyDefendant{
		Defendant: casework.Defendant{Ref: "1", Name: "Defendant " + fmt.Sprint(rng.IntN(900)+100), CustodyStatus: "in_custody"},
		Charge: casework.Charge{Description: chargeNames[rng.IntN(len(chargeNames))], PrincipalOffence: pickOffence(rng),
			Custody: &deadline.CTLInput{Class: deadline.IndictableOnly, FirstAppearance: sent, Sent: sent}},
	}
}

var chargeNames = []string{"Conspiracy to supply a controlled drug of class A", "Conspiracy to import a controlled drug of class A",
	"Money laundering", "Possession of a firearm with intent to endanger life", "Conspiracy to facilitate a breach of immigration law",
	"Arranging or facilitating travel with a view to exploitation", "Conspiracy to defraud"}

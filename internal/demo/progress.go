package demo

import (
	"math/rand/v2"
	"time"

	"caseboard/internal/casework"
	"caseboard/internal/deadline"
)

// HearingDirection is a direction given at one of the case's hearings,
// named by its index in LiveCase.Hearings (-1 for none).
type HearingDirection struct {
	Direction casework.Direction
	Hearing   int
}

// DemoReview is a review of a demo case; a handover names the lawyer
// taking over by email.
type DemoReview struct {
	Review        casework.CaseReview
	ToLawyerEmail string
}

// addProgress gives each charged case the hearings, directions and key
// documents a case of its age has: most directions complied with on
// time, some late, a few outstanding, and documents mostly kept current.
// Some cases have had a case management panel, a disclosure gateway
// review or a handover. It draws from its own generator so the caseload
// itself does not change with it.
func addProgress(cases []LiveCase, lawyers map[string][]string, seed int64, today time.Time) {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x9e3))
	now := deadline.DateOf(today)
	for i := range cases {
		lc := &cases[i]
		switch {
		case lc.Case.Kind == casework.Prosecution && lc.Case.Status != "pre_charge":
			prosecutionProgress(rng, lc, now)
			addReviews(rng, lc, lawyers[lc.UnitCode+"/"+lc.LocationCode], now)
		case lc.Case.Kind == casework.Extradition && (lc.Case.Status == "hearing" || lc.Case.Status == "appeal"):
			extraditionProgress(rng, lc, now)
		}
	}
}

// addReviews gives about one charged case in four a local panel, one in
// twenty a Director's panel, one in ten a disclosure gateway review, and
// one in twelve a handover to another lawyer of its location.
func addReviews(rng *rand.Rand, lc *LiveCase, colleagues []string, today deadline.Date) {
	held := func() deadline.Date { return today.AddDays(-5 - rng.IntN(120)) }
	action := func(what string, on deadline.Date, days int) casework.ReviewAction {
		a := casework.ReviewAction{Description: what, Due: on.AddDays(days)}
		if due := a.Due; !due.After(today) && rng.IntN(5) > 0 {
			a.DoneOn = &due
		}
		return a
	}
	if rng.IntN(4) == 0 {
		on := held()
		lc.Reviews = append(lc.Reviews, DemoReview{Review: casework.CaseReview{Kind: casework.LocalPanel, Held: on,
			Members: "Legal manager, case lawyer, disclosure champion", Summary: "Volume of unused material; a co-defendant's trial date may move.",
			Actions: []casework.ReviewAction{action("Instruct disclosure counsel", on, 14), action("Agree a timetable for the defence statement", on, 28)}}})
	}
	if rng.IntN(20) == 0 {
		on := held()
		lc.Reviews = append(lc.Reviews, DemoReview{Review: casework.CaseReview{Kind: casework.DirectorsPanel, Held: on,
			Members: "Director of Legal Services, head of unit, case lawyer, leading counsel", Summary: "Trial of eight defendants estimated at twelve weeks; resourcing and media strategy.",
			Actions: []casework.ReviewAction{action("Confirm a second junior counsel", on, 21)}}})
	}
	if rng.IntN(10) == 0 {
		on := held()
		lc.Reviews = append(lc.Reviews, DemoReview{Review: casework.CaseReview{Kind: casework.DisclosureGateway, Held: on,
			Members: "Two reviewing lawyers from another location", Summary: "The disclosure management document does not explain the search terms used on seized devices.",
			Actions: []casework.ReviewAction{action("Update the disclosure management document with the search strategy", on, 10)}}})
	}
	if rng.IntN(12) == 0 && len(colleagues) > 1 {
		to := colleagues[rng.IntN(len(colleagues))]
		if to != lc.LawyerEmail {
			on := held()
			lc.Reviews = append(lc.Reviews, DemoReview{ToLawyerEmail: to, Review: casework.CaseReview{Kind: casework.Handover, Held: on,
				Summary: "Counsel instructed and trial fixed; the officer in the case is on leave in the summer.",
				Actions: []casework.ReviewAction{action("Read the prosecution strategy document", on, 3), action("Meet the officer in the case", on, 14)}}})
		}
	}
}

func prosecutionProgress(rng *rand.Rand, lc *LiveCase, today deadline.Date) {
	opened := deadline.DateOf(lc.Case.OpenedOn)
	first := opened.AddDays(20 + rng.IntN(40))
	ptph := first.AddDays(28)
	lc.Hearings = append(lc.Hearings,
		casework.Hearing{Kind: casework.FirstAppearance, Court: casework.MagistratesCourt, Centre: "Westminster", On: first},
		casework.Hearing{Kind: casework.Plea, Court: lc.Case.Court, Centre: pickCentre(rng), On: ptph})
	for _, d := range []struct {
		what string
		days int
	}{
		{"Serve the prosecution case papers", 50},
		{"Serve initial disclosure", 70},
		{"Reply to the defence statement", 140},
	} {
		lc.Directions = append(lc.Directions, HearingDirection{Hearing: 1,
			Direction: directionOutcome(rng, casework.Direction{Court: lc.Case.Court, Description: d.what, Due: ptph.AddDays(d.days)}, today)})
	}
	lc.Documents = append(lc.Documents,
		keptDocument(rng, casework.ProsecutionStrategy, opened, today),
		keptDocument(rng, casework.DisclosureManagement, ptph, today))
}

func extraditionProgress(rng *rand.Rand, lc *LiveCase, today deadline.Date) {
	opened := deadline.DateOf(lc.Case.OpenedOn)
	hearing := opened.AddDays(20 + rng.IntN(40))
	lc.Hearings = append(lc.Hearings, casework.Hearing{Kind: casework.ExtraditionHearing, Court: casework.MagistratesCourt,
		Centre: "Westminster", On: hearing})
	lc.Directions = append(lc.Directions, HearingDirection{Hearing: 0, Direction: directionOutcome(rng,
		casework.Direction{Court: casework.MagistratesCourt, Description: "Serve further information from the requesting state", Due: hearing.AddDays(-7)}, today)})
}

// directionOutcome decides whether a direction due by today was complied
// with, on time (most) or late, or is still outstanding.
func directionOutcome(rng *rand.Rand, d casework.Direction, today deadline.Date) casework.Direction {
	if d.Due.After(today) {
		return d
	}
	var done deadline.Date
	switch n := rng.IntN(20); {
	case n < 15:
		done = d.Due.AddDays(-rng.IntN(10))
	case n < 19:
		done = d.Due.AddDays(1 + rng.IntN(20))
	default:
		return d // outstanding
	}
	if done.After(today) {
		done = today
	}
	d.CompletedOn = &done
	return d
}

// keptDocument is a key document last brought up to date some weeks ago:
// most within their review interval, some past it.
func keptDocument(rng *rand.Rand, kind casework.DocumentKind, since, today deadline.Date) casework.KeyDocument {
	updated := today.AddDays(-rng.IntN(110))
	if updated.Before(since) {
		updated = since
	}
	return casework.KeyDocument{Kind: kind, UpdatedOn: &updated}
}

var crownCourtCentres = []string{"Southwark", "Woolwich", "Birmingham", "Liverpool", "Manchester Minshull Street", "Leeds"}

func pickCentre(rng *rand.Rand) string { return crownCourtCentres[rng.IntN(len(crownCourtCentres))] }

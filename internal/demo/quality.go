package demo

import (
	"math/rand/v2"
	"time"

	"caseboard/internal/org"
	"caseboard/internal/quality"
)

// DemoAssessment is an assessment of the demo year with its people named
// by email and its case by reference, as a chart names them.
type DemoAssessment struct {
	Assessment    quality.Assessment
	AssessedEmail string
	AssessorEmail string
	CaseReference string
	// RemarkOf is the position in the list, plus one, of the IQA a
	// re-mark re-marks; 0 for an IQA.
	RemarkOf int
}

// hardQuestions are the questions the demo's people most often fall short
// on, so the trends page has themes to show: disclosure and confiscation,
// as inspections find, and paralegal task deadlines.
var hardQuestions = map[string]float64{"disclosure": 0.25, "confiscation": 0.3, "adv_witnesses": 0.15, "pl_tasks": 0.2}

// LenientAssessor is the demo's deliberately lenient assessor: the leader
// of this team marks almost everything "fully meets", which the blind
// re-marks and the comparison with peers bring out on the calibration page.
const LenientAssessor = "Birmingham Team 1"

// Assessments returns a year of IQAs to today under the default schedule
// for the legal and paralegal staff of Organised Crime and Extradition
// (the units the inspection found doing IQAs), each by the person's line
// manager on one of their cases, and blind re-marks by each unit's head of
// about a fifth of them. Most obligations are met; some teams fall behind
// in the current quarter; one assessor marks leniently.
func Assessments(c org.Chart, cases []LiveCase, seed int64, today time.Time) []DemoAssessment {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x1ca))
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	byLawyer, byUnit := map[string][]string{}, map[string][]string{}
	for _, lc := range cases {
		byLawyer[lc.LawyerEmail] = append(byLawyer[lc.LawyerEmail], lc.Case.Reference)
		byUnit[lc.UnitCode+"/"+lc.LocationCode] = append(byUnit[lc.UnitCode+"/"+lc.LocationCode], lc.Case.Reference)
	}
	lenient := ""
	for _, t := range c.Teams {
		if t.Name == LenientAssessor {
			lenient = t.LeaderEmail
		}
	}
	var out []DemoAssessment
	var iqas []int // positions of IQAs, for re-marking
	start := today.AddDate(-1, 0, 0)
	for _, p := range c.People {
		if p.LineManagerEmail == "" || (p.UnitCode != organisedCrime && p.UnitCode != extradition) || p.PartnerCode != "" {
			continue
		}
		profession := string(p.Grade.Profession())
		refs := byLawyer[p.Email]
		if profession == "paralegal" {
			refs = byUnit[p.UnitCode+"/"+p.LocationCode]
		}
		if len(refs) == 0 || (profession != "legal" && profession != "paralegal") {
			continue
		}
		// Each person has a steady standard of work; each assessor their
		// own way of marking it.
		skill := 0.45 + rng.Float64()*0.35
		behind := rng.IntN(5) == 0 // a fifth of people's managers fall behind lately
		for _, rule := range quality.DefaultRules {
			if rule.Profession != profession {
				continue
			}
			for period := periodOf(start, rule.PeriodMonths); !period.After(today); period = period.AddDate(0, rule.PeriodMonths, 0) {
				end := period.AddDate(0, rule.PeriodMonths, -1)
				recent := end.After(today.AddDate(0, -4, 0))
				if rng.IntN(10) == 0 || (behind && recent && rng.IntN(2) == 0) {
					continue // missed: the completion figures show it
				}
				last := end
				if last.After(today) {
					last = today
				}
				span := int(last.Sub(period).Hours()/24) + 1
				if end.After(today) && rng.IntN(3) == 0 {
					continue // not done yet this period
				}
				on := period.AddDate(0, 0, rng.IntN(max(span, 1)))
				if on.Before(start) {
					continue
				}
				tpl, _ := quality.Current(rule.Activity, on.Format("2006-01-02"))
				truth := trueMarks(rng, tpl, skill)
				var given []quality.Mark
				if p.LineManagerEmail == lenient {
					given = inflate(rng, truth)
				} else {
					given = wobble(rng, truth)
				}
				a := DemoAssessment{AssessedEmail: p.Email, AssessorEmail: p.LineManagerEmail, CaseReference: refs[rng.IntN(len(refs))],
					Assessment: quality.Assessment{Kind: quality.IQA, Activity: rule.Activity, TemplateVersion: tpl.Version, AssessedOn: on,
						Marks: given, Feedback: feedbackFor(given)}}
				if on.Before(today.AddDate(0, 0, -14)) || rng.IntN(2) == 0 {
					ack := on.AddDate(0, 0, 1+rng.IntN(10)).Add(10 * time.Hour)
					if ack.After(today) {
						ack = today
					}
					a.Assessment.AcknowledgedAt = &ack
				}
				out = append(out, a)
				iqas = append(iqas, len(out))
				if rng.IntN(5) == 0 || (p.LineManagerEmail == lenient && rng.IntN(3) == 0) {
					// Re-marked blind by the unit's head, a few weeks later.
					head := c.UnitHeads[p.UnitCode]
					if head == "" || head == p.Email || head == p.LineManagerEmail {
						continue
					}
					day := on.AddDate(0, 0, 14+rng.IntN(21))
					if day.After(today) {
						day = today
					}
					out = append(out, DemoAssessment{AssessedEmail: p.Email, AssessorEmail: head, CaseReference: a.CaseReference, RemarkOf: len(out),
						Assessment: quality.Assessment{Kind: quality.Remark, Activity: rule.Activity, TemplateVersion: tpl.Version, AssessedOn: day,
							Marks: wobble(rng, truth)}})
				}
			}
		}
	}
	return out
}

func periodOf(day time.Time, months int) time.Time {
	m := (int(day.Month())-1)/months*months + 1
	return time.Date(day.Year(), time.Month(m), 1, 0, 0, 0, 0, time.UTC)
}

// trueMarks is what a careful assessor would find.
func trueMarks(rng *rand.Rand, t quality.Template, skill float64) []quality.Mark {
	var marks []quality.Mark
	for _, q := range t.Questions {
		answer := quality.NotApplicable
		if rng.IntN(20) != 0 {
			x := rng.Float64() + hardQuestions[q.Code]
			switch {
			case x < skill:
				answer = quality.FullyMeets
			case x < skill+0.38:
				answer = quality.PartiallyMeets
			default:
				answer = quality.NotMet
			}
		}
		marks = append(marks, quality.Mark{Question: q.Code, Answer: answer})
	}
	return marks
}

// wobble is a fair assessor's marking: the truth, now and then a step off.
func wobble(rng *rand.Rand, truth []quality.Mark) []quality.Mark {
	out := make([]quality.Mark, len(truth))
	copy(out, truth)
	for i := range out {
		if !out[i].Answer.Marked() || rng.IntN(8) != 0 {
			continue
		}
		switch out[i].Answer {
		case quality.FullyMeets:
			out[i].Answer = quality.PartiallyMeets
		case quality.NotMet:
			out[i].Answer = quality.PartiallyMeets
		default:
			out[i].Answer = []quality.Answer{quality.FullyMeets, quality.NotMet}[rng.IntN(2)]
		}
	}
	return out
}

// inflate is the lenient assessor's marking: most shortfalls marked as
// fully meeting the standard.
func inflate(rng *rand.Rand, truth []quality.Mark) []quality.Mark {
	out := make([]quality.Mark, len(truth))
	copy(out, truth)
	for i := range out {
		if (out[i].Answer == quality.PartiallyMeets || out[i].Answer == quality.NotMet) && rng.IntN(10) < 8 {
			out[i].Answer = quality.FullyMeets
		}
	}
	return out
}

func feedbackFor(marks []quality.Mark) string {
	short := 0
	for _, m := range marks {
		if m.Answer == quality.NotMet || m.Answer == quality.PartiallyMeets {
			short++
		}
	}
	switch {
	case short == 0:
		return "Work of a consistently high standard. Keep it up."
	case short <= 2:
		return "Good work overall; see the comments on the points to develop and discuss them at your next one-to-one."
	}
	return "Several points fall short of the standards: we will agree a development plan at your next one-to-one."
}

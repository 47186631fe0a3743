package quality

import (
	"fmt"
	"sort"
	"time"
)

// QuestionTrend is how often one question was not met, overall and by
// quarter: the themes a unit should learn from.
type QuestionTrend struct {
	Activity Activity `json:"activity"`
	Question string   `json:"question"`
	Text     string   `json:"text"`
	Marks    int      `json:"marks"`
	NotMet   int      `json:"not_met"`
	Share    float64  `json:"share"` // NotMet / Marks
	// ByQuarter holds each quarter's not-met share, keyed "2026-Q1"; a
	// quarter without marks of the question is absent.
	ByQuarter map[string]float64 `json:"by_quarter"`
}

// Quarter names the calendar quarter of a day, e.g. "2026-Q2".
func Quarter(day time.Time) string {
	return fmt.Sprintf("%d-Q%d", day.Year(), (int(day.Month())-1)/3+1)
}

// Trends ranks the questions of the IQAs by how often they were not met,
// most often first (ties by more marks, then by code). Re-marks are left
// out: they are calibration, not a second finding.
func Trends(assessments []Assessment) []QuestionTrend {
	type counts struct{ marks, notMet int }
	type key struct {
		activity Activity
		question string
	}
	total := map[key]*counts{}
	quarterly := map[key]map[string]*counts{}
	for _, a := range assessments {
		if a.Kind != IQA {
			continue
		}
		q := Quarter(a.AssessedOn)
		for _, m := range a.Marks {
			if !m.Answer.Marked() {
				continue
			}
			k := key{a.Activity, m.Question}
			if total[k] == nil {
				total[k], quarterly[k] = &counts{}, map[string]*counts{}
			}
			if quarterly[k][q] == nil {
				quarterly[k][q] = &counts{}
			}
			total[k].marks++
			quarterly[k][q].marks++
			if m.Answer == NotMet {
				total[k].notMet++
				quarterly[k][q].notMet++
			}
		}
	}
	out := make([]QuestionTrend, 0, len(total))
	for k, c := range total {
		t := QuestionTrend{Activity: k.activity, Question: k.question, Marks: c.marks, NotMet: c.notMet,
			Share: float64(c.notMet) / float64(c.marks), ByQuarter: map[string]float64{}}
		t.Text = questionText(k.activity, k.question)
		for q, qc := range quarterly[k] {
			t.ByQuarter[q] = float64(qc.notMet) / float64(qc.marks)
		}
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Share != out[j].Share {
			return out[i].Share > out[j].Share
		}
		if out[i].Marks != out[j].Marks {
			return out[i].Marks > out[j].Marks
		}
		return out[i].Question < out[j].Question
	})
	return out
}

// questionText is a question's wording from the newest template that asks it.
func questionText(a Activity, code string) string {
	text := code
	for _, t := range Templates {
		if q, ok := t.Question(code); ok && t.Activity == a {
			text = q.Text
		}
	}
	return text
}

// QuarterCount is how often one question was marked, and not met, in one
// quarter.
type QuarterCount struct {
	Quarter string
	Marks   int
	NotMet  int
}

// QuarterCounts counts the marks of one question of an activity, and those
// not met, quarter by quarter in order, over the IQAs (re-marks left out,
// as in Trends).
func QuarterCounts(assessments []Assessment, activity Activity, question string) []QuarterCount {
	byQuarter := map[string]*QuarterCount{}
	for _, a := range assessments {
		if a.Kind != IQA || a.Activity != activity {
			continue
		}
		for _, m := range a.Marks {
			if m.Question != question || !m.Answer.Marked() {
				continue
			}
			q := Quarter(a.AssessedOn)
			if byQuarter[q] == nil {
				byQuarter[q] = &QuarterCount{Quarter: q}
			}
			byQuarter[q].Marks++
			if m.Answer == NotMet {
				byQuarter[q].NotMet++
			}
		}
	}
	out := make([]QuarterCount, 0, len(byQuarter))
	for _, c := range byQuarter {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Quarter < out[j].Quarter })
	return out
}

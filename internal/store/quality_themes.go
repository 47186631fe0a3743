package store

import (
	"context"
	"fmt"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
	"caseboard/internal/quality"
)

// QualityTheme names one theme of the IQA trends: a question of an
// activity, in the IQAs of a unit (or, with UnitID nil, the division) made
// in [From, To].
type QualityTheme struct {
	UnitID   *int64
	From, To time.Time
	Activity quality.Activity
	Question string
}

// ShareQualityTheme starts a lessons-learned draft in the knowledge
// repository from a theme of the IQA trends, written by the principal in
// the theme's unit (for the division's trends, the principal's own unit).
// The draft holds the question, the scope, the period and the counts, and
// nothing that names a person or a case. The principal must be allowed to
// see the trends and to write articles in the unit. Errors: Forbidden,
// Invalid (an unknown question, a question no IQA of the period answered,
// a period that ends before it starts).
func (db *DB) ShareQualityTheme(ctx context.Context, p *access.Principal, t QualityTheme) (knowledge.Article, error) {
	if !access.Allows(p, access.ReadQualityFigures) || !access.Allows(p, access.WriteKnowledge) {
		return knowledge.Article{}, fault.Errorf(fault.Forbidden, "Themes are shared by staff who may see the IQA trends and write in the knowledge repository")
	}
	from, to := dateOnly(t.From), dateOnly(t.To)
	var v fault.Validation
	if !t.Activity.Valid() {
		v.Add("activity", "Choose an activity that is assessed: legal casework, legal advocacy or paralegal casework")
	} else if !asksQuestion(t.Activity, t.Question) {
		v.Add("question", fmt.Sprintf("%s asks no question %q", t.Activity.Label(), t.Question))
	}
	if to.Before(from) {
		v.Add("to", "Enter a date on or after the start")
	}
	if err := v.Err("The theme could not be shared"); err != nil {
		return knowledge.Article{}, err
	}
	all, err := db.assessmentsBetween(ctx, t.UnitID, from, to, true)
	if err != nil {
		return knowledge.Article{}, err
	}
	trends := quality.Trends(all)
	var theme *quality.QuestionTrend
	for i := range trends {
		if trends[i].Activity == t.Activity && trends[i].Question == t.Question {
			theme = &trends[i]
		}
	}
	if theme == nil {
		return knowledge.Article{}, &fault.Error{Code: fault.Invalid, Message: "The theme could not be shared",
			Fields: []fault.FieldError{{Field: "question", Message: "No IQA in the period answered this question"}}}
	}
	details := knowledge.ThemeDetails{Question: theme.Text, Activity: t.Activity.Label(), Scope: "the whole division",
		From: from.Format("2006-01-02"), To: to.Format("2006-01-02"), NotMet: theme.NotMet, Marks: theme.Marks}
	for _, q := range quality.QuarterCounts(all, t.Activity, t.Question) {
		details.Quarters = append(details.Quarters,
			fmt.Sprintf("%s: %.0f%% not met (%d of %d)", q.Quarter, 100*float64(q.NotMet)/float64(q.Marks), q.NotMet, q.Marks))
	}
	if t.UnitID != nil {
		units, err := db.Units(ctx)
		if err != nil {
			return knowledge.Article{}, err
		}
		for _, u := range units {
			if u.ID == *t.UnitID {
				details.UnitID, details.Scope = u.ID, u.Name
			}
		}
		if details.UnitID == 0 {
			return knowledge.Article{}, &fault.Error{Code: fault.Invalid, Message: "The theme could not be shared",
				Fields: []fault.FieldError{{Field: "unit", Message: "There is no such unit"}}}
		}
	} else if len(p.Units) > 0 {
		details.UnitID = p.Units[0]
	} else {
		return knowledge.Article{}, &fault.Error{Code: fault.Invalid, Message: "The theme could not be shared",
			Fields: []fault.FieldError{{Field: "unit", Message: "Choose the unit whose theme to share"}}}
	}
	a := knowledge.FromTheme(details)
	if err := db.CreateArticle(ctx, p, &a); err != nil {
		return knowledge.Article{}, err
	}
	return a, nil
}

func asksQuestion(a quality.Activity, code string) bool {
	for _, t := range quality.Templates {
		if _, ok := t.Question(code); ok && t.Activity == a {
			return true
		}
	}
	return false
}

package server

import (
	"fmt"
	"net/http"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/deadline"
	"caseboard/internal/knowledge"
	"caseboard/internal/quality"
	"caseboard/internal/risk"
	"caseboard/internal/store"
)

// workItem is a deadline as a work list shows it: the date, and in words
// how near it is, so colour is never the only signal.
type workItem struct {
	store.Deadline
	When    string
	Urgency string
}

func workItems(ds []store.Deadline, now time.Time) []workItem {
	out := make([]workItem, 0, len(ds))
	for _, d := range ds {
		days := int(d.Due.Sub(now).Hours() / 24)
		item := workItem{Deadline: d}
		switch {
		case days < 0:
			item.When, item.Urgency = fmt.Sprintf("Overdue by %d day%s", -days, plural(-days)), "overdue"
		case days == 0:
			item.When, item.Urgency = "Due today", "soon"
		case days <= 7:
			item.When, item.Urgency = fmt.Sprintf("Due in %d day%s", days, plural(days)), "soon"
		default:
			item.When = fmt.Sprintf("Due in %d days", days)
		}
		out = append(out, item)
	}
	return out
}

type workData struct {
	Mine      []workItem
	Team      []workItem
	Lead      bool // the person line-manages anyone
	Sensitive []casework.Case
	UnitHead  bool
	Risks     riskWorkPage
	// IQAsOverdue are the quality assessments the person owes their
	// reports whose period has ended.
	IQAsOverdue []quality.Obligation
	// ReviewsDue are the articles the person owns whose review falls due
	// within 30 days, or has passed.
	ReviewsDue []reviewDue
	// Questions are the specialists' questions allocated to the person
	// and not yet answered, soonest answer-by first.
	Questions []questionDue
}

// questionDue is a question to answer as a work list shows it.
type questionDue struct {
	knowledge.HelpRequest
	// When says how near the answer-by date is; Nearness is "overdue",
	// "soon" or empty (the request's own Urgency is how urgent it is).
	When, Nearness string
}

func questionsDue(hs []knowledge.HelpRequest, now time.Time) []questionDue {
	out := make([]questionDue, 0, len(hs))
	for _, h := range hs {
		w := workItems([]store.Deadline{{Due: h.AnswerBy}}, now)[0]
		out = append(out, questionDue{HelpRequest: h, When: w.When, Nearness: w.Urgency})
	}
	return out
}

// reviewDue is an article due for review as a work list shows it.
type reviewDue struct {
	store.ArticleHit
	Due     string
	When    string
	Overdue bool
}

func reviewsDue(hits []store.ArticleHit, today deadline.Date) []reviewDue {
	out := make([]reviewDue, 0, len(hits))
	for _, h := range hits {
		days := h.ReviewBy.Sub(today)
		item := reviewDue{ArticleHit: h, Due: longDate(h.ReviewBy), Overdue: days < 0}
		switch {
		case days < 0:
			item.When = fmt.Sprintf("Overdue by %d day%s", -days, plural(-days))
		case days == 0:
			item.When = "Due today"
		default:
			item.When = fmt.Sprintf("Due in %d day%s", days, plural(days))
		}
		out = append(out, item)
	}
	return out
}

// riskWorkPage is the risk part of the work list as the page shows it.
type riskWorkPage struct {
	riskWork
	Mine, Team []riskDueItem
}

// workPage is "my work": the person's running time limits, and their
// team's when they manage one, most urgent first.
func (s *Server) workPage(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	mine, err := s.db.Deadlines(r.Context(), p, []int64{p.PersonID}, 200)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	team, err := s.db.Deadlines(r.Context(), p, p.Reports, 200)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := today()
	data := workData{Mine: workItems(mine, now), Team: workItems(team, now), Lead: len(p.Reports) > 0,
		UnitHead: p.HasAny(access.UnitHead, access.HeadOfDivision)}
	if data.UnitHead {
		// High-profile cases reach the head of their unit the day they are
		// entered, not when the press calls (report 5.14-5.15).
		units, err := s.headedUnits(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if data.Sensitive, err = s.db.RecentSensitive(r.Context(), p, units, now.AddDate(0, 0, -14)); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	rw, err := s.riskWork(r, now)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data.Risks = riskWorkPage{riskWork: rw, Mine: riskDueItems(rw.Mine, now), Team: riskDueItems(rw.Team, now)}
	if data.IQAsOverdue, err = s.overdueIQAs(r); err != nil {
		s.fail(w, r, err)
		return
	}
	due, err := s.db.ArticlesDueForReview(r.Context(), p, p.PersonID, todayDate(), knowledge.DueSoonDays)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data.ReviewsDue = reviewsDue(due, todayDate())
	questions, err := s.db.QuestionsToAnswer(r.Context(), p, p.PersonID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data.Questions = questionsDue(questions, now)
	page := s.newPage(r, "My work", "/my-work")
	page.Data = data
	s.render(w, r, "my-work", page)
}

// workList is the API's form of a work list.
type workList struct {
	Mine []store.Deadline `json:"mine"`
	Team []store.Deadline `json:"team"`
	// Risks: reviews and counter-measures due within 14 days or overdue,
	// escalated risks of the people the caller manages, and acceptances
	// waiting for the caller's decision.
	Risks riskWork `json:"risks"`
	// ReviewsDue are the caller's articles due for review within 30 days
	// or overdue.
	ReviewsDue []store.ArticleHit `json:"reviews_due"`
	// HelpQuestions are the specialists' questions allocated to the caller
	// and not yet answered, soonest answer_by first.
	HelpQuestions []knowledge.HelpRequest `json:"help_questions"`
}

// riskWork is the risk register's part of a work list.
type riskWork struct {
	Mine      []store.RiskDue   `json:"mine"`
	Team      []store.RiskDue   `json:"team"`
	Escalated []risk.Risk       `json:"escalated"`
	Decisions []risk.Acceptance `json:"decisions"`
}

// riskDueItem is a review or counter-measure with how near it is in words.
type riskDueItem struct {
	store.RiskDue
	When, Urgency string
}

func riskDueItems(due []store.RiskDue, now time.Time) []riskDueItem {
	out := make([]riskDueItem, 0, len(due))
	for _, d := range due {
		w := workItems([]store.Deadline{{Due: d.Due}}, now)[0]
		out = append(out, riskDueItem{RiskDue: d, When: w.When, Urgency: w.Urgency})
	}
	return out
}

// riskReminderDays is how far ahead reviews and actions are shown: a
// reminder before they fall due, and every overdue one after.
const riskReminderDays = 14

func (s *Server) riskWork(r *http.Request, now time.Time) (riskWork, error) {
	p := principalOf(r)
	out := riskWork{Mine: []store.RiskDue{}, Team: []store.RiskDue{}, Escalated: []risk.Risk{}, Decisions: []risk.Acceptance{}}
	if !access.Allows(p, access.ReadRisks) {
		return out, nil
	}
	horizon := now.AddDate(0, 0, riskReminderDays)
	var err error
	if out.Mine, err = s.db.RiskWork(r.Context(), p, []int64{p.PersonID}, horizon, 200); err != nil {
		return out, err
	}
	if out.Team, err = s.db.RiskWork(r.Context(), p, p.Reports, horizon, 200); err != nil {
		return out, err
	}
	if len(p.Reports) > 0 {
		// The escalation rule tells the owner's manager: escalated risks
		// owned by anyone they manage reach their work list.
		page, err := s.db.Risks(r.Context(), p, store.RiskFilter{Owners: p.Reports, Escalated: true, Limit: 100})
		if err != nil {
			return out, err
		}
		out.Escalated = page.Risks
	}
	decisions, err := s.db.PendingAcceptances(r.Context(), p.PersonID)
	out.Decisions = decisions
	return out, err
}

func (s *Server) apiWork(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	mine, err := s.db.Deadlines(r.Context(), p, []int64{p.PersonID}, 500)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	team, err := s.db.Deadlines(r.Context(), p, p.Reports, 500)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	risks, err := s.riskWork(r, today())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	due, err := s.db.ArticlesDueForReview(r.Context(), p, p.PersonID, todayDate(), knowledge.DueSoonDays)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	questions, err := s.db.QuestionsToAnswer(r.Context(), p, p.PersonID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, workList{Mine: nonNil(mine), Team: nonNil(team), Risks: risks, ReviewsDue: nonNil(due), HelpQuestions: questions})
}

// headedUnits are the units whose sensitive cases reach the principal: all
// of them for the head of division, their own for a unit head.
func (s *Server) headedUnits(r *http.Request) ([]int64, error) {
	p := principalOf(r)
	if !p.Has(access.HeadOfDivision) {
		return p.Units, nil
	}
	units, err := s.db.Units(r.Context())
	ids := make([]int64, 0, len(units))
	for _, u := range units {
		ids = append(ids, u.ID)
	}
	return ids, err
}

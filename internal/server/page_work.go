package server

import (
	"fmt"
	"net/http"
	"time"

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
	Mine []workItem
	Team []workItem
	Lead bool // the person line-manages anyone
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
	page := s.newPage(r, "My work", "/my-work")
	page.Data = workData{Mine: workItems(mine, now), Team: workItems(team, now), Lead: len(p.Reports) > 0}
	s.render(w, r, "my-work", page)
}

// workList is the API's form of a work list.
type workList struct {
	Mine []store.Deadline `json:"mine"`
	Team []store.Deadline `json:"team"`
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
	writeJSON(w, http.StatusOK, workList{Mine: nonNil(mine), Team: nonNil(team)})
}

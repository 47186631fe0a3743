package server

import (
	"net/http"
	"net/url"

	"caseboard/internal/access"
	"caseboard/internal/knowledge"
)

// learningFromCase starts a de-brief summary or an adverse outcome article
// from a case page: the case's details fill it in, redacted when it is to
// be shared beyond the division, and its author finishes it as a draft.
func (s *Server) learningFromCase(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.caseDetail(r, caseID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm()
	kind := knowledge.Kind(r.PostFormValue("kind"))
	if kind != knowledge.AdverseOutcome {
		kind = knowledge.Debrief
	}
	sharing := knowledge.Sharing(r.PostFormValue("sharing"))
	if !sharing.Valid() || sharing == knowledge.Partners {
		// Partners are named on the article itself, by its author.
		sharing = knowledge.DivisionOnly
	}
	details := knowledge.CaseDetails{Reference: d.Case.Reference, Title: d.Case.Title, UnitID: d.Case.UnitID, Country: d.Case.Country,
		Outcome: "Status: " + string(d.Case.Status)}
	if details.Title == "" {
		details.Title = d.Case.Reference
	}
	for _, def := range d.Defendants {
		details.Names = append(details.Names, def.Name)
	}
	a := knowledge.FromCase(kind, sharing, details, r.PostFormValue("what_happened"))
	if err := s.db.CreateArticle(r.Context(), principalOf(r), &a); err != nil {
		s.afterCaseForm(w, r, caseID, "learning", err, "")
		return
	}
	http.Redirect(w, r, "/knowledge/"+itoa(a.ID)+"/edit?done="+url.QueryEscape("Draft started from the case"), http.StatusSeeOther)
}

func (s *Server) learningRoutes() []pageRoute {
	return []pageRoute{{"POST", "/cases/{id}/learning", access.WriteKnowledge, s.learningFromCase}}
}

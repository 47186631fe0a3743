package server

import (
	"net/http"
	"net/url"

	"caseboard/internal/access"
	"caseboard/internal/knowledge"
	"caseboard/internal/store"
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
	r.ParseForm()
	a, err := s.db.StartCaseLearning(r.Context(), principalOf(r), store.CaseLearning{CaseID: caseID,
		Kind: knowledge.Kind(r.PostFormValue("kind")), Sharing: knowledge.Sharing(r.PostFormValue("sharing")),
		WhatHappened: r.PostFormValue("what_happened")})
	if err != nil {
		s.afterCaseForm(w, r, caseID, "learning", err, "")
		return
	}
	http.Redirect(w, r, "/knowledge/"+itoa(a.ID)+"/edit?done="+url.QueryEscape("Draft started from the case"), http.StatusSeeOther)
}

func (s *Server) learningRoutes() []pageRoute {
	return []pageRoute{{"POST", "/cases/{id}/learning", access.WriteKnowledge, s.learningFromCase}}
}

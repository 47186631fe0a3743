package server

import (
	"net/http"

	"caseboard/internal/pack"
)

// The API of the Board's performance packs and the units' posters.

type commentaryInput struct {
	Commentary string `json:"commentary"`
}

type narrativeInput struct {
	Narrative string `json:"narrative"`
}

func (s *Server) apiPerformancePacks(w http.ResponseWriter, r *http.Request) {
	issued, err := s.db.PerformancePacks(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[pack.Issue]{Items: issued})
}

func (s *Server) apiPerformancePack(w http.ResponseWriter, r *http.Request) {
	quarter, err := pathQuarter(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	review, err := s.db.PerformancePack(r.Context(), principalOf(r), quarter)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, review)
}

func (s *Server) apiSetPackCommentary(w http.ResponseWriter, r *http.Request) {
	quarter, err := pathQuarter(r)
	var in commentaryInput
	if err == nil {
		err = decodeJSON(r, &in)
	}
	if err == nil {
		err = s.db.SetPackCommentary(r.Context(), principalOf(r), quarter, r.PathValue("measure"), in.Commentary)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiPerformancePack(w, r)
}

func (s *Server) apiIssuePerformancePack(w http.ResponseWriter, r *http.Request) {
	quarter, err := pathQuarter(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	review, err := s.db.IssuePerformancePack(r.Context(), principalOf(r), quarter)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, review)
}

func (s *Server) apiPerformancePoster(w http.ResponseWriter, r *http.Request) {
	quarter, err := pathQuarter(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	poster, err := s.db.PerformancePoster(r.Context(), principalOf(r), r.PathValue("unit"), quarter)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, poster)
}

func (s *Server) apiSetPosterNarrative(w http.ResponseWriter, r *http.Request) {
	quarter, err := pathQuarter(r)
	var in narrativeInput
	if err == nil {
		err = decodeJSON(r, &in)
	}
	if err == nil {
		err = s.db.SetPosterNarrative(r.Context(), principalOf(r), r.PathValue("unit"), quarter, in.Narrative)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiPerformancePoster(w, r)
}

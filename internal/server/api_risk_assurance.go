package server

import (
	"net/http"

	"caseboard/internal/risk"
)

// The API of quarterly assurance: snapshots of the register, unit heads'
// sign-offs and the divisional certificate.

type snapshotInput struct {
	Quarter string `json:"quarter"`
}

type signOffInput struct {
	UnitID   int64  `json:"unit_id"`
	Comments string `json:"comments"`
}

type certificateInput struct {
	Statement string `json:"statement"`
}

func (s *Server) apiSnapshots(w http.ResponseWriter, r *http.Request) {
	snapshots, err := s.db.Snapshots(r.Context(), principalOf(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[risk.Snapshot]{Items: nonNil(snapshots)})
}

func (s *Server) apiTakeSnapshot(w http.ResponseWriter, r *http.Request) {
	var in snapshotInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	snap, err := s.db.TakeSnapshot(r.Context(), principalOf(r), in.Quarter)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, snap)
}

func (s *Server) apiSnapshot(w http.ResponseWriter, r *http.Request) {
	snap, err := s.db.Snapshot(r.Context(), principalOf(r), r.PathValue("quarter"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, snap)
}

func (s *Server) apiSignOff(w http.ResponseWriter, r *http.Request) {
	var in signOffInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	so := risk.SignOff{UnitID: in.UnitID, Comments: in.Comments}
	if err := s.db.SignOffSnapshot(r.Context(), principalOf(r), r.PathValue("quarter"), &so); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, so)
}

func (s *Server) apiIssueCertificate(w http.ResponseWriter, r *http.Request) {
	var in certificateInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	c := risk.AssuranceCertificate{Statement: in.Statement}
	if err := s.db.IssueCertificate(r.Context(), principalOf(r), r.PathValue("quarter"), &c); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, c)
}

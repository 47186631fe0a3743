package server

import (
	"net/http"

	"caseboard/internal/casework"
	"caseboard/internal/store"
)

// The API of overseas posts' monthly returns.

func (s *Server) apiPostReturns(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	returns, err := s.db.PostReturns(r.Context(), store.PostReturnFilter{Location: q.Get("location"), From: q.Get("from"), To: q.Get("to"),
		Status: casework.ReturnStatus(q.Get("status"))})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[casework.PostReturn]{Items: nonNil(returns)})
}

func (s *Server) apiPostReturn(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	ret, err := s.db.PostReturn(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ret)
}

// postReturnInput is a return as a client sends one; a change sends the
// version it read.
type postReturnInput struct {
	LocationID           int64  `json:"location_id"`
	Month                string `json:"month"`
	Narrative            string `json:"narrative"`
	CaseworkInteractions int    `json:"casework_interactions"`
	TrainingDelivered    int    `json:"training_delivered"`
	CapacityBuilding     int    `json:"capacity_building"`
	Version              int64  `json:"version"`
}

func (s *Server) apiSavePostReturn(w http.ResponseWriter, r *http.Request) {
	var in postReturnInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	ret := casework.PostReturn{LocationID: in.LocationID, Month: in.Month, Narrative: in.Narrative, CaseworkInteractions: in.CaseworkInteractions,
		TrainingDelivered: in.TrainingDelivered, CapacityBuilding: in.CapacityBuilding, Version: in.Version}
	status := http.StatusCreated
	if r.PathValue("id") != "" {
		id, err := pathID(r, "id")
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		ret.ID, status = id, http.StatusOK
	}
	if err := s.db.SavePostReturn(r.Context(), principalOf(r), &ret); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.answerReturn(w, r, ret.ID, status)
}

type returnVersion struct {
	Version int64 `json:"version"`
}

func (s *Server) apiSubmitPostReturn(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in returnVersion
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.db.SubmitPostReturn(r.Context(), principalOf(r), id, in.Version); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.answerReturn(w, r, id, http.StatusOK)
}

type returnDecision struct {
	Validate bool   `json:"validate"`
	Reason   string `json:"reason"` // why it is sent back
}

func (s *Server) apiDecidePostReturn(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in returnDecision
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.db.DecidePostReturn(r.Context(), principalOf(r), id, in.Validate, in.Reason); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.answerReturn(w, r, id, http.StatusOK)
}

// answerReturn answers with the return as stored.
func (s *Server) answerReturn(w http.ResponseWriter, r *http.Request, id int64, status int) {
	ret, err := s.db.PostReturn(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, status, ret)
}

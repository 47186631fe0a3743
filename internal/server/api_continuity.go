package server

import (
	"net/http"

	"caseboard/internal/risk"
)

// The API of business continuity plans and their exercises.

func (s *Server) apiContinuityPlans(w http.ResponseWriter, r *http.Request) {
	plans, err := s.db.ContinuityPlans(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[risk.ContinuityPlan]{Items: nonNil(plans)})
}

// planDetail is a plan with its exercises, newest first.
type planDetail struct {
	Plan      risk.ContinuityPlan `json:"plan"`
	Exercises []risk.Exercise     `json:"exercises"`
}

func (s *Server) apiContinuityPlan(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	plan, exercises, err := s.db.ContinuityPlan(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, planDetail{Plan: plan, Exercises: nonNil(exercises)})
}

func (s *Server) apiCreateContinuityPlan(w http.ResponseWriter, r *http.Request) {
	var plan risk.ContinuityPlan
	if err := decodeJSON(r, &plan); err != nil {
		s.apiError(w, r, err)
		return
	}
	plan.ID, plan.Exercised = 0, nil
	if plan.OwnerID == 0 {
		plan.OwnerID = principalOf(r).PersonID
	}
	if err := s.db.SaveContinuityPlan(r.Context(), principalOf(r), &plan); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, plan)
}

func (s *Server) apiRecordExercise(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var e risk.Exercise
	if err := decodeJSON(r, &e); err != nil {
		s.apiError(w, r, err)
		return
	}
	e.ID, e.PlanID = 0, id
	if err := s.db.RecordExercise(r.Context(), principalOf(r), &e); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, e)
}

package server

import (
	"net/http"

	"caseboard/internal/casework"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
	"caseboard/internal/store"
)

// The API for a case's progress: its hearings, the court's directions and
// the state of its key documents. Each answers with the record as stored.

type hearingInput struct {
	Kind   casework.HearingKind `json:"kind"`
	Court  casework.Court       `json:"court"`
	Centre string               `json:"centre"`
	On     deadline.Date        `json:"on"`
	Note   string               `json:"note"`
}

func (s *Server) apiAddHearing(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in hearingInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	h := casework.Hearing{CaseID: caseID, Kind: in.Kind, Court: in.Court, Centre: in.Centre, On: in.On, Note: in.Note}
	if err := s.db.SaveHearing(r.Context(), principalOf(r), &h); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, h)
}

// directionInput is a direction as a client sends one. In a PATCH, fields
// left out keep their value; reopen clears the completion date.
type directionInput struct {
	HearingID   *int64          `json:"hearing_id"`
	Court       *casework.Court `json:"court"`
	Description *string         `json:"description"`
	Due         *deadline.Date  `json:"due"`
	CompletedOn *deadline.Date  `json:"completed_on"`
	Reopen      bool            `json:"reopen"`
}

func (s *Server) apiSaveDirection(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in directionInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	d := casework.Direction{CaseID: caseID}
	status := http.StatusCreated
	if r.PathValue("direction") != "" {
		if d, err = s.findDirection(r, caseID); err != nil {
			s.apiError(w, r, err)
			return
		}
		status = http.StatusOK
	}
	if in.HearingID != nil {
		d.HearingID = in.HearingID
	}
	setIf(&d.Court, in.Court)
	setIf(&d.Description, in.Description)
	setIf(&d.Due, in.Due)
	if in.CompletedOn != nil {
		d.CompletedOn = in.CompletedOn
	}
	if in.Reopen {
		d.CompletedOn = nil
	}
	if err := s.db.SaveDirection(r.Context(), principalOf(r), &d); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, status, d)
}

// findDirection reads the direction named in the path, of a case the
// principal may read: a case they may not see has no directions for them.
func (s *Server) findDirection(r *http.Request, caseID int64) (casework.Direction, error) {
	id, err := pathID(r, "direction")
	if err != nil {
		return casework.Direction{}, err
	}
	if _, err := s.db.Case(r.Context(), principalOf(r), caseID); err != nil {
		return casework.Direction{}, err
	}
	return s.db.Direction(r.Context(), caseID, id)
}

type documentInput struct {
	UpdatedOn *deadline.Date `json:"updated_on"`
	Note      string         `json:"note"`
}

func (s *Server) apiSaveKeyDocument(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in documentInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	k := casework.KeyDocument{CaseID: caseID, Kind: casework.DocumentKind(r.PathValue("kind")), UpdatedOn: in.UpdatedOn, Note: in.Note}
	if err := s.db.SaveKeyDocument(r.Context(), principalOf(r), &k); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, k)
}

// apiReportDirections is the timeliness of the court's directions, by
// court, for directions due in a period.
func (s *Server) apiReportDirections(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var v fault.Validation
	f := store.DirectionFilter{Unit: q.Get("unit")}
	if f.Unit != "" {
		if _, ok := casework.KindOfUnit(f.Unit); !ok {
			v.Add("unit", "Choose organised_crime or extradition, the units whose cases go to court")
		}
	}
	f.From, f.To = reportPeriod(&v, q)
	if err := v.Err("The report's period or filters are not right"); err != nil {
		s.apiError(w, r, err)
		return
	}
	counts, err := s.db.CountDirections(r.Context(), principalOf(r), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, measure.Directions(counts))
}

// caseReviewInput is a panel, review, handover, adverse outcome report or
// de-brief as a client sends one.
type caseReviewInput struct {
	Kind            casework.ReviewKind `json:"kind"`
	Held            deadline.Date       `json:"held"`
	Members         string              `json:"members"`
	Summary         string              `json:"summary"`
	Learning        string              `json:"learning"`
	ToLawyerID      *int64              `json:"to_lawyer_id"`
	ShareWithAgency bool                `json:"share_with_agency"`
	Actions         []reviewActionInput `json:"actions"`
}

type reviewActionInput struct {
	Description string        `json:"description"`
	OwnerID     *int64        `json:"owner_id"`
	Due         deadline.Date `json:"due"`
}

func (s *Server) apiAddCaseReview(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in caseReviewInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	review := casework.CaseReview{CaseID: caseID, Kind: in.Kind, Held: in.Held, Members: in.Members, Summary: in.Summary, Learning: in.Learning,
		ToLawyerID: in.ToLawyerID, ShareWithAgency: in.ShareWithAgency, Actions: []casework.ReviewAction{}}
	for _, a := range in.Actions {
		review.Actions = append(review.Actions, casework.ReviewAction{Description: a.Description, OwnerID: a.OwnerID, Due: a.Due})
	}
	if err := s.db.AddCaseReview(r.Context(), principalOf(r), &review); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, review)
}

type actionDone struct {
	DoneOn deadline.Date `json:"done_on"`
}

func (s *Server) apiCompleteAction(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	actionID, err := pathID(r, "action")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in actionDone
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.db.CompleteReviewAction(r.Context(), principalOf(r), caseID, actionID, in.DoneOn); err != nil {
		s.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

package server

import (
	"net/http"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/org"
	"caseboard/internal/quality"
	"caseboard/internal/store"
)

// assessmentInput is the body that records an IQA.
type assessmentInput struct {
	AssessedID      int64          `json:"assessed_id"`
	CaseID          int64          `json:"case_id"`
	Activity        string         `json:"activity"`
	TemplateVersion int            `json:"template_version,omitempty"` // default: the version in force on assessed_on
	AssessedOn      string         `json:"assessed_on,omitempty"`      // YYYY-MM-DD, default today
	Marks           []quality.Mark `json:"marks"`
	Feedback        string         `json:"feedback,omitempty"`
}

// remarkInput is the body of a blind re-mark.
type remarkInput struct {
	Marks    []quality.Mark `json:"marks"`
	Feedback string         `json:"feedback,omitempty"`
}

// assessmentDetail is an assessment with its earlier versions.
type assessmentDetail struct {
	Assessment quality.Assessment `json:"assessment"`
	Revisions  []quality.Revision `json:"revisions"`
}

// completionReport is IQA completion for a period, grouped.
type completionReport struct {
	From   string               `json:"from"`
	To     string               `json:"to"`
	By     string               `json:"by"`
	Groups []quality.Completion `json:"groups"`
}

// calibrationReport is a unit's calibration for a period.
type calibrationReport struct {
	Unit      string                        `json:"unit"`
	From      string                        `json:"from"`
	To        string                        `json:"to"`
	Alpha     float64                       `json:"alpha"`
	Assessors []quality.AssessorCalibration `json:"assessors"`
}

// trendsReport ranks the questions most often not met.
type trendsReport struct {
	Unit      string                  `json:"unit"` // empty for the division
	From      string                  `json:"from"`
	To        string                  `json:"to"`
	Questions []quality.QuestionTrend `json:"questions"`
}

// dipSampleInput asks for a dip sample of a unit's IQAs.
type dipSampleInput struct {
	Unit       string `json:"unit"`
	From       string `json:"from"`
	To         string `json:"to"`
	Size       int    `json:"size"`
	Seed       *int64 `json:"seed,omitempty"` // default: drawn from the clock, and recorded
	RemarkerID int64  `json:"remarker_id,omitempty"`
}

// period reads from and to (YYYY-MM-DD); the default is the twelve months
// to today.
func period(r *http.Request) (time.Time, time.Time, error) {
	var v fault.Validation
	to := parseOptionalDay(&v, "to", r.URL.Query().Get("to"), today())
	from := parseOptionalDay(&v, "from", r.URL.Query().Get("from"), to.AddDate(-1, 0, 1))
	if err := v.Err("The period is not a pair of dates"); err != nil {
		return from, to, err
	}
	if to.Before(from) {
		return from, to, &fault.Error{Code: fault.Invalid, Message: "The period ends before it starts",
			Fields: []fault.FieldError{{Field: "to", Message: "Enter a date on or after the start"}}}
	}
	return from, to, nil
}

func parseOptionalDay(v *fault.Validation, field, raw string, fallback time.Time) time.Time {
	if strings.TrimSpace(raw) == "" {
		return fallback
	}
	day, err := time.Parse("2006-01-02", strings.TrimSpace(raw))
	if err != nil {
		v.Add(field, "Enter the date as YYYY-MM-DD, for example 2026-03-31")
	}
	return day
}

// unitByCode finds a unit by its code; an empty code is no unit.
func (s *Server) unitByCode(r *http.Request, code string) (*org.Unit, error) {
	if code == "" {
		return nil, nil
	}
	units, err := s.db.Units(r.Context())
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		if u.Code == code {
			return &u, nil
		}
	}
	return nil, &fault.Error{Code: fault.Invalid, Message: "There is no such unit",
		Fields: []fault.FieldError{{Field: "unit", Message: "Choose a unit by its code, for example extradition"}}}
}

func (s *Server) apiQualityTemplates(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, list[quality.Template]{Items: quality.Templates})
}

func (s *Server) apiMyAssessments(w http.ResponseWriter, r *http.Request) {
	limit, err := queryLimit(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	l, err := s.db.MyAssessments(r.Context(), principalOf(r), limit)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	l.Given, l.Received, l.ToRemark = nonNil(l.Given), nonNil(l.Received), nonNil(l.ToRemark)
	writeJSON(w, http.StatusOK, l)
}

func (s *Server) apiCreateAssessment(w http.ResponseWriter, r *http.Request) {
	var in assessmentInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	var v fault.Validation
	a := quality.Assessment{AssessedID: in.AssessedID, CaseID: in.CaseID, Activity: quality.Activity(in.Activity),
		TemplateVersion: in.TemplateVersion, Marks: in.Marks, Feedback: in.Feedback,
		AssessedOn: parseOptionalDay(&v, "assessed_on", in.AssessedOn, today())}
	err := v.Err("The assessment could not be saved")
	if err == nil {
		err = s.db.CreateAssessment(r.Context(), principalOf(r), &a)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

func (s *Server) apiAssessment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	a, revisions, err := s.db.Assessment(r.Context(), principalOf(r), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, assessmentDetail{Assessment: a, Revisions: nonNil(revisions)})
}

func (s *Server) apiReviseAssessment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var ch store.AssessmentChange
	if err := decodeJSON(r, &ch); err != nil {
		s.apiError(w, r, err)
		return
	}
	a, err := s.db.ReviseAssessment(r.Context(), principalOf(r), id, ch)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) apiAcknowledgeAssessment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	a, err := s.db.AcknowledgeAssessment(r.Context(), principalOf(r), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

func (s *Server) apiRemark(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in remarkInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	remark := quality.Assessment{Marks: in.Marks, Feedback: in.Feedback}
	if err := s.db.CreateRemark(r.Context(), principalOf(r), id, &remark); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, remark)
}

// completion computes IQA completion over a period, grouped by unit,
// team or the whole division. It names no person.
func (s *Server) completion(r *http.Request) (completionReport, error) {
	from, to, err := period(r)
	if err != nil {
		return completionReport{}, err
	}
	by := r.URL.Query().Get("by")
	if by == "" {
		by = "unit"
	}
	obligations, err := s.db.QualityObligations(r.Context(), from, to)
	if err != nil {
		return completionReport{}, err
	}
	units, err := s.db.Units(r.Context())
	if err != nil {
		return completionReport{}, err
	}
	teams, err := s.db.Teams(r.Context())
	if err != nil {
		return completionReport{}, err
	}
	unitNames, teamNames := map[int64]org.Unit{}, map[int64]string{}
	for _, u := range units {
		unitNames[u.ID] = u
	}
	for _, t := range teams {
		teamNames[t.ID] = t.Name + " (" + unitNames[t.UnitID].Name + ")"
	}
	var group func(quality.Obligation) (string, string)
	switch by {
	case "division":
		group = func(quality.Obligation) (string, string) { return "division", "Division" }
	case "unit":
		group = func(o quality.Obligation) (string, string) { return unitNames[o.UnitID].Code, unitNames[o.UnitID].Name }
	case "team":
		group = func(o quality.Obligation) (string, string) {
			if o.TeamID == nil {
				return unitNames[o.UnitID].Code + "/none", unitNames[o.UnitID].Name + ": not in a team"
			}
			return unitNames[o.UnitID].Code + "/" + itoa(*o.TeamID), teamNames[*o.TeamID]
		}
	default:
		return completionReport{}, &fault.Error{Code: fault.Invalid, Message: "Completion is grouped by division, unit or team",
			Fields: []fault.FieldError{{Field: "by", Message: "Choose division, unit or team"}}}
	}
	return completionReport{From: from.Format("2006-01-02"), To: to.Format("2006-01-02"), By: by,
		Groups: quality.Summarise(obligations, today(), group)}, nil
}

func (s *Server) apiQualityCompletion(w http.ResponseWriter, r *http.Request) {
	rep, err := s.completion(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// myObligations are the IQAs the principal owes the people they manage,
// for the current period and the year before.
func (s *Server) myObligations(r *http.Request) ([]quality.Obligation, error) {
	p := principalOf(r)
	if len(p.Reports) == 0 {
		return nil, nil
	}
	now := today()
	return s.db.ObligationsOf(r.Context(), p.PersonID, now.AddDate(-1, 0, 0), now)
}

func (s *Server) apiMyObligations(w http.ResponseWriter, r *http.Request) {
	mine, err := s.myObligations(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[quality.Obligation]{Items: nonNil(mine)})
}

func (s *Server) calibration(r *http.Request) (calibrationReport, error) {
	from, to, err := period(r)
	if err != nil {
		return calibrationReport{}, err
	}
	unit, err := s.calibrationUnit(r)
	if err != nil {
		return calibrationReport{}, err
	}
	assessors, err := s.db.Calibration(r.Context(), principalOf(r), unit.ID, from, to)
	if err != nil {
		return calibrationReport{}, err
	}
	return calibrationReport{Unit: unit.Code, From: from.Format("2006-01-02"), To: to.Format("2006-01-02"),
		Alpha: quality.Alpha, Assessors: nonNil(assessors)}, nil
}

// calibrationUnit is the unit asked for, or the principal's own.
func (s *Server) calibrationUnit(r *http.Request) (org.Unit, error) {
	code := r.URL.Query().Get("unit")
	if code == "" {
		units, err := s.db.Units(r.Context())
		if err != nil {
			return org.Unit{}, err
		}
		for _, u := range units {
			if access.CanCalibrate(principalOf(r), u.ID) {
				return u, nil
			}
		}
		return org.Unit{}, fault.Errorf(fault.Forbidden, "You head no unit whose calibration you may see")
	}
	u, err := s.unitByCode(r, code)
	if err != nil {
		return org.Unit{}, err
	}
	return *u, nil
}

func (s *Server) apiCalibration(w http.ResponseWriter, r *http.Request) {
	rep, err := s.calibration(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

func (s *Server) apiDrawDipSample(w http.ResponseWriter, r *http.Request) {
	var in dipSampleInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	sample, err := s.drawDipSample(r, in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, sample)
}

func (s *Server) drawDipSample(r *http.Request, in dipSampleInput) (store.DipSample, error) {
	var v fault.Validation
	from := parseOptionalDay(&v, "from", in.From, time.Time{})
	to := parseOptionalDay(&v, "to", in.To, time.Time{})
	if err := v.Err("The dip sample could not be drawn"); err != nil {
		return store.DipSample{}, err
	}
	unit, err := s.unitByCode(r, in.Unit)
	if err != nil {
		return store.DipSample{}, err
	}
	if unit == nil {
		return store.DipSample{}, &fault.Error{Code: fault.Invalid, Message: "Choose the unit to sample",
			Fields: []fault.FieldError{{Field: "unit", Message: "Choose the unit to sample"}}}
	}
	seed := time.Now().UnixNano() % 1_000_000_000
	if in.Seed != nil {
		seed = *in.Seed
	}
	sample := store.DipSample{UnitID: unit.ID, From: from, To: to, Size: in.Size, Seed: seed, RemarkerID: in.RemarkerID}
	err = s.db.DrawDipSample(r.Context(), principalOf(r), &sample)
	return sample, err
}

func (s *Server) trends(r *http.Request) (trendsReport, error) {
	from, to, err := period(r)
	if err != nil {
		return trendsReport{}, err
	}
	unit, err := s.unitByCode(r, r.URL.Query().Get("unit"))
	if err != nil {
		return trendsReport{}, err
	}
	rep := trendsReport{From: from.Format("2006-01-02"), To: to.Format("2006-01-02")}
	var unitID *int64
	if unit != nil {
		unitID, rep.Unit = &unit.ID, unit.Code
	}
	rep.Questions, err = s.db.QualityTrends(r.Context(), unitID, from, to)
	rep.Questions = nonNil(rep.Questions)
	return rep, err
}

func (s *Server) apiQualityTrends(w http.ResponseWriter, r *http.Request) {
	rep, err := s.trends(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

func (s *Server) apiQualityRules(w http.ResponseWriter, r *http.Request) {
	rules, err := s.db.QualityRules(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[quality.Rule]{Items: nonNil(rules)})
}

func (s *Server) apiSetQualityRule(w http.ResponseWriter, r *http.Request) {
	var rule quality.Rule
	if err := decodeJSON(r, &rule); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.db.SetQualityRule(r.Context(), principalOf(r), rule); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rule)
}

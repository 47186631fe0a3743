package server

import (
	"io"
	"net/http"
	"strings"
	"time"

	"caseboard/internal/fault"
	"caseboard/internal/plan"
	"caseboard/internal/store"
)

// The JSON API of inspections, findings and action plans. Dates travel as
// YYYY-MM-DD strings, as everywhere in the API.

// inspectionDetail is an inspection with its findings.
type inspectionDetail struct {
	Inspection plan.Inspection `json:"inspection"`
	Findings   []plan.Finding  `json:"findings"`
}

type inspectionInput struct {
	Body          string `json:"body"`
	Title         string `json:"title"`
	Type          string `json:"type"`
	Reference     string `json:"reference"`
	Organisation  string `json:"organisation"`
	PublishedOn   string `json:"published_on"`
	FieldworkFrom string `json:"fieldwork_from"`
	FieldworkTo   string `json:"fieldwork_to"`
	FrameworkID   *int64 `json:"framework_id"`
	Summary       string `json:"summary"`
}

func (in inspectionInput) inspection() (plan.Inspection, error) {
	var v fault.Validation
	out := plan.Inspection{Body: in.Body, Title: in.Title, Type: in.Type, Reference: in.Reference, Organisation: in.Organisation,
		FrameworkID: in.FrameworkID, Summary: in.Summary}
	out.PublishedOn = optionalDay(&v, "published_on", in.PublishedOn)
	if d := optionalDay(&v, "fieldwork_from", in.FieldworkFrom); !d.IsZero() {
		out.FieldworkFrom = &d
	}
	if d := optionalDay(&v, "fieldwork_to", in.FieldworkTo); !d.IsZero() {
		out.FieldworkTo = &d
	}
	return out, v.Err("The inspection could not be saved")
}

// optionalDay reads a YYYY-MM-DD date; "" is the zero time, which the
// domain's rules refuse where a date is required.
func optionalDay(v *fault.Validation, field, s string) time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}
	}
	return parseDay(v, field, s)
}

type findingInput struct {
	Kind      plan.Kind     `json:"kind"`
	Number    int           `json:"number"`
	Text      string        `json:"text"`
	Paragraph string        `json:"paragraph"`
	Criteria  []string      `json:"criteria"`
	OwnerID   *int64        `json:"owner_id"`
	Response  *responseBody `json:"response"`
}

type responseBody struct {
	Decision plan.Decision `json:"decision"`
	Text     string        `json:"text"`
	On       string        `json:"on"`
}

func (r responseBody) response() (plan.Response, error) {
	var v fault.Validation
	out := plan.Response{Decision: r.Decision, Text: r.Text, On: optionalDay(&v, "on", r.On)}
	return out, v.Err("The response could not be recorded")
}

type closureInput struct {
	Status plan.Status `json:"status"`
	On     string      `json:"on"`
	Note   string      `json:"note"`
}

type actionInput struct {
	Title   string `json:"title"`
	Detail  string `json:"detail"`
	OwnerID int64  `json:"owner_id"`
	DueOn   string `json:"due_on"`
}

type updateInput struct {
	Status     plan.ActionStatus `json:"status"`
	Commentary string            `json:"commentary"`
}

type targetInput struct {
	To           string `json:"to"`
	Reason       string `json:"reason"`
	ApprovedByID int64  `json:"approved_by_id"`
}

type milestoneInput struct {
	Title  string `json:"title"`
	DueOn  string `json:"due_on"`
	DoneOn string `json:"done_on"`
}

type evidenceInput struct {
	Kind plan.EvidenceKind `json:"kind"`
	Ref  string            `json:"ref"`
	Note string            `json:"note"`
}

type actionCloseInput struct {
	On   string `json:"on"`
	Note string `json:"note"`
}

func (s *Server) apiFrameworks(w http.ResponseWriter, r *http.Request) {
	fws, err := s.db.Frameworks(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[plan.Framework]{Items: nonNil(fws)})
}

func (s *Server) apiFramework(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var f plan.Framework
		if f, err = s.db.Framework(r.Context(), id); err == nil {
			writeJSON(w, http.StatusOK, f)
			return
		}
	}
	s.apiError(w, r, err)
}

// apiImportFramework loads a framework sent as the body: JSON, or CSV
// with the code and title in the query.
func (s *Server) apiImportFramework(w http.ResponseWriter, r *http.Request) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		s.apiError(w, r, bodyError(err))
		return
	}
	format := plan.JSON
	if strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
		format = plan.CSV
	}
	q := r.URL.Query()
	f, err := plan.ParseFramework(data, format, plan.ParseOptions{Code: q.Get("code"), Title: q.Get("title"), Body: q.Get("body")})
	if err == nil {
		err = s.db.ImportFramework(r.Context(), principalOf(r), &f)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, f)
}

func (s *Server) apiInspections(w http.ResponseWriter, r *http.Request) {
	ins, err := s.db.Inspections(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[plan.Inspection]{Items: nonNil(ins)})
}

func (s *Server) apiCreateInspection(w http.ResponseWriter, r *http.Request) {
	var in inspectionInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	ins, err := in.inspection()
	if err == nil {
		err = s.db.CreateInspection(r.Context(), principalOf(r), &ins)
	}
	if err == nil {
		ins, err = s.db.Inspection(r.Context(), ins.ID)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, ins)
}

func (s *Server) inspectionDetail(r *http.Request) (inspectionDetail, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return inspectionDetail{}, err
	}
	in, err := s.db.Inspection(r.Context(), id)
	if err != nil {
		return inspectionDetail{}, err
	}
	fs, err := s.db.Findings(r.Context(), id)
	return inspectionDetail{Inspection: in, Findings: nonNil(fs)}, err
}

func (s *Server) apiInspection(w http.ResponseWriter, r *http.Request) {
	d, err := s.inspectionDetail(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) apiAddFinding(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in findingInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	f := plan.Finding{InspectionID: id, Kind: in.Kind, Number: in.Number, Text: in.Text, Paragraph: in.Paragraph, Criteria: in.Criteria, OwnerID: in.OwnerID}
	if in.Response != nil {
		resp, err := in.Response.response()
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		f.Response = &resp
	}
	if err := s.db.AddFinding(r.Context(), principalOf(r), &f); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeFinding(w, r, http.StatusCreated, f.ID)
}

func (s *Server) writeFinding(w http.ResponseWriter, r *http.Request, status int, id int64) {
	fp, err := s.db.Plan(r.Context(), id, today())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, status, fp)
}

func (s *Server) apiFinding(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeFinding(w, r, http.StatusOK, id)
}

func (s *Server) apiRecordResponse(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	var in responseBody
	if err == nil {
		err = decodeJSON(r, &in)
	}
	var resp plan.Response
	if err == nil {
		resp, err = in.response()
	}
	if err == nil {
		err = s.db.RecordResponse(r.Context(), principalOf(r), id, resp)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeFinding(w, r, http.StatusOK, id)
}

func (s *Server) apiCloseFinding(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	var in closureInput
	if err == nil {
		err = decodeJSON(r, &in)
	}
	if err == nil {
		var v fault.Validation
		c := plan.Closure{Status: in.Status, Note: in.Note, On: optionalDay(&v, "on", in.On)}
		if err = v.Err("It could not be closed"); err == nil {
			err = s.db.CloseFinding(r.Context(), principalOf(r), id, c)
		}
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeFinding(w, r, http.StatusOK, id)
}

func (s *Server) apiAddAction(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	var in actionInput
	if err == nil {
		err = decodeJSON(r, &in)
	}
	var a plan.Action
	if err == nil {
		var v fault.Validation
		a = plan.Action{FindingID: id, Title: in.Title, Detail: in.Detail, OwnerID: in.OwnerID, DueOn: optionalDay(&v, "due_on", in.DueOn)}
		if err = v.Err("The action could not be added"); err == nil {
			err = s.db.AddAction(r.Context(), principalOf(r), &a)
		}
	}
	if err == nil {
		a, err = s.db.Action(r.Context(), a.ID)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	a.Compute(today())
	writeJSON(w, http.StatusCreated, a)
}

// actionWrite runs one write on the action named in the path with a
// decoded body, then answers with the action's plan.
func actionWrite[T any](s *Server, status int, write func(r *http.Request, actionID int64, in T) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		var in T
		if err == nil {
			err = decodeJSON(r, &in)
		}
		if err == nil {
			err = write(r, id, in)
		}
		var a plan.Action
		if err == nil {
			a, err = s.db.Action(r.Context(), id)
		}
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		fp, err := s.db.Plan(r.Context(), a.FindingID, today())
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		for _, ap := range fp.Actions {
			if ap.ID == id {
				writeJSON(w, status, ap)
				return
			}
		}
		s.apiError(w, r, fault.Errorf(fault.NotFound, "There is no action %d", id))
	}
}

func (s *Server) apiRecordUpdate(r *http.Request, id int64, in updateInput) error {
	u := plan.Update{Status: in.Status, Commentary: in.Commentary}
	return s.db.RecordUpdate(r.Context(), principalOf(r), id, &u)
}

func (s *Server) apiChangeTarget(r *http.Request, id int64, in targetInput) error {
	var v fault.Validation
	c := plan.TargetChange{To: optionalDay(&v, "to", in.To), Reason: in.Reason, ApprovedByID: in.ApprovedByID}
	if err := v.Err("The target date could not be changed"); err != nil {
		return err
	}
	return s.db.ChangeTarget(r.Context(), principalOf(r), id, &c)
}

func (s *Server) apiAddMilestone(r *http.Request, id int64, in milestoneInput) error {
	var v fault.Validation
	m := plan.Milestone{ActionID: id, Title: in.Title, DueOn: optionalDay(&v, "due_on", in.DueOn)}
	if d := optionalDay(&v, "done_on", in.DoneOn); !d.IsZero() {
		m.DoneOn = &d
	}
	if err := v.Err("The milestone could not be saved"); err != nil {
		return err
	}
	return s.db.AddMilestone(r.Context(), principalOf(r), &m)
}

func (s *Server) apiAddEvidence(r *http.Request, id int64, in evidenceInput) error {
	e := plan.Evidence{ActionID: id, Kind: in.Kind, Ref: in.Ref, Note: in.Note}
	return s.db.AddEvidence(r.Context(), principalOf(r), &e)
}

func (s *Server) apiCloseAction(r *http.Request, id int64, in actionCloseInput) error {
	var v fault.Validation
	c := plan.ActionClosure{On: optionalDay(&v, "on", in.On), Note: in.Note}
	if err := v.Err("The action could not be closed"); err != nil {
		return err
	}
	return s.db.CloseAction(r.Context(), principalOf(r), id, c)
}

func (s *Server) apiBoard(w http.ResponseWriter, r *http.Request) {
	b, err := s.db.Board(r.Context(), today())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, b)
}

func (s *Server) apiChecks(w http.ResponseWriter, r *http.Request) {
	st, err := s.db.CheckStatuses(r.Context(), 30)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[plan.CheckStatus]{Items: st})
}

func (s *Server) apiRunChecks(w http.ResponseWriter, r *http.Request) {
	results, err := s.db.EvaluateChecks(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[plan.Result]{Items: results})
}

type criterionAssessmentInput struct {
	Rating     plan.Rating `json:"rating"`
	Commentary string      `json:"commentary"`
}

func (s *Server) apiReadiness(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		var rd store.Readiness
		if rd, err = s.db.Readiness(r.Context(), id, today()); err == nil {
			writeJSON(w, http.StatusOK, rd)
			return
		}
	}
	s.apiError(w, r, err)
}

func (s *Server) apiSaveAssessment(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	var in criterionAssessmentInput
	if err == nil {
		err = decodeJSON(r, &in)
	}
	a := plan.Assessment{FrameworkID: id, Criterion: r.PathValue("criterion"), Rating: in.Rating, Commentary: in.Commentary}
	if err == nil {
		err = s.db.SaveAssessment(r.Context(), principalOf(r), &a)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, a)
}

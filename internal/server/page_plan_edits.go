package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"caseboard/internal/fault"
	"caseboard/internal/plan"
)

// Corrections to what was recorded of an inspection: its details, a
// finding's words, and the reopening of a closed finding. The pages and
// the API share the store's rules; the audit trail keeps each before and
// after.

type findingEditInput struct {
	Number    int      `json:"number"`
	Text      string   `json:"text"`
	Paragraph string   `json:"paragraph"`
	Criteria  []string `json:"criteria"`
}

type reopenInput struct {
	Reason string `json:"reason"`
}

func (s *Server) apiUpdateInspection(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	var in inspectionInput
	if err == nil {
		err = decodeJSON(r, &in)
	}
	var ins plan.Inspection
	if err == nil {
		ins, err = in.inspection()
	}
	if err == nil {
		ins.ID = id
		err = s.db.UpdateInspection(r.Context(), principalOf(r), &ins)
	}
	if err == nil {
		ins, err = s.db.Inspection(r.Context(), id)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ins)
}

func (s *Server) apiEditFinding(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	var in findingEditInput
	if err == nil {
		err = decodeJSON(r, &in)
	}
	if err == nil {
		err = s.db.EditFinding(r.Context(), principalOf(r), plan.Finding{ID: id, Number: in.Number, Text: in.Text, Paragraph: in.Paragraph, Criteria: in.Criteria})
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeFinding(w, r, http.StatusOK, id)
}

func (s *Server) apiReopenFinding(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	var in reopenInput
	if err == nil {
		err = decodeJSON(r, &in)
	}
	if err == nil {
		err = s.db.ReopenFinding(r.Context(), principalOf(r), id, in.Reason)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeFinding(w, r, http.StatusOK, id)
}

// editInspectionPage shows the inspection's details in the form that
// records one, to correct them.
func (s *Server) editInspectionPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := s.db.Inspection(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := url.Values{"body": {in.Body}, "title": {in.Title}, "type": {in.Type}, "reference": {in.Reference}, "organisation": {in.Organisation},
		"published_on": {in.PublishedOn.Format("2006-01-02")}, "summary": {in.Summary}}
	if in.FieldworkFrom != nil {
		form.Set("fieldwork_from", in.FieldworkFrom.Format("2006-01-02"))
	}
	if in.FieldworkTo != nil {
		form.Set("fieldwork_to", in.FieldworkTo.Format("2006-01-02"))
	}
	if in.FrameworkID != nil {
		form.Set("framework_id", itoa(*in.FrameworkID))
	}
	s.renderInspectionForm(w, r, http.StatusOK, form, nil, &in)
}

func (s *Server) updateInspectionForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	before, err := s.db.Inspection(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.PostFormValue("title") // parses the form
	in := inspectionFormInput(r.PostForm)
	ins, err := in.inspection()
	if err == nil {
		ins.ID = id
		err = s.db.UpdateInspection(r.Context(), principalOf(r), &ins)
	}
	if err == nil {
		http.Redirect(w, r, "/plans/inspections/"+itoa(id)+"?done="+url.QueryEscape("Inspection details saved"), http.StatusSeeOther)
		return
	}
	fe := fault.As(err)
	if fe == nil || fe.Code == fault.Internal || fe.Code == fault.Unavailable || fe.Code == fault.NotFound {
		s.fail(w, r, err)
		return
	}
	s.renderInspectionForm(w, r, statusFor(fe), r.PostForm, fe, &before)
}

// inspectionFormInput reads the fields of the inspection form; a framework
// left at None is no framework.
func inspectionFormInput(f url.Values) inspectionInput {
	in := inspectionInput{Body: f.Get("body"), Title: f.Get("title"), Type: f.Get("type"), Reference: f.Get("reference"),
		Organisation: f.Get("organisation"), PublishedOn: f.Get("published_on"), FieldworkFrom: f.Get("fieldwork_from"),
		FieldworkTo: f.Get("fieldwork_to"), Summary: f.Get("summary")}
	if raw := f.Get("framework_id"); raw != "" {
		if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
			in.FrameworkID = &id
		}
	}
	return in
}

// editFindingForm corrects a finding's number, paragraph, text and
// criteria from its page. The form's fields carry an edit- prefix, so
// that they and their errors do not collide with the response form's.
func (s *Server) editFindingForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var v fault.Validation
	number, convErr := strconv.Atoi(strings.TrimSpace(r.PostFormValue("edit-number")))
	if convErr != nil {
		v.Add("number", "Enter the number the report gives it, from 1")
	}
	err = v.Err("The finding could not be saved")
	if err == nil {
		err = s.db.EditFinding(r.Context(), principalOf(r), plan.Finding{ID: id, Number: number, Text: r.PostFormValue("edit-text"),
			Paragraph: r.PostFormValue("edit-paragraph"), Criteria: criteriaField(r.PostFormValue("edit-criteria"))})
	}
	err = fault.RenameFields(err, func(field string) string { return "edit-" + field })
	s.afterPlanForm(w, r, id, "edit", 0, err, "Corrected")
}

func (s *Server) reopenFindingForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	err = s.db.ReopenFinding(r.Context(), principalOf(r), id, r.PostFormValue("reopen-reason"))
	err = fault.RenameFields(err, func(field string) string { return "reopen-" + field })
	s.afterPlanForm(w, r, id, "reopen", 0, err, "Reopened")
}

// criteriaField reads criterion ids typed with commas, semicolons or
// spaces between them.
func criteriaField(s string) []string {
	return strings.FieldsFunc(s, func(c rune) bool { return c == ',' || c == ' ' || c == ';' })
}

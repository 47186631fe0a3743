package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/fault"
)

type editCaseData struct {
	Case     casework.Case
	Form     url.Values
	Statuses []casework.Status
}

func (s *Server) editCasePage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.db.Case(r.Context(), principalOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := url.Values{"title": {c.Title}, "status": {string(c.Status)}, "sensitivity": {string(c.Sensitivity)},
		"agency": {c.Agency}, "counsel": {c.Counsel}, "court_centre": {c.CourtCentre}, "country": {c.Country},
		"sensitive_reason": {c.SensitiveReason}, "version": {strconv.FormatInt(c.Version, 10)}}
	s.renderEditCase(w, r, http.StatusOK, c, form, nil)
}

func (s *Server) renderEditCase(w http.ResponseWriter, r *http.Request, status int, c casework.Case, form url.Values, formErr *fault.Error) {
	p := s.newPage(r, "Change "+c.Reference, "/cases")
	p.Breadcrumbs = []link{{"Cases", "/cases"}, {c.Reference, "/cases/" + itoa(c.ID)}}
	p.Errors = formErr
	p.Data = editCaseData{Case: c, Form: form, Statuses: casework.Statuses[c.Kind]}
	s.renderStatus(w, r, status, "case-edit", p)
}

// updateCaseForm saves the edit form. The version the form was read at
// goes back with it: if someone saved the case since, the change is
// refused with their changes left intact, never silently overwritten.
func (s *Server) updateCaseForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := principalOf(r)
	c, err := s.db.Case(r.Context(), p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := r.PostForm
	c.Title, c.Status = strings.TrimSpace(form.Get("title")), casework.Status(form.Get("status"))
	c.Sensitivity = access.Sensitivity(form.Get("sensitivity"))
	c.Agency, c.Counsel, c.CourtCentre = strings.TrimSpace(form.Get("agency")), strings.TrimSpace(form.Get("counsel")), strings.TrimSpace(form.Get("court_centre"))
	c.Country = strings.ToUpper(strings.TrimSpace(form.Get("country")))
	c.SensitiveReason = strings.TrimSpace(form.Get("sensitive_reason"))
	c.Version, _ = strconv.ParseInt(form.Get("version"), 10, 64)
	if err := s.db.UpdateCase(r.Context(), p, &c); err != nil {
		fe := fault.As(err)
		if fe == nil || fe.Code == fault.Internal || fe.Code == fault.Unavailable || fe.Code == fault.NotFound {
			s.fail(w, r, err)
			return
		}
		s.renderEditCase(w, r, statusFor(fe), c, form, fe)
		return
	}
	http.Redirect(w, r, "/cases/"+itoa(id)+"?done="+url.QueryEscape("Case saved"), http.StatusSeeOther)
}

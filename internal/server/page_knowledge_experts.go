package server

import (
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
	"caseboard/internal/org"
)

// The national leads and specialisms directory: a page for staff, and the
// API through which administrators keep it.

type expertsData struct {
	Subjects, Countries []knowledge.Specialism
	// CanEdit: the reader keeps the directory (an administrator).
	CanEdit bool
}

func (s *Server) expertsPage(w http.ResponseWriter, r *http.Request) {
	all, err := s.db.Specialisms(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := expertsData{CanEdit: access.Allows(principalOf(r), access.ManageOrganisation)}
	for _, sp := range all {
		if sp.Country == "" {
			d.Subjects = append(d.Subjects, sp)
		} else {
			d.Countries = append(d.Countries, sp)
		}
	}
	pg := s.newPage(r, "National leads and specialisms", "/knowledge")
	pg.Breadcrumbs = []link{{"Knowledge", "/knowledge"}}
	pg.Notice = r.URL.Query().Get("done")
	pg.Data = d
	s.render(w, r, "knowledge-experts", pg)
}

// specialismFormData is the directory entry form: a new entry, or one
// being changed (its code then fixed).
type specialismFormData struct {
	Editing bool
	Form    url.Values
	People  []org.Person
}

func (s *Server) newSpecialismPage(w http.ResponseWriter, r *http.Request) {
	s.renderSpecialismForm(w, r, http.StatusOK, false, url.Values{}, nil)
}

func (s *Server) editSpecialismPage(w http.ResponseWriter, r *http.Request) {
	all, err := s.db.Specialisms(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	code := r.PathValue("code")
	i := slices.IndexFunc(all, func(sp knowledge.Specialism) bool { return sp.Code == code })
	if i < 0 {
		s.fail(w, r, fault.Errorf(fault.NotFound, "There is no directory entry %q", code))
		return
	}
	sp := all[i]
	form := url.Values{"code": {sp.Code}, "name": {sp.Name}, "country": {sp.Country}, "contact": {sp.Contact}, "helps_with": {sp.HelpsWith}, "tag": {sp.Tag}}
	if sp.LeadID != nil {
		form.Set("lead_id", itoa(*sp.LeadID))
	}
	if sp.DeputyID != nil {
		form.Set("deputy_id", itoa(*sp.DeputyID))
	}
	s.renderSpecialismForm(w, r, http.StatusOK, true, form, nil)
}

func (s *Server) renderSpecialismForm(w http.ResponseWriter, r *http.Request, status int, editing bool, form url.Values, formErr *fault.Error) {
	people, err := s.activePeople(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := "Add a directory entry"
	if editing {
		title = "Change a directory entry"
	}
	pg := s.newPage(r, title, "/knowledge")
	pg.Breadcrumbs = []link{{"Knowledge", "/knowledge"}, {"National leads and specialisms", "/knowledge/experts"}}
	pg.Errors = formErr
	pg.Data = specialismFormData{Editing: editing, Form: form, People: people}
	s.renderStatus(w, r, status, "knowledge-expert-form", pg)
}

// saveSpecialismForm adds or replaces an entry from the form; the same
// store call as the API, so the same checks.
func (s *Server) saveSpecialismForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	sp := knowledge.Specialism{Code: strings.TrimSpace(r.PostFormValue("code")), Name: r.PostFormValue("name"), Country: r.PostFormValue("country"),
		Contact: r.PostFormValue("contact"), HelpsWith: r.PostFormValue("helps_with"), Tag: r.PostFormValue("tag")}
	var v fault.Validation
	sp.LeadID = formPersonID(&v, r.PostFormValue("lead_id"), "lead_id")
	sp.DeputyID = formPersonID(&v, r.PostFormValue("deputy_id"), "deputy_id")
	var err error
	if formErr := v.Err("The directory entry could not be saved"); formErr != nil {
		// Every problem at once: the entry's own checks too.
		err = withFieldsOf(formErr, sp.Validate())
	} else {
		err = s.db.SaveSpecialism(r.Context(), principalOf(r), &sp)
	}
	if err != nil {
		fe := fault.As(err)
		if fe == nil || fe.Code == fault.Internal || fe.Code == fault.Unavailable || fe.Code == fault.Forbidden {
			s.fail(w, r, err)
			return
		}
		s.renderSpecialismForm(w, r, statusFor(fe), r.PostFormValue("editing") == "yes", r.PostForm, fe)
		return
	}
	http.Redirect(w, r, "/knowledge/experts?done="+url.QueryEscape("Saved "+sp.Name), http.StatusSeeOther)
}

// specialismFields are the form's fields in the order the page shows
// them, which is the order its error summary lists them.
var specialismFields = []string{"code", "name", "country", "lead_id", "deputy_id", "contact", "helps_with", "tag"}

// withFieldsOf adds to a form's refusal the field errors of another check
// that its fields do not already have, in the form's order.
func withFieldsOf(formErr, other error) error {
	fe, oe := fault.As(formErr), fault.As(other)
	if fe == nil || oe == nil {
		return formErr
	}
	for _, f := range oe.Fields {
		if fe.FieldMessage(f.Field) == "" {
			fe.Fields = append(fe.Fields, f)
		}
	}
	slices.SortStableFunc(fe.Fields, func(a, b fault.FieldError) int {
		return slices.Index(specialismFields, a.Field) - slices.Index(specialismFields, b.Field)
	})
	return fe
}

// formPersonID reads an optional person's id from a form's select.
func formPersonID(v *fault.Validation, raw, field string) *int64 {
	if raw = strings.TrimSpace(raw); raw == "" {
		return nil
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		v.Add(field, "Choose a person from the list")
		return nil
	}
	return &id
}

func (s *Server) apiSpecialisms(w http.ResponseWriter, r *http.Request) {
	all, err := s.db.Specialisms(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[knowledge.Specialism]{Items: all})
}

// specialismInput is a directory entry as an administrator sends it.
type specialismInput struct {
	Name      string `json:"name"`
	Country   string `json:"country,omitempty"`
	LeadID    *int64 `json:"lead_id"`
	DeputyID  *int64 `json:"deputy_id"`
	Contact   string `json:"contact,omitempty"`
	HelpsWith string `json:"helps_with,omitempty"`
	Tag       string `json:"tag,omitempty"`
}

func (s *Server) apiSaveSpecialism(w http.ResponseWriter, r *http.Request) {
	var in specialismInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	sp := knowledge.Specialism{Code: r.PathValue("code"), Name: in.Name, Country: in.Country, LeadID: in.LeadID, DeputyID: in.DeputyID,
		Contact: in.Contact, HelpsWith: in.HelpsWith, Tag: in.Tag}
	if err := s.db.SaveSpecialism(r.Context(), principalOf(r), &sp); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sp)
}

func (s *Server) expertRoutes() ([]pageRoute, []apiRoute) {
	helpPages, helpAPI := s.helpRoutes()
	return append(append([]pageRoute{
			{"GET", "/knowledge/experts", access.ReadOrganisation, s.expertsPage},
			{"GET", "/knowledge/experts/new", access.ManageOrganisation, s.newSpecialismPage},
			{"GET", "/knowledge/experts/edit/{code}", access.ManageOrganisation, s.editSpecialismPage},
			{"POST", "/knowledge/experts", access.ManageOrganisation, s.saveSpecialismForm},
		}, helpPages...), s.learningRoutes()...),
		append([]apiRoute{
			{Method: "GET", Path: "/api/v1/knowledge/specialisms", ID: "listSpecialisms", Tag: "Knowledge", Perm: access.ReadOrganisation,
				Summary:  "The national leads and specialisms directory: who leads, who deputises, how to reach them, what they help with",
				Response: reflect.TypeFor[list[knowledge.Specialism]](), Handler: s.apiSpecialisms},
			{Method: "PUT", Path: "/api/v1/knowledge/specialisms/{code}", ID: "saveSpecialism", Tag: "Knowledge", Perm: access.ManageOrganisation,
				Summary: "Add or replace a directory entry", Body: reflect.TypeFor[specialismInput](),
				Response: reflect.TypeFor[knowledge.Specialism](), Handler: s.apiSaveSpecialism},
		}, helpAPI...)
}

package server

import (
	"net/http"
	"reflect"

	"caseboard/internal/access"
	"caseboard/internal/knowledge"
)

// The national leads and specialisms directory: a page for staff, and the
// API through which administrators keep it.

type expertsData struct {
	Subjects, Countries []knowledge.Specialism
}

func (s *Server) expertsPage(w http.ResponseWriter, r *http.Request) {
	all, err := s.db.Specialisms(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var d expertsData
	for _, sp := range all {
		if sp.Country == "" {
			d.Subjects = append(d.Subjects, sp)
		} else {
			d.Countries = append(d.Countries, sp)
		}
	}
	pg := s.newPage(r, "National leads and specialisms", "/knowledge")
	pg.Breadcrumbs = []link{{"Knowledge", "/knowledge"}}
	pg.Data = d
	s.render(w, r, "knowledge-experts", pg)
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
	return append(append([]pageRoute{{"GET", "/knowledge/experts", access.ReadOrganisation, s.expertsPage}}, helpPages...), s.learningRoutes()...),
		append([]apiRoute{
			{Method: "GET", Path: "/api/v1/knowledge/specialisms", ID: "listSpecialisms", Tag: "Knowledge", Perm: access.ReadOrganisation,
				Summary:  "The national leads and specialisms directory: who leads, who deputises, how to reach them, what they help with",
				Response: reflect.TypeFor[list[knowledge.Specialism]](), Handler: s.apiSpecialisms},
			{Method: "PUT", Path: "/api/v1/knowledge/specialisms/{code}", ID: "saveSpecialism", Tag: "Knowledge", Perm: access.ManageOrganisation,
				Summary: "Add or replace a directory entry", Body: reflect.TypeFor[specialismInput](),
				Response: reflect.TypeFor[knowledge.Specialism](), Handler: s.apiSaveSpecialism},
		}, helpAPI...)
}

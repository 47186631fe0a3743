package server

import (
	"net/http"

	"caseboard/internal/org"
	"caseboard/internal/store"
)

func (s *Server) apiDivision(w http.ResponseWriter, r *http.Request) {
	d, err := s.db.Division(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) apiUnits(w http.ResponseWriter, r *http.Request) {
	units, err := s.db.Units(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[org.Unit]{Items: nonNil(units)})
}

func (s *Server) apiLocations(w http.ResponseWriter, r *http.Request) {
	locations, err := s.db.Locations(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[org.Location]{Items: nonNil(locations)})
}

// locationInput is what a client sends to add a location.
type locationInput struct {
	Code    string           `json:"code"`
	Name    string           `json:"name"`
	Kind    org.LocationKind `json:"kind"`
	Country string           `json:"country"`
}

func (s *Server) apiCreateLocation(w http.ResponseWriter, r *http.Request) {
	var in locationInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	l := org.Location{Code: in.Code, Name: in.Name, Kind: in.Kind, Country: in.Country}
	if err := s.db.CreateLocation(r.Context(), &l); err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/locations")
	writeJSON(w, http.StatusCreated, l)
}

func (s *Server) apiTeams(w http.ResponseWriter, r *http.Request) {
	teams, err := s.db.Teams(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[org.Team]{Items: nonNil(teams)})
}

func (s *Server) apiPeople(w http.ResponseWriter, r *http.Request) {
	f, err := peopleFilter(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	page, err := s.db.People(r.Context(), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	page.People = nonNil(page.People)
	writeAppended(w, http.StatusOK, func(b []byte) []byte { return appendPeoplePage(b, page) })
}

// peopleFilter reads the people list's filters, shared by the page and API.
func peopleFilter(r *http.Request) (store.PeopleFilter, error) {
	q := r.URL.Query()
	limit, err := queryLimit(r)
	if err != nil {
		return store.PeopleFilter{}, err
	}
	return store.PeopleFilter{
		Unit: q.Get("unit"), Location: q.Get("location"), Grade: org.Grade(q.Get("grade")), Query: q.Get("q"),
		Sort: q.Get("sort"), Desc: q.Get("order") == "desc", Cursor: q.Get("cursor"), Limit: limit,
	}, nil
}

func (s *Server) apiPerson(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	p, err := s.db.Person(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](items []T) []T {
	if items == nil {
		return []T{}
	}
	return items
}

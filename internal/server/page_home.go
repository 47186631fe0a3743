package server

import (
	"net/http"

	"caseboard/internal/org"
)

type homeData struct {
	Units     []org.Unit
	Offices   int
	Posts     int
	Staff     int
	Countries int
}

func (s *Server) homePage(w http.ResponseWriter, r *http.Request) {
	units, err := s.db.Units(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	locations, err := s.db.Locations(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := homeData{Units: units}
	countries := map[string]bool{}
	for _, l := range locations {
		if l.Kind == org.OverseasPost {
			d.Posts++
			countries[l.Country] = true
		} else {
			d.Offices++
		}
	}
	for _, u := range units {
		d.Staff += u.Staff
	}
	d.Countries = len(countries)
	p := s.newPage(r, "Overview", "/")
	p.Data = d
	s.render(w, r, "home", p)
}

package server

import (
	"net/http"

	"caseboard/internal/fault"
	"caseboard/internal/org"
)

// The inputs of the organisation's write operations. In a PATCH, a field
// left out keeps its value; in a POST, the person's fields are required as
// the validation says.

type unitPatch struct {
	Name      *string `json:"name"`
	HeadTitle *string `json:"head_title"`
	HeadID    *int64  `json:"head_id"`
}

func (s *Server) apiUpdateUnit(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in unitPatch
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	u, err := s.unitByID(r, id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	setIf(&u.Name, in.Name)
	setIf(&u.HeadTitle, in.HeadTitle)
	if in.HeadID != nil {
		u.HeadID = in.HeadID
	}
	if err := s.db.UpdateUnit(r.Context(), &u); err != nil {
		s.apiError(w, r, err)
		return
	}
	u, err = s.unitByID(r, id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

func (s *Server) unitByID(r *http.Request, id int64) (org.Unit, error) {
	units, err := s.db.Units(r.Context())
	if err != nil {
		return org.Unit{}, err
	}
	for _, u := range units {
		if u.ID == id {
			return u, nil
		}
	}
	return org.Unit{}, fault.Errorf(fault.NotFound, "There is no unit %d", id)
}

type locationPatch struct {
	Name *string `json:"name"`
}

func (s *Server) apiUpdateLocation(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in locationPatch
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	locations, err := s.db.Locations(r.Context())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	for _, l := range locations {
		if l.ID != id {
			continue
		}
		setIf(&l.Name, in.Name)
		l.Staff = 0
		if err := s.db.UpdateLocation(r.Context(), &l); err != nil {
			s.apiError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, l)
		return
	}
	s.apiError(w, r, fault.Errorf(fault.NotFound, "There is no location %d", id))
}

// personInput is a person as a client sends one.
type personInput struct {
	Name          *string        `json:"name"`
	Email         *string        `json:"email"`
	Grade         *org.Grade     `json:"grade"`
	UnitID        *int64         `json:"unit_id"`
	LocationID    *int64         `json:"location_id"`
	TeamID        *int64         `json:"team_id"`
	LineManagerID *int64         `json:"line_manager_id"`
	Clearance     *org.Clearance `json:"clearance"`
	Active        *bool          `json:"active"`
}

func (in personInput) applyTo(p *org.Person) {
	setIf(&p.Name, in.Name)
	setIf(&p.Email, in.Email)
	setIf(&p.Grade, in.Grade)
	setIf(&p.UnitID, in.UnitID)
	setIf(&p.LocationID, in.LocationID)
	setIf(&p.Clearance, in.Clearance)
	setIf(&p.Active, in.Active)
	if in.TeamID != nil {
		p.TeamID = in.TeamID
	}
	if in.LineManagerID != nil {
		p.LineManagerID = in.LineManagerID
	}
}

func (s *Server) apiCreatePerson(w http.ResponseWriter, r *http.Request) {
	var in personInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	var p org.Person
	in.applyTo(&p)
	if err := s.db.CreatePerson(r.Context(), &p); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writePerson(w, r, http.StatusCreated, p.ID)
}

func (s *Server) apiUpdatePerson(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in personInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	p, err := s.db.Person(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	in.applyTo(&p)
	if err := s.db.UpdatePerson(r.Context(), &p); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writePerson(w, r, http.StatusOK, id)
}

func (s *Server) writePerson(w http.ResponseWriter, r *http.Request, status int, id int64) {
	p, err := s.db.Person(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/people/"+itoa(id))
	}
	writeJSON(w, status, p)
}

// setIf sets *field to *value when the client sent the field.
func setIf[T any](field *T, value *T) {
	if value != nil {
		*field = *value
	}
}

package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
	"caseboard/internal/org"
	"caseboard/internal/store"
)

// Units' monthly returns of staffing, absence and advocacy: the list, the
// form that enters or corrects a month's return, and the API.

type unitReturnsPageData struct {
	Returns  []measure.UnitReturn
	Units    []org.Unit
	Filter   store.UnitReturnFilter
	Form     url.Values
	Grades   []gradeField
	CanWrite bool
	// Correcting is set when the form holds a unit's current return.
	Correcting *measure.UnitReturn
	History    []measure.UnitReturn
	// IsCorrection is set when the form corrects a return (it carries the
	// version it replaces), shown again after a problem too.
	IsCorrection bool
}

// gradeField is one grade's FTE input.
type gradeField struct{ Name, Label, Value string }

func (s *Server) unitReturnsPage(w http.ResponseWriter, r *http.Request) {
	s.showUnitReturns(w, r, http.StatusOK, nil)
}

func (s *Server) showUnitReturns(w http.ResponseWriter, r *http.Request, status int, formErr *fault.Error) {
	q := r.URL.Query()
	f := store.UnitReturnFilter{Unit: q.Get("unit"), From: q.Get("from"), To: q.Get("to")}
	list, err := s.db.UnitReturns(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, err := s.db.Units(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := unitReturnsPageData{Returns: list, Units: units, Filter: f, Form: r.PostForm,
		CanWrite: access.Allows(principalOf(r), access.WriteCases)}
	if data.Form == nil {
		data.Form = url.Values{"unit": {f.Unit}, "month": {casework.MonthOf(s.db.Now().AddDate(0, -1, 0))}}
		// ?unit=&month= opens that month's return to correct it.
		if month := q.Get("month"); month != "" && f.Unit != "" {
			found, err := s.db.UnitReturns(r.Context(), store.UnitReturnFilter{Unit: f.Unit, From: month, To: month, AllVersions: true})
			if err != nil {
				s.fail(w, r, err)
				return
			}
			data.Form.Set("month", month)
			if len(found) > 0 {
				data.Correcting, data.History = &found[0], found
				data.Form = unitReturnForm(found[0])
			}
		}
	}
	data.IsCorrection = data.Correcting != nil || (data.Form.Get("version") != "" && data.Form.Get("version") != "0")
	for _, g := range org.Grades {
		name := "fte_" + string(g.Code)
		data.Grades = append(data.Grades, gradeField{Name: name, Label: g.Label, Value: data.Form.Get(name)})
	}
	p := s.newPage(r, "Units' monthly returns", "/performance")
	p.Breadcrumbs = []link{{"Performance", "/performance"}}
	p.Errors = formErr
	p.Notice = q.Get("done")
	p.Data = data
	s.renderStatus(w, r, status, "unit-returns", p)
}

// unitReturnForm is a stored return as the form's values.
func unitReturnForm(ret measure.UnitReturn) url.Values {
	form := url.Values{"unit": {ret.UnitCode}, "month": {ret.Month}, "version": {itoa(ret.Version)},
		"working_days_lost":          {strconv.FormatFloat(ret.WorkingDaysLost, 'f', -1, 64)},
		"advocacy_sessions_in_house": {strconv.Itoa(ret.SessionsInHouse)}, "advocacy_sessions_counsel": {strconv.Itoa(ret.SessionsCounsel)},
		"crown_advocate_hours": {strconv.Itoa(ret.CrownAdvocateHours)}, "crown_advocate_hours_available": {strconv.Itoa(ret.CrownAdvocateAvailable)}}
	for _, g := range ret.FTE {
		form.Set("fte_"+string(g.Grade), strconv.FormatFloat(g.FTE, 'f', -1, 64))
	}
	return form
}

// unitReturnFromForm reads a return from the form; a field that is not a
// number is a problem in v.
func unitReturnFromForm(form url.Values, v *fault.Validation) measure.UnitReturn {
	ret := measure.UnitReturn{UnitCode: strings.TrimSpace(form.Get("unit")), Month: strings.TrimSpace(form.Get("month"))}
	number := func(field string) float64 {
		raw := strings.ReplaceAll(strings.TrimSpace(form.Get(field)), ",", "")
		if raw == "" {
			return 0
		}
		n, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			v.Add(field, "Enter a number, for example 4.5")
		}
		return n
	}
	whole := func(field string) int {
		raw := strings.ReplaceAll(strings.TrimSpace(form.Get(field)), ",", "")
		if raw == "" {
			return 0
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			v.Add(field, "Enter a whole number, for example 12")
		}
		return n
	}
	for _, g := range org.Grades {
		if strings.TrimSpace(form.Get("fte_"+string(g.Code))) != "" {
			ret.FTE = append(ret.FTE, measure.GradeFTE{Grade: g.Code, FTE: number("fte_" + string(g.Code))})
		}
	}
	ret.WorkingDaysLost = number("working_days_lost")
	ret.SessionsInHouse, ret.SessionsCounsel = whole("advocacy_sessions_in_house"), whole("advocacy_sessions_counsel")
	ret.CrownAdvocateHours, ret.CrownAdvocateAvailable = whole("crown_advocate_hours"), whole("crown_advocate_hours_available")
	ret.Version = int64(whole("version"))
	return ret
}

func (s *Server) saveUnitReturnForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() // a bad body leaves the form empty, and the fields are refused as missing
	var v fault.Validation
	ret := unitReturnFromForm(r.PostForm, &v)
	err := v.Err("The monthly return could not be saved")
	if err == nil {
		err = s.db.SaveUnitReturn(r.Context(), principalOf(r), &ret)
	}
	if fe := fault.As(err); err != nil && fe != nil && fe.Code != fault.Internal && fe.Code != fault.Unavailable {
		// The form names a grade's field fte_<grade>, as the file does.
		for i := range fe.Fields {
			fe.Fields[i].Field = strings.Replace(fe.Fields[i].Field, "fte.", "fte_", 1)
		}
		s.showUnitReturns(w, r, statusFor(fe), fe)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	done := "Return saved"
	if ret.Version > 1 {
		done = "Return corrected: version " + itoa(ret.Version)
	}
	http.Redirect(w, r, "/performance/returns?"+url.Values{"unit": {ret.UnitCode}, "done": {done}}.Encode(), http.StatusSeeOther)
}

func (s *Server) apiUnitReturns(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	returns, err := s.db.UnitReturns(r.Context(), store.UnitReturnFilter{Unit: q.Get("unit"), From: q.Get("from"), To: q.Get("to"),
		AllVersions: q.Get("all_versions") == "true"})
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[measure.UnitReturn]{Items: nonNil(returns)})
}

func (s *Server) apiUnitReturn(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	ret, err := s.db.UnitReturn(r.Context(), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, ret)
}

// unitReturnInput is a return as a client sends one; a correction sends
// the version of the return it corrects.
type unitReturnInput struct {
	Unit                   string             `json:"unit"`
	Month                  string             `json:"month"`
	FTE                    []measure.GradeFTE `json:"fte"`
	WorkingDaysLost        float64            `json:"working_days_lost"`
	SessionsInHouse        int                `json:"advocacy_sessions_in_house"`
	SessionsCounsel        int                `json:"advocacy_sessions_counsel"`
	CrownAdvocateHours     int                `json:"crown_advocate_hours"`
	CrownAdvocateAvailable int                `json:"crown_advocate_hours_available"`
	Version                int64              `json:"version"`
}

func (s *Server) apiSaveUnitReturn(w http.ResponseWriter, r *http.Request) {
	var in unitReturnInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	ret := measure.UnitReturn{UnitCode: in.Unit, Month: in.Month, FTE: in.FTE, WorkingDaysLost: in.WorkingDaysLost, SessionsInHouse: in.SessionsInHouse,
		SessionsCounsel: in.SessionsCounsel, CrownAdvocateHours: in.CrownAdvocateHours, CrownAdvocateAvailable: in.CrownAdvocateAvailable, Version: in.Version}
	if err := s.db.SaveUnitReturn(r.Context(), principalOf(r), &ret); err != nil {
		s.apiError(w, r, err)
		return
	}
	saved, err := s.db.UnitReturn(r.Context(), ret.ID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, saved)
}

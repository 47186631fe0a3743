package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/org"
	"caseboard/internal/risk"
)

// Business continuity plans: the list with the plans not exercised in
// twelve months flagged, a plan with its exercises, and the forms that add
// a plan and record an exercise.

// activityRows is how many critical activities the plan form offers.
const activityRows = 5

type continuityPageData struct {
	Plans      []risk.ContinuityPlan
	Untested   int
	Units      []org.Unit
	Locations  []org.Location
	Form       url.Values
	CanWrite   bool
	Rows       []int
	Today      string
	UntestedOf map[int64]bool
}

func (s *Server) continuityPage(w http.ResponseWriter, r *http.Request) {
	s.showContinuity(w, r, http.StatusOK, nil)
}

func (s *Server) showContinuity(w http.ResponseWriter, r *http.Request, status int, formErr *fault.Error) {
	plans, err := s.db.ContinuityPlans(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, locations, err := s.unitsAndLocations(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := time.Now()
	d := continuityPageData{Plans: plans, Units: units, Locations: locations, Form: r.PostForm, UntestedOf: map[int64]bool{},
		CanWrite: access.Allows(principalOf(r), access.WriteRisks), Today: now.Format(time.DateOnly)}
	if d.Form == nil {
		d.Form = url.Values{"reviewed_on": {d.Today}}
	}
	for i := 1; i <= activityRows; i++ {
		d.Rows = append(d.Rows, i)
	}
	for _, p := range plans {
		if p.Untested(now) {
			d.Untested++
			d.UntestedOf[p.ID] = true
		}
	}
	p := s.newPage(r, "Business continuity plans", "/risks")
	p.Breadcrumbs = []link{{"Risks", "/risks"}}
	p.Errors = formErr
	p.Notice = r.URL.Query().Get("done")
	p.Data = d
	s.renderStatus(w, r, status, "continuity", p)
}

func (s *Server) createPlanForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() // a bad body leaves the form empty, and the fields are refused as missing
	form := r.PostForm
	var v fault.Validation
	plan := risk.ContinuityPlan{Title: form.Get("title"), Contacts: form.Get("contacts"), OwnerID: principalOf(r).PersonID}
	plan.UnitID = formID(&v, form, "unit_id", "Choose the unit the plan is for")
	if raw := form.Get("location_id"); raw != "" {
		id := formID(&v, form, "location_id", "Choose a location, or none")
		plan.LocationID = &id
	}
	plan.ReviewedOn = parseDay(&v, "reviewed_on", form.Get("reviewed_on"))
	for i := 1; i <= activityRows; i++ {
		n := strconv.Itoa(i)
		name := strings.TrimSpace(form.Get("activity_" + n))
		if name == "" {
			continue
		}
		hours, err := strconv.Atoi(strings.TrimSpace(form.Get("rto_" + n)))
		if err != nil {
			v.Add("activities", "Give each critical activity its recovery time objective in hours, for example 4")
		}
		plan.Activities = append(plan.Activities, risk.CriticalActivity{Name: name, RTOHours: hours})
	}
	err := v.Err("The business continuity plan could not be saved")
	if err == nil {
		err = s.db.SaveContinuityPlan(r.Context(), principalOf(r), &plan)
	}
	if err != nil {
		fe := fault.As(err)
		if fe == nil || fe.Code == fault.Internal || fe.Code == fault.Unavailable {
			s.fail(w, r, err)
			return
		}
		s.showContinuity(w, r, statusFor(fe), fe)
		return
	}
	http.Redirect(w, r, "/continuity/"+itoa(plan.ID)+"?done="+url.QueryEscape("Plan added"), http.StatusSeeOther)
}

type planPageData struct {
	Plan      risk.ContinuityPlan
	Exercises []risk.Exercise
	Untested  bool
	CanWrite  bool
	Form      url.Values
	Today     string
}

func (s *Server) planPage(w http.ResponseWriter, r *http.Request) {
	s.showPlan(w, r, http.StatusOK, nil)
}

func (s *Server) showPlan(w http.ResponseWriter, r *http.Request, status int, formErr *fault.Error) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	plan, exercises, err := s.db.ContinuityPlan(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := time.Now()
	d := planPageData{Plan: plan, Exercises: exercises, Untested: plan.Untested(now), Form: r.PostForm, Today: now.Format(time.DateOnly),
		CanWrite: access.CanWriteRisk(principalOf(r), access.RiskRecord{UnitID: plan.UnitID, OwnerID: plan.OwnerID})}
	if d.Form == nil {
		d.Form = url.Values{"held_on": {d.Today}}
	}
	p := s.newPage(r, plan.Title, "/risks")
	p.Breadcrumbs = []link{{"Risks", "/risks"}, {"Business continuity", "/continuity"}}
	p.Errors = formErr
	p.Notice = r.URL.Query().Get("done")
	p.Data = d
	s.renderStatus(w, r, status, "continuity-plan", p)
}

func (s *Server) exerciseForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() // a bad body leaves the form empty, and the fields are refused as missing
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := r.PostForm
	var v fault.Validation
	e := risk.Exercise{PlanID: id, Scenario: form.Get("scenario"), Participants: form.Get("participants"), Findings: form.Get("findings"),
		Actions: form.Get("actions")}
	e.HeldOn = parseDay(&v, "held_on", form.Get("held_on"))
	err = v.Err("The exercise could not be recorded")
	if err == nil {
		err = s.db.RecordExercise(r.Context(), principalOf(r), &e)
	}
	if err != nil {
		fe := fault.As(err)
		if fe == nil || fe.Code == fault.Internal || fe.Code == fault.Unavailable || fe.Code == fault.NotFound {
			s.fail(w, r, err)
			return
		}
		s.showPlan(w, r, statusFor(fe), fe)
		return
	}
	http.Redirect(w, r, "/continuity/"+itoa(id)+"?done="+url.QueryEscape("Exercise recorded"), http.StatusSeeOther)
}

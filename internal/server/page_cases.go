package server

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
	"caseboard/internal/org"
	"caseboard/internal/store"
)

type caseloadData struct {
	Cases          []casework.Case
	Filter         store.CaseFilter
	Query          url.Values
	Units          []org.Unit
	Locations      []org.Location
	Kinds          []casework.Kind
	Statuses       []casework.Status
	Active         []activeFilter
	FirstPage      string
	NextPage       string
	SortByDeadline string
	SortByOpened   string
	CanWrite       bool
}

func (s *Server) caseloadPage(w http.ResponseWriter, r *http.Request) {
	f, err := caseFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page, err := s.db.Cases(r.Context(), principalOf(r), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, locations, err := s.unitsAndLocations(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	d := caseloadData{Cases: page.Cases, Filter: f, Query: q, Units: units, Locations: locations,
		Kinds:  []casework.Kind{casework.Prosecution, casework.Extradition, casework.International},
		Active: activeFilters(q, units, locations), CanWrite: access.Allows(principalOf(r), access.WriteCases)}
	seen := map[casework.Status]bool{}
	for _, k := range d.Kinds {
		for _, st := range casework.Statuses[k] {
			if !seen[st] {
				seen[st] = true
				d.Statuses = append(d.Statuses, st)
			}
		}
	}
	if f.Cursor != "" {
		d.FirstPage = withQuery(q, "cursor", "")
	}
	if page.Next != "" {
		next := cloneValues(q)
		next.Set("cursor", page.Next)
		d.NextPage = "?" + next.Encode()
	}
	d.SortByDeadline, d.SortByOpened = withQuery(q, "sort", "deadline"), withQuery(q, "sort", "opened")
	p := s.newPage(r, "Cases", "/cases")
	p.Data = d
	s.render(w, r, "cases", p)
}

func (s *Server) unitsAndLocations(r *http.Request) ([]org.Unit, []org.Location, error) {
	units, err := s.db.Units(r.Context())
	if err != nil {
		return nil, nil, err
	}
	locations, err := s.db.Locations(r.Context())
	return units, locations, err
}

type casePageData struct {
	caseDetail
	Limits      []limitView
	Extradition []extraditionView // per requested person of an extradition case
	Outcomes    []casework.OutcomeInfo
	Offences    []struct {
		Code  casework.OffenceCategory
		Label string
	}
	CustodyStatuses []string
	DirectionViews  []directionView
	DocumentViews   []documentView
	HearingKinds    []struct {
		Code  casework.HearingKind
		Label string
	}
	DocumentKinds []casework.DocumentKindInfo
	ReviewViews   []reviewView
	ReviewKinds   []casework.ReviewKindInfo
	UnitStaff     []org.Person // who a case can be handed over to
	ActionRows    []int
	Today         string
	History       []any
	CanWrite      bool
	Form          url.Values // what a refused form held
	OpenForm      string     // which form was refused
}

// limitView is a charge's custody time limit as the case page shows it:
// with words as well as colour for how near it is.
type limitView struct {
	CaseID      int64
	DefendantID int64
	ChargeID    int64
	Running     bool
	Extensions  []deadline.Extension
	Defendant   string
	Charge      string
	Expiry      string
	Status      string
	DaysLeft    int
	Urgency     string // "overdue", "soon" or ""
	Rule        string
	Working     []string
	InCustody   bool
	Description string
}

func limitViews(d caseDetail) []limitView {
	refs := map[int64]string{}
	for _, def := range d.Defendants {
		refs[def.ID] = def.Ref
	}
	now := deadline.DateOf(time.Now().In(london))
	var out []limitView
	for _, c := range d.Charges {
		v := limitView{CaseID: d.Case.ID, DefendantID: c.DefendantID, ChargeID: c.ID, Running: c.Running(),
			Defendant: refs[c.DefendantID], Charge: c.Description, InCustody: c.CTL != nil}
		if c.Custody != nil {
			v.Extensions = c.Custody.Extensions
		}
		if c.CTL != nil {
			v.Expiry, v.Rule, v.Working = c.CTL.Expiry.Time(time.UTC).Format("Monday 2 January 2006"), c.CTL.Rule, c.CTL.Working
			v.Status, v.DaysLeft = string(c.CTL.Status(now)), c.CTL.DaysLeft(now)
			switch {
			case !c.Running():
			case v.DaysLeft < 0:
				v.Urgency = "overdue"
			case v.DaysLeft <= 7:
				v.Urgency = "soon"
			}
		}
		out = append(out, v)
	}
	return out
}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showCase(w, r, id, http.StatusOK, nil, "")
}

// showCase renders a case page, with a form's errors when one was refused
// (openForm names it, so it is shown open with what was typed).
func (s *Server) showCase(w http.ResponseWriter, r *http.Request, id int64, status int, formErr *fault.Error, openForm string) {
	d, err := s.caseDetail(r, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	history, err := s.db.AuditEntries(r.Context(), store.AuditFilter{RecordType: "case", RecordID: itoa(d.Case.ID), Limit: 200})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, d.Case.Reference, "/cases")
	p.Breadcrumbs = []link{{"Cases", "/cases"}}
	p.Errors = formErr
	p.Notice = r.URL.Query().Get("done")
	form := r.PostForm
	if form == nil {
		form = url.Values{}
	}
	now := deadline.Today(time.Now())
	data := casePageData{caseDetail: d, Limits: limitViews(d), Outcomes: casework.OutcomesFor(d.Case.Kind), History: timelineItems(history),
		CanWrite: access.Allows(principalOf(r), access.WriteCases), Form: form, OpenForm: openForm,
		Offences: casework.OffenceCategories, CustodyStatuses: casework.CustodyStatuses,
		HearingKinds: casework.HearingKinds, DocumentKinds: casework.DocumentKinds, Today: now.String()}
	data.DirectionViews, data.DocumentViews = progressViews(d, now)
	data.Extradition = extraditionViews(d, form, openForm, formErr)
	staff, err := s.db.People(r.Context(), store.PeopleFilter{Unit: d.Case.UnitCode, Limit: 500})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data.UnitStaff, data.ReviewKinds = staff.People, casework.ReviewKinds
	data.ReviewViews = s.reviewViews(r, d.Reviews, staff.People)
	for i := 1; i <= reviewActionRows; i++ {
		data.ActionRows = append(data.ActionRows, i)
	}
	p.Data = data
	s.renderStatus(w, r, status, "case", p)
}

type newCaseData struct {
	Form      url.Values
	Units     []org.Unit
	Locations []org.Location
	Kinds     []casework.Kind
}

func (s *Server) newCasePage(w http.ResponseWriter, r *http.Request) {
	s.renderNewCase(w, r, http.StatusOK, url.Values{"sensitivity": {"official"}, "opened_on": {time.Now().Format("2006-01-02")}}, nil)
}

func (s *Server) renderNewCase(w http.ResponseWriter, r *http.Request, status int, form url.Values, formErr *fault.Error) {
	units, locations, err := s.unitsAndLocations(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "Open a case", "/cases")
	p.Breadcrumbs = []link{{"Cases", "/cases"}}
	p.Errors = formErr
	p.Data = newCaseData{Form: form, Units: units, Locations: locations,
		Kinds: []casework.Kind{casework.Prosecution, casework.Extradition, casework.International}}
	s.renderStatus(w, r, status, "case-new", p)
}

// createCaseForm opens a case from the form. The case starts at the first
// status of its kind, with the person opening it as its lawyer unless the
// form names another.
func (s *Server) createCaseForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	form := r.PostForm
	c := casework.Case{Reference: form.Get("reference"), Kind: casework.Kind(form.Get("kind")), Title: strings.TrimSpace(form.Get("title")),
		Sensitivity: access.Sensitivity(form.Get("sensitivity")), Country: strings.ToUpper(strings.TrimSpace(form.Get("country"))),
		Agency: strings.TrimSpace(form.Get("agency")), SensitiveReason: strings.TrimSpace(form.Get("sensitive_reason"))}
	var v fault.Validation
	c.UnitID = formID(&v, form, "unit_id", "Choose the case's unit")
	c.LocationID = formID(&v, form, "location_id", "Choose the case's location")
	if statuses := casework.Statuses[c.Kind]; len(statuses) > 0 {
		c.Status = statuses[0]
	}
	c.OpenedOn = parseDay(&v, "opened_on", form.Get("opened_on"))
	me := principalOf(r).PersonID
	c.LawyerID = &me
	err := v.Err("The case could not be opened")
	if err == nil {
		err = s.db.CreateCase(r.Context(), principalOf(r), &c)
	}
	if err != nil {
		fe := fault.As(err)
		if fe == nil || (fe.Code != fault.Invalid && fe.Code != fault.Conflict && fe.Code != fault.Forbidden) {
			s.fail(w, r, err)
			return
		}
		s.renderNewCase(w, r, statusFor(fe), form, fe)
		return
	}
	http.Redirect(w, r, "/cases/"+itoa(c.ID), http.StatusSeeOther)
}

func formID(v *fault.Validation, form url.Values, field, message string) int64 {
	id, err := strconv.ParseInt(form.Get(field), 10, 64)
	if err != nil || id <= 0 {
		v.Add(field, message)
	}
	return id
}

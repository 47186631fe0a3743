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
	"caseboard/internal/plan"
	"caseboard/internal/risk"
	"caseboard/internal/store"
)

type riskFormData struct {
	Risk        risk.Risk // the stored risk when editing
	Editing     bool
	Form        url.Values
	Units       []org.Unit
	Locations   []org.Location
	People      []org.Person
	Scale       risk.Scale
	Categories  []risk.Category
	Treatments  []risk.Treatment
	Proximities []risk.Proximity
	Intervals   []int
	Ratings     []string // inherent, current, target
	// Findings are the inspections' findings a risk may be linked to.
	Findings []plan.Finding
}

func (s *Server) renderRiskForm(w http.ResponseWriter, r *http.Request, status int, rk risk.Risk, editing bool, form url.Values, formErr *fault.Error) {
	units, locations, err := s.unitsAndLocations(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	people, err := s.activePeople(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	scale, err := s.db.RiskScale(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	findings, err := s.linkableFindings(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title := "Raise a risk"
	pg := s.newPage(r, title, "/risks")
	pg.Breadcrumbs = []link{{"Risk register", "/risks"}}
	if editing {
		pg.Title = "Change " + rk.Reference
		pg.Breadcrumbs = append(pg.Breadcrumbs, link{rk.Reference, "/risks/" + itoa(rk.ID)})
	}
	pg.Errors = formErr
	pg.Data = riskFormData{Risk: rk, Editing: editing, Form: form, Units: units, Locations: locations, People: people, Scale: scale,
		Categories: risk.Categories, Treatments: risk.Treatments, Proximities: risk.Proximities, Intervals: risk.ReviewIntervals,
		Ratings: []string{"inherent", "current", "target"}, Findings: findings}
	s.renderStatus(w, r, status, "risk-form", pg)
}

func (s *Server) newRiskPage(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	form := url.Values{"category": {"operational"}, "treatment": {"treat"}, "review_months": {"3"},
		"next_review": {today().AddDate(0, 3, 0).Format("2006-01-02")}, "owner_id": {itoa(p.PersonID)}}
	if len(p.Units) > 0 {
		form.Set("unit_id", itoa(p.Units[0]))
	}
	if q := r.URL.Query(); q.Get("case") != "" {
		form.Set("cases", q.Get("case"))
		form.Set("category", "casework")
	}
	s.renderRiskForm(w, r, http.StatusOK, risk.Risk{}, false, form, nil)
}

// riskForm fills a risk from the form: the fields a person types. Links
// are written as references (RSK-00012, a case's URN) and resolved here.
func (s *Server) riskForm(r *http.Request, form url.Values, rk *risk.Risk) error {
	var v fault.Validation
	rk.Title, rk.Cause, rk.Event, rk.Consequence = form.Get("title"), form.Get("cause"), form.Get("event"), form.Get("consequence")
	rk.Category, rk.Treatment, rk.Proximity = risk.Category(form.Get("category")), risk.Treatment(form.Get("treatment")), risk.Proximity(form.Get("proximity"))
	rk.Project = form.Get("project")
	rk.UnitID = formID(&v, form, "unit_id", "Choose the unit the risk belongs to")
	rk.OwnerID = formID(&v, form, "owner_id", "Choose the risk's owner")
	rk.LocationID = nil
	if raw := form.Get("location_id"); raw != "" {
		id := formID(&v, form, "location_id", "Choose a location, or none")
		rk.LocationID = &id
	}
	rk.Themes = strings.Split(form.Get("themes"), ",")
	for _, rating := range []struct {
		name string
		dst  *risk.Rating
	}{{"inherent", &rk.Inherent}, {"current", &rk.Current}, {"target", &rk.Target}} {
		rating.dst.Likelihood, _ = strconv.Atoi(form.Get(rating.name + "_likelihood"))
		rating.dst.Impact, _ = strconv.Atoi(form.Get(rating.name + "_impact"))
	}
	rk.ReviewMonths, _ = strconv.Atoi(form.Get("review_months"))
	rk.NextReview = time.Time{}
	if raw := strings.TrimSpace(form.Get("next_review")); raw != "" {
		rk.NextReview = parseDay(&v, "next_review", raw)
	}
	rk.TargetDate = nil
	if raw := strings.TrimSpace(form.Get("target_date")); raw != "" {
		d := parseDay(&v, "target_date", raw)
		rk.TargetDate = &d
	}
	if st := form.Get("status"); st != "" {
		rk.Status = risk.Status(st)
	}
	rk.ParentID = nil
	if ref := strings.TrimSpace(form.Get("parent")); ref != "" {
		id, err := s.db.RiskIDByReference(r.Context(), ref)
		if err != nil {
			v.Add("parent", "There is no risk "+ref+": enter a reference such as RSK-00012")
		} else {
			rk.ParentID = &id
		}
	}
	rk.Related = nil
	for _, ref := range splitReferences(form.Get("related")) {
		id, err := s.db.RiskIDByReference(r.Context(), ref)
		if err != nil {
			v.Add("related", "There is no risk "+ref)
			continue
		}
		rk.Related = append(rk.Related, id)
	}
	rk.CaseIDs = nil
	for _, ref := range splitReferences(form.Get("cases")) {
		id, err := s.db.CaseIDByReference(r.Context(), principalOf(r), ref)
		if err != nil {
			v.Add("cases", "There is no case "+ref+" that you can see")
			continue
		}
		rk.CaseIDs = append(rk.CaseIDs, id)
	}
	rk.FindingIDs = nil
	for _, raw := range form["findings"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			v.Add("findings", "Choose recommendations from the list")
			continue
		}
		rk.FindingIDs = append(rk.FindingIDs, id)
	}
	return v.Err("The risk could not be saved")
}

// linkableFindings lists every inspection's findings, in the report's
// order, for the risk form's links; none for someone who may not read them.
func (s *Server) linkableFindings(r *http.Request) ([]plan.Finding, error) {
	if !access.Allows(principalOf(r), access.ReadPlans) {
		return nil, nil
	}
	inspections, err := s.db.Inspections(r.Context())
	if err != nil {
		return nil, err
	}
	var out []plan.Finding
	for _, in := range inspections {
		list, err := s.db.Findings(r.Context(), in.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	return out, nil
}

// splitReferences reads references a person typed, separated by commas,
// spaces, semicolons or lines (references hold no spaces).
func splitReferences(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == ';' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// formFault is the error a form shows again, or nil when the error is one
// only an error page can show.
func formFault(err error) *fault.Error {
	fe := fault.As(err)
	if fe == nil || fe.Code == fault.Internal || fe.Code == fault.Unavailable || fe.Code == fault.NotFound {
		return nil
	}
	return fe
}

func (s *Server) createRiskForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	var rk risk.Risk
	err := s.riskForm(r, r.PostForm, &rk)
	if err == nil {
		err = s.db.CreateRisk(r.Context(), principalOf(r), &rk)
	}
	err = riskFormFields(err)
	if err != nil {
		if fe := formFault(err); fe != nil {
			s.renderRiskForm(w, r, statusFor(fe), risk.Risk{}, false, r.PostForm, fe)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/risks/"+itoa(rk.ID)+"?done="+url.QueryEscape("Risk "+rk.Reference+" raised"), http.StatusSeeOther)
}

func (s *Server) editRiskPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rk, err := s.db.Risk(r.Context(), principalOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !access.CanWriteRisk(principalOf(r), access.RiskRecord{UnitID: rk.UnitID, OwnerID: rk.OwnerID}) {
		s.fail(w, r, fault.Errorf(fault.Forbidden, "You may read this risk but not change it: its owner, their managers and the managers of its unit may"))
		return
	}
	s.renderRiskForm(w, r, http.StatusOK, rk, true, s.riskFormValues(r, rk), nil)
}

// riskFormValues writes a stored risk as the form shows it.
func (s *Server) riskFormValues(r *http.Request, rk risk.Risk) url.Values {
	form := url.Values{"title": {rk.Title}, "cause": {rk.Cause}, "event": {rk.Event}, "consequence": {rk.Consequence},
		"category": {string(rk.Category)}, "unit_id": {itoa(rk.UnitID)}, "owner_id": {itoa(rk.OwnerID)}, "themes": {strings.Join(rk.Themes, ", ")},
		"treatment": {string(rk.Treatment)}, "proximity": {string(rk.Proximity)}, "project": {rk.Project}, "status": {string(rk.Status)},
		"review_months": {strconv.Itoa(rk.ReviewMonths)}, "next_review": {rk.NextReview.Format("2006-01-02")}, "version": {strconv.FormatInt(rk.Version, 10)}}
	if rk.LocationID != nil {
		form.Set("location_id", itoa(*rk.LocationID))
	}
	if rk.TargetDate != nil {
		form.Set("target_date", rk.TargetDate.Format("2006-01-02"))
	}
	for name, rating := range map[string]risk.Rating{"inherent": rk.Inherent, "current": rk.Current, "target": rk.Target} {
		form.Set(name+"_likelihood", strconv.Itoa(rating.Likelihood))
		form.Set(name+"_impact", strconv.Itoa(rating.Impact))
	}
	p := principalOf(r)
	if rk.ParentID != nil {
		if parent, err := s.db.Risk(r.Context(), p, *rk.ParentID); err == nil {
			form.Set("parent", parent.Reference)
		}
	}
	var related, cases []string
	for _, id := range rk.Related {
		if rel, err := s.db.Risk(r.Context(), p, id); err == nil {
			related = append(related, rel.Reference)
		}
	}
	for _, id := range rk.CaseIDs {
		if c, err := s.db.Case(r.Context(), p, id); err == nil {
			cases = append(cases, c.Reference)
		}
	}
	form.Set("related", strings.Join(related, ", "))
	form.Set("cases", strings.Join(cases, ", "))
	form.Del("findings")
	for _, id := range rk.FindingIDs {
		form.Add("findings", itoa(id))
	}
	return form
}

// updateRiskForm saves the edit form. The version the form was read at
// goes back with it: if someone saved the risk since, the change is
// refused with their changes left intact.
func (s *Server) updateRiskForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := principalOf(r)
	rk, err := s.db.Risk(r.Context(), p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm()
	stored := rk
	err = s.riskForm(r, r.PostForm, &rk)
	rk.Version, _ = strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if err == nil {
		err = s.db.UpdateRisk(r.Context(), p, &rk, store.RiskUpdate{CloseMeasures: r.PostForm.Get("close_measures") == "yes", Note: strings.TrimSpace(r.PostForm.Get("note"))})
	}
	err = riskFormFields(err)
	if err != nil {
		if fe := formFault(err); fe != nil {
			s.renderRiskForm(w, r, statusFor(fe), stored, true, r.PostForm, fe)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/risks/"+itoa(id)+"?done="+url.QueryEscape("Risk saved"), http.StatusSeeOther)
}

// afterRiskForm sends the browser back to the risk, or shows the risk
// with the form's errors, keeping what was typed.
func (s *Server) afterRiskForm(w http.ResponseWriter, r *http.Request, riskID int64, form string, err error, done string) {
	if err == nil {
		http.Redirect(w, r, "/risks/"+itoa(riskID)+"?done="+url.QueryEscape(done), http.StatusSeeOther)
		return
	}
	fe := formFault(err)
	if fe == nil {
		s.fail(w, r, err)
		return
	}
	s.showRisk(w, r, riskID, statusFor(fe), fe, form)
}

func (s *Server) addMeasureForm(w http.ResponseWriter, r *http.Request) {
	riskID, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm()
	var v fault.Validation
	m := risk.CounterMeasure{RiskID: riskID, Description: r.PostForm.Get("description"), Status: risk.Planned}
	m.OwnerID = formID(&v, r.PostForm, "measure_owner_id", "Choose who owns the action")
	if raw := strings.TrimSpace(r.PostForm.Get("due")); raw != "" {
		m.Due = parseDay(&v, "due", raw)
	}
	m.Expected.Likelihood, _ = strconv.Atoi(r.PostForm.Get("expected_likelihood"))
	m.Expected.Impact, _ = strconv.Atoi(r.PostForm.Get("expected_impact"))
	err = v.Err("The counter-measure could not be added")
	if err == nil {
		err = s.db.SaveCounterMeasure(r.Context(), principalOf(r), &m)
	}
	s.afterRiskForm(w, r, riskID, "measure", renameField(err, "owner_id", "measure_owner_id"), "Counter-measure added")
}

// riskFormFields names the risk form's own fields in an error from the
// store, so the error summary links to the right input.
func riskFormFields(err error) error {
	return renameField(renameField(renameField(renameField(err, "parent_id", "parent"), "case_ids", "cases"), "finding_ids", "findings"), "close_measures", "status")
}

// renameField points an error at the form's own name for a field.
func renameField(err error, from, to string) error {
	if fe := fault.As(err); fe != nil {
		for i := range fe.Fields {
			if fe.Fields[i].Field == from {
				fe.Fields[i].Field = to
			}
		}
	}
	return err
}

func (s *Server) measureStatusForm(w http.ResponseWriter, r *http.Request) {
	riskID, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	measureID, err := pathID(r, "measure")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	measures, err := s.db.CounterMeasures(r.Context(), riskID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var m *risk.CounterMeasure
	for i := range measures {
		if measures[i].ID == measureID {
			m = &measures[i]
		}
	}
	if m == nil {
		s.fail(w, r, fault.Errorf(fault.NotFound, "There is no counter-measure %d on risk %d", measureID, riskID))
		return
	}
	m.Status = risk.MeasureStatus(r.PostFormValue("status"))
	err = s.db.SaveCounterMeasure(r.Context(), principalOf(r), m)
	s.afterRiskForm(w, r, riskID, "measures", err, "Counter-measure updated")
}

func (s *Server) reviewForm(w http.ResponseWriter, r *http.Request) {
	riskID, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm()
	var v fault.Validation
	rv := risk.Review{RiskID: riskID, Justification: r.PostForm.Get("justification")}
	rv.Current.Likelihood, _ = strconv.Atoi(r.PostForm.Get("review_likelihood"))
	rv.Current.Impact, _ = strconv.Atoi(r.PostForm.Get("review_impact"))
	if raw := strings.TrimSpace(r.PostForm.Get("review_next")); raw != "" {
		rv.NextReview = parseDay(&v, "review_next", raw)
	}
	version, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	err = v.Err("The review could not be recorded")
	if err == nil {
		err = s.db.AddReview(r.Context(), principalOf(r), &rv, version)
	}
	err = renameField(renameField(renameField(err, "next_review", "review_next"), "current_likelihood", "review_likelihood"), "current_impact", "review_impact")
	s.afterRiskForm(w, r, riskID, "review", err, "Review recorded")
}

func (s *Server) proposeAcceptanceForm(w http.ResponseWriter, r *http.Request) {
	riskID, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm()
	var v fault.Validation
	a := risk.Acceptance{RiskID: riskID, Justification: r.PostForm.Get("acceptance_justification")}
	a.ApproverID = formID(&v, r.PostForm, "approver_id", "Choose who is to approve the acceptance")
	if raw := strings.TrimSpace(r.PostForm.Get("expires")); raw != "" {
		d := parseDay(&v, "expires", raw)
		a.Expires = &d
	}
	err = v.Err("The acceptance could not be proposed")
	if err == nil {
		err = s.db.ProposeAcceptance(r.Context(), principalOf(r), &a)
	}
	err = renameField(err, "justification", "acceptance_justification")
	s.afterRiskForm(w, r, riskID, "acceptance", err, "Acceptance proposed")
}

func (s *Server) decideAcceptanceForm(w http.ResponseWriter, r *http.Request) {
	riskID, accID, ok := s.acceptancePath(w, r)
	if !ok {
		return
	}
	approve := r.PostFormValue("decision") == "approve"
	if d := r.PostFormValue("decision"); d != "approve" && d != "reject" {
		s.afterRiskForm(w, r, riskID, "decision", &fault.Error{Code: fault.Invalid, Message: "Choose a decision",
			Fields: []fault.FieldError{{Field: "decision", Message: "Choose approve or reject"}}}, "")
		return
	}
	err := s.db.DecideAcceptance(r.Context(), principalOf(r), riskID, accID, approve, r.PostFormValue("note"))
	done := "Acceptance rejected"
	if approve {
		done = "Acceptance approved"
	}
	s.afterRiskForm(w, r, riskID, "decision", err, done)
}

func (s *Server) revokeAcceptanceForm(w http.ResponseWriter, r *http.Request) {
	riskID, accID, ok := s.acceptancePath(w, r)
	if !ok {
		return
	}
	err := s.db.RevokeAcceptance(r.Context(), principalOf(r), riskID, accID, r.PostFormValue("revoke_note"))
	s.afterRiskForm(w, r, riskID, "revoke", err, "Acceptance revoked")
}

func (s *Server) acceptancePath(w http.ResponseWriter, r *http.Request) (int64, int64, bool) {
	riskID, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return 0, 0, false
	}
	accID, err := pathID(r, "acceptance")
	if err != nil {
		s.fail(w, r, err)
		return 0, 0, false
	}
	return riskID, accID, true
}

type appetiteData struct {
	Appetites []risk.Appetite
	Levels    []risk.AppetiteLevel
	Scale     risk.Scale
	CanSet    bool
	Form      url.Values
}

func (s *Server) riskAppetitePage(w http.ResponseWriter, r *http.Request) {
	s.renderAppetite(w, r, http.StatusOK, nil, nil)
}

func (s *Server) renderAppetite(w http.ResponseWriter, r *http.Request, status int, form url.Values, formErr *fault.Error) {
	scale, apps, err := s.riskConfig(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if form == nil {
		form = url.Values{}
		for _, a := range apps {
			form.Set(string(a.Category), string(a.Level))
			if a.MaxScore != risk.DefaultMaxScore[a.Level] {
				form.Set(string(a.Category)+"_max", strconv.Itoa(a.MaxScore))
			}
		}
	}
	pg := s.newPage(r, "Risk appetite and scale", "/risks")
	pg.Breadcrumbs = []link{{"Risk register", "/risks"}}
	pg.Errors = formErr
	pg.Notice = r.URL.Query().Get("done")
	pg.Data = appetiteData{Appetites: apps, Levels: risk.AppetiteLevels, Scale: scale, Form: form,
		CanSet: access.Allows(principalOf(r), access.ManageRiskAppetite)}
	s.renderStatus(w, r, status, "risk-appetite", pg)
}

func (s *Server) setAppetiteForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	var apps []risk.Appetite
	for _, c := range risk.Categories {
		a := risk.Appetite{Category: c, Level: risk.AppetiteLevel(r.PostForm.Get(string(c)))}
		a.MaxScore, _ = strconv.Atoi(r.PostForm.Get(string(c) + "_max"))
		apps = append(apps, a)
	}
	if err := s.db.SetRiskAppetite(r.Context(), principalOf(r), apps); err != nil {
		if fe := formFault(err); fe != nil {
			s.renderAppetite(w, r, statusFor(fe), r.PostForm, fe)
			return
		}
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/risks/appetite?done="+url.QueryEscape("Risk appetite set"), http.StatusSeeOther)
}

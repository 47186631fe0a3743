package server

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/exchange"
	"caseboard/internal/fault"
	"caseboard/internal/org"
	"caseboard/internal/plan"
	"caseboard/internal/risk"
	"caseboard/internal/store"
)

// The inspections pages: the list, an inspection, a finding with its
// action plan and forms, the Board view, the evidence checks and a
// framework.

type plansPageData struct {
	Inspections []plan.Inspection
	Frameworks  []plan.Framework
	Totals      store.BoardTotals
	CanManage   bool
}

func (s *Server) plansPage(w http.ResponseWriter, r *http.Request) {
	ins, err := s.db.Inspections(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fws, err := s.db.Frameworks(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := s.db.Board(r.Context(), today())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "Inspections and action plans", "/plans")
	p.Data = plansPageData{Inspections: ins, Frameworks: fws, Totals: b.Totals, CanManage: access.CanManagePlans(principalOf(r))}
	s.render(w, r, "plans", p)
}

type inspectionPageData struct {
	inspectionDetail
	ByKind    []findingGroup
	CanManage bool
	People    []org.Person
	Kinds     []plan.Kind
	Form      url.Values
}

type findingGroup struct {
	Kind     plan.Kind
	Heading  string
	Findings []plan.Finding
}

func (s *Server) inspectionPage(w http.ResponseWriter, r *http.Request) {
	s.showInspection(w, r, http.StatusOK, nil)
}

func (s *Server) showInspection(w http.ResponseWriter, r *http.Request, status int, formErr *fault.Error) {
	d, err := s.inspectionDetail(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := inspectionPageData{inspectionDetail: d, CanManage: access.CanManagePlans(principalOf(r)), Kinds: plan.Kinds, Form: r.PostForm}
	if data.Form == nil {
		data.Form = url.Values{}
	}
	if data.CanManage {
		people, err := s.db.People(r.Context(), store.PeopleFilter{Limit: 500})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		data.People = people.People
	}
	for _, k := range plan.Kinds {
		g := findingGroup{Kind: k}
		switch k {
		case plan.Recommendation:
			g.Heading = "Recommendations"
		case plan.Aspect:
			g.Heading = "Aspects for improvement"
		default:
			g.Heading = "Good practice"
		}
		for _, f := range d.Findings {
			if f.Kind == k {
				g.Findings = append(g.Findings, f)
			}
		}
		if len(g.Findings) > 0 {
			data.ByKind = append(data.ByKind, g)
		}
	}
	p := s.newPage(r, d.Inspection.Title, "/plans")
	p.Breadcrumbs = []link{{"Inspections", "/plans"}}
	p.Errors = formErr
	p.Notice = r.URL.Query().Get("done")
	p.Data = data
	s.renderStatus(w, r, status, "inspection", p)
}

// addFindingForm records a recommendation, aspect for improvement or good
// practice of the inspection.
func (s *Server) addFindingForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var v fault.Validation
	number, convErr := strconv.Atoi(strings.TrimSpace(r.PostFormValue("number")))
	if convErr != nil {
		v.Add("number", "Enter the number the report gives it, from 1")
	}
	f := plan.Finding{InspectionID: id, Kind: plan.Kind(r.PostFormValue("kind")), Number: number, Text: r.PostFormValue("text"),
		Paragraph: r.PostFormValue("paragraph"), Criteria: criteriaField(r.PostFormValue("criteria"))}
	if owner := personField(&v, r.PostForm, "owner_id"); owner != 0 {
		f.OwnerID = &owner
	}
	err = v.Err("The finding could not be saved")
	if err == nil {
		err = s.db.AddFinding(r.Context(), principalOf(r), &f)
	}
	if err == nil {
		http.Redirect(w, r, "/plans/findings/"+itoa(f.ID)+"?done="+url.QueryEscape(f.Name()+" recorded"), http.StatusSeeOther)
		return
	}
	fe := fault.As(err)
	if fe == nil || fe.Code == fault.Internal || fe.Code == fault.Unavailable || fe.Code == fault.NotFound {
		s.fail(w, r, err)
		return
	}
	s.showInspection(w, r, statusFor(fe), fe)
}

type newInspectionData struct {
	Form       url.Values
	Frameworks []plan.Framework
	Action     string // where the form posts
	Button     string
}

func (s *Server) newInspectionPage(w http.ResponseWriter, r *http.Request) {
	s.renderInspectionForm(w, r, http.StatusOK, url.Values{"body": {"HMCPSI"}}, nil, nil)
}

// renderInspectionForm shows the form that records an inspection, or
// corrects the details of editing.
func (s *Server) renderInspectionForm(w http.ResponseWriter, r *http.Request, status int, form url.Values, formErr *fault.Error, editing *plan.Inspection) {
	fws, err := s.db.Frameworks(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	title, d := "Record an inspection", newInspectionData{Form: form, Frameworks: fws, Action: "/plans/inspections", Button: "Record inspection"}
	crumbs := []link{{"Inspections", "/plans"}}
	if editing != nil {
		title, d.Action, d.Button = "Change the inspection's details", "/plans/inspections/"+itoa(editing.ID), "Save details"
		crumbs = append(crumbs, link{editing.Title, "/plans/inspections/" + itoa(editing.ID)})
	}
	p := s.newPage(r, title, "/plans")
	p.Breadcrumbs = crumbs
	p.Errors = formErr
	p.Data = d
	s.renderStatus(w, r, status, "inspection-new", p)
}

func (s *Server) createInspectionForm(w http.ResponseWriter, r *http.Request) {
	r.PostFormValue("title") // parses the form
	f := r.PostForm
	ins, err := inspectionFormInput(f).inspection()
	if err == nil {
		err = s.db.CreateInspection(r.Context(), principalOf(r), &ins)
	}
	if err == nil {
		http.Redirect(w, r, "/plans/inspections/"+itoa(ins.ID)+"?done="+url.QueryEscape("Inspection recorded: now add its findings"), http.StatusSeeOther)
		return
	}
	fe := fault.As(err)
	if fe == nil || fe.Code == fault.Internal || fe.Code == fault.Unavailable {
		s.fail(w, r, err)
		return
	}
	s.renderInspectionForm(w, r, statusFor(fe), f, fe, nil)
}

// actionView is an action as the finding page shows it.
type actionView struct {
	store.ActionPlan
	CanWrite   bool
	Open       bool   // an unclosed action
	CanSignOff bool   // the viewer is the accountable owner
	ErrForm    string // the form of this action that failed, if any
	Values     url.Values
}

// FieldID is the id of a field of one of the action's forms: the bare
// field name on the form that failed, so the error summary's links reach
// it, and the name with the action's id elsewhere, so ids stay unique.
func (a actionView) FieldID(form, field string) string {
	if a.ErrForm == form {
		return field
	}
	return field + "-" + itoa(a.ID)
}

// Value is what was typed in a field of the form that failed.
func (a actionView) Value(form, field string) string {
	if a.ErrForm == form {
		return a.Values.Get(field)
	}
	return ""
}

// IsOpen reports whether the form should be shown open: it failed.
func (a actionView) IsOpen(form string) bool { return a.ErrForm == form }

// FlaggedClosed reports whether the action is closed yet cites a check
// that does not pass now.
func (a actionView) FlaggedClosed() bool { return !a.Open && len(a.Flags) > 0 }

type findingPageData struct {
	Plan          store.FindingPlan
	Actions       []actionView
	Inspection    plan.Inspection
	CanManage     bool
	CanSignOff    bool
	CanAddAction  bool
	CanEdit       bool       // a plan manager corrects the finding's words
	CanReopen     bool       // and reopens it once closed
	Edit          url.Values // the correction form's fields: the finding's, or what was typed
	People        []org.Person
	Form          url.Values
	OpenForm      string // which form to show open, with FormAction its action
	FormAction    int64
	Today         time.Time
	Statuses      []plan.ActionStatus
	Decisions     []plan.Decision
	EvidenceKinds []plan.EvidenceKind
	Checks        []plan.CheckInfo
	CheckCodes    string
	Measures      map[string]string
	Risks         []risk.Risk // the risks linked to it that the reader may see
}

func (s *Server) findingPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showFinding(w, r, id, http.StatusOK, nil, "", 0)
}

func (s *Server) showFinding(w http.ResponseWriter, r *http.Request, id int64, status int, formErr *fault.Error, openForm string, formAction int64) {
	fp, err := s.db.Plan(r.Context(), id, today())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, err := s.db.Inspection(r.Context(), fp.Finding.InspectionID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pr := principalOf(r)
	f := fp.Finding
	d := findingPageData{Plan: fp, Inspection: in, CanManage: access.CanManagePlans(pr) && f.Kind.Acted(),
		CanSignOff: access.CanSignOff(pr, f.OwnerID), Form: r.PostForm, OpenForm: openForm, FormAction: formAction, Today: today(),
		Statuses: []plan.ActionStatus{plan.NotStarted, plan.OnTrack, plan.AtRisk, plan.Late}, Decisions: plan.Decisions,
		Checks: store.EvidenceChecks(), Measures: plan.Measures}
	d.CanAddAction = f.Kind.Acted() && !f.Status.Closed() && (access.CanManagePlans(pr) || d.CanSignOff)
	d.CanEdit = access.CanManagePlans(pr)
	d.CanReopen = d.CanEdit && f.Status.Closed()
	d.Edit = url.Values{"edit-number": {strconv.Itoa(f.Number)}, "edit-paragraph": {f.Paragraph}, "edit-text": {f.Text},
		"edit-criteria": {strings.Join(f.Criteria, ", ")}}
	if openForm == "edit" {
		d.Edit = r.PostForm
	}
	var codes []string
	for _, c := range d.Checks {
		codes = append(codes, c.Code)
	}
	d.CheckCodes = strings.Join(codes, ", ")
	for _, k := range plan.EvidenceKinds {
		d.EvidenceKinds = append(d.EvidenceKinds, k.Kind)
	}
	if d.Form == nil {
		d.Form = url.Values{}
	}
	// Only the risks the reader may see: the store leaves out the rest.
	if d.Risks, err = s.db.RisksForFinding(r.Context(), pr, f.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	anyWrite := d.CanAddAction
	for _, a := range fp.Actions {
		v := actionView{ActionPlan: a, Open: a.Status != plan.Done, CanWrite: access.CanWriteAction(pr, a.OwnerID, f.OwnerID),
			CanSignOff: d.CanSignOff, Values: d.Form}
		if formAction == a.ID {
			v.ErrForm = openForm
		}
		anyWrite = anyWrite || (v.CanWrite && v.Open)
		d.Actions = append(d.Actions, v)
	}
	if anyWrite {
		people, err := s.db.People(r.Context(), store.PeopleFilter{Limit: 500})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.People = people.People
	}
	p := s.newPage(r, f.Name()+": "+in.Title, "/plans")
	p.Title = f.Name()
	p.Breadcrumbs = []link{{"Inspections", "/plans"}, {in.Title, "/plans/inspections/" + itoa(in.ID)}}
	p.Errors = formErr
	p.Notice = r.URL.Query().Get("done")
	p.Data = d
	s.renderStatus(w, r, status, "finding", p)
}

// afterPlanForm sends the browser back to the finding, or shows it again
// with the form's errors and what was typed.
func (s *Server) afterPlanForm(w http.ResponseWriter, r *http.Request, findingID int64, form string, actionID int64, err error, done string) {
	if err == nil {
		http.Redirect(w, r, "/plans/findings/"+itoa(findingID)+"?done="+url.QueryEscape(done), http.StatusSeeOther)
		return
	}
	fe := fault.As(err)
	if fe == nil || fe.Code == fault.Internal || fe.Code == fault.Unavailable || fe.Code == fault.NotFound {
		s.fail(w, r, err)
		return
	}
	s.showFinding(w, r, findingID, statusFor(fe), fe, form, actionID)
}

func personField(v *fault.Validation, form url.Values, field string) int64 {
	raw := strings.TrimSpace(form.Get(field))
	if raw == "" {
		return 0
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		v.Add(field, "Choose someone from the list")
	}
	return id
}

func (s *Server) responseForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var v fault.Validation
	resp := plan.Response{Decision: plan.Decision(r.PostFormValue("decision")), Text: r.PostFormValue("text"),
		On: optionalDay(&v, "on", r.PostFormValue("on"))}
	err = v.Err("The response could not be recorded")
	if err == nil {
		err = s.db.RecordResponse(r.Context(), principalOf(r), id, resp)
	}
	if err == nil && r.PostFormValue("owner_id") != "" {
		owner := personField(&v, r.PostForm, "owner_id")
		if err = v.Err("The accountable owner could not be set"); err == nil {
			err = s.db.SetAccountableOwner(r.Context(), principalOf(r), id, owner)
		}
	}
	s.afterPlanForm(w, r, id, "response", 0, err, "Response recorded")
}

func (s *Server) addActionForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var v fault.Validation
	a := plan.Action{FindingID: id, Title: r.PostFormValue("title"), Detail: r.PostFormValue("detail"),
		OwnerID: personField(&v, r.PostForm, "owner_id"), DueOn: optionalDay(&v, "due_on", r.PostFormValue("due_on"))}
	err = v.Err("The action could not be added")
	if err == nil {
		err = s.db.AddAction(r.Context(), principalOf(r), &a)
	}
	s.afterPlanForm(w, r, id, "action", 0, err, "Action added")
}

func (s *Server) closeFindingForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var v fault.Validation
	c := plan.Closure{Status: plan.Status(r.PostFormValue("status")), Note: r.PostFormValue("note"), On: optionalDay(&v, "on", r.PostFormValue("on"))}
	err = v.Err("It could not be closed")
	if err == nil {
		err = s.db.CloseFinding(r.Context(), principalOf(r), id, c)
	}
	s.afterPlanForm(w, r, id, "close", 0, err, "Closed and signed off")
}

// actionForm runs one form on the action named in the path and returns
// to its finding's page.
func (s *Server) actionForm(w http.ResponseWriter, r *http.Request, form, done string, write func(a plan.Action) error) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.db.Action(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.afterPlanForm(w, r, a.FindingID, form, a.ID, write(a), done)
}

func (s *Server) updateActionForm(w http.ResponseWriter, r *http.Request) {
	s.actionForm(w, r, "update", "Update recorded", func(a plan.Action) error {
		u := plan.Update{Status: plan.ActionStatus(r.PostFormValue("status")), Commentary: r.PostFormValue("commentary")}
		return s.db.RecordUpdate(r.Context(), principalOf(r), a.ID, &u)
	})
}

func (s *Server) targetDateForm(w http.ResponseWriter, r *http.Request) {
	s.actionForm(w, r, "target", "Target date changed", func(a plan.Action) error {
		var v fault.Validation
		c := plan.TargetChange{To: optionalDay(&v, "to", r.PostFormValue("to")), Reason: r.PostFormValue("reason"),
			ApprovedByID: personField(&v, r.PostForm, "approved_by_id")}
		if err := v.Err("The target date could not be changed"); err != nil {
			return err
		}
		return s.db.ChangeTarget(r.Context(), principalOf(r), a.ID, &c)
	})
}

func (s *Server) milestoneForm(w http.ResponseWriter, r *http.Request) {
	s.actionForm(w, r, "milestone", "Milestone added", func(a plan.Action) error {
		var v fault.Validation
		m := plan.Milestone{ActionID: a.ID, Title: r.PostFormValue("title"), DueOn: optionalDay(&v, "due_on", r.PostFormValue("due_on"))}
		if err := v.Err("The milestone could not be saved"); err != nil {
			return err
		}
		return s.db.AddMilestone(r.Context(), principalOf(r), &m)
	})
}

func (s *Server) evidenceForm(w http.ResponseWriter, r *http.Request) {
	s.actionForm(w, r, "evidence", "Evidence cited", func(a plan.Action) error {
		e := plan.Evidence{ActionID: a.ID, Kind: plan.EvidenceKind(r.PostFormValue("kind")), Ref: r.PostFormValue("ref"), Note: r.PostFormValue("note")}
		return s.db.AddEvidence(r.Context(), principalOf(r), &e)
	})
}

func (s *Server) closeActionForm(w http.ResponseWriter, r *http.Request) {
	s.actionForm(w, r, "close-action", "Action closed and signed off", func(a plan.Action) error {
		var v fault.Validation
		c := plan.ActionClosure{On: optionalDay(&v, "on", r.PostFormValue("on")), Note: r.PostFormValue("note")}
		if err := v.Err("The action could not be closed"); err != nil {
			return err
		}
		return s.db.CloseAction(r.Context(), principalOf(r), a.ID, c)
	})
}

type boardPageData struct {
	store.Board
	MaxTrend int
}

func (s *Server) boardPage(w http.ResponseWriter, r *http.Request) {
	b, err := s.db.Board(r.Context(), today())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := boardPageData{Board: b, MaxTrend: 1}
	for _, t := range b.Trend {
		d.MaxTrend = max(d.MaxTrend, t.OpenAtEnd, t.Closed, t.Opened)
	}
	p := s.newPage(r, "Board view", "/plans")
	p.Breadcrumbs = []link{{"Inspections", "/plans"}}
	p.Data = d
	s.render(w, r, "board", p)
}

type checksPageData struct {
	Checks []plan.CheckStatus
	CanRun bool
}

func (s *Server) checksPage(w http.ResponseWriter, r *http.Request) {
	st, err := s.db.CheckStatuses(r.Context(), 10)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "Evidence checks", "/plans")
	p.Breadcrumbs = []link{{"Inspections", "/plans"}}
	p.Notice = r.URL.Query().Get("done")
	p.Data = checksPageData{Checks: st, CanRun: access.CanManagePlans(principalOf(r))}
	s.render(w, r, "checks", p)
}

func (s *Server) runChecksForm(w http.ResponseWriter, r *http.Request) {
	if _, err := s.db.EvaluateChecks(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/plans/checks?done="+url.QueryEscape("Every check evaluated now"), http.StatusSeeOther)
}

type frameworkPageData struct {
	Readiness store.Readiness
	CanAssess bool
	Summary   []ratingCount
}

type ratingCount struct {
	Rating plan.Rating
	Count  int
}

func (s *Server) frameworkPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rd, err := s.db.Readiness(r.Context(), id, today())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, rd.Framework.Title, "/plans")
	p.Breadcrumbs = []link{{"Inspections", "/plans"}}
	p.Notice = r.URL.Query().Get("done")
	d := frameworkPageData{Readiness: rd, CanAssess: access.CanManagePlans(principalOf(r))}
	for _, rating := range plan.Ratings {
		d.Summary = append(d.Summary, ratingCount{rating, rd.Ratings[rating]})
	}
	p.Data = d
	s.render(w, r, "framework", p)
}

type criterionPageData struct {
	Framework plan.Framework
	Row       store.ReadinessRow
	CanAssess bool
	Ratings   []plan.Rating
	Form      url.Values
}

func (s *Server) criterionPage(w http.ResponseWriter, r *http.Request) {
	s.showCriterion(w, r, http.StatusOK, nil)
}

func (s *Server) showCriterion(w http.ResponseWriter, r *http.Request, status int, formErr *fault.Error) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rd, err := s.db.Readiness(r.Context(), id, today())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	criterion := r.PathValue("criterion")
	d := criterionPageData{Framework: rd.Framework, CanAssess: access.CanManagePlans(principalOf(r)), Ratings: plan.Ratings, Form: r.PostForm}
	found := false
	for _, row := range rd.Rows {
		if row.ID == criterion {
			d.Row, found = row, true
		}
	}
	if !found {
		s.fail(w, r, fault.Errorf(fault.NotFound, "The framework has no criterion %q", criterion))
		return
	}
	if d.Form == nil {
		d.Form = url.Values{}
		if a := d.Row.Assessment; a != nil {
			d.Form.Set("rating", string(a.Rating))
			d.Form.Set("commentary", a.Commentary)
		}
	}
	p := s.newPage(r, criterion+": "+rd.Framework.Title, "/plans")
	p.Breadcrumbs = []link{{"Inspections", "/plans"}, {rd.Framework.Title, "/plans/frameworks/" + itoa(id)}}
	p.Errors = formErr
	p.Data = d
	s.renderStatus(w, r, status, "criterion", p)
}

func (s *Server) assessForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a := plan.Assessment{FrameworkID: id, Criterion: r.PathValue("criterion"), Rating: plan.Rating(r.PostFormValue("rating")), Commentary: r.PostFormValue("commentary")}
	err = s.db.SaveAssessment(r.Context(), principalOf(r), &a)
	if err == nil {
		http.Redirect(w, r, "/plans/frameworks/"+itoa(id)+"?done="+url.QueryEscape(a.Criterion+" assessed as "+strings.ToLower(a.Rating.Label()))+"#criterion-"+a.Criterion, http.StatusSeeOther)
		return
	}
	fe := fault.As(err)
	if fe == nil || fe.Code == fault.Internal || fe.Code == fault.Unavailable || fe.Code == fault.NotFound {
		s.fail(w, r, err)
		return
	}
	s.showCriterion(w, r, statusFor(fe), fe)
}

// readinessExport downloads a framework's readiness report as XLSX.
func (s *Server) readinessExport(w http.ResponseWriter, r *http.Request) {
	s.readinessDownload(w, r, "xlsx", func(ctx context.Context, buf *bytes.Buffer, id int64) error {
		_, err := exchange.ExportReadiness(ctx, s.db, buf, "xlsx", id)
		return err
	})
}

// readinessPDF downloads a framework's readiness report as a printable
// PDF.
func (s *Server) readinessPDF(w http.ResponseWriter, r *http.Request) {
	s.readinessDownload(w, r, "pdf", func(ctx context.Context, buf *bytes.Buffer, id int64) error {
		_, err := exchange.ExportReadinessPDF(ctx, s.db, buf, id)
		return err
	})
}

// readinessDownload writes the readiness report of the framework named
// in the path, named for the framework and the day.
func (s *Server) readinessDownload(w http.ResponseWriter, r *http.Request, ext string, write func(context.Context, *bytes.Buffer, int64) error) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	fw, err := s.db.Framework(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := write(r.Context(), &buf, id); err != nil {
		s.fail(w, r, err)
		return
	}
	name := "readiness-" + fw.Code + "-" + today().Format("2006-01-02") + "." + ext
	if ext == "pdf" {
		writePDF(w, name, buf.Bytes())
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

package server

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/fault"
	"caseboard/internal/quality"
	"caseboard/internal/store"
)

type qualityHomeData struct {
	store.AssessmentList
	Overdue      []quality.Obligation
	Open         []quality.Obligation
	CanAssess    bool
	CanCalibrate bool
	CanRead      bool // individual assessments: not the Board or inspectors
}

// qualityPage is "Quality": the person's assessments given and received,
// the re-marks they are asked for, and what they owe their reports.
func (s *Server) qualityPage(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	list, err := s.db.MyAssessments(r.Context(), p, 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	obligations, err := s.myObligations(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := qualityHomeData{AssessmentList: list, CanAssess: len(p.Reports) > 0 && access.Allows(p, access.WriteQuality),
		CanCalibrate: access.Allows(p, access.ReadCalibration), CanRead: access.Allows(p, access.ReadQuality)}
	now := today()
	for _, o := range obligations {
		switch o.Status(now) {
		case "overdue":
			d.Overdue = append(d.Overdue, o)
		case "open":
			d.Open = append(d.Open, o)
		}
	}
	page := s.newPage(r, "Quality", "/quality")
	page.Notice = r.URL.Query().Get("done")
	page.Data = d
	s.render(w, r, "quality", page)
}

// questionView is one question of the form with what was answered.
type questionView struct {
	quality.Question
	Answer, Comment string
	Error           string
}

// Radios is the govukRadios partial's parameters for the question.
func (q questionView) Radios() map[string]any {
	items := []any{}
	for _, a := range quality.Scale {
		items = append(items, map[string]any{"value": string(a), "text": a.Label(), "checked": q.Answer == string(a)})
	}
	params := map[string]any{"name": "answer_" + q.Code, "idPrefix": "answer_" + q.Code, "classes": "govuk-radios--small govuk-radios--inline",
		"fieldset": map[string]any{"legend": map[string]any{"text": q.Text, "classes": "govuk-fieldset__legend--s"}},
		"hint":     map[string]any{"text": q.Standard}, "items": items}
	if q.Error != "" {
		params["errorMessage"] = map[string]any{"text": q.Error}
	}
	return params
}

type assessmentFormData struct {
	Mode        string // "new", "edit" or "remark"
	Action      string
	Reports     []quality.Person
	Activities  []quality.Activity
	AssessedID  int64
	Activity    quality.Activity
	Template    *quality.Template
	Cases       []casework.Case
	CaseID      int64
	AssessedOn  string
	Feedback    string
	Reason      string
	Version     int
	NeedsReason bool
	Questions   []questionView
	Assessment  quality.Assessment
}

// newAssessmentPage is the assessment form: first the person and the
// activity, then the case and the questions of the current template.
func (s *Server) newAssessmentPage(w http.ResponseWriter, r *http.Request) {
	s.renderAssessmentForm(w, r, http.StatusOK, r.URL.Query(), nil)
}

func (s *Server) renderAssessmentForm(w http.ResponseWriter, r *http.Request, status int, form url.Values, formErr *fault.Error) {
	p := principalOf(r)
	reports, err := s.db.ReportsOf(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := assessmentFormData{Mode: "new", Action: "/quality/assessments", Reports: reports, Activities: quality.Activities,
		Activity: quality.Activity(form.Get("activity")), AssessedOn: form.Get("assessed_on"), Feedback: form.Get("feedback")}
	if d.AssessedOn == "" {
		d.AssessedOn = today().Format("2006-01-02")
	}
	d.AssessedID, _ = strconv.ParseInt(form.Get("assessed_id"), 10, 64)
	d.CaseID, _ = strconv.ParseInt(form.Get("case_id"), 10, 64)
	i := slices.IndexFunc(reports, func(q quality.Person) bool { return q.ID == d.AssessedID })
	if i >= 0 && d.Activity.Valid() && d.Activity.Profession() == reports[i].Profession {
		tpl, _ := quality.Current(d.Activity, d.AssessedOn)
		if v, err := strconv.Atoi(form.Get("template_version")); err == nil {
			if chosen, err := quality.TemplateFor(d.Activity, v); err == nil {
				tpl = chosen
			}
		}
		d.Template = &tpl
		d.Questions = questionViews(tpl, form, formErr)
		if d.Cases, err = s.casesToAssess(r, reports[i]); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	page := s.newPage(r, "Record an assessment", "/quality")
	page.Breadcrumbs = []link{{"Quality", "/quality"}}
	page.Errors = formErr
	page.Data = d
	s.renderStatus(w, r, status, "quality-assessment-form", page)
}

// casesToAssess are the cases the form offers: a lawyer's own cases, or
// for paralegal staff the cases of their unit, as the assessor sees them.
func (s *Server) casesToAssess(r *http.Request, person quality.Person) ([]casework.Case, error) {
	f := store.CaseFilter{Limit: 200, Sort: "opened", Today: today()}
	if person.Profession == "legal" {
		f.LawyerID = &person.ID
	} else {
		units, err := s.db.Units(r.Context())
		if err != nil {
			return nil, err
		}
		for _, u := range units {
			if u.ID == person.UnitID {
				f.Unit = u.Code
			}
		}
	}
	page, err := s.db.Cases(r.Context(), principalOf(r), f)
	return page.Cases, err
}

func questionViews(t quality.Template, form url.Values, formErr *fault.Error) []questionView {
	out := make([]questionView, 0, len(t.Questions))
	for _, q := range t.Questions {
		v := questionView{Question: q, Answer: form.Get("answer_" + q.Code), Comment: form.Get("comment_" + q.Code)}
		if formErr != nil {
			v.Error = formErr.FieldMessage("answer_" + q.Code)
		}
		out = append(out, v)
	}
	return out
}

// marksFrom reads the marks of a template's questions from a form; an
// unanswered question is left out, for validation to name.
func marksFrom(t quality.Template, form url.Values) []quality.Mark {
	var marks []quality.Mark
	for _, q := range t.Questions {
		if answer := form.Get("answer_" + q.Code); answer != "" {
			marks = append(marks, quality.Mark{Question: q.Code, Answer: quality.Answer(answer), Comment: form.Get("comment_" + q.Code)})
		}
	}
	return marks
}

func (s *Server) createAssessmentForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	form := r.PostForm
	var v fault.Validation
	a := quality.Assessment{Activity: quality.Activity(form.Get("activity")), Feedback: form.Get("feedback")}
	a.AssessedID = formID(&v, form, "assessed_id", "Choose the person assessed")
	a.CaseID = formID(&v, form, "case_id", "Choose the case the assessment is of")
	a.AssessedOn = parseDay(&v, "assessed_on", form.Get("assessed_on"))
	a.TemplateVersion, _ = strconv.Atoi(form.Get("template_version"))
	if t, err := quality.TemplateFor(a.Activity, a.TemplateVersion); err == nil {
		a.Marks = marksFrom(t, form)
	}
	err := v.Err("The assessment could not be saved")
	if err == nil {
		err = s.db.CreateAssessment(r.Context(), principalOf(r), &a)
	}
	if err != nil {
		fe := fault.As(err)
		if fe == nil || fe.Code == fault.Internal || fe.Code == fault.Unavailable || (fe.Code == fault.NotFound && len(fe.Fields) == 0) {
			s.fail(w, r, err)
			return
		}
		s.renderAssessmentForm(w, r, statusFor(fe), form, fe)
		return
	}
	http.Redirect(w, r, "/quality/assessments/"+itoa(a.ID)+"?done="+url.QueryEscape("Assessment recorded"), http.StatusSeeOther)
}

type assessmentPageData struct {
	Assessment     quality.Assessment
	Revisions      []quality.Revision
	Questions      map[string]quality.Question
	CanAcknowledge bool
	CanRevise      bool
}

func (s *Server) assessmentPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := principalOf(r)
	a, revisions, err := s.db.Assessment(r.Context(), p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := assessmentPageData{Assessment: a, Revisions: revisions, Questions: map[string]quality.Question{},
		CanAcknowledge: quality.CheckAcknowledgement(a, p.PersonID) == nil && access.Allows(p, access.WriteQuality),
		CanRevise:      a.Kind == quality.IQA && a.AssessorID == p.PersonID && access.Allows(p, access.WriteQuality)}
	if t, err := quality.TemplateFor(a.Activity, a.TemplateVersion); err == nil {
		for _, q := range t.Questions {
			d.Questions[q.Code] = q
		}
	}
	title := a.Activity.Label() + " assessment of " + a.AssessedName
	if a.Kind == quality.Remark {
		title = "Re-mark of " + a.AssessedName
	}
	page := s.newPage(r, title, "/quality")
	page.Breadcrumbs = []link{{"Quality", "/quality"}}
	page.Notice = r.URL.Query().Get("done")
	page.Data = d
	s.render(w, r, "quality-assessment", page)
}

func (s *Server) acknowledgeForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.db.AcknowledgeAssessment(r.Context(), principalOf(r), id); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/quality/assessments/"+itoa(id)+"?done="+url.QueryEscape("Assessment acknowledged"), http.StatusSeeOther)
}

// editAssessmentPage is the form that changes an assessment: a new version,
// with a reason once it has been acknowledged.
func (s *Server) editAssessmentPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, _, err := s.db.Assessment(r.Context(), principalOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := url.Values{"feedback": {a.Feedback}, "version": {strconv.Itoa(a.Version)}}
	for _, m := range a.Marks {
		form.Set("answer_"+m.Question, string(m.Answer))
		form.Set("comment_"+m.Question, m.Comment)
	}
	s.renderRevisionForm(w, r, http.StatusOK, a, form, nil)
}

func (s *Server) renderRevisionForm(w http.ResponseWriter, r *http.Request, status int, a quality.Assessment, form url.Values, formErr *fault.Error) {
	if err := quality.CheckRevision(a, principalOf(r).PersonID, "a reason"); err != nil || a.Kind != quality.IQA {
		s.fail(w, r, fault.Errorf(fault.Forbidden, "Only the assessor may change an assessment"))
		return
	}
	t, err := quality.TemplateFor(a.Activity, a.TemplateVersion)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	version, _ := strconv.Atoi(form.Get("version"))
	d := assessmentFormData{Mode: "edit", Action: "/quality/assessments/" + itoa(a.ID) + "/edit", Template: &t, Assessment: a,
		Questions: questionViews(t, form, formErr), Feedback: form.Get("feedback"), Reason: form.Get("reason"),
		Version: version, NeedsReason: a.AcknowledgedAt != nil}
	page := s.newPage(r, "Change the assessment", "/quality")
	page.Breadcrumbs = []link{{"Quality", "/quality"}, {"Assessment", "/quality/assessments/" + itoa(a.ID)}}
	page.Errors = formErr
	page.Data = d
	s.renderStatus(w, r, status, "quality-assessment-form", page)
}

func (s *Server) reviseAssessmentForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm()
	form := r.PostForm
	a, _, err := s.db.Assessment(r.Context(), principalOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := quality.TemplateFor(a.Activity, a.TemplateVersion)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	version, _ := strconv.Atoi(form.Get("version"))
	_, err = s.db.ReviseAssessment(r.Context(), principalOf(r), id, store.AssessmentChange{Version: version, Marks: marksFrom(t, form),
		Feedback: form.Get("feedback"), Reason: form.Get("reason")})
	if err != nil {
		fe := fault.As(err)
		if fe == nil || (fe.Code != fault.Invalid && fe.Code != fault.Conflict) {
			s.fail(w, r, err)
			return
		}
		s.renderRevisionForm(w, r, statusFor(fe), a, form, fe)
		return
	}
	http.Redirect(w, r, "/quality/assessments/"+itoa(id)+"?done="+url.QueryEscape("A new version of the assessment was saved"), http.StatusSeeOther)
}

// remarkPage is the blind re-mark form: the case and person, the
// questions, and nothing of the original marks.
func (s *Server) remarkPage(w http.ResponseWriter, r *http.Request) {
	s.renderRemarkForm(w, r, http.StatusOK, url.Values{}, nil)
}

func (s *Server) renderRemarkForm(w http.ResponseWriter, r *http.Request, status int, form url.Values, formErr *fault.Error) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.db.SampledAssessment(r.Context(), principalOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := quality.TemplateFor(a.Activity, a.TemplateVersion)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := assessmentFormData{Mode: "remark", Action: "/quality/assessments/" + itoa(id) + "/remark", Template: &t, Assessment: a,
		Questions: questionViews(t, form, formErr), Feedback: form.Get("feedback")}
	page := s.newPage(r, "Re-mark an assessment", "/quality")
	page.Breadcrumbs = []link{{"Quality", "/quality"}}
	page.Errors = formErr
	page.Data = d
	s.renderStatus(w, r, status, "quality-assessment-form", page)
}

func (s *Server) remarkForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm()
	a, err := s.db.SampledAssessment(r.Context(), principalOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := quality.TemplateFor(a.Activity, a.TemplateVersion)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	remark := quality.Assessment{Marks: marksFrom(t, r.PostForm), Feedback: r.PostForm.Get("feedback")}
	if err := s.db.CreateRemark(r.Context(), principalOf(r), id, &remark); err != nil {
		fe := fault.As(err)
		if fe == nil || fe.Code != fault.Invalid {
			s.fail(w, r, err)
			return
		}
		s.renderRemarkForm(w, r, statusFor(fe), r.PostForm, fe)
		return
	}
	http.Redirect(w, r, "/quality?done="+url.QueryEscape("Re-mark recorded"), http.StatusSeeOther)
}

type completionPageData struct {
	Division completionReport
	Units    completionReport
	Teams    completionReport
}

// completionPage shows IQA completion for the division, each unit and
// each team: counts only, so the Board and inspectors may see it.
func (s *Server) completionPage(w http.ResponseWriter, r *http.Request) {
	var d completionPageData
	for _, g := range []struct {
		by   string
		into *completionReport
	}{{"division", &d.Division}, {"unit", &d.Units}, {"team", &d.Teams}} {
		q := r.URL.Query()
		q.Set("by", g.by)
		r2 := r.Clone(r.Context())
		r2.URL.RawQuery = q.Encode()
		rep, err := s.completion(r2)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		*g.into = rep
	}
	page := s.newPage(r, "IQA completion", "/quality")
	page.Breadcrumbs = []link{{"Quality", "/quality"}}
	page.Data = d
	s.render(w, r, "quality-completion", page)
}

type trendsPageData struct {
	trendsReport
	// CanShare says whether the reader may share a theme as a
	// lessons-learned draft.
	CanShare bool
	Units    []unitChoice
	Quarters []string
	Rows     []trendRow
}

// trendRow is a question with its share not met in each quarter shown,
// nil where the quarter has no marks of it.
type trendRow struct {
	quality.QuestionTrend
	Quarters []*float64
}

type unitChoice struct {
	Code, Name string
	Selected   bool
}

// trendsPage shows the questions most often not met, by unit and quarter.
func (s *Server) trendsPage(w http.ResponseWriter, r *http.Request) {
	s.renderTrends(w, r, http.StatusOK, nil)
}

// renderTrends shows the trends the request asks for, with what was wrong
// with a theme shared from them, if anything.
func (s *Server) renderTrends(w http.ResponseWriter, r *http.Request, status int, formErr *fault.Error) {
	rep, err := s.trends(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, err := s.db.Units(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := trendsPageData{trendsReport: rep, CanShare: access.Allows(principalOf(r), access.WriteKnowledge)}
	for _, u := range units {
		d.Units = append(d.Units, unitChoice{u.Code, u.Name, u.Code == rep.Unit})
	}
	seen := map[string]bool{}
	for _, q := range rep.Questions {
		for quarter := range q.ByQuarter {
			if !seen[quarter] {
				seen[quarter] = true
				d.Quarters = append(d.Quarters, quarter)
			}
		}
	}
	slices.Sort(d.Quarters)
	for i, q := range rep.Questions {
		if i == 10 {
			break
		}
		row := trendRow{QuestionTrend: q}
		for _, quarter := range d.Quarters {
			if share, ok := q.ByQuarter[quarter]; ok {
				row.Quarters = append(row.Quarters, &share)
			} else {
				row.Quarters = append(row.Quarters, nil)
			}
		}
		d.Rows = append(d.Rows, row)
	}
	page := s.newPage(r, "What IQAs find", "/quality")
	page.Breadcrumbs = []link{{"Quality", "/quality"}}
	page.Errors = formErr
	page.Data = d
	s.renderStatus(w, r, status, "quality-trends", page)
}

type calibrationPageData struct {
	calibrationReport
	Units        []unitChoice
	UnitName     string
	MinMarks     int
	MinDisagree  int
	AlphaPercent string
	Form         url.Values
}

// calibrationPage is for the head of a unit (and of the division): each
// assessor's marking against their peers and against blind re-marks, and
// the form that draws a dip sample for re-marking.
func (s *Server) calibrationPage(w http.ResponseWriter, r *http.Request) {
	s.renderCalibration(w, r, http.StatusOK, url.Values{}, nil)
}

func (s *Server) renderCalibration(w http.ResponseWriter, r *http.Request, status int, form url.Values, formErr *fault.Error) {
	rep, err := s.calibration(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, err := s.db.Units(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := calibrationPageData{calibrationReport: rep, MinMarks: quality.MinMarks, MinDisagree: quality.MinDisagreements,
		AlphaPercent: strconv.FormatFloat(quality.Alpha*100, 'f', -1, 64) + "%", Form: form}
	for _, u := range units {
		if access.CanCalibrate(principalOf(r), u.ID) {
			d.Units = append(d.Units, unitChoice{u.Code, u.Name, u.Code == rep.Unit})
		}
		if u.Code == rep.Unit {
			d.UnitName = u.Name
		}
	}
	if form.Get("from") == "" {
		form.Set("from", today().AddDate(0, -3, 0).Format("2006-01-02"))
		form.Set("to", today().Format("2006-01-02"))
		form.Set("size", "5")
	}
	page := s.newPage(r, "Calibration: "+d.UnitName, "/quality")
	page.Breadcrumbs = []link{{"Quality", "/quality"}}
	page.Notice = r.URL.Query().Get("done")
	page.Errors = formErr
	page.Data = d
	s.renderStatus(w, r, status, "quality-calibration", page)
}

func (s *Server) dipSampleForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	form := r.PostForm
	size, _ := strconv.Atoi(form.Get("size"))
	in := dipSampleInput{Unit: form.Get("unit"), From: form.Get("from"), To: form.Get("to"), Size: size}
	if raw := strings.TrimSpace(form.Get("seed")); raw != "" {
		if seed, err := strconv.ParseInt(raw, 10, 64); err == nil {
			in.Seed = &seed
		}
	}
	sample, err := s.drawDipSample(r, in)
	if err != nil {
		fe := fault.As(err)
		if fe == nil || fe.Code != fault.Invalid {
			s.fail(w, r, err)
			return
		}
		q := r.URL.Query()
		q.Set("unit", in.Unit)
		r.URL.RawQuery = q.Encode()
		s.renderCalibration(w, r, statusFor(fe), form, fe)
		return
	}
	done := "Dip sample " + itoa(sample.ID) + " drawn with seed " + itoa(sample.Seed) + ": " + strconv.Itoa(len(sample.Assessments)) +
		" assessments to re-mark, listed on your Quality page"
	http.Redirect(w, r, "/quality/calibration?unit="+url.QueryEscape(in.Unit)+"&done="+url.QueryEscape(done), http.StatusSeeOther)
}

// overdueIQAs are the principal's IQA obligations whose period has ended
// unmet, for "My work".
func (s *Server) overdueIQAs(r *http.Request) ([]quality.Obligation, error) {
	if !access.Allows(principalOf(r), access.ReadQuality) {
		return nil, nil
	}
	mine, err := s.myObligations(r)
	var overdue []quality.Obligation
	for _, o := range mine {
		if o.Status(today()) == "overdue" {
			overdue = append(overdue, o)
		}
	}
	return overdue, err
}

package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"caseboard/internal/fault"
	"caseboard/internal/quality"
	"caseboard/internal/spreadsheet"
	"caseboard/internal/store"
)

// complianceReport is the compliance rules' results over the cases the
// caller may see.
type complianceReport struct {
	Unit     string                   `json:"unit"` // empty for every unit
	By       string                   `json:"by"`
	Rules    []quality.ComplianceRule `json:"rules"`
	Groups   []quality.GroupResult    `json:"groups"`
	Breaches []quality.Breach         `json:"breaches"`
}

// caseSampleInput asks for a dip sample of the caller's reports' cases.
type caseSampleInput struct {
	Size int    `json:"size"`
	Seed *int64 `json:"seed,omitempty"` // default: from the clock, and recorded
}

func (s *Server) compliance(r *http.Request) (complianceReport, error) {
	q := r.URL.Query()
	unit, err := s.unitByCode(r, q.Get("unit"))
	if err != nil {
		return complianceReport{}, err
	}
	rep := complianceReport{By: q.Get("by"), Rules: quality.ComplianceRules}
	var unitID *int64
	if unit != nil {
		unitID, rep.Unit = &unit.ID, unit.Code
	}
	units, err := s.db.Units(r.Context())
	if err != nil {
		return rep, err
	}
	teams, err := s.db.Teams(r.Context())
	if err != nil {
		return rep, err
	}
	unitNames, teamNames := map[int64]string{}, map[int64]string{}
	for _, u := range units {
		unitNames[u.ID] = u.Name
	}
	for _, t := range teams {
		teamNames[t.ID] = t.Name
	}
	var group func(quality.CaseFacts) string
	switch rep.By {
	case "", "unit":
		rep.By = "unit"
		group = func(f quality.CaseFacts) string { return unitNames[f.UnitID] }
	case "team":
		group = func(f quality.CaseFacts) string {
			if f.TeamID == nil {
				return unitNames[f.UnitID] + ": no team"
			}
			return unitNames[f.UnitID] + ": " + teamNames[*f.TeamID]
		}
	case "lawyer":
		group = func(f quality.CaseFacts) string {
			if f.LawyerName == "" {
				return "No lawyer allocated"
			}
			return f.LawyerName
		}
	default:
		return rep, &fault.Error{Code: fault.Invalid, Message: "Compliance is grouped by unit, team or lawyer",
			Fields: []fault.FieldError{{Field: "by", Message: "Choose unit, team or lawyer"}}}
	}
	evaluation := quality.NewEvaluation(quality.ComplianceRules, today(), group)
	if err := s.db.EachComplianceFact(r.Context(), principalOf(r), unitID, evaluation.Add); err != nil {
		return rep, err
	}
	rep.Breaches, rep.Groups = evaluation.Result()
	rep.Breaches = nonNil(rep.Breaches)
	return rep, nil
}

func (s *Server) apiCompliance(w http.ResponseWriter, r *http.Request) {
	rep, err := s.compliance(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

func (s *Server) apiDrawCaseSample(w http.ResponseWriter, r *http.Request) {
	var in caseSampleInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	sample := store.CaseSample{Size: in.Size, Seed: seedOr(in.Seed)}
	if err := s.db.DrawCaseSample(r.Context(), principalOf(r), &sample); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, sample)
}

func seedOr(seed *int64) int64 {
	if seed != nil {
		return *seed
	}
	return time.Now().UnixNano() % 1_000_000_000
}

type compliancePageData struct {
	complianceReport
	Units    []unitChoice
	Shown    []quality.Breach
	More     int
	Samples  []store.CaseSample
	CanDraw  bool
	Query    url.Values
	Describe map[string]string
}

// compliancePage shows the compliance rules' results by unit, team or
// lawyer over the cases the person may see, the failing cases, and the
// dip samples they have drawn.
func (s *Server) compliancePage(w http.ResponseWriter, r *http.Request) {
	rep, err := s.compliance(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, err := s.db.Units(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	samples, err := s.db.CaseSamples(r.Context(), principalOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := compliancePageData{complianceReport: rep, Samples: samples, CanDraw: len(principalOf(r).Reports) > 0,
		Query: r.URL.Query(), Describe: map[string]string{}}
	for _, u := range units {
		d.Units = append(d.Units, unitChoice{u.Code, u.Name, u.Code == rep.Unit})
	}
	for _, rule := range quality.ComplianceRules {
		d.Describe[rule.Code] = rule.Description
	}
	d.Shown = rep.Breaches
	if len(d.Shown) > 100 {
		d.Shown, d.More = d.Shown[:100], len(d.Shown)-100
	}
	page := s.newPage(r, "Compliance checks", "/quality")
	page.Breadcrumbs = []link{{"Quality", "/quality"}}
	page.Notice = r.URL.Query().Get("done")
	page.Data = d
	s.render(w, r, "quality-compliance", page)
}

func (s *Server) caseSampleForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	size, _ := strconv.Atoi(r.PostForm.Get("size"))
	var seed *int64
	if raw := strings.TrimSpace(r.PostForm.Get("seed")); raw != "" {
		if n, err := strconv.ParseInt(raw, 10, 64); err == nil {
			seed = &n
		}
	}
	sample := store.CaseSample{Size: size, Seed: seedOr(seed)}
	if err := s.db.DrawCaseSample(r.Context(), principalOf(r), &sample); err != nil {
		s.fail(w, r, err)
		return
	}
	done := fmt.Sprintf("Sample %d drawn with seed %d: %s", sample.ID, sample.Seed, strings.Join(sample.References, ", "))
	http.Redirect(w, r, "/quality/compliance?done="+url.QueryEscape(done), http.StatusSeeOther)
}

// assessmentsExport writes the assessments the person may read, made in
// the period, as XLSX: one row per mark, so a spreadsheet can pivot them.
func (s *Server) assessmentsExport(w http.ResponseWriter, r *http.Request) {
	from, to, err := period(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	all, err := s.db.ExportAssessments(r.Context(), principalOf(r), from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeXLSX(w, r, "assessments", []string{"Assessment", "Kind", "Date", "Person assessed", "Assessor", "Case", "Activity",
		"Template version", "Version", "Acknowledged", "Question", "Answer", "Comment", "Feedback"}, func(row func([]spreadsheet.Cell) error) error {
		for _, a := range all {
			acknowledged := spreadsheet.Text("")
			if a.AcknowledgedAt != nil {
				acknowledged = spreadsheet.Date(*a.AcknowledgedAt)
			}
			for _, m := range a.Marks {
				if err := row([]spreadsheet.Cell{spreadsheet.Number(float64(a.ID)), spreadsheet.Text(string(a.Kind)), spreadsheet.Date(a.AssessedOn),
					spreadsheet.Text(a.AssessedName), spreadsheet.Text(a.AssessorName), spreadsheet.Text(a.CaseReference), spreadsheet.Text(a.Activity.Label()),
					spreadsheet.Number(float64(a.TemplateVersion)), spreadsheet.Number(float64(a.Version)), acknowledged,
					spreadsheet.Text(m.Question), spreadsheet.Text(m.Answer.Label()), spreadsheet.Text(m.Comment), spreadsheet.Text(a.Feedback)}); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// complianceExport writes every breach of the compliance rules among the
// cases the person may see as XLSX.
func (s *Server) complianceExport(w http.ResponseWriter, r *http.Request) {
	rep, err := s.compliance(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	describe := map[string]string{}
	for _, rule := range rep.Rules {
		describe[rule.Code] = rule.Description
	}
	s.writeXLSX(w, r, "compliance", []string{"Case", "Lawyer", "Rule", "What the rule requires"}, func(row func([]spreadsheet.Cell) error) error {
		for _, b := range rep.Breaches {
			if err := row([]spreadsheet.Cell{spreadsheet.Text(b.Reference), spreadsheet.Text(b.LawyerName), spreadsheet.Text(b.Rule),
				spreadsheet.Text(describe[b.Rule])}); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeXLSX sends a one-sheet workbook as a download.
func (s *Server) writeXLSX(w http.ResponseWriter, r *http.Request, name string, header []string, rows func(func([]spreadsheet.Cell) error) error) {
	var buf strings.Builder
	out, err := spreadsheet.NewWriter(&buf, "xlsx", strings.ToUpper(name[:1])+name[1:])
	if err == nil {
		err = out.WriteHeader(header)
	}
	if err == nil {
		err = rows(out.WriteCells)
	}
	if err == nil {
		err = out.Close()
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.xlsx"`, name, today().Format("2006-01-02")))
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte(buf.String()))
}

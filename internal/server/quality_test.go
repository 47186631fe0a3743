package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"caseboard/internal/quality"
	"caseboard/internal/store"
)

// advocacyMarks answers every question of the advocacy template, as JSON.
var advocacyMarks = func() string {
	t, _ := quality.Current(quality.LegalAdvocacy, "2026-01-01")
	var parts []string
	for _, q := range t.Questions {
		parts = append(parts, fmt.Sprintf(`{"question":%q,"answer":"fully_meets"}`, q.Code))
	}
	return `"marks":[` + strings.Join(parts, ",") + `]`
}()

// newAssessment records, as the head of division, an advocacy IQA of the
// fixture's lawyer on the fixture's case; with remark, it is also drawn in
// a dip sample for the unit head to re-mark.
func (f *fixture) newAssessment(t *testing.T, remark bool) int64 {
	t.Helper()
	ctx := context.Background()
	hod, err := f.db.Principal(ctx, f.people["hod"])
	if err != nil {
		t.Fatal(err)
	}
	a := quality.Assessment{AssessedID: f.people["lawyer"], CaseID: f.caseID, Activity: quality.LegalAdvocacy, AssessedOn: time.Now().UTC(),
		Marks: advocacyAnswers(quality.PartiallyMeets)}
	if err := f.db.CreateAssessment(ctx, hod, &a); err != nil {
		t.Fatal(err)
	}
	if remark {
		s := store.DipSample{UnitID: a.UnitID, From: a.AssessedOn, To: a.AssessedOn, Size: 100, Seed: 1, RemarkerID: f.people["unit_head"]}
		if err := f.db.DrawDipSample(ctx, hod, &s); err != nil {
			t.Fatal(err)
		}
	}
	return a.ID
}

func advocacyAnswers(answer quality.Answer) []quality.Mark {
	t, _ := quality.Current(quality.LegalAdvocacy, "2026-01-01")
	var marks []quality.Mark
	for _, q := range t.Questions {
		marks = append(marks, quality.Mark{Question: q.Code, Answer: answer})
	}
	return marks
}

// qualitySample fills the quality placeholders of an OpenAPI sample: an
// assessment made for the request, and the lawyer's person id.
func (f *fixture) qualitySample(t *testing.T, path, body string) (string, string) {
	if strings.Contains(path, "{assessment}") {
		id := f.newAssessment(t, strings.HasSuffix(path, "/remark"))
		path = strings.Replace(path, "?{assessment}", "", 1)
		path = strings.Replace(path, "{assessment}", fmt.Sprint(id), 1)
	}
	return path, strings.NewReplacer("{lawyer}", fmt.Sprint(f.people["lawyer"]), "{unit_head}", fmt.Sprint(f.people["unit_head"]), "{case}", fmt.Sprint(f.caseID)).Replace(body)
}

// TestQualityAPI walks an assessment through the API: recorded by the
// line, refused for oneself and for a question not in the template,
// acknowledged by the person, revised with a reason.
func TestQualityAPI(t *testing.T) {
	f := newServer(t, store.SQLite)
	body := fmt.Sprintf(`{"assessed_id":%d,"case_id":%d,"activity":"legal_advocacy",%s}`, f.people["lawyer"], f.caseID, advocacyMarks)
	res := f.do(t, "hod", "POST", "/api/v1/quality/assessments", "application/json", body)
	if res.Status != 201 {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	id := fmt.Sprint(res.json(t)["id"])

	for name, c := range map[string]struct {
		as, body string
		status   int
		field    string
	}{
		"ErrSelf": {"lawyer", fmt.Sprintf(`{"assessed_id":%d,"case_id":%d,"activity":"legal_advocacy",%s}`, f.people["lawyer"], f.caseID, advocacyMarks), 422, "assessed_id"},
		"ErrQuestionNotInTemplate": {"hod", fmt.Sprintf(`{"assessed_id":%d,"case_id":%d,"activity":"legal_advocacy","marks":[{"question":"code_test","answer":"not_met"}]}`,
			f.people["lawyer"], f.caseID), 422, "answer_code_test"},
		"ErrNotTheirReport": {"manager", body, 403, ""},
		"ErrNoSuchCase":     {"hod", fmt.Sprintf(`{"assessed_id":%d,"case_id":999999,"activity":"legal_advocacy",%s}`, f.people["lawyer"], advocacyMarks), 404, "case_id"},
	} {
		t.Run(name, func(t *testing.T) {
			res := f.do(t, c.as, "POST", "/api/v1/quality/assessments", "application/json", c.body)
			if res.Status != c.status || (c.field != "" && !strings.Contains(res.Body, `"field":"`+c.field+`"`)) {
				t.Fatalf("%d %s", res.Status, res.Body)
			}
		})
	}

	if res := f.do(t, "inspector", "GET", "/api/v1/quality/assessments/"+id, "", ""); res.Status != 403 {
		t.Fatalf("inspector read an assessment: %d", res.Status)
	}
	if res := f.do(t, "lawyer", "POST", "/api/v1/quality/assessments/"+id+"/acknowledge", "", ""); res.Status != 200 {
		t.Fatalf("acknowledge: %d %s", res.Status, res.Body)
	}
	res = f.do(t, "hod", "PATCH", "/api/v1/quality/assessments/"+id, "application/json", `{"version":1,`+advocacyMarks+`}`)
	if res.Status != 422 || !strings.Contains(res.Body, `"field":"reason"`) {
		t.Fatalf("revise without reason: %d %s", res.Status, res.Body)
	}
	res = f.do(t, "hod", "PATCH", "/api/v1/quality/assessments/"+id, "application/json", `{"version":1,"reason":"Heard the recording again",`+advocacyMarks+`}`)
	if res.Status != 200 || res.json(t)["version"] != float64(2) {
		t.Fatalf("revise: %d %s", res.Status, res.Body)
	}
	detail := f.do(t, "lawyer", "GET", "/api/v1/quality/assessments/"+id, "", "")
	if !strings.Contains(detail.Body, `"reason":"Heard the recording again"`) || !strings.Contains(detail.Body, `"acknowledged_at":null`) {
		t.Fatalf("detail: %s", detail.Body)
	}
	completion := f.do(t, "board", "GET", "/api/v1/quality/completion?by=unit", "", "")
	if completion.Status != 200 || strings.Contains(completion.Body, "person_name") {
		t.Fatalf("completion for the board: %d %s", completion.Status, completion.Body)
	}
}

// TestQualityPages records an assessment through the form, shows its
// errors, and acknowledges it through the page.
func TestQualityPages(t *testing.T) {
	f := newServer(t, store.SQLite)
	form := url.Values{"assessed_id": {fmt.Sprint(f.people["lawyer"])}, "activity": {"legal_advocacy"}, "template_version": {"1"},
		"case_id": {fmt.Sprint(f.caseID)}, "assessed_on": {time.Now().Format("2006-01-02")}, "answer_adv_preparation": {"not_met"}}
	res := f.form(t, "hod", "/quality/assessments", form)
	if res.Status != 422 || !strings.Contains(res.Body, "There is a problem") || !strings.Contains(res.Body, "Answer: Submissions are clear") {
		t.Fatalf("incomplete form: %d %.2000s", res.Status, res.Body)
	}
	for _, m := range advocacyAnswers(quality.FullyMeets) {
		if m.Question != "adv_preparation" {
			form.Set("answer_"+m.Question, string(m.Answer))
		}
	}
	res = f.form(t, "hod", "/quality/assessments", form)
	if res.Status != 303 || !strings.HasPrefix(res.Header.Get("Location"), "/quality/assessments/") {
		t.Fatalf("complete form: %d %.2000s", res.Status, res.Body)
	}
	page := strings.SplitN(res.Header.Get("Location"), "?", 2)[0]
	view := f.do(t, "lawyer", "GET", page, "", "")
	if view.Status != 200 || !strings.Contains(view.Body, "Acknowledge this assessment") || !strings.Contains(view.Body, "Not met") {
		t.Fatalf("view: %d %.2000s", view.Status, view.Body)
	}
	if res := f.form(t, "lawyer", page+"/acknowledge", url.Values{}); res.Status != 303 {
		t.Fatalf("acknowledge: %d %.500s", res.Status, res.Body)
	}
	for _, p := range []string{"/quality", "/quality/completion", "/quality/trends", "/quality/assessments/new?assessed_id=" + fmt.Sprint(f.people["lawyer"]) + "&activity=legal_casework"} {
		if res := f.do(t, "hod", "GET", p, "", ""); res.Status != 200 {
			t.Fatalf("%s: %d %.500s", p, res.Status, res.Body)
		}
	}
	cal := f.do(t, "hod", "GET", "/quality/calibration?unit=extradition", "", "")
	if cal.Status != 200 || !strings.Contains(cal.Body, "two-proportion z-test") {
		t.Fatalf("calibration: %d %.500s", cal.Status, cal.Body)
	}
	work := f.do(t, "hod", "GET", "/my-work", "", "")
	if work.Status != 200 {
		t.Fatalf("my work: %d", work.Status)
	}
}

// form posts a form as one of the fixture's identities.
func (f *fixture) form(t *testing.T, as, path string, values url.Values) response {
	t.Helper()
	return f.do(t, as, "POST", path, "application/x-www-form-urlencoded", values.Encode())
}

// TestQualityExportsAndCompliance downloads the assessments and the
// compliance results as XLSX and reads the compliance API.
func TestQualityExportsAndCompliance(t *testing.T) {
	f := newServer(t, store.SQLite)
	f.newAssessment(t, false)
	for _, p := range []string{"/quality/exports/assessments.xlsx", "/quality/exports/compliance.xlsx"} {
		res := f.do(t, "lawyer", "GET", p, "", "")
		if res.Status != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/vnd.openxmlformats") ||
			!strings.HasPrefix(res.Body, "PK") || !strings.Contains(res.Header.Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("%s: %d %v", p, res.Status, res.Header)
		}
		book, err := excelize.OpenReader(strings.NewReader(res.Body))
		if err != nil {
			t.Fatal(err)
		}
		got, err := book.GetRows(book.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		if p == "/quality/exports/assessments.xlsx" && (len(got) != 7 || got[1][3] == "" || got[1][11] != "Partially meets") {
			t.Fatalf("assessments export: %v", got)
		}
	}
	res := f.do(t, "hod", "GET", "/api/v1/quality/compliance?by=lawyer", "", "")
	if res.Status != 200 || !strings.Contains(res.Body, `"code":"lawyer_allocated"`) || !strings.Contains(res.Body, `"groups":[{"key":`) {
		t.Fatalf("compliance: %d %.500s", res.Status, res.Body)
	}
	if res := f.do(t, "hod", "GET", "/quality/compliance?by=team", "", ""); res.Status != 200 || !strings.Contains(res.Body, "custody_limit_not_passed") {
		t.Fatalf("compliance page: %d %.500s", res.Status, res.Body)
	}
	if res := f.do(t, "board", "GET", "/api/v1/quality/compliance", "", ""); res.Status != 403 {
		t.Fatalf("the board read case-level compliance: %d", res.Status)
	}
}

// TestQualityPageForTheBoard: the Board sees the figures' links, never an
// individual assessment or a link it may not follow.
func TestQualityPageForTheBoard(t *testing.T) {
	f := newServer(t, store.SQLite)
	f.newAssessment(t, false)
	res := f.do(t, "board", "GET", "/quality", "", "")
	if res.Status != 200 || !strings.Contains(res.Body, "/quality/completion") || strings.Contains(res.Body, "/quality/compliance") ||
		strings.Contains(res.Body, "Assessments of your work") {
		t.Fatalf("%d %.3000s", res.Status, res.Body)
	}
}

// TestQualityRevisionAndRemarkForms changes an acknowledged assessment
// through its form (refused without a reason) and re-marks one blind.
func TestQualityRevisionAndRemarkForms(t *testing.T) {
	f := newServer(t, store.SQLite)
	id := fmt.Sprint(f.newAssessment(t, true))
	if res := f.form(t, "lawyer", "/quality/assessments/"+id+"/acknowledge", url.Values{}); res.Status != 303 {
		t.Fatalf("acknowledge: %d", res.Status)
	}
	edit := f.do(t, "hod", "GET", "/quality/assessments/"+id+"/edit", "", "")
	if edit.Status != 200 || !strings.Contains(edit.Body, "Reason for the change") || strings.Contains(edit.Body, "Reason for the change (optional)") {
		t.Fatalf("edit page: %d", edit.Status)
	}
	if res := f.do(t, "lawyer", "GET", "/quality/assessments/"+id+"/edit", "", ""); res.Status != 403 {
		t.Fatalf("the person assessed opened the edit form: %d", res.Status)
	}
	form := url.Values{"version": {"1"}, "feedback": {"Better"}}
	for _, m := range advocacyAnswers(quality.FullyMeets) {
		form.Set("answer_"+m.Question, string(m.Answer))
	}
	if res := f.form(t, "hod", "/quality/assessments/"+id+"/edit", form); res.Status != 422 || !strings.Contains(res.Body, "give the reason for the new version") {
		t.Fatalf("revision without a reason: %d %.2000s", res.Status, res.Body)
	}
	form.Set("reason", "Listened to the hearing again")
	if res := f.form(t, "hod", "/quality/assessments/"+id+"/edit", form); res.Status != 303 {
		t.Fatalf("revision: %d %.2000s", res.Status, res.Body)
	}
	view := f.do(t, "lawyer", "GET", "/quality/assessments/"+id, "", "")
	if !strings.Contains(view.Body, "Earlier versions") || !strings.Contains(view.Body, "Listened to the hearing again") || !strings.Contains(view.Body, "Acknowledge this assessment") {
		t.Fatalf("view after revision: %.3000s", view.Body)
	}

	remark := f.do(t, "unit_head", "GET", "/quality/assessments/"+id+"/remark", "", "")
	if remark.Status != 200 || strings.Contains(remark.Body, "checked") {
		t.Fatalf("the blind form shows marks: %d %.3000s", remark.Status, remark.Body)
	}
	if res := f.form(t, "unit_head", "/quality/assessments/"+id+"/remark", form); res.Status != 303 {
		t.Fatalf("re-mark: %d %.2000s", res.Status, res.Body)
	}
	if res := f.do(t, "unit_head", "GET", "/quality/assessments/"+id+"/remark", "", ""); res.Status != 404 {
		t.Fatalf("re-marked twice: %d", res.Status)
	}
}

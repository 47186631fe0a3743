package server_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"caseboard/internal/knowledge"
	"caseboard/internal/quality"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// TestShareQualityTheme shares a theme of the IQA trends from the page and
// the API: a lessons-learned draft by the person sharing, with the figures
// and no one's name or case; refused to those who may not, and for a
// question or period that is wrong, with nothing created.
func TestShareQualityTheme(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			f := newServer(t, d)
			ctx := context.Background()
			hod, err := f.db.Principal(ctx, f.people["hod"])
			if err != nil {
				t.Fatal(err)
			}
			lawyer, err := f.db.Principal(ctx, f.people["lawyer"])
			if err != nil {
				t.Fatal(err)
			}
			// An IQA of the lawyer on the fixture's case (of Adam Example,
			// EX/2017/0042), preparation not met, the comment naming both.
			a := quality.Assessment{AssessedID: lawyer.PersonID, CaseID: f.caseID, Activity: quality.LegalAdvocacy, AssessedOn: time.Now().UTC(),
				Marks: advocacyAnswers(quality.FullyMeets), Feedback: "Adam Example's hearing in EX/2017/0042 went well"}
			a.Marks[0].Answer, a.Marks[0].Comment = quality.NotMet, "Bundle for Adam Example (EX/2017/0042) not ready"
			if err := f.db.CreateAssessment(ctx, hod, &a); err != nil {
				t.Fatal(err)
			}
			question := a.Marks[0].Question
			today := time.Now().UTC().Format("2006-01-02")
			theme := url.Values{"unit": {"extradition"}, "from": {time.Now().UTC().AddDate(0, -1, 0).Format("2006-01-02")}, "to": {today},
				"activity": {"legal_advocacy"}, "question": {question}}
			drafts := func() int {
				t.Helper()
				page, err := f.db.SearchArticles(ctx, lawyer, store.ArticleFilter{Status: "draft", Tag: knowledge.ThemeTag})
				if err != nil {
					t.Fatal(err)
				}
				return len(page.Articles)
			}

			trends := f.do(t, "lawyer", "GET", "/quality/trends?unit=extradition", "", "")
			if trends.Status != 200 || !strings.Contains(trends.Body, "Share this theme") || !strings.Contains(trends.Body, `value="`+question+`"`) {
				t.Fatalf("trends: %d %.3000s", trends.Status, trends.Body)
			}
			if board := f.do(t, "board", "GET", "/quality/trends?unit=extradition", "", ""); board.Status != 200 || strings.Contains(board.Body, "Share this theme") {
				t.Fatalf("the board is offered to share: %d", board.Status)
			}

			t.Run("ErrBadInput", func(t *testing.T) {
				bad := url.Values{}
				for k, v := range theme {
					bad[k] = v
				}
				bad.Set("question", "no_such_question")
				res := f.form(t, "lawyer", "/quality/trends/themes", bad)
				if res.Status != 422 || !strings.Contains(res.Body, "There is a problem") || !strings.Contains(res.Body, "asks no question") {
					t.Fatalf("unknown question: %d %.2000s", res.Status, res.Body)
				}
				for field, body := range map[string]string{
					"to":       fmt.Sprintf(`{"unit":"extradition","from":"2026-01-01","to":"2026-13-01","activity":"legal_advocacy","question":%q}`, question),
					"question": `{"unit":"extradition","activity":"legal_advocacy","question":"code_test"}`,
					"unit":     fmt.Sprintf(`{"unit":"nowhere","activity":"legal_advocacy","question":%q}`, question),
				} {
					res := f.do(t, "lawyer", "POST", "/api/v1/quality/themes", "application/json", body)
					if res.Status != 422 || !strings.Contains(res.Body, `"field":"`+field+`"`) {
						t.Fatalf("%s: %d %s", field, res.Status, res.Body)
					}
				}
				if n := drafts(); n != 0 {
					t.Fatalf("%d drafts after refused shares", n)
				}
			})

			t.Run("ErrMayNotShare", func(t *testing.T) {
				for _, as := range []string{"partner", "board", "inspector", "admin"} {
					if res := f.form(t, as, "/quality/trends/themes", theme); res.Status != 403 {
						t.Fatalf("%s: %d", as, res.Status)
					}
					body := fmt.Sprintf(`{"unit":"extradition","activity":"legal_advocacy","question":%q}`, question)
					if res := f.do(t, as, "POST", "/api/v1/quality/themes", "application/json", body); res.Status != 403 {
						t.Fatalf("%s: %d", as, res.Status)
					}
				}
				if n := drafts(); n != 0 {
					t.Fatalf("%d drafts after refused shares", n)
				}
			})

			t.Run("FormStartsAnAnonymousDraft", func(t *testing.T) {
				res := f.form(t, "lawyer", "/quality/trends/themes", theme)
				location := res.Header.Get("Location")
				if res.Status != 303 || !strings.HasPrefix(location, "/knowledge/") || !strings.Contains(location, "/edit?") {
					t.Fatalf("share: %d %s %.1000s", res.Status, location, res.Body)
				}
				edit := f.do(t, "lawyer", "GET", location, "", "")
				if edit.Status != 200 || !strings.Contains(edit.Body, "not met in 1 of 1 marks (100%)") || !strings.Contains(edit.Body, "What to do differently") {
					t.Fatalf("edit: %d %.3000s", edit.Status, edit.Body)
				}
				names := []string{"Adam", "EX/2017/0042", lawyer.Name, hod.Name}
				id := strings.TrimSuffix(strings.TrimPrefix(strings.SplitN(location, "?", 2)[0], "/knowledge/"), "/edit")
				article := f.do(t, "lawyer", "GET", "/api/v1/articles/"+id, "", "")
				if article.Status != 200 {
					t.Fatalf("article: %d %s", article.Status, article.Body)
				}
				got := article.json(t)["article"].(map[string]any)
				if got["kind"] != "lessons_learned" || got["status"] != "draft" || got["author_id"] != float64(lawyer.PersonID) ||
					got["unit_id"] != float64(lawyer.Units[0]) || !strings.Contains(fmt.Sprint(got["tags"]), knowledge.ThemeTag) {
					t.Fatalf("draft %s", article.Body)
				}
				text := fmt.Sprint(got["title"], got["summary"], got["body"])
				for _, name := range names {
					if strings.Contains(text, name) {
						t.Fatalf("the draft names %q: %s", name, text)
					}
				}
			})

			t.Run("API", func(t *testing.T) {
				body := fmt.Sprintf(`{"unit":"extradition","activity":"legal_advocacy","question":%q}`, question)
				res := f.do(t, "lawyer", "POST", "/api/v1/quality/themes", "application/json", body)
				if res.Status != 201 || res.json(t)["kind"] != "lessons_learned" {
					t.Fatalf("%d %s", res.Status, res.Body)
				}
				if n := drafts(); n != 2 {
					t.Fatalf("%d drafts", n)
				}
			})
		})
	}
}

package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/deadline"
	"caseboard/internal/knowledge"
	"caseboard/internal/store"
)

// reviewerOf returns a reviewer of the lawyer's unit.
func (f *fixture) reviewerOf(t testing.TB) *access.Principal {
	t.Helper()
	ctx := context.Background()
	page, err := f.db.People(ctx, store.PeopleFilter{Unit: "extradition", Grade: "legal_manager_2", Limit: 1})
	if err != nil || len(page.People) == 0 {
		t.Fatalf("no extradition legal manager: %v", err)
	}
	p, err := f.db.Principal(ctx, page.People[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// addArticles gives the fixture a draft of the lawyer's and a published
// article of their unit.
func (f *fixture) addArticles(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	lawyer, err := f.db.Principal(ctx, f.people["lawyer"])
	if err != nil {
		t.Fatal(err)
	}
	draft := knowledge.Article{Kind: knowledge.Guidance, Title: "Hearing checklist", Summary: "What to check before an extradition hearing.",
		Body: "## Before the hearing\n\n- Check the warrant\n- Check identity", UnitID: lawyer.Units[0], Tags: []string{"eaw"}}
	if err := f.db.CreateArticle(ctx, lawyer, &draft); err != nil {
		t.Fatal(err)
	}
	published := knowledge.Article{Kind: knowledge.JurisdictionNote, Title: "Poland: prison conditions", Country: "PL",
		Summary: "Refusals over prison conditions and how assurances answer them.", Body: "Seek assurances on cell space early.",
		UnitID: lawyer.Units[0], Tags: []string{"prison-conditions"}}
	if err := f.db.CreateArticle(ctx, lawyer, &published); err != nil {
		t.Fatal(err)
	}
	today := deadline.DateOf(f.db.Now())
	if _, err := f.db.TransitionArticle(ctx, lawyer, published.ID, store.Transition{Action: "submit", Today: today}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.TransitionArticle(ctx, f.reviewerOf(t), published.ID, store.Transition{Action: "approve", Today: today}); err != nil {
		t.Fatal(err)
	}
	f.articleID, f.publishedArticleID = draft.ID, published.ID
	gap := knowledge.Gap{Topic: "Surrender to Brazil", UnitID: lawyer.Units[0]}
	if err := f.db.RequestGuidance(ctx, lawyer, &gap); err != nil {
		t.Fatal(err)
	}
	f.gapID = gap.ID
	admin, err := f.db.Principal(ctx, f.people["admin"])
	if err != nil {
		t.Fatal(err)
	}
	// The reviewer deputises; away while the question is asked, so it
	// goes to the lawyer, whose lead lets them reallocate it.
	deputy := f.reviewerOf(t)
	sp := knowledge.Specialism{Code: "eaw", Name: "European arrest warrants", LeadID: &lawyer.PersonID, DeputyID: &deputy.PersonID, Tag: "eaw"}
	if err := f.db.SaveSpecialism(ctx, admin, &sp); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.SetAway(ctx, deputy, today.AddDays(1), today); err != nil {
		t.Fatal(err)
	}
	manager, err := f.db.Principal(ctx, f.people["manager"])
	if err != nil {
		t.Fatal(err)
	}
	help := knowledge.HelpRequest{Specialism: "eaw", Topic: "Trial in absence", Question: "Is an offer of retrial enough?"}
	if err := f.db.AskForHelp(ctx, manager, &help, today); err != nil {
		t.Fatal(err)
	}
	f.helpID = help.ID
	// With the lead away too, the first question and a second wait for
	// someone until the lead is back, and both are then the lead's.
	if _, err := f.db.SetAway(ctx, lawyer, today.AddDays(1), today); err != nil {
		t.Fatal(err)
	}
	waiting := knowledge.HelpRequest{Specialism: "eaw", Topic: "Forum bar", Question: "Does forum apply to a conviction warrant?"}
	if err := f.db.AskForHelp(ctx, manager, &waiting, today); err != nil || waiting.AssigneeID != nil {
		t.Fatalf("a question with everyone away: %+v %v", waiting, err)
	}
	f.secondHelpID = waiting.ID
	if moved, err := f.db.SetAway(ctx, lawyer, deadline.Date{}, today); err != nil || moved != 2 {
		t.Fatalf("the lead back: %d %v", moved, err)
	}
	if _, err := f.db.SetAway(ctx, deputy, deadline.Date{}, today); err != nil {
		t.Fatal(err)
	}
}

func TestKnowledgeScenarios(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			f := newServer(t, d)
			draft, pub := fmt.Sprint(f.articleID), fmt.Sprint(f.publishedArticleID)
			for _, sc := range []scenario{
				{name: "HomeLists", as: "inspector", method: "GET", path: "/knowledge", status: 200, contains: []string{"Poland: prison conditions", "Recently updated"},
					excludes: []string{"Hearing checklist"}},
				{name: "Search", as: "inspector", method: "GET", path: "/knowledge?q=prison+conditions", status: 200, contains: []string{"<mark>", "Poland: prison conditions"}},
				{name: "DidYouMean", as: "inspector", method: "GET", path: "/knowledge?q=prsion", status: 200, contains: []string{"Did you mean", "?q=prison"}},
				{name: "HostileSearch", as: "inspector", method: "GET", path: "/knowledge?q=" + url.QueryEscape(`"((NEAR prison* AND -x:"`), status: 200},
				{name: "ArticleRendered", as: "inspector", method: "GET", path: "/knowledge/" + pub, status: 200, contains: []string{"Seek assurances on cell space", "Version 1"}},
				{name: "DraftHiddenFromOthers", as: "manager", method: "GET", path: "/knowledge/" + draft, status: 404},
				{name: "DraftSeenByAuthor", as: "lawyer", method: "GET", path: "/knowledge/" + draft, status: 200, contains: []string{"Submit for review", "Check the warrant"}},
				{name: "PartnerSeesNothingUnshared", as: "partner", method: "GET", path: "/knowledge/" + pub, status: 404},
				{name: "NewForm", as: "lawyer", method: "GET", path: "/knowledge/new", status: 200, contains: []string{"Write an article", "Markdown"}},
				{name: "FormErrors", as: "lawyer", method: "POST", path: "/knowledge", contentType: "application/x-www-form-urlencoded",
					body: "kind=guidance&title=&summary=&unit_id=2&sharing=partners&sensitivity=official", status: 422,
					contains: []string{"There is a problem", "Enter a title", "Name at least one partner organisation"}},
				{name: "Stale", as: "inspector", method: "GET", path: "/knowledge/stale", status: 200, contains: []string{"Nothing is overdue"}},
				{name: "Diff", as: "inspector", method: "GET", path: "/knowledge/" + pub + "/diff", status: 200, contains: []string{"lines added"}},
				{name: "Version", as: "inspector", method: "GET", path: "/knowledge/" + pub + "/versions/1", status: 200, contains: []string{"Seek assurances"}},
				{name: "NoSuchVersion", as: "inspector", method: "GET", path: "/knowledge/" + pub + "/versions/9", status: 404},
				{name: "APISearch", as: "inspector", method: "GET", path: "/api/v1/articles?q=prison", status: 200, contains: []string{`"score":`, `"snippet":`}},
				{name: "APIBadStatus", as: "inspector", method: "GET", path: "/api/v1/articles?status=secret", status: 422, wantType: "application/problem+json"},
				{name: "APIScriptInert", as: "lawyer", method: "POST", path: "/api/v1/articles", contentType: "application/json",
					body:   `{"kind":"guidance","title":"X","summary":"Y","unit_id":2,"body":"<script>alert(1)</script> [a](javascript:alert(1))"}`,
					status: 201, contains: []string{`\u003cscript\u003ealert(1)\u003c/script\u003e`, `\u0026lt;script\u0026gt;`}, excludes: []string{`href=\"javascript`}},
				{name: "APIOwnApproval", as: "lawyer", method: "POST", path: "/api/v1/articles/" + draft + "/transitions", contentType: "application/json",
					body: `{"action":"approve"}`, status: 409},
				{name: "APIBadTransition", as: "lawyer", method: "POST", path: "/api/v1/articles/" + draft + "/transitions", contentType: "application/json",
					body: `{"action":"publish-now"}`, status: 422},
				{name: "APIBadReviewDate", as: "lawyer", method: "POST", path: "/api/v1/articles/" + pub + "/reviews", contentType: "application/json",
					body: `{"outcome":"still_accurate","next_review_by":"2001-01-01"}`, status: 422, contains: []string{"next_review_by"}},
				{name: "GapsPage", as: "inspector", method: "GET", path: "/knowledge/gaps", status: 200, contains: []string{"Surrender to Brazil", "Open requests"}},
				{name: "GapFormErrors", as: "manager", method: "POST", path: "/knowledge/gaps", contentType: "application/x-www-form-urlencoded",
					body: "topic=&unit_id=2", status: 422, contains: []string{"There is a problem", "Say what guidance is missing"}},
				{name: "GapPartnerSeesNone", as: "partner", method: "GET", path: "/api/v1/knowledge/gaps", status: 403},
				{name: "ExpertsPage", as: "inspector", method: "GET", path: "/knowledge/experts", status: 200, contains: []string{"National leads and specialisms", "No entry yet"}},
				{name: "ExpertsPageAdminLinks", as: "admin", method: "GET", path: "/knowledge/experts", status: 200,
					contains: []string{`href="/knowledge/experts/new"`, `href="/knowledge/experts/edit/eaw"`}},
				{name: "ExpertsPageNoLinksForStaff", as: "lawyer", method: "GET", path: "/knowledge/experts", status: 200, excludes: []string{"/knowledge/experts/new"}},
				{name: "SpecialismEditForm", as: "admin", method: "GET", path: "/knowledge/experts/edit/eaw", status: 200,
					contains: []string{"Change a directory entry", `value="European arrest warrants"`, `name="editing" value="yes"`}},
				{name: "SpecialismEditUnknown", as: "admin", method: "GET", path: "/knowledge/experts/edit/nothing_here", status: 404},
				{name: "SpecialismFormNotForStaff", as: "lawyer", method: "GET", path: "/knowledge/experts/new", status: 403},
				{name: "SpecialismFormErrors", as: "admin", method: "POST", path: "/knowledge/experts", contentType: "application/x-www-form-urlencoded",
					body: "code=Bad+Code&name=&country=Spain&lead_id=&deputy_id=abc", status: 422,
					contains: []string{"There is a problem", "The code is 2 to 40 lower-case letters", "Enter the specialism", "two-letter code", "Name the lead",
						"Choose a person from the list", `href="#code"`, `value="Spain"`}},
				{name: "SpecialismUnknownLead", as: "admin", method: "POST", path: "/knowledge/experts", contentType: "application/x-www-form-urlencoded",
					body: "code=cyber_crime&name=Cyber-crime&lead_id=987654", status: 422, contains: []string{"Choose a person from the list"}},
				{name: "SpecialismSaved", as: "admin", method: "POST", path: "/knowledge/experts", contentType: "application/x-www-form-urlencoded",
					body: "code=eaw&editing=yes&name=European+arrest+warrants&lead_id=" + fmt.Sprint(f.people["lawyer"]) + "&deputy_id=" + fmt.Sprint(f.reviewerOf(t).PersonID) +
						"&contact=EAW+mailbox&tag=eaw", status: 303},
				{name: "SpecialismSavedShown", as: "inspector", method: "GET", path: "/api/v1/knowledge/specialisms", status: 200,
					contains: []string{`"contact":"EAW mailbox"`}, excludes: []string{`"code":"cyber_crime"`}},
				{name: "SpecialismInvalid", as: "admin", method: "PUT", path: "/api/v1/knowledge/specialisms/Bad%20Code", contentType: "application/json",
					body: `{"name":""}`, status: 422, contains: []string{"code", "lead_id"}},
				{name: "HelpPageQueue", as: "lawyer", method: "GET", path: "/knowledge/help", status: 200, contains: []string{"Questions for you to answer", "Is an offer of retrial enough?", "none answered"}, excludes: []string{"%!"}},
				{name: "HelpFormErrors", as: "manager", method: "POST", path: "/knowledge/help", contentType: "application/x-www-form-urlencoded",
					body: "specialism=&topic=&question=", status: 422, contains: []string{"There is a problem", "Say in a few words what the question is about"}},
				{name: "HelpRoutedByTopic", as: "manager", method: "POST", path: "/api/v1/knowledge/help", contentType: "application/json",
					body: `{"topic":"Arrest warrants and trial in absence","question":"Is a retrial offer enough?"}`, status: 201,
					contains: []string{`"specialism":"eaw"`, `"routed_because":"the topic's words`, `"answer_by":"`}},
				{name: "HelpRoutedPage", as: "manager", method: "POST", path: "/knowledge/help", contentType: "application/x-www-form-urlencoded",
					body: "specialism=&topic=EAW+assurances&question=Which+prison%3F&urgency=urgent", status: 303},
				{name: "HelpTopicMatchesNothing", as: "manager", method: "POST", path: "/knowledge/help", contentType: "application/x-www-form-urlencoded",
					body: "specialism=&topic=Horses&question=Which+ones%3F&urgency=routine", status: 422,
					contains: []string{"There is a problem", "Nothing in the directory matches the topic: choose who the question is for", "Which ones?"}},
				{name: "HelpTopicMatchesNothingAPI", as: "manager", method: "POST", path: "/api/v1/knowledge/help", contentType: "application/json",
					body: `{"topic":"Horses","question":"Which ones?"}`, status: 422, wantType: "application/problem+json", contains: []string{"specialism"}},
				{name: "HelpQueueOfLead", as: "lawyer", method: "GET", path: "/api/v1/knowledge/help?mine=queue", status: 200, contains: []string{"Is an offer of retrial enough?"}},
				{name: "HelpOnMyWork", as: "lawyer", method: "GET", path: "/my-work", status: 200,
					contains: []string{"Questions for you to answer", "Trial in absence", "Forum bar", "/knowledge/help#answer-" + fmt.Sprint(f.helpID)}},
				{name: "HelpOnMyWorkAPI", as: "lawyer", method: "GET", path: "/api/v1/my-work", status: 200,
					contains: []string{`"help_questions":[{`, `"topic":"Trial in absence"`, `"answer_by":"`}},
				{name: "HelpNotOnAskersWork", as: "manager", method: "GET", path: "/api/v1/my-work", status: 200, contains: []string{`"help_questions":[]`}},
				{name: "HelpReallocateNotLead", as: "manager", method: "POST", path: "/api/v1/knowledge/help/" + fmt.Sprint(f.helpID) + "/reallocate", status: 403},
				{name: "HelpReallocate", as: "lawyer", method: "POST", path: "/knowledge/help/" + fmt.Sprint(f.helpID) + "/reallocate",
					contentType: "application/x-www-form-urlencoded", body: "", status: 303},
				{name: "HelpReallocatedSeenByLead", as: "lawyer", method: "GET", path: "/knowledge/help", status: 200,
					contains: []string{"Open questions on your queues", "Reallocate<span class=\"govuk-visually-hidden\">: Trial in absence"}},
				{name: "HelpAwayInPast", as: "lawyer", method: "POST", path: "/knowledge/help/away", contentType: "application/x-www-form-urlencoded",
					body: "away_until=2001-01-01", status: 422, contains: []string{"Enter today or a later date"}},
				{name: "HelpAwayAPIInPast", as: "lawyer", method: "PUT", path: "/api/v1/knowledge/help/away", contentType: "application/json",
					body: `{"away_until":"2001-01-01"}`, status: 422, wantType: "application/problem+json", contains: []string{"away_until", "Enter today or a later date"}},
				{name: "HelpAwayAPINotADate", as: "lawyer", method: "PUT", path: "/api/v1/knowledge/help/away", contentType: "application/json",
					body: `{"away_until":"next week"}`, status: 422, wantType: "application/problem+json", contains: []string{"YYYY-MM-DD"}},
				{name: "HelpAwayAPI", as: "lawyer", method: "PUT", path: "/api/v1/knowledge/help/away", contentType: "application/json",
					body: `{"away_until":"` + time.Now().UTC().AddDate(0, 0, 14).Format("2006-01-02") + `"}`, status: 200,
					contains: []string{`"away_until":"` + time.Now().UTC().AddDate(0, 0, 14).Format("2006-01-02") + `"`, `"reallocated":`}},
				{name: "HelpAwayAPIBack", as: "lawyer", method: "PUT", path: "/api/v1/knowledge/help/away", contentType: "application/json",
					body: `{"away_until":""}`, status: 200, contains: []string{`"away_until":""`}},
				{name: "HelpNotYours", as: "paralegal", method: "POST", path: "/api/v1/knowledge/help/" + fmt.Sprint(f.helpID) + "/answer", contentType: "application/json",
					body: `{"answer":"x"}`, status: 403},
				{name: "LearningFromCase", as: "lawyer", method: "POST", path: "/cases/" + fmt.Sprint(f.caseID) + "/learning", contentType: "application/x-www-form-urlencoded",
					body: "kind=adverse_outcome&sharing=cps&what_happened=Adam+Example+was+discharged", status: 303},
				{name: "APIAttachLyingFile", as: "lawyer", method: "POST", path: "/api/v1/articles/" + pub + "/attachments?name=report.docx", contentType: "application/octet-stream",
					body: "%PDF-1.4 not a word document", status: 422, contains: []string{"its content is not a DOCX file"}},
				{name: "APIAttachmentsList", as: "inspector", method: "GET", path: "/api/v1/articles/" + pub + "/attachments", status: 200, contains: []string{`"items":[`}},
				{name: "APIInspectorCannotWrite", as: "inspector", method: "POST", path: "/api/v1/articles", contentType: "application/json", body: `{}`, status: 403},
			} {
				t.Run(sc.name, func(t *testing.T) {
					res := f.do(t, sc.as, sc.method, sc.path, sc.contentType, sc.body)
					if res.Status != sc.status {
						t.Fatalf("status %d, want %d\n%.600s", res.Status, sc.status, res.Body)
					}
					if sc.wantType != "" && !strings.HasPrefix(res.Header.Get("Content-Type"), sc.wantType) {
						t.Errorf("content type %s", res.Header.Get("Content-Type"))
					}
					for _, c := range sc.contains {
						if !strings.Contains(res.Body, c) {
							t.Errorf("body lacks %q\n%.2000s", c, res.Body)
						}
					}
					for _, x := range sc.excludes {
						if strings.Contains(res.Body, x) {
							t.Errorf("body has %q", x)
						}
					}
				})
			}
		})
	}
}

// TestKnowledgeWorkflow takes an article from draft to published through
// the API: the author submits, the author may not approve, a reviewer of
// the unit does, and readers then see it.
// TestLearningFromCase starts a CPS-wide adverse outcome article from a
// case: the names and reference are redacted, and the case is not linked.
func TestLearningFromCase(t *testing.T) {
	f := newServer(t, store.SQLite)
	res := f.do(t, "lawyer", "POST", fmt.Sprintf("/cases/%d/learning", f.caseID), "application/x-www-form-urlencoded",
		"kind=adverse_outcome&sharing=cps&what_happened=Adam+Example+was+discharged+in+EX%2F2017%2F0042")
	if res.Status != 303 || !strings.HasSuffix(strings.Split(res.Header.Get("Location"), "?")[0], "/edit") {
		t.Fatalf("start: %d %s", res.Status, res.Header.Get("Location"))
	}
	id := strings.TrimSuffix(strings.TrimPrefix(strings.Split(res.Header.Get("Location"), "?")[0], "/knowledge/"), "/edit")
	got := f.do(t, "lawyer", "GET", "/api/v1/articles/"+id, "", "")
	if got.Status != 200 || strings.Contains(got.Body, "Adam") || strings.Contains(got.Body, "EX/2017/0042") || !strings.Contains(got.Body, "[redacted]") ||
		!strings.Contains(got.Body, `"kind":"adverse_outcome"`) {
		t.Fatalf("the article: %s", got.Body)
	}
}

func TestKnowledgeWorkflow(t *testing.T) {
	f := newServer(t, store.SQLite)
	draft := fmt.Sprint(f.articleID)
	post := func(as, path, body string) response {
		return f.do(t, as, "POST", path, "application/json", body)
	}
	if res := post("lawyer", "/api/v1/articles/"+draft+"/transitions", `{"action":"submit"}`); res.Status != 200 {
		t.Fatalf("submit: %d %s", res.Status, res.Body)
	}
	if res := f.do(t, "manager", "GET", "/api/v1/articles?q=warrant", "", ""); strings.Contains(res.Body, "Hearing checklist") {
		t.Fatal("an article in review is found by readers")
	}
	if res := post("lawyer", "/api/v1/articles/"+draft+"/transitions", `{"action":"approve"}`); res.Status != 403 {
		t.Fatalf("the author approves: %d %s", res.Status, res.Body)
	}
	if res := post("lawyer", "/api/v1/articles/"+draft+"/transitions", `{"action":"approve","review_by":"2000-01-01"}`); res.Status != 403 {
		t.Fatalf("the author approves with a date: %d", res.Status)
	}
	// The unit head of international is a reviewer, but not of extradition.
	if res := post("unit_head", "/api/v1/articles/"+draft+"/transitions", `{"action":"approve"}`); res.Status != 404 && res.Status != 403 {
		t.Fatalf("a reviewer of another unit approves: %d %s", res.Status, res.Body)
	}
	reviewer := f.reviewerOf(t)
	today := deadline.DateOf(f.db.Now())
	a, err := f.db.TransitionArticle(context.Background(), reviewer, f.articleID, store.Transition{Action: "approve", Today: today})
	if err != nil || a.Status != knowledge.Published {
		t.Fatalf("the unit's reviewer approves: %v %v", a.Status, err)
	}
	res := f.do(t, "manager", "GET", "/api/v1/articles?q=warrant", "", "")
	if !strings.Contains(res.Body, "Hearing checklist") {
		t.Fatalf("the published article is not found: %s", res.Body)
	}
	page := f.do(t, "lawyer", "GET", "/my-work", "", "")
	if page.Status != 200 {
		t.Fatalf("my work: %d", page.Status)
	}
}

// TestKnowledgeAttachments uploads through the article page's form: a
// Word document is kept and served back as a download; a file whose
// content is not what its name says is refused with the form's error.
func TestKnowledgeAttachments(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			f := newServer(t, d)
			path := fmt.Sprintf("/knowledge/%d/attachments", f.publishedArticleID)
			upload := func(as, name string, data []byte) response {
				var buf bytes.Buffer
				mw := multipart.NewWriter(&buf)
				part, _ := mw.CreateFormFile("file", name)
				part.Write(data)
				mw.Close()
				return f.do(t, as, "POST", path, mw.FormDataContentType(), buf.String())
			}
			var word bytes.Buffer
			zw := zip.NewWriter(&word)
			w, _ := zw.Create("word/document.xml")
			w.Write([]byte(`<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>Assurance from the Polish ministry</w:t></w:r></w:p></w:body></w:document>`))
			zw.Close()
			if res := upload("lawyer", "assurance.docx", word.Bytes()); res.Status != 303 {
				t.Fatalf("upload: %d %.500s", res.Status, res.Body)
			}
			if res := upload("lawyer", "evil.pdf", []byte("<html><script>alert(1)</script></html>")); res.Status != 422 || !strings.Contains(res.Body, "its content is not a PDF") {
				t.Fatalf("a lying file: %d %.500s", res.Status, res.Body)
			}
			if res := upload("manager", "x.pdf", []byte("%PDF-1.4")); res.Status != 404 && res.Status != 403 {
				t.Fatalf("someone of another unit uploads: %d", res.Status)
			}
			page := f.do(t, "inspector", "GET", fmt.Sprintf("/knowledge/%d", f.publishedArticleID), "", "")
			if !strings.Contains(page.Body, "assurance.docx") {
				t.Fatalf("the article page does not list the attachment")
			}
			list, err := f.db.Attachments(context.Background(), mustPrincipal(t, f, "inspector"), f.publishedArticleID)
			if err != nil || len(list) != 1 {
				t.Fatalf("attachments: %v %v", list, err)
			}
			res := f.do(t, "inspector", "GET", fmt.Sprintf("%s/%d", path, list[0].ID), "", "")
			if res.Status != 200 || res.Body != word.String() || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") ||
				res.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Fatalf("download: %d %v", res.Status, res.Header)
			}
			if res := f.do(t, "partner", "GET", fmt.Sprintf("%s/%d", path, list[0].ID), "", ""); res.Status != 404 {
				t.Fatalf("a partner downloads: %d", res.Status)
			}
			if search := f.do(t, "inspector", "GET", "/api/v1/articles?q=polish+ministry", "", ""); !strings.Contains(search.Body, "Poland: prison conditions") {
				t.Fatalf("the attachment's text is not searched: %s", search.Body)
			}
			// A real PDF's text is read by a child process and searched.
			pdf, err := os.ReadFile("../pdftext/testdata/guidance.pdf")
			if err != nil {
				t.Fatal(err)
			}
			if res := upload("lawyer", "ruritania.pdf", pdf); res.Status != 303 {
				t.Fatalf("PDF upload: %d %.500s", res.Status, res.Body)
			}
			if search := f.do(t, "inspector", "GET", "/api/v1/articles?q=%22sworn+translation%22", "", ""); !strings.Contains(search.Body, "Poland: prison conditions") {
				t.Fatalf("the PDF's text is not searched: %s", search.Body)
			}
			if page := f.do(t, "inspector", "GET", fmt.Sprintf("/knowledge/%d", f.publishedArticleID), "", ""); !strings.Contains(page.Body, "ruritania.pdf") {
				t.Fatal("the article page does not list the PDF")
			}
		})
	}
}

func mustPrincipal(t *testing.T, f *fixture, who string) *access.Principal {
	t.Helper()
	p, err := f.db.Principal(context.Background(), f.people[who])
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDebriefWhenFinalised finalises a case through the API: a draft
// de-brief of it is waiting for its lawyer, once however often it is saved.
func TestDebriefWhenFinalised(t *testing.T) {
	f := newServer(t, store.SQLite)
	res := f.do(t, "lawyer", "PATCH", fmt.Sprintf("/api/v1/cases/%d", f.caseID), "application/json", `{"version":1,"status":"finalised"}`)
	if res.Status != 200 {
		t.Fatalf("finalise: %d %s", res.Status, res.Body)
	}
	res = f.do(t, "lawyer", "PATCH", fmt.Sprintf("/api/v1/cases/%d", f.caseID), "application/json", `{"version":2,"counsel":"A. Barrister"}`)
	if res.Status != 200 {
		t.Fatalf("save again: %d %s", res.Status, res.Body)
	}
	drafts := f.do(t, "lawyer", "GET", "/api/v1/articles?status=draft&kind=debrief", "", "")
	if drafts.Status != 200 || strings.Count(drafts.Body, `"title":"De-brief: `) != 1 {
		t.Fatalf("the lawyer's draft de-briefs: %s", drafts.Body)
	}
}

// TestSpecialismFormErrorOrder lists a refused directory entry's problems
// in the order of the form's fields, whichever check found them, and
// stores nothing.
func TestSpecialismFormErrorOrder(t *testing.T) {
	f := newServer(t, store.SQLite)
	before := f.do(t, "admin", "GET", "/api/v1/knowledge/specialisms", "", "")
	res := f.do(t, "admin", "POST", "/knowledge/experts", "application/x-www-form-urlencoded", "code=Bad+Code&name=X&deputy_id=abc")
	if res.Status != 422 {
		t.Fatalf("status %d", res.Status)
	}
	last := -1
	for _, field := range []string{`href="#code"`, `href="#lead_id"`, `href="#deputy_id"`} {
		at := strings.Index(res.Body, field)
		if at < 0 || at < last {
			t.Fatalf("%s missing or out of the form's order", field)
		}
		last = at
	}
	if after := f.do(t, "admin", "GET", "/api/v1/knowledge/specialisms", "", ""); after.Body != before.Body {
		t.Fatalf("a refused entry changed the directory:\n%s\n%s", before.Body, after.Body)
	}
}

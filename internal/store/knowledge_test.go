package store_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/deadline"
	"caseboard/internal/demo"
	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// knowledgeWorld is the demo division with an extradition author, a
// reviewer of the same unit, an organised crime lawyer, and the NCA.
type knowledgeWorld struct {
	db                                          *store.DB
	author, reviewer, otherLawyer, partner, hod *access.Principal
	inspector                                   *access.Principal
	unitID, otherUnitID, ncaID                  int64
	today                                       deadline.Date
}

func newKnowledgeWorld(t *testing.T, db *store.DB) knowledgeWorld {
	t.Helper()
	ctx := context.Background()
	seeded(t, db)
	chart := demo.Division(3)
	if _, err := db.LoadChart(ctx, chart, "test"); err != nil {
		t.Fatal(err)
	}
	principal := func(email string) *access.Principal {
		a, err := db.AccountByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		p, err := db.Principal(ctx, a.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	byGrade := func(grade, unit string) *access.Principal {
		for _, p := range chart.People {
			if string(p.Grade) == grade && p.UnitCode == unit {
				return principal(p.Email)
			}
		}
		t.Fatalf("no %s in %s", grade, unit)
		return nil
	}
	w := knowledgeWorld{db: db, today: deadline.DateOf(time.Now().UTC())}
	w.author = byGrade("specialist_prosecutor", "extradition")
	w.reviewer = byGrade("legal_manager_2", "extradition")
	w.otherLawyer = byGrade("specialist_prosecutor", "organised_crime")
	w.hod = byGrade("head_of_division", "strategy_and_policy")
	w.partner = principal("partner@caseboard.example")
	w.inspector = principal("inspector@caseboard.example")
	w.unitID, w.otherUnitID, w.ncaID = w.author.Units[0], w.otherLawyer.Units[0], *w.partner.PartnerID
	if !w.reviewer.Has(access.Reviewer) || !w.reviewer.MemberOf(w.unitID) {
		t.Fatal("the extradition legal manager is not a reviewer for the unit")
	}
	return w
}

func (w knowledgeWorld) draft(t *testing.T, title, body string, change ...func(a *knowledge.Article)) knowledge.Article {
	t.Helper()
	a := knowledge.Article{Kind: knowledge.Guidance, Title: title, Summary: "Summary of " + title, Body: body, UnitID: w.unitID,
		Tags: []string{"extradition"}}
	for _, c := range change {
		c(&a)
	}
	if err := w.db.CreateArticle(context.Background(), w.author, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

func (w knowledgeWorld) publish(t *testing.T, a knowledge.Article) knowledge.Article {
	t.Helper()
	ctx := context.Background()
	if _, err := w.db.TransitionArticle(ctx, w.author, a.ID, store.Transition{Action: "submit", Today: w.today}); err != nil {
		t.Fatal(err)
	}
	out, err := w.db.TransitionArticle(ctx, w.reviewer, a.ID, store.Transition{Action: "approve", Today: w.today})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func ids(page store.ArticlePage) []int64 {
	var out []int64
	for _, h := range page.Articles {
		out = append(out, h.ID)
	}
	return out
}

func TestArticleLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newKnowledgeWorld(t, db)
		a := w.draft(t, "Prison conditions assurances", "## Ask early\n\nSeek assurances before the hearing.")

		t.Run("DraftUnseenOutsideTheUnit", func(t *testing.T) {
			for name, p := range map[string]*access.Principal{"other unit": w.otherLawyer, "partner": w.partner, "inspector": w.inspector} {
				if _, err := db.Article(ctx, p, a.ID); fault.CodeOf(err) != fault.NotFound {
					t.Errorf("%s reads the draft: %v", name, err)
				}
			}
			got, err := db.Article(ctx, w.reviewer, a.ID)
			if err != nil || got.Pending == nil || got.Pending.Number != 1 || got.Status != knowledge.Draft {
				t.Fatalf("the unit's reviewer reads the draft: %+v %v", got, err)
			}
		})
		t.Run("ErrOwnApproval", func(t *testing.T) {
			if _, err := db.TransitionArticle(ctx, w.author, a.ID, store.Transition{Action: "submit", Today: w.today}); err != nil {
				t.Fatal(err)
			}
			_, err := db.TransitionArticle(ctx, w.author, a.ID, store.Transition{Action: "approve", Today: w.today})
			if fault.CodeOf(err) != fault.Forbidden {
				t.Fatalf("the author approves their own article: %v", err)
			}
			_, err = db.TransitionArticle(ctx, w.otherLawyer, a.ID, store.Transition{Action: "approve", Today: w.today})
			if fault.CodeOf(err) != fault.NotFound {
				t.Fatalf("someone of another unit approves: %v", err)
			}
			got, _ := db.Article(ctx, w.author, a.ID)
			if got.Status != knowledge.InReview || got.PublishedVersion != 0 {
				t.Fatalf("a refused approval changed the article: %s v%d", got.Status, got.PublishedVersion)
			}
		})
		t.Run("ErrPastReviewDate", func(t *testing.T) {
			_, err := db.TransitionArticle(ctx, w.reviewer, a.ID, store.Transition{Action: "approve", Today: w.today, ReviewBy: w.today.AddDays(-1)})
			if fe := fault.As(err); fe == nil || fe.FieldMessage("review_by") == "" {
				t.Fatalf("approval with a past review date: %v", err)
			}
		})
		published, err := db.TransitionArticle(ctx, w.reviewer, a.ID, store.Transition{Action: "approve", Today: w.today})
		if err != nil {
			t.Fatal(err)
		}
		if want := knowledge.Guidance.DefaultReviewBy(w.today); published.ReviewBy == nil || *published.ReviewBy != want || published.PublishedVersion != 1 {
			t.Fatalf("published: review by %v, version %d", published.ReviewBy, published.PublishedVersion)
		}
		t.Run("PublishedReadByStaffNotPartner", func(t *testing.T) {
			if _, err := db.Article(ctx, w.otherLawyer, a.ID); err != nil {
				t.Fatalf("staff of another unit: %v", err)
			}
			if _, err := db.Article(ctx, w.partner, a.ID); fault.CodeOf(err) != fault.NotFound {
				t.Fatalf("partner reads a division-only article: %v", err)
			}
		})
		t.Run("RevisionKeepsThePublishedText", func(t *testing.T) {
			edit := published
			edit.Body = "## Ask early\n\nSeek assurances before the hearing.\n\nName the prison."
			edit.Tags = append(edit.Tags, "prison-conditions")
			changed, err := db.UpdateArticle(ctx, w.author, store.ArticleChange{Article: edit, Note: "name the prison"})
			if err != nil {
				t.Fatal(err)
			}
			if changed.Pending == nil || changed.Pending.Number != 2 {
				t.Fatalf("revision: %+v", changed.Pending)
			}
			reader, _ := db.Article(ctx, w.otherLawyer, a.ID)
			if reader.Body != published.Body || reader.Pending != nil || strings.Join(reader.Tags, ",") != "extradition,prison-conditions" {
				t.Fatalf("a reader sees %q, pending %v, tags %v", reader.Body, reader.Pending, reader.Tags)
			}
			stale := published // read before the change
			stale.Title = "Another title"
			if _, err := db.UpdateArticle(ctx, w.author, store.ArticleChange{Article: stale}); fault.CodeOf(err) != fault.Conflict {
				t.Fatalf("a change over someone else's: %v", err)
			}
			if _, err := db.TransitionArticle(ctx, w.author, a.ID, store.Transition{Action: "submit", Today: w.today}); err != nil {
				t.Fatal(err)
			}
			second, err := db.TransitionArticle(ctx, w.reviewer, a.ID, store.Transition{Action: "approve", Today: w.today, ReviewBy: w.today.AddDays(100)})
			if err != nil {
				t.Fatal(err)
			}
			if second.PublishedVersion != 2 || !strings.HasSuffix(second.Body, "Name the prison.") {
				t.Fatalf("second version: v%d %q", second.PublishedVersion, second.Body)
			}
			versions, err := db.ArticleVersions(ctx, w.otherLawyer, a.ID)
			if err != nil || len(versions) != 2 || versions[0].Number != 2 || versions[1].Body != published.Body ||
				versions[0].ApprovedByID == nil || *versions[0].ApprovedByID != w.reviewer.PersonID {
				t.Fatalf("versions: %+v %v", versions, err)
			}
			diff := knowledge.DiffLines(versions[1].Body, versions[0].Body)
			if add, rem := knowledge.DiffStats(diff); add != 2 || rem != 0 {
				t.Fatalf("diff: +%d -%d", add, rem)
			}
			reviews, _ := db.ArticleReviews(ctx, w.otherLawyer, a.ID)
			if len(reviews) != 1 || reviews[0].Outcome != knowledge.Updated || reviews[0].Version != 2 {
				t.Fatalf("approving a revision records a review: %+v", reviews)
			}
		})
		t.Run("RecordReview", func(t *testing.T) {
			r, err := db.RecordArticleReview(ctx, w.author, a.ID, store.ReviewInput{Outcome: knowledge.StillAccurate, Note: "checked", Today: w.today})
			if err != nil {
				t.Fatal(err)
			}
			if r.NextReviewBy != knowledge.Guidance.DefaultReviewBy(w.today) {
				t.Fatalf("next review %s", r.NextReviewBy)
			}
			if _, err := db.RecordArticleReview(ctx, w.otherLawyer, a.ID, store.ReviewInput{Outcome: knowledge.StillAccurate, Today: w.today}); fault.CodeOf(err) != fault.Forbidden {
				t.Fatalf("someone of another unit records a review: %v", err)
			}
			if _, err := db.RecordArticleReview(ctx, w.author, a.ID, store.ReviewInput{Outcome: "looks fine", Today: w.today}); fault.CodeOf(err) != fault.Invalid {
				t.Fatalf("a review with no outcome: %v", err)
			}
			reviews, _ := db.ArticleReviews(ctx, w.author, a.ID)
			if len(reviews) != 2 || reviews[0].Outcome != knowledge.StillAccurate || reviews[0].ReviewerName == "" {
				t.Fatalf("reviews: %+v", reviews)
			}
		})
		t.Run("Audited", func(t *testing.T) {
			entries, _ := db.AuditEntries(ctx, store.AuditFilter{RecordType: "article", RecordID: itoa(a.ID)})
			var actions []string
			for _, e := range entries {
				actions = append(actions, e.Action)
			}
			want := []string{audit.Create, "submit", "approve", audit.Update, "submit", "approve", "review"}
			if strings.Join(actions, " ") != strings.Join(want, " ") {
				t.Fatalf("audit actions %v, want %v", actions, want)
			}
		})
		t.Run("Archive", func(t *testing.T) {
			if _, err := db.TransitionArticle(ctx, w.author, a.ID, store.Transition{Action: "archive", Today: w.today}); err != nil {
				t.Fatal(err)
			}
			page, _ := db.SearchArticles(ctx, w.author, store.ArticleFilter{Query: "assurances"})
			if len(page.Articles) != 0 {
				t.Fatal("an archived article is found by default")
			}
			page, _ = db.SearchArticles(ctx, w.author, store.ArticleFilter{Query: "assurances", Status: "archived"})
			if len(page.Articles) != 1 {
				t.Fatal("an archived article is found when asked for")
			}
		})
		t.Run("ErrBadInputLeavesNothing", func(t *testing.T) {
			bad := knowledge.Article{Kind: knowledge.Guidance, Title: "", Summary: "", UnitID: w.unitID}
			err := db.CreateArticle(ctx, w.author, &bad)
			if fe := fault.As(err); fe == nil || fe.FieldMessage("title") == "" || fe.FieldMessage("summary") == "" {
				t.Fatalf("an article without title: %v", err)
			}
			other := knowledge.Article{Kind: knowledge.Guidance, Title: "x", Summary: "y", UnitID: w.otherUnitID}
			if err := db.CreateArticle(ctx, w.author, &other); fault.CodeOf(err) != fault.Forbidden {
				t.Fatalf("an article in another unit: %v", err)
			}
			page, _ := db.SearchArticles(ctx, w.hod, store.ArticleFilter{Status: "draft"})
			if len(page.Articles) != 0 {
				t.Fatalf("refused articles were stored: %v", ids(page))
			}
		})
	})
}

func TestArticleSharing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newKnowledgeWorld(t, db)
		shared := w.publish(t, w.draft(t, "Joint NCA note on surrender", "Shared with the agency.", func(a *knowledge.Article) {
			a.Sharing, a.PartnerIDs = knowledge.Partners, []int64{w.ncaID}
		}))
		own := w.publish(t, w.draft(t, "Internal surrender note", "Division only.", func(a *knowledge.Article) { a.Tags = []string{"internal-only"} }))
		sensitive := w.publish(t, w.draft(t, "Sensitive surrender note", "For the unit.", func(a *knowledge.Article) {
			a.Sensitivity = access.OfficialSensitive
		}))
		tags, err := db.KnowledgeTags(ctx, w.partner, 50)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range tags {
			if tc.Tag == "internal-only" {
				t.Error("a partner sees the tags of articles not shared with them")
			}
		}
		if tags, _ := db.KnowledgeTags(ctx, w.otherLawyer, 50); len(tags) == 0 {
			t.Error("staff see no tags")
		}
		for _, tc := range []struct {
			name string
			p    *access.Principal
			want []int64
		}{
			{"partner", w.partner, []int64{shared.ID}},
			{"other unit", w.otherLawyer, []int64{shared.ID, own.ID}},
			{"author", w.author, []int64{shared.ID, own.ID, sensitive.ID}},
			{"inspector", w.inspector, []int64{shared.ID, own.ID, sensitive.ID}},
		} {
			page, err := db.SearchArticles(ctx, tc.p, store.ArticleFilter{Query: "surrender"})
			if err != nil {
				t.Fatal(err)
			}
			got := ids(page)
			if len(got) != len(tc.want) {
				t.Errorf("%s finds %v, want %v", tc.name, got, tc.want)
				continue
			}
			for _, id := range tc.want {
				found := false
				for _, g := range got {
					found = found || g == id
				}
				if !found {
					t.Errorf("%s does not find %d: %v", tc.name, id, got)
				}
			}
			for _, id := range []int64{shared.ID, own.ID, sensitive.ID} {
				_, err := db.Article(ctx, tc.p, id)
				listed := false
				for _, g := range got {
					listed = listed || g == id
				}
				if (err == nil) != listed {
					t.Errorf("%s: article %d read %v but listed %v", tc.name, id, err == nil, listed)
				}
			}
		}
	})
}

func TestArticleSearch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newKnowledgeWorld(t, db)
		inTitle := w.publish(t, w.draft(t, "Prison conditions in Romania", "Assurances are sought through the central authority."))
		inBody := w.publish(t, w.draft(t, "Hearing checklist", "Before the hearing check the warrant. Prison conditions may be argued."))
		inTags := w.publish(t, w.draft(t, "Assurance letters", "Letters from the requesting state.", func(a *knowledge.Article) {
			a.Tags = []string{"prison-conditions"}
		}))
		poland := w.publish(t, w.draft(t, "Poland: refusals", "Refusals over prison conditions and overcrowding in Polish prisons.", func(a *knowledge.Article) {
			a.Kind, a.Country = knowledge.JurisdictionNote, "PL"
		}))
		w.draft(t, "Prison conditions draft", "Unpublished prison conditions text.")

		t.Run("RankedTitleFirst", func(t *testing.T) {
			page, err := db.SearchArticles(ctx, w.otherLawyer, store.ArticleFilter{Query: "prison conditions"})
			if err != nil {
				t.Fatal(err)
			}
			got := ids(page)
			if len(got) != 4 || got[0] != inTitle.ID {
				t.Fatalf("results %v, want 4 with the title match %d first", got, inTitle.ID)
			}
			for i := 1; i < len(page.Articles); i++ {
				if page.Articles[i].Score > page.Articles[i-1].Score || page.Articles[i].Score <= 0 {
					t.Fatalf("scores not ranked: %v", page.Articles)
				}
			}
			if page.Articles[0].Score <= page.Articles[len(page.Articles)-1].Score {
				t.Fatal("the title match scores no higher than the body match")
			}
			bodyRank, tagRank := -1, -1
			for i, h := range page.Articles {
				if h.ID == inBody.ID {
					bodyRank = i
				}
				if h.ID == inTags.ID {
					tagRank = i
				}
			}
			if tagRank > bodyRank {
				t.Errorf("a tag match (%d) ranks below a body match (%d)", tagRank, bodyRank)
			}
			for _, h := range page.Articles {
				if h.ID == inBody.ID && !strings.Contains(h.Snippet, "<mark>") {
					t.Errorf("snippet without highlight: %q", h.Snippet)
				}
				if h.Body != "" {
					t.Error("a hit carries the whole body")
				}
			}
		})
		t.Run("Stemming", func(t *testing.T) {
			page, _ := db.SearchArticles(ctx, w.otherLawyer, store.ArticleFilter{Query: "refusal"})
			if got := ids(page); len(got) != 1 || got[0] != poland.ID {
				t.Fatalf("refusal finds %v, want the note on refusals", got)
			}
		})
		t.Run("PhraseAndPrefix", func(t *testing.T) {
			page, _ := db.SearchArticles(ctx, w.otherLawyer, store.ArticleFilter{Query: `"central authority"`})
			if got := ids(page); len(got) != 1 || got[0] != inTitle.ID {
				t.Fatalf("phrase finds %v", got)
			}
			page, _ = db.SearchArticles(ctx, w.otherLawyer, store.ArticleFilter{Query: "overcrowd*"})
			if got := ids(page); len(got) != 1 || got[0] != poland.ID {
				t.Fatalf("prefix finds %v", got)
			}
		})
		t.Run("Filters", func(t *testing.T) {
			page, _ := db.SearchArticles(ctx, w.otherLawyer, store.ArticleFilter{Query: "prison", Kind: knowledge.JurisdictionNote})
			if got := ids(page); len(got) != 1 || got[0] != poland.ID {
				t.Fatalf("kind filter: %v", got)
			}
			page, _ = db.SearchArticles(ctx, w.otherLawyer, store.ArticleFilter{Tag: "Prison conditions"})
			if got := ids(page); len(got) != 1 || got[0] != inTags.ID {
				t.Fatalf("tag filter: %v", got)
			}
			page, _ = db.SearchArticles(ctx, w.otherLawyer, store.ArticleFilter{Query: "prison", Unit: "organised_crime"})
			if len(page.Articles) != 0 {
				t.Fatalf("unit filter: %v", ids(page))
			}
			page, _ = db.SearchArticles(ctx, w.otherLawyer, store.ArticleFilter{UpdatedSince: time.Now().Add(time.Hour)})
			if len(page.Articles) != 0 {
				t.Fatalf("updated since: %v", ids(page))
			}
			page, _ = db.SearchArticles(ctx, w.author, store.ArticleFilter{Status: "draft"})
			if len(page.Articles) != 1 {
				t.Fatalf("the author's drafts: %v", ids(page))
			}
			page, _ = db.SearchArticles(ctx, w.otherLawyer, store.ArticleFilter{Status: "draft"})
			if len(page.Articles) != 0 {
				t.Fatalf("another unit's drafts: %v", ids(page))
			}
			if _, err := db.SearchArticles(ctx, w.author, store.ArticleFilter{Status: "secret"}); fault.CodeOf(err) != fault.Invalid {
				t.Fatalf("unknown status: %v", err)
			}
		})
		t.Run("DidYouMean", func(t *testing.T) {
			page, err := db.SearchArticles(ctx, w.otherLawyer, store.ArticleFilter{Query: "prsion condtions"})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Articles) != 0 || page.DidYouMean != "prison conditions" {
				t.Fatalf("did you mean %q, %d results", page.DidYouMean, len(page.Articles))
			}
		})
		t.Run("HostileQueries", func(t *testing.T) {
			for _, q := range []string{`"`, `prison"`, `NEAR(prison conditions)`, `prison AND`, `((prison`, `*`, `prison:*`, `'; DROP TABLE articles; --`,
				`title:prison`, `^prison`, `prison OR`, `-prison`, `a & b | !c`, `\`, "\x00", strings.Repeat("x ", 400)} {
				if _, err := db.SearchArticles(ctx, w.otherLawyer, store.ArticleFilter{Query: q}); err != nil {
					t.Errorf("query %q: %v", q, err)
				}
			}
			// Operators are words: AND and OR are common words, dropped.
			page, _ := db.SearchArticles(ctx, w.otherLawyer, store.ArticleFilter{Query: `(prison AND conditions) OR`})
			if len(page.Articles) != 4 {
				t.Errorf("operators read as words: %d found", len(page.Articles))
			}
		})
		t.Run("Paging", func(t *testing.T) {
			first, err := db.SearchArticles(ctx, w.otherLawyer, store.ArticleFilter{Limit: 2})
			if err != nil || len(first.Articles) != 2 || first.Next == "" {
				t.Fatalf("first page: %v %v", ids(first), err)
			}
			second, err := db.SearchArticles(ctx, w.otherLawyer, store.ArticleFilter{Limit: 2, Cursor: first.Next})
			if err != nil || len(second.Articles) != 2 || second.Articles[0].ID == first.Articles[1].ID {
				t.Fatalf("second page: %v %v", ids(second), err)
			}
			if _, err := db.SearchArticles(ctx, w.otherLawyer, store.ArticleFilter{Cursor: "nonsense"}); fault.CodeOf(err) != fault.Invalid {
				t.Fatalf("bad cursor: %v", err)
			}
		})
	})
}

func TestStaleAndDue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newKnowledgeWorld(t, db)
		overdue := w.publish(t, w.draft(t, "Old desk guide", "Text."))
		soon := w.publish(t, w.draft(t, "Nearly due", "Text."))
		later := w.publish(t, w.draft(t, "Fresh", "Text."))
		// Move time on: approval dates the review from "today", so the
		// world's clock is what makes an article overdue.
		future := func(a knowledge.Article, days int) {
			t.Helper()
			if _, err := db.RecordArticleReview(ctx, w.author, a.ID, store.ReviewInput{Outcome: knowledge.StillAccurate,
				NextReviewBy: w.today.AddDays(days), Today: w.today}); err != nil {
				t.Fatal(err)
			}
		}
		future(overdue, 1)
		future(soon, 20)
		future(later, 90)
		lookingFrom := w.today.AddDays(11) // overdue by 10 days; soon due in 9
		stale, err := db.StaleArticles(ctx, w.otherLawyer, "", lookingFrom)
		if err != nil {
			t.Fatal(err)
		}
		if len(stale) != 1 || stale[0].ID != overdue.ID || stale[0].DaysOverdue != 10 {
			t.Fatalf("stale: %+v", stale)
		}
		if stale, _ := db.StaleArticles(ctx, w.otherLawyer, "organised_crime", lookingFrom); len(stale) != 0 {
			t.Fatalf("stale in another unit: %+v", stale)
		}
		due, err := db.ArticlesDueForReview(ctx, w.author, w.author.PersonID, lookingFrom, knowledge.DueSoonDays)
		if err != nil {
			t.Fatal(err)
		}
		if len(due) != 2 || due[0].ID != overdue.ID || due[1].ID != soon.ID {
			t.Fatalf("due for review: %v", due)
		}
		if due, _ := db.ArticlesDueForReview(ctx, w.otherLawyer, w.otherLawyer.PersonID, lookingFrom, 30); len(due) != 0 {
			t.Fatalf("someone owning nothing has %d due", len(due))
		}
	})
}

func TestKnowledgeGaps(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newKnowledgeWorld(t, db)
		bad := knowledge.Gap{UnitID: w.unitID}
		if err := db.RequestGuidance(ctx, w.otherLawyer, &bad); fault.CodeOf(err) != fault.Invalid {
			t.Fatalf("a request without a topic: %v", err)
		}
		if err := db.RequestGuidance(ctx, w.partner, &knowledge.Gap{Topic: "x", UnitID: w.unitID}); fault.CodeOf(err) != fault.Forbidden {
			t.Fatalf("a partner records a gap: %v", err)
		}
		g := knowledge.Gap{Topic: "Assurances from Brazil", Detail: "Which prisons?", UnitID: w.unitID}
		if err := db.RequestGuidance(ctx, w.otherLawyer, &g); err != nil {
			t.Fatal(err)
		}
		open, err := db.Gaps(ctx, w.author, store.GapFilter{Units: w.author.Units, Status: knowledge.GapOpen})
		if err != nil || len(open) != 1 || open[0].Topic != "Assurances from Brazil" || open[0].RequestedByName == "" {
			t.Fatalf("the unit's open gaps: %+v %v", open, err)
		}
		if gaps, _ := db.Gaps(ctx, w.partner, store.GapFilter{}); len(gaps) != 0 {
			t.Fatal("a partner sees the gaps")
		}
		if _, err := db.CloseGap(ctx, w.otherLawyer, g.ID, nil); fault.CodeOf(err) != fault.Forbidden {
			t.Fatalf("someone of another unit closes it: %v", err)
		}
		a := w.publish(t, w.draft(t, "Brazil: prison conditions", "Assurances have been given."))
		answered, err := db.CloseGap(ctx, w.author, g.ID, &a.ID)
		if err != nil || answered.Status != knowledge.GapAnswered || *answered.ArticleID != a.ID {
			t.Fatalf("answered: %+v %v", answered, err)
		}
		if _, err := db.CloseGap(ctx, w.author, g.ID, nil); fault.CodeOf(err) != fault.Conflict {
			t.Fatalf("closed twice: %v", err)
		}
	})
}

func TestArticleAttachments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newKnowledgeWorld(t, db)
		a := w.publish(t, w.draft(t, "Assurances tracker", "See the attached note."))
		word := wordFile(t, "The Lithuanian ministry confirmed cell space of four square metres.")
		att, err := db.AddAttachment(ctx, w.author, a.ID, "assurance.docx", word)
		if err != nil {
			t.Fatal(err)
		}
		if att.TextChars == 0 || att.SHA256 == "" || att.Size != int64(len(word)) {
			t.Fatalf("attachment: %+v", att)
		}
		page, err := db.SearchArticles(ctx, w.otherLawyer, store.ArticleFilter{Query: "lithuanian ministry"})
		if err != nil || len(page.Articles) != 1 || page.Articles[0].ID != a.ID {
			t.Fatalf("attachment text not searched: %v %v", ids(page), err)
		}
		if _, err := db.AddAttachment(ctx, w.author, a.ID, "fake.docx", []byte("%PDF-1.4")); fault.CodeOf(err) != fault.Invalid {
			t.Fatalf("a PDF named .docx: %v", err)
		}
		if _, err := db.AddAttachment(ctx, w.otherLawyer, a.ID, "x.pdf", []byte("%PDF-1.4")); fault.CodeOf(err) != fault.Forbidden {
			t.Fatalf("someone of another unit attaches: %v", err)
		}
		list, err := db.Attachments(ctx, w.otherLawyer, a.ID)
		if err != nil || len(list) != 1 || list[0].Name != "assurance.docx" {
			t.Fatalf("list: %+v %v", list, err)
		}
		got, data, err := db.AttachmentFile(ctx, w.otherLawyer, a.ID, att.ID)
		if err != nil || !bytes.Equal(data, word) || got.ContentType == "" {
			t.Fatalf("download: %v", err)
		}
		if _, _, err := db.AttachmentFile(ctx, w.partner, a.ID, att.ID); fault.CodeOf(err) != fault.NotFound {
			t.Fatalf("a partner downloads: %v", err)
		}
		// A later edit of the article keeps the attachment's text searchable.
		current, _ := db.Article(ctx, w.author, a.ID)
		current.Tags = []string{"assurances"}
		if _, err := db.UpdateArticle(ctx, w.author, store.ArticleChange{Article: current}); err != nil {
			t.Fatal(err)
		}
		if page, _ := db.SearchArticles(ctx, w.otherLawyer, store.ArticleFilter{Query: "lithuanian"}); len(page.Articles) != 1 {
			t.Fatal("attachment text lost after an edit")
		}
	})
}

// TestArticleSearchPages checks that a page of a search is the same as
// the start of a longer one, whether the best matches are readable (SQLite
// then ranks the index alone and filters its best candidates) or not (it
// then ranks everything with the filters).
func TestArticleSearchPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newKnowledgeWorld(t, db)
		var published []int64
		for i := range 12 {
			body := strings.Repeat("Quokka sightings in the annex. ", 1+i%4) + strings.Repeat("Other words entirely. ", i)
			published = append(published, w.publish(t, w.draft(t, fmt.Sprintf("Annex note %d", i), body)).ID)
		}
		search := func(limit int) []int64 {
			page, err := db.SearchArticles(ctx, w.otherLawyer, store.ArticleFilter{Query: "quokka", Limit: limit})
			if err != nil {
				t.Fatal(err)
			}
			return ids(page)
		}
		all := search(50)
		if len(all) != 12 {
			t.Fatalf("found %v, want the 12 published", all)
		}
		if first := search(3); !slices.Equal(first, all[:3]) {
			t.Fatalf("a page of 3 is %v, the start of the whole list %v", first, all[:3])
		}
		// Drafts that would rank first (the word in their titles) are no
		// one else's to read: the page is still the best published ones.
		for i := range 15 {
			w.draft(t, fmt.Sprintf("Quokka draft %d", i), "Quokka quokka quokka.")
		}
		if first := search(3); !slices.Equal(first, all[:3]) {
			t.Fatalf("behind drafts, a page of 3 is %v, want %v", first, all[:3])
		}
		if got := search(50); !slices.Equal(got, all) {
			t.Fatalf("behind drafts, the whole list is %v, want %v", got, all)
		}
	})
}

// TestArticleSearchHeads checks that a page served from a query's kept
// head is the full ranking's page, scores and all, for readers and filters
// that keep much or little of it; that a head is used at all; and that
// adding an article, or changing an article's searched text by any route,
// is seen by the very next search.
func TestArticleSearchHeads(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newKnowledgeWorld(t, db)
		for i := range 14 {
			body := strings.Repeat("Wombat burrows near the annex. ", 1+i%5) + strings.Repeat("Unrelated filler text. ", i)
			a := w.publish(t, w.draft(t, fmt.Sprintf("Burrow note %d", i), body))
			if i%3 == 0 {
				if err := store.ExecForTest(ctx, db, fmt.Sprintf("UPDATE articles SET kind = 'good_practice' WHERE id = %d", a.ID)); err != nil {
					t.Fatal(err)
				}
			}
		}
		for i := range 4 {
			w.draft(t, fmt.Sprintf("Wombat draft %d", i), "Wombat wombat wombat.")
		}
		same := func(label string, f store.ArticleFilter, p *access.Principal, wantHead bool) []int64 {
			t.Helper()
			want, err := store.SearchRankedInFull(ctx, db, p, f)
			if err != nil {
				t.Fatal(err)
			}
			head, fromHead, err := store.SearchFromHead(ctx, db, p, f)
			if err != nil {
				t.Fatal(err)
			}
			if fromHead != wantHead {
				t.Fatalf("%s: from the head %v, want %v", label, fromHead, wantHead)
			}
			got, err := db.SearchArticles(ctx, p, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(want.Articles) == 0 && len(got.Articles) == 0 {
				return nil
			}
			pages := []store.ArticlePage{got}
			if fromHead {
				pages = append(pages, head)
			}
			for _, page := range pages {
				if !slices.Equal(ids(page), ids(want)) {
					t.Fatalf("%s: %v, the full ranking %v", label, ids(page), ids(want))
				}
				for i := range page.Articles {
					if page.Articles[i].Score != want.Articles[i].Score || page.Articles[i].Snippet != want.Articles[i].Snippet {
						t.Fatalf("%s: result %d scored %v with %q, the full ranking %v with %q", label, i,
							page.Articles[i].Score, page.Articles[i].Snippet, want.Articles[i].Score, want.Articles[i].Snippet)
					}
				}
			}
			return ids(want)
		}
		all := same("all", store.ArticleFilter{Query: "wombat", Limit: 10}, w.otherLawyer, true)
		if len(all) != 10 {
			t.Fatalf("found %v, want 10", all)
		}
		same("a page of 3", store.ArticleFilter{Query: "wombat", Limit: 3}, w.otherLawyer, true)
		same("two words", store.ArticleFilter{Query: "wombat annex", Limit: 5}, w.otherLawyer, true)
		same("a phrase", store.ArticleFilter{Query: `"wombat burrows"`, Limit: 5}, w.otherLawyer, true)
		// The author sees the drafts too, which rank first.
		same("with drafts", store.ArticleFilter{Query: "wombat", Limit: 3, Status: "draft"}, w.author, true)
		// A filter the head's first page mostly fails, and more than the
		// matches: ranked in full, same result.
		same("procedures", store.ArticleFilter{Query: "wombat", Limit: 6, Kind: knowledge.GoodPractice}, w.otherLawyer, false)
		// Found beyond the head's first two pages (its first four rows).
		same("good practice, a page of 2", store.ArticleFilter{Query: "wombat", Limit: 2, Kind: knowledge.GoodPractice}, w.otherLawyer, true)
		same("every one", store.ArticleFilter{Query: "wombat", Limit: 50}, w.otherLawyer, false)
		same("a partner", store.ArticleFilter{Query: "wombat", Limit: 3}, w.partner, false)

		// A new article, best of all, is first on the next search.
		best := w.publish(t, w.draft(t, "Wombat wombat", "Wombat burrows. Wombat annex. Wombat."))
		if got := same("after a new article", store.ArticleFilter{Query: "wombat", Limit: 10}, w.otherLawyer, true); got[0] != best.ID {
			t.Fatalf("the new article %d is not first: %v", best.ID, got)
		}
		// Text changed behind the store's back (an import, a repair) moves
		// the generation too.
		last := all[len(all)-1]
		if err := store.ExecForTest(ctx, db, fmt.Sprintf("UPDATE articles SET title = 'Wombat wombat wombat wombat' WHERE id = %d", last)); err != nil {
			t.Fatal(err)
		}
		if got := same("after a changed title", store.ArticleFilter{Query: "wombat", Limit: 10}, w.otherLawyer, true); slices.Index(got, last) > 1 {
			t.Fatalf("the retitled article %d, last before, is not now among the first two: %v", last, got)
		}

		// A word found only far into the text is still marked in the
		// snippet (PostgreSQL looks in the text's start first).
		late := w.publish(t, w.draft(t, "Long note", strings.Repeat("Filler sentence of no interest. ", 400)+"The platypus appears late."))
		page, err := db.SearchArticles(ctx, w.otherLawyer, store.ArticleFilter{Query: "platypus"})
		if err != nil || len(page.Articles) != 1 || page.Articles[0].ID != late.ID || !strings.Contains(page.Articles[0].Snippet, "<mark>platypus</mark>") {
			t.Fatalf("a late word: %+v %v", page.Articles, err)
		}
	})
}

// TestArticlePDFAttachments reads a PDF's text in a child process and
// searches it with the article; a PDF whose text cannot be read is kept
// without text, and says why in the audit trail; a file lying about its
// type is refused and nothing is kept.
func TestArticlePDFAttachments(t *testing.T) {
	pdf, err := os.ReadFile("../pdftext/testdata/guidance.pdf")
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newKnowledgeWorld(t, db)
		a := w.publish(t, w.draft(t, "Surrender tracker", "See the attached note."))
		att, err := db.AddAttachment(ctx, w.author, a.ID, "Ruritania.pdf", pdf)
		if err != nil {
			t.Fatal(err)
		}
		if att.ContentType != "application/pdf" || att.TextChars != len("Surrender from Ruritania\nRequests to the Ruritanian ministry of justice need a sworn translation.\nAssurances on prison conditions are sought before the hearing.") {
			t.Fatalf("attachment: %+v", att)
		}
		for _, q := range []string{"ruritanian ministry", `"sworn translation"`} {
			page, err := db.SearchArticles(ctx, w.otherLawyer, store.ArticleFilter{Query: q})
			if err != nil || len(page.Articles) != 1 || page.Articles[0].ID != a.ID {
				t.Fatalf("%s: PDF text not searched: %v %v", q, ids(page), err)
			}
		}
		truncated, err := db.AddAttachment(ctx, w.author, a.ID, "broken.pdf", pdf[:len(pdf)/2])
		if err != nil || truncated.TextChars != 0 {
			t.Fatalf("a truncated PDF: %+v %v", truncated, err)
		}
		entries, err := db.AuditEntries(ctx, store.AuditFilter{RecordType: "article", RecordID: strconv.FormatInt(a.ID, 10)})
		if err != nil || len(entries) == 0 || !strings.Contains(entries[len(entries)-1].Changes, "could not be read") {
			t.Fatalf("the audit trail does not say why: %v", err)
		}
		before, _ := db.Attachments(ctx, w.author, a.ID)
		if _, err := db.AddAttachment(ctx, w.author, a.ID, "lies.pdf", []byte("<html><script>alert(1)</script></html>")); fault.CodeOf(err) != fault.Invalid {
			t.Fatalf("HTML named .pdf: %v", err)
		}
		if after, _ := db.Attachments(ctx, w.author, a.ID); len(after) != len(before) || len(after) != 2 {
			t.Fatalf("attachments %d then %d", len(before), len(after))
		}
	})
}

func wordFile(t *testing.T, text string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("word/document.xml")
	w.Write([]byte(`<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>` + text + `</w:t></w:r></w:p></w:body></w:document>`))
	zw.Close()
	return buf.Bytes()
}

func TestSpecialisms(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newKnowledgeWorld(t, db)
		admin, err := db.AccountByEmail(ctx, "admin@caseboard.example")
		if err != nil {
			t.Fatal(err)
		}
		adminP, _ := db.Principal(ctx, admin.PersonID)
		s := knowledge.Specialism{Code: "eaw", Name: "European arrest warrants", LeadID: &w.reviewer.PersonID, DeputyID: &w.author.PersonID,
			Contact: "extradition mailbox", HelpsWith: "Section 20 and prison conditions", Tag: "eaw"}
		if err := db.SaveSpecialism(ctx, w.author, &s); fault.CodeOf(err) != fault.Forbidden {
			t.Fatalf("a lawyer keeps the directory: %v", err)
		}
		if err := db.SaveSpecialism(ctx, adminP, &s); err != nil {
			t.Fatal(err)
		}
		liaison := knowledge.Specialism{Code: "liaison_es", Name: "Liaison prosecutor, Spain", Country: "ES", LeadID: &w.otherLawyer.PersonID}
		if err := db.SaveSpecialism(ctx, adminP, &liaison); err != nil {
			t.Fatal(err)
		}
		s.Contact = "0207 000 0000, 9am to 5pm"
		if err := db.SaveSpecialism(ctx, adminP, &s); err != nil {
			t.Fatal(err)
		}
		nobody := int64(987654)
		bad := s
		bad.LeadID, bad.Contact = &nobody, "changed"
		if err := db.SaveSpecialism(ctx, adminP, &bad); fault.As(err) == nil || fault.As(err).FieldMessage("lead_id") == "" {
			t.Fatalf("a lead who is nobody: %v", err)
		}
		list, err := db.Specialisms(ctx)
		if err != nil || len(list) != 2 || list[0].Code != "eaw" || list[1].Country != "ES" {
			t.Fatalf("directory: %+v %v", list, err)
		}
		if list[0].Contact != "0207 000 0000, 9am to 5pm" || list[0].LeadName != w.reviewer.Name || list[0].DeputyName != w.author.Name {
			t.Fatalf("entry: %+v", list[0])
		}
	})
}

func TestHelpRequests(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newKnowledgeWorld(t, db)
		admin, _ := db.AccountByEmail(ctx, "admin@caseboard.example")
		adminP, _ := db.Principal(ctx, admin.PersonID)
		sp := knowledge.Specialism{Code: "eaw", Name: "European arrest warrants", LeadID: &w.reviewer.PersonID, DeputyID: &w.author.PersonID}
		if err := db.SaveSpecialism(ctx, adminP, &sp); err != nil {
			t.Fatal(err)
		}
		ask := func(topic string) knowledge.HelpRequest {
			t.Helper()
			h := knowledge.HelpRequest{Specialism: "eaw", Topic: topic, Question: "What does the court need?", Urgency: knowledge.Urgent}
			if err := db.AskForHelp(ctx, w.otherLawyer, &h, w.today); err != nil {
				t.Fatal(err)
			}
			return h
		}
		first, second := ask("Trial in absence"), ask("Assurances")
		if first.AssigneeID == nil || second.AssigneeID == nil || *first.AssigneeID == *second.AssigneeID {
			t.Fatalf("two requests to a queue of two go to each in turn: %v %v", first.AssigneeID, second.AssigneeID)
		}
		// The lead goes away: the next two both go to the deputy.
		if _, err := db.SetAway(ctx, w.reviewer, w.today.AddDays(7), w.today); err != nil {
			t.Fatal(err)
		}
		third, fourth := ask("Passage of time"), ask("Forum")
		if *third.AssigneeID != w.author.PersonID || *fourth.AssigneeID != w.author.PersonID {
			t.Fatalf("the lead is away; assigned %d and %d", *third.AssigneeID, *fourth.AssigneeID)
		}
		bad := knowledge.HelpRequest{Specialism: "nothing", Topic: "x", Question: "y"}
		if err := db.AskForHelp(ctx, w.otherLawyer, &bad, w.today); fault.CodeOf(err) != fault.Invalid {
			t.Fatalf("an unknown specialism: %v", err)
		}
		if _, err := db.AnswerHelp(ctx, w.otherLawyer, third.ID, "x", false); fault.CodeOf(err) != fault.Forbidden {
			t.Fatalf("the asker answers: %v", err)
		}
		answered, err := db.AnswerHelp(ctx, w.author, third.ID, "Show the delay was culpable.", true)
		if err != nil || answered.Status != knowledge.HelpAnswered || answered.ArticleID == nil {
			t.Fatalf("answer: %+v %v", answered, err)
		}
		a, err := db.Article(ctx, w.author, *answered.ArticleID)
		if err != nil || a.Status != knowledge.Draft || !strings.Contains(a.Body, "Show the delay was culpable.") {
			t.Fatalf("the answer as an article: %+v %v", a, err)
		}
		if _, err := db.AnswerHelp(ctx, w.author, third.ID, "again", false); fault.CodeOf(err) != fault.Conflict {
			t.Fatalf("answered twice: %v", err)
		}
		mine, _ := db.HelpRequests(ctx, w.otherLawyer, store.HelpFilter{AskerID: &w.otherLawyer.PersonID})
		if len(mine) != 4 {
			t.Fatalf("the asker's requests: %d", len(mine))
		}
		times, err := db.HelpResponseTimes(ctx, w.hod)
		if err != nil || len(times) != 1 || times[0].Answered != 1 || times[0].Open != 3 || times[0].MedianHours == nil {
			t.Fatalf("response times: %+v %v", times, err)
		}
	})
}

// TestHelpRoutingAndReallocation routes a question by its topic, refuses
// one that fits nothing, and moves open questions when their holder goes
// away, back when they return, and at the lead's request.
func TestHelpRoutingAndReallocation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newKnowledgeWorld(t, db)
		admin, _ := db.AccountByEmail(ctx, "admin@caseboard.example")
		adminP, _ := db.Principal(ctx, admin.PersonID)
		for _, sp := range []knowledge.Specialism{
			{Code: "eaw", Name: "European arrest warrants", LeadID: &w.reviewer.PersonID, DeputyID: &w.author.PersonID, Tag: "eaw"},
			{Code: "money_laundering", Name: "Money laundering", LeadID: &w.otherLawyer.PersonID, HelpsWith: "Restraint and confiscation"},
		} {
			if err := db.SaveSpecialism(ctx, adminP, &sp); err != nil {
				t.Fatal(err)
			}
		}
		ask := func(topic, code string) (knowledge.HelpRequest, error) {
			h := knowledge.HelpRequest{Specialism: code, Topic: topic, Question: "What does the court need?"}
			return h, db.AskForHelp(ctx, w.hod, &h, w.today)
		}
		routed, err := ask("Arrest warrant: passage of time", "")
		if err != nil || routed.Specialism != "eaw" || !strings.Contains(routed.RoutedBecause, "European arrest warrants") {
			t.Fatalf("routed by topic: %+v %v", routed, err)
		}
		chosen, err := ask("Confiscation timetable", "eaw")
		if err != nil || chosen.Specialism != "eaw" || chosen.RoutedBecause != "" {
			t.Fatalf("an explicit choice stands: %+v %v", chosen, err)
		}
		if h, err := ask("Confiscation timetable", ""); err != nil || h.Specialism != "money_laundering" {
			t.Fatalf("a word of what they help with: %+v %v", h, err)
		}
		before, _ := db.HelpRequests(ctx, w.hod, store.HelpFilter{})
		_, err = ask("Horses", "")
		if fe := fault.As(err); fe == nil || fe.Code != fault.Invalid || !strings.Contains(fe.FieldMessage("specialism"), "choose who the question is for") {
			t.Fatalf("a topic matching nothing: %v", err)
		}
		if after, _ := db.HelpRequests(ctx, w.hod, store.HelpFilter{}); len(after) != len(before) {
			t.Fatalf("a refused question was stored: %d then %d", len(before), len(after))
		}

		// The two eaw questions went one each to the lead and the deputy.
		// The deputy goes away: theirs moves to the lead.
		deputyHad := routed.ID
		if *routed.AssigneeID != w.author.PersonID {
			deputyHad = chosen.ID
		}
		if _, err := db.SetAway(ctx, w.author, w.today.AddDays(-1), w.today); fault.CodeOf(err) != fault.Invalid {
			t.Fatalf("away until yesterday: %v", err)
		}
		moved, err := db.SetAway(ctx, w.author, w.today.AddDays(3), w.today)
		if err != nil || moved != 1 {
			t.Fatalf("away: %d %v", moved, err)
		}
		held := func(id int64) *int64 {
			t.Helper()
			all, _ := db.HelpRequests(ctx, w.hod, store.HelpFilter{})
			for _, h := range all {
				if h.ID == id {
					return h.AssigneeID
				}
			}
			t.Fatalf("no request %d", id)
			return nil
		}
		if got := held(deputyHad); got == nil || *got != w.reviewer.PersonID {
			t.Fatalf("the deputy's question went to %v, want the lead %d", got, w.reviewer.PersonID)
		}
		// The lead goes away too: nobody is left, so both wait unallocated.
		if moved, err := db.SetAway(ctx, w.reviewer, w.today.AddDays(3), w.today); err != nil || moved != 2 {
			t.Fatalf("lead away: %d %v", moved, err)
		}
		if held(routed.ID) != nil || held(chosen.ID) != nil {
			t.Fatal("with everyone away the questions wait unallocated")
		}
		if _, err := db.ReallocateHelp(ctx, w.reviewer, routed.ID, w.today); fault.CodeOf(err) != fault.Conflict {
			t.Fatalf("reallocating with nobody available: %v", err)
		}
		// The deputy is back: the waiting questions are theirs.
		if moved, err := db.SetAway(ctx, w.author, deadline.Date{}, w.today); err != nil || moved != 2 {
			t.Fatalf("back: %d %v", moved, err)
		}
		if got := held(routed.ID); got == nil || *got != w.author.PersonID {
			t.Fatalf("after the deputy is back: %v", got)
		}
		// The lead, back too, moves one to themself; the deputy may not.
		if _, err := db.SetAway(ctx, w.reviewer, deadline.Date{}, w.today); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ReallocateHelp(ctx, w.author, routed.ID, w.today); fault.CodeOf(err) != fault.Forbidden {
			t.Fatalf("the deputy reallocates: %v", err)
		}
		if _, err := db.ReallocateHelp(ctx, w.reviewer, 999999, w.today); fault.CodeOf(err) != fault.NotFound {
			t.Fatalf("no such request: %v", err)
		}
		h, err := db.ReallocateHelp(ctx, w.reviewer, routed.ID, w.today)
		if err != nil || h.AssigneeID == nil || *h.AssigneeID != w.reviewer.PersonID {
			t.Fatalf("reallocated by the lead: %+v %v", h, err)
		}
		trail, err := db.AuditEntries(ctx, store.AuditFilter{RecordType: "help_request", RecordID: fmt.Sprint(routed.ID)})
		if err != nil || len(trail) < 4 || !strings.Contains(trail[len(trail)-1].Changes, "by the lead") {
			t.Fatalf("the moves are audited: %+v %v", trail, err)
		}
		queue, _ := db.HelpRequests(ctx, w.reviewer, store.HelpFilter{QueueOf: &w.reviewer.PersonID, Status: knowledge.HelpOpen})
		if len(queue) != 2 {
			t.Fatalf("the lead's queues: %d", len(queue))
		}
		// Both away until tomorrow: the questions wait. The absences run
		// out without anyone marking themselves back; the next question to
		// the queue gives the waiting ones out first.
		for _, p := range []*access.Principal{w.author, w.reviewer} {
			if _, err := db.SetAway(ctx, p, w.today.AddDays(1), w.today); err != nil {
				t.Fatal(err)
			}
		}
		if held(routed.ID) != nil || held(chosen.ID) != nil {
			t.Fatal("with both away the questions wait")
		}
		later := knowledge.HelpRequest{Specialism: "eaw", Topic: "Dual criminality", Question: "Is it met?"}
		if err := db.AskForHelp(ctx, w.hod, &later, w.today.AddDays(2)); err != nil || later.AssigneeID == nil {
			t.Fatalf("asked after the absences ran out: %+v %v", later, err)
		}
		if held(routed.ID) == nil || held(chosen.ID) == nil {
			t.Fatal("the waiting questions were not given out")
		}
	})
}

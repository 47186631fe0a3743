package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
	"caseboard/internal/quality"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func TestShareQualityTheme(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		c := w.newCase(t, "01QT0000118", access.Official)
		d := casework.Defendant{CaseID: c.ID, Ref: "1", Name: "Zebedee Quartermaine"}
		if err := db.SaveDefendant(ctx, w.lawyer, &d); err != nil {
			t.Fatal(err)
		}
		// Two IQAs in two quarters: disclosure not met in both, with
		// comments naming the defendant and the case.
		for _, day := range []time.Time{time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 14, 0, 0, 0, 0, time.UTC)} {
			a := quality.Assessment{AssessedID: w.lawyer.PersonID, CaseID: c.ID, Activity: quality.LegalCasework, AssessedOn: day,
				Marks: allMarks(quality.LegalCasework, 2, quality.FullyMeets), Feedback: "Zebedee Quartermaine's schedules in 01QT0000118 were late"}
			for i := range a.Marks {
				if a.Marks[i].Question == "disclosure" {
					a.Marks[i].Answer, a.Marks[i].Comment = quality.NotMet, "Unused material for Quartermaine not scheduled in 01QT0000118"
				}
			}
			if err := db.CreateAssessment(ctx, w.manager, &a); err != nil {
				t.Fatal(err)
			}
		}
		from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
		theme := store.QualityTheme{UnitID: &w.unitID, From: from, To: to, Activity: quality.LegalCasework, Question: "disclosure"}
		drafts := func() int {
			t.Helper()
			page, err := db.SearchArticles(ctx, w.manager, store.ArticleFilter{Status: "draft", Tag: knowledge.ThemeTag})
			if err != nil {
				t.Fatal(err)
			}
			return len(page.Articles)
		}

		t.Run("ErrBadInput", func(t *testing.T) {
			for _, tc := range []struct {
				field string
				theme store.QualityTheme
			}{
				{"question", store.QualityTheme{UnitID: &w.unitID, From: from, To: to, Activity: quality.LegalCasework, Question: "no_such_question"}},
				{"question", store.QualityTheme{UnitID: &w.unitID, From: from, To: to, Activity: quality.LegalAdvocacy, Question: "disclosure"}},
				{"activity", store.QualityTheme{UnitID: &w.unitID, From: from, To: to, Activity: "cooking", Question: "disclosure"}},
				{"to", store.QualityTheme{UnitID: &w.unitID, From: to, To: from, Activity: quality.LegalCasework, Question: "disclosure"}},
				// A real question no IQA of the period answered.
				{"question", store.QualityTheme{UnitID: &w.unitID, From: from.AddDate(-5, 0, 0), To: to.AddDate(-5, 0, 0), Activity: quality.LegalCasework, Question: "disclosure"}},
			} {
				_, err := db.ShareQualityTheme(ctx, w.manager, tc.theme)
				if fault.CodeOf(err) != fault.Invalid || fault.As(err).FieldMessage(tc.field) == "" {
					t.Fatalf("%+v: want a message on %s, got %v", tc.theme, tc.field, err)
				}
			}
			if n := drafts(); n != 0 {
				t.Fatalf("%d drafts after refused shares", n)
			}
		})

		t.Run("ErrMayNotSeeTrendsOrWrite", func(t *testing.T) {
			partner := &access.Principal{PersonID: w.lawyer.PersonID, Roles: []access.Role{access.CaseLawyer, access.Partner}, Units: w.lawyer.Units, PartnerID: new(int64)}
			for _, p := range []*access.Principal{w.inspector, w.admin, partner} {
				if _, err := db.ShareQualityTheme(ctx, p, theme); fault.CodeOf(err) != fault.Forbidden {
					t.Fatalf("%s shared: %v", p.Name, err)
				}
			}
			if n := drafts(); n != 0 {
				t.Fatalf("%d drafts after refused shares", n)
			}
		})

		t.Run("DraftNamesNoOne", func(t *testing.T) {
			a, err := db.ShareQualityTheme(ctx, w.manager, theme)
			if err != nil {
				t.Fatal(err)
			}
			got, err := db.Article(ctx, w.manager, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Kind != knowledge.LessonsLearned || got.Status != knowledge.Draft || got.UnitID != w.unitID ||
				got.AuthorID != w.manager.PersonID || !slices.Contains(got.Tags, knowledge.ThemeTag) {
				t.Fatalf("draft %+v", got)
			}
			text := got.Title + "\n" + got.Summary + "\n" + got.Body
			for _, want := range []string{"Disclosure", "Legal casework", "2026-01-01", "2026-06-30", "not met in 2 of 2 marks (100%)",
				"2026-Q1: 100% not met (1 of 1)", "2026-Q2: 100% not met (1 of 1)", "## What we learned", "## What to do differently"} {
				if !strings.Contains(text, want) {
					t.Errorf("the draft lacks %q:\n%s", want, text)
				}
			}
			for _, name := range append(strings.Fields(w.lawyer.Name+" "+w.manager.Name), "Zebedee", "Quartermaine", c.Reference, c.Title) {
				if len(name) >= 3 && strings.Contains(text, name) {
					t.Errorf("the draft names %q:\n%s", name, text)
				}
			}
			if n := drafts(); n != 1 {
				t.Fatalf("%d drafts", n)
			}
		})

		t.Run("DivisionThemeInTheAuthorsUnit", func(t *testing.T) {
			division := theme
			division.UnitID = nil
			a, err := db.ShareQualityTheme(ctx, w.manager, division)
			if err != nil || a.UnitID != w.manager.Units[0] || !strings.Contains(a.Body, "the whole division") {
				t.Fatalf("%+v %v", a, err)
			}
		})
	})
}

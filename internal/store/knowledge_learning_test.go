package store_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// debriefsOf are the articles started as de-briefs of a case, from the
// audit trail's case_debrief entries.
func debriefsOf(t *testing.T, db *store.DB, caseID int64) []int64 {
	t.Helper()
	entries, err := db.AuditEntries(context.Background(), store.AuditFilter{RecordType: "case_debrief", RecordID: itoa(caseID)})
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, e := range entries {
		var f struct {
			ArticleID int64 `json:"article_id"`
		}
		if err := json.Unmarshal([]byte(e.Changes), &f); err != nil {
			t.Fatal(err)
		}
		out = append(out, f.ArticleID)
	}
	return out
}

// TestDebriefOnFinalise starts a draft de-brief once when a case is
// finalised, by its status or by its last defendant's outcome, and never
// twice, nor for a case that already has one or is restricted.
func TestDebriefOnFinalise(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		finalisedOn := time.Date(2018, 9, 3, 0, 0, 0, 0, time.UTC)
		defendant := func(c casework.Case, ref, name string, outcome casework.Outcome) *casework.Defendant {
			t.Helper()
			d := casework.Defendant{CaseID: c.ID, Ref: ref, Name: name, Court: casework.CrownCourt, PrincipalOffence: "drugs_offences"}
			if outcome != "" {
				d.Outcome, d.FinalisedOn = outcome, &finalisedOn
			}
			if err := db.SaveDefendant(ctx, w.lawyer, &d); err != nil {
				t.Fatal(err)
			}
			return &d
		}
		setStatus := func(id int64, status casework.Status) {
			t.Helper()
			c, err := db.Case(ctx, w.lawyer, id)
			if err != nil {
				t.Fatal(err)
			}
			c.Status = status
			if err := db.UpdateCase(ctx, w.lawyer, &c); err != nil {
				t.Fatal(err)
			}
		}

		t.Run("LastDefendant", func(t *testing.T) {
			c := w.newCase(t, "01AA3000318", access.Official)
			c.CourtCentre = "Southwark"
			if err := db.UpdateCase(ctx, w.lawyer, &c); err != nil {
				t.Fatal(err)
			}
			first, second := defendant(c, "D1", "Carl Doe", ""), defendant(c, "D2", "Dana Roe", "")
			first.Outcome, first.FinalisedOn = "guilty_plea", &finalisedOn
			if err := db.SaveDefendant(ctx, w.lawyer, first); err != nil {
				t.Fatal(err)
			}
			if got := debriefsOf(t, db, c.ID); len(got) != 0 {
				t.Fatalf("a de-brief with a defendant still to finalise: %v", got)
			}
			second.Outcome, second.FinalisedOn = "discontinued", &finalisedOn
			if err := db.SaveDefendant(ctx, w.lawyer, second); err != nil {
				t.Fatal(err)
			}
			got := debriefsOf(t, db, c.ID)
			if len(got) != 1 {
				t.Fatalf("de-briefs after the last outcome: %v", got)
			}
			a, err := db.Article(ctx, w.lawyer, got[0])
			if err != nil || a.Kind != knowledge.Debrief || a.Status != knowledge.Draft || a.OwnerID != w.lawyer.PersonID ||
				a.UnitID != c.UnitID || a.Sharing != knowledge.DivisionOnly || len(a.RelatedCases) != 1 || a.RelatedCases[0] != c.Reference ||
				!strings.Contains(a.Title, "Operation 01AA3000318") {
				t.Fatalf("the de-brief: %+v %v", a, err)
			}
			// Finalising the case's status too, or saving a defendant
			// again, starts nothing more.
			setStatus(c.ID, casework.Finalised)
			if err := db.SaveDefendant(ctx, w.lawyer, second); err != nil {
				t.Fatal(err)
			}
			if got := debriefsOf(t, db, c.ID); len(got) != 1 {
				t.Fatalf("de-briefs started again: %v", got)
			}
		})
		t.Run("Status", func(t *testing.T) {
			c := w.newCase(t, "01AA4000418", access.OfficialSensitive)
			setStatus(c.ID, casework.Finalised)
			setStatus(c.ID, "trial")
			setStatus(c.ID, casework.Finalised)
			got := debriefsOf(t, db, c.ID)
			if len(got) != 1 {
				t.Fatalf("de-briefs of a case finalised twice: %v", got)
			}
			if a, err := db.Article(ctx, w.lawyer, got[0]); err != nil || a.Sensitivity != access.OfficialSensitive {
				t.Fatalf("the de-brief of a sensitive case: %+v %v", a, err)
			}
		})
		t.Run("AlreadyStartedByHand", func(t *testing.T) {
			c := w.newCase(t, "01AA5000518", access.Official)
			a, err := db.StartCaseLearning(ctx, w.lawyer, store.CaseLearning{CaseID: c.ID, Sharing: knowledge.CPSWide})
			if err != nil || a.Kind != knowledge.Debrief || len(a.RelatedCases) != 0 {
				t.Fatalf("started by hand: %+v %v", a, err)
			}
			setStatus(c.ID, casework.Finalised)
			if got := debriefsOf(t, db, c.ID); len(got) != 1 || got[0] != a.ID {
				t.Fatalf("de-briefs: %v, want only %d", got, a.ID)
			}
		})
		t.Run("RestrictedLeftToTheLawyer", func(t *testing.T) {
			c := w.newCase(t, "01AA6000618", access.Restricted)
			setStatus(c.ID, casework.Finalised)
			if got := debriefsOf(t, db, c.ID); len(got) != 0 {
				t.Fatalf("a restricted case's de-brief: %v", got)
			}
		})
		t.Run("ErrCaseNotSeen", func(t *testing.T) {
			c := w.newCase(t, "01AA7000718", access.Restricted)
			_, err := db.StartCaseLearning(ctx, w.otherLawyer, store.CaseLearning{CaseID: c.ID})
			if fault.CodeOf(err) != fault.NotFound {
				t.Fatalf("a case they cannot see: %v", err)
			}
			if got := debriefsOf(t, db, c.ID); len(got) != 0 {
				t.Fatalf("a refused start was recorded: %v", got)
			}
		})
	})
}

// TestCaseLearningRedacted shares a de-brief CPS-wide: names, reference,
// court centre and location are taken out and dates kept to the month.
func TestCaseLearningRedacted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		c := w.newCase(t, "01AA8000818", access.Official)
		c.CourtCentre = "Kingston"
		if err := db.UpdateCase(ctx, w.lawyer, &c); err != nil {
			t.Fatal(err)
		}
		locations, err := db.Locations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var location string
		for _, l := range locations {
			if l.ID == c.LocationID {
				location = l.Name
			}
		}
		d := casework.Defendant{CaseID: c.ID, Ref: "D1", Name: "Ezra Pound-Smith", Court: casework.CrownCourt, PrincipalOffence: "drugs_offences"}
		if err := db.SaveDefendant(ctx, w.lawyer, &d); err != nil {
			t.Fatal(err)
		}
		a, err := db.StartCaseLearning(ctx, w.lawyer, store.CaseLearning{CaseID: c.ID, Kind: knowledge.AdverseOutcome, Sharing: knowledge.CPSWide,
			WhatHappened: "Ezra Pound-Smith was acquitted at Kingston on 14 March 2019; the file left " + location + " on 2019-02-01."})
		if err != nil {
			t.Fatal(err)
		}
		text := a.Title + a.Summary + a.Body
		for _, leak := range []string{"Ezra", "Pound-Smith", "Kingston", location, "14 March", "2019-02-01", "01AA8000818"} {
			if strings.Contains(text, leak) {
				t.Errorf("%q travels CPS-wide:\n%s", leak, a.Body)
			}
		}
		if !strings.Contains(a.Body, "March 2019") || !strings.Contains(a.Body, "February 2019") || a.Kind != knowledge.AdverseOutcome {
			t.Errorf("dates kept to the month:\n%s", a.Body)
		}
		if got := debriefsOf(t, db, c.ID); len(got) != 0 {
			t.Errorf("an adverse outcome article counted as the de-brief: %v", got)
		}
	})
}

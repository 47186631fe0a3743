package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"caseboard/internal/casework"
	"caseboard/internal/fault"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func outcome(urn, ref, outcome string, day int) casework.OutcomeRow {
	return casework.OutcomeRow{CaseURN: urn, Unit: "organised_crime", Location: "birmingham", Court: casework.CrownCourt,
		DefendantRef: ref, PrincipalOffence: "drugs_offences", FinalisedOn: time.Date(2018, 5, day, 0, 0, 0, 0, time.UTC), Outcome: casework.Outcome(outcome)}
}

func importRows(t *testing.T, w caseWorld, rows []casework.OutcomeRow) (store.ImportSummary, []error) {
	t.Helper()
	ctx := context.Background()
	im, err := w.db.BeginImport(ctx, w.lawyer, store.ImportMeta{Kind: "outcomes", FileName: "outcomes.csv", SHA256: "x"})
	if err != nil {
		t.Fatal(err)
	}
	var problems []error
	for i, r := range rows {
		if err := im.Outcome(ctx, i+2, r); err != nil {
			problems = append(problems, err)
		}
	}
	if len(problems) > 0 {
		im.Rollback()
		return store.ImportSummary{}, problems
	}
	sum, err := im.Commit(ctx, len(rows), 0)
	if err != nil {
		t.Fatal(err)
	}
	return sum, nil
}

func exported(t *testing.T, w caseWorld) []casework.OutcomeRow {
	t.Helper()
	var out []casework.OutcomeRow
	if err := w.db.ExportOutcomes(context.Background(), w.manager, store.OutcomeFilter{}, func(r casework.OutcomeRow) error {
		out = append(out, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestImportOutcomes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newCaseWorld(t, db)
		rows := []casework.OutcomeRow{
			outcome("01BH0100118", "1", "guilty_plea", 2),
			outcome("01BH0100118", "2", "acquitted", 2),
			outcome("01BH0200118", "1", "conviction_after_trial", 9),
		}
		sum, problems := importRows(t, w, rows)
		if problems != nil || sum.Added != 3 || sum.Unchanged != 0 {
			t.Fatalf("first import: %+v %v", sum, problems)
		}
		t.Run("AgainChangesNothing", func(t *testing.T) {
			sum, problems := importRows(t, w, rows)
			if problems != nil || sum.Added != 0 || sum.Changed != 0 || sum.Unchanged != 3 {
				t.Fatalf("re-import: %+v %v", sum, problems)
			}
		})
		t.Run("Changed", func(t *testing.T) {
			changed := append([]casework.OutcomeRow{}, rows...)
			changed[1] = outcome("01BH0100118", "2", "offered_no_evidence", 3)
			sum, _ := importRows(t, w, changed)
			if sum.Changed != 1 || sum.Unchanged != 2 {
				t.Fatalf("%+v", sum)
			}
		})
		t.Run("ErrAllOrNothing", func(t *testing.T) {
			before := exported(t, w)
			bad := []casework.OutcomeRow{
				outcome("01BH0300118", "1", "guilty_plea", 4),
				outcome("01BH0300118", "1", "guilty_plea", 4), // twice in the file
				outcome("01BH0400118", "1", "guilty", 4),      // unknown outcome
				{CaseURN: "EX1", Unit: "extradition", Location: "petty_france", DefendantRef: "1", // court on extradition
					Court: casework.CrownCourt, FinalisedOn: time.Date(2018, 5, 1, 0, 0, 0, 0, time.UTC), Outcome: "appeal_allowed"},
				{CaseURN: "01BH0100118", Unit: "extradition", Location: "petty_france", DefendantRef: "9", // case of another unit
					FinalisedOn: time.Date(2018, 5, 1, 0, 0, 0, 0, time.UTC), Outcome: "appeal_allowed"},
				outcome("01BH0500118", "1", "guilty_plea", 4),
			}
			bad[5].Unit = "finance"
			_, problems := importRows(t, w, bad)
			want := []string{"defendant_id", "outcome", "court", "unit", "unit"}
			if len(problems) != len(want) {
				t.Fatalf("%d problems, want %d: %v", len(problems), len(want), problems)
			}
			for i, field := range want {
				if fe := fault.As(problems[i]); fe == nil || fe.FieldMessage(field) == "" {
					t.Errorf("problem %d: %v, want one about %s", i, problems[i], field)
				}
			}
			if after := exported(t, w); len(after) != len(before) {
				t.Fatalf("a refused import wrote rows: %d before, %d after", len(before), len(after))
			}
		})
		t.Run("ErrFinalisedBeforeOpened", func(t *testing.T) {
			c := w.newCase(t, "01BH0600118", "official")
			early := outcome(c.Reference, "1", "guilty_plea", 1)
			early.FinalisedOn = time.Date(2017, 1, 5, 0, 0, 0, 0, time.UTC)
			_, problems := importRows(t, w, []casework.OutcomeRow{early})
			if len(problems) != 1 || !strings.Contains(problems[0].Error(), "was opened on 2018-03-01") {
				t.Fatalf("%v", problems)
			}
		})
		t.Run("ExportRoundTrip", func(t *testing.T) {
			out := exported(t, w)
			if len(out) != 3 || out[0].CaseURN != "01BH0100118" || out[1].Outcome != "offered_no_evidence" || !out[2].FinalisedOn.Equal(rows[2].FinalisedOn) {
				t.Fatalf("exported %+v", out)
			}
			sum, problems := importRows(t, w, out)
			if problems != nil || sum.Unchanged != 3 {
				t.Fatalf("exported rows do not re-import unchanged: %+v %v", sum, problems)
			}
		})
		t.Run("OneAuditEntryPerImport", func(t *testing.T) {
			entries, _ := db.AuditEntries(context.Background(), store.AuditFilter{RecordType: "import"})
			if len(entries) != 4 || !strings.Contains(entries[0].Changes, `"added":3`) { // the two refused imports left none
				t.Fatalf("%d import entries: %+v", len(entries), entries)
			}
			defendantEntries, _ := db.AuditEntries(context.Background(), store.AuditFilter{RecordType: "defendant"})
			if len(defendantEntries) != 0 {
				t.Fatalf("imported rows were audited one by one: %d", len(defendantEntries))
			}
		})
	})
}

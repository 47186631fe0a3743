package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func civil(t *testing.T, s string) deadline.Date {
	t.Helper()
	d, err := deadline.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestCaseProgress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		db.Now = func() time.Time { return time.Date(2018, 6, 10, 9, 0, 0, 0, time.UTC) }
		c := w.newCase(t, "01PF0042018", access.Official)
		other := w.newCase(t, "01PF0043018", access.Official)

		h := casework.Hearing{CaseID: c.ID, Kind: casework.Plea, Court: casework.CrownCourt, Centre: "Southwark", On: civil(t, "2018-04-03")}
		if err := db.SaveHearing(ctx, w.lawyer, &h); err != nil || h.ID == 0 {
			t.Fatalf("hearing %+v: %v", h, err)
		}
		due := casework.Direction{CaseID: c.ID, HearingID: &h.ID, Court: casework.CrownCourt, Description: "Serve the case papers", Due: civil(t, "2018-06-01")}
		soon := casework.Direction{CaseID: c.ID, Court: casework.CrownCourt, Description: "Serve the defence statement reply", Due: civil(t, "2018-06-20")}
		for _, d := range []*casework.Direction{&due, &soon} {
			if err := db.SaveDirection(ctx, w.lawyer, d); err != nil {
				t.Fatal(err)
			}
		}
		psd := casework.KeyDocument{CaseID: c.ID, Kind: casework.ProsecutionStrategy, UpdatedOn: ptr(civil(t, "2018-03-20"))}
		if err := db.SaveKeyDocument(ctx, w.lawyer, &psd); err != nil {
			t.Fatal(err)
		}

		t.Run("WorkListOrdersEveryKindByDate", func(t *testing.T) {
			work, err := db.Deadlines(ctx, w.lawyer, []int64{w.lawyer.PersonID}, 50)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range work {
				got = append(got, d.Due.Format("2006-01-02")+" "+d.Kind+" "+d.What)
			}
			want := []string{
				"2018-06-01 direction Direction: Serve the case papers",
				"2018-06-20 direction Direction: Serve the defence statement reply",
				"2018-06-20 document_review Review the prosecution strategy document",
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Fatalf("work list:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})

		t.Run("CompletingADirectionTakesItOffTheList", func(t *testing.T) {
			due.CompletedOn = ptr(civil(t, "2018-06-04"))
			if err := db.SaveDirection(ctx, w.lawyer, &due); err != nil {
				t.Fatal(err)
			}
			got, err := db.Direction(ctx, c.ID, due.ID)
			if err != nil || got.State(civil(t, "2018-06-10")) != casework.DirectionCompleted || got.Timely() || *got.HearingID != h.ID {
				t.Fatalf("direction %+v: %v", got, err)
			}
			work, _ := db.Deadlines(ctx, w.lawyer, []int64{w.lawyer.PersonID}, 50)
			if len(work) != 2 || work[0].What != "Direction: Serve the defence statement reply" {
				t.Fatalf("work list after completion: %+v", work)
			}
		})

		t.Run("KeyDocumentsListEveryKind", func(t *testing.T) {
			docs, err := db.KeyDocuments(ctx, c.ID)
			if err != nil || len(docs) != len(casework.DocumentKinds) {
				t.Fatalf("documents %+v: %v", docs, err)
			}
			if docs[0].Kind != casework.ProsecutionStrategy || docs[0].UpdatedOn.String() != "2018-03-20" || docs[1].UpdatedOn != nil {
				t.Fatalf("documents %+v", docs)
			}
			psd.UpdatedOn = ptr(civil(t, "2018-06-09"))
			if err := db.SaveKeyDocument(ctx, w.lawyer, &psd); err != nil {
				t.Fatal(err)
			}
			docs, _ = db.KeyDocuments(ctx, c.ID)
			if docs[0].UpdatedOn.String() != "2018-06-09" || docs[0].NextReview().String() != "2018-09-09" {
				t.Fatalf("updated document %+v", docs[0])
			}
		})

		t.Run("ErrBadInputChangesNothing", func(t *testing.T) {
			before, _ := db.Directions(ctx, c.ID)
			for name, tc := range map[string]struct {
				p     *access.Principal
				d     casework.Direction
				code  fault.Code
				field string
			}{
				"ErrFutureCompletion":     {w.lawyer, casework.Direction{CaseID: c.ID, Court: "CC", Description: "x", Due: civil(t, "2018-06-01"), CompletedOn: ptr(civil(t, "2018-06-11"))}, fault.Invalid, "completed_on"},
				"ErrHearingOfAnotherCase": {w.lawyer, casework.Direction{CaseID: other.ID, HearingID: &h.ID, Court: "CC", Description: "x", Due: civil(t, "2018-06-01")}, fault.Invalid, "hearing_id"},
				"ErrNotTheirCase":         {w.otherLawyer, casework.Direction{CaseID: c.ID, Court: "CC", Description: "x", Due: civil(t, "2018-06-01")}, fault.Forbidden, ""},
				"ErrInspectorWrites":      {w.inspector, casework.Direction{CaseID: c.ID, Court: "CC", Description: "x", Due: civil(t, "2018-06-01")}, fault.Forbidden, ""},
				"ErrNoSuchDirection":      {w.lawyer, casework.Direction{ID: 9999, CaseID: c.ID, Court: "CC", Description: "x", Due: civil(t, "2018-06-01")}, fault.NotFound, ""},
			} {
				t.Run(name, func(t *testing.T) {
					err := db.SaveDirection(ctx, tc.p, &tc.d)
					fe := fault.As(err)
					if fe == nil || fe.Code != tc.code || (tc.field != "" && fe.FieldMessage(tc.field) == "") {
						t.Fatalf("got %v, want %s on %q", err, tc.code, tc.field)
					}
				})
			}
			after, _ := db.Directions(ctx, c.ID)
			if len(after) != len(before) || after[0].CompletedOn.String() != before[0].CompletedOn.String() {
				t.Fatalf("directions changed: %+v -> %+v", before, after)
			}
			if others, _ := db.Directions(ctx, other.ID); len(others) != 0 {
				t.Fatalf("a refused direction was stored: %+v", others)
			}
		})

		t.Run("CountDirectionsByCourtAndState", func(t *testing.T) {
			counts, err := db.CountDirections(ctx, w.lawyer, store.DirectionFilter{Unit: "organised_crime"})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, c := range counts {
				got[string(c.Court)+" "+string(c.State)] += c.Count
			}
			if len(got) != 2 || got["CC late"] != 1 || got["CC pending"] != 1 {
				t.Fatalf("counts %v", got)
			}
			counts, _ = db.CountDirections(ctx, w.lawyer, store.DirectionFilter{From: time.Date(2018, 6, 2, 0, 0, 0, 0, time.UTC)})
			if len(counts) != 1 || counts[0].State != "pending" {
				t.Fatalf("from 2 June: %+v", counts)
			}
			if counts, _ := db.CountDirections(ctx, w.lawyer, store.DirectionFilter{Unit: "extradition"}); len(counts) != 0 {
				t.Fatalf("extradition: %+v", counts)
			}
		})

		t.Run("EveryWriteIsAudited", func(t *testing.T) {
			for _, kind := range []string{"hearing", "direction", "case_document"} {
				entries, err := db.AuditEntries(ctx, store.AuditFilter{RecordType: kind, Limit: 10})
				if err != nil || len(entries) == 0 {
					t.Errorf("no audit entries for %s: %v", kind, err)
				}
			}
		})
	})
}

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

func TestCaseReviews(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		db.Now = func() time.Time { return time.Date(2018, 6, 10, 9, 0, 0, 0, time.UTC) }
		c := w.newCase(t, "01PF0044018", access.Official)
		successor := w.manager.PersonID

		panel := casework.CaseReview{CaseID: c.ID, Kind: casework.DirectorsPanel, Held: civil(t, "2018-06-01"), Members: "Director, unit head, case lawyer",
			Summary: "Volume of unused material", Actions: []casework.ReviewAction{
				{Description: "Appoint disclosure counsel", OwnerID: &w.lawyer.PersonID, Due: civil(t, "2018-06-08")},
				{Description: "Agree search terms with the defence", OwnerID: &w.lawyer.PersonID, Due: civil(t, "2018-07-01")}}}
		if err := db.AddCaseReview(ctx, w.lawyer, &panel); err != nil || panel.ID == 0 || panel.Actions[1].ID == 0 {
			t.Fatalf("panel %+v: %v", panel, err)
		}
		handover := casework.CaseReview{CaseID: c.ID, Kind: casework.Handover, Held: civil(t, "2018-06-09"), ToLawyerID: &successor,
			Summary: "Trial fixed for October; counsel instructed", Actions: []casework.ReviewAction{{Description: "Read the disclosure schedules", Due: civil(t, "2018-06-20")}}}
		if err := db.AddCaseReview(ctx, w.lawyer, &handover); err != nil {
			t.Fatal(err)
		}

		t.Run("HandoverMovesTheCase", func(t *testing.T) {
			moved, err := db.Case(ctx, w.admin, c.ID)
			if err != nil || moved.LawyerID == nil || *moved.LawyerID != successor || moved.Version != c.Version+1 {
				t.Fatalf("case after handover %+v: %v", moved, err)
			}
			reviews, err := db.CaseReviews(ctx, c.ID)
			if err != nil || len(reviews) != 2 || reviews[0].Kind != casework.Handover || *reviews[0].FromLawyerID != w.lawyer.PersonID {
				t.Fatalf("reviews %+v: %v", reviews, err)
			}
			if got := reviews[0].Actions[0]; got.OwnerID == nil || *got.OwnerID != successor {
				t.Fatalf("a handover's checklist is the new lawyer's: %+v", got)
			}
			if len(reviews[1].Actions) != 2 || reviews[1].Actions[0].Description != "Appoint disclosure counsel" {
				t.Fatalf("panel actions %+v", reviews[1].Actions)
			}
		})

		t.Run("OpenActionsAreTheirOwnersWork", func(t *testing.T) {
			mine, err := db.Deadlines(ctx, w.lawyer, []int64{w.lawyer.PersonID}, 50)
			if err != nil || len(mine) != 2 || mine[0].What != "Action: Appoint disclosure counsel" || mine[0].Kind != "action" {
				t.Fatalf("the lawyer's work %+v: %v", mine, err)
			}
			if err := db.CompleteReviewAction(ctx, w.lawyer, c.ID, panel.Actions[0].ID, civil(t, "2018-06-07")); err != nil {
				t.Fatal(err)
			}
			mine, _ = db.Deadlines(ctx, w.lawyer, []int64{w.lawyer.PersonID}, 50)
			if len(mine) != 1 || mine[0].What != "Action: Agree search terms with the defence" {
				t.Fatalf("after completion %+v", mine)
			}
			theirs, _ := db.Deadlines(ctx, w.manager, []int64{successor}, 50)
			if len(theirs) != 1 || theirs[0].What != "Action: Read the disclosure schedules" || theirs[0].LawyerID != successor {
				t.Fatalf("the successor's work %+v", theirs)
			}
		})

		t.Run("ErrBadReviewsChangeNothing", func(t *testing.T) {
			nobody := int64(999999)
			for name, tc := range map[string]struct {
				p     *access.Principal
				r     casework.CaseReview
				code  fault.Code
				field string
			}{
				"ErrHandoverToNobody": {w.manager, casework.CaseReview{CaseID: c.ID, Kind: casework.Handover, Held: civil(t, "2018-06-09"), ToLawyerID: &nobody, Summary: "x"}, fault.Invalid, "to_lawyer_id"},
				"ErrOwnerNobody": {w.manager, casework.CaseReview{CaseID: c.ID, Kind: casework.LocalPanel, Held: civil(t, "2018-06-09"), Summary: "x",
					Actions: []casework.ReviewAction{{Description: "x", OwnerID: &nobody, Due: civil(t, "2018-06-10")}}}, fault.Invalid, "actions"},
				"ErrAdverseNoLearning": {w.manager, casework.CaseReview{CaseID: c.ID, Kind: casework.AdverseOutcome, Held: civil(t, "2018-06-09"), Summary: "Acquitted"}, fault.Invalid, "learning"},
				"ErrInspector":         {w.inspector, casework.CaseReview{CaseID: c.ID, Kind: casework.Debrief, Held: civil(t, "2018-06-09"), Summary: "x", Learning: "y"}, fault.Forbidden, ""},
			} {
				t.Run(name, func(t *testing.T) {
					err := db.AddCaseReview(ctx, tc.p, &tc.r)
					fe := fault.As(err)
					if fe == nil || fe.Code != tc.code || (tc.field != "" && fe.FieldMessage(tc.field) == "") {
						t.Fatalf("got %v, want %s on %q", err, tc.code, tc.field)
					}
				})
			}
			if reviews, _ := db.CaseReviews(ctx, c.ID); len(reviews) != 2 {
				t.Fatalf("a refused review was stored: %d reviews", len(reviews))
			}
			if moved, _ := db.Case(ctx, w.admin, c.ID); *moved.LawyerID != successor {
				t.Fatal("a refused handover moved the case")
			}
			err := db.CompleteReviewAction(ctx, w.manager, c.ID, panel.Actions[1].ID, civil(t, "2018-06-11"))
			if fe := fault.As(err); fe == nil || fe.FieldMessage("done_on") == "" {
				t.Fatalf("done tomorrow: %v", err)
			}
			if err := db.CompleteReviewAction(ctx, w.manager, c.ID+1000, panel.Actions[1].ID, civil(t, "2018-06-09")); fault.CodeOf(err) != fault.NotFound {
				t.Fatalf("action of another case: %v", err)
			}
		})
	})
}

func TestPressList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		db.Now = func() time.Time { return time.Date(2018, 6, 10, 9, 0, 0, 0, time.UTC) }
		add := func(ref string, sensitivity access.Sensitivity, reason string, hearings ...string) {
			c := casework.Case{Reference: ref, Kind: casework.Prosecution, Title: "Operation " + ref, UnitID: w.unitID, LocationID: w.locationID,
				Status: "charged", Sensitivity: sensitivity, LawyerID: &w.lawyer.PersonID, OpenedOn: time.Date(2018, 1, 2, 0, 0, 0, 0, time.UTC),
				SensitiveReason: reason, CourtCentre: "Southwark"}
			if err := db.CreateCase(ctx, w.lawyer, &c); err != nil {
				t.Fatal(err)
			}
			for _, on := range hearings {
				h := casework.Hearing{CaseID: c.ID, Kind: casework.Trial, Court: casework.CrownCourt, On: civil(t, on)}
				if err := db.SaveHearing(ctx, w.lawyer, &h); err != nil {
					t.Fatal(err)
				}
			}
		}
		add("PRESS/1", access.Official, "Media interest: celebrity defendant", "2018-05-01", "2018-07-09", "2018-06-20")
		add("PRESS/2", access.OfficialSensitive, "High profile: minister's relative")
		add("PRESS/3", access.Restricted, "Covert operation", "2018-06-11")
		add("QUIET/1", access.Official, "", "2018-06-12")
		list, err := db.PressList(ctx, w.lawyer)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range list {
			next := "none"
			if e.NextHearing != nil {
				next = e.NextHearing.Format("2006-01-02")
			}
			got = append(got, e.Reference+" "+next)
		}
		if strings.Join(got, ", ") != "PRESS/1 2018-06-20, PRESS/2 none" {
			t.Fatalf("press list: %v", got)
		}
	})
}

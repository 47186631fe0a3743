package store_test

import (
	"context"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/fault"
	"caseboard/internal/org"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func TestPostReturns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		db.Now = func() time.Time { return time.Date(2018, 7, 3, 9, 0, 0, 0, time.UTC) }
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
		var madrid org.Location
		locations, err := db.Locations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range locations {
			if l.Code == "post_es" {
				madrid = l
			}
		}
		staff, _ := db.People(ctx, store.PeopleFilter{Location: "post_es", Limit: 10})
		prosecutor := principal(staff.People[0].Email)
		rlm := principal(mustPerson(t, db, *staff.People[0].LineManagerID).Email)

		r := casework.PostReturn{LocationID: madrid.ID, Month: "2018-06", Narrative: "Two European investigation orders executed; one seminar for judges.",
			CaseworkInteractions: 37, TrainingDelivered: 1, CapacityBuilding: 2}
		if err := db.SavePostReturn(ctx, prosecutor, &r); err != nil || r.ID == 0 || r.Status != casework.ReturnDraft {
			t.Fatalf("draft %+v: %v", r, err)
		}

		t.Run("ErrRefusals", func(t *testing.T) {
			again := casework.PostReturn{LocationID: madrid.ID, Month: "2018-06"}
			if err := db.SavePostReturn(ctx, prosecutor, &again); fault.CodeOf(err) != fault.Conflict {
				t.Fatalf("a second return for the month: %v", err)
			}
			london := casework.PostReturn{LocationID: w.locationID, Month: "2018-06"}
			if err := db.SavePostReturn(ctx, prosecutor, &london); fault.As(err) == nil || fault.As(err).FieldMessage("location_id") == "" {
				t.Fatalf("a return for an office: %v", err)
			}
			other := casework.PostReturn{LocationID: madrid.ID, Month: "2018-05"}
			if err := db.SavePostReturn(ctx, w.lawyer, &other); fault.CodeOf(err) != fault.Forbidden {
				t.Fatalf("an organised crime lawyer prepared a post's return: %v", err)
			}
			if err := db.DecidePostReturn(ctx, rlm, r.ID, true, ""); fault.CodeOf(err) != fault.Conflict {
				t.Fatalf("a draft was validated: %v", err)
			}
			if err := db.SubmitPostReturn(ctx, prosecutor, r.ID, 99); fault.CodeOf(err) != fault.Conflict {
				t.Fatalf("a stale submission: %v", err)
			}
		})

		if err := db.SubmitPostReturn(ctx, prosecutor, r.ID, 1); err != nil {
			t.Fatal(err)
		}
		t.Run("SubmittedIsNoLongerTheirsToChange", func(t *testing.T) {
			got, _ := db.PostReturn(ctx, r.ID)
			got.Narrative = "changed after submission"
			if err := db.SavePostReturn(ctx, prosecutor, &got); fault.CodeOf(err) != fault.Conflict {
				t.Fatalf("a submitted return was changed: %v", err)
			}
			if err := db.DecidePostReturn(ctx, prosecutor, r.ID, true, ""); fault.CodeOf(err) != fault.Forbidden {
				t.Fatalf("the preparer validated their own return: %v", err)
			}
			if err := db.DecidePostReturn(ctx, w.manager, r.ID, true, ""); fault.CodeOf(err) != fault.Forbidden {
				t.Fatalf("someone else's manager validated it: %v", err)
			}
		})

		t.Run("SentBackThenValidated", func(t *testing.T) {
			if err := db.DecidePostReturn(ctx, rlm, r.ID, false, ""); fault.As(err) == nil || fault.As(err).FieldMessage("reason") == "" {
				t.Fatalf("sent back without a reason: %v", err)
			}
			if err := db.DecidePostReturn(ctx, rlm, r.ID, false, "Split the interactions by request type"); err != nil {
				t.Fatal(err)
			}
			got, _ := db.PostReturn(ctx, r.ID)
			if got.Status != casework.ReturnSentBack || got.SentBackReason == "" || got.Version != 3 {
				t.Fatalf("sent back %+v", got)
			}
			got.CaseworkInteractions = 39
			if err := db.SavePostReturn(ctx, prosecutor, &got); err != nil {
				t.Fatal(err)
			}
			if err := db.SubmitPostReturn(ctx, prosecutor, r.ID, got.Version); err != nil {
				t.Fatal(err)
			}
			if err := db.DecidePostReturn(ctx, rlm, r.ID, true, ""); err != nil {
				t.Fatal(err)
			}
			got, _ = db.PostReturn(ctx, r.ID)
			if got.Status != casework.ReturnValidated || got.CaseworkInteractions != 39 || got.DecidedBy == nil || *got.DecidedBy != rlm.PersonID {
				t.Fatalf("validated %+v", got)
			}
			list, err := db.PostReturns(ctx, store.PostReturnFilter{Location: "post_es", Status: casework.ReturnValidated})
			if err != nil || len(list) != 1 || list[0].LocationCode != "post_es" {
				t.Fatalf("list %+v: %v", list, err)
			}
			entries, _ := db.AuditEntries(ctx, store.AuditFilter{RecordType: "post_return", Limit: 20})
			if len(entries) != 6 {
				t.Fatalf("%d audit entries, want 6: drafted, submitted, sent back, changed, submitted, validated", len(entries))
			}
		})
	})
}

func mustPerson(t *testing.T, db *store.DB, id int64) org.Person {
	t.Helper()
	p, err := db.Person(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

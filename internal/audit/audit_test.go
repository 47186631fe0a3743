package audit_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"caseboard/internal/audit"
)

type record struct {
	Name      string    `json:"name"`
	Grade     string    `json:"grade"`
	Manager   *int64    `json:"manager"`
	UpdatedAt time.Time `json:"updated_at"`
}

func TestDiff(t *testing.T) {
	one := int64(1)
	before := record{Name: "A", Grade: "x", UpdatedAt: time.Unix(1, 0)}
	after := record{Name: "B", Grade: "x", Manager: &one, UpdatedAt: time.Unix(2, 0)}
	var got map[string]audit.Change
	if err := json.Unmarshal([]byte(audit.Diff(before, after)), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["name"].From != "A" || got["name"].To != "B" || got["manager"].To != 1.0 {
		t.Fatalf("diff %+v", got)
	}
	if audit.Diff(before, before) != "{}" {
		t.Fatalf("no change should diff to {}, got %s", audit.Diff(before, before))
	}
	var created map[string]audit.Change
	json.Unmarshal([]byte(audit.Diff(nil, &after)), &created)
	if created["name"].From != nil || created["name"].To != "B" || created["grade"].To != "x" {
		t.Fatalf("creation diff %+v", created)
	}
	var sparse map[string]audit.Change
	json.Unmarshal([]byte(audit.Diff(nil, record{Name: "C"})), &sparse)
	if len(sparse) != 1 || sparse["name"].To != "C" {
		t.Fatalf("a creation should record only the fields set: %+v", sparse)
	}
}

func TestHashCoversEveryField(t *testing.T) {
	id := int64(7)
	base := audit.Entry{Seq: 3, At: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC), ActorID: &id, Actor: "a", Action: "update",
		RecordType: "person", RecordID: "9", Changes: "{}", Address: "192.0.2.1", RequestID: "r", PrevHash: "p"}
	h := base.ComputeHash()
	other := int64(8)
	for name, mutate := range map[string]func(e *audit.Entry){
		"seq": func(e *audit.Entry) { e.Seq++ }, "at": func(e *audit.Entry) { e.At = e.At.Add(time.Microsecond) },
		"actor_id": func(e *audit.Entry) { e.ActorID = &other }, "no_actor_id": func(e *audit.Entry) { e.ActorID = nil },
		"actor": func(e *audit.Entry) { e.Actor = "b" }, "action": func(e *audit.Entry) { e.Action = "delete" },
		"record_type": func(e *audit.Entry) { e.RecordType = "unit" }, "record_id": func(e *audit.Entry) { e.RecordID = "10" },
		"changes": func(e *audit.Entry) { e.Changes = `{"x":1}` }, "address": func(e *audit.Entry) { e.Address = "" },
		"request_id": func(e *audit.Entry) { e.RequestID = "s" }, "prev_hash": func(e *audit.Entry) { e.PrevHash = "q" },
		// Moving text between adjacent fields must change the hash too.
		"boundary": func(e *audit.Entry) { e.Actor, e.Action = "aupdate", "" },
	} {
		e := base
		mutate(&e)
		if e.ComputeHash() == h {
			t.Errorf("changing %s does not change the hash", name)
		}
	}
}

func TestActorTravelsInContext(t *testing.T) {
	if got := audit.ActorFrom(context.Background()); got.Label != "system" {
		t.Fatalf("default actor %+v", got)
	}
	ctx := audit.WithActor(context.Background(), audit.Actor{Label: "x", Address: "192.0.2.9"})
	if got := audit.ActorFrom(ctx); got.Label != "x" || got.Address != "192.0.2.9" {
		t.Fatalf("actor %+v", got)
	}
}

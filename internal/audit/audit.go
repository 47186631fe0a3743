// Package audit describes caseboard's audit trail: who did what to which
// record, when, from where, and what changed. Entries are hash-chained: each
// entry's hash covers its own content and the previous entry's hash, so an
// entry that is changed, deleted or moved breaks the chain at that point.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"reflect"
	"strconv"
	"time"
)

// Actions recorded in the trail.
const (
	Create     = "create"
	Update     = "update"
	Delete     = "delete"
	Import     = "import"
	SignIn     = "sign_in"
	SignOut    = "sign_out"
	Permission = "permission"
	View       = "view" // a view of a restricted record
)

// Actor is who is acting and from where; it travels in the request context
// so the store can record it with every write.
type Actor struct {
	PersonID  *int64
	Label     string // e.g. "Ada Example <ada.example@caseboard.example>" or "system"
	Address   string // client IP address
	RequestID string
}

// System is the actor for work caseboard does itself (migrations, demo
// data, scheduled jobs) and for command-line use without a signed-in person.
var System = Actor{Label: "system"}

type actorKey struct{}

// WithActor returns a context that carries the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor carried by ctx, or System.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return System
}

// Entry is one link of the chain.
type Entry struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	ActorID    *int64    `json:"actor_id"`
	Actor      string    `json:"actor"`
	Action     string    `json:"action"`
	RecordType string    `json:"record_type"`
	RecordID   string    `json:"record_id"`
	Changes    string    `json:"changes"` // JSON object: field -> {"from":..., "to":...}
	Address    string    `json:"address"`
	RequestID  string    `json:"request_id"`
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
}

// ComputeHash returns the hash that e should carry given its PrevHash. Each
// text field is length-prefixed so that no two different entries encode
// alike; the time counts in whole microseconds, as it is stored.
func (e *Entry) ComputeHash() string {
	h := sha256.New()
	var buf [8]byte
	writeField := func(s string) {
		binary.BigEndian.PutUint64(buf[:], uint64(len(s)))
		h.Write(buf[:])
		h.Write([]byte(s))
	}
	binary.BigEndian.PutUint64(buf[:], uint64(e.Seq))
	h.Write(buf[:])
	binary.BigEndian.PutUint64(buf[:], uint64(e.At.UnixMicro()))
	h.Write(buf[:])
	actorID := ""
	if e.ActorID != nil {
		actorID = strconv.FormatInt(*e.ActorID, 10)
	}
	writeField(actorID)
	writeField(e.Actor)
	writeField(e.Action)
	writeField(e.RecordType)
	writeField(e.RecordID)
	writeField(e.Changes)
	writeField(e.Address)
	writeField(e.RequestID)
	writeField(e.PrevHash)
	return hex.EncodeToString(h.Sum(nil))
}

// Change is the before and after of one field.
type Change struct {
	From any `json:"from"`
	To   any `json:"to"`
}

// Diff returns the changed fields between two values of the same struct
// type, keyed by their JSON names, as the JSON an entry stores. A nil before
// records a creation (every field "to"); a nil after a deletion.
func Diff(before, after any) string {
	b, a := fieldsOf(before), fieldsOf(after)
	changes := map[string]Change{}
	for name, to := range a {
		from, ok := b[name]
		if !ok && isEmpty(to) {
			continue // a creation records what was set, not every empty field
		}
		if !ok || !reflect.DeepEqual(from, to) {
			changes[name] = Change{From: from, To: to}
		}
	}
	for name, from := range b {
		if _, ok := a[name]; !ok {
			changes[name] = Change{From: from}
		}
	}
	return encodeChanges(changes)
}

// Fields returns the JSON of a set of values recorded with an entry that is
// not a before/after change, such as an import's file name and row counts.
func Fields(values map[string]any) string {
	out, _ := json.Marshal(values)
	return string(out)
}

func fieldsOf(v any) map[string]any {
	if v == nil || (reflect.ValueOf(v).Kind() == reflect.Pointer && reflect.ValueOf(v).IsNil()) {
		return map[string]any{}
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return map[string]any{}
	}
	m := map[string]any{}
	json.Unmarshal(raw, &m)
	// Timestamps the store sets itself are noise in a change record.
	delete(m, "created_at")
	delete(m, "updated_at")
	return m
}

func encodeChanges(changes map[string]Change) string {
	out, _ := json.Marshal(changes) // maps marshal with sorted keys: stable text
	return string(out)
}

// isEmpty is true for the JSON of a field left at its zero value.
func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == "" || x == "0001-01-01T00:00:00Z"
	case float64:
		return x == 0
	case bool:
		return !x
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

package store

import (
	"strings"
	"testing"

	"caseboard/internal/fault"
)

// FuzzDecodeCursor: any text a client sends as a cursor either decodes to a
// cursor that encodes back to itself, or is refused as Invalid.
func FuzzDecodeCursor(f *testing.F) {
	f.Add(cursor{Key: "Smith", ID: 42}.encode())
	f.Add("")
	f.Add("eyJrIjoiIiwiaSI6MH0")
	f.Add("%%%")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := decodeCursor(s)
		if err != nil {
			if fault.CodeOf(err) != fault.Invalid {
				t.Fatalf("cursor %q: error %v is not Invalid", s, err)
			}
			return
		}
		if s == "" {
			return
		}
		if c.ID <= 0 {
			t.Fatalf("cursor %q decoded to id %d", s, c.ID)
		}
		again, err := decodeCursor(c.encode())
		if err != nil || again != c {
			t.Fatalf("cursor %q: round trip %+v -> %+v (%v)", s, c, again, err)
		}
	})
}

// FuzzRebind: PostgreSQL placeholders are numbered 1..n for the n question
// marks outside string literals, and nothing else in the query changes.
func FuzzRebind(f *testing.F) {
	f.Add("SELECT * FROM t WHERE a = ? AND b = '?' AND c = ?")
	f.Add("?")
	f.Add("'unterminated ?")
	f.Fuzz(func(t *testing.T, q string) {
		out := Postgres.rebind(q)
		if SQLite.rebind(q) != q {
			t.Fatal("SQLite rebind changed the query")
		}
		if !strings.Contains(q, "?") && out != q {
			t.Fatalf("query without placeholders changed: %q -> %q", q, out)
		}
		if strings.Count(out, "?") > strings.Count(q, "?") {
			t.Fatalf("rebind added placeholders: %q -> %q", q, out)
		}
	})
}

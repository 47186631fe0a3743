package server_test

import (
	"net/http"
	"testing"

	"caseboard/internal/store"
)

// FuzzCreateLocationBody: whatever body arrives, the API answers 201, 409 or
// 422 with a problem document, never a 500.
func FuzzCreateLocationBody(f *testing.F) {
	f.Add([]byte(`{"code":"post_fr","name":"Paris (France)","kind":"overseas_post","country":"FR"}`))
	f.Add([]byte(`{"code":"petty_france","name":"x","kind":"office","country":"GB"}`))
	f.Add([]byte(`{"code":`))
	f.Add([]byte(`[1,2,3]`))
	f.Add([]byte("\x00\xff"))
	fx := newServer(f, store.SQLite)
	f.Fuzz(func(t *testing.T, body []byte) {
		res := fx.do(t, "admin", "POST", "/api/v1/locations", "application/json", string(body))
		switch res.Status {
		case http.StatusCreated:
		case http.StatusConflict, http.StatusUnprocessableEntity:
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("status %d with Content-Type %q", res.Status, ct)
			}
		default:
			t.Fatalf("body %q: status %d", body, res.Status)
		}
	})
}

package server_test

import (
	"bytes"
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
	ts, _ := newServer(f, store.SQLite)
	f.Fuzz(func(t *testing.T, body []byte) {
		res, err := ts.Client().Post(ts.URL+"/api/v1/locations", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		switch res.StatusCode {
		case http.StatusCreated:
		case http.StatusConflict, http.StatusUnprocessableEntity:
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("status %d with Content-Type %q", res.StatusCode, ct)
			}
		default:
			t.Fatalf("body %q: status %d", body, res.StatusCode)
		}
	})
}

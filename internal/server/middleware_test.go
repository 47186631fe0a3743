package server

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"caseboard/internal/config"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
	"caseboard/web"
)

func TestPanicBecomes500WithLoggedStack(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	views, err := web.NewViews()
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	s := New(db, views, slog.New(slog.NewTextHandler(&logs, nil)), &config.Config{MaxBodyBytes: 1024}, "test")
	boom := s.observe(s.recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom: secret detail")
	})))
	for _, path := range []string{"/api/v1/x", "/page"} {
		rec := httptest.NewRecorder()
		boom.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		body, _ := io.ReadAll(rec.Body)
		if rec.Code != http.StatusInternalServerError {
			t.Fatalf("%s: status %d, want 500", path, rec.Code)
		}
		if strings.Contains(string(body), "secret detail") {
			t.Fatalf("%s: panic detail shown to the user", path)
		}
	}
	if !strings.Contains(logs.String(), "boom: secret detail") || !strings.Contains(logs.String(), "goroutine") {
		t.Fatalf("panic not logged with its stack:\n%s", logs.String())
	}
}

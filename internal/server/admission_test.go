package server

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestAdmissionQueuesInArrivalOrder holds two requests at work and queues
// four more one after another: no more than two ever work at once, the
// queued ones start in the order they came, and the health check never
// queues.
func TestAdmissionQueuesInArrivalOrder(t *testing.T) {
	a := newAdmission(2)
	release := make(chan struct{})
	var active, most atomic.Int32
	var mu sync.Mutex
	var started []string
	h := a.admit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			return
		}
		n := active.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		mu.Lock()
		started = append(started, r.URL.Path)
		mu.Unlock()
		<-release
		active.Add(-1)
	}))
	var wg sync.WaitGroup
	// Each request is sent once the one before is at work or queued.
	serve := func(path string, atWork, queued int) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
		}()
		for active.Load() != int32(atWork) || a.waiting() != queued {
			time.Sleep(time.Millisecond)
		}
	}
	for i, p := range []string{"/a", "/b", "/c", "/d", "/e", "/f"} {
		serve(p, min(i+1, 2), max(i-1, 0))
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("the health check waited or failed: %d", rec.Code)
	}
	// One at a time, each freed turn goes to the next in the queue.
	for i := range 6 {
		release <- struct{}{}
		for n := min(i+3, 6); ; time.Sleep(time.Millisecond) {
			mu.Lock()
			got := len(started)
			mu.Unlock()
			if got == n {
				break
			}
		}
	}
	wg.Wait()
	if got := most.Load(); got != 2 {
		t.Fatalf("%d requests worked at once, want 2", got)
	}
	want := []string{"/a", "/b", "/c", "/d", "/e", "/f"}
	if len(started) != len(want) {
		t.Fatalf("started %v", started)
	}
	for i := range want {
		if started[i] != want[i] {
			t.Fatalf("started in the order %v, want %v", started, want)
		}
	}
}

// TestAdmissionGoesAheadAfterWaiting holds the only turn past the wait: the
// queued request goes ahead rather than wait behind a slow one for ever.
func TestAdmissionGoesAheadAfterWaiting(t *testing.T) {
	a := newAdmission(1)
	release := make(chan struct{})
	h := a.admit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			<-release
		}
	}))
	go h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/slow", nil))
	for {
		a.mu.Lock()
		busy := a.active == 1
		a.mu.Unlock()
		if busy {
			break
		}
		time.Sleep(time.Millisecond)
	}
	start := time.Now()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/quick", nil))
	waited := time.Since(start)
	close(release)
	if waited < admissionWait || waited > admissionWait+500*time.Millisecond {
		t.Fatalf("the queued request went ahead after %v, want about %v", waited, admissionWait)
	}
}

// TestAdmissionOff: with no limit set, nothing queues.
func TestAdmissionOff(t *testing.T) {
	release := make(chan struct{})
	var active atomic.Int32
	h := newAdmission(0).admit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		active.Add(1)
		<-release
	}))
	for range 20 {
		go h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x", nil))
	}
	deadline := time.Now().Add(2 * time.Second)
	for active.Load() < 20 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	close(release)
	if n := active.Load(); n != 20 {
		t.Fatalf("%d of 20 requests ran at once with no limit", n)
	}
}

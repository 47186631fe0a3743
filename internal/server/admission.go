package server

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// admissionWait is how long a request queues for its turn before it goes
// ahead anyway: the queue orders a burst, and a turn held long by a slow
// client (a large download, an upload over a slow line) cannot stall
// everyone behind it.
const admissionWait = time.Second

// admission lets at most a set number of requests work at once and
// queues the rest in arrival order. Without it, a burst of requests all
// ask for a database connection at once, and database/sql hands each
// freed connection to a random waiter, so some requests waited many
// times as long as others; served first come, first served, the slowest
// request of a burst waits about as long as the average one. The health
// check and static files, which use no connection, never queue.
type admission struct {
	limit  int
	mu     sync.Mutex
	active int
	queue  []chan struct{} // a turn is handed over by closing the channel
}

func newAdmission(limit int) *admission {
	if limit <= 0 {
		return nil
	}
	return &admission{limit: limit}
}

// admit wraps next in the queue; with no limit it is next itself.
func (a *admission) admit(next http.Handler) http.Handler {
	if a == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" || strings.HasPrefix(r.URL.Path, "/static/") {
			next.ServeHTTP(w, r)
			return
		}
		if a.acquire(r) {
			defer a.release()
		}
		next.ServeHTTP(w, r)
	})
}

// acquire takes a turn, queueing for it, and reports whether it got one:
// after admissionWait, or when the client goes away, the request leaves
// the queue and goes ahead without a turn.
func (a *admission) acquire(r *http.Request) bool {
	a.mu.Lock()
	if a.active < a.limit {
		a.active++
		a.mu.Unlock()
		return true
	}
	turn := make(chan struct{})
	a.queue = append(a.queue, turn)
	a.mu.Unlock()

	timer := time.NewTimer(admissionWait)
	defer timer.Stop()
	select {
	case <-turn:
		return true
	case <-timer.C:
	case <-r.Context().Done():
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if i := slices.Index(a.queue, turn); i >= 0 {
		a.queue = slices.Delete(a.queue, i, i+1)
		return false
	}
	return true // handed a turn as it gave up: it takes it
}

// release hands the turn to the longest waiting request, if any.
func (a *admission) release() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.queue) == 0 {
		a.active--
		return
	}
	close(a.queue[0])
	a.queue = a.queue[1:]
}

// waiting is how many requests are queued now.
func (a *admission) waiting() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.queue)
}

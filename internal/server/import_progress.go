package server

import (
	"net/http"
	"regexp"
	"sync"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/fault"
)

// importProgress follows the rows of the uploads being imported by this
// process, so the upload page can say how far a long file has got while
// the request that carries it is still being answered. A run is known
// only to the person who started it, and is forgotten ten minutes after
// its last row. Behind a load balancer the page asks whichever instance
// answers; one that is not running the import says it does not know it,
// and the page keeps to "checking".
type importProgress struct {
	mu   sync.Mutex
	runs map[string]*importRun
}

type importRun struct {
	personID         int64
	started, updated time.Time
	rows             int
	done             bool
}

// progressView is what the upload page polls for.
type progressView struct {
	Rows          int     `json:"rows"`
	RowsPerSecond float64 `json:"rows_per_second"`
	Done          bool    `json:"done"`
}

const progressKept = 10 * time.Minute

// progressIDs are what newProgressID makes: 43 URL-safe base64 characters.
var progressIDs = regexp.MustCompile(`^[A-Za-z0-9_-]{32,64}$`)

func newProgressID() string { return access.NewSessionSecret() }

// start begins following a run under id; an id that is malformed or
// already taken by someone else is not followed.
func (p *importProgress) start(id string, personID int64, now time.Time) bool {
	if !progressIDs.MatchString(id) {
		return false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for key, run := range p.runs {
		if now.Sub(run.updated) > progressKept {
			delete(p.runs, key)
		}
	}
	if run, ok := p.runs[id]; ok && run.personID != personID {
		return false
	}
	if p.runs == nil {
		p.runs = map[string]*importRun{}
	}
	p.runs[id] = &importRun{personID: personID, started: now, updated: now}
	return true
}

func (p *importProgress) update(id string, rows int, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if run, ok := p.runs[id]; ok && !run.done {
		run.rows, run.updated = rows, now
	}
}

// finish marks the run ended: its page has its answer.
func (p *importProgress) finish(id string, now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if run, ok := p.runs[id]; ok {
		run.done, run.updated = true, now
	}
}

func (p *importProgress) read(id string, personID int64) (progressView, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	run, ok := p.runs[id]
	if !ok || run.personID != personID {
		return progressView{}, false
	}
	v := progressView{Rows: run.rows, Done: run.done}
	if elapsed := run.updated.Sub(run.started).Seconds(); elapsed > 0 {
		v.RowsPerSecond = float64(run.rows) / elapsed
	}
	return v, true
}

// importProgressJSON answers the upload page's question: how many rows of
// my import have been read so far.
func (s *Server) importProgressJSON(w http.ResponseWriter, r *http.Request) {
	v, ok := s.imports.read(r.PathValue("id"), principalOf(r).PersonID)
	if !ok {
		s.apiError(w, r, fault.Errorf(fault.NotFound, "No import of yours is being followed under that id"))
		return
	}
	writeJSON(w, http.StatusOK, v)
}

package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/store"
)

// auditPage is a page of audit entries with the cursor of the next.
type auditPage struct {
	Entries []audit.Entry `json:"entries"`
	Next    string        `json:"next_cursor,omitempty"`
}

// auditFilter reads the audit search's parameters, shared by page and API.
func auditFilter(r *http.Request) (store.AuditFilter, error) {
	q := r.URL.Query()
	f := store.AuditFilter{RecordType: q.Get("record_type"), RecordID: q.Get("record_id")}
	var v fault.Validation
	if raw := q.Get("actor_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			v.Add("actor_id", "Enter the person's number")
		}
		f.ActorID = &id
	}
	for _, d := range []struct {
		name string
		into *time.Time
		end  bool
	}{{"from", &f.From, false}, {"to", &f.To, true}} {
		raw := q.Get(d.name)
		if raw == "" {
			continue
		}
		t, err := time.Parse("2006-01-02", raw)
		if err != nil {
			v.Add(d.name, "Enter a date like 2026-04-01")
			continue
		}
		if d.end {
			t = t.AddDate(0, 0, 1)
		}
		*d.into = t
	}
	if raw := q.Get("cursor"); raw != "" {
		after, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || after < 0 {
			v.Add("cursor", "Start again from the first page")
		}
		f.AfterSeq = after
	}
	limit, err := queryLimit(r)
	if err != nil {
		return f, err
	}
	f.Limit = limit
	if f.Limit == 0 {
		f.Limit = 50
	}
	return f, v.Err("The search could not be run")
}

func (s *Server) findAudit(r *http.Request) (auditPage, store.AuditFilter, error) {
	f, err := auditFilter(r)
	if err != nil {
		return auditPage{}, f, err
	}
	want := f.Limit
	f.Limit++
	entries, err := s.db.AuditEntries(r.Context(), f)
	if err != nil {
		return auditPage{}, f, err
	}
	page := auditPage{Entries: nonNil(entries)}
	if len(entries) > want {
		page.Entries = entries[:want]
		page.Next = strconv.FormatInt(entries[want-1].Seq, 10)
	}
	f.Limit = want
	return page, f, nil
}

func (s *Server) apiAudit(w http.ResponseWriter, r *http.Request) {
	page, _, err := s.findAudit(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

type auditData struct {
	Page    auditPage
	Filter  store.AuditFilter
	Query   map[string]string
	NextURL string
}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	page, f, err := s.findAudit(r)
	p := s.newPage(r, "Audit trail", "")
	if err != nil {
		if fe := fault.As(err); fe != nil && fe.Code == fault.Invalid {
			p.Errors = fe
		} else {
			s.fail(w, r, err)
			return
		}
	}
	q := r.URL.Query()
	d := auditData{Page: page, Filter: f, Query: map[string]string{}}
	for _, k := range []string{"record_type", "record_id", "actor_id", "from", "to"} {
		d.Query[k] = q.Get(k)
	}
	if page.Next != "" {
		next := cloneValues(q)
		next.Set("cursor", page.Next)
		d.NextURL = "?" + next.Encode()
	}
	p.Data = d
	status := http.StatusOK
	if p.Errors != nil {
		status = http.StatusUnprocessableEntity
	}
	s.renderStatus(w, r, status, "audit", p)
}

// timelineItems turns a record's audit entries into mojTimeline items,
// newest first.
func timelineItems(entries []audit.Entry) []any {
	items := make([]any, 0, len(entries))
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		items = append(items, map[string]any{
			"label":    map[string]any{"text": actionLabel(e.Action)},
			"text":     changeSummary(e.Changes),
			"datetime": map[string]any{"timestamp": e.At.Format(time.RFC3339), "type": "datetime"},
			"byline":   map[string]any{"text": e.Actor},
		})
	}
	return items
}

func actionLabel(action string) string {
	switch action {
	case audit.Create:
		return "Created"
	case audit.Update:
		return "Changed"
	case audit.Delete:
		return "Deleted"
	case audit.Import:
		return "Imported"
	case audit.Permission:
		return "Permissions changed"
	case audit.View:
		return "Viewed"
	}
	return action
}

// changeSummary writes an entry's changes as a person reads them:
// "name: Ada Example → Ada Jones; grade: legal_manager_1".
func changeSummary(changes string) string {
	var fields map[string]json.RawMessage
	if json.Unmarshal([]byte(changes), &fields) != nil || len(fields) == 0 {
		return ""
	}
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, 0, len(names))
	for _, name := range names {
		var change audit.Change
		raw := fields[name]
		if json.Unmarshal(raw, &change) == nil && (change.From != nil || change.To != nil) && strings.HasPrefix(string(raw), `{"from"`) {
			parts = append(parts, fmt.Sprintf("%s: %s → %s", name, shown(change.From), shown(change.To)))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s: %s", name, strings.Trim(string(raw), `"`)))
	}
	return strings.Join(parts, "; ")
}

func shown(v any) string {
	if v == nil {
		return "none"
	}
	if s, ok := v.(string); ok {
		return s
	}
	raw, _ := json.Marshal(v)
	return string(raw)
}

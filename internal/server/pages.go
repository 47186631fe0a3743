package server

import (
	"bytes"
	"net/http"

	"caseboard/internal/access"
	"caseboard/internal/fault"
)

// page is what every page template receives; Data holds the page's own.
type page struct {
	Title        string
	DivisionName string
	Version      string
	Nav          []navItem
	Breadcrumbs  []link
	Identity     identity
	CSRF         string // the session's form token, for every form that posts
	Errors       *fault.Error
	Notice       string
	Data         any
}

// ServiceNavigation is the govukServiceNavigation partial's parameters.
func (p *page) ServiceNavigation() map[string]any {
	items := make([]any, 0, len(p.Nav))
	for _, n := range p.Nav {
		items = append(items, map[string]any{"text": n.Text, "href": n.Href, "active": n.Active, "current": n.Current})
	}
	return map[string]any{"serviceName": "caseboard", "serviceUrl": "/", "navigation": items, "navigationLabel": "Sections"}
}

// FieldError is the errorMessage parameter of a form component for field,
// or nil when the field has no error, which the partials read as absent.
func (p *page) FieldError(field string) map[string]any {
	if p.Errors == nil {
		return nil
	}
	if msg := p.Errors.FieldMessage(field); msg != "" {
		return map[string]any{"text": msg}
	}
	return nil
}

// BreadcrumbItems is the govukBreadcrumbs partial's items.
func (p *page) BreadcrumbItems() []any {
	var items []any
	for _, b := range p.Breadcrumbs {
		items = append(items, map[string]any{"text": b.Text, "href": b.Href})
	}
	return items
}

// ErrorSummary is the govukErrorSummary partial's parameters, or nil when
// the page has no errors. Each field's message links to its input.
func (p *page) ErrorSummary() map[string]any {
	if p.Errors == nil {
		return nil
	}
	items := []any{}
	for _, f := range p.Errors.Fields {
		items = append(items, map[string]any{"text": f.Message, "href": "#" + f.Field})
	}
	if len(items) == 0 {
		items = append(items, map[string]any{"text": p.Errors.Message})
	}
	return map[string]any{"titleText": "There is a problem", "errorList": items}
}

type navItem struct {
	Text, Href      string
	Active, Current bool
}

type link struct{ Text, Href string }

type identity struct {
	Name, Detail string
	SignedIn     bool
	Admin        bool
}

// sections are the service navigation's items. Each capability adds its
// section here when its pages exist.
var sections = []link{
	{"Home", "/"},
	{"My work", "/my-work"},
	{"Cases", "/cases"},
	{"Performance", "/performance"},
	{"Risks", "/risks"},
	{"Quality", "/quality"},
	{"Inspections", "/plans"},
	{"Knowledge", "/knowledge"},
	{"Organisation", "/organisation"},
}

// newPage starts a page in a section of the service navigation.
func (s *Server) newPage(r *http.Request, title, section string) *page {
	p := &page{Title: title, Version: s.version, DivisionName: "caseboard"}
	if d, err := s.db.Division(r.Context()); err == nil {
		p.DivisionName = d.Name
	}
	if state := authFrom(r.Context()); state.principal != nil {
		pr := state.principal
		p.Identity = identity{Name: pr.Name, Detail: pr.Email, SignedIn: true, Admin: pr.Has(access.Administrator)}
		if state.session != nil {
			p.CSRF = state.session.CSRFToken
		}
	}
	for _, sec := range sections {
		p.Nav = append(p.Nav, navItem{Text: sec.Text, Href: sec.Href,
			Active: sec.Href == section, Current: sec.Href == r.URL.Path})
	}
	return p
}

// render writes a page with status 200, or an error page if it fails.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, p *page) {
	s.renderStatus(w, r, http.StatusOK, name, p)
}

func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	var buf bytes.Buffer
	if err := s.views.Render(&buf, name, p); err != nil {
		s.log.ErrorContext(r.Context(), "render page", "page", name, "err", err, "request_id", requestID(r.Context()))
		http.Error(w, "The page could not be shown. The error has been logged.", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorPage shows an error in GOV.UK style: 404, 403, 500 and the rest.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, fe *fault.Error) {
	p := s.newPage(r, errorTitle(status), "")
	p.Data = errorData{Status: status, Message: fe.Message, Fields: fe.Fields, RequestID: requestID(r.Context())}
	s.renderStatus(w, r, status, "error", p)
}

type errorData struct {
	Status    int
	Message   string
	Fields    []fault.FieldError
	RequestID string
}

func errorTitle(status int) string {
	switch status {
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusForbidden:
		return "You do not have access to this page"
	case http.StatusUnauthorized:
		return "Sign in to continue"
	case http.StatusServiceUnavailable:
		return "Sorry, the service is unavailable"
	}
	if status >= 500 {
		return "Sorry, there is a problem with the service"
	}
	return "There is a problem with your request"
}

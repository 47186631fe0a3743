package server

import (
	"encoding/json"
	"net/http"
	"strings"

	"caseboard/internal/fault"
)

// statusOf is the one mapping from an error's code to an HTTP status.
var statusOf = map[fault.Code]int{
	fault.Invalid:      http.StatusUnprocessableEntity,
	fault.NotFound:     http.StatusNotFound,
	fault.Conflict:     http.StatusConflict,
	fault.Unauthorized: http.StatusUnauthorized,
	fault.Forbidden:    http.StatusForbidden,
	fault.Unavailable:  http.StatusServiceUnavailable,
	fault.Internal:     http.StatusInternalServerError,
}

// problem is an RFC 9457 problem document.
type problem struct {
	Type      string             `json:"type"`
	Title     string             `json:"title"`
	Status    int                `json:"status"`
	Detail    string             `json:"detail,omitempty"`
	Instance  string             `json:"instance,omitempty"`
	Code      fault.Code         `json:"code"`
	Errors    []fault.FieldError `json:"errors,omitempty"`
	RequestID string             `json:"request_id,omitempty"`
}

// publicError turns any error into what a user may see: a *fault.Error keeps
// its message; anything else becomes a generic internal error, and the
// detail goes only to the log.
func (s *Server) publicError(r *http.Request, err error) *fault.Error {
	fe := fault.As(err)
	if fe == nil {
		fe = &fault.Error{Code: fault.Internal, Message: "Something went wrong on our side. It has been logged; try again, and if it happens again quote the request id."}
	}
	if fe.Code == fault.Internal || fe.Code == fault.Unavailable {
		s.log.ErrorContext(r.Context(), "request failed", "err", err, "request_id", requestID(r.Context()))
	}
	return fe
}

func statusFor(fe *fault.Error) int {
	if st, ok := statusOf[fe.Code]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// apiError writes err as application/problem+json.
func (s *Server) apiError(w http.ResponseWriter, r *http.Request, err error) {
	fe := s.publicError(r, err)
	s.writeProblem(w, r, statusFor(fe), fe)
}

func (s *Server) writeProblem(w http.ResponseWriter, r *http.Request, status int, fe *fault.Error) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(problem{
		Type:      "https://caseboard.invalid/problems/" + strings.ReplaceAll(string(fe.Code), "_", "-"),
		Title:     http.StatusText(status),
		Status:    status,
		Detail:    fe.Message,
		Instance:  r.URL.Path,
		Code:      fe.Code,
		Errors:    fe.Fields,
		RequestID: requestID(r.Context()),
	})
}

// wantsJSON decides whether an error for this request is a problem document
// or an HTML page.
func wantsJSON(r *http.Request) bool {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		return true
	}
	accept := r.Header.Get("Accept")
	return strings.Contains(accept, "application/json") && !strings.Contains(accept, "text/html")
}

// fail writes err as a problem document or an error page, as the request
// wants.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if wantsJSON(r) {
		s.apiError(w, r, err)
		return
	}
	fe := s.publicError(r, err)
	s.errorPage(w, r, statusFor(fe), fe)
}

var errNotFound = &fault.Error{Code: fault.NotFound, Message: "Page not found"}

// notFound answers a request for a route that does not exist.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, errNotFound)
}

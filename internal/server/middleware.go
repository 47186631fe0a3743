package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"runtime/debug"
	"strings"
	"time"

	"caseboard/internal/audit"
	"caseboard/internal/fault"
)

// middleware wraps every request, outermost first: request id and logging,
// recovery from panics, security headers, cross-origin protection for
// writes, authentication, a body size limit, and the routes, each behind
// its permission.
func (s *Server) middleware(mux *http.ServeMux) http.Handler {
	var h http.Handler = s.routeOrProblem(mux)
	h = s.limitBody(h)
	h = s.authenticate(h)
	h = http.NewCrossOriginProtection().Handler(h)
	h = s.secureHeaders(h)
	h = s.recoverPanics(h)
	h = s.observe(h)
	return h
}

type requestIDKey struct{}

// matchedRoute carries the route pattern the mux matched back out to the
// logging and metrics middleware, which sees an earlier copy of the request
// than the one the mux annotates.
type matchedRoute struct{ pattern string }

type matchedRouteKey struct{}

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// safeRequestID accepts a caller's request id (from a proxy) only if it is
// short and plain, so it cannot inject text into logs.
var safeRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

func newRequestID() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusRecorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe gives each request an id, carries who is acting for the audit
// trail, and logs and counts the request when it ends.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !safeRequestID.MatchString(id) {
			id = newRequestID()
		}
		w.Header().Set("X-Request-Id", id)
		ctx := context.WithValue(r.Context(), requestIDKey{}, id)
		matched := &matchedRoute{}
		ctx = context.WithValue(ctx, matchedRouteKey{}, matched)
		ctx = audit.WithActor(ctx, audit.Actor{Label: "anonymous", Address: clientAddress(r), RequestID: id})
		r = r.WithContext(ctx)
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		elapsed := time.Since(start)
		route := matched.pattern
		if route == "" {
			route = "unmatched"
		}
		s.metrics.observe(route, r.Method, rec.status, elapsed)
		s.log.LogAttrs(ctx, levelFor(rec.status), "request",
			slog.String("request_id", id), slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.String("route", route), slog.Int("status", rec.status), slog.Int("bytes", rec.bytes),
			slog.Duration("duration", elapsed), slog.String("remote", clientAddress(r)))
	})
}

// clientAddress is the peer's IP address. caseboard does not trust
// X-Forwarded-For: a reverse proxy in front should be the peer it records.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// recoverPanics turns a panic into a logged stack and a 500, so one bad
// request never takes the process down or shows a stack to a user.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.ErrorContext(r.Context(), "panic", "value", fmt.Sprint(v), "stack", string(debug.Stack()), "request_id", requestID(r.Context()))
			s.fail(w, r, &fault.Error{Code: fault.Internal, Message: "Something went wrong on our side. It has been logged; quote the request id if you report it."})
		}()
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows nothing inline and nothing from elsewhere.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody caps every request body, so an oversized upload is refused
// rather than read: spreadsheet uploads have their own, larger limit, and
// are streamed, never held in memory.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := s.cfg.MaxBodyBytes
		if isUpload(r) {
			limit = s.cfg.MaxUploadBytes
		}
		if r.ContentLength > limit {
			s.fail(w, r, fault.Errorf(fault.Invalid, "The request body is %d bytes; the most accepted is %d", r.ContentLength, limit))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// isUpload is true for the routes that take a spreadsheet.
func isUpload(r *http.Request) bool {
	return r.Method == http.MethodPost && (strings.HasPrefix(r.URL.Path, "/api/v1/imports/") || strings.HasPrefix(r.URL.Path, "/imports/")) ||
		isAttachmentUpload(r)
}

// routeOrProblem serves matched routes and answers unmatched ones (404, 405)
// in caseboard's own form, which the standard mux would answer in plain text.
func (s *Server) routeOrProblem(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" {
			if matched, ok := r.Context().Value(matchedRouteKey{}).(*matchedRoute); ok {
				matched.pattern = pattern
			}
			mux.ServeHTTP(w, r)
			return
		}
		probe := &headerProbe{header: http.Header{}}
		h, _ := mux.Handler(r)
		h.ServeHTTP(probe, r)
		if probe.status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", probe.header.Get("Allow"))
			s.failStatus(w, r, http.StatusMethodNotAllowed, &fault.Error{Code: fault.Invalid,
				Message: fmt.Sprintf("%s is not allowed here; allowed: %s", r.Method, probe.header.Get("Allow"))})
			return
		}
		s.notFound(w, r)
	})
}

// headerProbe captures what the mux's own not-found or method-not-allowed
// handler would send, without sending it.
type headerProbe struct {
	header http.Header
	status int
}

func (p *headerProbe) Header() http.Header         { return p.header }
func (p *headerProbe) Write(b []byte) (int, error) { return len(b), nil }
func (p *headerProbe) WriteHeader(status int)      { p.status = status }

// failStatus is fail with a status other than the code's usual one.
func (s *Server) failStatus(w http.ResponseWriter, r *http.Request, status int, fe *fault.Error) {
	if wantsJSON(r) {
		s.writeProblem(w, r, status, fe)
		return
	}
	s.errorPage(w, r, status, fe)
}

// levelFor logs client errors as warnings and server errors as errors.
func levelFor(status int) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelError
	case status >= 400:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

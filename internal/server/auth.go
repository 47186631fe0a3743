package server

import (
	"context"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/store"
)

// sessionCookie names the cookie that carries a session's secret. Over TLS
// the __Host- prefix binds it to this host and path / with Secure set.
const (
	sessionCookie       = "caseboard_session"
	secureSessionCookie = "__Host-caseboard_session"
)

type authKey struct{}

// authState is who is making a request, as the authenticate middleware
// found it.
type authState struct {
	principal *access.Principal
	session   *store.Session // nil for token and anonymous requests
	err       error          // a credential was offered but refused
}

func authFrom(ctx context.Context) authState {
	a, _ := ctx.Value(authKey{}).(authState)
	return a
}

// principalOf returns the request's principal, or nil when anonymous.
func principalOf(r *http.Request) *access.Principal { return authFrom(r.Context()).principal }

// authenticate finds the principal from a bearer token or a session cookie
// and records them as the actor of any write. A request that offers a bad
// credential is remembered as such, for guard to refuse.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		state := s.resolve(r)
		ctx := context.WithValue(r.Context(), authKey{}, state)
		if p := state.principal; p != nil {
			actor := audit.ActorFrom(ctx)
			actor.PersonID, actor.Label = &p.PersonID, p.String()
			if p.Token != nil {
				actor.Label += " (API token " + itoa(p.Token.ID) + ")"
			}
			ctx = audit.WithActor(ctx, actor)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (s *Server) resolve(r *http.Request) authState {
	if anonymousPath(r.URL.Path) {
		return authState{}
	}
	if header := r.Header.Get("Authorization"); header != "" {
		token, ok := strings.CutPrefix(header, "Bearer ")
		hash, valid := access.ParseAPIToken(strings.TrimSpace(token))
		if !ok || !valid {
			return authState{err: &fault.Error{Code: fault.Unauthorized, Message: "The Authorization header must be: Bearer followed by a caseboard API token"}}
		}
		p, err := s.db.TokenPrincipal(r.Context(), hash)
		return authState{principal: p, err: err}
	}
	cookie, err := r.Cookie(s.cookieName(r))
	if err != nil {
		return authState{}
	}
	hash, ok := access.ParseSessionSecret(cookie.Value)
	if !ok {
		return authState{} // a forged or stale cookie is no session: sign in again
	}
	p, session, err := s.db.SessionPrincipal(r.Context(), hash, s.cfg.SessionIdle)
	if err != nil {
		if fault.CodeOf(err) == fault.Unauthorized {
			return authState{}
		}
		return authState{err: err}
	}
	return authState{principal: p, session: &session}
}

func (s *Server) cookieName(r *http.Request) string {
	if r.TLS != nil {
		return secureSessionCookie
	}
	return sessionCookie
}

// guard lets a request through to its handler only if its principal holds
// the route's permission. It is the one place routes are checked; handlers
// then decide on records through the access package.
func (s *Server) guard(perm access.Permission, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		state := authFrom(r.Context())
		if state.err != nil && perm != access.Public {
			s.refuse(w, r, state.err)
			return
		}
		if !access.Allows(state.principal, perm) {
			if state.principal == nil {
				s.refuse(w, r, errSignInNeeded)
			} else {
				s.fail(w, r, &fault.Error{Code: fault.Forbidden, Message: "You do not have access to this. Your roles do not include it."})
			}
			return
		}
		if !s.sameSessionForm(r, state) {
			s.fail(w, r, &fault.Error{Code: fault.Forbidden, Message: "The form has expired or did not come from caseboard. Go back, reload the page and try again."})
			return
		}
		next(w, r)
	}
}

var errSignInNeeded = &fault.Error{Code: fault.Unauthorized, Message: "Sign in to continue"}

// refuse answers a request that needs a principal it does not have: the
// API gets 401 with a challenge; a page sends the browser to sign in.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, err error) {
	if wantsJSON(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="caseboard"`)
		s.apiError(w, r, err)
		return
	}
	if r.Method == http.MethodGet {
		http.Redirect(w, r, "/sign-in?return_to="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	s.fail(w, r, err)
}

// sameSessionForm checks the per-session form token on every state-changing
// request that a browser session makes. http.CrossOriginProtection already
// refuses cross-site requests; the token also stops a request forged from
// a sibling subdomain or an old browser that sends no Origin. Token
// requests need none: a bearer token is never sent by a browser on its own.
func (s *Server) sameSessionForm(r *http.Request, state authState) bool {
	if state.session == nil || r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions {
		return true
	}
	sent := r.Header.Get("X-CSRF-Token")
	if sent == "" && isMultipart(r) {
		// An upload form carries its token in its action URL: reading it
		// from the body would mean reading the whole file first.
		sent = r.URL.Query().Get("csrf_token")
	} else if sent == "" {
		sent = r.PostFormValue("csrf_token")
	}
	return sent != "" && subtle.ConstantTimeCompare([]byte(sent), []byte(state.session.CSRFToken)) == 1
}

// startSession signs a person in: a new session with a new secret (any
// session the browser had is ended, so a planted session id is useless),
// the cookie, and an audit entry.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, personID int64, method string) error {
	secret := access.NewSessionSecret()
	now := s.db.Now()
	session := store.Session{
		IDHash: access.HashSecret(secret), PersonID: personID, CSRFToken: access.NewSessionSecret(),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.cfg.SessionMax),
		Address: clientAddress(r), UserAgent: truncate(r.UserAgent(), 200),
	}
	replacing := ""
	if old := authFrom(r.Context()).session; old != nil {
		replacing = old.IDHash
	}
	ctx := audit.WithActor(r.Context(), signInActor(r, personID))
	if err := s.db.CreateSession(ctx, session, replacing, method); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: s.cookieName(r), Value: secret, Path: "/", HttpOnly: true, Secure: r.TLS != nil,
		SameSite: http.SameSiteLaxMode, Expires: session.ExpiresAt,
	})
	return nil
}

func signInActor(r *http.Request, personID int64) audit.Actor {
	actor := audit.ActorFrom(r.Context())
	actor.PersonID = &personID
	actor.Label = "person " + itoa(personID)
	return actor
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(r), Value: "", Path: "/", HttpOnly: true, Secure: r.TLS != nil,
		SameSite: http.SameSiteLaxMode, MaxAge: -1, Expires: time.Unix(0, 0)})
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// anonymousPath is true for the routes that never need to know who asks,
// so serving a stylesheet or answering a health probe costs no database
// query.
func anonymousPath(path string) bool {
	return strings.HasPrefix(path, "/static/") || path == "/healthz" || path == "/readyz" || path == "/metrics"
}

func isMultipart(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
}

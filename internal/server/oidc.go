package server

import (
	"net/http"

	"caseboard/internal/fault"
)

// ssoStart sends the browser to the OpenID Connect provider.
func (s *Server) ssoStart(w http.ResponseWriter, r *http.Request) {
	if s.cfg.OIDCIssuer == "" {
		s.fail(w, r, fault.Errorf(fault.NotFound, "Single sign-on is not set up here; sign in with your email address and password"))
		return
	}
	s.fail(w, r, fault.Errorf(fault.Unavailable, "Single sign-on is not available yet"))
}

// ssoCallback finishes a sign-in when the provider sends the browser back.
func (s *Server) ssoCallback(w http.ResponseWriter, r *http.Request) {
	s.ssoStart(w, r)
}

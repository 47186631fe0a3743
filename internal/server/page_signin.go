package server

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"sync"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/fault"
)

// Sign-in throttling: failures are counted in the database, so every
// instance agrees, per account and per client address.
const (
	throttleWindow      = 15 * time.Minute
	maxFailuresAccount  = 5
	maxFailuresAddress  = 30
	signInFailedMessage = "Enter a correct email address and password"
)

type signInData struct {
	Email    string
	ReturnTo string
	SSO      bool
}

func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "Sign in", "")
	p.Data = signInData{ReturnTo: safeReturn(r.URL.Query().Get("return_to")), SSO: s.cfg.OIDCIssuer != ""}
	s.render(w, r, "sign-in", p)
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) {
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	data := signInData{Email: email, ReturnTo: safeReturn(r.PostFormValue("return_to")), SSO: s.cfg.OIDCIssuer != ""}
	personID, err := s.checkPassword(r.Context(), email, r.PostFormValue("password"), clientAddress(r))
	if err == nil {
		err = s.startSession(w, r, personID, "password")
	}
	if err != nil {
		p := s.newPage(r, "Sign in", "")
		p.Errors = fault.As(err)
		if p.Errors == nil {
			s.fail(w, r, err)
			return
		}
		p.Data = data
		s.renderStatus(w, r, statusFor(p.Errors), "sign-in", p)
		return
	}
	http.Redirect(w, r, data.ReturnTo, http.StatusSeeOther)
}

// checkPassword returns the person whose email and password these are.
// Unknown emails cost a hash like known ones, so timing does not tell
// which accounts exist, and every failure gives the same message.
func (s *Server) checkPassword(ctx context.Context, email, password, address string) (int64, error) {
	accountKey, addressKey := "email:"+email, "addr:"+address
	if err := s.throttled(ctx, accountKey, maxFailuresAccount, "this account"); err != nil {
		return 0, err
	}
	if err := s.throttled(ctx, addressKey, maxFailuresAddress, "this network address"); err != nil {
		return 0, err
	}
	var v fault.Validation
	if email == "" {
		v.Add("email", "Enter your email address")
	}
	if password == "" {
		v.Add("password", "Enter your password")
	}
	if err := v.Err("Enter your email address and password"); err != nil {
		return 0, err
	}
	account, err := s.db.AccountByEmail(ctx, email)
	hash := account.PasswordHash
	if err != nil || hash == "" {
		hash = decoyHash()
	}
	ok, verr := access.VerifyPassword(ctx, password, hash)
	if verr != nil && fault.CodeOf(verr) == fault.Unavailable {
		return 0, verr
	}
	if err != nil || !ok || account.Disabled || !account.Active || account.PasswordHash == "" {
		if rerr := s.db.RecordSignInFailure(ctx, accountKey, addressKey); rerr != nil {
			return 0, rerr
		}
		return 0, &fault.Error{Code: fault.Unauthorized, Message: signInFailedMessage,
			Fields: []fault.FieldError{{Field: "email", Message: signInFailedMessage}}}
	}
	if err := s.db.ClearSignInFailures(ctx, accountKey); err != nil {
		return 0, err
	}
	return account.PersonID, nil
}

// decoyHash is verified against when there is no account, so a sign-in
// for an unknown email takes as long as one for a known email. It is made
// on first use: made at start-up it would cost every caseboard command
// 64 MiB and a fifth of a second.
var decoyHash = sync.OnceValue(func() string {
	h, err := access.HashPassword(context.Background(), "decoy password, never matched", access.DefaultArgon2)
	if err != nil {
		panic(err)
	}
	return h
})

func (s *Server) throttled(ctx context.Context, key string, max int, what string) error {
	n, oldest, err := s.db.SignInFailures(ctx, key, s.db.Now().Add(-throttleWindow))
	if err != nil {
		return err
	}
	if n < max {
		return nil
	}
	wait := int(math.Ceil(oldest.Add(throttleWindow).Sub(s.db.Now()).Minutes()))
	if wait < 1 {
		wait = 1
	}
	return &fault.Error{Code: fault.Forbidden, Message: fmt.Sprintf(
		"Too many failed sign-in attempts from %s. Try again in %d minute%s, or ask an administrator to reset your password.", what, wait, plural(wait))}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// safeReturn keeps a post-sign-in redirect on this site: a local path, not
// //elsewhere or a full URL.
func safeReturn(target string) string {
	if !strings.HasPrefix(target, "/") || strings.HasPrefix(target, "//") || strings.HasPrefix(target, "/\\") || strings.ContainsAny(target, "\r\n") {
		return "/"
	}
	return target
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	state := authFrom(r.Context())
	if state.session != nil {
		if err := s.db.EndSession(r.Context(), state.session.IDHash, state.session.PersonID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/sign-in?signed_out=1", http.StatusSeeOther)
}

func (s *Server) signOutEverywhere(w http.ResponseWriter, r *http.Request) {
	if _, err := s.db.EndAllSessions(r.Context(), principalOf(r).PersonID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.clearSessionCookie(w, r)
	http.Redirect(w, r, "/sign-in?signed_out=all", http.StatusSeeOther)
}

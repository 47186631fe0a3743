package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"caseboard/internal/access"
	"caseboard/internal/fault"
)

// Single sign-on is the OpenID Connect authorization code flow with PKCE
// (S256) and a nonce. What ties the provider's answer to the start of the
// sign-in lives in the database (oidc_states), so the browser may come back
// to any instance.
const (
	ssoCallbackPath = "/sign-in/sso/callback"
	// ssoStateMaxAge is how long a person may take at the provider; long
	// enough to type a password and approve a second factor.
	ssoStateMaxAge = 10 * time.Minute
	// ssoTimeout bounds all the talking to the provider one request does, so
	// a provider that hangs cannot hold a request open.
	ssoTimeout = 20 * time.Second
	// The cookie that binds a sign-in to the browser that started it: the
	// state alone does not, and without the binding an attacker could send
	// someone the return link of a sign-in the attacker started, and so sign
	// them in as the attacker (login CSRF).
	ssoCookie       = "caseboard_sso"
	secureSSOCookie = "__Host-caseboard_sso"
)

// ssoHTTPClient talks to the provider. Its timeout covers the key set
// fetches go-oidc makes later with the client given at discovery.
var ssoHTTPClient = &http.Client{Timeout: 10 * time.Second}

// ssoProviders caches each issuer's discovery document. It is a fact about
// the issuer, the same for every server in the process, not user state; the
// signing keys within are refreshed by go-oidc when a token names a new one.
var ssoProviders = providerCache{byIssuer: map[string]*oidc.Provider{}}

type providerCache struct {
	mu       sync.Mutex
	byIssuer map[string]*oidc.Provider
}

// get returns the issuer's provider, discovering it on first use. A failed
// discovery is not cached, so the next sign-in tries again.
func (c *providerCache) get(ctx context.Context, issuer string) (*oidc.Provider, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p := c.byIssuer[issuer]; p != nil {
		return p, nil
	}
	p, err := oidc.NewProvider(oidc.ClientContext(ctx, ssoHTTPClient), issuer)
	if err != nil {
		return nil, err
	}
	c.byIssuer[issuer] = p
	return p, nil
}

var errSSOOff = fault.Errorf(fault.NotFound, "Single sign-on is not set up here; sign in with your email address and password")

// ssoStart sends the browser to the OpenID Connect provider.
func (s *Server) ssoStart(w http.ResponseWriter, r *http.Request) {
	if s.cfg.OIDCIssuer == "" {
		s.fail(w, r, errSSOOff)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), ssoTimeout)
	defer cancel()
	conf, _, err := s.ssoClient(ctx)
	if err != nil {
		s.ssoFailed(w, r, err)
		return
	}
	state, nonce, verifier := access.NewSessionSecret(), access.NewSessionSecret(), oauth2.GenerateVerifier()
	returnTo := safeReturn(r.URL.Query().Get("return_to"))
	if err := s.db.SaveOIDCState(ctx, access.HashSecret(state), verifier, nonce, returnTo); err != nil {
		s.ssoFailed(w, r, err)
		return
	}
	s.setSSOCookie(w, r, state, int(ssoStateMaxAge.Seconds()))
	http.Redirect(w, r, conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce)), http.StatusSeeOther)
}

// ssoCallback finishes a sign-in when the provider sends the browser back.
func (s *Server) ssoCallback(w http.ResponseWriter, r *http.Request) {
	if s.cfg.OIDCIssuer == "" {
		s.fail(w, r, errSSOOff)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), ssoTimeout)
	defer cancel()
	personID, returnTo, err := s.finishSSO(ctx, r)
	s.setSSOCookie(w, r, "", -1) // whatever happened, this sign-in is over
	if err == nil {
		err = s.startSession(w, r, personID, "oidc")
	}
	if err != nil {
		s.ssoFailed(w, r, err)
		return
	}
	http.Redirect(w, r, safeReturn(returnTo), http.StatusSeeOther)
}

// finishSSO checks the provider's answer against the sign-in this browser
// started and returns the person it signs in and where they were going.
func (s *Server) finishSSO(ctx context.Context, r *http.Request) (int64, string, error) {
	q := r.URL.Query()
	state := q.Get("state")
	if q.Has("error") {
		if state != "" {
			s.db.TakeOIDCState(ctx, access.HashSecret(state), ssoStateMaxAge) // spend it; the refusal stands either way
		}
		return 0, "", providerRefusal(q.Get("error"))
	}
	if state == "" || q.Get("code") == "" {
		return 0, "", ssoRefusal("The address your organisation's sign-in service sent you back to is incomplete. Start again from the sign-in page.", nil)
	}
	st, err := s.db.TakeOIDCState(ctx, access.HashSecret(state), ssoStateMaxAge)
	if fault.CodeOf(err) == fault.NotFound {
		return 0, "", ssoRefusal("This sign-in has expired or has already been used. Start again from the sign-in page.", err)
	}
	if err != nil {
		return 0, "", err
	}
	if !s.sameSSOBrowser(r, state) {
		return 0, "", ssoRefusal("This sign-in was started in another browser, or your browser did not keep its cookie. Start again from the sign-in page, in this browser.", nil)
	}
	email, err := s.ssoEmail(ctx, q.Get("code"), st.Verifier, st.Nonce)
	if err != nil {
		return 0, "", err
	}
	personID, err := s.ssoAccount(ctx, email)
	return personID, st.ReturnTo, err
}

// ssoClient returns the OAuth 2.0 client for the provider and the verifier
// of its ID tokens.
func (s *Server) ssoClient(ctx context.Context) (*oauth2.Config, *oidc.IDTokenVerifier, error) {
	provider, err := ssoProviders.get(ctx, s.cfg.OIDCIssuer)
	if err != nil {
		return nil, nil, &fault.Error{Code: fault.Unavailable, Err: err,
			Message: "Your organisation's sign-in service cannot be reached just now. Try again in a few minutes, or sign in with your email address and password."}
	}
	conf := &oauth2.Config{
		ClientID: s.cfg.OIDCClientID, ClientSecret: s.cfg.OIDCSecret, Endpoint: provider.Endpoint(),
		RedirectURL: s.cfg.BaseURL + ssoCallbackPath, Scopes: []string{oidc.ScopeOpenID, "email"},
	}
	return conf, provider.Verifier(&oidc.Config{ClientID: s.cfg.OIDCClientID}), nil
}

// ssoEmail exchanges the code for tokens and returns the email address the
// verified ID token vouches for. The verifier checks the token's signature
// against the provider's published keys, its issuer, audience and expiry;
// the nonce, checked here, ties it to this sign-in.
func (s *Server) ssoEmail(ctx context.Context, code, verifier, nonce string) (string, error) {
	conf, idVerifier, err := s.ssoClient(ctx)
	if err != nil {
		return "", err
	}
	ctx = oidc.ClientContext(ctx, ssoHTTPClient)
	token, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return "", exchangeFailure(err)
	}
	raw, _ := token.Extra("id_token").(string)
	if raw == "" {
		return "", ssoRefusal(unverifiedMessage, errors.New("the token response has no id_token"))
	}
	idToken, err := idVerifier.Verify(ctx, raw)
	if err != nil {
		return "", ssoRefusal(unverifiedMessage, err)
	}
	if subtle.ConstantTimeCompare([]byte(idToken.Nonce), []byte(nonce)) != 1 {
		return "", ssoRefusal(unverifiedMessage, errors.New("the ID token's nonce is not this sign-in's"))
	}
	return s.emailClaim(idToken)
}

const unverifiedMessage = "Your organisation's sign-in service sent back an identity caseboard could not verify, so you have not been signed in. Start again from the sign-in page; if it happens again, tell a caseboard administrator."

// emailClaim reads the configured email claim. An address the provider
// itself says it has not verified names nobody: anyone could have typed it.
func (s *Server) emailClaim(idToken *oidc.IDToken) (string, error) {
	var claims map[string]any
	if err := idToken.Claims(&claims); err != nil {
		return "", ssoRefusal(unverifiedMessage, err)
	}
	email, _ := claims[s.cfg.OIDCEmailClaim].(string)
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return "", ssoRefusal("Your organisation's sign-in service did not say what your email address is, so caseboard cannot tell who you are. Tell a caseboard administrator.",
			fmt.Errorf("the ID token has no %q claim", s.cfg.OIDCEmailClaim))
	}
	if v, present := claims["email_verified"]; present && v != true && v != "true" {
		return "", ssoRefusal(fmt.Sprintf("Your organisation's sign-in service has not verified your email address %s, so caseboard cannot sign you in with it. Ask your IT service desk to verify it, or sign in with your email address and password.", email),
			fmt.Errorf("email_verified is %v for %s", v, email))
	}
	return email, nil
}

// ssoAccount finds who may sign in with the email address: someone with a
// caseboard account that is not disabled, who has not left.
func (s *Server) ssoAccount(ctx context.Context, email string) (int64, error) {
	account, err := s.db.AccountByEmail(ctx, email)
	if fault.CodeOf(err) == fault.NotFound {
		return 0, &fault.Error{Code: fault.Forbidden, Err: err,
			Message: fmt.Sprintf("You signed in to your organisation as %s, but there is no caseboard account for that address.", email)}
	}
	if err != nil {
		return 0, err
	}
	if account.Disabled || !account.Active {
		return 0, &fault.Error{Code: fault.Forbidden, Err: fmt.Errorf("account of person %d: disabled %t, active %t", account.PersonID, account.Disabled, account.Active),
			Message: fmt.Sprintf("The caseboard account for %s is disabled.", email)}
	}
	return account.PersonID, nil
}

// providerRefusal is the page for a provider that sent the browser back
// with an error rather than a code. Its error code is shown only if it
// looks like one: the parameter is whatever the link says.
func providerRefusal(code string) error {
	if code == "access_denied" {
		return ssoRefusal("Sign-in with your organisation's account was cancelled, so you have not been signed in. Start again from the sign-in page when you are ready.",
			errors.New("the provider answered access_denied"))
	}
	said := ""
	if oauthErrorCode.MatchString(code) {
		said = " (it said: " + code + ")"
	}
	return ssoRefusal("Sign-in with your organisation's account failed"+said+", so you have not been signed in. Start again from the sign-in page, or sign in with your email address and password.",
		fmt.Errorf("the provider answered %.100q", code))
}

var oauthErrorCode = regexp.MustCompile(`^[a-z_]{1,64}$`)

// exchangeFailure tells a provider that refused the code (a used, expired
// or forged code, or a PKCE verifier that does not match) from one that
// could not be reached.
func exchangeFailure(err error) error {
	var refused *oauth2.RetrieveError
	if errors.As(err, &refused) {
		return ssoRefusal("Your organisation's sign-in service would not complete the sign-in. Start again from the sign-in page.", err)
	}
	return &fault.Error{Code: fault.Unavailable, Err: err,
		Message: "Your organisation's sign-in service cannot be reached just now. Try again in a few minutes, or sign in with your email address and password."}
}

func ssoRefusal(message string, cause error) *fault.Error {
	return &fault.Error{Code: fault.Unauthorized, Message: message, Err: cause}
}

// ssoFailed shows why a sign-in did not happen, as a page. The cause goes
// to the log at warn; failures the error page logs itself (an unreachable
// provider or database, a bug) are not logged twice.
func (s *Server) ssoFailed(w http.ResponseWriter, r *http.Request, err error) {
	if code := fault.CodeOf(err); code != fault.Internal && code != fault.Unavailable {
		s.log.WarnContext(r.Context(), "single sign-on refused", "err", err, "request_id", requestID(r.Context()))
	}
	s.fail(w, r, err)
}

func (s *Server) ssoCookieName(r *http.Request) string {
	if r.TLS != nil {
		return secureSSOCookie
	}
	return ssoCookie
}

// setSSOCookie sets (or, with maxAge -1, clears) the binding cookie. It
// must be SameSite=Lax, not Strict: the browser comes back from the
// provider's site, and a Strict cookie would not come with it.
func (s *Server) setSSOCookie(w http.ResponseWriter, r *http.Request, state string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: s.ssoCookieName(r), Value: state, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
}

func (s *Server) sameSSOBrowser(r *http.Request, state string) bool {
	cookie, err := r.Cookie(s.ssoCookieName(r))
	return err == nil && subtle.ConstantTimeCompare([]byte(cookie.Value), []byte(state)) == 1
}

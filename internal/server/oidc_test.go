package server_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/config"
	"caseboard/internal/demo"
	"caseboard/internal/fault"
	"caseboard/internal/server"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
	"caseboard/web"
)

// idp is a real, if minimal, OpenID Connect provider: discovery, a JSON
// Web Key Set, an authorization endpoint that approves at once (there is
// no one to ask), and a token endpoint that checks the client and PKCE and
// issues RS256-signed ID tokens. Caseboard verifies what it sends for real.
type idp struct {
	t           testing.TB
	ts          *httptest.Server
	key         *rsa.PrivateKey
	clientID    string
	secret      string
	redirectURI string // the one registered address it sends browsers back to

	mu     sync.Mutex
	grants map[string]grant // by authorization code
	next   issue
	down   bool // discovery fails, as a provider in an outage does
}

// issue is how the provider answers the next sign-in: whose, and what the
// ID token says. Zero values are a correct token for email.
type issue struct {
	email         string
	emailVerified any             // nil leaves the claim out
	audience      string          // "" is the client id
	expiresIn     time.Duration   // 0 is an hour
	nonce         string          // "" is the nonce caseboard sent
	signer        *rsa.PrivateKey // nil is the published key
	deny          string          // answer /authorize with this error instead of a code
	swapChallenge bool            // remember another PKCE challenge than the one sent
	beforeReturn  func()          // runs before the browser is sent back
}

type grant struct {
	challenge, nonce, redirectURI string
	issue                         issue
}

const (
	testKeyID    = "test-key"
	testClientID = "caseboard-test"
	testSecret   = "client secret for tests"
)

func newIDP(t testing.TB) *idp {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &idp{t: t, key: key, clientID: testClientID, secret: testSecret, grants: map[string]grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	p.ts = httptest.NewServer(mux)
	t.Cleanup(p.ts.Close)
	return p
}

// set decides how the next sign-in goes.
func (p *idp) set(next issue) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.next = next
}

func (p *idp) setDown(down bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = down
}

func (p *idp) discovery(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	down := p.down
	p.mu.Unlock()
	if down {
		http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                p.ts.URL,
		"authorization_endpoint":                p.ts.URL + "/authorize",
		"token_endpoint":                        p.ts.URL + "/token",
		"jwks_uri":                              p.ts.URL + "/jwks",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported":      []string{"S256"},
	})
}

func (p *idp) jwks(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: &p.key.PublicKey, KeyID: testKeyID, Algorithm: string(jose.RS256), Use: "sig"},
	}})
}

// authorize approves every well-formed request from the registered client
// and sends the browser straight back with a code.
func (p *idp) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != p.clientID || q.Get("redirect_uri") != p.redirectURI || q.Get("response_type") != "code" ||
		!strings.Contains(" "+q.Get("scope")+" ", " openid ") || q.Get("code_challenge_method") != "S256" ||
		q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("state") == "" {
		http.Error(w, "bad authorization request: "+q.Encode(), http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	next := p.next
	p.mu.Unlock()
	back := url.Values{"state": {q.Get("state")}}
	if next.deny != "" {
		back.Set("error", next.deny)
	} else {
		back.Set("code", p.newCode(q, next))
	}
	if next.beforeReturn != nil {
		next.beforeReturn()
	}
	http.Redirect(w, r, p.redirectURI+"?"+back.Encode(), http.StatusFound)
}

func (p *idp) newCode(q url.Values, next issue) string {
	g := grant{challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), redirectURI: q.Get("redirect_uri"), issue: next}
	if next.swapChallenge {
		g.challenge = s256(access.NewSessionSecret())
	}
	code := access.NewSessionSecret()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.grants[code] = g
	return code
}

// token swaps a code for tokens, once, for the client that asked for it
// and holds the PKCE verifier whose S256 challenge came with the request.
func (p *idp) token(w http.ResponseWriter, r *http.Request) {
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	if id != p.clientID || secret != p.secret {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client"})
		return
	}
	code := r.PostFormValue("code")
	p.mu.Lock()
	g, ok := p.grants[code]
	delete(p.grants, code)
	p.mu.Unlock()
	if r.PostFormValue("grant_type") != "authorization_code" || !ok || r.PostFormValue("redirect_uri") != g.redirectURI {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
		return
	}
	if s256(r.PostFormValue("code_verifier")) != g.challenge {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant", "error_description": "PKCE verification failed"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": access.NewSessionSecret(), "token_type": "Bearer", "expires_in": 3600, "id_token": p.idToken(g),
	})
}

func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// idToken signs the ID token the grant's issue describes.
func (p *idp) idToken(g grant) string {
	is, now := g.issue, time.Now()
	claims := map[string]any{
		"iss": p.ts.URL, "sub": "subject-" + is.email, "aud": or(is.audience, p.clientID),
		"iat": now.Unix(), "exp": now.Add(cmpOr(is.expiresIn, time.Hour)).Unix(),
		"nonce": or(is.nonce, g.nonce), "email": is.email,
	}
	if is.emailVerified != nil {
		claims["email_verified"] = is.emailVerified
	}
	key := p.key
	if is.signer != nil {
		key = is.signer
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: testKeyID}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		p.t.Error(err)
		return ""
	}
	payload, _ := json.Marshal(claims)
	signed, err := signer.Sign(payload)
	if err != nil {
		p.t.Error(err)
		return ""
	}
	raw, err := signed.CompactSerialize()
	if err != nil {
		p.t.Error(err)
	}
	return raw
}

func or(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

func cmpOr(d, fallback time.Duration) time.Duration {
	if d == 0 {
		return fallback
	}
	return d
}

// mainOf is the main part of a page, for failure messages.
func mainOf(page string) string {
	if _, after, ok := strings.Cut(page, "<main"); ok {
		page, _, _ = strings.Cut(after, "</main>")
	}
	return page
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// ssoFixture is caseboard, with the demo division, set up to sign in
// through p. Its database clock runs skew ahead of the real one.
type ssoFixture struct {
	ts   *httptest.Server
	db   *store.DB
	idp  *idp
	skew *atomic.Int64 // nanoseconds
	logs *logBuffer    // warnings and errors the server logged
}

// logBuffer keeps what the server logs, for tests to read.
type logBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// take returns what was logged since the last take.
func (l *logBuffer) take() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.buf.String()
	l.buf.Reset()
	return s
}

func newSSOServer(t *testing.T, d store.Dialect, p *idp) *ssoFixture {
	t.Helper()
	db := storetest.Open(t, d)
	loadDemo(t, db)
	skew := new(atomic.Int64)
	db.Now = func() time.Time { return time.Now().UTC().Add(time.Duration(skew.Load())) }
	views, err := web.NewViews()
	if err != nil {
		t.Fatal(err)
	}
	// The callback address must be known before the server is built, so
	// the listener comes first.
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	cfg := &config.Config{MaxBodyBytes: 4096, ShutdownTimeout: 1, SessionIdle: time.Hour, SessionMax: 12 * time.Hour,
		BaseURL: base, OIDCIssuer: p.ts.URL, OIDCClientID: p.clientID, OIDCSecret: p.secret, OIDCEmailClaim: "email"}
	logs := new(logBuffer)
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ts.Config.Handler = server.New(db, views, log, cfg, "test")
	ts.Start()
	t.Cleanup(ts.Close)
	p.redirectURI = base + "/sign-in/sso/callback"
	return &ssoFixture{ts: ts, db: db, idp: p, skew: skew, logs: logs}
}

func loadDemo(t *testing.T, db *store.DB) {
	t.Helper()
	ctx := context.Background()
	if _, err := db.SeedOrganisation(ctx); err != nil {
		t.Fatal(err)
	}
	chart := demo.Division(7)
	for i := range chart.Accounts {
		chart.Accounts[i].PasswordHash = cheapHash
	}
	if _, err := db.LoadChart(ctx, chart, "test"); err != nil {
		t.Fatal(err)
	}
}

// ssoBrowser follows redirects across caseboard and the provider, as a
// browser does, keeping cookies and noting every address it was sent to.
type ssoBrowser struct {
	t       *testing.T
	client  *http.Client
	visited []string
}

func newSSOBrowser(t *testing.T) *ssoBrowser {
	jar, _ := cookiejar.New(nil)
	b := &ssoBrowser{t: t}
	b.client = &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		b.visited = append(b.visited, req.URL.String())
		if len(via) >= 10 {
			return errors.New("too many redirects")
		}
		return nil
	}}
	return b
}

func (b *ssoBrowser) get(address string) response {
	b.t.Helper()
	b.visited = append(b.visited, address)
	res, err := b.client.Get(address)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Header: res.Header, Body: string(raw)}
}

// signIn follows the whole sign-in from caseboard's sign-in link.
func (b *ssoBrowser) signIn(f *ssoFixture) response {
	b.t.Helper()
	return b.get(f.ts.URL + "/sign-in/sso?return_to=%2Faccount")
}

// callback is the address the provider sent the browser back to.
func (b *ssoBrowser) callback() string {
	b.t.Helper()
	for i := len(b.visited) - 1; i >= 0; i-- {
		if strings.Contains(b.visited[i], "/sign-in/sso/callback?") {
			return b.visited[i]
		}
	}
	b.t.Fatalf("the provider never sent the browser back; visited %v", b.visited)
	return ""
}

func (b *ssoBrowser) hasSession(f *ssoFixture) bool {
	u, _ := url.Parse(f.ts.URL)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == "caseboard_session" {
			return true
		}
	}
	return false
}

// oidcSignIns counts the audit trail's single sign-ons by a person, or
// by anyone for 0.
func oidcSignIns(t *testing.T, db *store.DB, personID int64) int {
	t.Helper()
	filter := store.AuditFilter{RecordType: "account"}
	if personID != 0 {
		filter.RecordID = strconv.FormatInt(personID, 10)
	}
	entries, err := db.AuditEntries(context.Background(), filter)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == audit.SignIn && strings.Contains(e.Changes, `"method":"oidc"`) {
			n++
		}
	}
	return n
}

// stateSpent checks that the sign-in's state cannot be used again: gone
// from the database, whatever the outcome.
func stateSpent(t *testing.T, f *ssoFixture, callback string) {
	t.Helper()
	u, err := url.Parse(callback)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.db.TakeOIDCState(context.Background(), access.HashSecret(u.Query().Get("state")), 10*time.Minute)
	if fault.CodeOf(err) != fault.NotFound {
		t.Errorf("the state of %s is still in the database (err %v)", callback, err)
	}
}

func personID(t *testing.T, db *store.DB, email string) int64 {
	t.Helper()
	account, err := db.AccountByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return account.PersonID
}

// refusal is one way a single sign-on must fail: how the provider answers,
// and the page caseboard must show.
type refusal struct {
	name   string
	issue  func(t *testing.T, f *ssoFixture) issue
	status int
	says   string // on the page
	logs   string // in the warning logged
}

func TestOIDC(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			f := newSSOServer(t, d, newIDP(t))
			t.Run("OK", func(t *testing.T) { testOIDCSignIn(t, f) })
			for _, c := range oidcRefusals() {
				t.Run(c.name, func(t *testing.T) { testOIDCRefusal(t, f, c) })
			}
			t.Run("ErrReplay", func(t *testing.T) { testOIDCReplay(t, f) })
			t.Run("ErrOtherBrowser", func(t *testing.T) { testOIDCOtherBrowser(t, f) })
		})
	}
}

func testOIDCSignIn(t *testing.T, f *ssoFixture) {
	const email = "admin@caseboard.example"
	id := personID(t, f.db, email)
	f.idp.set(issue{email: "Admin@Caseboard.example", emailVerified: true})
	b := newSSOBrowser(t)
	res := b.signIn(f)
	if res.Status != http.StatusOK || !strings.Contains(res.Body, "Casey Administrator") || !b.hasSession(f) {
		t.Fatalf("sign-in ended at %d, session %t\n%s", res.Status, b.hasSession(f), mainOf(res.Body))
	}
	if last := b.visited[len(b.visited)-1]; last != f.ts.URL+"/account" {
		t.Errorf("sign-in went on to %s, not the return address /account", last)
	}
	if again := b.get(f.ts.URL + "/account"); again.Status != http.StatusOK {
		t.Errorf("account page after sign-in: %d", again.Status)
	}
	if n := oidcSignIns(t, f.db, id); n != 1 {
		t.Errorf("%d sign_in audit entries with method oidc, want 1", n)
	}
	stateSpent(t, f, b.callback())
}

func oidcRefusals() []refusal {
	const email = "inspector@caseboard.example"
	otherKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	unverified := "Start again from the sign-in page; if it happens again"
	return []refusal{
		{name: "ErrUnknownEmail", logs: "there is no account for nobody@elsewhere.example", status: http.StatusForbidden, says: "as nobody@elsewhere.example, but there is no caseboard account",
			issue: func(*testing.T, *ssoFixture) issue {
				return issue{email: "nobody@elsewhere.example", emailVerified: true}
			}},
		{name: "ErrDisabled", logs: "disabled true", status: http.StatusForbidden, says: "The caseboard account for board@caseboard.example is disabled",
			issue: func(t *testing.T, f *ssoFixture) issue {
				if err := f.db.SetDisabled(context.Background(), personID(t, f.db, "board@caseboard.example"), true); err != nil {
					t.Fatal(err)
				}
				return issue{email: "board@caseboard.example", emailVerified: true}
			}},
		{name: "ErrOtherKey", logs: "failed to verify signature", status: http.StatusUnauthorized, says: unverified,
			issue: func(*testing.T, *ssoFixture) issue { return issue{email: email, signer: otherKey} }},
		{name: "ErrAudience", logs: "expected audience", status: http.StatusUnauthorized, says: unverified,
			issue: func(*testing.T, *ssoFixture) issue { return issue{email: email, audience: "another-client"} }},
		{name: "ErrExpired", logs: "token is expired", status: http.StatusUnauthorized, says: unverified,
			issue: func(*testing.T, *ssoFixture) issue { return issue{email: email, expiresIn: -5 * time.Minute} }},
		{name: "ErrNonce", logs: "nonce is not this sign-in", status: http.StatusUnauthorized, says: unverified,
			issue: func(*testing.T, *ssoFixture) issue { return issue{email: email, nonce: "not-the-nonce-caseboard-sent"} }},
		{name: "ErrPKCE", logs: "PKCE verification failed", status: http.StatusUnauthorized, says: "would not complete the sign-in",
			issue: func(*testing.T, *ssoFixture) issue { return issue{email: email, swapChallenge: true} }},
		{name: "ErrCancelled", logs: "access_denied", status: http.StatusUnauthorized, says: "Sign-in with your organisation&#39;s account was cancelled",
			issue: func(*testing.T, *ssoFixture) issue { return issue{email: email, deny: "access_denied"} }},
		{name: "ErrProviderError", logs: "temporarily_unavailable", status: http.StatusUnauthorized, says: "account failed (it said: temporarily_unavailable)",
			issue: func(*testing.T, *ssoFixture) issue { return issue{email: email, deny: "temporarily_unavailable"} }},
		{name: "ErrEmailUnverified", logs: "email_verified is false", status: http.StatusUnauthorized, says: "has not verified your email address inspector@caseboard.example",
			issue: func(*testing.T, *ssoFixture) issue { return issue{email: email, emailVerified: false} }},
		{name: "ErrEmailUnverifiedString", logs: "email_verified is false", status: http.StatusUnauthorized, says: "has not verified your email address",
			issue: func(*testing.T, *ssoFixture) issue { return issue{email: email, emailVerified: "false"} }},
		{name: "ErrNoEmail", logs: "the ID token has no", status: http.StatusUnauthorized, says: "did not say what your email address is",
			issue: func(*testing.T, *ssoFixture) issue { return issue{email: ""} }},
		{name: "ErrStateExpired", logs: "expired or has already been used", status: http.StatusUnauthorized, says: "This sign-in has expired or has already been used",
			issue: func(t *testing.T, f *ssoFixture) issue {
				return issue{email: email, beforeReturn: func() { f.skew.Store(int64(11 * time.Minute)) }}
			}},
	}
}

// testOIDCRefusal checks that a sign-in the provider's answer should stop
// ends on a page that says why, with no session, no sign-in in the audit
// trail, and its state spent.
func testOIDCRefusal(t *testing.T, f *ssoFixture, c refusal) {
	t.Cleanup(func() { f.skew.Store(0) })
	f.idp.set(c.issue(t, f))
	before := oidcSignIns(t, f.db, 0)
	f.logs.take()
	b := newSSOBrowser(t)
	res := b.signIn(f)
	if res.Status != c.status || !strings.Contains(res.Body, c.says) {
		t.Fatalf("got %d, want %d saying %q\n%s", res.Status, c.status, c.says, mainOf(res.Body))
	}
	if strings.Contains(res.Body, "goroutine") || strings.Contains(res.Body, "oidc:") {
		t.Errorf("the page shows internal detail\n%s", mainOf(res.Body))
	}
	if logged := f.logs.take(); !strings.Contains(logged, "level=WARN msg=\"single sign-on refused\"") || !strings.Contains(logged, c.logs) {
		t.Errorf("the log does not give the cause %q:\n%s", c.logs, logged)
	}
	if b.hasSession(f) {
		t.Error("the browser was given a session")
	}
	if after := oidcSignIns(t, f.db, 0); after != before {
		t.Errorf("sign-ins in the audit trail went from %d to %d", before, after)
	}
	stateSpent(t, f, b.callback())
}

// testOIDCReplay sends the provider's answer a second time: the state is
// single use, even in the browser it was made for.
func testOIDCReplay(t *testing.T, f *ssoFixture) {
	const email = "partner@caseboard.example"
	f.idp.set(issue{email: email, emailVerified: true})
	b := newSSOBrowser(t)
	if res := b.signIn(f); res.Status != http.StatusOK {
		t.Fatalf("first sign-in: %d\n%s", res.Status, mainOf(res.Body))
	}
	attacker := newSSOBrowser(t)
	res := attacker.get(b.callback())
	if res.Status != http.StatusUnauthorized || !strings.Contains(res.Body, "This sign-in has expired or has already been used") {
		t.Fatalf("replayed callback: %d\n%s", res.Status, mainOf(res.Body))
	}
	if attacker.hasSession(f) {
		t.Error("the replay was given a session")
	}
	if res := b.get(b.callback()); res.Status != http.StatusUnauthorized {
		t.Errorf("the callback used again in its own browser: %d", res.Status)
	}
	if n := oidcSignIns(t, f.db, personID(t, f.db, email)); n != 1 {
		t.Errorf("%d oidc sign-ins in the audit trail, want 1", n)
	}
}

// testOIDCOtherBrowser is login CSRF: someone starts a sign-in as
// themselves and gets another browser to finish it. The state is not
// used yet, but it belongs to the browser that started it.
func testOIDCOtherBrowser(t *testing.T, f *ssoFixture) {
	const email = "partner@caseboard.example"
	before := oidcSignIns(t, f.db, personID(t, f.db, email))
	var callback string
	f.idp.set(issue{email: email, emailVerified: true})
	attacker := newSSOBrowser(t)
	attacker.client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Path == "/sign-in/sso/callback" {
			callback = req.URL.String()
			return http.ErrUseLastResponse
		}
		return nil
	}
	attacker.signIn(f)
	victim := newSSOBrowser(t)
	res := victim.get(callback)
	if res.Status != http.StatusUnauthorized || !strings.Contains(res.Body, "started in another browser") || victim.hasSession(f) {
		t.Fatalf("callback in another browser: %d, session %t\n%s", res.Status, victim.hasSession(f), mainOf(res.Body))
	}
	if after := oidcSignIns(t, f.db, personID(t, f.db, email)); after != before {
		t.Errorf("sign-ins in the audit trail went from %d to %d", before, after)
	}
	stateSpent(t, f, callback)
}

// TestOIDCProviderDown checks that a provider that cannot be discovered
// gives a page saying so, and that the failure is not remembered: the next
// sign-in, once it is back, works.
func TestOIDCProviderDown(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			p := newIDP(t)
			f := newSSOServer(t, d, p)
			p.setDown(true)
			res := newSSOBrowser(t).signIn(f)
			if res.Status != http.StatusServiceUnavailable || !strings.Contains(res.Body, "cannot be reached just now") {
				t.Fatalf("provider down: %d\n%s", res.Status, mainOf(res.Body))
			}
			p.setDown(false)
			p.set(issue{email: "admin@caseboard.example", emailVerified: true})
			b := newSSOBrowser(t)
			if res := b.signIn(f); res.Status != http.StatusOK || !b.hasSession(f) {
				t.Fatalf("provider back: %d\n%s", res.Status, mainOf(res.Body))
			}
		})
	}
}

// TestOIDCNotConfigured checks that without an issuer the single sign-on
// addresses are not there at all.
func TestOIDCNotConfigured(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			f := newServer(t, d)
			for _, path := range []string{"/sign-in/sso?return_to=%2F", "/sign-in/sso/callback?code=x&state=y"} {
				res := send(t, f.ts, "GET", path, "", "")
				if res.Status != http.StatusNotFound || !strings.Contains(res.Body, "Page not found") {
					t.Errorf("%s: %d\n%s", path, res.Status, mainOf(res.Body))
				}
			}
			if page := send(t, f.ts, "GET", "/sign-in", "", ""); strings.Contains(page.Body, "/sign-in/sso") {
				t.Error("the sign-in page offers single sign-on")
			}
		})
	}
}

package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/demo"
	"caseboard/internal/store"
)

// browser is a client with a cookie jar that does not follow redirects.
type browser struct {
	t      *testing.T
	f      *fixture
	client *http.Client
}

func newBrowser(t *testing.T, f *fixture) *browser {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &browser{t: t, f: f, client: c}
}

func (b *browser) get(path string) response {
	b.t.Helper()
	return b.send("GET", path, nil)
}

func (b *browser) post(path string, form url.Values) response {
	b.t.Helper()
	return b.send("POST", path, form)
}

func (b *browser) send(method, path string, form url.Values) response {
	b.t.Helper()
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req, _ := http.NewRequest(method, b.f.ts.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	raw := new(strings.Builder)
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		raw.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return response{Status: res.StatusCode, Header: res.Header, Body: raw.String()}
}

// signIn fills in the sign-in form as a browser would, with the form token
// the page carries when the browser already has a session.
func (b *browser) signIn(email, password string) response {
	b.t.Helper()
	form := url.Values{"email": {email}, "password": {password}, "return_to": {"/organisation"}}
	if m := csrfField.FindStringSubmatch(b.get("/sign-in").Body); m != nil {
		form.Set("csrf_token", m[1])
	}
	return b.post("/sign-in", form)
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (b *browser) csrf() string {
	b.t.Helper()
	m := csrfField.FindStringSubmatch(b.get("/account").Body)
	if m == nil {
		b.t.Fatal("no form token on the account page")
	}
	return m[1]
}

func TestSignIn(t *testing.T) {
	f := newServer(t, store.SQLite)
	t.Run("OK", func(t *testing.T) {
		b := newBrowser(t, f)
		if res := b.get("/organisation"); res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in?return_to=%2Forganisation" {
			t.Fatalf("anonymous page: %d %s", res.Status, res.Header.Get("Location"))
		}
		res := b.signIn("ADMIN@caseboard.example ", demo.Password)
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/organisation" {
			t.Fatalf("sign in: %d %s\n%.500s", res.Status, res.Header.Get("Location"), res.Body)
		}
		cookie := res.Header.Get("Set-Cookie")
		for _, want := range []string{"caseboard_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(cookie, want) {
				t.Errorf("cookie %q lacks %s", cookie, want)
			}
		}
		if page := b.get("/organisation"); page.Status != 200 || !strings.Contains(page.Body, "Casey Administrator") {
			t.Fatalf("signed-in page: %d", page.Status)
		}
	})
	t.Run("ErrWrongPassword", func(t *testing.T) {
		b := newBrowser(t, f)
		res := b.signIn("admin@caseboard.example", "not the password at all")
		if res.Status != http.StatusUnauthorized || !strings.Contains(res.Body, "Enter a correct email address and password") {
			t.Fatalf("%d\n%.500s", res.Status, res.Body)
		}
		if strings.Contains(res.Header.Get("Set-Cookie"), "caseboard_session=") {
			t.Fatal("a failed sign-in set a session")
		}
	})
	t.Run("ErrUnknownEmailSameMessage", func(t *testing.T) {
		res := newBrowser(t, f).signIn("nobody@caseboard.example", demo.Password)
		if res.Status != http.StatusUnauthorized || !strings.Contains(res.Body, "Enter a correct email address and password") {
			t.Fatalf("%d", res.Status)
		}
	})
	t.Run("ErrReturnElsewhere", func(t *testing.T) {
		b := newBrowser(t, f)
		res := b.post("/sign-in", url.Values{"email": {"admin@caseboard.example"}, "password": {demo.Password}, "return_to": {"//evil.example/x"}})
		if res.Header.Get("Location") != "/" {
			t.Fatalf("redirected to %q", res.Header.Get("Location"))
		}
	})
}

func TestSignInThrottled(t *testing.T) {
	f := newServer(t, store.SQLite)
	email := "board@caseboard.example"
	for i := 0; i < 5; i++ {
		newBrowser(t, f).signIn(email, "wrong password number")
	}
	res := newBrowser(t, f).signIn(email, demo.Password)
	if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "Too many failed sign-in attempts from this account. Try again in 15 minutes") {
		t.Fatalf("sixth attempt with the right password: %d\n%.600s", res.Status, res.Body)
	}
	if res := newBrowser(t, f).signIn("inspector@caseboard.example", demo.Password); res.Status != http.StatusSeeOther {
		t.Fatalf("another account from the same address should still sign in: %d", res.Status)
	}
	f.db.Now = func() time.Time { return time.Now().Add(16 * time.Minute) }
	if res := newBrowser(t, f).signIn(email, demo.Password); res.Status != http.StatusSeeOther {
		t.Fatalf("after the window: %d", res.Status)
	}
}

func TestSessions(t *testing.T) {
	f := newServer(t, store.Postgres)
	t.Run("RotatedOnSignIn", func(t *testing.T) {
		b := newBrowser(t, f)
		b.signIn("admin@caseboard.example", demo.Password)
		first := sessionCookie(b)
		b.signIn("admin@caseboard.example", demo.Password)
		second := sessionCookie(b)
		if first == "" || first == second {
			t.Fatal("sign-in kept the session id")
		}
		replay := newBrowser(t, f)
		setSession(replay, first)
		if res := replay.get("/account"); res.Status != http.StatusSeeOther {
			t.Fatalf("the replaced session still works: %d", res.Status)
		}
	})
	t.Run("ErrForgedCookie", func(t *testing.T) {
		b := newBrowser(t, f)
		for _, forged := range []string{"x", access.NewSessionSecret(), strings.Repeat("A", 43), "' OR 1=1 --"} {
			setSession(b, forged)
			if res := b.get("/account"); res.Status != http.StatusSeeOther {
				t.Fatalf("forged cookie %q: %d", forged, res.Status)
			}
		}
	})
	t.Run("ErrCSRF", func(t *testing.T) {
		b := newBrowser(t, f)
		b.signIn("hod@caseboard.example", demo.Password) // not an account: stays signed out
		b.signIn(f.email(t, "hod"), demo.Password)
		before, _ := f.db.APITokens(context.Background(), f.people["hod"])
		res := b.post("/account/tokens", url.Values{"name": {"x"}, "days": {"3"}})
		if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "The form has expired") {
			t.Fatalf("post without the form token: %d", res.Status)
		}
		res = b.post("/account/tokens", url.Values{"name": {"x"}, "days": {"3"}, "csrf_token": {"forged"}})
		if res.Status != http.StatusForbidden {
			t.Fatalf("post with a foreign form token: %d", res.Status)
		}
		after, _ := f.db.APITokens(context.Background(), f.people["hod"])
		if len(after) != len(before) {
			t.Fatal("a forged form made a token")
		}
		res = b.post("/account/tokens", url.Values{"name": {"laptop script"}, "days": {"3"}, "read_only": {"yes"}, "csrf_token": {b.csrf()}})
		if res.Status != http.StatusCreated || !strings.Contains(res.Body, "cbt_") {
			t.Fatalf("post with the form token: %d\n%.400s", res.Status, res.Body)
		}
	})
	t.Run("IdleTimeout", func(t *testing.T) {
		b := newBrowser(t, f)
		b.signIn(f.email(t, "manager"), demo.Password)
		f.db.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
		defer func() { f.db.Now = func() time.Time { return time.Now().UTC() } }()
		if res := b.get("/account"); res.Status != http.StatusSeeOther {
			t.Fatalf("idle session still works: %d", res.Status)
		}
	})
	t.Run("SignOutEverywhere", func(t *testing.T) {
		one, two := newBrowser(t, f), newBrowser(t, f)
		email := f.email(t, "unit_head")
		one.signIn(email, demo.Password)
		two.signIn(email, demo.Password)
		res := one.post("/sign-out/everywhere", url.Values{"csrf_token": {one.csrf()}})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("sign out everywhere: %d", res.Status)
		}
		if res := two.get("/account"); res.Status != http.StatusSeeOther {
			t.Fatalf("the other browser is still signed in: %d", res.Status)
		}
	})
}

func TestTokens(t *testing.T) {
	f := newServer(t, store.SQLite)
	ctx := context.Background()
	t.Run("ErrNoOrBadToken", func(t *testing.T) {
		for _, header := range []string{"", "Bearer", "Bearer cbt_nope", "Basic YWRtaW46eA==", "Bearer " + access.NewAPIToken()} {
			res := f.do(t, "", "GET", "/api/v1/me", "", "", "Authorization", header)
			if res.Status != http.StatusUnauthorized || res.Header.Get("WWW-Authenticate") == "" {
				t.Fatalf("Authorization %q: %d", header, res.Status)
			}
		}
	})
	t.Run("ErrExpired", func(t *testing.T) {
		token := access.NewAPIToken()
		tok := &store.APIToken{PersonID: f.people["lawyer"], Name: "short", ExpiresAt: time.Now().Add(time.Minute)}
		f.db.CreateAPIToken(ctx, tok, access.HashSecret(token))
		if res := send(t, f.ts, "GET", "/api/v1/me", "", "", "Authorization", "Bearer "+token); res.Status != 200 {
			t.Fatalf("fresh token: %d", res.Status)
		}
		f.db.Now = func() time.Time { return time.Now().Add(2 * time.Minute) }
		defer func() { f.db.Now = func() time.Time { return time.Now().UTC() } }()
		if res := send(t, f.ts, "GET", "/api/v1/me", "", "", "Authorization", "Bearer "+token); res.Status != http.StatusUnauthorized {
			t.Fatalf("expired token: %d", res.Status)
		}
	})
	t.Run("RevokedAndReadOnly", func(t *testing.T) {
		res := f.do(t, "admin", "POST", "/api/v1/tokens", "application/json", `{"name":"reader","read_only":true,"expires_in":"24h"}`)
		if res.Status != http.StatusCreated {
			t.Fatalf("create: %d %s", res.Status, res.Body)
		}
		body := res.json(t)
		token := body["token"].(string)
		id := int64(body["detail"].(map[string]any)["id"].(float64))
		res = send(t, f.ts, "POST", "/api/v1/locations", "application/json", `{"code":"post_pe","name":"Lima (Peru)","kind":"overseas_post","country":"PE"}`,
			"Authorization", "Bearer "+token)
		if res.Status != http.StatusForbidden {
			t.Fatalf("a read-only admin token wrote: %d", res.Status)
		}
		res = send(t, f.ts, "POST", "/api/v1/tokens", "application/json", `{"name":"escalate","read_only":false}`, "Authorization", "Bearer "+token)
		if res.Status != http.StatusCreated || res.json(t)["detail"].(map[string]any)["read_only"] != true {
			t.Fatalf("a token made through a read-only token must be read-only: %s", res.Body)
		}
		if res := f.do(t, "admin", "DELETE", "/api/v1/tokens/"+itoa(id), "", ""); res.Status != http.StatusNoContent {
			t.Fatalf("revoke: %d", res.Status)
		}
		if res := send(t, f.ts, "GET", "/api/v1/me", "", "", "Authorization", "Bearer "+token); res.Status != http.StatusUnauthorized {
			t.Fatalf("revoked token: %d", res.Status)
		}
		if res := f.do(t, "lawyer", "DELETE", "/api/v1/tokens/"+itoa(id), "", ""); res.Status != http.StatusNotFound {
			t.Fatalf("revoking someone else's token: %d", res.Status)
		}
	})
	t.Run("ErrUnitOutsideOwn", func(t *testing.T) {
		res := f.do(t, "lawyer", "POST", "/api/v1/tokens", "application/json", `{"name":"x","unit_id":3}`)
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `"field":"unit_id"`) {
			t.Fatalf("%d %s", res.Status, res.Body)
		}
	})
}

func TestScriptAndSQLInTextStoredAndShownEscaped(t *testing.T) {
	f := newServer(t, store.SQLite)
	name := `<script>alert('x')</script>'; DROP TABLE people; --`
	res := f.do(t, "admin", "POST", "/api/v1/locations", "application/json",
		`{"code":"post_pt","name":`+quote(name)+`,"kind":"overseas_post","country":"PT"}`)
	if res.Status != http.StatusCreated || !strings.Contains(res.Body, `\u003cscript\u003e`) {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	page := f.do(t, "lawyer", "GET", "/organisation", "", "")
	if strings.Contains(page.Body, "<script>alert") || !strings.Contains(page.Body, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") {
		t.Fatal("the name was not escaped on the page")
	}
	if people, _ := f.db.People(context.Background(), store.PeopleFilter{Limit: 1}); len(people.People) != 1 {
		t.Fatal("the people table is gone")
	}
}

func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

func (f *fixture) email(t *testing.T, who string) string {
	t.Helper()
	p, err := f.db.Person(context.Background(), f.people[who])
	if err != nil {
		t.Fatal(err)
	}
	return p.Email
}

func sessionCookie(b *browser) string {
	u, _ := url.Parse(b.f.ts.URL)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == "caseboard_session" {
			return c.Value
		}
	}
	return ""
}

func setSession(b *browser, value string) {
	u, _ := url.Parse(b.f.ts.URL)
	b.client.Jar.SetCookies(u, []*http.Cookie{{Name: "caseboard_session", Value: value, Path: "/"}})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestImportUploadForm(t *testing.T) {
	f := newServer(t, store.SQLite)
	b := newBrowser(t, f)
	b.signIn(f.email(t, "hod"), demo.Password)
	page := b.get("/imports/outcomes")
	action := regexp.MustCompile(`action="(/imports/outcomes\?csrf_token=[^"]+)"`).FindStringSubmatch(page.Body)
	if action == nil {
		t.Fatalf("no upload form with its token:\n%.2000s", page.Body)
	}
	upload := func(path, file string) response {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "outcomes.csv")
		fw.Write([]byte(file))
		mw.Close()
		req, _ := http.NewRequest("POST", f.ts.URL+html.UnescapeString(path), &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		res, err := b.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		return response{Status: res.StatusCode, Body: string(raw)}
	}
	good := "case_urn,unit,location,court,defendant_id,principal_offence,finalised_on,outcome\n01PF0000518,organised_crime,petty_france,CC,1,drugs_offences,2018-05-02,guilty_plea\n"
	if res := upload("/imports/outcomes", good); res.Status != http.StatusForbidden {
		t.Fatalf("upload without the form token: %d", res.Status)
	}
	res := upload(action[1], good)
	if res.Status != http.StatusCreated || !strings.Contains(res.Body, "1 added") {
		t.Fatalf("upload: %d\n%.1500s", res.Status, res.Body)
	}
	res = upload(action[1], strings.Replace(good, "guilty_plea", "guilty", 1))
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Problems in outcomes.csv") || !strings.Contains(res.Body, "guilty") {
		t.Fatalf("bad upload: %d\n%.1500s", res.Status, res.Body)
	}
}

func TestCaseForms(t *testing.T) {
	f := newServer(t, store.SQLite)
	b := newBrowser(t, f)
	b.signIn(f.email(t, "lawyer"), demo.Password)
	token := csrfField.FindStringSubmatch(b.get("/cases/1").Body)[1]
	post := func(path string, form url.Values) response {
		form.Set("csrf_token", token)
		return b.post(path, form)
	}
	res := post("/cases/1/defendants", url.Values{"ref": {"RP9"}, "name": {"Cara Example"}, "custody_status": {"on_bail"}, "country": {"ro"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("add defendant: %d\n%.800s", res.Status, res.Body)
	}
	page := b.get(res.Header.Get("Location"))
	if !strings.Contains(page.Body, "Defendant RP9 added") || !strings.Contains(page.Body, "Cara Example") {
		t.Fatalf("case page after adding:\n%.3000s", page.Body)
	}
	res = post("/cases/1/defendants", url.Values{"ref": {""}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "There is a problem") || !strings.Contains(res.Body, "Enter the defendant") {
		t.Fatalf("empty defendant: %d", res.Status)
	}
	res = post("/cases/1/defendants/1/outcome", url.Values{"outcome": {"export_extradition_ordered"}, "finalised_on": {"2016-01-01"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "before the case was opened") {
		t.Fatalf("outcome before opening: %d", res.Status)
	}
	res = post("/cases/1/defendants/1/outcome", url.Values{"outcome": {"export_extradition_ordered"}, "finalised_on": {"2018-02-28"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("outcome: %d\n%.800s", res.Status, res.Body)
	}
	res = post("/cases/1/defendants/1/charges", url.Values{"description": {"Fraud by false representation"}, "in_custody": {"yes"},
		"offence_class": {"either_way"}, "first_appearance": {"2018-01-10"}, "mode_of_trial": {"2018-01-20"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("charge: %d\n%.800s", res.Status, res.Body)
	}
	page = b.get("/cases/1")
	// Summary trial decided within 56 days: 56 days from 10 January 2018
	// is Wednesday 7 March 2018.
	if !strings.Contains(page.Body, "Wednesday 7 March 2018") || !strings.Contains(page.Body, "How this was worked out") {
		t.Fatalf("custody time limit not shown:\n%.4000s", page.Body)
	}
	res = post("/cases/1/defendants/1/charges", url.Values{"description": {"x"}, "in_custody": {"yes"}, "offence_class": {"either_way"}, "first_appearance": {"10/01/2018"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "YYYY-MM-DD") {
		t.Fatalf("bad date: %d", res.Status)
	}
	other := newBrowser(t, f)
	other.signIn(f.email(t, "paralegal"), demo.Password)
	otherToken := csrfField.FindStringSubmatch(other.get("/account").Body)[1]
	res = other.post("/cases/1/defendants", url.Values{"ref": {"X"}, "csrf_token": {otherToken}})
	if res.Status != http.StatusForbidden {
		t.Fatalf("a paralegal of another unit added a defendant: %d", res.Status)
	}
}

func TestSensitiveCaseReachesUnitHead(t *testing.T) {
	f := newServer(t, store.SQLite)
	res := f.do(t, "lawyer", "POST", "/api/v1/cases", "application/json",
		`{"reference":"EX/2026/0001","kind":"extradition","title":"Requested person: a well-known figure","unit_id":2,"location_id":1,`+
			`"status":"received","sensitivity":"official","opened_on":"2026-01-05","sensitive_reason":"High profile: national press interest"}`)
	if res.Status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.Status, res.Body)
	}
	hod := f.do(t, "hod", "GET", "/my-work", "", "")
	if !strings.Contains(hod.Body, "EX/2026/0001") || !strings.Contains(hod.Body, "national press interest") {
		t.Fatalf("the head of division's work list lacks the new sensitive case:\n%.3000s", hod.Body)
	}
	other := f.do(t, "unit_head", "GET", "/my-work", "", "") // head of International: not their unit
	if strings.Contains(other.Body, "EX/2026/0001") || !strings.Contains(other.Body, "No case of your units") {
		t.Fatal("another unit's head was shown the case")
	}
}

func TestEditCaseRefusesStaleSave(t *testing.T) {
	f := newServer(t, store.SQLite)
	first, second := newBrowser(t, f), newBrowser(t, f)
	first.signIn(f.email(t, "lawyer"), demo.Password)
	second.signIn(f.email(t, "lawyer"), demo.Password)
	form := func(b *browser) url.Values {
		page := b.get("/cases/1/edit").Body
		version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)
		token := csrfField.FindStringSubmatch(page)
		if version == nil || token == nil {
			t.Fatalf("edit form lacks its version or token:\n%.2000s", page)
		}
		return url.Values{"version": {version[1]}, "csrf_token": {token[1]}, "status": {"hearing"}, "sensitivity": {"official"}, "country": {"PL"}}
	}
	a, b := form(first), form(second)
	a.Set("title", "Requested person: Adam Example (renamed)")
	if res := first.post("/cases/1/edit", a); res.Status != http.StatusSeeOther {
		t.Fatalf("first save: %d\n%.1000s", res.Status, res.Body)
	}
	b.Set("title", "A stale title")
	res := second.post("/cases/1/edit", b)
	if res.Status != http.StatusConflict || !strings.Contains(res.Body, "changed since you opened it") {
		t.Fatalf("stale save: %d", res.Status)
	}
	if page := first.get("/cases/1").Body; !strings.Contains(page, "(renamed)") || strings.Contains(page, "A stale title") {
		t.Fatal("the first save was lost or the stale one kept")
	}
}

// TestImportProgress follows a long upload while it is read: the page's
// run id is reported on as the rows go by, only to the person importing.
func TestImportProgress(t *testing.T) {
	f := newServer(t, store.SQLite)
	b := newBrowser(t, f)
	b.signIn(f.email(t, "hod"), demo.Password)
	page := b.get("/imports/outcomes")
	action := regexp.MustCompile(`action="(/imports/outcomes\?csrf_token=[^"]+)"`).FindStringSubmatch(page.Body)
	id := regexp.MustCompile(`name="progress" value="([A-Za-z0-9_-]+)"`).FindStringSubmatch(page.Body)
	if action == nil || id == nil {
		t.Fatalf("no upload form with its token and run id:\n%.2000s", page.Body)
	}
	progress := func(b *browser, id string) (int, progressReport) {
		res := b.get("/imports/progress/" + id)
		var p progressReport
		if res.Status == http.StatusOK {
			if err := json.Unmarshal([]byte(res.Body), &p); err != nil {
				t.Fatalf("progress: %v\n%s", err, res.Body)
			}
		}
		return res.Status, p
	}

	// Signed in before the import begins: on SQLite a sign-in is a write,
	// and waits for the import's transaction.
	other := newBrowser(t, f)
	other.signIn(f.email(t, "lawyer"), demo.Password)

	body, sending := io.Pipe()
	mw := multipart.NewWriter(sending)
	answered := make(chan response, 1)
	go func() {
		req, _ := http.NewRequest("POST", f.ts.URL+html.UnescapeString(action[1]), body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		res, err := b.client.Do(req)
		if err != nil {
			answered <- response{Body: err.Error()}
			return
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		answered <- response{Status: res.StatusCode, Body: string(raw)}
	}()
	mw.WriteField("progress", id[1])
	file, _ := mw.CreateFormFile("file", "outcomes.csv")
	fmt.Fprintln(file, "case_urn,unit,location,court,defendant_id,principal_offence,finalised_on,outcome")
	row := func(i int) {
		fmt.Fprintf(file, "01PF%07d18,organised_crime,petty_france,CC,1,drugs_offences,2018-05-02,guilty_plea\n", i)
	}
	for i := range 6000 {
		row(i)
	}
	// The first 5,000 rows are reported while the rest of the file has
	// not yet been sent.
	deadline := time.Now().Add(20 * time.Second)
	for {
		status, p := progress(b, id[1])
		if status == http.StatusOK && p.Rows >= 5000 {
			if p.Done || p.Rows != 5000 {
				t.Fatalf("mid-import: %+v", p)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no progress reported mid-import: %d %+v", status, p)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if status, _ := progress(other, id[1]); status != http.StatusNotFound {
		t.Errorf("someone else asked after the run: %d", status)
	}
	for i := 6000; i < 7000; i++ {
		row(i)
	}
	mw.Close()
	sending.Close()
	res := <-answered
	if res.Status != http.StatusCreated || !strings.Contains(res.Body, "7000 added") {
		t.Fatalf("upload: %d\n%.1500s", res.Status, res.Body)
	}
	if status, p := progress(b, id[1]); status != http.StatusOK || !p.Done || p.Rows != 7000 || p.RowsPerSecond <= 0 {
		t.Errorf("after the import: %d %+v", status, p)
	}
	if status, _ := progress(b, "not-a-run"); status != http.StatusNotFound {
		t.Errorf("unknown run: %d", status)
	}
}

type progressReport struct {
	Rows          int     `json:"rows"`
	RowsPerSecond float64 `json:"rows_per_second"`
	Done          bool    `json:"done"`
}

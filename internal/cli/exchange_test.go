package cli_test

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"caseboard/internal/knowledge"
	"caseboard/internal/mail/smtptest"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func TestImportExportCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CASEBOARD_DB": storetest.DSN(t, store.SQLite)}
	if r := run(t, env, "demo", "--seed", "5"); r.code != 0 {
		t.Fatalf("demo: %+v", r)
	}
	hod := ""
	for _, line := range strings.Split(run(t, env, "user", "list").stdout, "\n") {
		if strings.Contains(line, "head_of_division") {
			hod = strings.Fields(line)[0]
		}
	}
	if hod == "" {
		t.Fatal("no head of division in the user list")
	}
	exported := filepath.Join(dir, "outcomes.xlsx")
	if r := run(t, env, "export", "outcomes", "--as", hod, "--format", "xlsx", "--unit", "extradition", "--from", "2017-04-01", "--to", "2018-03-31", "--output", exported); r.code != 0 {
		t.Fatalf("export: %+v", r)
	}
	r := run(t, env, "import", "outcomes", exported, "--as", hod)
	if r.code != 0 || !strings.Contains(r.stdout, "2086 rows read, 0 added, 0 changed, 2086 unchanged") {
		t.Fatalf("re-import of 2017-18 extradition: %+v", r)
	}
	casesFile := filepath.Join(dir, "cases.csv")
	if r := run(t, env, "export", "cases", "--as", hod, "--output", casesFile); r.code != 0 {
		t.Fatalf("export cases: %+v", r)
	}
	r = run(t, env, "import", "cases", casesFile, "--as", hod)
	if r.code != 0 || !strings.Contains(r.stdout, " 0 added, 0 changed, ") || !strings.Contains(r.stdout, " 0 rejected") {
		t.Fatalf("re-import of every case: %+v", r)
	}
	risksFile := filepath.Join(dir, "risks.xlsx")
	if r := run(t, env, "export", "risks", "--as", hod, "--format", "xlsx", "--output", risksFile); r.code != 0 {
		t.Fatalf("export risks: %+v", r)
	}
	// The register's own export names every risk by its reference: it
	// brings each up to date, and none has changed.
	r = run(t, env, "import", "risks", risksFile, "--as", hod)
	if r.code != 0 || !strings.Contains(r.stdout, " 0 added, 0 changed, ") || !strings.Contains(r.stdout, " 0 rejected") {
		t.Fatalf("re-import of the register into itself: %+v", r)
	}
	if r := run(t, env, "report", "verify"); r.code != 0 {
		t.Fatalf("report verify after the re-import: %+v", r)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("case_urn,unit,location,court,defendant_id,principal_offence,finalised_on,outcome\n"+
		"01PF9999918,organised_crime,petty_france,CC,1,drugs_offences,2018-05-02,guilty_plea\n"+
		"01PF9999918,organised_crime,petty_france,CC,2,drugs_offences,2018-05-02,=cmd|' /C calc'!A0\n"), 0o600)
	r = run(t, env, "import", "outcomes", bad, "--as", hod)
	if r.code != 1 || !strings.Contains(r.stderr, "row 3, column outcome") || !strings.Contains(r.stderr, "Nothing was imported") {
		t.Fatalf("bad file: %+v", r)
	}
	r = run(t, env, "import", "outcomes", bad, "--as", hod, "--skip-invalid")
	if r.code != 0 || !strings.Contains(r.stdout, "1 added") || !strings.Contains(r.stdout, "1 rejected") {
		t.Fatalf("skip invalid: %+v", r)
	}
	rejects, err := os.ReadFile(bad + ".rejects.csv")
	if err != nil || !strings.Contains(string(rejects), `'=cmd|`) {
		t.Fatalf("rejects file (formula must be neutralised): %q %v", rejects, err)
	}
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"import", "outcomes", bad}, 2},
		{[]string{"import", "risks", bad, "--as", hod, "--skip-invalid"}, 2},
		{[]string{"import", "knowledge-base", bad, "--as", hod}, 2},
		{[]string{"import", "outcomes", filepath.Join(dir, "missing.csv"), "--as", hod}, 1},
		{[]string{"export", "outcomes", "--as", hod, "--format", "pdf"}, 2},
		{[]string{"export", "outcomes", "--as", "nobody@caseboard.example"}, 1},
	} {
		if r := run(t, env, tc.args...); r.code != tc.code {
			t.Errorf("%v: exit %d, want %d (%s)", tc.args, r.code, tc.code, r.stderr)
		}
	}
}

func TestDigest(t *testing.T) {
	env := map[string]string{"CASEBOARD_DB": storetest.DSN(t, store.SQLite), "CASEBOARD_BASE_URL": "https://caseboard.example.org"}
	demoOut := run(t, env, "demo").stdout
	hod := demoOut[strings.LastIndex(demoOut, " is ")+4:]
	hod = strings.TrimSpace(hod)
	r := run(t, env, "digest", "--as", "admin@caseboard.example", "--days", "3")
	if r.code != 0 || !strings.Contains(r.stdout, "Subject: caseboard: your deadlines") || !strings.Contains(r.stdout, "Your cases: 0 items") {
		t.Fatalf("digest: %+v", r)
	}
	// The head of division manages everyone: their team's list holds the
	// demo's remanded defendants whose limits end within the year.
	r = run(t, env, "digest", "--as", hod, "--days", "366")
	if r.code != 0 || !strings.Contains(r.stdout, "Your team's cases:") || !strings.Contains(r.stdout, "due in") ||
		!strings.Contains(r.stdout, "https://caseboard.example.org/cases/") || !strings.Contains(r.stdout, ": Custody time limit: ") ||
		!strings.Contains(r.stdout, ": Direction: ") {
		t.Fatalf("head of division's digest: %+v", r)
	}
	// The demo leaves national leads with questions to answer: the digest
	// of one of them lists theirs, with a link to the help page.
	if email := openQuestionHolder(t, env["CASEBOARD_DB"]); email != "" {
		r = run(t, env, "digest", "--as", email, "--days", "0")
		if r.code != 0 || !strings.Contains(r.stdout, "Questions for you to answer: ") ||
			!strings.Contains(r.stdout, "https://caseboard.example.org/knowledge/help#answer-") {
			t.Fatalf("a national lead's digest: %+v", r)
		}
	} else {
		t.Fatal("the demo left no question open")
	}
	if r := run(t, env, "digest", "--as", "admin@caseboard.example", "--days", "-1"); r.code != 2 {
		t.Fatalf("bad --days: %+v", r)
	}

	t.Run("Send", func(t *testing.T) {
		relay := smtptest.New(t)
		if r := run(t, env, "digest", "--all", "--send"); r.code != 2 || !strings.Contains(r.stderr, "--smtp-addr") {
			t.Fatalf("send with no relay: %+v", r)
		}
		if r := run(t, env, "digest", "--all"); r.code != 2 {
			t.Fatalf("--all without --send: %+v", r)
		}
		env := maps.Clone(env)
		env["CASEBOARD_SMTP_ADDR"], env["CASEBOARD_SMTP_FROM"] = relay.Addr, "caseboard <caseboard@cps.example>"
		r := run(t, env, "digest", "--as", "admin@caseboard.example", "--send")
		if r.code != 0 || !strings.Contains(r.stdout, "sent 0 digests") || len(relay.Messages()) != 0 {
			t.Fatalf("a digest with nothing due was sent: %+v", r)
		}
		r = run(t, env, "digest", "--as", hod, "--send", "--days", "366")
		got := relay.Messages()
		if r.code != 0 || !strings.Contains(r.stdout, "sent 1 digest ") || len(got) != 1 || got[0].To[0] != hod ||
			!strings.Contains(got[0].Data, "Subject: caseboard: your deadlines for ") || !strings.Contains(got[0].Data, "Your team's cases:") {
			t.Fatalf("head of division's digest by email: %+v %+v", r, got)
		}
		r = run(t, env, "digest", "--all", "--send")
		if r.code != 0 || len(relay.Messages()) < 10 {
			t.Fatalf("everyone's digests: %+v, %d messages", r, len(relay.Messages()))
		}
	})
}

// openQuestionHolder is the email of someone with an open question to
// answer, or empty.
func openQuestionHolder(t *testing.T, dsn string) string {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	admin, err := db.AccountByEmail(ctx, "admin@caseboard.example")
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.Principal(ctx, admin.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	open, err := db.HelpRequests(ctx, p, store.HelpFilter{Status: knowledge.HelpOpen})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range open {
		if h.AssigneeID != nil {
			holder, err := db.Principal(ctx, *h.AssigneeID)
			if err != nil {
				t.Fatal(err)
			}
			return holder.Email
		}
	}
	return ""
}

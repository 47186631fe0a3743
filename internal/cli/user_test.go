package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/cli"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func runWithInput(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Main(context.Background(), args, cli.Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return env[k] },
	})
	return result{code, out.String(), errOut.String()}
}

func TestUserCommands(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			env := map[string]string{"CASEBOARD_DB": dsn}
			add := []string{"user", "add", "--email", "Robin.Admin@caseboard.example", "--name", "Robin Admin",
				"--role", "administrator", "--role", "legal_manager", "--unit", "extradition", "--unit", "organised_crime", "--password-stdin"}

			t.Run("ErrWeakPassword", func(t *testing.T) {
				r := runWithInput(t, env, "password1234\n", add...)
				if r.code != 1 || !strings.Contains(r.stderr, "common") {
					t.Fatalf("%+v", r)
				}
				if r := run(t, env, "user", "list", "--format", "json"); strings.Contains(r.stdout, "robin") {
					t.Fatal("a refused add wrote an account")
				}
			})
			t.Run("ErrNoTerminal", func(t *testing.T) {
				r := runWithInput(t, env, "", add[:len(add)-1]...)
				if r.code != 2 || !strings.Contains(r.stderr, "--password-stdin") {
					t.Fatalf("%+v", r)
				}
			})
			if r := runWithInput(t, env, "tangerine walrus quarry\n", add...); r.code != 0 {
				t.Fatalf("add: %+v", r)
			}
			if r := runWithInput(t, env, "tangerine walrus quarry\n", add...); r.code != 1 || !strings.Contains(r.stderr, "already exists") {
				t.Fatalf("second add: %+v", r)
			}
			r := run(t, env, "user", "list", "--format", "json")
			var listed store.AccountSummary
			if err := json.Unmarshal([]byte(strings.TrimSpace(r.stdout)), &listed); err != nil {
				t.Fatalf("list: %v\n%s", err, r.stdout)
			}
			if listed.Email != "robin.admin@caseboard.example" || listed.UnitCode != "extradition" || len(listed.Roles) != 2 || !listed.Password {
				t.Fatalf("listed %+v", listed)
			}
			email := []string{"--email", "robin.admin@caseboard.example"}
			if r := run(t, env, append([]string{"user", "grant", "--role", "inspector"}, email...)...); r.code != 0 {
				t.Fatalf("grant: %+v", r)
			}
			if r := run(t, env, append([]string{"user", "grant", "--role", "emperor"}, email...)...); r.code != 1 || !strings.Contains(r.stderr, "not a role") {
				t.Fatalf("grant unknown role: %+v", r)
			}
			if r := run(t, env, append([]string{"user", "revoke", "--role", "legal_manager"}, email...)...); r.code != 0 {
				t.Fatalf("revoke: %+v", r)
			}
			r = run(t, env, append([]string{"user", "token", "--read-only", "--unit", "organised_crime", "--expires", "48h"}, email...)...)
			token := strings.TrimSpace(r.stdout)
			if r.code != 0 || !strings.HasPrefix(token, "cbt_") {
				t.Fatalf("token: %+v", r)
			}
			if r := run(t, env, append([]string{"user", "token", "--unit", "international"}, email...)...); r.code != 1 {
				t.Fatalf("token for a unit not theirs: %+v", r)
			}
			db, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			p, err := db.TokenPrincipal(context.Background(), access.HashSecret(token))
			if err != nil || !p.Token.ReadOnly || p.Token.UnitID == nil || !p.Has(access.Inspector) || p.Has(access.LegalManager) || len(p.Units) != 2 {
				t.Fatalf("token principal %+v (err %v)", p, err)
			}
			if r := run(t, env, append([]string{"user", "disable"}, email...)...); r.code != 0 {
				t.Fatalf("disable: %+v", r)
			}
			// The command ran as another process would: a server sees its
			// change once the principal cache's time to live has passed.
			db.Now = func() time.Time { return time.Now().Add(store.DefaultPrincipalTTL) }
			if _, err := db.TokenPrincipal(context.Background(), access.HashSecret(token)); err == nil {
				t.Fatal("a disabled account's token still works")
			}
			if r := runWithInput(t, env, "tangerine walrus quarry two\n", append([]string{"user", "reset-password", "--password-stdin"}, email...)...); r.code != 0 {
				t.Fatalf("reset: %+v", r)
			}
			if r := run(t, env, "user", "disable", "--email", "nobody@caseboard.example"); r.code != 1 {
				t.Fatalf("disable nobody: %+v", r)
			}
			if r := run(t, env, "user", "frob"); r.code != 2 {
				t.Fatalf("unknown subcommand: %+v", r)
			}
		})
	}
}

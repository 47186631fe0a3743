package access_test

import (
	"testing"

	"caseboard/internal/access"
)

// FuzzParseSessionSecret: the cookie parser accepts exactly the secrets the
// package makes: 43 base64url characters encoding 32 bytes.
func FuzzParseSessionSecret(f *testing.F) {
	f.Add(access.NewSessionSecret())
	f.Add("")
	f.Add("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Add("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")
	f.Fuzz(func(t *testing.T, s string) {
		hash, ok := access.ParseSessionSecret(s)
		if !ok {
			return
		}
		if len(s) != 43 || hash != access.HashSecret(s) {
			t.Fatalf("accepted %q", s)
		}
	})
}

// FuzzParseAPIToken: only cbt_ followed by a well-formed secret passes.
func FuzzParseAPIToken(f *testing.F) {
	f.Add(access.NewAPIToken())
	f.Add("cbt_")
	f.Add("Bearer cbt_x")
	f.Fuzz(func(t *testing.T, s string) {
		if _, ok := access.ParseAPIToken(s); ok && (len(s) != 47 || s[:4] != "cbt_") {
			t.Fatalf("accepted %q", s)
		}
	})
}

// FuzzParseHash: a stored hash, however mangled, is parsed or refused
// without panicking, and accepted parameters stay within bounds.
func FuzzParseHash(f *testing.F) {
	f.Add("$argon2id$v=19$m=65536,t=2,p=2$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U")
	f.Add("$argon2id$v=19$m=1,t=1,p=1$$")
	f.Add("$argon2i$v=19$m=65536,t=2,p=2$x$y")
	f.Fuzz(func(t *testing.T, s string) {
		p, salt, key, err := access.ParseHash(s)
		if err != nil {
			return
		}
		if p.Memory > 1024*1024 || p.Time > 16 || p.Threads > 16 || len(salt) < 8 || len(key) < 16 {
			t.Fatalf("out-of-bounds hash accepted: %+v", p)
		}
	})
}

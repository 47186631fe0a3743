package access

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"caseboard/internal/fault"
)

// Argon2Params are the argon2id cost settings. Hashes carry the parameters
// they were made with, so raising them later leaves old hashes verifiable.
type Argon2Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	SaltLen uint32
	KeyLen  uint32
}

// DefaultArgon2 costs 64 MiB and two passes: above OWASP's minimum for
// argon2id, and measured in docs/benchmarks.md to stay under 250 ms a sign-in.
var DefaultArgon2 = Argon2Params{Memory: 64 * 1024, Time: 2, Threads: 2, SaltLen: 16, KeyLen: 32}

// MinPasswordLength follows the NCSC's advice to prefer length (for
// example three random words) over composition rules.
const MinPasswordLength = 12

// maxPasswordLength bounds the work a very long password can cause.
const maxPasswordLength = 256

// hashSlots bounds how many argon2id hashes run at once, so a burst of
// sign-ins queues instead of exhausting memory (each costs Memory KiB).
var hashSlots = make(chan struct{}, 4)

// HashPassword returns the PHC-format argon2id hash of a password, with a
// fresh random salt.
func HashPassword(ctx context.Context, password string, params Argon2Params) (string, error) {
	salt := make([]byte, params.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := derive(ctx, password, salt, params)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, params.Memory, params.Time, params.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

func derive(ctx context.Context, password string, salt []byte, params Argon2Params) ([]byte, error) {
	select {
	case hashSlots <- struct{}{}:
	case <-ctx.Done():
		return nil, &fault.Error{Code: fault.Unavailable, Message: "Too many people are signing in at once; try again in a moment", Err: ctx.Err()}
	}
	defer func() { <-hashSlots }()
	return argon2.IDKey([]byte(password), salt, params.Time, params.Memory, params.Threads, params.KeyLen), nil
}

// VerifyPassword reports whether password matches an encoded hash. A
// malformed hash is an error, not a mismatch, so it is noticed.
func VerifyPassword(ctx context.Context, password, encoded string) (bool, error) {
	params, salt, want, err := ParseHash(encoded)
	if err != nil {
		return false, err
	}
	if len(password) > maxPasswordLength {
		return false, nil
	}
	got, err := derive(ctx, password, salt, params)
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// ParseHash reads a PHC-format argon2id hash. Costs beyond sane bounds are
// refused, so a tampered hash cannot make verification exhaust memory.
func ParseHash(encoded string) (Argon2Params, []byte, []byte, error) {
	var p Argon2Params
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, fmt.Errorf("password hash: not an argon2id PHC string")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, fmt.Errorf("password hash: unsupported version %q", parts[2])
	}
	var m, t, threads uint64
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &threads); err != nil || n != 3 ||
		fmt.Sprintf("m=%d,t=%d,p=%d", m, t, threads) != parts[3] {
		return p, nil, nil, fmt.Errorf("password hash: bad parameters %q", parts[3])
	}
	if m < 8*1024 || m > 1024*1024 || t < 1 || t > 16 || threads < 1 || threads > 16 {
		return p, nil, nil, fmt.Errorf("password hash: parameters out of bounds %q", parts[3])
	}
	salt, err := base64.RawStdEncoding.Strict().DecodeString(parts[4])
	if err != nil || len(salt) < 8 || len(salt) > 64 {
		return p, nil, nil, fmt.Errorf("password hash: bad salt")
	}
	key, err := base64.RawStdEncoding.Strict().DecodeString(parts[5])
	if err != nil || len(key) < 16 || len(key) > 64 {
		return p, nil, nil, fmt.Errorf("password hash: bad key")
	}
	p = Argon2Params{Memory: uint32(m), Time: uint32(t), Threads: uint8(threads), SaltLen: uint32(len(salt)), KeyLen: uint32(len(key))}
	return p, salt, key, nil
}

// CheckNewPassword says what is wrong with a password someone wants to
// set, or returns nil. It refuses short passwords, very common ones and
// ones built from the person's own name or email.
func CheckNewPassword(password, name, email string) error {
	problem := ""
	lower := strings.ToLower(password)
	switch {
	case utf8.RuneCountInString(password) < MinPasswordLength:
		problem = fmt.Sprintf("Password must be %d characters or more; three random words make a strong one", MinPasswordLength)
	case len(password) > maxPasswordLength:
		problem = fmt.Sprintf("Password must be %d characters or fewer", maxPasswordLength)
	case isCommonPassword(lower):
		problem = "This password is on a list of passwords that are common or have been leaked; choose another"
	case containsPersonal(lower, name, email):
		problem = "Password must not contain your name or email address"
	}
	if problem == "" {
		return nil
	}
	return &fault.Error{Code: fault.Invalid, Message: "The password cannot be used",
		Fields: []fault.FieldError{{Field: "password", Message: problem}}}
}

func containsPersonal(lowerPassword, name, email string) bool {
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	parts := append(strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return r == ' ' || r == '-' || r == '\'' }),
		strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '_' || r == '-' })...)
	return slices.ContainsFunc(parts, func(part string) bool {
		return utf8.RuneCountInString(part) >= 4 && strings.Contains(lowerPassword, part)
	})
}

//go:embed common-passwords.txt.gz
var commonPasswordsGz []byte

var commonPasswords = sync.OnceValue(func() []string {
	zr, err := gzip.NewReader(bytes.NewReader(commonPasswordsGz))
	if err != nil {
		panic("access: embedded common password list is corrupt: " + err.Error())
	}
	var list []string
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		list = append(list, sc.Text())
	}
	slices.Sort(list) // sorted already; sorting again guards the binary search
	return list
})

func isCommonPassword(lower string) bool {
	_, found := slices.BinarySearch(commonPasswords(), lower)
	return found
}

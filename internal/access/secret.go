package access

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// Secrets handed to clients (session cookies, API tokens) are 32 random
// bytes, base64url-encoded. The database keeps only their SHA-256, so a
// copy of the database lets nobody act as anyone. A plain hash suffices:
// unlike passwords, the secrets have 256 bits of entropy.

// APITokenPrefix marks caseboard API tokens, so secret scanners and people
// can recognise one that leaks.
const APITokenPrefix = "cbt_"

const secretBytes = 32

var secretLen = base64.RawURLEncoding.EncodedLen(secretBytes)

// NewSessionSecret returns a new session cookie value.
func NewSessionSecret() string { return randomSecret() }

// NewAPIToken returns a new API token.
func NewAPIToken() string { return APITokenPrefix + randomSecret() }

func randomSecret() string {
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		panic("access: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// ParseSessionSecret checks a session cookie's value and returns the hash
// the database stores for it. Anything that is not exactly a secret this
// package made is refused without touching the database.
func ParseSessionSecret(value string) (hash string, ok bool) {
	if !isSecret(value) {
		return "", false
	}
	return HashSecret(value), true
}

// ParseAPIToken checks a bearer token's shape and returns its stored hash.
func ParseAPIToken(token string) (hash string, ok bool) {
	rest, found := strings.CutPrefix(token, APITokenPrefix)
	if !found || !isSecret(rest) {
		return "", false
	}
	return HashSecret(token), true
}

func isSecret(s string) bool {
	if len(s) != secretLen {
		return false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	return err == nil && len(b) == secretBytes
}

// HashSecret is the stored form of a secret.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

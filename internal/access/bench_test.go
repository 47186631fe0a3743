package access_test

import (
	"context"
	"sync"
	"testing"

	"caseboard/internal/access"
)

// BenchmarkSignInHash is the cost of checking one password with the
// default argon2id parameters: most of a sign-in's time.
func BenchmarkSignInHash(b *testing.B) {
	ctx := context.Background()
	hash, err := access.HashPassword(ctx, "lantern orchard pebble", access.DefaultArgon2)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if ok, _ := access.VerifyPassword(ctx, "lantern orchard pebble", hash); !ok {
			b.Fatal("mismatch")
		}
	}
}

// BenchmarkSignInBurst checks 16 passwords at once: hashing is bounded to
// four at a time, so memory stays at four times the argon2 memory cost.
func BenchmarkSignInBurst(b *testing.B) {
	ctx := context.Background()
	hash, _ := access.HashPassword(ctx, "lantern orchard pebble", access.DefaultArgon2)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var wg sync.WaitGroup
		for j := 0; j < 16; j++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				access.VerifyPassword(ctx, "lantern orchard pebble", hash)
			}()
		}
		wg.Wait()
	}
}

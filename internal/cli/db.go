package cli

import (
	"context"
	"fmt"

	"caseboard/internal/config"
	"caseboard/internal/store"
)

// openMigrated opens the configured database and brings it up to date:
// schema migrations, then the starting organisation for a new database.
func openMigrated(ctx context.Context, cfg *config.Config) (*store.DB, []int, error) {
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("migrate: %w", err)
	}
	if _, err := db.SeedOrganisation(ctx); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("seed organisation: %w", err)
	}
	return db, applied, nil
}

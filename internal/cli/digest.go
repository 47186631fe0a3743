package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/config"
	"caseboard/internal/store"
)

func runDigest(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "digest", "digest --as EMAIL [--days 7] [--output FILE]")
	load := config.Register(fs, env.Getenv, "db", "base-url")
	as := fs.String("as", "", "email of the person whose digest it is")
	days := fs.Int("days", 7, "list limits due within this many days, and every overdue one")
	output := fs.String("output", "", "write to this file instead of standard output")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *days < 0 || *days > 366 {
		return usagef("digest: --days is from 0 to 366")
	}
	cfg, err := load()
	if err != nil {
		return usagef("digest: %v", err)
	}
	db, p, err := openAs(ctx, cfg, *as)
	if err != nil {
		return err
	}
	defer db.Close()
	return writeOutput(env, *output, func(w *os.File) error {
		return writeDigest(ctx, w, db, p, *days, cfg.BaseURL, time.Now())
	})
}

// writeDigest writes a person's daily digest as plain text, ready to send
// by email: what is due on their cases within days (custody time limits,
// directions, document reviews) and everything overdue, then their team's.
func writeDigest(ctx context.Context, w io.Writer, db *store.DB, p *access.Principal, days int, baseURL string, now time.Time) error {
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	horizon := today.AddDate(0, 0, days)
	fmt.Fprintf(w, "Subject: caseboard: your deadlines for %s\n\n%s,\n\n", today.Format("Monday 2 January 2006"), p.Name)
	for _, section := range []struct {
		title  string
		people []int64
	}{{"Your cases", []int64{p.PersonID}}, {"Your team's cases", p.Reports}} {
		if len(section.people) == 0 {
			continue
		}
		all, err := db.Deadlines(ctx, p, section.people, 500)
		if err != nil {
			return err
		}
		var due []store.Deadline
		for _, dl := range all {
			if !dl.Due.After(horizon) {
				due = append(due, dl)
			}
		}
		fmt.Fprintf(w, "%s: %d item%s due by %s or overdue\n%s\n", section.title, len(due), plural(len(due)),
			horizon.Format("2 January"), strings.Repeat("-", 60))
		for _, dl := range due {
			fmt.Fprintf(w, "%-12s %-22s %s: %s\n", dl.Due.Format("2 Jan 2006"), when(dl.Due, today), dl.Reference, dl.What)
			if baseURL != "" {
				fmt.Fprintf(w, "%35s%s/cases/%d\n", "", baseURL, dl.CaseID)
			}
		}
		if len(due) == 0 {
			fmt.Fprintln(w, "Nothing due.")
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "An expired custody time limit gives the defendant an immediate right to bail: apply to extend before it ends.")
	return nil
}

func when(due, today time.Time) string {
	days := int(due.Sub(today).Hours() / 24)
	switch {
	case days < 0:
		return fmt.Sprintf("OVERDUE by %d day%s", -days, plural(-days))
	case days == 0:
		return "due TODAY"
	}
	return fmt.Sprintf("due in %d day%s", days, plural(days))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

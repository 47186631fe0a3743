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
	"caseboard/internal/mail"
	"caseboard/internal/store"
)

func runDigest(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "digest", "digest (--as EMAIL | --all --send) [--days 7] [--send] [--output FILE]")
	load := config.Register(fs, env.Getenv, "db", "base-url", "smtp-addr", "smtp-from", "smtp-user", "smtp-password")
	as := fs.String("as", "", "email of the person whose digest it is")
	all := fs.Bool("all", false, "everyone with an account and something due (with --send)")
	send := fs.Bool("send", false, "send by email through --smtp-addr instead of writing it out; a digest with nothing due is not sent")
	days := fs.Int("days", 7, "list items due within this many days, and every overdue one")
	output := fs.String("output", "", "write to this file instead of standard output")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *days < 0 || *days > 366 {
		return usagef("digest: --days is from 0 to 366")
	}
	if *all == (*as != "") || (*all && !*send) {
		return usagef("digest: give --as EMAIL, or --all with --send")
	}
	cfg, err := load()
	if err != nil {
		return usagef("digest: %v", err)
	}
	sender := &mail.Sender{Addr: cfg.SMTPAddr, From: cfg.SMTPFrom, User: cfg.SMTPUser, Password: cfg.SMTPPassword}
	if *send {
		if !sender.Configured() {
			return usagef("digest: --send needs an SMTP relay: set --smtp-addr or CASEBOARD_SMTP_ADDR")
		}
		if err := sender.Check(); err != nil {
			return usagef("digest: %v", err)
		}
	}
	db, _, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if !*send {
		p, err := principalByEmail(ctx, db, *as)
		if err != nil {
			return err
		}
		return writeOutput(env, *output, func(w *os.File) error {
			_, err := writeDigest(ctx, w, db, p, *days, cfg.BaseURL, time.Now())
			return err
		})
	}
	return sendDigests(ctx, env, db, sender, *as, *days, cfg.BaseURL)
}

// sendDigests emails the digest of the person with the email, or of
// everyone with a live account when email is empty, skipping those with
// nothing due. One failed recipient does not stop the others; the command
// fails if any did.
func sendDigests(ctx context.Context, env Env, db *store.DB, sender *mail.Sender, email string, days int, baseURL string) error {
	emails := []string{email}
	if email == "" {
		accounts, err := db.Accounts(ctx)
		if err != nil {
			return err
		}
		emails = emails[:0]
		for _, a := range accounts {
			if !a.Disabled {
				emails = append(emails, a.Email)
			}
		}
	}
	sent, failed := 0, 0
	for _, to := range emails {
		p, err := principalByEmail(ctx, db, to)
		if err != nil {
			if email != "" {
				return err
			}
			continue // an account whose person has left
		}
		var body strings.Builder
		items, err := writeDigest(ctx, &body, db, p, days, baseURL, time.Now())
		if err != nil {
			return err
		}
		if items == 0 {
			continue
		}
		subject, text, _ := strings.Cut(body.String(), "\n\n")
		if err := sender.Send(mail.Message{To: p.Name + " <" + p.Email + ">", Subject: strings.TrimPrefix(subject, "Subject: "), Body: text}); err != nil {
			fmt.Fprintf(env.Stderr, "digest: %v\n", err)
			failed++
			continue
		}
		sent++
	}
	fmt.Fprintf(env.Stdout, "sent %d digest%s through %s\n", sent, plural(sent), sender.Addr)
	if failed > 0 {
		return fmt.Errorf("%d digest%s could not be sent", failed, plural(failed))
	}
	return nil
}

// writeDigest writes a person's daily digest as plain text, ready to send
// by email: what is due on their cases within days (custody time limits,
// directions, document reviews) and everything overdue, then their team's,
// then the specialists' questions waiting for their answer.
// It returns how many items it listed.
func writeDigest(ctx context.Context, w io.Writer, db *store.DB, p *access.Principal, days int, baseURL string, now time.Time) (int, error) {
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	horizon := today.AddDate(0, 0, days)
	items := 0
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
			return 0, err
		}
		var due []store.Deadline
		for _, dl := range all {
			if !dl.Due.After(horizon) {
				due = append(due, dl)
			}
		}
		items += len(due)
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
	n, err := writeQuestions(ctx, w, db, p, baseURL, today)
	if err != nil {
		return 0, err
	}
	items += n
	fmt.Fprintln(w, "An expired custody time limit gives the defendant an immediate right to bail: apply to extend before it ends.")
	return items, nil
}

// writeQuestions lists the specialists' questions allocated to the person
// and not yet answered, whatever their answer-by date: a question waits on
// nobody else. Nothing is written when there are none.
func writeQuestions(ctx context.Context, w io.Writer, db *store.DB, p *access.Principal, baseURL string, today time.Time) (int, error) {
	questions, err := db.QuestionsToAnswer(ctx, p, p.PersonID)
	if err != nil || len(questions) == 0 {
		return 0, err
	}
	fmt.Fprintf(w, "Questions for you to answer: %d\n%s\n", len(questions), strings.Repeat("-", 60))
	for _, h := range questions {
		fmt.Fprintf(w, "%-12s %-22s %s (%s, %s, from %s)\n", h.AnswerBy.Format("2 Jan 2006"), when(h.AnswerBy, today), h.Topic,
			h.SpecialismName, h.Urgency, h.AskerName)
		if baseURL != "" {
			fmt.Fprintf(w, "%35s%s/knowledge/help#answer-%d\n", "", baseURL, h.ID)
		}
	}
	fmt.Fprintln(w)
	return len(questions), nil
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

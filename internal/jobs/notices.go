package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"caseboard/internal/knowledge"
	"caseboard/internal/mail"
	"caseboard/internal/store"
)

// noticeBatch is how many notices one tick sends at most; the rest wait
// for the next tick.
const noticeBatch = 100

// noticeLease is how long a claimed notice is held by the instance that
// claimed it before another may try it.
const noticeLease = 5 * time.Minute

// MailNotices sends the queued email notices (a question allocated to
// someone) through the relay. Without a relay each notice is recorded as
// not sent, so the queue does not grow for a service that sends no mail.
func MailNotices(db *store.DB, sender *mail.Sender, baseURL string) Task {
	return Task{Name: "mail_notices", Run: func(ctx context.Context) (int, error) {
		notices, err := db.ClaimNotices(ctx, noticeBatch, noticeLease)
		if err != nil {
			return 0, err
		}
		done := 0
		var failures []error
		for _, n := range notices {
			if err := sendNotice(ctx, db, sender, baseURL, n); err != nil {
				failures = append(failures, fmt.Errorf("notice %d to %s: %w", n.ID, n.Email, err))
				continue
			}
			done++
		}
		return done, errors.Join(failures...)
	}}
}

// sendNotice composes and sends one notice, and records how it ended. It
// returns an error only when the outcome could not be recorded or the
// relay refused (the notice is then tried again later).
func sendNotice(ctx context.Context, db *store.DB, sender *mail.Sender, baseURL string, n store.Notice) error {
	if !sender.Configured() {
		return db.NoticeSkipped(ctx, n.ID, "no SMTP relay is configured")
	}
	switch n.Kind {
	case store.NoticeHelpAllocated:
		h, err := db.HelpRequestForNotice(ctx, n.RecordID)
		if err != nil {
			return err
		}
		// The question may have moved on while the notice waited.
		if h.Status != knowledge.HelpOpen {
			return db.NoticeSkipped(ctx, n.ID, "the question was answered first")
		}
		if h.AssigneeID == nil || *h.AssigneeID != n.PersonID {
			return db.NoticeSkipped(ctx, n.ID, "the question was allocated to someone else first")
		}
		subject, body := knowledge.AllocationNotice(h, baseURL)
		if err := sender.Send(mail.Message{To: n.Name + " <" + n.Email + ">", Subject: subject, Body: body}); err != nil {
			if recordErr := db.NoticeFailed(ctx, n.ID, err); recordErr != nil {
				return errors.Join(err, recordErr)
			}
			return err
		}
		return db.NoticeSent(ctx, n.ID)
	default:
		return db.NoticeSkipped(ctx, n.ID, "unknown kind "+n.Kind)
	}
}

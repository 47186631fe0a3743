package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/deadline"
	"caseboard/internal/demo"
	"caseboard/internal/jobs"
	"caseboard/internal/knowledge"
	"caseboard/internal/mail"
	"caseboard/internal/mail/smtptest"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// noticeWorld is a division with a two-person queue for European arrest
// warrants and a lawyer who asks it questions.
type noticeWorld struct {
	db                  *store.DB
	lead, deputy, asker *access.Principal
	today               deadline.Date
}

func newNoticeWorld(t *testing.T, db *store.DB) noticeWorld {
	t.Helper()
	ctx := context.Background()
	if _, err := db.SeedOrganisation(ctx); err != nil {
		t.Fatal(err)
	}
	chart := demo.Division(3)
	if _, err := db.LoadChart(ctx, chart, "test"); err != nil {
		t.Fatal(err)
	}
	byGrade := func(grade, unit string) *access.Principal {
		for _, p := range chart.People {
			if string(p.Grade) == grade && p.UnitCode == unit {
				return storetest.Principal(t, db, p.Email)
			}
		}
		t.Fatalf("no %s in %s", grade, unit)
		return nil
	}
	w := noticeWorld{db: db, today: deadline.DateOf(time.Now().UTC()),
		lead: byGrade("legal_manager_2", "extradition"), deputy: byGrade("specialist_prosecutor", "extradition"),
		asker: byGrade("senior_crown_prosecutor", "organised_crime")}
	admin := storetest.Principal(t, db, "admin@caseboard.example")
	sp := knowledge.Specialism{Code: "eaw", Name: "European arrest warrants", LeadID: &w.lead.PersonID, DeputyID: &w.deputy.PersonID}
	if err := db.SaveSpecialism(ctx, admin, &sp); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w noticeWorld) ask(t *testing.T, topic string) knowledge.HelpRequest {
	t.Helper()
	h := knowledge.HelpRequest{Specialism: "eaw", Topic: topic, Question: "Is the Portuguese warrant's conduct described well enough? Case 01XX1234567.",
		CaseRef: "01XX1234567", Urgency: knowledge.Urgent}
	if err := w.db.AskForHelp(context.Background(), w.asker, &h, w.today); err != nil {
		t.Fatal(err)
	}
	return h
}

func tick(t *testing.T, db *store.DB, sender *mail.Sender) {
	t.Helper()
	s := jobs.NewScheduler(db, slog.New(slog.NewTextHandler(io.Discard, nil)), "test")
	s.AddTask(jobs.MailNotices(db, sender, "https://caseboard.example.org"))
	s.RunDue(context.Background())
}

func outcomes(t *testing.T, db *store.DB, id int64) []string {
	t.Helper()
	notices, err := db.Notices(context.Background(), store.NoticeHelpAllocated, id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range notices {
		out = append(out, n.Email+" "+n.Outcome)
	}
	return out
}

// TestAllocationNoticeByEmail checks that a question allocated to someone
// reaches them by email over SMTP once, naming the topic and the link but
// not the question or the case, and that a reallocation tells the new
// holder.
func TestAllocationNoticeByEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newNoticeWorld(t, db)
		relay := smtptest.New(t)
		sender := &mail.Sender{Addr: relay.Addr, From: "caseboard <caseboard@cps.example>"}
		h := w.ask(t, "Trial in absence")
		if h.AssigneeID == nil {
			t.Fatal("the question was not allocated")
		}
		to := w.lead
		if *h.AssigneeID == w.deputy.PersonID {
			to = w.deputy
		}
		tick(t, db, sender)
		tick(t, db, sender) // a second tick sends nothing again
		msgs := relay.Messages()
		if len(msgs) != 1 {
			t.Fatalf("%d messages sent, want 1", len(msgs))
		}
		m := msgs[0]
		if len(m.To) != 1 || m.To[0] != to.Email {
			t.Fatalf("sent to %v, want %s", m.To, to.Email)
		}
		for _, want := range []string{"Subject: A question for you to answer by", "Trial in absence", "European arrest warrants",
			"Urgency:    urgent", w.asker.Name, "https://caseboard.example.org/knowledge/help#answer-"} {
			if !strings.Contains(m.Data, want) {
				t.Errorf("message lacks %q:\n%s", want, m.Data)
			}
		}
		for _, secret := range []string{"Portuguese", "01XX1234567"} {
			if strings.Contains(m.Data, secret) {
				t.Errorf("message carries %q, which should stay in caseboard", secret)
			}
		}
		if got := outcomes(t, db, h.ID); len(got) != 1 || got[0] != to.Email+" sent" {
			t.Fatalf("outbox: %v", got)
		}

		// The lead moves it to the deputy (or from them): the new holder hears.
		other := w.deputy
		if to == w.deputy {
			other = w.lead
		}
		if to == w.lead {
			if _, err := db.SetAway(context.Background(), w.lead, w.today.AddDays(3), w.today); err != nil {
				t.Fatal(err)
			}
		} else if _, err := db.ReallocateHelp(context.Background(), w.lead, h.ID, w.today); err != nil {
			t.Fatal(err)
		}
		tick(t, db, sender)
		msgs = relay.Messages()
		if len(msgs) != 2 || msgs[1].To[0] != other.Email {
			t.Fatalf("after the move: %d messages, last to %v; want the second to %s", len(msgs), msgs[len(msgs)-1].To, other.Email)
		}
	})
}

// TestNoticeNotSent checks the notices that must not go: a question
// answered before its notice was sent, and any notice when no relay is
// set; each is recorded with the reason, and none stays waiting.
func TestNoticeNotSent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newNoticeWorld(t, db)
		relay := smtptest.New(t)
		sender := &mail.Sender{Addr: relay.Addr, From: "caseboard <caseboard@cps.example>"}

		answered := w.ask(t, "Assurances")
		holder := w.lead
		if *answered.AssigneeID == w.deputy.PersonID {
			holder = w.deputy
		}
		if _, err := db.AnswerHelp(ctx, holder, answered.ID, "Ask for the assurance in writing.", false); err != nil {
			t.Fatal(err)
		}
		tick(t, db, sender)
		if n := len(relay.Messages()); n != 0 {
			t.Fatalf("%d messages for an answered question", n)
		}
		if got := outcomes(t, db, answered.ID); len(got) != 1 || got[0] != holder.Email+" not sent: the question was answered first" {
			t.Fatalf("outbox: %v", got)
		}

		quiet := w.ask(t, "Forum bar")
		tick(t, db, &mail.Sender{})
		if got := outcomes(t, db, quiet.ID); len(got) != 1 || !strings.HasSuffix(got[0], " not sent: no SMTP relay is configured") {
			t.Fatalf("outbox without a relay: %v", got)
		}
		tick(t, db, sender)
		if n := len(relay.Messages()); n != 0 {
			t.Fatalf("a notice recorded as not sent went later: %d messages", n)
		}
	})
}

// TestNoticeRetriedAfterRelayFailure checks a relay that refuses the
// connection: the notice is kept, counted as an attempt and not claimed
// again until its wait is over.
func TestNoticeRetriedAfterRelayFailure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newNoticeWorld(t, db)
		h := w.ask(t, "Specialty")
		dead := &mail.Sender{Addr: "127.0.0.1:1", From: "caseboard <caseboard@cps.example>"}
		tick(t, db, dead)
		notices, err := db.Notices(context.Background(), store.NoticeHelpAllocated, h.ID)
		if err != nil || len(notices) != 1 {
			t.Fatalf("notices: %v %v", notices, err)
		}
		if n := notices[0]; n.Attempts != 1 || n.Outcome != "" || n.SentAt != nil {
			t.Fatalf("after a refused connection: %+v", n)
		}
		relay := smtptest.New(t)
		tick(t, db, &mail.Sender{Addr: relay.Addr, From: "caseboard <caseboard@cps.example>"})
		if n := len(relay.Messages()); n != 0 {
			t.Fatalf("the notice was tried again before its wait was over: %d messages", n)
		}
	})
}

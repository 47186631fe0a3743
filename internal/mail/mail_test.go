package mail_test

import (
	"strings"
	"testing"
	"time"

	"caseboard/internal/mail"
	"caseboard/internal/mail/smtptest"
)

func TestSend(t *testing.T) {
	srv := smtptest.New(t)
	s := &mail.Sender{Addr: srv.Addr, From: "caseboard <caseboard@cps.example>",
		Now: func() time.Time { return time.Date(2018, 6, 1, 7, 0, 0, 0, time.UTC) }}
	err := s.Send(mail.Message{To: "Ada Example <ada@cps.example>", Subject: "Your deadlines — Friday",
		Body: "Line one\n.a line that starts with a dot\nLast line"})
	if err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 || got[0].From != "caseboard@cps.example" || len(got[0].To) != 1 || got[0].To[0] != "ada@cps.example" {
		t.Fatalf("envelope %+v", got)
	}
	data := got[0].Data
	for _, want := range []string{"From: \"caseboard\" <caseboard@cps.example>\r\n", "To: \"Ada Example\" <ada@cps.example>\r\n",
		"Subject: =?utf-8?q?Your_deadlines_=E2=80=94_Friday?=\r\n", "Date: Fri, 01 Jun 2018 07:00:00 +0000\r\n",
		"Content-Type: text/plain; charset=utf-8\r\n", "\r\n\r\nLine one\r\n.a line that starts with a dot\r\nLast line\r\n"} {
		if !strings.Contains(data, want) {
			t.Errorf("message lacks %q:\n%s", want, data)
		}
	}
}

func TestSendErrBadSettings(t *testing.T) {
	for name, s := range map[string]*mail.Sender{
		"ErrAddr":     {Addr: "relay", From: "caseboard@cps.example"},
		"ErrFrom":     {Addr: "relay:25", From: "not an address"},
		"ErrHalfAuth": {Addr: "relay:25", From: "caseboard@cps.example", User: "me"},
	} {
		t.Run(name, func(t *testing.T) {
			if err := s.Send(mail.Message{To: "ada@cps.example", Subject: "x", Body: "y"}); err == nil {
				t.Fatal("bad settings were accepted")
			}
		})
	}
	s := &mail.Sender{Addr: "127.0.0.1:1", From: "caseboard@cps.example"}
	if err := s.Send(mail.Message{To: "nobody", Subject: "x", Body: "y"}); err == nil || !strings.Contains(err.Error(), "recipient") {
		t.Fatalf("a bad recipient: %v", err)
	}
}

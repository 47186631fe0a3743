// Package mail sends plain-text email over SMTP: the daily digests and,
// later, alerts. It speaks to a relay the organisation runs; it takes
// STARTTLS when the relay offers it, and authenticates only over TLS or
// to a relay on the same machine, as net/smtp insists.
package mail

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"
)

// Sender is an SMTP relay and the address mail comes from.
type Sender struct {
	Addr           string // host:port
	From           string // an address, optionally with a name: "caseboard <caseboard@cps.example>"
	User, Password string // empty for a relay that needs no login
	// Now dates the messages; tests set it.
	Now func() time.Time
}

// Message is one plain-text email to one person.
type Message struct {
	To      string
	Subject string
	Body    string
}

// Configured reports whether a relay has been set.
func (s *Sender) Configured() bool { return s != nil && s.Addr != "" }

// Check refuses settings that cannot work, before any mail is tried.
func (s *Sender) Check() error {
	if _, _, err := net.SplitHostPort(s.Addr); err != nil {
		return fmt.Errorf("the SMTP relay %q is not host:port", s.Addr)
	}
	if _, err := mail.ParseAddress(s.From); err != nil {
		return fmt.Errorf("the sender address %q is not an email address: %w", s.From, err)
	}
	if (s.User == "") != (s.Password == "") {
		return errors.New("an SMTP user and password go together")
	}
	return nil
}

// Send sends one message.
func (s *Sender) Send(m Message) error {
	if err := s.Check(); err != nil {
		return err
	}
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return fmt.Errorf("the recipient %q is not an email address: %w", m.To, err)
	}
	from, _ := mail.ParseAddress(s.From)
	var auth smtp.Auth
	if s.User != "" {
		host, _, _ := net.SplitHostPort(s.Addr)
		auth = smtp.PlainAuth("", s.User, s.Password, host)
	}
	if err := smtp.SendMail(s.Addr, auth, from.Address, []string{to.Address}, s.compose(from, to, m)); err != nil {
		return fmt.Errorf("send mail to %s: %w", to.Address, err)
	}
	return nil
}

// compose writes the message as RFC 5322 wants it: headers, a blank line,
// and the body, every line ending CRLF, the subject encoded when it is
// not plain ASCII.
func (s *Sender) compose(from, to *mail.Address, m Message) []byte {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	var b bytes.Buffer
	header := func(name, value string) { fmt.Fprintf(&b, "%s: %s\r\n", name, value) }
	header("From", from.String())
	header("To", to.String())
	header("Subject", mime.QEncoding.Encode("utf-8", strings.ReplaceAll(m.Subject, "\n", " ")))
	header("Date", now().Format(time.RFC1123Z))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "8bit")
	b.WriteString("\r\n")
	body := strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n", "\r\n")
	b.WriteString(body)
	if !strings.HasSuffix(body, "\r\n") {
		b.WriteString("\r\n")
	}
	return b.Bytes()
}

// Package smtptest runs a small SMTP server on loopback for tests: it
// accepts every message and keeps it, so a test can read what was sent
// over a real SMTP conversation.
package smtptest

import (
	"bufio"
	"net"
	"net/textproto"
	"strings"
	"sync"
	"testing"
)

// Server is a running SMTP server.
type Server struct {
	Addr string
	ln   net.Listener
	mu   sync.Mutex
	msgs []Received
}

// Received is one message as the server took it.
type Received struct {
	From string
	To   []string
	Data string // headers and body, CRLF line endings, dot-stuffing undone
}

// New starts a server, closed when the test ends.
func New(tb testing.TB) *Server {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), ln: ln}
	go s.serve()
	tb.Cleanup(func() { ln.Close() })
	return s
}

// Messages returns what has been received so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.msgs...)
}

func (s *Server) serve() {
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			return
		}
		go s.session(conn)
	}
}

// session speaks enough SMTP for net/smtp's SendMail: EHLO, MAIL, RCPT,
// DATA, RSET, NOOP and QUIT.
func (s *Server) session(conn net.Conn) {
	defer conn.Close()
	tp := textproto.NewConn(conn)
	tp.PrintfLine("220 smtptest ready")
	var msg Received
	for {
		line, err := tp.ReadLine()
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO", "HELO":
			tp.PrintfLine("250-smtptest")
			tp.PrintfLine("250 8BITMIME")
		case "MAIL":
			msg = Received{From: address(arg)}
			tp.PrintfLine("250 ok")
		case "RCPT":
			msg.To = append(msg.To, address(arg))
			tp.PrintfLine("250 ok")
		case "DATA":
			tp.PrintfLine("354 go ahead")
			data, err := readData(tp.R)
			if err != nil {
				return
			}
			msg.Data = data
			s.mu.Lock()
			s.msgs = append(s.msgs, msg)
			s.mu.Unlock()
			tp.PrintfLine("250 kept")
		case "RSET", "NOOP":
			tp.PrintfLine("250 ok")
		case "QUIT":
			tp.PrintfLine("221 bye")
			return
		default:
			tp.PrintfLine("502 not implemented")
		}
	}
}

func address(arg string) string {
	if i, j := strings.Index(arg, "<"), strings.Index(arg, ">"); i >= 0 && j > i {
		return arg[i+1 : j]
	}
	return arg
}

func readData(r *bufio.Reader) (string, error) {
	var b strings.Builder
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return "", err
		}
		if line == ".\r\n" {
			return b.String(), nil
		}
		b.WriteString(strings.TrimPrefix(line, "."))
	}
}

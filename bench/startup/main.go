// Command startup measures how long `caseboard serve` takes from exec to
// its first 200 from /healthz, over several runs on an existing database.
//
//	go run . -bin ../../bin/caseboard -db /path/to/demo.db -runs 20
//
// Each run picks a free loopback port, starts the server, polls
// http://127.0.0.1:PORT/healthz every 500µs until it answers 200 (or
// -timeout passes), notes when the server's "caseboard serving" log line
// arrived, then stops the server with SIGTERM and waits for it to exit
// before the next run. It prints one line per run and a summary. Only
// 127.0.0.1 is ever contacted.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	bin := flag.String("bin", "bin/caseboard", "caseboard binary")
	db := flag.String("db", "", "existing database (SQLite path or postgres:// URL)")
	runs := flag.Int("runs", 20, "number of runs")
	timeout := flag.Duration("timeout", 10*time.Second, "give up on a run after this long")
	target := flag.Duration("target", 150*time.Millisecond, "target time to first 200")
	flag.Parse()
	if *db == "" || *runs < 1 {
		fmt.Fprintln(os.Stderr, "usage: startup -bin BIN -db DB [-runs N]")
		os.Exit(2)
	}
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	var ready, logged []time.Duration
	for i := 1; i <= *runs; i++ {
		r, l, err := run(client, *bin, *db, *timeout)
		if err != nil {
			fmt.Fprintf(os.Stderr, "run %d: %v\n", i, err)
			os.Exit(1)
		}
		ready, logged = append(ready, r), append(logged, l)
		fmt.Printf("run %2d: first 200 after %6.1f ms (serving logged after %6.1f ms)\n", i, ms(r), ms(l))
	}
	fmt.Printf("runs=%d median=%.1fms min=%.1fms max=%.1fms serving-logged-median=%.1fms target=%.0fms\n",
		len(ready), ms(median(ready)), ms(slices.Min(ready)), ms(slices.Max(ready)), ms(median(logged)), ms(*target))
	if median(ready) > *target {
		fmt.Printf("MISSED: the median start-up is over the %.0f ms target\n", ms(*target))
	}
}

func run(client *http.Client, bin, db string, timeout time.Duration) (ready, logged time.Duration, err error) {
	port, err := freePort()
	if err != nil {
		return 0, 0, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	cmd := exec.Command(bin, "serve", "--db", db, "--addr", addr)
	cmd.Env = append(os.Environ(), "CASEBOARD_LOG_LEVEL=info")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return 0, 0, err
	}
	loggedAt := make(chan time.Time, 1)
	// eof closes when the server closes its stderr, that is when it exits;
	// output holds the start of what it wrote, for error messages.
	eof := make(chan struct{})
	var output strings.Builder
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	go func() {
		defer close(eof)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if strings.Contains(line, "caseboard serving") {
				select {
				case loggedAt <- time.Now():
				default:
				}
			}
			if output.Len() < 4096 {
				output.WriteString(line + "\n")
			}
		}
	}()
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-eof:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-eof
		}
		cmd.Wait()
	}()
	url := "http://" + addr + "/healthz"
	for time.Since(start) < timeout {
		res, err := client.Get(url)
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				ready = time.Since(start)
				break
			}
		}
		select {
		case <-eof:
			return 0, 0, fmt.Errorf("caseboard exited before answering:\n%s", output.String())
		default:
		}
		time.Sleep(500 * time.Microsecond)
	}
	if ready == 0 {
		cmd.Process.Kill()
		<-eof
		return 0, 0, fmt.Errorf("no 200 from %s within %v; server said:\n%s", url, timeout, output.String())
	}
	select {
	case at := <-loggedAt:
		logged = at.Sub(start)
	case <-time.After(time.Second):
	}
	return ready, logged, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

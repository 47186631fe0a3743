package cli_test

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"caseboard/internal/store/storetest"
)

func TestReportPackAndPoster(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			env := map[string]string{"CASEBOARD_DB": storetest.DSN(t, d)}
			out := run(t, env, "demo").stdout
			hod := strings.TrimSpace(out[strings.LastIndex(out, " is ")+4:])
			r := run(t, env, "report", "pack", "--as", hod, "--quarter", "2018-19-Q2")
			if r.code != 0 || !strings.HasPrefix(r.stdout, "%PDF-") {
				t.Fatalf("pack to standard output: %d %.200s", r.code, r.stderr)
			}
			file := filepath.Join(t.TempDir(), "pack.pdf")
			r = run(t, env, "report", "pack", "--as", hod, "--quarter", "2018-19-Q2", "--output", file)
			if raw, err := os.ReadFile(file); r.code != 0 || err != nil || !strings.HasPrefix(string(raw), "%PDF-") || r.stdout != "" {
				t.Fatalf("pack to a file: %+v %v", r, err)
			}
			r = run(t, env, "report", "pack", "--as", hod, "--quarter", "2018-19-Q5")
			if r.code != 2 || !strings.Contains(r.stderr, "Q1 to Q4") || r.stdout != "" {
				t.Fatalf("bad quarter: %+v", r)
			}
			r = run(t, env, "report", "poster", "--as", hod, "--unit", "extradition", "--quarter", "2018-19-Q2")
			if r.code != 0 || !strings.HasPrefix(r.stdout, "%PDF-") {
				t.Fatalf("poster: %d %.200s", r.code, r.stderr)
			}
			if r := run(t, env, "report", "poster", "--as", hod, "--unit", "nowhere", "--quarter", "2018-19-Q2"); r.code != 2 || !strings.Contains(r.stderr, "no unit") {
				t.Fatalf("poster of no unit: %+v", r)
			}
			r = run(t, env, "report", "poster", "--as", hod, "--unit", "extradition", "--quarter", "2018-19-Q2", "--size", "A3", "--format", "png")
			if img, err := png.Decode(strings.NewReader(r.stdout)); r.code != 0 || err != nil || img.Bounds().Dx() != 1754 || img.Bounds().Dy() != 2480 {
				t.Fatalf("A3 PNG poster: %d %v %.200s", r.code, err, r.stderr)
			}
			if r := run(t, env, "report", "poster", "--as", hod, "--unit", "extradition", "--quarter", "2018-19-Q2", "--size", "A5"); r.code != 2 || !strings.Contains(r.stderr, "A4 or A3") || r.stdout != "" {
				t.Fatalf("A5 poster: %+v", r)
			}
			if r := run(t, env, "report", "poster", "--as", hod, "--unit", "extradition", "--quarter", "2018-19-Q2", "--format", "gif"); r.code != 2 || !strings.Contains(r.stderr, "pdf or png") {
				t.Fatalf("GIF poster: %+v", r)
			}
		})
	}
}

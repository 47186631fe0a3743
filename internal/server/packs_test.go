package server_test

import (
	"encoding/json"
	"image"
	"image/png"
	"net/url"
	"strings"
	"testing"

	"caseboard/internal/store/storetest"
)

// packMeasures reads a pack's measures from the API.
func packMeasures(t *testing.T, body string) (issued bool, red []string) {
	t.Helper()
	var got struct {
		Issued   *struct{ By string }
		Measures []struct{ Code, RAG string }
	}
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatalf("%v: %.500s", err, body)
	}
	for _, m := range got.Measures {
		if m.RAG == "red" {
			red = append(red, m.Code)
		}
	}
	return got.Issued != nil, red
}

func TestPerformancePackLifecycle(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			f := newServer(t, d)
			const pack = "/api/v1/performance-packs/2018-19-Q2"
			want := func(t *testing.T, res response, status int, contains ...string) {
				t.Helper()
				if res.Status != status {
					t.Fatalf("status %d, want %d: %.800s", res.Status, status, res.Body)
				}
				for _, c := range contains {
					if !strings.Contains(res.Body, c) {
						t.Errorf("missing %q in %.3000s", c, res.Body)
					}
				}
			}
			res := f.do(t, "board", "GET", pack, "", "")
			want(t, res, 200, `"quarter":"2018-19-Q2"`, `"quarter_label":"Q2 2018-19"`, `"issued":null`, `"code":"conviction_rate_cc"`, `"risks":`, `"recommendations":`)
			_, red := packMeasures(t, res.Body)

			t.Run("ErrBadQuarter", func(t *testing.T) {
				want(t, f.do(t, "board", "GET", "/api/v1/performance-packs/2018-19-Q5", "", ""), 422, `"field":"quarter"`, "Q1 to Q4")
				want(t, f.do(t, "board", "GET", "/api/v1/performance-packs/2018-19", "", ""), 422, `"field":"quarter"`, "not a quarter")
				want(t, f.do(t, "hod", "POST", "/api/v1/performance-packs/2018-19-Q5/issue", "", ""), 422, "Q1 to Q4")
				want(t, f.do(t, "board", "GET", "/performance/packs?quarter=2018-19-Q5", "", ""), 422, `href="#quarter"`, "Q1 to Q4")
				want(t, f.do(t, "board", "GET", "/performance/packs/2018-19-Q5", "", ""), 422, "Q1 to Q4")
				want(t, f.do(t, "board", "GET", "/performance/packs/2018-19-Q5/pack.pdf", "", ""), 422, "Q1 to Q4")
				if list := f.do(t, "board", "GET", "/api/v1/performance-packs", "", ""); !strings.Contains(list.Body, `"items":[]`) {
					t.Errorf("a bad quarter left a pack: %s", list.Body)
				}
			})
			t.Run("ErrRefused", func(t *testing.T) {
				body := `{"commentary":"Mine to say"}`
				want(t, f.do(t, "partner", "GET", pack, "", ""), 403)
				want(t, f.do(t, "lawyer", "PUT", pack+"/commentary/caseload", "application/json", body), 403)
				want(t, f.do(t, "board", "PUT", pack+"/commentary/caseload", "application/json", body), 403)
				for _, who := range []string{"unit_head", "lawyer", "board", "inspector", "boc"} {
					want(t, f.do(t, who, "POST", pack+"/issue", "", ""), 403)
				}
				want(t, f.do(t, "unit_head", "PUT", pack+"/commentary/happiness", "application/json", body), 404, "happiness")
				want(t, f.do(t, "unit_head", "PUT", pack+"/commentary/caseload", "application/json", `{"commentary":" "}`), 422, `"field":"commentary"`)
				if issued, _ := packMeasures(t, f.do(t, "board", "GET", pack, "", "").Body); issued {
					t.Fatal("issued by someone who may not")
				}
			})
			if len(red) > 0 {
				// Issuing waits for every exception's commentary.
				want(t, f.do(t, "hod", "POST", pack+"/issue", "", ""), 422, "needs its owner's commentary")
			}
			t.Run("CommentaryFromThePage", func(t *testing.T) {
				page := f.do(t, "unit_head", "GET", "/performance/packs/2018-19-Q2", "", "")
				want(t, page, 200, "Board performance pack", "Q2 2018-19", "Draft", "Headline measures", "Own average", "Comment on another measure",
					`href="/performance/packs/2018-19-Q2/pack.pdf"`, "outside their statistical process control limits", "Outside its tolerance.")
				if strings.Contains(page.Body, "Issue the pack to the Board") {
					t.Error("a unit head is offered the issue button")
				}
				form := url.Values{"measure": {"caseload"}, "form": {"other"}, "commentary": {""}}
				want(t, f.do(t, "unit_head", "POST", "/performance/packs/2018-19-Q2/commentary", "application/x-www-form-urlencoded", form.Encode()),
					422, `href="#commentary-other"`, "Write the commentary")
				form.Set("commentary", "Caseload steady across the units.")
				res := f.do(t, "unit_head", "POST", "/performance/packs/2018-19-Q2/commentary", "application/x-www-form-urlencoded", form.Encode())
				want(t, res, 303)
				want(t, f.do(t, "hod", "GET", "/performance/packs/2018-19-Q2", "", ""), 200, "Caseload steady across the units.", "Issue the pack to the Board")
			})
			for _, code := range red {
				want(t, f.do(t, "unit_head", "PUT", pack+"/commentary/"+code, "application/json", `{"commentary":"Explained to the Board."}`), 200)
			}
			res = f.do(t, "abm", "POST", pack+"/issue", "", "")
			want(t, res, 201, `"issued":{"quarter":"2018-19-Q2"`, "Caseload steady across the units.")
			t.Run("IssuedIsImmutable", func(t *testing.T) {
				want(t, f.do(t, "hod", "POST", pack+"/issue", "", ""), 409, "was issued")
				res := f.do(t, "unit_head", "PUT", pack+"/commentary/caseload", "application/json", `{"commentary":"Second thoughts"}`)
				want(t, res, 409, "can no longer change")
				if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
					t.Errorf("content type %q", res.Header.Get("Content-Type"))
				}
				want(t, f.do(t, "board", "GET", pack, "", ""), 200, "Caseload steady across the units.")
				if strings.Contains(f.do(t, "board", "GET", pack, "", "").Body, "Second thoughts") {
					t.Error("refused commentary stored")
				}
				page := f.do(t, "unit_head", "GET", "/performance/packs/2018-19-Q2", "", "")
				want(t, page, 200, "Issued", "later changes to the records do not alter it")
				if strings.Contains(page.Body, "Save commentary") {
					t.Error("an issued pack offers the commentary forms")
				}
				want(t, f.do(t, "board", "GET", "/api/v1/performance-packs", "", ""), 200, `"quarter":"2018-19-Q2"`)
				want(t, f.do(t, "board", "GET", "/performance/packs", "", ""), 200, "Board performance packs", "Issued packs", "/performance/packs/2018-19-Q2/pack.pdf")
			})
			t.Run("PDF", func(t *testing.T) {
				first := f.do(t, "board", "GET", "/performance/packs/2018-19-Q2/pack.pdf", "", "")
				want(t, first, 200)
				if first.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(first.Body, "%PDF-") {
					t.Fatalf("%q %.10q", first.Header.Get("Content-Type"), first.Body)
				}
				if again := f.do(t, "inspector", "GET", "/performance/packs/2018-19-Q2/pack.pdf", "", ""); again.Body != first.Body {
					t.Error("the issued PDF is not the same document each time")
				}
				draft := f.do(t, "hod", "GET", "/performance/packs/2018-19-Q3/pack.pdf", "", "")
				if draft.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(draft.Body, "%PDF-") {
					t.Fatalf("draft %q %.10q", draft.Header.Get("Content-Type"), draft.Body)
				}
			})
		})
	}
}

func TestPerformancePoster(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			f := newServer(t, d)
			const poster = "/api/v1/performance-posters/international/2018-19-Q2"
			for _, c := range []struct {
				name, as, method, path, body string
				status                       int
				contains                     []string
			}{
				{"Read", "board", "GET", poster, "", 200, []string{`"unit":"international"`, `"narrative":null`, `"code":"caseload"`}},
				{"ErrQuarter", "board", "GET", "/api/v1/performance-posters/international/2018-19-Q5", "", 422, []string{`"field":"quarter"`}},
				{"ErrUnit", "board", "GET", "/api/v1/performance-posters/nowhere/2018-19-Q2", "", 422, []string{`"field":"unit"`}},
				{"ErrPartner", "partner", "GET", poster, "", 403, nil},
				{"ErrOtherUnitsHead", "abm", "PUT", poster + "/narrative", `{"narrative":"Not my unit"}`, 403, nil},
				{"ErrEmpty", "unit_head", "PUT", poster + "/narrative", `{"narrative":""}`, 422, []string{`"field":"narrative"`}},
				{"Write", "unit_head", "PUT", poster + "/narrative", `{"narrative":"A quarter of steady mutual legal assistance work."}`, 200,
					[]string{`"text":"A quarter of steady mutual legal assistance work."`}},
				{"Page", "lawyer", "GET", "/performance/poster?unit=international&quarter=2018-19-Q2", "", 200,
					[]string{"Performance poster", "A quarter of steady mutual legal assistance work.", `href="/performance/poster.pdf?quarter=2018-19-Q2&amp;size=A4&amp;unit=international"`,
						`href="/performance/poster.png?quarter=2018-19-Q2&amp;size=A3&amp;unit=international"`, "PNG, A3"}},
				{"PageErr", "lawyer", "GET", "/performance/poster?unit=international&quarter=2018-19-Q5", "", 422, []string{`href="#quarter"`}},
				{"PageDefault", "lawyer", "GET", "/performance/poster", "", 200, []string{"Choose a unit"}},
			} {
				t.Run(c.name, func(t *testing.T) {
					ct := ""
					if c.body != "" {
						ct = "application/json"
					}
					res := f.do(t, c.as, c.method, c.path, ct, c.body)
					if res.Status != c.status {
						t.Fatalf("status %d, want %d: %.600s", res.Status, c.status, res.Body)
					}
					for _, want := range c.contains {
						if !strings.Contains(res.Body, want) {
							t.Errorf("missing %q in %.3000s", want, res.Body)
						}
					}
				})
			}
			res := f.do(t, "board", "GET", "/performance/poster.pdf?unit=international&quarter=2018-19-Q2", "", "")
			if res.Status != 200 || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(res.Body, "%PDF-") {
				t.Fatalf("%d %q %.10q", res.Status, res.Header.Get("Content-Type"), res.Body)
			}
			res = f.do(t, "board", "GET", "/performance/poster.pdf?unit=international&quarter=2018-19-Q2&size=A3", "", "")
			if res.Status != 200 || !strings.Contains(res.Body, "/MediaBox [0 0 841.89 1190.55]") {
				t.Fatalf("A3 PDF: %d %.10q", res.Status, res.Body)
			}
			for size, want := range map[string]image.Point{"": {1240, 1754}, "a3": {1754, 2480}} {
				res = f.do(t, "board", "GET", "/performance/poster.png?unit=international&quarter=2018-19-Q2&size="+size, "", "")
				if res.Status != 200 || res.Header.Get("Content-Type") != "image/png" {
					t.Fatalf("PNG %q: %d %q", size, res.Status, res.Header.Get("Content-Type"))
				}
				img, err := png.Decode(strings.NewReader(res.Body))
				if err != nil || img.Bounds().Size() != want {
					t.Fatalf("PNG %q: %v %v, want %v", size, img.Bounds(), err, want)
				}
			}
			if res = f.do(t, "board", "GET", "/performance/poster.png?unit=international&quarter=2018-19-Q2&size=A5", "", ""); res.Status != 422 || !strings.Contains(res.Body, "A4 or A3") {
				t.Fatalf("A5: %d %.300s", res.Status, res.Body)
			}
			if res = f.do(t, "partner", "GET", "/performance/poster.png?unit=international&quarter=2018-19-Q2", "", ""); res.Status != 403 {
				t.Fatalf("partner: %d", res.Status)
			}
			form := url.Values{"unit": {"international"}, "quarter": {"2018-19-Q2"}, "narrative": {strings.Repeat("x", 1001)}}
			res = f.do(t, "unit_head", "POST", "/performance/poster", "application/x-www-form-urlencoded", form.Encode())
			if res.Status != 422 || !strings.Contains(res.Body, "no more than 1000 characters") {
				t.Fatalf("%d %.2000s", res.Status, res.Body)
			}
		})
	}
}

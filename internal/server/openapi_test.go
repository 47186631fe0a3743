package server_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"caseboard/internal/store"
)

// TestOpenAPIMatchesRoutes checks the OpenAPI document against the real
// server in both directions: every operation it describes is served and
// answers with a body its schema accepts, and every /api/ path written in
// this package's source is described.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	f := newServer(t, store.SQLite)
	res := f.do(t, "", "GET", "/api/v1/openapi.json", "", "")
	if res.Status != 200 {
		t.Fatalf("openapi.json: %d", res.Status)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi version %v", doc["openapi"])
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	paths := doc["paths"].(map[string]any)
	described := map[string]bool{}
	for path, item := range paths {
		for method, op := range item.(map[string]any) {
			method = strings.ToUpper(method)
			described[path] = true
			t.Run(method+" "+path, func(t *testing.T) {
				checkOperation(t, f, method, path, op.(map[string]any), schemas)
			})
		}
	}
	for _, path := range apiPathsInSource(t) {
		if strings.HasSuffix(path, "/") && describedUnder(described, path) {
			continue // the start of described paths, e.g. "/api/v1/people/" + id
		}
		if !described[path] {
			t.Errorf("route %s is served but not in the OpenAPI document", path)
		}
	}
}

// samples supplies a request that should succeed for each operation.
var samples = map[string]struct {
	path, body, as string
}{
	"POST /api/v1/imports/outcomes": {"/api/v1/imports/outcomes?name=outcomes",
		"case_urn,unit,location,court,defendant_id,principal_offence,finalised_on,outcome\n" +
			"01PF0000118,organised_crime,petty_france,CC,1,drugs_offences,2018-05-02,guilty_plea\n", "hod"},
	"POST /api/v1/cases": {"/api/v1/cases", `{"reference":"EX/2018/0007","kind":"extradition","title":"Requested person: Bea Example","unit_id":2,` +
		`"location_id":1,"status":"received","sensitivity":"official","opened_on":"2018-05-01","country":"RO","direction":"export"}`, "lawyer"},
	"GET /api/v1/cases/{id}":   {"/api/v1/cases/{case}", "", "lawyer"},
	"PATCH /api/v1/cases/{id}": {"/api/v1/cases/{case}", `{"version":1,"status":"hearing"}`, "lawyer"},
	"POST /api/v1/cases/{id}/defendants": {"/api/v1/cases/{case}/defendants",
		`{"ref":"RP2","name":"Second Example","custody_status":"on_bail","country":"PL"}`, "lawyer"},
	"POST /api/v1/cases/{id}/defendants/{defendant}/charges": {"/api/v1/cases/{case}/defendants/{defendant}/charges",
		`{"description":"Conspiracy to supply cocaine","principal_offence":"drugs_offences","custody":{"offence_class":"indictable_only","first_appearance":"2018-03-01","sent":"2018-03-01"}}`, "lawyer"},
	"PATCH /api/v1/cases/{id}/defendants/{defendant}/charges/{charge}": {"/api/v1/cases/{case}/defendants/{defendant}/charges/{charge}",
		`{"description":"Conspiracy to import cocaine"}`, "lawyer"},
	"PATCH /api/v1/cases/{id}/defendants/{defendant}": {"/api/v1/cases/{case}/defendants/{defendant}", `{"custody_status":"on_bail"}`, "lawyer"},
	"POST /api/v1/locations":                          {"/api/v1/locations", `{"code":"post_cl","name":"Santiago (Chile)","kind":"overseas_post","country":"CL"}`, ""},
	"GET /api/v1/people/{id}":                         {"/api/v1/people/1", "", ""},
	"POST /api/v1/tokens":                             {"/api/v1/tokens", `{"name":"nightly export","read_only":true,"expires_in":"48h"}`, ""},
	"DELETE /api/v1/tokens/{id}":                      {"/api/v1/tokens/{token}", "", ""},
	"PATCH /api/v1/locations/{id}":                    {"/api/v1/locations/2", `{"name":"Birmingham (Colmore Row)"}`, ""},
	"PATCH /api/v1/units/{id}":                        {"/api/v1/units/1", `{"head_title":"Deputy Head of Division (Organised Crime)"}`, ""},
	"POST /api/v1/people":                             {"/api/v1/people", `{"name":"Nova Newstarter","email":"nova.newstarter@caseboard.example","grade":"paralegal_officer","unit_id":2,"location_id":1,"clearance":"ctc"}`, ""},
	"PATCH /api/v1/people/{id}":                       {"/api/v1/people/5", `{"grade":"senior_paralegal_officer"}`, ""},
	"POST /api/v1/articles": {"/api/v1/articles", `{"kind":"jurisdiction_note","title":"Romania: prison conditions","summary":"Assurances.",` +
		`"body":"Seek assurances.","unit_id":2,"country":"RO","tags":["prison-conditions"]}`, "lawyer"},
	"GET /api/v1/articles/{id}":                {"/api/v1/articles/{article}", "", "lawyer"},
	"PATCH /api/v1/articles/{id}":              {"/api/v1/articles/{article}", `{"tags":["eaw","hearings"]}`, "lawyer"},
	"POST /api/v1/articles/{id}/transitions":   {"/api/v1/articles/{article}/transitions", `{"action":"submit"}`, "lawyer"},
	"GET /api/v1/articles/{id}/versions":       {"/api/v1/articles/{published}/versions", "", "lawyer"},
	"GET /api/v1/articles/{id}/diff":           {"/api/v1/articles/{published}/diff", "", "lawyer"},
	"GET /api/v1/articles/{id}/reviews":        {"/api/v1/articles/{published}/reviews", "", "lawyer"},
	"POST /api/v1/articles/{id}/reviews":       {"/api/v1/articles/{published}/reviews", `{"outcome":"still_accurate","note":"checked"}`, "lawyer"},
	"POST /api/v1/knowledge/gaps":              {"/api/v1/knowledge/gaps", `{"topic":"Assurances from Brazil","unit_id":2}`, "manager"},
	"POST /api/v1/knowledge/gaps/{id}/close":   {"/api/v1/knowledge/gaps/{gap}/close", `{"article_id":{published}}`, "lawyer"},
	"PUT /api/v1/knowledge/specialisms/{code}": {"/api/v1/knowledge/specialisms/cyber_crime", `{"name":"Cyber-crime","lead_id":5,"contact":"cyber mailbox","tag":"cyber-crime"}`, ""},
	"POST /api/v1/knowledge/help":              {"/api/v1/knowledge/help", `{"specialism":"eaw","topic":"Forum","question":"When does forum apply?","urgency":"urgent"}`, "manager"},
	"POST /api/v1/knowledge/help/{id}/answer":  {"/api/v1/knowledge/help/{help}/answer", `{"answer":"When it is in the interests of justice.","publish":true}`, "lawyer"},
	"GET /api/v1/articles/{id}/attachments":    {"/api/v1/articles/{published}/attachments", "", "lawyer"},
	"POST /api/v1/articles/{id}/attachments":   {"/api/v1/articles/{published}/attachments?name=scan.pdf", "%PDF-1.4 sample", "lawyer"},
}

func checkOperation(t *testing.T, f *fixture, method, path string, op, schemas map[string]any) {
	t.Helper()
	sample, ok := samples[method+" "+path]
	if !ok {
		if strings.Contains(path, "{") || method != "GET" {
			t.Fatalf("no sample request for %s %s: add one to samples", method, path)
		}
		sample.path = path
	}
	contentType := ""
	switch {
	case strings.HasPrefix(sample.path, "/api/v1/imports/"):
		contentType = "text/csv"
	case strings.Contains(sample.path, "/attachments?"):
		contentType = "application/pdf"
	case sample.body != "":
		contentType = "application/json"
	}
	if strings.Contains(sample.path, "{token}") {
		// A token of its own to revoke: revoking the fixture's would lock
		// the other subtests out.
		made := f.do(t, "admin", "POST", "/api/v1/tokens", "application/json", `{"name":"to revoke"}`).json(t)
		sample.path = strings.Replace(sample.path, "{token}", fmt.Sprint(made["detail"].(map[string]any)["id"]), 1)
	}
	sample.path = strings.NewReplacer("{case}", fmt.Sprint(f.caseID), "{defendant}", fmt.Sprint(f.defendantID),
		"{charge}", fmt.Sprint(f.chargeID), "{article}", fmt.Sprint(f.articleID), "{published}", fmt.Sprint(f.publishedArticleID), "{gap}", fmt.Sprint(f.gapID), "{help}", fmt.Sprint(f.helpID)).Replace(sample.path)
	sample.body = strings.ReplaceAll(sample.body, "{published}", fmt.Sprint(f.publishedArticleID))
	as := sample.as
	if as == "" {
		as = "admin"
	}
	res := f.do(t, as, method, sample.path, contentType, sample.body)
	responses := op["responses"].(map[string]any)
	described, ok := responses[strconv.Itoa(res.Status)].(map[string]any)
	if !ok {
		t.Fatalf("status %d is not described (described: %v)\n%s", res.Status, keys(responses), res.Body)
	}
	if res.Status >= 300 {
		t.Fatalf("sample request failed: %d %s", res.Status, res.Body)
	}
	if res.Status == 204 {
		if res.Body != "" {
			t.Fatalf("204 with a body: %q", res.Body)
		}
		return
	}
	schema := described["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)
	var body any
	if err := json.Unmarshal([]byte(res.Body), &body); err != nil {
		t.Fatal(err)
	}
	for _, e := range validate(body, schema, schemas, "body") {
		t.Error(e)
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func apiPathsInSource(t *testing.T) []string {
	t.Helper()
	files, _ := filepath.Glob("*.go")
	found := map[string]bool{}
	fset := token.NewFileSet()
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, _ := strconv.Unquote(lit.Value)
			if _, after, ok := strings.Cut(s, "/api/v1/"); ok && !strings.ContainsAny(after, " ?#") {
				found["/api/v1/"+after] = true
			}
			return true
		})
	}
	var out []string
	for p := range found {
		out = append(out, p)
	}
	sort.Strings(out)
	if len(out) < 5 {
		t.Fatalf("found only %v in the source: the scan is broken", out)
	}
	return out
}

// validate checks a decoded JSON value against a JSON Schema subset: type
// (single or list), properties, required, additionalProperties false, items,
// enum and $ref to components. It returns every mismatch.
func validate(v any, schema map[string]any, schemas map[string]any, at string) []string {
	if ref, ok := schema["$ref"].(string); ok {
		return validate(v, schemas[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any), schemas, at)
	}
	if choices, ok := schema["oneOf"].([]any); ok {
		var all []string
		for _, c := range choices {
			errs := validate(v, c.(map[string]any), schemas, at)
			if len(errs) == 0 {
				return nil
			}
			all = append(all, errs...)
		}
		return all
	}
	if !typeMatches(v, schema["type"]) {
		return []string{fmt.Sprintf("%s: %T does not match type %v", at, v, schema["type"])}
	}
	var errs []string
	switch val := v.(type) {
	case map[string]any:
		props, _ := schema["properties"].(map[string]any)
		for _, r := range asStrings(schema["required"]) {
			if _, ok := val[r]; !ok {
				errs = append(errs, fmt.Sprintf("%s: missing required %q", at, r))
			}
		}
		for k, fv := range val {
			ps, ok := props[k].(map[string]any)
			if !ok {
				if schema["additionalProperties"] == false {
					errs = append(errs, fmt.Sprintf("%s: undescribed property %q", at, k))
				}
				continue
			}
			errs = append(errs, validate(fv, ps, schemas, at+"."+k)...)
		}
	case []any:
		if items, ok := schema["items"].(map[string]any); ok {
			for i, item := range val {
				errs = append(errs, validate(item, items, schemas, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	}
	return errs
}

func typeMatches(v any, t any) bool {
	if t == nil {
		return true
	}
	for _, name := range asStrings(t) {
		switch val := v.(type) {
		case nil:
			if name == "null" {
				return true
			}
		case string:
			if name == "string" {
				return true
			}
		case bool:
			if name == "boolean" {
				return true
			}
		case float64:
			if name == "number" || (name == "integer" && val == float64(int64(val))) {
				return true
			}
		case []any:
			if name == "array" {
				return true
			}
		case map[string]any:
			if name == "object" {
				return true
			}
		}
	}
	return false
}

func asStrings(v any) []string {
	switch val := v.(type) {
	case string:
		return []string{val}
	case []any:
		var out []string
		for _, x := range val {
			out = append(out, x.(string))
		}
		return out
	}
	return nil
}

func TestValidateCatchesMismatch(t *testing.T) {
	schemas := map[string]any{"P": map[string]any{"type": "object", "additionalProperties": false,
		"required": []any{"id"}, "properties": map[string]any{"id": map[string]any{"type": "integer"}}}}
	ref := map[string]any{"$ref": "#/components/schemas/P"}
	if errs := validate(map[string]any{"id": 1.0}, ref, schemas, "b"); len(errs) != 0 {
		t.Fatalf("valid body rejected: %v", errs)
	}
	for _, bad := range []any{map[string]any{}, map[string]any{"id": "1"}, map[string]any{"id": 1.0, "extra": true}, []any{}} {
		if errs := validate(bad, ref, schemas, "b"); len(errs) == 0 {
			t.Errorf("invalid body %v accepted", bad)
		}
	}
	nullable := map[string]any{"oneOf": []any{ref, map[string]any{"type": "null"}}}
	if errs := validate(nil, nullable, schemas, "b"); len(errs) != 0 {
		t.Errorf("null refused by a nullable reference: %v", errs)
	}
	if errs := validate(map[string]any{"id": "x"}, nullable, schemas, "b"); len(errs) == 0 {
		t.Error("a wrong object passed a nullable reference")
	}
}

func describedUnder(described map[string]bool, prefix string) bool {
	for path := range described {
		if strings.HasPrefix(path, prefix) {
			return true
		}
	}
	return false
}

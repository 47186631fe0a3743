package plan

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"caseboard/internal/fault"
)

// Framework is an inspection framework: the criteria an inspectorate
// judges against, as a tree. The 2019 report's Annex B, for example, has
// four parts (A to D), each with criteria (A1, A2) that have sub-criteria
// (A1.1 to A1.7).
type Framework struct {
	ID          int64       `json:"id,omitempty"`
	Code        string      `json:"code"`
	Title       string      `json:"title"`
	Body        string      `json:"body,omitempty"` // the inspectorate, e.g. HMCPSI
	Description string      `json:"description,omitempty"`
	Source      string      `json:"source,omitempty"` // where the criteria were transcribed from
	Criteria    []Criterion `json:"criteria"`
}

// Criterion is one node of a framework. Its ID is its path as the report
// prints it under its part: A, A1, A1.1, B2.6. Parent may be left out of a
// file when the ID is such a path; it is then worked out from the ID.
type Criterion struct {
	ID     string `json:"id"`
	Parent string `json:"parent,omitempty"`
	Text   string `json:"text"`
}

// Level is the depth of a criterion: 0 for a part, 1 for a criterion, 2
// for a sub-criterion, and so on.
func (f *Framework) Level(id string) int {
	parents := make(map[string]string, len(f.Criteria))
	for _, c := range f.Criteria {
		parents[c.ID] = c.Parent
	}
	level := 0
	for p := parents[id]; p != "" && level <= len(f.Criteria); p = parents[p] {
		level++
	}
	return level
}

// Has reports whether the framework has a criterion with the id.
func (f *Framework) Has(id string) bool {
	for _, c := range f.Criteria {
		if c.ID == id {
			return true
		}
	}
	return false
}

// Limits on what a framework file may hold.
const (
	maxCriteria      = 5000
	maxCriterionText = 4000
	maxFrameworkFile = 4 << 20
)

var (
	codePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)
	idPattern   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$`)
	// pathPattern is a criterion id written as a path: a part's letters,
	// then the criterion's number, then sub-criteria numbers after dots.
	pathPattern = regexp.MustCompile(`^([A-Z]+)((?:[0-9]+)(?:\.[0-9]+)*)?$`)
)

// PathParent returns the parent a path-shaped id implies: A1.1 -> A1,
// A1 -> A, A -> "" (a part). ok is false when id is not path-shaped.
func PathParent(id string) (parent string, ok bool) {
	m := pathPattern.FindStringSubmatch(id)
	if m == nil {
		return "", false
	}
	if m[2] == "" {
		return "", true
	}
	if i := strings.LastIndex(id, "."); i >= 0 {
		return id[:i], true
	}
	return m[1], true
}

// Format is the encoding of a framework file.
type Format string

const (
	JSON Format = "json"
	CSV  Format = "csv"
)

// FormatOf guesses a file's format from its name, then from its first
// byte: a JSON file starts with '{'.
func FormatOf(name string, data []byte) Format {
	lower := strings.ToLower(name)
	switch {
	case strings.HasSuffix(lower, ".json"):
		return JSON
	case strings.HasSuffix(lower, ".csv"):
		return CSV
	}
	if t := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '{' {
		return JSON
	}
	return CSV
}

// ParseOptions gives what a CSV file cannot carry; for JSON each set field
// overrides the file's.
type ParseOptions struct {
	Code, Title, Body, Source string
}

// ParseFramework reads a framework file (docs/plans.md describes both
// formats) and checks it: every id well formed and unique, every parent
// present, no cycles. All problems are reported together, each with where
// it is, as an Invalid *fault.Error.
func ParseFramework(data []byte, format Format, opts ParseOptions) (Framework, error) {
	if len(data) > maxFrameworkFile {
		return Framework{}, fault.Errorf(fault.Invalid, "The framework file is larger than %d bytes", maxFrameworkFile)
	}
	if !utf8.Valid(data) {
		return Framework{}, fault.Errorf(fault.Invalid, "The framework file is not UTF-8 text")
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var f Framework
	var where []string
	var err error
	switch format {
	case JSON:
		f, where, err = parseJSON(data)
	case CSV:
		f, where, err = parseCSV(data)
	default:
		return Framework{}, fault.Errorf(fault.Invalid, "Unknown framework format %q: use json or csv", format)
	}
	if err != nil {
		return Framework{}, err
	}
	if opts.Code != "" {
		f.Code = opts.Code
	}
	if opts.Title != "" {
		f.Title = opts.Title
	}
	if opts.Body != "" {
		f.Body = opts.Body
	}
	if opts.Source != "" {
		f.Source = opts.Source
	}
	if err := f.validate(where); err != nil {
		return Framework{}, err
	}
	return f, nil
}

func parseJSON(data []byte) (Framework, []string, error) {
	var f Framework
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		var syntax *json.SyntaxError
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syntax):
			line, col := position(data, syntax.Offset)
			return f, nil, fault.Errorf(fault.Invalid, "The framework file is not valid JSON: %v at line %d, column %d", syntax, line, col)
		case errors.As(err, &typeErr):
			return f, nil, fault.Errorf(fault.Invalid, "The framework file's field %q must be a %s", typeErr.Field, typeErr.Type)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return f, nil, fault.Errorf(fault.Invalid, "The framework file is not valid JSON: it is empty or cut short")
		}
		return f, nil, fault.Errorf(fault.Invalid, "The framework file is not valid JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return f, nil, fault.Errorf(fault.Invalid, "The framework file must hold one JSON object with nothing after it")
	}
	f.ID = 0
	where := make([]string, len(f.Criteria))
	for i := range f.Criteria {
		where[i] = fmt.Sprintf("criteria[%d]", i)
	}
	return f, where, nil
}

func position(data []byte, offset int64) (line, col int) {
	line, col = 1, 1
	for i := int64(0); i < offset && i < int64(len(data)); i++ {
		if data[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

// parseCSV reads a header row naming at least id and text (parent is
// optional), then one criterion a row.
func parseCSV(data []byte) (Framework, []string, error) {
	var f Framework
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return f, nil, fault.Errorf(fault.Invalid, "The framework file is empty: it needs a header row id,parent,text and a row for each criterion")
		}
		return f, nil, fault.Errorf(fault.Invalid, "The framework file's header row could not be read: %v", err)
	}
	cols := map[string]int{}
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		if _, dup := cols[name]; dup {
			return f, nil, fault.Errorf(fault.Invalid, "The framework file's header names the column %q twice", name)
		}
		cols[name] = i
	}
	for _, need := range []string{"id", "text"} {
		if _, ok := cols[need]; !ok {
			return f, nil, fault.Errorf(fault.Invalid, "The framework file's header has no %q column; it needs id and text, and may have parent", need)
		}
	}
	var where []string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return f, nil, fault.Errorf(fault.Invalid, "The framework file could not be read: %v", err)
		}
		line, _ := r.FieldPos(0)
		if len(f.Criteria) == maxCriteria {
			return f, nil, fault.Errorf(fault.Invalid, "The framework file has more than %d criteria", maxCriteria)
		}
		get := func(name string) string {
			if i, ok := cols[name]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		if strings.Join(rec, "") == "" {
			continue // a blank line
		}
		f.Criteria = append(f.Criteria, Criterion{ID: get("id"), Parent: get("parent"), Text: get("text")})
		where = append(where, fmt.Sprintf("line %d", line))
	}
	return f, where, nil
}

// Validate checks a framework built in code, as ParseFramework checks a
// file.
func (f *Framework) Validate() error {
	where := make([]string, len(f.Criteria))
	for i := range f.Criteria {
		where[i] = fmt.Sprintf("criteria[%d]", i)
	}
	return f.validate(where)
}

// validate trims and checks the framework, filling in parents that path
// ids imply. where names each criterion's place in the file.
func (f *Framework) validate(where []string) error {
	var v fault.Validation
	f.Code, f.Title = strings.TrimSpace(f.Code), strings.TrimSpace(f.Title)
	f.Body, f.Description = strings.TrimSpace(f.Body), strings.TrimSpace(f.Description)
	if f.Code == "" {
		v.Add("code", "Give the framework a code, e.g. hmcpsi-2019-ijocd (in a CSV file's case, with --code)")
	} else if !codePattern.MatchString(f.Code) {
		v.Add("code", fmt.Sprintf("The code %q must be 1 to 64 lower-case letters, digits, dots, dashes or underscores", f.Code))
	}
	if f.Title == "" {
		v.Add("title", "Give the framework a title (in a CSV file's case, with --title)")
	} else if len(f.Title) > 300 {
		v.Add("title", "The title is longer than 300 characters")
	}
	if len(f.Criteria) == 0 {
		v.Add("criteria", "The framework has no criteria")
	}
	if len(f.Criteria) > maxCriteria {
		v.Add("criteria", fmt.Sprintf("The framework has more than %d criteria", maxCriteria))
		return v.Err("The framework cannot be loaded")
	}
	first := map[string]int{} // id -> index of its first appearance
	for i := range f.Criteria {
		c := &f.Criteria[i]
		c.ID, c.Parent, c.Text = strings.TrimSpace(c.ID), strings.TrimSpace(c.Parent), strings.TrimSpace(c.Text)
		at := where[i]
		name := at
		if c.ID != "" {
			name = fmt.Sprintf("%s (%s)", at, c.ID)
		}
		switch {
		case c.ID == "":
			v.Add(at, "The criterion has no id")
		case !idPattern.MatchString(c.ID):
			v.Add(at, fmt.Sprintf("The id %q must be 1 to 32 letters, digits, dots, dashes or underscores, e.g. A1.1", c.ID))
		default:
			if j, dup := first[c.ID]; dup {
				v.Add(at, fmt.Sprintf("The id %s is used twice: first at %s", c.ID, where[j]))
			} else {
				first[c.ID] = i
			}
		}
		if c.Text == "" {
			v.Add(name, "The criterion has no text")
		} else if len(c.Text) > maxCriterionText {
			v.Add(name, fmt.Sprintf("The criterion's text is longer than %d characters", maxCriterionText))
		}
		if implied, ok := PathParent(c.ID); ok {
			if c.Parent == "" {
				c.Parent = implied
			} else if c.Parent != implied {
				v.Add(name, fmt.Sprintf("The criterion names %s as its parent, but its id makes it a child of %s", c.Parent, orPart(implied)))
			}
		}
		if c.Parent != "" && c.Parent == c.ID {
			v.Add(name, "The criterion names itself as its parent")
		}
	}
	for i, c := range f.Criteria {
		if c.Parent == "" || c.Parent == c.ID {
			continue
		}
		if _, ok := first[c.Parent]; !ok {
			v.Add(fmt.Sprintf("%s (%s)", where[i], c.ID), fmt.Sprintf("The criterion's parent %s is not in the framework", c.Parent))
		}
	}
	// A cycle needs explicit parents that are not paths; walk up from each
	// criterion, and report each cycle once, by its members.
	parent := map[string]string{}
	for _, c := range f.Criteria {
		if _, seen := parent[c.ID]; !seen {
			parent[c.ID] = c.Parent
		}
	}
	reported := map[string]bool{}
	for i, c := range f.Criteria {
		if c.ID == "" || first[c.ID] != i {
			continue
		}
		seen := map[string]int{c.ID: 0}
		chain := []string{c.ID}
		for p := parent[c.ID]; p != ""; p = parent[p] {
			if _, ok := parent[p]; !ok {
				break // an orphan, reported above
			}
			if at, loop := seen[p]; loop {
				cycle := chain[at:]
				key := strings.Join(sortedCopy(cycle), ",")
				if p == chain[at] && !reported[key] && len(cycle) > 1 {
					reported[key] = true
					v.Add(fmt.Sprintf("%s (%s)", where[first[cycle[0]]], cycle[0]),
						fmt.Sprintf("The criteria %s form a cycle: each is the parent of the next", strings.Join(append(cycle, cycle[0]), " → ")))
				}
				break
			}
			seen[p] = len(chain)
			chain = append(chain, p)
		}
	}
	return v.Err("The framework cannot be loaded")
}

func orPart(id string) string {
	if id == "" {
		return "none (it is a part)"
	}
	return id
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// Node is a criterion with its children, for showing the tree.
type Node struct {
	Criterion
	Level    int
	Children []*Node
}

// Tree returns the framework's parts with their descendants, in file
// order. The framework must be valid.
func (f *Framework) Tree() []*Node {
	nodes := make(map[string]*Node, len(f.Criteria))
	for _, c := range f.Criteria {
		nodes[c.ID] = &Node{Criterion: c}
	}
	var roots []*Node
	for _, c := range f.Criteria {
		n := nodes[c.ID]
		if p, ok := nodes[c.Parent]; ok && c.Parent != "" {
			p.Children = append(p.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	var setLevel func(ns []*Node, level int)
	setLevel = func(ns []*Node, level int) {
		for _, n := range ns {
			n.Level = level
			setLevel(n.Children, level+1)
		}
	}
	setLevel(roots, 0)
	return roots
}

// MarshalCSV writes the framework's criteria in the CSV format.
func (f *Framework) MarshalCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "parent", "text"})
	for _, c := range f.Criteria {
		cw.Write([]string{c.ID, c.Parent, c.Text})
	}
	cw.Flush()
	return cw.Error()
}

package spreadsheet

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"

	"caseboard/internal/fault"
)

// MaxProblems is how many problems a Reader keeps: enough for a person to
// work through, and a bound on memory however bad a file is.
const MaxProblems = 1000

// Problem is what is wrong with one value in one row.
type Problem struct {
	Row    int    `json:"row"`    // as a spreadsheet program numbers it
	Column string `json:"column"` // as the file's header names it
	Value  string `json:"value"`
	Why    string `json:"why"`
}

// Problems collects the problems found in a file: the first few in full,
// and a count of the rest.
type Problems struct {
	keep  int
	list  []Problem
	total int
	rows  []uint64 // a bit per row number, to count rows with problems
	nrows int
}

// NewProblems returns a collector that keeps the first keep problems.
func NewProblems(keep int) *Problems { return &Problems{keep: keep} }

// Add records a problem.
func (p *Problems) Add(pr Problem) {
	p.total++
	if len(p.list) < p.keep {
		p.list = append(p.list, pr)
	}
	if pr.Row <= 0 {
		return
	}
	word, bit := pr.Row/64, uint64(1)<<(pr.Row%64)
	if word >= len(p.rows) {
		p.rows = append(p.rows, make([]uint64, word+1-len(p.rows))...)
	}
	if p.rows[word]&bit == 0 {
		p.rows[word] |= bit
		p.nrows++
	}
}

// Len returns how many problems were found, kept or not.
func (p *Problems) Len() int { return p.total }

// Rows returns how many rows have a problem.
func (p *Problems) Rows() int { return p.nrows }

// List returns the problems kept, in the order they were found.
func (p *Problems) List() []Problem { return p.list }

// Error summarises the problems for a person, naming the first.
func (p *Problems) Error() string {
	if p.total == 0 {
		return "no problems"
	}
	first := p.list[0]
	s := fmt.Sprintf("%d rows have problems", p.nrows)
	if p.nrows == 1 {
		s = "1 row has problems"
	}
	s += fmt.Sprintf("; first: row %d, column %s, value %q, %s", first.Row, first.Column, first.Value, first.Why)
	if p.total > len(p.list) {
		s += fmt.Sprintf(" (%d problems in all; the first %d are listed)", p.total, len(p.list))
	}
	return s
}

// Err returns nil when there are no problems, and otherwise an Invalid
// *fault.Error whose message is the summary.
func (p *Problems) Err() error {
	if p.total == 0 {
		return nil
	}
	return &fault.Error{Code: fault.Invalid, Message: p.Error()}
}

// WriteCSV writes the problems kept as a CSV reject report, by row, with a
// last line counting any that were not kept. The report goes through the
// Writer because its values came from an uploaded file and may be formulas.
func (p *Problems) WriteCSV(w io.Writer) error {
	cw, err := NewWriter(w, CSV, "")
	if err != nil {
		return err
	}
	if err := cw.WriteHeader([]string{"row", "column", "value", "why"}); err != nil {
		return err
	}
	sorted := slices.Clone(p.list)
	slices.SortStableFunc(sorted, func(a, b Problem) int { return cmp.Compare(a.Row, b.Row) })
	for _, pr := range sorted {
		if err := cw.WriteRow([]string{strconv.Itoa(pr.Row), pr.Column, pr.Value, pr.Why}); err != nil {
			return err
		}
	}
	if rest := p.total - len(p.list); rest > 0 {
		note := fmt.Sprintf("%d more problems are not listed: fix these and import the file again to see them", rest)
		if err := cw.WriteRow([]string{"", "", "", note}); err != nil {
			return err
		}
	}
	return cw.Close()
}

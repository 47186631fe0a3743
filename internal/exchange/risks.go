package exchange

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/risk"
	"caseboard/internal/spreadsheet"
	"caseboard/internal/store"
)

// ImportRisks reads a risk register (CSV or XLSX, one row per risk, the
// columns of risk.SpreadsheetColumns) and adds it, all or nothing: every
// problem is reported with its row and column, and nothing is written
// while any remains. Options.SkipInvalid is not offered: a register is
// brought in whole, since its risks link to one another.
func ImportRisks(ctx context.Context, db *store.DB, p *access.Principal, file io.Reader, name string, opts Options) (Result, error) {
	if opts.SkipInvalid {
		return Result{}, &fault.Error{Code: fault.Invalid, Message: "A risk register is imported whole or not at all: its risks link to one another, so wrong rows cannot be skipped",
			Fields: []fault.FieldError{{Field: "skip_invalid", Message: "Import the register whole"}}}
	}
	hash := sha256.New()
	rd, err := spreadsheet.Open(io.TeeReader(file, hash), name, opts.Limit)
	if err != nil {
		return Result{}, err
	}
	defer rd.Close()
	cols, err := rd.Columns(risk.SpreadsheetColumns, risk.SpreadsheetOptionalColumns)
	if err != nil {
		return Result{}, err
	}
	res := Result{Problems: rd.Problems(), Ignored: cols.Ignored()}
	rows, raw, read := readRiskRows(rd, db.Now())
	if err := rd.Err(); err != nil {
		return res, err
	}
	res.Summary.Read = read
	if res.Problems.Len() > 0 {
		res.Summary.Rejected = res.Problems.Rows()
		return res, &fault.Error{Code: fault.Invalid, Message: fmt.Sprintf("Nothing was imported: %s", res.Problems.Error())}
	}
	var absent []string
	for _, c := range risk.SpreadsheetOptionalColumns {
		if !cols.Has(c) {
			absent = append(absent, c)
		}
	}
	sum, problems, err := db.ImportRisks(ctx, p, baseName(name), hex.EncodeToString(hash.Sum(nil)), rows, absent)
	for _, pr := range problems {
		res.Problems.Add(spreadsheet.Problem{Row: pr.Row, Column: cols.Title(pr.Column), Value: raw[pr.Row][pr.Column], Why: pr.Reason})
	}
	if err != nil {
		res.Summary.Rejected = res.Problems.Rows()
		return res, err
	}
	res.Summary, res.Committed = sum, true
	return res, nil
}

// readRiskRows reads every row into a risk to load, recording on the row
// what cannot be read; it returns the rows read well, their values as the
// file has them (for the store's problems to quote), and how many rows
// there were. What needs the register (units, people, references) and the
// risk's own rules are checked by the store.
func readRiskRows(rd *spreadsheet.Reader, today time.Time) ([]store.RiskImportRow, map[int]map[string]string, int) {
	var out []store.RiskImportRow
	raw := map[int]map[string]string{}
	read := 0
	for rd.Next() {
		read++
		row := rd.Row()
		if sd, ok := riskFromRow(row, today); ok {
			out = append(out, store.RiskImportRow{Row: row.Number(), Seed: sd})
			values := map[string]string{}
			for _, c := range append(slices.Clone(risk.SpreadsheetColumns), risk.SpreadsheetOptionalColumns...) {
				values[c] = row.Raw(c)
			}
			raw[row.Number()] = values
		}
	}
	return out, raw, read
}

// riskFromRow reads one row of a register; ok is false when the row has
// problems, which are recorded on it.
func riskFromRow(row spreadsheet.Row, today time.Time) (risk.Seed, bool) {
	lower := func(c string) string { return strings.ToLower(strings.TrimSpace(row.Get(c))) }
	r := risk.Risk{Reference: strings.TrimSpace(row.Get("reference")), Title: row.Get("title"), Cause: row.Get("cause"), Event: row.Get("event"),
		Consequence: row.Get("consequence"), Category: risk.Category(lower("category")), Themes: splitList(row.Get("themes")),
		Proximity: risk.Proximity(lower("proximity")), Treatment: risk.Treatment(lower("treatment")), Status: risk.Status(lower("status")),
		Project: row.Get("project")}
	rating := func(prefix string) risk.Rating {
		l, _ := row.Int(prefix+"_likelihood", true)
		i, _ := row.Int(prefix+"_impact", true)
		return risk.Rating{Likelihood: l, Impact: i}
	}
	r.Inherent, r.Current, r.Target = rating("inherent"), rating("current"), rating("target")
	r.ReviewMonths, _ = row.Int("review_months", true)
	r.NextReview, _ = row.Date("next_review", true)
	optionalDate := func(c string) *time.Time {
		if d, ok := row.Date(c, false); ok && !d.IsZero() {
			return &d
		}
		return nil
	}
	r.TargetDate, r.AcceptedUntil, r.ClosedOn = optionalDate("target_date"), optionalDate("accepted_until"), optionalDate("closed_on")
	sd := risk.Seed{Risk: r, Unit: lower("unit"), Location: lower("location"), OwnerEmail: lower("owner"), ParentRef: strings.TrimSpace(row.Get("parent")),
		Related: splitList(row.Get("related")), Raised: risk.Day(today)}
	if raised := optionalDate("raised_on"); raised != nil {
		if raised.After(today) {
			row.Problem("raised_on", "The date a risk was raised cannot be in the future")
		}
		sd.Raised = *raised
	}
	for _, c := range []string{"unit", "owner"} {
		if row.Get(c) == "" {
			row.Problem(c, "Enter the "+c)
		}
	}
	return sd, row.OK()
}

// splitList reads a cell of several values separated by semicolons (or
// commas).
func splitList(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// ExportRisks writes the risks the filter selects (as the register view
// shows them, "as at" included) as a CSV or XLSX file in the import's own
// columns, so it imports back.
func ExportRisks(ctx context.Context, db *store.DB, p *access.Principal, w io.Writer, format string, f store.RiskFilter) (int, error) {
	out, err := spreadsheet.NewWriter(w, format, "Risks")
	if err != nil {
		return 0, err
	}
	columns := append(append([]string{"reference"}, risk.SpreadsheetColumns...), slices.DeleteFunc(slices.Clone(risk.SpreadsheetOptionalColumns),
		func(c string) bool { return c == "reference" })...)
	if err := out.WriteHeader(columns); err != nil {
		return 0, err
	}
	n := 0
	err = db.ExportRisks(ctx, p, f, func(sd risk.Seed) error {
		n++
		r := sd.Risk
		text, num := spreadsheet.Text, func(v int) spreadsheet.Cell { return spreadsheet.Number(float64(v)) }
		date := func(t *time.Time) spreadsheet.Cell {
			if t == nil {
				return spreadsheet.Text("")
			}
			return spreadsheet.Date(*t)
		}
		return out.WriteCells([]spreadsheet.Cell{
			text(r.Reference), text(r.Title), text(r.Cause), text(r.Event), text(r.Consequence), text(string(r.Category)), text(sd.Unit), text(sd.OwnerEmail),
			num(r.Inherent.Likelihood), num(r.Inherent.Impact), num(r.Current.Likelihood), num(r.Current.Impact), num(r.Target.Likelihood), num(r.Target.Impact),
			num(r.ReviewMonths), spreadsheet.Date(r.NextReview),
			text(sd.Location), text(strings.Join(r.Themes, "; ")), date(r.TargetDate), text(string(r.Proximity)), text(string(r.Treatment)), text(string(r.Status)),
			date(r.AcceptedUntil), date(r.ClosedOn), text(sd.ParentRef), text(strings.Join(sd.Related, "; ")), text(r.Project), spreadsheet.Date(sd.Raised),
		})
	})
	if err != nil {
		return n, err
	}
	return n, out.Close()
}

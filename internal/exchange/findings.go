package exchange

import (
	"context"
	"fmt"
	"io"
	"strings"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/plan"
	"caseboard/internal/spreadsheet"
	"caseboard/internal/store"
)

// FindingColumns are the columns of the findings export, one row per
// recommendation, aspect for improvement or good practice, in each
// report's order.
var FindingColumns = []string{"inspection", "published_on", "finding", "paragraph", "text", "criteria", "finding_status",
	"accountable_owner", "accountable_owner_email", "response", "response_text", "response_on"}

// findingImportColumns are what a findings import needs; the others of
// the export are read when present, except published_on, finding_status
// and accountable_owner, which caseboard keeps itself.
var (
	findingImportColumns  = []string{"inspection", "finding", "paragraph", "text"}
	findingImportOptional = []string{"criteria", "accountable_owner_email", "response", "response_text", "response_on"}
)

// ExportFindings writes every finding of every inspection, newest report
// first, with its criteria, status, owner and response.
func ExportFindings(ctx context.Context, db *store.DB, w io.Writer, format string) (int, error) {
	out, err := spreadsheet.NewWriter(w, format, "Findings")
	if err != nil {
		return 0, err
	}
	if err := out.WriteHeader(FindingColumns); err != nil {
		return 0, err
	}
	inspections, err := db.Inspections(ctx)
	if err != nil {
		return 0, err
	}
	emails := map[int64]string{}
	n := 0
	for _, in := range inspections {
		findings, err := db.Findings(ctx, in.ID)
		if err != nil {
			return n, err
		}
		for _, f := range findings {
			email := ""
			if f.OwnerID != nil {
				if email, err = ownerEmail(ctx, db, emails, *f.OwnerID); err != nil {
					return n, err
				}
			}
			decision, text, on := "", "", spreadsheet.Date(zeroTime)
			if r := f.Response; r != nil {
				decision, text, on = r.Decision.Label(), r.Text, spreadsheet.Date(r.On)
			}
			err := out.WriteCells([]spreadsheet.Cell{
				spreadsheet.Text(in.Title), spreadsheet.Date(in.PublishedOn), spreadsheet.Text(f.Name()), spreadsheet.Text(f.Paragraph),
				spreadsheet.Text(f.Text), spreadsheet.Text(strings.Join(f.Criteria, "; ")), spreadsheet.Text(f.Status.Label()),
				spreadsheet.Text(f.OwnerName), spreadsheet.Text(email), spreadsheet.Text(decision), spreadsheet.Text(text), on,
			})
			if err != nil {
				return n, err
			}
			n++
		}
	}
	return n, out.Close()
}

func ownerEmail(ctx context.Context, db *store.DB, known map[int64]string, id int64) (string, error) {
	if email, ok := known[id]; ok {
		return email, nil
	}
	p, err := db.Person(ctx, id)
	if err != nil {
		return "", fmt.Errorf("export findings: owner %d: %w", id, err)
	}
	known[id] = p.Email
	return p.Email, nil
}

// ImportFindings reads a findings spreadsheet (CSV or XLSX, the columns of
// the export) and records its findings, all or nothing; rows recorded
// before must carry the same words, and may give a response or accountable
// owner the finding lacks.
func ImportFindings(ctx context.Context, db *store.DB, p *access.Principal, file io.Reader, name string) (Result, error) {
	rd, err := spreadsheet.Open(file, name, 0)
	if err != nil {
		return Result{}, err
	}
	defer rd.Close()
	rows, res, err := readFindings(rd)
	if err != nil || res.Problems.Len() > 0 {
		if err == nil {
			err = &fault.Error{Code: fault.Invalid, Message: fmt.Sprintf("Nothing was imported: %s", res.Problems.Error())}
		}
		return res, err
	}
	done, problems, err := db.ImportFindings(ctx, p, baseName(name), rows)
	for _, pr := range problems {
		res.Problems.Add(spreadsheet.Problem{Row: pr.Row, Column: pr.Column, Why: pr.Reason})
	}
	if err != nil {
		return res, err
	}
	res.Summary.Read, res.Summary.Added, res.Summary.Changed, res.Summary.Unchanged, res.Committed = len(rows), done.Added, done.Changed, done.Unchanged, true
	return res, nil
}

// readFindings reads every row of a findings spreadsheet, noting each
// problem a row has on its own (a finding not named as the export names
// it, a response given in part, a date that is not one); the store checks
// the rest against the records.
func readFindings(rd *spreadsheet.Reader) ([]store.FindingImport, Result, error) {
	cols, err := rd.Columns(findingImportColumns, append(findingImportOptional, FindingColumns...))
	if err != nil {
		return nil, Result{}, err
	}
	res := Result{Problems: rd.Problems(), Ignored: cols.Ignored()}
	var rows []store.FindingImport
	for rd.Next() {
		if r, ok := readFinding(rd.Row()); ok {
			rows = append(rows, r)
		}
	}
	if err := rd.Err(); err != nil {
		return nil, res, err
	}
	res.Summary.Read = len(rows) + res.Problems.Rows()
	return rows, res, nil
}

func readFinding(row spreadsheet.Row) (store.FindingImport, bool) {
	r := store.FindingImport{Row: row.Number(), InspectionTitle: row.Get("inspection"), Paragraph: row.Get("paragraph"), Text: row.Get("text"),
		OwnerEmail: row.Get("accountable_owner_email"), Criteria: splitCriteria(row.Get("criteria"))}
	kind, number, ok := parseFindingName(row.Get("finding"))
	if !ok {
		row.Problem("finding", `Name the finding as the export does: "Recommendation 3", "Aspect for improvement 1", "Good practice 2"`)
	}
	r.Kind, r.Number = kind, number
	for _, c := range []string{"inspection", "paragraph", "text"} {
		if row.Get(c) == "" {
			row.Problem(c, "Enter the "+c)
		}
	}
	decision, text := row.Get("response"), row.Get("response_text")
	on, _ := row.Date("response_on", false)
	if decision != "" || text != "" || !on.IsZero() {
		resp := plan.Response{Text: text, On: on}
		if resp.Decision, ok = parseDecision(decision); !ok {
			row.Problem("response", "Give the response as Accepted, Partially accepted or Not accepted, with its text and date")
		}
		if text == "" {
			row.Problem("response_text", "Give the response's text as published, with its decision and date")
		}
		if on.IsZero() && row.Get("response_on") == "" {
			row.Problem("response_on", "Give the date of the response, with its decision and text")
		}
		r.Response = &resp
	}
	return r, row.OK()
}

// parseDecision reads a response as the export writes it ("Partially
// accepted") or as the API does ("partially_accepted").
func parseDecision(s string) (plan.Decision, bool) {
	s = strings.Join(strings.Fields(s), " ")
	for _, d := range plan.Decisions {
		if strings.EqualFold(s, d.Label()) || strings.EqualFold(s, string(d)) {
			return d, true
		}
	}
	return "", false
}

// splitCriteria reads criterion ids separated by semicolons, commas or
// spaces.
func splitCriteria(s string) []string {
	return strings.FieldsFunc(s, func(c rune) bool { return c == ';' || c == ',' || c == ' ' || c == '\t' || c == '\n' })
}

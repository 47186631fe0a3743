package exchange

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/pdfdoc"
	"caseboard/internal/plan"
	"caseboard/internal/spreadsheet"
	"caseboard/internal/store"
)

// ReadinessColumns are the columns of the readiness report, one row per
// criterion of the framework.
var ReadinessColumns = []string{"criterion", "level", "text", "rating", "commentary", "assessed_by", "assessed_at",
	"findings", "actions", "actions_done", "actions_late", "evidence", "checks"}

// ExportReadiness writes a framework's readiness report, for the next
// inspection: per criterion, the self-assessment and the evidence.
func ExportReadiness(ctx context.Context, db *store.DB, w io.Writer, format string, frameworkID int64) (int, error) {
	r, err := db.Readiness(ctx, frameworkID, db.Now())
	if err != nil {
		return 0, err
	}
	out, err := spreadsheet.NewWriter(w, format, "Readiness")
	if err != nil {
		return 0, err
	}
	if err := out.WriteHeader(ReadinessColumns); err != nil {
		return 0, err
	}
	levels := []string{"part", "criterion", "sub-criterion"}
	for _, row := range r.Rows {
		level := fmt.Sprintf("level %d", row.Level)
		if row.Level < len(levels) {
			level = levels[row.Level]
		}
		rating, commentary, by := plan.NotAssessed.Label(), "", ""
		assessed := spreadsheet.Date(zeroTime)
		if a := row.Assessment; a != nil {
			rating, commentary, by, assessed = a.Rating.Label(), a.Commentary, a.AssessedBy, spreadsheet.Date(a.AssessedAt)
		}
		var findings, checks []string
		for _, f := range row.Findings {
			name := f.Name()
			if f.Status != "" {
				name += " (" + strings.ToLower(f.Status.Label()) + ")"
			}
			findings = append(findings, name)
		}
		for _, c := range row.Checks {
			checks = append(checks, c.Code+": "+strings.ToLower(c.Outcome.Label()))
		}
		err := out.WriteCells([]spreadsheet.Cell{
			spreadsheet.Text(row.ID), spreadsheet.Text(level), spreadsheet.Text(row.Text), spreadsheet.Text(rating), spreadsheet.Text(commentary),
			spreadsheet.Text(by), assessed, spreadsheet.Text(strings.Join(findings, "; ")),
			spreadsheet.Number(float64(row.Actions)), spreadsheet.Number(float64(row.ActionsDone)), spreadsheet.Number(float64(row.ActionsLate)),
			spreadsheet.Text(strings.Join(row.Evidence, "; ")), spreadsheet.Text(strings.Join(checks, "; ")),
		})
		if err != nil {
			return 0, err
		}
	}
	return len(r.Rows), out.Close()
}

// ActionColumns are the columns of the action plans export, one row per
// action, with what it answers.
var ActionColumns = []string{"inspection", "published_on", "finding", "paragraph", "finding_status", "response", "accountable_owner",
	"action_id", "action", "owner", "owner_email", "original_due_on", "due_on", "status", "rag", "target_changes", "closed_on", "signed_off_by", "closure_note"}

// ExportActions writes every action of every inspection's findings, with
// its finding, as of today.
func ExportActions(ctx context.Context, db *store.DB, w io.Writer, format string) (int, error) {
	out, err := spreadsheet.NewWriter(w, format, "Actions")
	if err != nil {
		return 0, err
	}
	if err := out.WriteHeader(ActionColumns); err != nil {
		return 0, err
	}
	inspections, err := db.Inspections(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, in := range inspections {
		findings, err := db.Findings(ctx, in.ID)
		if err != nil {
			return n, err
		}
		for _, f := range findings {
			if !f.Kind.Acted() {
				continue
			}
			fp, err := db.Plan(ctx, f.ID, db.Now())
			if err != nil {
				return n, err
			}
			response := ""
			if f.Response != nil {
				response = f.Response.Decision.Label()
			}
			for _, a := range fp.Actions {
				closed := spreadsheet.Date(zeroTime)
				if a.ClosedOn != nil {
					closed = spreadsheet.Date(*a.ClosedOn)
				}
				err := out.WriteCells([]spreadsheet.Cell{
					spreadsheet.Text(in.Title), spreadsheet.Date(in.PublishedOn), spreadsheet.Text(f.Name()), spreadsheet.Text(f.Paragraph),
					spreadsheet.Text(f.Status.Label()), spreadsheet.Text(response), spreadsheet.Text(f.OwnerName),
					spreadsheet.Number(float64(a.ID)), spreadsheet.Text(a.Title), spreadsheet.Text(a.OwnerName), spreadsheet.Text(a.OwnerEmail),
					spreadsheet.Date(a.OriginalDueOn), spreadsheet.Date(a.DueOn), spreadsheet.Text(a.Effective.Label()), spreadsheet.Text(a.Rating.Label()),
					spreadsheet.Number(float64(a.TargetChanges)), closed, spreadsheet.Text(a.ClosedByName), spreadsheet.Text(a.ClosureNote),
				})
				if err != nil {
					return n, err
				}
				n++
			}
		}
	}
	return n, out.Close()
}

// zeroTime writes an empty date cell.
var zeroTime time.Time

// actionImportColumns are what an action-plan import needs; the other
// columns of the export may be present and are not read.
var (
	actionImportColumns  = []string{"inspection", "finding", "action", "owner_email", "due_on"}
	actionImportOptional = []string{"action_id", "detail"}
)

// ImportActions reads an action-plan spreadsheet (CSV or XLSX, the columns
// of the export) and adds its new actions, all or nothing; rows that were
// exported must come back unchanged.
func ImportActions(ctx context.Context, db *store.DB, p *access.Principal, file io.Reader, name string) (Result, error) {
	rd, err := spreadsheet.Open(file, name, 0)
	if err != nil {
		return Result{}, err
	}
	defer rd.Close()
	cols, err := rd.Columns(actionImportColumns, append(actionImportOptional, ActionColumns...))
	if err != nil {
		return Result{}, err
	}
	res := Result{Problems: rd.Problems(), Ignored: cols.Ignored()}
	var rows []store.ActionImport
	for rd.Next() {
		row := rd.Row()
		r := store.ActionImport{Row: row.Number(), InspectionTitle: row.Get("inspection"), Title: row.Get("action"), Detail: row.Get("detail"),
			OwnerEmail: row.Get("owner_email")}
		kind, number, ok := parseFindingName(row.Get("finding"))
		if !ok {
			row.Problem("finding", `Name the finding as the export does: "Recommendation 3", "Aspect for improvement 1"`)
		}
		r.FindingKind, r.FindingNumber = kind, number
		if id, ok := row.Int("action_id", false); ok && id > 0 {
			r.ActionID = int64(id)
		}
		r.DueOn, _ = row.Date("due_on", true)
		for _, c := range []string{"inspection", "owner_email"} {
			if row.Get(c) == "" {
				row.Problem(c, "Enter the "+strings.ReplaceAll(c, "_", " "))
			}
		}
		if row.OK() {
			rows = append(rows, r)
		}
	}
	if err := rd.Err(); err != nil {
		return res, err
	}
	res.Summary.Read = len(rows) + res.Problems.Rows()
	if res.Problems.Len() > 0 {
		return res, &fault.Error{Code: fault.Invalid, Message: fmt.Sprintf("Nothing was imported: %s", res.Problems.Error())}
	}
	added, unchanged, problems, err := db.ImportActions(ctx, p, baseName(name), rows)
	for _, pr := range problems {
		res.Problems.Add(spreadsheet.Problem{Row: pr.Row, Column: pr.Column, Why: pr.Reason})
	}
	if err != nil {
		return res, err
	}
	res.Summary.Read, res.Summary.Added, res.Summary.Unchanged, res.Committed = len(rows), added, unchanged, true
	return res, nil
}

// parseFindingName reads "Recommendation 3" or "Aspect for improvement 1".
func parseFindingName(s string) (plan.Kind, int, bool) {
	s = strings.TrimSpace(s)
	for _, k := range plan.Kinds {
		if rest, ok := strings.CutPrefix(strings.ToLower(s), strings.ToLower(k.Label())+" "); ok {
			n, err := strconv.Atoi(strings.TrimSpace(rest))
			return k, n, err == nil && n > 0
		}
	}
	return "", 0, false
}

// ratingFills colour a criterion's rating in the printed readiness
// report, so the weak points show at a glance.
var ratingFills = map[plan.Rating]pdfdoc.Colour{
	plan.Strong: {R: 204, G: 226, B: 216}, plan.Sound: {R: 224, G: 236, B: 220},
	plan.NeedsImprovement: {R: 255, G: 236, B: 204}, plan.Weak: {R: 246, G: 215, B: 210},
}

// ExportReadinessPDF writes a framework's readiness report as a printable
// PDF for the next inspection: the ratings in summary, then each part of
// the framework as a table of its criteria with their rating, the
// commentary it rests on, the findings that name them, their actions, the
// evidence cited and the checks that bear on them.
func ExportReadinessPDF(ctx context.Context, db *store.DB, w io.Writer, frameworkID int64) (int, error) {
	now := db.Now()
	r, err := db.Readiness(ctx, frameworkID, now)
	if err != nil {
		return 0, err
	}
	fw := r.Framework
	doc := pdfdoc.New(pdfdoc.Options{Title: "Readiness: " + fw.Title, Landscape: true, Generated: now,
		Subtitle: strings.TrimSpace(fw.Body+" framework "+fw.Code) + ", self-assessment as at " + r.AsOf.Format("2 January 2006")})
	doc.Heading("Summary")
	var summary [][2]string
	for _, rating := range plan.Ratings {
		summary = append(summary, [2]string{rating.Label(), fmt.Sprintf("%d of %d criteria", r.Ratings[rating], len(r.Rows))})
	}
	doc.Facts(summary)
	doc.Paragraph("Each criterion's rating is the division's own, with the commentary it rests on. The findings are the inspectorate's " +
		"recommendations, aspects for improvement and good practice that name the criterion; the actions are those of their plans " +
		"(done, and late as at the date above); the evidence is what those actions cite; the checks are caseboard's evidence checks that " +
		"bear on the criterion, with their latest result.")
	columns := []pdfdoc.Column{{Header: "Criterion", Width: 12}, {Header: "Text", Width: 26}, {Header: "Rating", Width: 15},
		{Header: "Commentary", Width: 22}, {Header: "Findings", Width: 20}, {Header: "Actions", Width: 11},
		{Header: "Evidence", Width: 28}, {Header: "Checks", Width: 18}}
	table := pdfdoc.Table{Columns: columns}
	var ratings []plan.Rating
	flush := func() {
		if len(table.Rows) > 0 {
			rowRatings := ratings
			table.Fill = func(row, col int) (pdfdoc.Colour, bool) {
				c, ok := ratingFills[rowRatings[row]]
				return c, ok && col == 2
			}
			doc.Table(table)
		}
		table, ratings = pdfdoc.Table{Columns: columns}, nil
	}
	for _, row := range r.Rows {
		if row.Level == 0 {
			flush()
			doc.Heading(row.ID + " " + row.Text)
		}
		rating, commentary := plan.NotAssessed, ""
		if a := row.Assessment; a != nil {
			rating, commentary = a.Rating, a.Commentary
			if a.AssessedBy != "" {
				commentary += " (" + a.AssessedBy + ", " + a.AssessedAt.Format("2 Jan 2006") + ")"
			}
		}
		var findings, checks []string
		for _, f := range row.Findings {
			name := f.Name()
			if f.Status != "" {
				name += " (" + strings.ToLower(f.Status.Label()) + ")"
			}
			findings = append(findings, name)
		}
		for _, c := range row.Checks {
			checks = append(checks, c.Code+": "+strings.ToLower(c.Outcome.Label()))
		}
		actions := ""
		if row.Actions > 0 {
			actions = fmt.Sprintf("%d, %d done, %d late", row.Actions, row.ActionsDone, row.ActionsLate)
		}
		table.Rows = append(table.Rows, []string{row.ID, row.Text, rating.Label(), commentary, strings.Join(findings, "; "), actions,
			strings.Join(row.Evidence, "; "), strings.Join(checks, "; ")})
		ratings = append(ratings, rating)
	}
	flush()
	return len(r.Rows), doc.Write(w)
}

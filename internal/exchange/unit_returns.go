package exchange

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
	"caseboard/internal/org"
	"caseboard/internal/spreadsheet"
	"caseboard/internal/store"
)

// UnitReturnColumns are the columns of a units' monthly returns file, one
// row per unit and month; the FTE of each grade is in a column of its own,
// fte_<grade> (UnitReturnFTEColumns), any of which may be left out.
var UnitReturnColumns = []string{"unit", "month", "working_days_lost", "advocacy_sessions_in_house", "advocacy_sessions_counsel",
	"crown_advocate_hours", "crown_advocate_hours_available"}

// UnitReturnFTEColumns are the optional FTE columns, one per grade.
var UnitReturnFTEColumns = func() []string {
	var out []string
	for _, g := range org.Grades {
		out = append(out, "fte_"+string(g.Code))
	}
	return out
}()

var monthPattern = regexp.MustCompile(`^\d{4}-\d{2}$`)

// ReadUnitReturns reads a returns spreadsheet (CSV or XLSX) into rows,
// checking each against the rules of a return; thisMonth bounds the
// months. Every problem is recorded with its row and column in the
// returned Problems; a file that cannot be read at all is an error.
func ReadUnitReturns(file io.Reader, name, thisMonth string, limit int64) ([]store.UnitReturnImport, *spreadsheet.Problems, []string, error) {
	rd, err := spreadsheet.Open(file, name, limit)
	if err != nil {
		return nil, nil, nil, err
	}
	defer rd.Close()
	cols, err := rd.Columns(UnitReturnColumns, UnitReturnFTEColumns)
	if err != nil {
		return nil, nil, nil, err
	}
	var rows []store.UnitReturnImport
	for rd.Next() {
		row := rd.Row()
		r := measure.UnitReturn{UnitCode: row.Get("unit"), Month: row.Get("month")}
		if r.Month != "" && !monthPattern.MatchString(r.Month) {
			// A spreadsheet program may have turned 2018-06 into a date.
			if d, ok := row.Date("month", true); ok {
				r.Month = casework.MonthOf(d)
			}
		}
		r.WorkingDaysLost, _ = row.Float("working_days_lost", true)
		r.SessionsInHouse, _ = row.Int("advocacy_sessions_in_house", true)
		r.SessionsCounsel, _ = row.Int("advocacy_sessions_counsel", true)
		r.CrownAdvocateHours, _ = row.Int("crown_advocate_hours", true)
		r.CrownAdvocateAvailable, _ = row.Int("crown_advocate_hours_available", true)
		for _, c := range UnitReturnFTEColumns {
			if fte, ok := row.Float(c, false); ok && row.Get(c) != "" {
				r.FTE = append(r.FTE, measure.GradeFTE{Grade: org.Grade(strings.TrimPrefix(c, "fte_")), FTE: fte})
			}
		}
		if row.OK() {
			if fe := fault.As(r.Validate(thisMonth)); fe != nil {
				for _, f := range fe.Fields {
					row.Problem(strings.Replace(f.Field, "fte.", "fte_", 1), f.Message)
				}
			}
		}
		if row.OK() {
			rows = append(rows, store.UnitReturnImport{Row: row.Number(), Return: r})
		}
	}
	return rows, rd.Problems(), cols.Ignored(), rd.Err()
}

// ImportUnitReturns reads a returns spreadsheet and enters its returns,
// all or nothing: a row for a month a unit has a return for corrects it.
// Of the options only the size limit applies: returns are never imported
// in part.
func ImportUnitReturns(ctx context.Context, db *store.DB, p *access.Principal, file io.Reader, name string, opts Options) (Result, error) {
	rows, problems, ignored, err := ReadUnitReturns(file, name, casework.MonthOf(db.Now()), opts.Limit)
	if err != nil {
		return Result{}, err
	}
	res := Result{Problems: problems, Ignored: ignored}
	res.Summary.Read = len(rows) + problems.Rows()
	if problems.Len() > 0 {
		return res, &fault.Error{Code: fault.Invalid, Message: fmt.Sprintf("Nothing was imported: %s", problems.Error())}
	}
	added, corrected, unchanged, found, err := db.ImportUnitReturns(ctx, p, baseName(name), rows)
	for _, pr := range found {
		res.Problems.Add(spreadsheet.Problem{Row: pr.Row, Column: pr.Column, Why: pr.Reason})
	}
	if err != nil {
		return res, err
	}
	res.Summary.Added, res.Summary.Changed, res.Summary.Unchanged, res.Committed = added, corrected, unchanged, true
	return res, nil
}

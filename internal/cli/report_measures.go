package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"text/tabwriter"

	"caseboard/internal/access"
	"caseboard/internal/config"
	"caseboard/internal/measure"
	"caseboard/internal/org"
	"caseboard/internal/spreadsheet"
)

const measuresUsage = "report measures --as EMAIL --period P [--unit U] [--format table|json|csv|xlsx] [--output FILE]\n" +
	"  P is a financial year (2017-18), a quarter (2018-19-Q2), a month (2018-06) or twelve months to a month (r12-2018-06)"

// measureLine is one measure's figure as the command prints it.
type measureLine struct {
	Code        string          `json:"code"`
	Name        string          `json:"name"`
	Value       *float64        `json:"value"`
	Numerator   *int            `json:"numerator"`
	Denominator *int            `json:"denominator"`
	Target      *measure.Target `json:"target"`
	Status      measure.RAG     `json:"status"`
	Format      measure.Format  `json:"format"`
}

// runReportMeasures prints every measure that applies to the unit (or the
// division) for a period, computed from what the reader may see.
func runReportMeasures(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "report measures", measuresUsage)
	load := config.Register(fs, env.Getenv, "db")
	as := fs.String("as", "", "email of the person the report is for: it counts what they may see")
	periodFlag := fs.String("period", "", "the period: 2017-18, 2018-19-Q2, 2018-06 or r12-2018-06")
	unit := fs.String("unit", "", "a unit's code; the whole division when not given")
	format := fs.String("format", "table", "table (or text), json, csv or xlsx")
	output := fs.String("output", "", "file to write to; standard output when not given")
	if err := parse(fs, args); err != nil {
		return err
	}
	period, err := measure.ParsePeriod(*periodFlag)
	if err != nil {
		return usagef("report measures: --period: %v", err)
	}
	if !slices.Contains([]string{"table", "text", "json", "csv", "xlsx"}, *format) {
		return usagef("report measures: --format is table, json, csv or xlsx")
	}
	cfg, err := load()
	if err != nil {
		return usagef("report measures: %v", err)
	}
	db, p, err := openAs(ctx, cfg, *as)
	if err != nil {
		return err
	}
	defer db.Close()
	if *unit != "" && !access.Allows(p, access.ReadOrganisation) {
		return usagef("report measures: %s may see the division's figures only, not a unit's", *as)
	}
	if *unit != "" {
		units, err := db.Units(ctx)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(units, func(u org.Unit) bool { return u.Code == *unit }) {
			return usagef("report measures: there is no unit %q", *unit)
		}
	}
	counts, err := db.MeasureCounts(ctx, access.FiguresReader(p), period, *unit)
	if err != nil {
		return err
	}
	measures, err := db.MeasuresFor(ctx, p)
	if err != nil {
		return err
	}
	var lines []measureLine
	for _, m := range measures {
		if !m.AppliesTo(*unit) {
			continue
		}
		v := m.Compute(counts)
		lines = append(lines, measureLine{Code: m.Code, Name: m.Name, Value: v.Value, Numerator: v.Numerator, Denominator: v.Denominator,
			Target: m.Target, Status: v.RAG, Format: m.Format})
	}
	w := env.Stdout
	if *output != "" {
		file, err := os.Create(*output)
		if err != nil {
			return err
		}
		defer file.Close()
		w = file
	}
	return writeMeasures(w, *format, period, lines)
}

func writeMeasures(w io.Writer, format string, period measure.Period, lines []measureLine) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"period": period.Code(), "period_label": period.String(), "measures": lines})
	}
	header := []string{"code", "measure", "value", "numerator", "denominator", "target", "status"}
	rows := make([][]string, 0, len(lines))
	for _, l := range lines {
		target := ""
		if l.Target != nil {
			target = shownValue(l.Format, &l.Target.Value)
		}
		status := l.Status.Label()
		if l.Value == nil {
			status = "No data"
		}
		rows = append(rows, []string{l.Code, l.Name, shownValue(l.Format, l.Value), optionalInt(l.Numerator), optionalInt(l.Denominator), target, status})
	}
	if format == "csv" || format == "xlsx" {
		out, err := spreadsheet.NewWriter(w, format, "Measures "+period.Code())
		if err != nil {
			return err
		}
		out.WriteHeader(header)
		for _, row := range rows {
			out.WriteRow(row)
		}
		return out.Close()
	}
	fmt.Fprintln(w, period.String())
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "code\tmeasure\tvalue\ttarget\tstatus\t")
	for _, row := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", row[0], row[1], row[2], row[5], row[6])
	}
	return tw.Flush()
}

func shownValue(format measure.Format, v *float64) string {
	if v == nil {
		return "no data"
	}
	if format == measure.RateFormat {
		return percent(v)
	}
	return fmt.Sprint(*v)
}

func optionalInt(n *int) string {
	if n == nil {
		return ""
	}
	return fmt.Sprint(*n)
}

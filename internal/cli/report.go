package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"caseboard/internal/casework"
	"caseboard/internal/config"
	"caseboard/internal/measure"
	"caseboard/internal/spreadsheet"
	"caseboard/internal/store"
)

func runReport(ctx context.Context, env Env, args []string) error {
	if len(args) > 0 && args[0] == "measures" {
		return runReportMeasures(ctx, env, args[1:])
	}
	if len(args) > 0 && args[0] == "verify" {
		return runReportVerify(ctx, env, args[1:])
	}
	if len(args) > 0 && args[0] == "pack" {
		return runReportPack(ctx, env, args[1:])
	}
	if len(args) > 0 && args[0] == "poster" {
		return runReportPoster(ctx, env, args[1:])
	}
	if len(args) > 0 && args[0] == "annex-a" {
		return runReportAnnexA(ctx, env, args[1:])
	}
	if len(args) == 0 || args[0] != "outcomes" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(env.Stderr, reportUsage+"\n       caseboard "+measuresUsage+"\n       caseboard "+annexUsage+"\n       caseboard "+packUsage+"\n       caseboard "+posterUsage+"\n       caseboard "+verifyUsage)
			return nil
		}
		return usagef("report needs what to report: outcomes, measures, annex-a, pack, poster or verify")
	}
	fs := newFlags(env, "report outcomes", reportUsage)
	load := config.Register(fs, env.Getenv, "db")
	as := fs.String("as", "", "email of the person the report is for: it counts what they may see")
	from := fs.String("from", "", "first finalisation date counted (YYYY-MM-DD), inclusive")
	to := fs.String("to", "", "last finalisation date counted (YYYY-MM-DD), inclusive")
	unit := fs.String("unit", "organised_crime", "organised_crime (rates by court) or extradition (counts)")
	court := fs.String("court", "", "MC or CC: only that court, without the by_court split")
	format := fs.String("format", "table", "json, csv or table")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	f, kind, err := reportFilter(*from, *to, *unit, *court, *format)
	if err != nil {
		return err
	}
	cfg, err := load()
	if err != nil {
		return usagef("report: %v", err)
	}
	db, p, err := openAs(ctx, cfg, *as)
	if err != nil {
		return err
	}
	defer db.Close()
	counts, err := db.CountOutcomes(ctx, p, f)
	if err != nil {
		return err
	}
	figures := measure.Outcomes(kind, counts, f.Court == "")
	return writeFigures(env.Stdout, *format, figures)
}

const reportUsage = "report outcomes --as EMAIL --from DATE --to DATE [--unit organised_crime|extradition] [--court MC|CC] [--format json|csv|table]"

func reportFilter(from, to, unit, court, format string) (store.OutcomeFilter, casework.Kind, error) {
	f := store.OutcomeFilter{Unit: unit, Court: casework.Court(court)}
	var err error
	if f.From, err = parseDay(from, "--from"); err != nil {
		return f, "", err
	}
	if f.To, err = parseDay(to, "--to"); err != nil {
		return f, "", err
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return f, "", usagef("report: --to %s is before --from %s", to, from)
	}
	kind, ok := casework.KindOfUnit(unit)
	if !ok {
		return f, "", usagef("report: --unit is organised_crime or extradition, the units with defendant outcomes")
	}
	if court != "" && (!f.Court.Valid() || kind != casework.Prosecution) {
		return f, "", usagef("report: --court is MC or CC, for organised_crime only")
	}
	if format != "json" && format != "csv" && format != "table" {
		return f, "", usagef("report: --format is json, csv or table")
	}
	return f, kind, nil
}

func writeFigures(w io.Writer, format string, f *measure.OutcomeFigures) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(f)
	case "csv":
		out, err := spreadsheet.NewWriter(w, "csv", "")
		if err != nil {
			return err
		}
		out.WriteHeader([]string{"measure", "court", "value"})
		for _, row := range figureRows(f) {
			out.WriteRow(row)
		}
		return out.Close()
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "measure\tcourt\tvalue\t")
	for _, row := range figureRows(f) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t\n", row[0], row[1], row[2])
	}
	return tw.Flush()
}

// figureRows lays the figures out as (measure, court, value) rows: the
// headline measures, then each outcome's count.
func figureRows(f *measure.OutcomeFigures) [][]string {
	var rows [][]string
	add := func(court string, g *measure.OutcomeFigures) {
		rows = append(rows, []string{"total", court, fmt.Sprint(g.Total)})
		if g.Convictions != nil {
			rows = append(rows, []string{"convictions", court, fmt.Sprint(*g.Convictions)}, []string{"unsuccessful", court, fmt.Sprint(*g.Unsuccessful)},
				[]string{"conviction_rate", court, percent(g.ConvictionRate)}, []string{"guilty_plea_rate", court, percent(g.GuiltyPleaRate)})
		}
		for _, code := range g.OutcomeCodes() {
			rows = append(rows, []string{string(code), court, fmt.Sprint(g.Outcomes[code])})
		}
	}
	add("all", f)
	for _, court := range []string{"MC", "CC"} {
		if g := f.ByCourt[court]; g != nil {
			add(court, g)
		}
	}
	return rows
}

func percent(r *float64) string {
	if r == nil {
		return "no data"
	}
	return fmt.Sprintf("%.1f%%", *r*100)
}

package cli

import (
	"context"
	"os"

	"caseboard/internal/config"
	"caseboard/internal/fault"
	"caseboard/internal/pack"
)

const packUsage = "report pack --as EMAIL --quarter 2018-19-Q2 [--output FILE]\n" +
	"  the Board's quarterly performance review pack as a PDF: the issued pack as it was issued, or the draft now"

const posterUsage = "report poster --as EMAIL --unit U --quarter 2018-19-Q2 [--size A4|A3] [--format pdf|png] [--output FILE]\n" +
	"  a unit's one-page performance poster as a PDF or PNG, A4 or A3"

// runReportPack writes a quarter's Board pack as a PDF.
func runReportPack(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "report pack", packUsage)
	load := config.Register(fs, env.Getenv, "db")
	as := fs.String("as", "", "email of the person the pack is for: a draft counts what they may see")
	quarterFlag := fs.String("quarter", "", "the quarter, e.g. 2018-19-Q2")
	output := fs.String("output", "", "file to write the PDF to; standard output when not given")
	if err := parse(fs, args); err != nil {
		return err
	}
	quarter, err := pack.ParseQuarter(*quarterFlag)
	if err != nil {
		return usagef("report pack: --quarter: %s", fault.As(err).Fields[0].Message)
	}
	cfg, err := load()
	if err != nil {
		return usagef("report pack: %v", err)
	}
	db, p, err := openAs(ctx, cfg, *as)
	if err != nil {
		return err
	}
	defer db.Close()
	pdf, _, err := db.PerformancePackPDF(ctx, p, quarter)
	if err != nil {
		return err
	}
	return writeOutput(env, *output, writeBytes(pdf))
}

// runReportPoster writes a unit's poster for a quarter as a PDF or PNG.
func runReportPoster(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "report poster", posterUsage)
	load := config.Register(fs, env.Getenv, "db")
	as := fs.String("as", "", "email of the person the poster is for: it counts what they may see")
	unit := fs.String("unit", "", "the unit's code")
	quarterFlag := fs.String("quarter", "", "the quarter, e.g. 2018-19-Q2")
	sizeFlag := fs.String("size", "A4", "the page: A4 or A3")
	format := fs.String("format", "pdf", "pdf or png")
	output := fs.String("output", "", "file to write the poster to; standard output when not given")
	if err := parse(fs, args); err != nil {
		return err
	}
	quarter, err := pack.ParseQuarter(*quarterFlag)
	if err != nil {
		return usagef("report poster: --quarter: %s", fault.As(err).Fields[0].Message)
	}
	size, err := pack.ParseSize(*sizeFlag)
	if err != nil {
		return usagef("report poster: --size: %s", fault.As(err).Fields[0].Message)
	}
	if *format != "pdf" && *format != "png" {
		return usagef("report poster: --format is pdf or png, not %q", *format)
	}
	cfg, err := load()
	if err != nil {
		return usagef("report poster: %v", err)
	}
	db, p, err := openAs(ctx, cfg, *as)
	if err != nil {
		return err
	}
	defer db.Close()
	poster, err := db.PerformancePoster(ctx, p, *unit, quarter)
	if fe := fault.As(err); fe != nil && fe.Code == fault.Invalid {
		return usagef("report poster: %s", fe.Error())
	}
	if err != nil {
		return err
	}
	draw := poster.PDF
	if *format == "png" {
		draw = poster.PNG
	}
	out, err := draw(size)
	if err != nil {
		return err
	}
	return writeOutput(env, *output, writeBytes(out))
}

// writeBytes writes a finished document.
func writeBytes(data []byte) func(*os.File) error {
	return func(f *os.File) error {
		_, err := f.Write(data)
		return err
	}
}

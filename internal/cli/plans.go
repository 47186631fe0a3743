package cli

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"caseboard/docs/frameworks"
	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/config"
	"caseboard/internal/demo"
	"caseboard/internal/exchange"
	"caseboard/internal/fault"
	"caseboard/internal/org"
	"caseboard/internal/plan"
	"caseboard/internal/store"
)

const frameworkUsage = "import framework FILE --as EMAIL [--format json|csv] [--code CODE --title TITLE] [--body BODY]"

// runImportFramework loads an inspection framework file (docs/plans.md
// gives the JSON and CSV formats) for a plan manager. Nothing is written
// unless the whole file is good; every problem is listed with where it is.
func runImportFramework(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "import framework", frameworkUsage)
	load := config.Register(fs, env.Getenv, "db")
	as := fs.String("as", "", "email of the person loading it (the head of division or a business manager)")
	format := fs.String("format", "", "json or csv (default: from the file's name or first character)")
	code := fs.String("code", "", "the framework's code, e.g. hmcpsi-2021-ccu (needed for CSV; overrides the JSON file's)")
	title := fs.String("title", "", "the framework's title (needed for CSV; overrides the JSON file's)")
	body := fs.String("body", "", "the inspectorate, e.g. HMCPSI")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("import framework needs one file: caseboard %s", frameworkUsage)
	}
	if *format != "" && *format != string(plan.JSON) && *format != string(plan.CSV) {
		return usagef("--format %q: use json or csv", *format)
	}
	path := fs.Arg(0)
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	f := plan.Format(*format)
	if f == "" {
		f = plan.FormatOf(path, data)
	}
	fw, err := plan.ParseFramework(data, f, plan.ParseOptions{Code: *code, Title: *title, Body: *body})
	if fe := fault.As(err); fe != nil && len(fe.Fields) > 0 {
		for _, problem := range fe.Fields {
			fmt.Fprintf(env.Stderr, "%s: %s: %s\n", path, problem.Field, problem.Message)
		}
		return fault.Errorf(fault.Invalid, "%s: %s: %d problem%s, nothing was loaded", path, fe.Message, len(fe.Fields), plural(len(fe.Fields)))
	} else if err != nil {
		return err
	}
	cfg, err := load()
	if err != nil {
		return usagef("import: %v", err)
	}
	db, p, err := openAs(ctx, cfg, *as)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.ImportFramework(audit.WithActor(ctx, commandLineAs(p)), p, &fw); err != nil {
		return err
	}
	parts := 0
	for _, c := range fw.Criteria {
		if c.Parent == "" {
			parts++
		}
	}
	fmt.Fprintf(env.Stdout, "imported framework %s (%s): %d criteria in %d parts (framework %d)\n", fw.Code, fw.Title, len(fw.Criteria), parts, fw.ID)
	return nil
}

// loadDemoPlans loads the demo's frameworks, inspections, findings and
// action plans. The plans' history (updates, re-dating, closures) is
// recorded as of the day each happened, so the pages show a plan as it
// unfolded: the database's clock is set to each day in turn, and so are
// the audit entries of those writes.
func loadDemoPlans(ctx context.Context, env Env, db *store.DB, chart org.Chart, now time.Time) error {
	people, err := demoPlanPeople(ctx, db, chart)
	if err != nil {
		return err
	}
	clock := db.Now
	defer func() { db.Now = clock }()
	at := func(day time.Time) { db.Now = func() time.Time { return day.Add(10 * time.Hour) } }
	owner := func(role string) (*access.Principal, error) {
		p, ok := people[role]
		if !ok {
			return nil, fmt.Errorf("the demo division has no %s", role)
		}
		return p, nil
	}
	hod, abm := people["hod"], people["abm"]
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	frameworksLoaded := map[string]int64{}
	actions, findings := 0, 0
	for _, pi := range demo.Inspections(now) {
		in := pi.Inspection
		at(in.PublishedOn)
		if pi.Framework != "" {
			id, ok := frameworksLoaded[pi.Framework]
			if !ok {
				data, err := frameworks.FS.ReadFile(pi.Framework)
				if err != nil {
					return err
				}
				fw, err := plan.ParseFramework(data, plan.JSON, plan.ParseOptions{})
				if err != nil {
					return fmt.Errorf("%s: %w", pi.Framework, err)
				}
				if err := db.ImportFramework(ctx, abm, &fw); err != nil {
					return err
				}
				id = fw.ID
				frameworksLoaded[pi.Framework] = id
			}
			in.FrameworkID = &id
		}
		if err := db.CreateInspection(ctx, hod, &in); err != nil {
			return fmt.Errorf("inspection %q: %w", in.Title, err)
		}
		for _, pf := range pi.Findings {
			f := pf.Finding
			f.InspectionID = in.ID
			if pf.Owner != "" {
				o, err := owner(pf.Owner)
				if err != nil {
					return err
				}
				f.OwnerID = &o.PersonID
			}
			at(in.PublishedOn)
			if err := db.AddFinding(ctx, hod, &f); err != nil {
				return fmt.Errorf("%s: %w", f.Name(), err)
			}
			findings++
			if pf.Response != nil {
				at(pf.Response.On)
				if err := db.RecordResponse(ctx, hod, f.ID, *pf.Response); err != nil {
					return fmt.Errorf("%s: response: %w", f.Name(), err)
				}
			}
			accountable, _ := owner(pf.Owner)
			for _, pa := range pf.Actions {
				if err := loadDemoAction(ctx, db, at, owner, abm, accountable, in.PublishedOn, today, f, pa); err != nil {
					return fmt.Errorf("%s, action %q: %w", f.Name(), pa.Title, err)
				}
				actions++
			}
			if pf.Close != nil {
				at(pf.Close.On)
				if err := db.CloseFinding(ctx, accountable, f.ID, *pf.Close); err != nil {
					return fmt.Errorf("%s: close: %w", f.Name(), err)
				}
			}
		}
	}
	db.Now = clock
	if _, err := db.EvaluateChecks(ctx); err != nil {
		return fmt.Errorf("evaluate evidence checks: %w", err)
	}
	fmt.Fprintf(env.Stdout, "loaded the demo inspections: %d findings, %d actions, and the evidence checks evaluated\n", findings, actions)
	return nil
}

func loadDemoAction(ctx context.Context, db *store.DB, at func(time.Time), owner func(string) (*access.Principal, error),
	manager, accountable *access.Principal, published, today time.Time, f plan.Finding, pa demo.PlanAction) error {
	o, err := owner(pa.Owner)
	if err != nil {
		return err
	}
	// The action was set three weeks after publication, or two weeks
	// before the first thing that happened to it when that is much later;
	// one with no history yet and a date years after the report was set
	// recently. Never after today.
	created := published.AddDate(0, 0, 21)
	var first time.Time
	for _, u := range pa.Updates {
		first = earliestSet(first, u.On)
	}
	for _, r := range pa.Retarget {
		first = earliestSet(first, r.On)
	}
	for _, m := range pa.Milestones {
		if m.DoneOn != nil {
			first = earliestSet(first, *m.DoneOn)
		}
	}
	if pa.Close != nil {
		first = earliestSet(first, pa.Close.On)
	}
	switch {
	case !first.IsZero() && (!first.After(created) || first.Sub(created) > 180*24*time.Hour):
		created = first.AddDate(0, 0, -14)
	case first.IsZero() && pa.Due.Sub(created) > 365*24*time.Hour:
		created = today.AddDate(0, 0, -45)
	}
	if latest := pa.Due.AddDate(0, 0, -30); created.After(latest) {
		created = latest
	}
	if created.After(today) {
		created = today
	}
	if created.Before(published) {
		created = published
	}
	at(created)
	a := plan.Action{FindingID: f.ID, Title: pa.Title, Detail: pa.Detail, OwnerID: o.PersonID, DueOn: pa.Due}
	if err := db.AddAction(ctx, manager, &a); err != nil {
		return err
	}
	for _, m := range pa.Milestones {
		m.ActionID = a.ID
		done := m.DoneOn
		m.DoneOn = nil
		if err := db.AddMilestone(ctx, manager, &m); err != nil {
			return err
		}
		if done != nil {
			at(*done)
			if err := db.CompleteMilestone(ctx, o, m.ID, *done); err != nil {
				return err
			}
		}
	}
	for _, u := range pa.Updates {
		at(u.On)
		up := plan.Update{Status: u.Status, Commentary: u.Commentary}
		if err := db.RecordUpdate(ctx, o, a.ID, &up); err != nil {
			return err
		}
	}
	for _, r := range pa.Retarget {
		at(r.On)
		approver, err := owner(r.Approver)
		if err != nil {
			return err
		}
		c := plan.TargetChange{To: r.To, Reason: r.Reason, ApprovedByID: approver.PersonID}
		if err := db.ChangeTarget(ctx, o, a.ID, &c); err != nil {
			return err
		}
	}
	for _, e := range pa.Evidence {
		e.ActionID = a.ID
		if pa.Close != nil {
			at(pa.Close.On.AddDate(0, 0, -1))
		}
		if err := db.AddEvidence(ctx, o, &e); err != nil {
			return err
		}
	}
	if pa.Close != nil {
		at(pa.Close.On)
		if err := db.CloseAction(ctx, accountable, a.ID, *pa.Close); err != nil {
			return err
		}
	} else if pa.Status != "" && len(pa.Updates) == 0 && pa.Status != plan.NotStarted {
		up := plan.Update{Status: pa.Status, Commentary: "Work started."}
		if err := db.RecordUpdate(ctx, o, a.ID, &up); err != nil {
			return err
		}
	}
	return nil
}

// earliestSet is the earlier of two days, a zero a being unset.
func earliestSet(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

// demoPlanPeople finds, in the demo chart, the people the demo's plans
// are owned by, by role.
func demoPlanPeople(ctx context.Context, db *store.DB, chart org.Chart) (map[string]*access.Principal, error) {
	out := map[string]*access.Principal{}
	add := func(role, email string) error {
		if _, done := out[role]; done || email == "" {
			return nil
		}
		a, err := db.AccountByEmail(ctx, email)
		if err != nil {
			return err
		}
		p, err := db.Principal(ctx, a.PersonID)
		if err != nil {
			return err
		}
		out[role] = p
		return nil
	}
	units, err := db.Units(ctx)
	if err != nil {
		return nil, err
	}
	heads := map[int64]string{}
	for _, u := range units {
		if u.HeadID != nil {
			heads[*u.HeadID] = u.Code
		}
	}
	for _, p := range chart.People {
		var err error
		switch p.Grade {
		case "head_of_division":
			err = add("hod", p.Email)
		case "area_business_manager":
			err = add("abm", p.Email)
		case "operational_delivery":
			if p.PartnerCode == "" && !strings.HasPrefix(p.Email, "admin@") && !strings.HasPrefix(p.Email, "inspector@") {
				err = add("boc", p.Email)
			}
		case "senior_policy_adviser":
			err = add("policy", p.Email)
		}
		if err != nil {
			return nil, err
		}
	}
	for id, code := range heads {
		person, err := db.Person(ctx, id)
		if err != nil {
			return nil, err
		}
		if err := add("head:"+code, person.Email); err != nil {
			return nil, err
		}
	}
	if _, ok := out["policy"]; !ok {
		if p, ok := out["head:strategy_and_policy"]; ok {
			out["policy"] = p
		}
	}
	for _, role := range []string{"hod", "abm"} {
		if out[role] == nil {
			return nil, fmt.Errorf("the demo division has no %s", role)
		}
	}
	if out["boc"] == nil {
		out["boc"] = out["abm"]
	}
	return out, nil
}

// runExportPlans writes the action plans, or a framework's readiness
// report, as CSV or XLSX, for anyone who may read the plans.
func runExportPlans(ctx context.Context, env Env, kind string, args []string) error {
	fs := newFlags(env, "export "+kind, "export "+kind+" --as EMAIL [--framework CODE] [--format csv|xlsx|pdf] [--output FILE]")
	load := config.Register(fs, env.Getenv, "db")
	as := fs.String("as", "", "email of the person the export is made for")
	format := fs.String("format", "csv", "csv or xlsx, or pdf for readiness")
	framework := fs.String("framework", "", "the framework's code (readiness only), e.g. hmcpsi-2019-ijocd")
	output := fs.String("output", "", "write to this file instead of standard output")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != "csv" && *format != "xlsx" && (kind != "readiness" || *format != "pdf") {
		return usagef("export: --format is csv or xlsx (or pdf for readiness)")
	}
	if kind == "readiness" && *framework == "" {
		return usagef("export readiness needs --framework CODE")
	}
	cfg, err := load()
	if err != nil {
		return usagef("export: %v", err)
	}
	db, p, err := openAs(ctx, cfg, *as)
	if err != nil {
		return err
	}
	defer db.Close()
	if !access.Allows(p, access.ReadPlans) {
		return fault.Errorf(fault.Forbidden, "%s may not read the action plans", p.Email)
	}
	var id int64
	if kind == "readiness" {
		if id, err = db.FrameworkByCode(ctx, *framework); err != nil {
			return err
		}
	}
	return writeOutput(env, *output, func(w *os.File) error {
		if kind == "readiness" && *format == "pdf" {
			_, err := exchange.ExportReadinessPDF(ctx, db, w, id)
			return err
		}
		if kind == "readiness" {
			_, err := exchange.ExportReadiness(ctx, db, w, *format, id)
			return err
		}
		if kind == "findings" {
			_, err := exchange.ExportFindings(ctx, db, w, *format)
			return err
		}
		_, err := exchange.ExportActions(ctx, db, w, *format)
		return err
	})
}

// wholeFileImports are the imports that take a file whole or not at all,
// with no rejects file: who may make each, how it runs, and what its
// summary line counts.
var wholeFileImports = map[string]struct {
	who     string
	run     func(context.Context, *store.DB, *access.Principal, io.Reader, string) (exchange.Result, error)
	summary func(store.ImportSummary) string
}{
	"findings": {"a plan manager", exchange.ImportFindings, func(s store.ImportSummary) string {
		return fmt.Sprintf("%d findings added, %d given a response or owner, %d unchanged", s.Added, s.Changed, s.Unchanged)
	}},
	"actions": {"a plan manager, or the accountable owner of the findings", exchange.ImportActions, func(s store.ImportSummary) string {
		return fmt.Sprintf("%d actions added, %d unchanged", s.Added, s.Unchanged)
	}},
	"unit-returns": {"the head of division, a business manager, or a unit's head or legal manager for their unit",
		func(ctx context.Context, db *store.DB, p *access.Principal, r io.Reader, name string) (exchange.Result, error) {
			return exchange.ImportUnitReturns(ctx, db, p, r, name, exchange.Options{})
		}, func(s store.ImportSummary) string {
			return fmt.Sprintf("%d returns added, %d corrected, %d unchanged", s.Added, s.Changed, s.Unchanged)
		}},
}

// runImportWhole runs one of the wholeFileImports on a file.
func runImportWhole(ctx context.Context, env Env, kind string, args []string) error {
	imp := wholeFileImports[kind]
	fs := newFlags(env, "import "+kind, "import "+kind+" FILE --as EMAIL")
	load := config.Register(fs, env.Getenv, "db")
	as := fs.String("as", "", "email of the person the import is made for ("+imp.who+")")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("import %s needs one file: caseboard import %s FILE --as EMAIL", kind, kind)
	}
	cfg, err := load()
	if err != nil {
		return usagef("import: %v", err)
	}
	db, p, err := openAs(ctx, cfg, *as)
	if err != nil {
		return err
	}
	defer db.Close()
	path := fs.Arg(0)
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer file.Close()
	res, err := imp.run(audit.WithActor(ctx, commandLineAs(p)), db, p, file, path)
	if res.Problems != nil && res.Problems.Len() > 0 {
		printProblems(env, res)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "imported %s: %d rows read, %s\n", path, res.Summary.Read, imp.summary(res.Summary))
	return nil
}

// linkDemoRisks links divisional risks to the 2019 report's
// recommendations, as the head of division would on each risk's form. It
// runs after the inspections are loaded, which come after the register.
func linkDemoRisks(ctx context.Context, env Env, db *store.DB, chart org.Chart) error {
	hod, err := headOfDivision(ctx, db, chart)
	if err != nil {
		return err
	}
	report := demo.Inspections(time.Now().UTC())[0].Inspection.Title
	inspections, err := db.Inspections(ctx)
	if err != nil {
		return err
	}
	recommendations := map[int]int64{}
	for _, in := range inspections {
		if in.Title != report {
			continue
		}
		findings, err := db.Findings(ctx, in.ID)
		if err != nil {
			return err
		}
		for _, f := range findings {
			if f.Kind == plan.Recommendation {
				recommendations[f.Number] = f.ID
			}
		}
	}
	links := 0
	for _, ref := range slices.Sorted(maps.Keys(demo.RiskRecommendations)) {
		id, err := db.RiskIDByReference(ctx, ref)
		if err != nil {
			return fmt.Errorf("risk %s: %w", ref, err)
		}
		rk, err := db.Risk(ctx, hod, id)
		if err != nil {
			return err
		}
		for _, n := range demo.RiskRecommendations[ref] {
			fid, ok := recommendations[n]
			if !ok {
				return fmt.Errorf("the demo report has no recommendation %d", n)
			}
			rk.FindingIDs = append(rk.FindingIDs, fid)
			links++
		}
		if err := db.UpdateRisk(ctx, hod, &rk, store.RiskUpdate{}); err != nil {
			return fmt.Errorf("risk %s: %w", ref, err)
		}
	}
	fmt.Fprintf(env.Stdout, "linked the divisional risks to the report's recommendations: %d links\n", links)
	return nil
}

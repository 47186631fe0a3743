package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/config"
	"caseboard/internal/demo"
	"caseboard/internal/org"
	"caseboard/internal/store"
)

func runMigrate(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "migrate", "migrate [--db DB]")
	load := config.Register(fs, env.Getenv, "db")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := load()
	if err != nil {
		return usagef("migrate: %v", err)
	}
	db, applied, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	current, _, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintf(env.Stdout, "schema is up to date at version %d\n", current)
	} else {
		fmt.Fprintf(env.Stdout, "applied migrations %v; schema is at version %d\n", applied, current)
	}
	return nil
}

func runDemo(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "demo", "demo [--db DB] [--seed N] [--if-empty]")
	load := config.Register(fs, env.Getenv, "db")
	seed := fs.Int64("seed", 2019, "random seed: the same seed gives the same demo division")
	ifEmpty := fs.Bool("if-empty", false, "do nothing if the database already has people (for make run)")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg, err := load()
	if err != nil {
		return usagef("demo: %v", err)
	}
	db, _, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if *ifEmpty {
		page, err := db.People(ctx, store.PeopleFilter{Limit: 1})
		if err != nil {
			return err
		}
		if len(page.People) > 0 {
			fmt.Fprintln(env.Stdout, "the database already has people; demo data not loaded")
			return nil
		}
	}
	chart := demo.Division(*seed)
	// One hash serves every demo account: they share the demo password,
	// and hashing it 170 times would take most of a minute.
	hash, err := access.HashPassword(ctx, demo.Password, access.DefaultArgon2)
	if err != nil {
		return err
	}
	for i := range chart.Accounts {
		chart.Accounts[i].PasswordHash = hash
	}
	sum, err := db.LoadChart(ctx, chart, fmt.Sprintf("demo division, seed %d", *seed))
	if err != nil {
		return fmt.Errorf("load demo division: %w", err)
	}
	fmt.Fprintf(env.Stdout, "loaded the demo division: %d people, %d teams, %d new locations, %d accounts (seed %d)\n",
		sum.People, sum.Teams, sum.Locations, sum.Accounts, *seed)
	if err := loadDemoCaseload(ctx, env, db, chart, *seed); err != nil {
		return fmt.Errorf("load demo caseload: %w", err)
	}
	if err := loadDemoQuality(ctx, env, db, chart, *seed); err != nil {
		return fmt.Errorf("load demo quality assessments: %w", err)
	}
	if err := loadDemoPlans(ctx, env, db, chart, time.Now().UTC()); err != nil {
		return fmt.Errorf("load demo inspections: %w", err)
	}
	if err := linkDemoRisks(ctx, env, db, chart); err != nil {
		return fmt.Errorf("link demo risks to recommendations: %w", err)
	}
	articles, err := loadDemoKnowledge(ctx, db, chart, *seed)
	if err != nil {
		return fmt.Errorf("load demo knowledge: %w", err)
	}
	fmt.Fprintf(env.Stdout, "loaded the demo knowledge repository: %d articles\n", articles)
	if err := db.RefreshStatistics(ctx); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "sign in as admin@caseboard.example (administrator) or any member of staff, with the password %s\n", demo.Password)
	for _, p := range chart.People {
		if p.Grade == "head_of_division" {
			fmt.Fprintf(env.Stdout, "the head of division, who sees and records casework across the division, is %s\n", p.Email)
		}
	}
	return nil
}

func runBackup(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "backup", "backup [--db DB] FILE")
	load := config.Register(fs, env.Getenv, "db")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("backup needs one argument, the file to write: caseboard backup FILE")
	}
	cfg, err := load()
	if err != nil {
		return usagef("backup: %v", err)
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if err := db.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	info, _ := os.Stat(fs.Arg(0))
	fmt.Fprintf(env.Stdout, "backed up %s to %s (%d bytes, %s); to restore, stop caseboard and copy the file back\n",
		cfg.DB, fs.Arg(0), info.Size(), time.Since(start).Round(time.Millisecond))
	return nil
}

func runAudit(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "export") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(env.Stderr, "Usage: caseboard audit verify [--db DB]\n       caseboard audit export [--db DB] [--from DATE] [--to DATE] [--output FILE]")
			return nil
		}
		return usagef("audit needs a subcommand: verify or export")
	}
	sub := args[0]
	fs := newFlags(env, "audit "+sub, "audit "+sub+" [--db DB]")
	load := config.Register(fs, env.Getenv, "db")
	from := fs.String("from", "", "export entries on or after this date (YYYY-MM-DD)")
	to := fs.String("to", "", "export entries before the end of this date (YYYY-MM-DD)")
	output := fs.String("output", "", "write to this file instead of standard output")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	cfg, err := load()
	if err != nil {
		return usagef("audit: %v", err)
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	if sub == "verify" {
		return verifyAudit(ctx, env, db)
	}
	f := store.AuditFilter{}
	if f.From, err = parseDay(*from, "--from"); err != nil {
		return err
	}
	if f.To, err = parseDay(*to, "--to"); err != nil {
		return err
	}
	if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1)
	}
	return writeOutput(env, *output, func(w *os.File) error { return exportAudit(ctx, db, f, w) })
}

func parseDay(s, flagName string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return t, usagef("%s %q: use a date like 2026-04-01", flagName, s)
	}
	return t, nil
}

func verifyAudit(ctx context.Context, env Env, db *store.DB) error {
	start := time.Now()
	n, brk, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if brk != nil {
		return fmt.Errorf("the audit trail is broken at entry %d: %s (%d entries before it are intact)", brk.Seq, brk.Reason, n)
	}
	fmt.Fprintf(env.Stdout, "the audit trail is intact: %d entries checked in %s\n", n, time.Since(start).Round(time.Millisecond))
	return nil
}

func exportAudit(ctx context.Context, db *store.DB, f store.AuditFilter, w *os.File) error {
	enc := json.NewEncoder(w)
	f.Limit = 5000
	for {
		entries, err := db.AuditEntries(ctx, f)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
		if len(entries) < f.Limit {
			return nil
		}
		f.AfterSeq = entries[len(entries)-1].Seq
	}
}

// writeOutput runs write against standard output, or against a new file
// that appears only when the write succeeded.
func writeOutput(env Env, path string, write func(*os.File) error) error {
	if path == "" {
		if f, ok := env.Stdout.(*os.File); ok {
			return write(f)
		}
		tmp, err := os.CreateTemp("", "caseboard-out-*")
		if err != nil {
			return err
		}
		defer os.Remove(tmp.Name())
		if err := write(tmp); err != nil {
			return err
		}
		tmp.Seek(0, 0)
		_, err = tmp.WriteTo(env.Stdout)
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".caseboard-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func runConfig(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "config", "config")
	if err := parse(fs, args); err != nil {
		return err
	}
	config.Dump(env.Stdout, env.Getenv)
	return nil
}

func runVersion(ctx context.Context, env Env, args []string) error {
	fs := newFlags(env, "version", "version")
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "caseboard %s\n", Version)
	return nil
}

// loadDemoCaseload loads the demo's finalised defendants through the
// outcomes import, and its live cases, as the head of division.
func loadDemoCaseload(ctx context.Context, env Env, db *store.DB, chart org.Chart, seed int64) error {
	hod, err := headOfDivision(ctx, db, chart)
	if err != nil {
		return err
	}
	im, err := db.BeginImport(ctx, hod, store.ImportMeta{Kind: "outcomes", FileName: fmt.Sprintf("demo outcomes, seed %d", seed)})
	if err != nil {
		return err
	}
	rows := demo.Outcomes(seed)
	for i, r := range rows {
		if err := im.Outcome(ctx, i+2, r); err != nil {
			im.Rollback()
			return fmt.Errorf("demo outcome %d: %w", i+1, err)
		}
	}
	sum, err := im.Commit(ctx, len(rows), 0)
	if err != nil {
		return err
	}
	live, err := loadLiveCases(ctx, db, hod, demo.LiveCases(chart, seed, time.Now().UTC()))
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "loaded the demo caseload: %d finalised defendants and requested persons, %d live cases\n", sum.Added, live)
	returns, err := loadPostReturns(ctx, db, hod, demo.PostReturns(chart, seed, time.Now().UTC()))
	if err != nil {
		return fmt.Errorf("load the demo monthly returns: %w", err)
	}
	fmt.Fprintf(env.Stdout, "loaded the overseas posts' monthly returns: %d\n", returns)
	var unitReturns []store.UnitReturnImport
	for i, r := range demo.UnitReturns(chart, seed) {
		unitReturns = append(unitReturns, store.UnitReturnImport{Row: i + 1, Return: r})
	}
	added, _, _, problems, err := db.ImportUnitReturns(ctx, hod, "demo unit returns", unitReturns)
	if err != nil {
		return fmt.Errorf("load the demo units' returns: %w %+v", err, problems)
	}
	fmt.Fprintf(env.Stdout, "loaded the units' monthly returns of staffing, absence and advocacy: %d\n", added)
	risks, err := db.LoadRisks(ctx, hod, demo.Risks(chart, time.Now().UTC()), fmt.Sprintf("demo risk register, seed %d", seed))
	if err != nil {
		return fmt.Errorf("load the demo risk register: %w", err)
	}
	fmt.Fprintf(env.Stdout, "loaded the demo risk register: %d risks\n", risks)
	snapshots, err := loadDemoAssurance(ctx, db, hod, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("load the demo risk assurance: %w", err)
	}
	fmt.Fprintf(env.Stdout, "took the register's quarterly assurance snapshots: %d\n", snapshots)
	plans, err := loadContinuityPlans(ctx, db, hod, demo.ContinuityPlans(chart, time.Now().UTC()))
	if err != nil {
		return fmt.Errorf("load the demo continuity plans: %w", err)
	}
	fmt.Fprintf(env.Stdout, "loaded the demo business continuity plans: %d\n", plans)
	shared := 0
	for partner, codes := range demo.JointMeasures {
		for _, code := range codes {
			if err := db.ShareMeasure(ctx, hod, code, partner); err != nil {
				return fmt.Errorf("share %s with %s: %w", code, partner, err)
			}
			shared++
		}
	}
	fmt.Fprintf(env.Stdout, "shared measures with partner organisations: %d\n", shared)
	return nil
}

func headOfDivision(ctx context.Context, db *store.DB, chart org.Chart) (*access.Principal, error) {
	for _, p := range chart.People {
		if p.Grade == "head_of_division" {
			a, err := db.AccountByEmail(ctx, p.Email)
			if err != nil {
				return nil, err
			}
			return db.Principal(ctx, a.PersonID)
		}
	}
	return nil, fmt.Errorf("the demo division has no head of division")
}

func loadLiveCases(ctx context.Context, db *store.DB, as *access.Principal, cases []demo.LiveCase) (int, error) {
	units, err := db.Units(ctx)
	if err != nil {
		return 0, err
	}
	locations, err := db.Locations(ctx)
	if err != nil {
		return 0, err
	}
	for _, lc := range cases {
		c := lc.Case
		for _, u := range units {
			if u.Code == lc.UnitCode {
				c.UnitID = u.ID
			}
		}
		for _, l := range locations {
			if l.Code == lc.LocationCode {
				c.LocationID = l.ID
			}
		}
		if lc.LawyerEmail != "" {
			lawyer, err := db.PersonByEmail(ctx, lc.LawyerEmail)
			if err != nil {
				return 0, err
			}
			c.LawyerID, c.ManagerID = &lawyer.ID, lawyer.LineManagerID
		}
		if err := db.CreateCase(ctx, as, &c); err != nil {
			return 0, fmt.Errorf("case %s: %w", c.Reference, err)
		}
		for _, cd := range lc.InCustody {
			d, ch := cd.Defendant, cd.Charge
			d.CaseID = c.ID
			if err := db.SaveDefendant(ctx, as, &d); err != nil {
				return 0, fmt.Errorf("case %s: %w", c.Reference, err)
			}
			ch.DefendantID = d.ID
			if err := db.SaveCharge(ctx, as, c.ID, &ch); err != nil {
				return 0, fmt.Errorf("case %s: %w", c.Reference, err)
			}
		}
		for _, d := range lc.Requested {
			d.CaseID = c.ID
			if err := db.SaveDefendant(ctx, as, &d); err != nil {
				return 0, fmt.Errorf("case %s: %w", c.Reference, err)
			}
			if err := db.SaveExtraditionDates(ctx, as, c.ID, d.ID, *d.Extradition); err != nil {
				return 0, fmt.Errorf("case %s: %w", c.Reference, err)
			}
		}
		if err := loadProgress(ctx, db, as, c.ID, lc); err != nil {
			return 0, fmt.Errorf("case %s: %w", c.Reference, err)
		}
	}
	return len(cases), nil
}

// loadProgress stores a demo case's hearings, the directions given at
// them, its key documents, and its panels, reviews and handovers.
func loadProgress(ctx context.Context, db *store.DB, as *access.Principal, caseID int64, lc demo.LiveCase) error {
	var hearingIDs []int64
	for _, h := range lc.Hearings {
		h.CaseID = caseID
		if err := db.SaveHearing(ctx, as, &h); err != nil {
			return err
		}
		hearingIDs = append(hearingIDs, h.ID)
	}
	for _, hd := range lc.Directions {
		d := hd.Direction
		d.CaseID = caseID
		if hd.Hearing >= 0 && hd.Hearing < len(hearingIDs) {
			d.HearingID = &hearingIDs[hd.Hearing]
		}
		if err := db.SaveDirection(ctx, as, &d); err != nil {
			return err
		}
	}
	for _, k := range lc.Documents {
		k.CaseID = caseID
		if err := db.SaveKeyDocument(ctx, as, &k); err != nil {
			return err
		}
	}
	for _, dr := range lc.Reviews {
		r := dr.Review
		r.CaseID = caseID
		if dr.ToLawyerEmail != "" {
			to, err := db.PersonByEmail(ctx, dr.ToLawyerEmail)
			if err != nil {
				return err
			}
			r.ToLawyerID = &to.ID
		}
		if err := db.AddCaseReview(ctx, as, &r); err != nil {
			return err
		}
	}
	return nil
}

// loadPostReturns files the demo posts' monthly returns as their
// prosecutors and regional legal managers would.
func loadPostReturns(ctx context.Context, db *store.DB, hod *access.Principal, returns []demo.DemoReturn) (int, error) {
	locations, err := db.Locations(ctx)
	if err != nil {
		return 0, err
	}
	posts := map[string]int64{}
	for _, l := range locations {
		posts[l.Code] = l.ID
	}
	principals := map[string]*access.Principal{}
	as := func(email string) (*access.Principal, error) {
		if p, ok := principals[email]; ok {
			return p, nil
		}
		p, err := principalByEmail(ctx, db, email)
		principals[email] = p
		return p, err
	}
	for _, dr := range returns {
		preparer, err := as(dr.PreparerMail)
		if err != nil {
			return 0, err
		}
		r := dr.Return
		r.LocationID = posts[dr.PostCode]
		if err := db.SavePostReturn(ctx, preparer, &r); err != nil {
			return 0, fmt.Errorf("%s %s: %w", dr.PostCode, r.Month, err)
		}
		if dr.Submit {
			if err := db.SubmitPostReturn(ctx, preparer, r.ID, r.Version); err != nil {
				return 0, err
			}
		}
		if dr.Decision != "" {
			reason := ""
			if dr.Decision == "send_back" {
				reason = "The interactions do not match the requests on the register: recount them by request."
			}
			decider, err := lineManagerOf(ctx, db, preparer, hod)
			if err != nil {
				return 0, err
			}
			if err := db.DecidePostReturn(ctx, decider, r.ID, dr.Decision == "validate", reason); err != nil {
				return 0, err
			}
		}
	}
	return len(returns), nil
}

// lineManagerOf is the principal of p's line manager, or fallback for
// someone who has none.
func lineManagerOf(ctx context.Context, db *store.DB, p, fallback *access.Principal) (*access.Principal, error) {
	person, err := db.Person(ctx, p.PersonID)
	if err != nil || person.LineManagerID == nil {
		return fallback, err
	}
	return db.Principal(ctx, *person.LineManagerID)
}

// loadContinuityPlans stores the demo's business continuity plans and
// their exercises.
func loadContinuityPlans(ctx context.Context, db *store.DB, hod *access.Principal, plans []demo.DemoPlan) (int, error) {
	units, locations, err := unitAndLocationIDs(ctx, db)
	if err != nil {
		return 0, err
	}
	for _, dp := range plans {
		plan := dp.Plan
		plan.UnitID = units[dp.UnitCode]
		if id, ok := locations[dp.LocationCode]; ok {
			plan.LocationID = &id
		}
		owner, err := db.PersonByEmail(ctx, dp.OwnerEmail)
		if err != nil {
			return 0, fmt.Errorf("plan %s: %w", plan.Title, err)
		}
		plan.OwnerID = owner.ID
		if err := db.SaveContinuityPlan(ctx, hod, &plan); err != nil {
			return 0, fmt.Errorf("plan %s: %w", plan.Title, err)
		}
		for _, e := range dp.Exercises {
			e.PlanID = plan.ID
			if err := db.RecordExercise(ctx, hod, &e); err != nil {
				return 0, fmt.Errorf("plan %s: %w", plan.Title, err)
			}
		}
	}
	return len(plans), nil
}

// unitAndLocationIDs maps unit and location codes to their ids.
func unitAndLocationIDs(ctx context.Context, db *store.DB) (map[string]int64, map[string]int64, error) {
	units, err := db.Units(ctx)
	if err != nil {
		return nil, nil, err
	}
	locations, err := db.Locations(ctx)
	if err != nil {
		return nil, nil, err
	}
	u, l := map[string]int64{}, map[string]int64{}
	for _, x := range units {
		u[x.Code] = x.ID
	}
	for _, x := range locations {
		l[x.Code] = x.ID
	}
	return u, l, nil
}

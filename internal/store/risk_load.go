package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/fault"
	"caseboard/internal/risk"
)

// LoadRisks adds a whole register in one transaction, with each risk's
// past scores dated as the register records them: the demo division's
// register, or a register brought in whole. Every risk is checked first;
// one bad risk refuses them all. The load is one audit entry.
// Errors: Forbidden, Invalid (naming the risk), Conflict (a reference is taken).
func (db *DB) LoadRisks(ctx context.Context, p *access.Principal, seeds []risk.Seed, source string) (int, error) {
	if !access.Allows(p, access.WriteRisks) {
		return 0, fault.Errorf(fault.Forbidden, "You may not load risks")
	}
	problems, err := db.loadRisks(ctx, p, seeds, source, nil)
	if err != nil {
		return 0, err
	}
	if len(problems) > 0 {
		pr := problems[0]
		return 0, &fault.Error{Code: pr.code, Message: fmt.Sprintf("Risk %d (%s) could not be loaded", pr.index+1, seeds[pr.index].Risk.Reference),
			Fields: []fault.FieldError{{Field: pr.field, Message: pr.message}}}
	}
	return len(seeds), nil
}

// seedProblem is what is wrong with one risk of a load.
type seedProblem struct {
	index          int
	field, message string
	code           fault.Code
}

// loadRisks writes the seeds in one transaction unless any is wrong; it
// returns every problem found (none written then), an import's id when
// im is set. Each risk is checked and written in turn, so the problems of
// a row never depend on a later one; links are made once every risk has
// its id, and only when no risk was wrong.
func (db *DB) loadRisks(ctx context.Context, p *access.Principal, seeds []risk.Seed, source string, im *riskImport) ([]seedProblem, error) {
	today := dateOnly(db.Now())
	var problems []seedProblem
	problem := func(i int, field, message string) {
		field = strings.TrimSuffix(field, "_id") // unit_id is the file's unit, owner_id its owner, parent_id its parent
		for _, pr := range problems {
			if pr.index == i && pr.field == field {
				return // one problem per cell: an unknown unit is not also a missing one
			}
		}
		problems = append(problems, seedProblem{index: i, field: field, message: message, code: fault.Invalid})
	}
	errDone := errors.New("problems found")
	err := db.inTx(ctx, func(tx *Tx) error {
		scale, err := currentScale(ctx, tx)
		if err != nil {
			return err
		}
		var importID any
		if im != nil {
			if im.id, err = tx.insert(ctx, `INSERT INTO imports (kind, file_name, sha256, rows_read, rows_added, rows_changed, rows_rejected,
				actor_id, actor, started_at, finished_at) VALUES ('risks', ?, ?, ?, ?, 0, 0, ?, ?, ?, ?)`,
				im.fileName, im.sha256, len(seeds), len(seeds), audit.ActorFrom(ctx).PersonID, audit.ActorFrom(ctx).Label, tx.now, tx.now); err != nil {
				return fmt.Errorf("record import: %w", err)
			}
			importID = im.id
		}
		byRef := map[string]int64{}
		seenRef := map[string]int{} // reference -> index of the risk that has it
		// updates are the rows of an import that name a risk already in the
		// register, by index: they bring it up to date instead of adding one.
		updates := map[int]*riskImportUpdate{}
		for i := range seeds {
			sd := &seeds[i]
			r := &sd.Risk
			before := len(problems)
			if im != nil && r.Reference != "" {
				if _, dup := seenRef[strings.ToUpper(r.Reference)]; !dup {
					if id, err := lookupID(ctx, tx, `SELECT id FROM risks WHERE UPPER(reference) = ?`, strings.ToUpper(r.Reference)); err == nil {
						updates[i] = &riskImportUpdate{id: id}
					}
				}
			}
			_, isUpdate := updates[i]
			var resolveErr error
			if r.UnitID, resolveErr = lookupID(ctx, tx, `SELECT id FROM units WHERE code = ?`, sd.Unit); resolveErr != nil {
				problem(i, "unit", fmt.Sprintf("There is no unit %q", sd.Unit))
			} else if !isUpdate && !access.CanCreateRisk(p, r.UnitID) {
				problems = append(problems, seedProblem{index: i, field: "unit", code: fault.Forbidden,
					message: fmt.Sprintf("You may load risks only into your own units, not %s", sd.Unit)})
			}
			if sd.Location != "" {
				id, err := lookupID(ctx, tx, `SELECT id FROM locations WHERE code = ?`, sd.Location)
				if err != nil {
					problem(i, "location", fmt.Sprintf("There is no location %q", sd.Location))
				}
				r.LocationID = &id
			}
			if r.OwnerID, resolveErr = lookupID(ctx, tx, `SELECT id FROM people WHERE email = ?`, strings.ToLower(sd.OwnerEmail)); resolveErr != nil {
				problem(i, "owner", fmt.Sprintf("There is no member of staff %q", sd.OwnerEmail))
			}
			if r.Reference != "" {
				if first, ok := seenRef[strings.ToUpper(r.Reference)]; ok {
					problem(i, "reference", fmt.Sprintf("The reference %s is also risk %d of this register", r.Reference, first+1))
				} else if _, isUpdate := updates[i]; isUpdate {
					// checked below, as an update
				} else if _, err := lookupID(ctx, tx, `SELECT id FROM risks WHERE UPPER(reference) = ?`, strings.ToUpper(r.Reference)); err == nil {
					problem(i, "reference", fmt.Sprintf("The reference %s is already in the register", r.Reference))
				}
			}
			if len(sd.Rescores) > 0 {
				last := sd.Rescores[len(sd.Rescores)-1]
				r.Current, r.Status = last.Current, last.Status
			}
			if r.Status == risk.Closed && r.ClosedOn == nil {
				closed := dateOnly(sd.Raised)
				if len(sd.Rescores) > 0 {
					closed = dateOnly(sd.Rescores[len(sd.Rescores)-1].At)
				}
				r.ClosedOn = &closed
			}
			if u := updates[i]; u != nil {
				if err := keepStoredValues(ctx, tx, u, r, im.absent); err != nil {
					return err
				}
			}
			if err := r.Validate(today, false); err != nil {
				for _, f := range fault.As(err).Fields {
					problem(i, f.Field, f.Message)
				}
			}
			if r.Reference != "" {
				seenRef[strings.ToUpper(r.Reference)] = i
			}
			if len(problems) > before {
				continue
			}
			if u := updates[i]; u != nil {
				if err := db.prepareRiskImportUpdate(ctx, tx, p, u, sd, today); err != nil {
					fe := fault.As(err)
					if fe == nil || len(fe.Fields) == 0 {
						return err
					}
					problems = append(problems, seedProblem{index: i, field: fe.Fields[0].Field, message: fe.Fields[0].Message, code: fe.Code})
				}
				continue // written with the links, once every new risk has its id
			}
			if len(problems) > 0 {
				continue // nothing will be written: only check the rest
			}
			first := *r
			first.Current, first.Status, first.ClosedOn = r.Inherent, risk.Open, nil
			if len(sd.Rescores) == 0 {
				first.Current, first.Status, first.ClosedOn = r.Current, r.Status, r.ClosedOn
			}
			r.ScaleVersion, r.Escalated = scale.Version, r.Status != risk.Closed && r.Current.Score() >= scale.Escalation
			r.Version, r.CreatedAt, r.UpdatedAt = 1, sd.Raised, tx.now
			if len(sd.Rescores) > 0 {
				r.UpdatedAt = sd.Rescores[len(sd.Rescores)-1].At
			}
			reference := r.Reference
			if reference == "" {
				reference = fmt.Sprintf("pending-%d-%d", tx.now.UnixNano(), i)
			}
			if _, err := tx.trackRiskChanges(ctx); err != nil {
				return err
			}
			id, err := tx.insert(ctx, `INSERT INTO risks (reference, title, cause, event, consequence, category, unit_id, location_id, owner_id, themes,
				inherent_likelihood, inherent_impact, current_likelihood, current_impact, target_likelihood, target_impact, current_score, scale_version,
				target_date, proximity, treatment, status, accepted_until, review_months, next_review, parent_id, project, escalated, closed_on,
				import_id, version, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				append([]any{reference}, append(riskValues(r), importID, r.Version, r.CreatedAt, r.UpdatedAt)...)...)
			if err != nil {
				return fmt.Errorf("risk %d (%s): %w", i+1, r.Reference, tx.dialect.translate(err))
			}
			r.ID = id
			if err := tx.touchNewRisk(ctx, id); err != nil {
				return err
			}
			if r.Reference == "" {
				r.Reference = fmt.Sprintf("RSK-%05d", id)
				if _, err := tx.exec(ctx, `UPDATE risks SET reference = ? WHERE id = ?`, r.Reference, id); err != nil {
					return err
				}
			}
			byRef[strings.ToUpper(r.Reference)] = id
			if err := insertPoint(ctx, tx, id, sd.Raised, first, scale.Version, "Raised"); err != nil {
				return err
			}
			for _, sp := range sd.Rescores {
				at := first
				at.Current, at.Status = sp.Current, sp.Status
				if err := insertPoint(ctx, tx, id, sp.At, at, scale.Version, sp.Note); err != nil {
					return err
				}
			}
			for _, m := range sd.Measures {
				owner, err := lookupID(ctx, tx, `SELECT id FROM people WHERE email = ?`, strings.ToLower(m.OwnerEmail))
				if err != nil {
					problem(i, "measure", fmt.Sprintf("There is no member of staff %q to own %q", m.OwnerEmail, m.Description))
					return errDone
				}
				var completed any
				if !m.Status.Open() {
					completed = dateOnly(m.Due)
				}
				if _, err := tx.exec(ctx, `INSERT INTO risk_measures (risk_id, description, owner_id, due_on, status, completed_on, created_at, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, m.Description, owner, dateOnly(m.Due), string(m.Status), completed, sd.Raised, tx.now); err != nil {
					return tx.dialect.translate(err)
				}
			}
		}
		if len(problems) > 0 {
			return errDone
		}
		// Links, once every risk of the load has its id.
		var relations map[int64][]int64
		if len(updates) > 0 {
			relations = importRelations(ctx, tx, seeds, updates, byRef)
		}
		for i := range seeds {
			sd := &seeds[i]
			r := &sd.Risk
			if u := updates[i]; u != nil {
				changed, err := db.applyRiskImportUpdate(ctx, tx, p, u, sd, byRef, relations[u.id], im.fileName)
				if fe := fault.As(err); err != nil && fe != nil && len(fe.Fields) > 0 {
					problems = append(problems, seedProblem{index: i, field: strings.TrimSuffix(fe.Fields[0].Field, "_id"), message: fe.Fields[0].Message, code: fe.Code})
					continue
				} else if err != nil {
					return err
				}
				if changed {
					im.changed++
				}
				continue
			}
			if sd.ParentRef != "" {
				parent, ok := byRef[strings.ToUpper(sd.ParentRef)]
				if !ok {
					var err error
					if parent, err = lookupID(ctx, tx, `SELECT id FROM risks WHERE UPPER(reference) = ?`, strings.ToUpper(sd.ParentRef)); err != nil {
						problem(i, "parent", fmt.Sprintf("There is no risk %q to roll up to", sd.ParentRef))
						continue
					}
				}
				r.ParentID = &parent
				if err := db.checkRiskLinks(ctx, tx, p, r); err != nil {
					if fe := fault.As(err); fe != nil && fe.Code == fault.Invalid && len(fe.Fields) > 0 {
						problem(i, "parent", fe.Fields[0].Message)
						continue
					}
					return err
				}
				if _, err := tx.exec(ctx, `UPDATE risks SET parent_id = ? WHERE id = ?`, parent, r.ID); err != nil {
					return err
				}
			}
			for _, ref := range sd.Related {
				other, ok := byRef[strings.ToUpper(ref)]
				if !ok {
					other, err = lookupID(ctx, tx, `SELECT id FROM risks WHERE UPPER(reference) = ?`, strings.ToUpper(ref))
					ok = err == nil
				}
				if !ok || other == r.ID {
					problem(i, "related", fmt.Sprintf("There is no other risk %q in the register or the load", ref))
					continue
				}
				r.Related = append(r.Related, other)
			}
			for _, t := range r.Themes {
				if _, err := tx.exec(ctx, `INSERT INTO risk_themes (risk_id, theme) VALUES (?, ?)`, r.ID, t); err != nil {
					return tx.dialect.translate(err)
				}
			}
			for _, other := range r.Related {
				if _, err := tx.exec(ctx, `INSERT INTO risk_links (risk_id, related_id) VALUES (?, ?) ON CONFLICT DO NOTHING`, min(r.ID, other), max(r.ID, other)); err != nil {
					return tx.dialect.translate(err)
				}
			}
		}
		if len(problems) > 0 {
			return errDone
		}
		fields := map[string]any{"risks": len(seeds), "source": source}
		if im != nil {
			im.added = len(seeds) - len(updates)
			fields["added"], fields["changed"] = im.added, im.changed
			if _, err := tx.exec(ctx, `UPDATE imports SET rows_added = ?, rows_changed = ? WHERE id = ?`, im.added, im.changed, im.id); err != nil {
				return err
			}
		}
		return tx.recordRef(ctx, audit.Import, "risk_register", source, audit.Fields(fields))
	})
	if errors.Is(err, errDone) {
		return problems, nil
	}
	return problems, err
}

func insertPoint(ctx context.Context, tx *Tx, riskID int64, at any, r risk.Risk, scale int, note string) error {
	if err := supersedeScores(ctx, tx, riskID, at); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `INSERT INTO risk_scores (risk_id, at, inherent_likelihood, inherent_impact, current_likelihood, current_impact,
		target_likelihood, target_impact, current_score, scale_version, status, by_id, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)`,
		riskID, at, r.Inherent.Likelihood, r.Inherent.Impact, r.Current.Likelihood, r.Current.Impact, r.Target.Likelihood, r.Target.Impact,
		r.Current.Score(), scale, string(r.Status), note)
	return tx.dialect.translate(err)
}

func lookupID(ctx context.Context, tx *Tx, query string, arg any) (int64, error) {
	var id int64
	err := tx.queryRow(ctx, query, arg).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fault.Errorf(fault.NotFound, "not found")
	}
	return id, err
}

// riskImport is a register brought in from a spreadsheet: the imports row
// the load records, with the file it came from.
type riskImport struct {
	id               int64
	fileName, sha256 string
	added, changed   int // counted as the import is written
	// absent are the optional columns the file lacks: a risk it brings up
	// to date keeps what it has for them.
	absent map[string]bool
}

// RiskImportRow is one risk of a register brought in from a spreadsheet,
// with the row of the file it came from.
type RiskImportRow struct {
	Row  int
	Seed risk.Seed
}

// ImportRisks adds a register brought in from a spreadsheet and brings up
// to date each risk a row names by its reference (keeping what the risk
// has for the optional columns absent lists), all or nothing: if any row
// is wrong, nothing is written and every problem is returned with its row
// and column. The import is recorded (kind "risks") and each risk it adds
// carries its id; it is one audit entry, and each risk it changes one more.
// Errors: Forbidden (may not raise risks at all), Invalid (with problems).
func (db *DB) ImportRisks(ctx context.Context, p *access.Principal, fileName, sha256 string, rows []RiskImportRow, absent []string) (ImportSummary, []RowProblem, error) {
	if !access.Allows(p, access.WriteRisks) {
		return ImportSummary{}, nil, fault.Errorf(fault.Forbidden, "Your roles do not include importing risks")
	}
	seeds := make([]risk.Seed, len(rows))
	for i, r := range rows {
		seeds[i] = r.Seed
	}
	im := &riskImport{fileName: fileName, sha256: sha256, absent: map[string]bool{}}
	for _, c := range absent {
		im.absent[c] = true
	}
	found, err := db.loadRisks(ctx, p, seeds, "import of "+fileName, im)
	if err != nil {
		return ImportSummary{}, nil, err
	}
	if len(found) > 0 {
		problems := make([]RowProblem, 0, len(found))
		for _, pr := range found {
			problems = append(problems, RowProblem{Row: rows[pr.index].Row, Column: pr.field, Reason: pr.message})
		}
		return ImportSummary{Read: len(rows)}, problems, &fault.Error{Code: fault.Invalid,
			Message: fmt.Sprintf("Nothing was imported: %d problem%s in the file", len(problems), plural(len(problems), "", "s"))}
	}
	return ImportSummary{ID: im.id, Read: len(rows), Added: im.added, Changed: im.changed, Unchanged: len(rows) - im.added - im.changed}, nil, nil
}

// ExportRisks calls fn with each risk the filter selects, highest current
// score first, as a risk to load: its unit, location, owner, parent and
// related risks named as a file names them, so an export imports back.
func (db *DB) ExportRisks(ctx context.Context, p *access.Principal, f RiskFilter, fn func(risk.Seed) error) error {
	emails := map[int64]string{}
	refs := map[int64]string{}
	lookup := func(cache map[int64]string, query string, id int64) (string, error) {
		if v, ok := cache[id]; ok {
			return v, nil
		}
		var v string
		if err := db.queryRow(ctx, query, id).Scan(&v); err != nil {
			return "", err
		}
		cache[id] = v
		return v, nil
	}
	f.Cursor, f.Limit = "", 500
	for {
		page, err := db.Risks(ctx, p, f)
		if err != nil {
			return err
		}
		for _, r := range page.Risks {
			sd := risk.Seed{Risk: r, Unit: r.UnitCode, Location: r.LocationCode, Raised: dateOnly(r.CreatedAt)}
			if sd.OwnerEmail, err = lookup(emails, `SELECT email FROM people WHERE id = ?`, r.OwnerID); err != nil {
				return fmt.Errorf("export risk %s: owner: %w", r.Reference, err)
			}
			if r.ParentID != nil {
				if sd.ParentRef, err = lookup(refs, `SELECT reference FROM risks WHERE id = ?`, *r.ParentID); err != nil {
					return fmt.Errorf("export risk %s: parent: %w", r.Reference, err)
				}
			}
			if err := loadRiskLinks(ctx, db.query, &sd.Risk); err != nil {
				return err
			}
			for _, id := range sd.Risk.Related {
				ref, err := lookup(refs, `SELECT reference FROM risks WHERE id = ?`, id)
				if err != nil {
					return fmt.Errorf("export risk %s: related: %w", r.Reference, err)
				}
				sd.Related = append(sd.Related, ref)
			}
			if err := fn(sd); err != nil {
				return err
			}
		}
		if page.Next == "" {
			return nil
		}
		f.Cursor = page.Next
	}
}

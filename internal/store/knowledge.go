package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
)

const articleColumns = `a.id, a.kind, a.status, a.title, a.summary, a.body, a.unit_id, a.owner_id, a.author_id, a.sensitivity, a.sharing,
	a.parent_id, a.position, a.country, a.review_by, a.last_reviewed, a.published_version, a.pending_version, a.revision,
	a.created_at, a.updated_at, a.published_at, u.code, COALESCE(o.name, ''), COALESCE(au.name, '')`

const articleFrom = ` FROM articles a JOIN units u ON u.id = a.unit_id LEFT JOIN people o ON o.id = a.owner_id
	LEFT JOIN people au ON au.id = a.author_id`

// articleRow is an article as read, with the number of its pending
// version, which is loaded separately.
type articleRow struct {
	knowledge.Article
	pending int
}

func scanArticle(row interface{ Scan(...any) error }) (articleRow, error) {
	var r articleRow
	a := &r.Article
	var kind, status, sensitivity, sharing string
	var parent sql.NullInt64
	var reviewBy, lastReviewed, publishedAt sql.NullTime
	err := row.Scan(&a.ID, &kind, &status, &a.Title, &a.Summary, &a.Body, &a.UnitID, &a.OwnerID, &a.AuthorID, &sensitivity, &sharing,
		&parent, &a.Position, &a.Country, &reviewBy, &lastReviewed, &a.PublishedVersion, &r.pending, &a.Revision,
		&a.CreatedAt, &a.UpdatedAt, &publishedAt, &a.UnitCode, &a.OwnerName, &a.AuthorName)
	a.Kind, a.Status, a.Sensitivity, a.Sharing = knowledge.Kind(kind), knowledge.Status(status), access.Sensitivity(sensitivity), knowledge.Sharing(sharing)
	a.ParentID = nullableID(parent)
	if reviewBy.Valid {
		d := deadline.DateOf(reviewBy.Time.UTC())
		a.ReviewBy = &d
	}
	a.LastReviewed, a.PublishedAt = nullableTime(lastReviewed), nullableTime(publishedAt)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return r, err
}

func nullableTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

func dateValue(d *deadline.Date) any {
	if d == nil || d.IsZero() {
		return nil
	}
	return d.Time(time.UTC)
}

func errArticleNotFound(id int64) error {
	return fault.Errorf(fault.NotFound, "There is no article %d", id)
}

// CreateArticle starts an article as a draft written by the principal, who
// must be allowed to write in its unit. Errors: Invalid, Forbidden.
func (db *DB) CreateArticle(ctx context.Context, p *access.Principal, a *knowledge.Article) error {
	a.Normalise()
	now := db.Now()
	knowledge.Start(a, p, now)
	if err := a.Validate(); err != nil {
		return err
	}
	if !knowledge.CanWriteIn(db.Clearances, p, a.UnitID, a.Sensitivity) {
		return fault.Errorf(fault.Forbidden, "You may start articles only in your own units, at a sensitivity you are cleared for")
	}
	return db.inTx(ctx, func(tx *Tx) error { return insertArticle(ctx, tx, a) })
}

// insertArticle stores a started, valid article, audited.
func insertArticle(ctx context.Context, tx *Tx, a *knowledge.Article) error {
	if err := checkParent(ctx, tx, a); err != nil {
		return err
	}
	a.CreatedAt, a.UpdatedAt, a.Pending.CreatedAt, a.Pending.UpdatedAt = tx.now, tx.now, tx.now, tx.now
	id, err := tx.insert(ctx, `INSERT INTO articles (kind, status, title, summary, body, search_extra, unit_id, owner_id, author_id,
		sensitivity, sharing, parent_id, position, country, review_by, published_version, pending_version, revision, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1, 1, ?, ?)`,
		string(a.Kind), string(a.Status), a.Title, a.Summary, a.Body, searchExtra(a), a.UnitID, a.OwnerID, a.AuthorID,
		string(a.Sensitivity), string(a.Sharing), a.ParentID, a.Position, a.Country, dateValue(a.ReviewBy), tx.now, tx.now)
	if err != nil {
		return fmt.Errorf("create article: %w", tx.dialect.translate(err))
	}
	a.ID = id
	if err := insertVersion(ctx, tx, a.ID, a.Pending); err != nil {
		return err
	}
	if err := syncArticleLinks(ctx, tx, a); err != nil {
		return err
	}
	if err := countWords(ctx, tx, nil, a); err != nil {
		return err
	}
	return tx.record(ctx, audit.Create, "article", id, audit.Diff(nil, storedArticle(*a)))
}

// checkParent allows a chapter only under a desk guide of the same unit.
func checkParent(ctx context.Context, tx *Tx, a *knowledge.Article) error {
	if a.ParentID == nil {
		return nil
	}
	var kind string
	var unit int64
	err := tx.queryRow(ctx, `SELECT kind, unit_id FROM articles WHERE id = ?`, *a.ParentID).Scan(&kind, &unit)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (kind != string(knowledge.DeskGuide) || unit != a.UnitID)) {
		return &fault.Error{Code: fault.Invalid, Message: "The article could not be saved",
			Fields: []fault.FieldError{{Field: "parent_id", Message: "A chapter belongs to a desk guide of the same unit"}}}
	}
	return err
}

func insertVersion(ctx context.Context, tx *Tx, articleID int64, v *knowledge.Version) error {
	_, err := tx.exec(ctx, `INSERT INTO article_versions (article_id, number, state, title, summary, body, author_id, note, return_note,
		created_at, updated_at, submitted_at, approved_by, approved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		articleID, v.Number, string(v.State), v.Title, v.Summary, v.Body, v.AuthorID, v.Note, v.ReturnNote,
		v.CreatedAt, v.UpdatedAt, v.SubmittedAt, v.ApprovedByID, v.ApprovedAt)
	if err != nil {
		return fmt.Errorf("save version %d of article %d: %w", v.Number, articleID, tx.dialect.translate(err))
	}
	return nil
}

func saveVersion(ctx context.Context, tx *Tx, articleID int64, v *knowledge.Version) error {
	res, err := tx.exec(ctx, `UPDATE article_versions SET state = ?, title = ?, summary = ?, body = ?, author_id = ?, note = ?, return_note = ?,
		updated_at = ?, submitted_at = ?, approved_by = ?, approved_at = ? WHERE article_id = ? AND number = ? AND state <> 'published'`,
		string(v.State), v.Title, v.Summary, v.Body, v.AuthorID, v.Note, v.ReturnNote, v.UpdatedAt, v.SubmittedAt, v.ApprovedByID, v.ApprovedAt,
		articleID, v.Number)
	if err != nil {
		return tx.dialect.translate(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return insertVersion(ctx, tx, articleID, v)
	}
	return nil
}

// searchExtra is what is searched beside the text: tags, the country and
// the references of linked cases.
func searchExtra(a *knowledge.Article) string {
	parts := append(slices.Clone(a.Tags), a.Country)
	for _, t := range a.Tags {
		parts = append(parts, strings.ReplaceAll(t, "-", " "))
	}
	return strings.TrimSpace(strings.Join(append(parts, a.RelatedCases...), " "))
}

// storedArticle is what the audit trail records of an article: its
// details, not its text, which the kept versions hold.
func storedArticle(a knowledge.Article) map[string]any {
	m := map[string]any{"kind": a.Kind, "status": a.Status, "title": a.Title, "unit_id": a.UnitID, "owner_id": a.OwnerID,
		"sensitivity": a.Sensitivity, "sharing": a.Sharing, "partner_ids": a.PartnerIDs, "country": a.Country, "tags": strings.Join(a.Tags, " "),
		"related_cases": strings.Join(a.RelatedCases, " "), "related_risks": strings.Join(a.RelatedRisks, " "),
		"published_version": a.PublishedVersion, "position": a.Position}
	if a.ReviewBy != nil {
		m["review_by"] = a.ReviewBy.String()
	}
	if a.ParentID != nil {
		m["parent_id"] = *a.ParentID
	}
	if a.Pending != nil {
		m["pending_version"] = fmt.Sprintf("%d (%s)", a.Pending.Number, a.Pending.State)
	}
	return m
}

// syncArticleLinks writes an article's tags, case and risk links and the
// partners it is shared with.
func syncArticleLinks(ctx context.Context, tx *Tx, a *knowledge.Article) error {
	for _, q := range []string{`DELETE FROM article_tags WHERE article_id = ?`, `DELETE FROM article_links WHERE article_id = ?`,
		`DELETE FROM record_shares WHERE record_type = 'article' AND record_id = ?`} {
		if _, err := tx.exec(ctx, q, a.ID); err != nil {
			return err
		}
	}
	for _, t := range a.Tags {
		if _, err := tx.exec(ctx, `INSERT INTO article_tags (article_id, tag) VALUES (?, ?)`, a.ID, t); err != nil {
			return tx.dialect.translate(err)
		}
	}
	for kind, refs := range map[string][]string{"case": a.RelatedCases, "risk": a.RelatedRisks} {
		for _, ref := range refs {
			if _, err := tx.exec(ctx, `INSERT INTO article_links (article_id, kind, ref) VALUES (?, ?, ?)`, a.ID, kind, ref); err != nil {
				return tx.dialect.translate(err)
			}
		}
	}
	for _, partner := range a.PartnerIDs {
		if _, err := tx.exec(ctx, `INSERT INTO record_shares (record_type, record_id, partner_id) VALUES ('article', ?, ?)`, a.ID, partner); err != nil {
			return tx.dialect.translate(err)
		}
	}
	return nil
}

// countWords keeps the vocabulary's counts in step with the text readers
// can find: words that left the article count one fewer, new words one
// more.
func countWords(ctx context.Context, tx *Tx, before, after *knowledge.Article) error {
	old, now := vocabulary(before), vocabulary(after)
	for w := range old {
		if !now[w] {
			if _, err := tx.exec(ctx, `UPDATE knowledge_words SET articles = articles - 1 WHERE word = ?`, w); err != nil {
				return err
			}
		}
	}
	for w := range now {
		if !old[w] {
			if _, err := tx.exec(ctx, `INSERT INTO knowledge_words (word, articles) VALUES (?, 1)
				ON CONFLICT (word) DO UPDATE SET articles = knowledge_words.articles + 1`, w); err != nil {
				return err
			}
		}
	}
	return nil
}

// vocabulary is the set of words of an article worth suggesting: three
// letters or more, not stop words, not numbers. Only published official
// articles contribute, as the vocabulary is shared by every reader: a
// suggestion must never reveal a word of a draft or a sensitive article.
func vocabulary(a *knowledge.Article) map[string]bool {
	set := map[string]bool{}
	if a == nil || a.Status != knowledge.Published || a.Sensitivity != access.Official {
		return set
	}
	for _, w := range knowledge.Words(a.Title + " " + a.Summary + " " + a.Body + " " + strings.Join(a.Tags, " ")) {
		if len(w) >= 3 && len(w) <= 30 && !knowledge.IsStopWord(w) && strings.IndexFunc(w, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
			set[w] = true
		}
	}
	return set
}

// Article returns an article the principal may read, with its pending
// version when they may see drafts. Errors: NotFound.
func (db *DB) Article(ctx context.Context, p *access.Principal, id int64) (knowledge.Article, error) {
	r, err := db.readArticle(ctx, db.read, id)
	if err != nil {
		return knowledge.Article{}, err
	}
	if !knowledge.CanRead(db.Clearances, p, &r.Article) {
		return knowledge.Article{}, errArticleNotFound(id)
	}
	if r.pending == 0 || !knowledge.CanSeeDrafts(db.Clearances, p, &r.Article) {
		r.Pending = nil
	}
	return r.Article, nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// readArticle reads an article with its links, shares and pending
// version, without deciding who may see it.
func (db *DB) readArticle(ctx context.Context, q querier, id int64) (articleRow, error) {
	r, err := scanArticle(q.QueryRowContext(ctx, db.dialect.rebind(`SELECT `+articleColumns+articleFrom+` WHERE a.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, errArticleNotFound(id)
	} else if err != nil {
		return r, err
	}
	rows, err := q.QueryContext(ctx, db.dialect.rebind(`SELECT 'tag', tag, 0 FROM article_tags WHERE article_id = ?
		UNION ALL SELECT kind, ref, 0 FROM article_links WHERE article_id = ?
		UNION ALL SELECT 'partner', '', partner_id FROM record_shares WHERE record_type = 'article' AND record_id = ? AND partner_id IS NOT NULL`), id, id, id)
	if err != nil {
		return r, err
	}
	defer rows.Close()
	r.Tags, r.RelatedCases, r.RelatedRisks, r.PartnerIDs = []string{}, []string{}, []string{}, []int64{}
	for rows.Next() {
		var kind, ref string
		var partner int64
		if err := rows.Scan(&kind, &ref, &partner); err != nil {
			return r, err
		}
		switch kind {
		case "tag":
			r.Tags = append(r.Tags, ref)
		case "case":
			r.RelatedCases = append(r.RelatedCases, ref)
		case "risk":
			r.RelatedRisks = append(r.RelatedRisks, ref)
		case "partner":
			r.PartnerIDs = append(r.PartnerIDs, partner)
		}
	}
	if err := rows.Err(); err != nil {
		return r, err
	}
	slices.Sort(r.Tags)
	slices.Sort(r.RelatedCases)
	slices.Sort(r.RelatedRisks)
	slices.Sort(r.PartnerIDs)
	if r.pending > 0 {
		v, err := db.readVersion(ctx, q, id, r.pending)
		if err != nil {
			return r, err
		}
		r.Pending = &v
	}
	return r, nil
}

const versionColumns = `v.number, v.state, v.title, v.summary, v.body, v.author_id, COALESCE(au.name, ''), v.note, v.return_note,
	v.created_at, v.updated_at, v.submitted_at, v.approved_by, COALESCE(ap.name, ''), v.approved_at`

const versionFrom = ` FROM article_versions v LEFT JOIN people au ON au.id = v.author_id LEFT JOIN people ap ON ap.id = v.approved_by`

func scanVersion(row interface{ Scan(...any) error }) (knowledge.Version, error) {
	var v knowledge.Version
	var state string
	var submitted, approved sql.NullTime
	var approver sql.NullInt64
	err := row.Scan(&v.Number, &state, &v.Title, &v.Summary, &v.Body, &v.AuthorID, &v.AuthorName, &v.Note, &v.ReturnNote,
		&v.CreatedAt, &v.UpdatedAt, &submitted, &approver, &v.ApproverName, &approved)
	v.State = knowledge.VersionState(state)
	v.SubmittedAt, v.ApprovedAt, v.ApprovedByID = nullableTime(submitted), nullableTime(approved), nullableID(approver)
	v.CreatedAt, v.UpdatedAt = v.CreatedAt.UTC(), v.UpdatedAt.UTC()
	return v, err
}

func (db *DB) readVersion(ctx context.Context, q querier, articleID int64, number int) (knowledge.Version, error) {
	v, err := scanVersion(q.QueryRowContext(ctx, db.dialect.rebind(`SELECT `+versionColumns+versionFrom+` WHERE v.article_id = ? AND v.number = ?`), articleID, number))
	if errors.Is(err, sql.ErrNoRows) {
		return v, fault.Errorf(fault.NotFound, "Article %d has no version %d", articleID, number)
	}
	return v, err
}

// ArticleVersions lists the versions of an article the principal may see,
// newest first: the published ones, and the rest for those who may see
// drafts. Errors: NotFound.
func (db *DB) ArticleVersions(ctx context.Context, p *access.Principal, id int64) ([]knowledge.Version, error) {
	a, err := db.Article(ctx, p, id)
	if err != nil {
		return nil, err
	}
	states := "v.state = 'published'"
	if knowledge.CanSeeDrafts(db.Clearances, p, &a) {
		states = "1 = 1"
	}
	rows, err := db.query(ctx, `SELECT `+versionColumns+versionFrom+` WHERE v.article_id = ? AND `+states+` ORDER BY v.number DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []knowledge.Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ArticleVersion returns one version the principal may see. Errors: NotFound.
func (db *DB) ArticleVersion(ctx context.Context, p *access.Principal, id int64, number int) (knowledge.Version, error) {
	a, err := db.Article(ctx, p, id)
	if err != nil {
		return knowledge.Version{}, err
	}
	v, err := db.readVersion(ctx, db.read, id, number)
	if err != nil {
		return v, err
	}
	if v.State != knowledge.VersionPublished && !knowledge.CanSeeDrafts(db.Clearances, p, &a) {
		return knowledge.Version{}, fault.Errorf(fault.NotFound, "Article %d has no version %d", id, number)
	}
	return v, nil
}

// ArticleChange is what a person changes in an article: its details and
// its text, with a note on what changed, against the revision they read.
type ArticleChange struct {
	Article knowledge.Article
	Note    string
}

// UpdateArticle saves a change to an article's details and text. The text
// goes to its pending version (a new one when it is published), so
// readers keep the published text until a reviewer approves the change.
// The change is refused if anyone changed the article since the revision
// the caller read. Errors: NotFound, Forbidden, Invalid, Conflict.
func (db *DB) UpdateArticle(ctx context.Context, p *access.Principal, ch ArticleChange) (knowledge.Article, error) {
	in := ch.Article
	in.Normalise()
	var out knowledge.Article
	err := db.inTx(ctx, func(tx *Tx) error {
		before, err := db.articleForWrite(ctx, tx, p, in.ID)
		if err != nil {
			return err
		}
		if before.Revision != in.Revision {
			return fault.Errorf(fault.Conflict, "The article has changed since you opened it. Reload it to see the changes, then make yours again.")
		}
		a := cloneArticle(before)
		// Details change at once; the author and lifecycle do not change here.
		a.Kind, a.UnitID, a.OwnerID, a.Sensitivity, a.Sharing, a.PartnerIDs = in.Kind, in.UnitID, in.OwnerID, in.Sensitivity, in.Sharing, in.PartnerIDs
		a.ParentID, a.Position, a.Country, a.Tags, a.RelatedCases, a.RelatedRisks = in.ParentID, in.Position, in.Country, in.Tags, in.RelatedCases, in.RelatedRisks
		if in.ReviewBy != nil && a.Status != knowledge.Published {
			a.ReviewBy = in.ReviewBy
		}
		textChanged := a.Pending == nil && (in.Title != a.Title || in.Summary != a.Summary || in.Body != a.Body) ||
			a.Pending != nil && (in.Title != a.Pending.Title || in.Summary != a.Pending.Summary || in.Body != a.Pending.Body)
		if textChanged {
			if err := knowledge.Revise(&a, p, in.Title, in.Summary, in.Body, ch.Note, tx.now); err != nil {
				return err
			}
		}
		check := a
		if a.Pending != nil {
			check.Title, check.Summary, check.Body = a.Pending.Title, a.Pending.Summary, a.Pending.Body
		}
		if err := check.Validate(); err != nil {
			return err
		}
		if a.UnitID != before.UnitID && !knowledge.CanWriteIn(db.Clearances, p, a.UnitID, a.Sensitivity) {
			return fault.Errorf(fault.Forbidden, "You may move an article only to one of your own units")
		}
		if err := checkParent(ctx, tx, &a); err != nil {
			return err
		}
		a.Revision, a.UpdatedAt = before.Revision+1, tx.now
		if err := writeArticle(ctx, tx, &before, &a); err != nil {
			return err
		}
		out = a
		return tx.record(ctx, audit.Update, "article", a.ID, audit.Diff(storedArticle(before), storedArticle(a)))
	})
	return out, err
}

// articleForWrite reads an article inside a write transaction and checks
// the principal may change it.
func (db *DB) articleForWrite(ctx context.Context, tx *Tx, p *access.Principal, id int64) (knowledge.Article, error) {
	r, err := db.readArticle(ctx, txQuerier{tx}, id)
	if err != nil {
		return knowledge.Article{}, err
	}
	if !knowledge.CanRead(db.Clearances, p, &r.Article) {
		return knowledge.Article{}, errArticleNotFound(id)
	}
	return r.Article, nil
}

// txQuerier lets the readers shared with reads outside a transaction run
// inside one.
type txQuerier struct{ tx *Tx }

func (q txQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return q.tx.tx.QueryRowContext(ctx, query, args...)
}

func (q txQuerier) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return q.tx.tx.QueryContext(ctx, query, args...)
}

func cloneArticle(a knowledge.Article) knowledge.Article {
	b := a
	b.Tags, b.RelatedCases, b.RelatedRisks, b.PartnerIDs = slices.Clone(a.Tags), slices.Clone(a.RelatedCases), slices.Clone(a.RelatedRisks), slices.Clone(a.PartnerIDs)
	if a.Pending != nil {
		v := *a.Pending
		b.Pending = &v
	}
	return b
}

// writeArticle stores an article's row, its pending version and its links.
func writeArticle(ctx context.Context, tx *Tx, before, a *knowledge.Article) error {
	pending := 0
	if a.Pending != nil && a.Pending.State != knowledge.VersionWithdrawn && a.Pending.State != knowledge.VersionPublished {
		pending = a.Pending.Number
	}
	extra, err := withAttachmentText(ctx, tx, a)
	if err != nil {
		return err
	}
	res, err := tx.exec(ctx, `UPDATE articles SET kind = ?, status = ?, title = ?, summary = ?, body = ?, search_extra = ?, unit_id = ?, owner_id = ?,
		sensitivity = ?, sharing = ?, parent_id = ?, position = ?, country = ?, review_by = ?, last_reviewed = ?, published_version = ?,
		pending_version = ?, revision = ?, updated_at = ?, published_at = ? WHERE id = ? AND revision = ?`,
		string(a.Kind), string(a.Status), a.Title, a.Summary, a.Body, extra, a.UnitID, a.OwnerID,
		string(a.Sensitivity), string(a.Sharing), a.ParentID, a.Position, a.Country, dateValue(a.ReviewBy), a.LastReviewed, a.PublishedVersion,
		pending, a.Revision, a.UpdatedAt, a.PublishedAt, a.ID, before.Revision)
	if err != nil {
		return fmt.Errorf("update article %d: %w", a.ID, tx.dialect.translate(err))
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return fault.Errorf(fault.Conflict, "The article has changed since you opened it. Reload it and make your change again.")
	}
	if a.Pending != nil {
		if err := saveVersion(ctx, tx, a.ID, a.Pending); err != nil {
			return err
		}
	}
	if err := syncArticleLinks(ctx, tx, a); err != nil {
		return err
	}
	return countWords(ctx, tx, before, a)
}

// Transition is a lifecycle step asked of an article.
type Transition struct {
	// Action is submit, return, approve or archive.
	Action string
	// Note is a reviewer's reason for returning it.
	Note string
	// ReviewBy is the review-by date an approval sets; zero means the
	// kind's default from today.
	ReviewBy deadline.Date
	// Today is the civil date the step is taken on.
	Today deadline.Date
}

// TransitionArticle moves an article through its lifecycle. Approving a
// revision of a published article also records a review with the outcome
// "updated". Errors: NotFound, Forbidden, Conflict, Invalid.
func (db *DB) TransitionArticle(ctx context.Context, p *access.Principal, id int64, t Transition) (knowledge.Article, error) {
	var out knowledge.Article
	err := db.inTx(ctx, func(tx *Tx) error {
		before, err := db.articleForWrite(ctx, tx, p, id)
		if err != nil {
			return err
		}
		a := cloneArticle(before)
		canEdit := knowledge.CanEdit(db.Clearances, p, &a)
		switch t.Action {
		case "submit":
			if !canEdit {
				return fault.Errorf(fault.Forbidden, "Only the article's authors may submit it for review")
			}
			err = knowledge.Submit(&a, tx.now)
		case "return":
			if !canEdit && !knowledge.IsReviewerFor(p, a.UnitID) {
				return fault.Errorf(fault.Forbidden, "Only the article's authors and its unit's reviewers may send it back")
			}
			err = knowledge.Return(&a, t.Note, tx.now)
		case "approve":
			reviewBy := t.ReviewBy
			if reviewBy.IsZero() && a.ReviewBy != nil && a.ReviewBy.After(t.Today) {
				reviewBy = *a.ReviewBy
			}
			if reviewBy.IsZero() {
				reviewBy = a.Kind.DefaultReviewBy(t.Today)
			}
			wasPublished := a.PublishedVersion > 0
			if err = knowledge.Approve(&a, p, reviewBy, t.Today, tx.now); err == nil && wasPublished {
				err = insertReview(ctx, tx, knowledge.Review{ArticleID: a.ID, ReviewerID: p.PersonID, ReviewedAt: tx.now,
					Outcome: knowledge.Updated, Note: fmt.Sprintf("Version %d approved", a.PublishedVersion), Version: a.PublishedVersion, NextReviewBy: reviewBy})
			}
			if err == nil {
				err = saveApproved(ctx, tx, a.ID, a.PublishedVersion, p.PersonID)
			}
		case "archive":
			if !canEdit && !knowledge.IsReviewerFor(p, a.UnitID) {
				return fault.Errorf(fault.Forbidden, "Only the article's authors and its unit's reviewers may archive it")
			}
			err = knowledge.Archive(&a, tx.now)
		default:
			return &fault.Error{Code: fault.Invalid, Message: "That is not a step in an article's lifecycle",
				Fields: []fault.FieldError{{Field: "action", Message: "Choose submit, return, approve or archive"}}}
		}
		if err != nil {
			return err
		}
		a.Revision = before.Revision + 1
		if err := writeArticle(ctx, tx, &before, &a); err != nil {
			return err
		}
		out = a
		return tx.record(ctx, t.Action, "article", a.ID, audit.Diff(storedArticle(before), storedArticle(a)))
	})
	return out, err
}

// saveApproved marks a version published; from here it never changes.
func saveApproved(ctx context.Context, tx *Tx, articleID int64, number int, approver int64) error {
	_, err := tx.exec(ctx, `UPDATE article_versions SET state = 'published', approved_by = ?, approved_at = ? WHERE article_id = ? AND number = ?`,
		approver, tx.now, articleID, number)
	return err
}

func insertReview(ctx context.Context, tx *Tx, r knowledge.Review) error {
	_, err := tx.insert(ctx, `INSERT INTO article_reviews (article_id, reviewer_id, reviewed_at, outcome, note, version, next_review_by)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, r.ArticleID, r.ReviewerID, r.ReviewedAt, string(r.Outcome), r.Note, r.Version, r.NextReviewBy.Time(time.UTC))
	return err
}

// ReviewInput is a periodic review as a person records it.
type ReviewInput struct {
	Outcome      knowledge.ReviewOutcome
	Note         string
	NextReviewBy deadline.Date // zero: the kind's default from today
	Today        deadline.Date
}

// RecordArticleReview records that the principal reviewed a published
// article and sets its next review-by date. Errors: NotFound, Forbidden,
// Conflict, Invalid.
func (db *DB) RecordArticleReview(ctx context.Context, p *access.Principal, id int64, in ReviewInput) (knowledge.Review, error) {
	var out knowledge.Review
	err := db.inTx(ctx, func(tx *Tx) error {
		before, err := db.articleForWrite(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if !knowledge.CanRecordReview(db.Clearances, p, &before) && before.Status == knowledge.Published {
			return fault.Errorf(fault.Forbidden, "Only the article's owner, its unit's authors and its reviewers may record a review")
		}
		a := cloneArticle(before)
		next := in.NextReviewBy
		if next.IsZero() {
			next = a.Kind.DefaultReviewBy(in.Today)
		}
		r, err := knowledge.RecordReview(&a, p, in.Outcome, in.Note, next, in.Today, tx.now)
		if err != nil {
			return err
		}
		if err := insertReview(ctx, tx, r); err != nil {
			return err
		}
		a.Revision = before.Revision + 1
		if err := writeArticle(ctx, tx, &before, &a); err != nil {
			return err
		}
		out = r
		out.ReviewerName = p.Name
		return tx.record(ctx, "review", "article", a.ID, audit.Diff(storedArticle(before), storedArticle(a)))
	})
	return out, err
}

// ArticleReviews lists the reviews of an article the principal may read,
// newest first. Errors: NotFound.
func (db *DB) ArticleReviews(ctx context.Context, p *access.Principal, id int64) ([]knowledge.Review, error) {
	if _, err := db.Article(ctx, p, id); err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT r.id, r.article_id, r.reviewer_id, COALESCE(pe.name, ''), r.reviewed_at, r.outcome, r.note, r.version, r.next_review_by
		FROM article_reviews r LEFT JOIN people pe ON pe.id = r.reviewer_id WHERE r.article_id = ? ORDER BY r.reviewed_at DESC, r.id DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []knowledge.Review
	for rows.Next() {
		var r knowledge.Review
		var outcome string
		var next time.Time
		if err := rows.Scan(&r.ID, &r.ArticleID, &r.ReviewerID, &r.ReviewerName, &r.ReviewedAt, &outcome, &r.Note, &r.Version, &next); err != nil {
			return nil, err
		}
		r.Outcome, r.NextReviewBy, r.ReviewedAt = knowledge.ReviewOutcome(outcome), deadline.DateOf(next.UTC()), r.ReviewedAt.UTC()
		out = append(out, r)
	}
	return out, rows.Err()
}

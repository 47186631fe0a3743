package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
)

// ArticleFilter selects articles: a full-text query, ranked, or a list
// newest first, narrowed by kind, unit, tag, owner, country, desk guide and
// date of last change.
type ArticleFilter struct {
	Query   string
	Kind    knowledge.Kind
	Unit    string // unit code
	Tag     string
	OwnerID *int64
	Country string
	// ParentID lists a desk guide's chapters, in order.
	ParentID *int64
	// UpdatedSince keeps articles changed on or after this moment.
	UpdatedSince time.Time
	// Status is published (the default), archived, draft, in_review, or
	// awaiting_review: articles with a version in review, first
	// publication or revision.
	Status string
	Cursor string
	Limit  int
}

// ArticleHit is an article in a list: its details without its text, and
// for a search, how well it matched and where.
type ArticleHit struct {
	knowledge.Article
	// Snippet is the matching passage, HTML-escaped with the matched
	// words in <mark>.
	Snippet string  `json:"snippet,omitempty"`
	Score   float64 `json:"score,omitempty"`
}

// ArticlePage is one page of articles.
type ArticlePage struct {
	Articles []ArticleHit `json:"articles"`
	Next     string       `json:"next_cursor,omitempty"`
	// DidYouMean is the query with misspelt words replaced by the nearest
	// words the repository holds, when the query found little.
	DidYouMean string `json:"did_you_mean,omitempty"`
}

// MaxSearchResults is how many ranked results a search returns: ranking
// and snippets are computed only for what a page shows.
const MaxSearchResults = 50

// SearchArticles lists the articles the principal may read. With a query,
// results are ranked (title matches above summary and tags, above body)
// with highlighted snippets, on either database through its own full-text
// index. Errors: Invalid.
func (db *DB) SearchArticles(ctx context.Context, p *access.Principal, f ArticleFilter) (ArticlePage, error) {
	q := knowledge.ParseQuery(f.Query)
	where, args, err := db.articleConditions(p, f)
	if err != nil {
		return ArticlePage{}, err
	}
	if q.Empty() {
		return db.listArticles(ctx, f, where, args)
	}
	limit := min(clampLimit(f.Limit), MaxSearchResults)
	// The head of the query's ranking answers when it holds a page the
	// reader may see (knowledge_search_heads.go); otherwise everything is
	// ranked with the filters, which gives the same page, slower.
	page, fromHead, err := db.searchFromHead(ctx, q, where, args, limit)
	if err != nil {
		return ArticlePage{}, err
	}
	if !fromHead {
		ranked, rankedArgs := db.filteredRanking(q, where, args, limit)
		if page, err = db.searchPage(ctx, q, ranked, rankedArgs); err != nil {
			return ArticlePage{}, err
		}
	}
	// Partners get no suggestions: the vocabulary holds words of articles
	// not shared with them.
	if len(page.Articles) < 3 && !p.IsPartner() {
		if page.DidYouMean, err = db.didYouMean(ctx, q); err != nil {
			return ArticlePage{}, err
		}
	}
	return page, nil
}

// filteredRanking is the common table "ranked" of (id, score): every
// match the reader may see and the filters keep, ranked, the best limit of
// them. It reads only what ranking and the filters need.
func (db *DB) filteredRanking(q knowledge.Query, where []string, args []any, limit int) (string, []any) {
	cond := strings.Join(where, " AND ")
	if db.dialect == Postgres {
		return `ranked AS (SELECT a.id, ts_rank(a.search, to_tsquery('english', ?), 1) AS score
			FROM articles a JOIN units u ON u.id = a.unit_id WHERE a.search @@ to_tsquery('english', ?) AND ` + cond +
				` ORDER BY score DESC, a.id LIMIT ` + strconv.Itoa(limit) + `)`,
			append([]any{q.TSQuery(), q.TSQuery()}, args...)
	}
	return `ranked AS (SELECT a.id, -bm25(articles_fts, 10.0, 4.0, 1.0, 4.0) AS score
		FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid JOIN units u ON u.id = a.unit_id
		WHERE articles_fts MATCH ? AND ` + cond + ` ORDER BY score DESC, a.id LIMIT ` + strconv.Itoa(limit) + `)`,
		append([]any{q.FTS5()}, args...)
}

// headlineChars is how much of an article's summary and text PostgreSQL's
// snippet is first looked for in.
const headlineChars = 3000

// searchPage reads the articles of a ranking with their snippets, best
// first. ranked is the common table(s) ending in "ranked" of (id, score);
// snippets, which read and tokenise the whole text, are made only for its
// rows, as a common word matches most of the repository.
func (db *DB) searchPage(ctx context.Context, q knowledge.Query, ranked string, rankedArgs []any) (ArticlePage, error) {
	var query string
	var args []any
	if db.dialect == Postgres {
		// ts_headline parses all the text it is given, about a millisecond
		// for one of these articles, and most of a page's time: it is
		// given the first headlineChars, and the whole text only when the
		// words are not found in them.
		options := `StartSel="` + knowledge.MarkStart + `", StopSel="` + knowledge.MarkStop +
			`", MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`
		query = `WITH ` + ranked + `
			SELECT ` + articleColumns + `, r.score, '', CASE WHEN strpos(h.start, ?) > 0 THEN h.start
				ELSE ts_headline('english', a.summary || ' ' || a.body, to_tsquery('english', ?), ?) END
			FROM ranked r JOIN articles a ON a.id = r.id JOIN units u ON u.id = a.unit_id
			CROSS JOIN LATERAL (SELECT ts_headline('english', left(a.summary || ' ' || a.body, ` + strconv.Itoa(headlineChars) + `),
				to_tsquery('english', ?), ?) AS start) h
			LEFT JOIN people o ON o.id = a.owner_id LEFT JOIN people au ON au.id = a.author_id ORDER BY r.score DESC, r.id`
		args = append(rankedArgs, knowledge.MarkStart, q.TSQuery(), options, q.TSQuery(), options)
	} else {
		// The text's snippet, or the summary's when only the summary
		// matched; the index is looked up by rowid for each ranked row
		// alone (CROSS JOIN keeps the ranked rows the outer loop).
		query = `WITH ` + ranked + `
			SELECT ` + articleColumns + `, r.score, snippet(articles_fts, 1, ?, ?, ' … ', 24), snippet(articles_fts, 2, ?, ?, ' … ', 24)
			FROM ranked r CROSS JOIN articles_fts CROSS JOIN articles a CROSS JOIN units u LEFT JOIN people o ON o.id = a.owner_id
			LEFT JOIN people au ON au.id = a.author_id
			WHERE articles_fts MATCH ? AND articles_fts.rowid = r.id AND a.id = r.id AND u.id = a.unit_id ORDER BY r.score DESC, r.id`
		args = append(rankedArgs, knowledge.MarkStart, knowledge.MarkStop, knowledge.MarkStart, knowledge.MarkStop, q.FTS5())
	}
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return ArticlePage{}, err
	}
	defer rows.Close()
	page := ArticlePage{Articles: []ArticleHit{}}
	for rows.Next() {
		var hit ArticleHit
		var snippet, summarySnippet string
		scan := func(dest ...any) error {
			return rows.Scan(append(dest, &hit.Score, &summarySnippet, &snippet)...)
		}
		r, err := scanArticle(scanFunc(scan))
		if err != nil {
			return ArticlePage{}, err
		}
		hit.Article = r.Article
		hit.Body = ""
		if !strings.Contains(snippet, knowledge.MarkStart) && strings.Contains(summarySnippet, knowledge.MarkStart) {
			snippet = summarySnippet
		}
		hit.Snippet = knowledge.Highlight(markdownMarks.Replace(snippet))
		page.Articles = append(page.Articles, hit)
	}
	return page, rows.Err()
}

// markdownMarks drops the heading and emphasis marks a snippet of raw
// Markdown would otherwise show.
var markdownMarks = strings.NewReplacer("### ", "", "## ", "", "# ", "", "**", "", "__", "")

// scanFunc adapts a function to the Scan method scanArticle wants.
type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// articleConditions states, in SQL, which articles the principal may see
// and the filter asks for.
func (db *DB) articleConditions(p *access.Principal, f ArticleFilter) ([]string, []any, error) {
	visible, args := visibleTo(db.Clearances.ReadFilter(p), "article", "a")
	where := []string{visible}
	add := func(cond string, arg ...any) { where, args = append(where, cond), append(args, arg...) }
	drafts := func() {
		switch {
		case p == nil || p.IsPartner() || !access.Allows(p, access.WriteKnowledge):
			add("1 = 0")
		case p.Has(access.HeadOfDivision):
		default:
			cond := "(a.author_id = ? OR a.owner_id = ?"
			vals := []any{p.PersonID, p.PersonID}
			if len(p.Units) > 0 {
				cond += " OR a.unit_id IN (" + placeholders(len(p.Units)) + ")"
				for _, u := range p.Units {
					vals = append(vals, u)
				}
			}
			add(cond+")", vals...)
		}
	}
	switch f.Status {
	case "", string(knowledge.Published):
		add("a.status = 'published'")
	case string(knowledge.Archived):
		add("a.status = 'archived'")
		if p.IsPartner() {
			add("1 = 0")
		}
	case string(knowledge.Draft), string(knowledge.InReview):
		add("a.status = ?", f.Status)
		drafts()
	case "awaiting_review":
		add("EXISTS (SELECT 1 FROM article_versions v WHERE v.article_id = a.id AND v.number = a.pending_version AND v.state = 'in_review')")
		drafts()
	default:
		return nil, nil, &fault.Error{Code: fault.Invalid, Message: "There is no such status of article",
			Fields: []fault.FieldError{{Field: "status", Message: "Choose published, archived, draft, in_review or awaiting_review"}}}
	}
	if f.Kind != "" {
		if !f.Kind.Valid() {
			return nil, nil, &fault.Error{Code: fault.Invalid, Message: "There is no such kind of article",
				Fields: []fault.FieldError{{Field: "kind", Message: "Choose a kind from the list"}}}
		}
		add("a.kind = ?", string(f.Kind))
	}
	if f.Unit != "" {
		add("u.code = ?", f.Unit)
	}
	if f.Tag != "" {
		add("EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id AND t.tag = ?)", knowledge.NormaliseTag(f.Tag))
	}
	if f.OwnerID != nil {
		add("a.owner_id = ?", *f.OwnerID)
	}
	if f.Country != "" {
		add("a.country = ?", strings.ToUpper(f.Country))
	}
	if f.ParentID != nil {
		add("a.parent_id = ?", *f.ParentID)
	}
	if !f.UpdatedSince.IsZero() {
		add("a.updated_at >= ?", f.UpdatedSince)
	}
	return where, args, nil
}

// listArticles lists without a query: a desk guide's chapters in order,
// anything else most recently changed first, a page at a time.
func (db *DB) listArticles(ctx context.Context, f ArticleFilter, where []string, args []any) (ArticlePage, error) {
	limit := clampLimit(f.Limit)
	order := " ORDER BY a.updated_at DESC, a.id DESC"
	if f.ParentID != nil {
		order = " ORDER BY a.position, a.id"
		limit = 500
	} else if f.Cursor != "" {
		after, err := decodeCursor(f.Cursor)
		if err != nil {
			return ArticlePage{}, err
		}
		at, err := time.Parse(time.RFC3339Nano, after.Key)
		if err != nil {
			return ArticlePage{}, &fault.Error{Code: fault.Invalid, Message: "the page cursor is not one this list gave out",
				Fields: []fault.FieldError{{Field: "cursor", Message: "Start again from the first page"}}}
		}
		where = append(where, "(a.updated_at < ? OR (a.updated_at = ? AND a.id < ?))")
		args = append(args, at, at, after.ID)
	}
	rows, err := db.query(ctx, `SELECT `+articleColumns+articleFrom+` WHERE `+strings.Join(where, " AND ")+order+
		fmt.Sprintf(" LIMIT %d", limit+1), args...)
	if err != nil {
		return ArticlePage{}, err
	}
	defer rows.Close()
	page := ArticlePage{Articles: []ArticleHit{}}
	for rows.Next() {
		r, err := scanArticle(rows)
		if err != nil {
			return ArticlePage{}, err
		}
		r.Body = ""
		page.Articles = append(page.Articles, ArticleHit{Article: r.Article})
	}
	if err := rows.Err(); err != nil {
		return ArticlePage{}, err
	}
	if len(page.Articles) > limit {
		page.Articles = page.Articles[:limit]
		last := page.Articles[limit-1]
		page.Next = cursor{Key: last.UpdatedAt.Format(time.RFC3339Nano), ID: last.ID}.encode()
	}
	return page, nil
}

// didYouMean replaces each query word the repository does not hold with
// the nearest one it does, or returns "" when no word needs it.
func (db *DB) didYouMean(ctx context.Context, q knowledge.Query) (string, error) {
	replace := map[string]string{}
	for _, w := range q.AllWords() {
		n := len([]rune(w))
		if n < 3 || knowledge.IsStopWord(w) {
			continue
		}
		vocab := map[string]int{}
		first := string([]rune(w)[:1])
		rows, err := db.query(ctx, `SELECT word, articles FROM knowledge_words WHERE articles > 0 AND word >= ? AND word < ?
			AND length(word) BETWEEN ? AND ?`, first, first+"\U0010FFFF", n-2, n+2)
		if err != nil {
			return "", err
		}
		for rows.Next() {
			var word string
			var count int
			if err := rows.Scan(&word, &count); err != nil {
				rows.Close()
				return "", err
			}
			vocab[word] = count
		}
		rows.Close()
		if vocab[w] > 0 {
			continue
		}
		if s := knowledge.Suggest(w, vocab); s != "" {
			replace[w] = s
		}
	}
	if len(replace) == 0 {
		return "", nil
	}
	return q.Replace(replace).String(), nil
}

// StaleArticle is a published article past its review-by date.
type StaleArticle struct {
	ArticleHit
	DaysOverdue int `json:"days_overdue"`
}

// StaleArticles lists the published articles the principal may read that
// are past their review-by date on today, most overdue first, optionally
// of one unit.
func (db *DB) StaleArticles(ctx context.Context, p *access.Principal, unit string, today deadline.Date) ([]StaleArticle, error) {
	where, args, err := db.articleConditions(p, ArticleFilter{Unit: unit})
	if err != nil {
		return nil, err
	}
	where = append(where, "a.review_by < ?")
	args = append(args, today.Time(time.UTC))
	rows, err := db.query(ctx, `SELECT `+articleColumns+articleFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY a.review_by, a.id LIMIT 1000`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StaleArticle
	for rows.Next() {
		r, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		r.Body = ""
		days, _ := r.Overdue(today)
		out = append(out, StaleArticle{ArticleHit: ArticleHit{Article: r.Article}, DaysOverdue: days})
	}
	return out, rows.Err()
}

// ArticlesDueForReview lists the published articles an owner must review
// within days of today, or has let pass, soonest first: their work list.
func (db *DB) ArticlesDueForReview(ctx context.Context, p *access.Principal, ownerID int64, today deadline.Date, days int) ([]ArticleHit, error) {
	where, args, err := db.articleConditions(p, ArticleFilter{OwnerID: &ownerID})
	if err != nil {
		return nil, err
	}
	where = append(where, "a.review_by <= ?")
	args = append(args, today.AddDays(days).Time(time.UTC))
	rows, err := db.query(ctx, `SELECT `+articleColumns+articleFrom+` WHERE `+strings.Join(where, " AND ")+
		` ORDER BY a.review_by, a.id LIMIT 200`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ArticleHit{}
	for rows.Next() {
		r, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		r.Body = ""
		out = append(out, ArticleHit{Article: r.Article})
	}
	return out, rows.Err()
}

// KnowledgeTags lists the tags of the published articles the principal may
// read, with how many carry each, commonest first, for the filters.
func (db *DB) KnowledgeTags(ctx context.Context, p *access.Principal, limit int) ([]TagCount, error) {
	where, args, err := db.articleConditions(p, ArticleFilter{})
	if err != nil {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT t.tag, COUNT(*) FROM article_tags t JOIN articles a ON a.id = t.article_id JOIN units u ON u.id = a.unit_id
		WHERE `+strings.Join(where, " AND ")+` GROUP BY t.tag ORDER BY COUNT(*) DESC, t.tag LIMIT `+strconv.Itoa(clampLimit(limit)), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TagCount
	for rows.Next() {
		var tc TagCount
		if err := rows.Scan(&tc.Tag, &tc.Articles); err != nil {
			return nil, err
		}
		out = append(out, tc)
	}
	return out, rows.Err()
}

// TagCount is a tag and how many published articles carry it.
type TagCount struct {
	Tag      string `json:"tag"`
	Articles int    `json:"articles"`
}

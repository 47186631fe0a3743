package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"caseboard/internal/knowledge"
)

// A word in most articles means ranking most articles: both databases'
// full-text search scores every match before it can sort, which over
// 100,000 articles is tens of milliseconds on SQLite and seconds on
// PostgreSQL. Yet what is ranked changes only when an article's searched
// text does, and far less often than it is searched. So a search keeps the
// head of its unfiltered ranking (the best searchHeadSize matches, with
// their scores) in memory, with the search generation it was ranked at
// (migration 0027: a count every insert, delete or change of searched text
// moves in its own transaction), and later searches for the same words
// filter that head instead of ranking again, while the generation is
// unchanged.
//
// The result is the full ranking's, not an approximation: the head is the
// unfiltered ranking's first rows, in its order (score, then id), so the
// first rows of it the reader may see and the filters keep are the first
// rows of the filtered ranking, provided a whole page of them is found in
// the head. When fewer are (a reader who may see little, a narrow filter,
// fewer matches than a page), the search ranks everything with the
// filters, as it did before heads. The page query checks the generation
// itself, in the same statement, so a write between reading the head and
// using it makes the head yield nothing and the search falls back.

// searchHeadSize is how many of a ranking's best matches a head keeps:
// twenty pages, room for the filters to drop most of them.
const searchHeadSize = 1000

// searchHeadsKept bounds how many heads a process keeps (about 40 KB
// each); the oldest is forgotten first.
const searchHeadsKept = 256

// searchHead is the head of one query's unfiltered ranking.
type searchHead struct {
	generation int64
	ids        []int64
	scores     map[int64]float64
}

// searchHeads holds the heads of recent queries, by the engine's query
// string.
type searchHeads struct {
	mu    sync.Mutex
	heads map[string]*searchHead
	order []string // keys, oldest first
}

func (c *searchHeads) get(key string) *searchHead {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.heads[key]
}

func (c *searchHeads) put(key string, h *searchHead) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.heads == nil {
		c.heads = map[string]*searchHead{}
	}
	if _, ok := c.heads[key]; !ok {
		c.order = append(c.order, key)
		if len(c.order) > searchHeadsKept {
			delete(c.heads, c.order[0])
			c.order = c.order[1:]
		}
	}
	c.heads[key] = h
}

// searchGeneration reads the count migration 0027's triggers move.
func (db *DB) searchGeneration(ctx context.Context) (int64, error) {
	row, err := db.queryRowPrepared(ctx, `SELECT n FROM search_generation WHERE id = 1`)
	if err != nil {
		return 0, err
	}
	var n int64
	if err := row.Scan(&n); err != nil {
		return 0, fmt.Errorf("read search generation: %w", err)
	}
	return n, nil
}

// engineQuery is the query in the database's own syntax, which is also
// the key of its head.
func (db *DB) engineQuery(q knowledge.Query) string {
	if db.dialect == Postgres {
		return q.TSQuery()
	}
	return q.FTS5()
}

// currentHead returns the query's head as of the current generation,
// ranking it afresh if the one kept is older or there is none.
func (db *DB) currentHead(ctx context.Context, q knowledge.Query) (*searchHead, error) {
	generation, err := db.searchGeneration(ctx)
	if err != nil {
		return nil, err
	}
	key := db.engineQuery(q)
	if h := db.heads.get(key); h != nil && h.generation == generation {
		return h, nil
	}
	h, err := db.rankHead(ctx, key)
	if err != nil {
		return nil, err
	}
	db.heads.put(key, h)
	return h, nil
}

// rankHead ranks every match without filters and keeps the best
// searchHeadSize. The generation is read in the same statement, so it is
// the one the ranking saw.
func (db *DB) rankHead(ctx context.Context, engineQuery string) (*searchHead, error) {
	query := `SELECT (SELECT n FROM search_generation WHERE id = 1), rowid, -bm25(articles_fts, 10.0, 4.0, 1.0, 4.0) AS score
		FROM articles_fts WHERE articles_fts MATCH ? ORDER BY score DESC, rowid LIMIT ` + strconv.Itoa(searchHeadSize)
	args := []any{engineQuery}
	if db.dialect == Postgres {
		query = `SELECT (SELECT n FROM search_generation WHERE id = 1), a.id, ts_rank(a.search, to_tsquery('english', ?), 1) AS score
			FROM articles a WHERE a.search @@ to_tsquery('english', ?) ORDER BY score DESC, a.id LIMIT ` + strconv.Itoa(searchHeadSize)
		args = append(args, engineQuery)
	}
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	h := &searchHead{generation: -1, scores: map[int64]float64{}}
	for rows.Next() {
		var id int64
		var score float64
		if err := rows.Scan(&h.generation, &id, &score); err != nil {
			return nil, err
		}
		h.ids = append(h.ids, id)
		h.scores[id] = score
	}
	return h, rows.Err()
}

// searchFromHead is a page of the query's results taken from its head, and
// whether the head held a whole page the reader may see; when it did not,
// the page is not the full ranking's and the caller must rank.
func (db *DB) searchFromHead(ctx context.Context, q knowledge.Query, where []string, args []any, limit int) (ArticlePage, bool, error) {
	h, err := db.currentHead(ctx, q)
	if err != nil {
		return ArticlePage{}, false, err
	}
	if len(h.ids) < limit {
		return ArticlePage{}, false, nil
	}
	// Most readers may see most articles, so the head's first two pages
	// are tried first: reading an article's filtered columns on SQLite
	// means walking past its text, and a thousand of them cost more than
	// the page. Only if they hold less than a page is the whole head read.
	var page ArticlePage
	for _, n := range []int{min(2*limit, len(h.ids)), len(h.ids)} {
		if page, err = db.headPage(ctx, q, h, h.ids[:n], where, args, limit); err != nil {
			return ArticlePage{}, false, err
		}
		if len(page.Articles) == limit || n == len(h.ids) {
			break
		}
	}
	if len(page.Articles) < limit {
		return ArticlePage{}, false, nil
	}
	for i := range page.Articles {
		page.Articles[i].Score = h.scores[page.Articles[i].ID]
	}
	return page, true, nil
}

// headPage is the page of the head's first ids the reader may see and the
// filters keep, in the head's order, or fewer rows if the generation has
// moved since the head was ranked.
func (db *DB) headPage(ctx context.Context, q knowledge.Query, h *searchHead, ids []int64, where []string, args []any, limit int) (ArticlePage, error) {
	list, err := db.dialect.idListArg(ids)
	if err != nil {
		return ArticlePage{}, err
	}
	// -pos as the score orders the head's rows as it holds them; the real
	// scores are put back by the caller.
	ranked := `head(pos, id) AS (` + db.dialect.idListSQL() + `),
		ranked AS (SELECT h.id, -h.pos AS score FROM head h CROSS JOIN articles a CROSS JOIN units u
		WHERE a.id = h.id AND u.id = a.unit_id AND ` + strings.Join(where, " AND ") + `
		AND (SELECT n FROM search_generation WHERE id = 1) = ? ORDER BY h.pos LIMIT ` + strconv.Itoa(limit) + `)`
	return db.searchPage(ctx, q, ranked, append(append([]any{list}, args...), h.generation))
}

package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"caseboard/internal/knowledge"
	"caseboard/internal/store"
)

// runBleve indexes the same corpus with Bleve (English analyser: stop
// words, possessives, Porter stemming, as caseboard's two databases do)
// and answers the same queries the way caseboard does: every term must
// match, title weighted 10, summary and tags 4, text 1; the top page
// only, with a highlighted fragment of each result's text.
func runBleve(path string, gen generator, n, reps int) (engineResult, error) {
	res := engineResult{Engine: "bleve"}
	text := func(store bool) *mapping.FieldMapping {
		f := bleve.NewTextFieldMapping()
		f.Analyzer = en.AnalyzerName
		f.Store = store
		f.IncludeTermVectors = store
		return f
	}
	doc := bleve.NewDocumentMapping()
	doc.AddFieldMappingsAt("title", text(true))
	doc.AddFieldMappingsAt("summary", text(true))
	doc.AddFieldMappingsAt("body", text(true))
	doc.AddFieldMappingsAt("extra", text(false))
	m := bleve.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = en.AnalyzerName
	if idx, err := bleve.Open(path); err == nil {
		// A kept index (-dir) is searched again as it is.
		fmt.Printf("bleve: searching the index already in %s\n", path)
		defer idx.Close()
		return searchBleve(res, idx, reps)
	}
	idx, err := bleve.New(path, m)
	if err != nil {
		return res, err
	}
	defer idx.Close()

	articles := make(chan article, 256)
	go func() {
		defer close(articles)
		for i := 0; i < n; i++ {
			articles <- gen.article(i)
		}
	}()
	start := time.Now()
	batch := idx.NewBatch()
	for i := 0; i < n; i++ {
		a := <-articles
		if err := batch.Index(fmt.Sprint(i+1), map[string]any{"title": a.Title, "summary": a.Summary, "body": a.Body, "extra": a.Extra}); err != nil {
			return res, err
		}
		if batch.Size() == 1000 || i == n-1 {
			if err := idx.Batch(batch); err != nil {
				return res, err
			}
			batch.Reset()
		}
	}
	res.Indexed, res.IndexTime = n, time.Since(start)
	fmt.Printf("bleve: indexed %d articles in %s (%.0f/s)\n", n, res.IndexTime.Round(time.Millisecond), float64(n)/res.IndexTime.Seconds())
	return searchBleve(res, idx, reps)
}

// searchBleve runs the query set; each query's count is every article it
// matches (Bleve counts them all), for the report's table of how common
// each query is.
func searchBleve(res engineResult, idx bleve.Index, reps int) (engineResult, error) {
	var err error
	res.Latencies, res.Hits, err = measure(reps, func(q benchQuery) (int, error) {
		req := bleve.NewSearchRequestOptions(bleveQuery(q.Text), store.MaxSearchResults, 0, false)
		req.Fields = []string{"title", "summary"}
		req.Highlight = bleve.NewHighlightWithStyle("html")
		req.Highlight.AddField("body")
		r, err := idx.Search(req)
		if err != nil {
			return 0, err
		}
		return int(r.Total), nil
	}, nil)
	return res, err
}

// bleveQuery states a caseboard query in Bleve's terms: each word or
// phrase must match in some field, fields boosted as caseboard weights
// them.
func bleveQuery(text string) query.Query {
	var must []query.Query
	for _, t := range knowledge.ParseQuery(text).Terms {
		var any []query.Query
		for field, boost := range map[string]float64{"title": 10, "summary": 4, "extra": 4, "body": 1} {
			var q query.Query
			if t.Phrase || len(t.Words) > 1 {
				mq := bleve.NewMatchPhraseQuery(strings.Join(t.Words, " "))
				mq.SetField(field)
				mq.SetBoost(boost)
				q = mq
			} else {
				mq := bleve.NewMatchQuery(t.Words[0])
				mq.SetField(field)
				mq.SetBoost(boost)
				q = mq
			}
			any = append(any, q)
		}
		must = append(must, bleve.NewDisjunctionQuery(any...))
	}
	return bleve.NewConjunctionQuery(must...)
}

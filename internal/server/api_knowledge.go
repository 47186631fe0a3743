package server

import (
	"net/http"
	"reflect"

	"caseboard/internal/access"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
	"caseboard/internal/store"
)

// articleInput is an article as a client sends one. On a change, fields
// left out keep their values; revision, when sent, protects the change
// from overwriting someone else's made since it was read.
type articleInput struct {
	Kind         *knowledge.Kind     `json:"kind"`
	Title        *string             `json:"title"`
	Summary      *string             `json:"summary"`
	Body         *string             `json:"body"`
	UnitID       *int64              `json:"unit_id"`
	OwnerID      *int64              `json:"owner_id"`
	Sensitivity  *access.Sensitivity `json:"sensitivity"`
	Sharing      *knowledge.Sharing  `json:"sharing"`
	PartnerIDs   *[]int64            `json:"partner_ids"`
	ParentID     *int64              `json:"parent_id"`
	Position     *int                `json:"position"`
	Country      *string             `json:"country"`
	Tags         *[]string           `json:"tags"`
	RelatedCases *[]string           `json:"related_cases"`
	RelatedRisks *[]string           `json:"related_risks"`
	Note         *string             `json:"note"`
	Revision     *int64              `json:"revision"`
}

func (in articleInput) apply(a *knowledge.Article) {
	setIf(&a.Kind, in.Kind)
	setIf(&a.Title, in.Title)
	setIf(&a.Summary, in.Summary)
	setIf(&a.Body, in.Body)
	setIf(&a.UnitID, in.UnitID)
	setIf(&a.OwnerID, in.OwnerID)
	setIf(&a.Sensitivity, in.Sensitivity)
	setIf(&a.Sharing, in.Sharing)
	setIf(&a.PartnerIDs, in.PartnerIDs)
	setIf(&a.Position, in.Position)
	setIf(&a.Country, in.Country)
	setIf(&a.Tags, in.Tags)
	setIf(&a.RelatedCases, in.RelatedCases)
	setIf(&a.RelatedRisks, in.RelatedRisks)
	if in.ParentID != nil {
		a.ParentID = in.ParentID
		if *in.ParentID == 0 {
			a.ParentID = nil
		}
	}
}

func (s *Server) apiArticles(w http.ResponseWriter, r *http.Request) {
	f, err := articleFilter(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	page, err := s.db.SearchArticles(r.Context(), principalOf(r), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

func (s *Server) apiCreateArticle(w http.ResponseWriter, r *http.Request) {
	var in articleInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	var a knowledge.Article
	in.apply(&a)
	if err := s.db.CreateArticle(r.Context(), principalOf(r), &a); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeArticle(w, r, http.StatusCreated, a.ID)
}

// articleDetail is an article with its text rendered as HTML.
type articleDetail struct {
	Article knowledge.Article `json:"article"`
	// HTML is the article's text rendered, safe to show as it is.
	HTML string `json:"html"`
	// Stale is true past the review-by date; DaysOverdue says by how much.
	Stale       bool `json:"stale"`
	DaysOverdue int  `json:"days_overdue"`
}

func (s *Server) writeArticle(w http.ResponseWriter, r *http.Request, status int, id int64) {
	a, err := s.db.Article(r.Context(), principalOf(r), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	d := articleDetail{Article: a, HTML: knowledge.Render(a.Body)}
	d.DaysOverdue, d.Stale = a.Overdue(todayDate())
	writeJSON(w, status, d)
}

func (s *Server) apiArticle(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeArticle(w, r, http.StatusOK, id)
}

func (s *Server) apiUpdateArticle(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in articleInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	a, err := s.db.Article(r.Context(), principalOf(r), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if a.Pending != nil {
		// A change starts from the text being worked on.
		a.Title, a.Summary, a.Body = a.Pending.Title, a.Pending.Summary, a.Pending.Body
	}
	in.apply(&a)
	setIf(&a.Revision, in.Revision)
	note := ""
	setIf(&note, in.Note)
	if _, err := s.db.UpdateArticle(r.Context(), principalOf(r), store.ArticleChange{Article: a, Note: note}); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeArticle(w, r, http.StatusOK, id)
}

// transitionInput is a lifecycle step as a client asks for it.
type transitionInput struct {
	// Action is submit, return, approve or archive.
	Action string `json:"action"`
	// Note is why a version in review is returned.
	Note string `json:"note,omitempty"`
	// ReviewBy is the review-by date an approval sets (YYYY-MM-DD); left
	// out, the kind's default from today.
	ReviewBy string `json:"review_by,omitempty"`
}

func (s *Server) apiTransitionArticle(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in transitionInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	t := store.Transition{Action: in.Action, Note: in.Note, Today: todayDate()}
	if t.ReviewBy, err = apiDate("review_by", in.ReviewBy); err != nil {
		s.apiError(w, r, err)
		return
	}
	if _, err := s.db.TransitionArticle(r.Context(), principalOf(r), id, t); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.writeArticle(w, r, http.StatusOK, id)
}

func apiDate(field, raw string) (deadline.Date, error) {
	d, err := deadline.ParseDate(raw)
	if err != nil {
		return d, &fault.Error{Code: fault.Invalid, Message: "A date is not in the form YYYY-MM-DD",
			Fields: []fault.FieldError{{Field: field, Message: "Give the date as YYYY-MM-DD"}}}
	}
	return d, nil
}

// articleReviewInput is a periodic review as a client records it.
type articleReviewInput struct {
	// Outcome is still_accurate or updated.
	Outcome string `json:"outcome"`
	Note    string `json:"note,omitempty"`
	// NextReviewBy (YYYY-MM-DD); left out, the kind's default from today.
	NextReviewBy string `json:"next_review_by,omitempty"`
}

func (s *Server) apiReviewArticle(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in articleReviewInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	ri := store.ReviewInput{Outcome: knowledge.ReviewOutcome(in.Outcome), Note: in.Note, Today: todayDate()}
	if ri.NextReviewBy, err = apiDate("next_review_by", in.NextReviewBy); err != nil {
		s.apiError(w, r, err)
		return
	}
	review, err := s.db.RecordArticleReview(r.Context(), principalOf(r), id, ri)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, review)
}

func (s *Server) apiArticleReviews(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	reviews, err := s.db.ArticleReviews(r.Context(), principalOf(r), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[knowledge.Review]{Items: nonNil(reviews)})
}

func (s *Server) apiArticleVersions(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	versions, err := s.db.ArticleVersions(r.Context(), principalOf(r), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[knowledge.Version]{Items: nonNil(versions)})
}

// articleDiffOutput is the line diff between two versions.
type articleDiffOutput struct {
	From    int              `json:"from"`
	To      int              `json:"to"`
	Added   int              `json:"added"`
	Removed int              `json:"removed"`
	Lines   []knowledge.Line `json:"lines"`
}

func (s *Server) apiArticleDiff(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	d, err := s.articleDiff(r, id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, articleDiffOutput{From: d.From, To: d.To, Added: d.Added, Removed: d.Removed, Lines: nonNil(d.Lines)})
}

func (s *Server) apiStaleArticles(w http.ResponseWriter, r *http.Request) {
	stale, err := s.db.StaleArticles(r.Context(), principalOf(r), r.URL.Query().Get("unit"), todayDate())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[store.StaleArticle]{Items: nonNil(stale)})
}

// knowledgeAPIRoutes are the knowledge repository's API operations.
func (s *Server) knowledgeAPIRoutes() []apiRoute {
	idPath := "/api/v1/articles/{id}"
	return append([]apiRoute{
		{Method: "GET", Path: "/api/v1/articles", ID: "listArticles", Tag: "Knowledge", Perm: access.ReadKnowledge,
			Summary:  "Search the knowledge repository (ranked, with highlighted snippets and did_you_mean), or list it newest first",
			Response: reflect.TypeFor[store.ArticlePage](), Handler: s.apiArticles,
			Query: append([]param{
				{Name: "q", Type: "string", Description: "Words, \"phrases\" and prefixes* to find; other syntax is read as words."},
				{Name: "kind", Type: "string", Enum: kindCodes(), Description: "Kind of article."},
				{Name: "unit", Type: "string", Description: "Unit code."},
				{Name: "tag", Type: "string", Description: "A tag or specialism."},
				{Name: "owner", Type: "string", Description: "A person id, or me."},
				{Name: "country", Type: "string", Description: "Two-letter country code of a jurisdiction note."},
				{Name: "updated_since", Type: "string", Description: "Only articles changed on or after this date (YYYY-MM-DD)."},
				{Name: "status", Type: "string", Enum: []string{"published", "archived", "draft", "in_review", "awaiting_review"}, Description: "Default published."},
			}, pageParams...)},
		{Method: "POST", Path: "/api/v1/articles", ID: "createArticle", Tag: "Knowledge", Perm: access.WriteKnowledge,
			Summary: "Start an article: a draft in one of the caller's units", Body: reflect.TypeFor[articleInput](),
			Response: reflect.TypeFor[articleDetail](), Status: http.StatusCreated, Handler: s.apiCreateArticle},
		{Method: "GET", Path: idPath, ID: "getArticle", Tag: "Knowledge", Perm: access.ReadKnowledge,
			Summary: "An article, with its text rendered as safe HTML", Response: reflect.TypeFor[articleDetail](), Handler: s.apiArticle},
		{Method: "PATCH", Path: idPath, ID: "updateArticle", Tag: "Knowledge", Perm: access.WriteKnowledge,
			Summary: "Change an article's details and text; the text goes to a draft version that readers see once approved",
			Body:    reflect.TypeFor[articleInput](), Response: reflect.TypeFor[articleDetail](), Handler: s.apiUpdateArticle},
		{Method: "POST", Path: idPath + "/transitions", ID: "transitionArticle", Tag: "Knowledge", Perm: access.WriteKnowledge,
			Summary: "Submit for review, return to draft, approve (publish; a reviewer for the unit who is not the author) or archive",
			Body:    reflect.TypeFor[transitionInput](), Response: reflect.TypeFor[articleDetail](), Handler: s.apiTransitionArticle},
		{Method: "GET", Path: idPath + "/versions", ID: "listArticleVersions", Tag: "Knowledge", Perm: access.ReadKnowledge,
			Summary: "The article's versions, newest first", Response: reflect.TypeFor[list[knowledge.Version]](), Handler: s.apiArticleVersions},
		{Method: "GET", Path: idPath + "/diff", ID: "diffArticleVersions", Tag: "Knowledge", Perm: access.ReadKnowledge,
			Summary: "The line diff between two versions (default: the published one and the one before)", Response: reflect.TypeFor[articleDiffOutput](),
			Handler: s.apiArticleDiff, Query: []param{
				{Name: "from", Type: "integer", Description: "The older version's number."},
				{Name: "to", Type: "integer", Description: "The newer version's number."},
			}},
		{Method: "GET", Path: idPath + "/reviews", ID: "listArticleReviews", Tag: "Knowledge", Perm: access.ReadKnowledge,
			Summary: "Who reviewed the article, when, and what they found", Response: reflect.TypeFor[list[knowledge.Review]](), Handler: s.apiArticleReviews},
		{Method: "POST", Path: idPath + "/reviews", ID: "reviewArticle", Tag: "Knowledge", Perm: access.WriteKnowledge,
			Summary: "Record a periodic review of a published article and set its next review-by date", Body: reflect.TypeFor[articleReviewInput](),
			Response: reflect.TypeFor[knowledge.Review](), Status: http.StatusCreated, Handler: s.apiReviewArticle},
		{Method: "GET", Path: "/api/v1/knowledge/stale", ID: "listStaleArticles", Tag: "Knowledge", Perm: access.ReadOrganisation,
			Summary: "Published articles past their review-by date, most overdue first", Response: reflect.TypeFor[list[store.StaleArticle]](),
			Handler: s.apiStaleArticles, Query: []param{{Name: "unit", Type: "string", Description: "Unit code."}}},
	}, s.gapAPIRoutes()...)
}

func kindCodes() []string {
	out := make([]string, len(knowledge.Kinds))
	for i, k := range knowledge.Kinds {
		out[i] = string(k.Kind)
	}
	return out
}

// knowledgePageRoutes are the knowledge repository's pages and forms.
func (s *Server) knowledgePageRoutes() []pageRoute {
	return append([]pageRoute{
		{"GET", "/knowledge", access.ReadKnowledge, s.knowledgePage},
		{"GET", "/knowledge/new", access.WriteKnowledge, s.newArticlePage},
		{"POST", "/knowledge", access.WriteKnowledge, s.createArticleForm},
		{"GET", "/knowledge/stale", access.ReadOrganisation, s.staleKnowledgePage},
		{"GET", "/knowledge/{id}", access.ReadKnowledge, s.articlePage},
		{"GET", "/knowledge/{id}/edit", access.WriteKnowledge, s.editArticlePage},
		{"POST", "/knowledge/{id}/edit", access.WriteKnowledge, s.updateArticleForm},
		{"POST", "/knowledge/{id}/submit", access.WriteKnowledge, s.articleTransition("submit", "Submitted for review")},
		{"POST", "/knowledge/{id}/return", access.WriteKnowledge, s.articleTransition("return", "Returned to draft")},
		{"POST", "/knowledge/{id}/approve", access.WriteKnowledge, s.articleTransition("approve", "Approved and published")},
		{"POST", "/knowledge/{id}/archive", access.WriteKnowledge, s.articleTransition("archive", "Archived")},
		{"POST", "/knowledge/{id}/reviews", access.WriteKnowledge, s.articleReviewForm},
		{"GET", "/knowledge/{id}/versions/{n}", access.ReadKnowledge, s.articleVersionPage},
		{"GET", "/knowledge/{id}/diff", access.ReadKnowledge, s.articleDiffPage},
	}, s.gapPageRoutes()...)
}

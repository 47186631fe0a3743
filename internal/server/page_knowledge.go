package server

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
	"caseboard/internal/org"
	"caseboard/internal/store"
)

// The knowledge repository's pages: the home page with search and
// filters, an article with its versions and reviews and the actions its
// reader may take, the forms to write one, a version and the diff between
// two, and the stale-content report.

// todayDate is the civil date in England.
func todayDate() deadline.Date { return deadline.DateOf(time.Now().In(london)) }

// longDate formats a civil date as GOV.UK writes dates.
func longDate(d *deadline.Date) string {
	if d == nil || d.IsZero() {
		return ""
	}
	return d.Time(time.UTC).Format("2 January 2006")
}

// articleFilter reads the repository's filters, shared by the page and
// the API.
func articleFilter(r *http.Request) (store.ArticleFilter, error) {
	q := r.URL.Query()
	limit, err := queryLimit(r)
	if err != nil {
		return store.ArticleFilter{}, err
	}
	f := store.ArticleFilter{Query: q.Get("q"), Kind: knowledge.Kind(q.Get("kind")), Unit: q.Get("unit"), Tag: q.Get("tag"),
		Country: q.Get("country"), Status: q.Get("status"), Cursor: q.Get("cursor"), Limit: limit}
	switch owner := q.Get("owner"); owner {
	case "":
	case "me":
		f.OwnerID = &principalOf(r).PersonID
	default:
		id, err := strconv.ParseInt(owner, 10, 64)
		if err != nil {
			return f, &fault.Error{Code: fault.Invalid, Message: "The owner filter is not a person",
				Fields: []fault.FieldError{{Field: "owner", Message: "Give a person's id, or me"}}}
		}
		f.OwnerID = &id
	}
	if raw := q.Get("updated_since"); raw != "" {
		d, err := deadline.ParseDate(raw)
		if err != nil {
			return f, &fault.Error{Code: fault.Invalid, Message: "The date is not right",
				Fields: []fault.FieldError{{Field: "updated_since", Message: "Enter the date as YYYY-MM-DD, for example 2026-01-31"}}}
		}
		f.UpdatedSince = d.Time(time.UTC)
	}
	return f, nil
}

type knowledgeHomeData struct {
	Page        store.ArticlePage
	Filter      store.ArticleFilter
	Query       url.Values
	Kinds       []knowledge.KindInfo
	Units       []org.Unit
	Tags        []store.TagCount
	Searched    bool
	DidYouMean  string // a link to the corrected search
	NextPage    string
	FirstPage   string
	MyDrafts    []store.ArticleHit
	ToReview    []store.ArticleHit
	Gaps        []knowledge.Gap // open requests for guidance in the person's units
	CanWrite    bool
	ActiveCount int
}

func (s *Server) knowledgePage(w http.ResponseWriter, r *http.Request) {
	f, err := articleFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := principalOf(r)
	page, err := s.db.SearchArticles(r.Context(), p, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, err := s.db.Units(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tags, err := s.db.KnowledgeTags(r.Context(), p, 30)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	d := knowledgeHomeData{Page: page, Filter: f, Query: q, Kinds: knowledge.Kinds, Units: units, Tags: tags,
		Searched: strings.TrimSpace(f.Query) != "", CanWrite: access.Allows(p, access.WriteKnowledge)}
	if page.DidYouMean != "" {
		d.DidYouMean = withQuery(q, "q", page.DidYouMean)
	}
	if f.Cursor != "" {
		d.FirstPage = withQuery(q, "cursor", "")
	}
	if page.Next != "" {
		next := cloneValues(q)
		next.Set("cursor", page.Next)
		d.NextPage = "?" + next.Encode()
	}
	if d.CanWrite && !d.Searched && f.Cursor == "" {
		mine, err := s.db.SearchArticles(r.Context(), p, store.ArticleFilter{Status: "draft", OwnerID: &p.PersonID, Limit: 10})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.MyDrafts = mine.Articles
		if len(p.Units) > 0 {
			if d.Gaps, err = s.db.Gaps(r.Context(), p, store.GapFilter{Units: p.Units, Status: knowledge.GapOpen, Limit: 10}); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		if p.Has(access.Reviewer) {
			waiting, err := s.db.SearchArticles(r.Context(), p, store.ArticleFilter{Status: "awaiting_review", Limit: 20})
			if err != nil {
				s.fail(w, r, err)
				return
			}
			for _, h := range waiting.Articles {
				if knowledge.IsReviewerFor(p, h.UnitID) && h.AuthorID != p.PersonID {
					d.ToReview = append(d.ToReview, h)
				}
			}
		}
	}
	pg := s.newPage(r, "Knowledge", "/knowledge")
	pg.Data = d
	s.render(w, r, "knowledge", pg)
}

// articleData is an article page's data.
type articleData struct {
	Article     knowledge.Article
	Body        template.HTML
	Pending     *knowledge.Version
	PendingBody template.HTML
	Parent      *knowledge.Article
	Chapters    []store.ArticleHit
	Versions    []knowledge.Version
	Reviews     []knowledge.Review
	Partners    []org.Partner
	Attachments []knowledge.Attachment
	// AttachAction is the upload form's action, with the form token in
	// it: an upload's body is not read for the token.
	AttachAction string
	History      []any
	ReviewBy     string
	OverdueDays  int
	Stale        bool
	DueSoon      bool
	// What the reader may do.
	CanEdit, CanSubmit, CanApprove, CanReturn, CanArchive, CanReview bool
	// Why a reviewer may not approve, when they may not.
	ApproveBlocked string
	DefaultReview  string // YYYY-MM-DD
	Form           url.Values
	OpenForm       string
}

func (s *Server) articlePage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showArticle(w, r, id, http.StatusOK, nil, "")
}

// showArticle renders an article, with a refused form's errors when there
// was one (openForm names it, so it is shown open with what was typed).
func (s *Server) showArticle(w http.ResponseWriter, r *http.Request, id int64, status int, formErr *fault.Error, openForm string) {
	ctx, p := r.Context(), principalOf(r)
	a, err := s.db.Article(ctx, p, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	today := todayDate()
	d := articleData{Article: a, Body: template.HTML(knowledge.Render(a.Body)), Pending: a.Pending, ReviewBy: longDate(a.ReviewBy),
		DueSoon: a.DueWithin(today, knowledge.DueSoonDays), OpenForm: openForm, Form: r.PostForm}
	if d.Form == nil {
		d.Form = url.Values{}
	}
	d.OverdueDays, d.Stale = a.Overdue(today)
	if a.Pending != nil && a.PublishedVersion > 0 {
		d.PendingBody = template.HTML(knowledge.Render(a.Pending.Body))
	}
	if a.ParentID != nil {
		if parent, err := s.db.Article(ctx, p, *a.ParentID); err == nil {
			d.Parent = &parent
		}
	}
	if a.Kind == knowledge.DeskGuide {
		chapters, err := s.db.SearchArticles(ctx, p, store.ArticleFilter{ParentID: &a.ID})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.Chapters = chapters.Articles
	}
	if d.Versions, err = s.db.ArticleVersions(ctx, p, id); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Reviews, err = s.db.ArticleReviews(ctx, p, id); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Attachments, err = s.db.Attachments(ctx, p, id); err != nil {
		s.fail(w, r, err)
		return
	}
	d.AttachAction = "/knowledge/" + itoa(id) + "/attachments"
	if state := authFrom(ctx); state.session != nil {
		d.AttachAction += "?csrf_token=" + url.QueryEscape(state.session.CSRFToken)
	}
	if a.Sharing == knowledge.Partners {
		partners, err := s.db.Partners(ctx)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, pa := range partners {
			if slices.Contains(a.PartnerIDs, pa.ID) {
				d.Partners = append(d.Partners, pa)
			}
		}
	}
	c := s.db.Clearances
	d.CanEdit = knowledge.CanEdit(c, p, &a)
	inReview := a.Pending != nil && a.Pending.State == knowledge.VersionInReview
	d.CanSubmit = d.CanEdit && a.Pending != nil && a.Pending.State == knowledge.VersionDraft
	d.CanReturn = inReview && (d.CanEdit || knowledge.IsReviewerFor(p, a.UnitID))
	if inReview && knowledge.IsReviewerFor(p, a.UnitID) {
		if err := knowledge.CheckApprover(p, &a); err != nil {
			d.ApproveBlocked = fault.As(err).Message
		} else {
			d.CanApprove = true
		}
	}
	d.CanArchive = a.Status != knowledge.Archived && (d.CanEdit || knowledge.IsReviewerFor(p, a.UnitID))
	d.CanReview = knowledge.CanRecordReview(c, p, &a)
	review := a.Kind.DefaultReviewBy(today)
	if a.ReviewBy != nil && a.ReviewBy.After(today) && a.PublishedVersion == 0 {
		review = *a.ReviewBy
	}
	d.DefaultReview = review.String()
	if d.CanEdit {
		history, err := s.db.AuditEntries(ctx, store.AuditFilter{RecordType: "article", RecordID: itoa(a.ID), Limit: 200})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.History = timelineItems(history)
	}
	pg := s.newPage(r, a.Title, "/knowledge")
	pg.Breadcrumbs = []link{{"Knowledge", "/knowledge"}}
	if d.Parent != nil {
		pg.Breadcrumbs = append(pg.Breadcrumbs, link{d.Parent.Title, "/knowledge/" + itoa(d.Parent.ID)})
	}
	pg.Errors = formErr
	pg.Notice = r.URL.Query().Get("done")
	pg.Data = d
	s.renderStatus(w, r, status, "knowledge-article", pg)
}

// articleFormData is the article form's data, new or changed.
type articleFormData struct {
	Form       url.Values
	Action     string
	Article    *knowledge.Article // nil for a new one
	Kinds      []knowledge.KindInfo
	Units      []org.Unit
	Partners   []org.Partner
	DeskGuides []store.ArticleHit
	Sharings   []struct {
		Sharing knowledge.Sharing
		Label   string
	}
}

func (s *Server) newArticlePage(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	form := url.Values{"kind": {string(knowledge.Guidance)}, "sharing": {string(knowledge.DivisionOnly)}, "sensitivity": {string(access.Official)}}
	if len(p.Units) > 0 {
		form.Set("unit_id", itoa(p.Units[0]))
	}
	if parent := r.URL.Query().Get("parent"); parent != "" {
		form.Set("parent_id", parent)
		form.Set("kind", string(knowledge.DeskGuide))
	}
	s.renderArticleForm(w, r, http.StatusOK, nil, form, nil)
}

func (s *Server) editArticlePage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.db.Article(r.Context(), principalOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !knowledge.CanEdit(s.db.Clearances, principalOf(r), &a) {
		s.fail(w, r, fault.Errorf(fault.Forbidden, "You may read this article but not change it"))
		return
	}
	s.renderArticleForm(w, r, http.StatusOK, &a, articleForm(a), nil)
}

// articleForm is an article as its form shows it: the pending version's
// text when there is one.
func articleForm(a knowledge.Article) url.Values {
	title, summary, body := a.Title, a.Summary, a.Body
	if a.Pending != nil {
		title, summary, body = a.Pending.Title, a.Pending.Summary, a.Pending.Body
	}
	f := url.Values{"kind": {string(a.Kind)}, "title": {title}, "summary": {summary}, "body": {body}, "unit_id": {itoa(a.UnitID)},
		"sensitivity": {string(a.Sensitivity)}, "sharing": {string(a.Sharing)}, "country": {a.Country}, "tags": {strings.Join(a.Tags, ", ")},
		"related_cases": {strings.Join(a.RelatedCases, ", ")}, "related_risks": {strings.Join(a.RelatedRisks, ", ")},
		"position": {strconv.Itoa(a.Position)}, "revision": {strconv.FormatInt(a.Revision, 10)}}
	if a.ParentID != nil {
		f.Set("parent_id", itoa(*a.ParentID))
	}
	for _, id := range a.PartnerIDs {
		f.Add("partner_ids", itoa(id))
	}
	return f
}

func (s *Server) renderArticleForm(w http.ResponseWriter, r *http.Request, status int, a *knowledge.Article, form url.Values, formErr *fault.Error) {
	ctx, p := r.Context(), principalOf(r)
	units, err := s.db.Units(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	partners, err := s.db.Partners(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	guides, err := s.db.SearchArticles(ctx, p, store.ArticleFilter{Kind: knowledge.DeskGuide, Limit: 100})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := articleFormData{Form: form, Action: "/knowledge", Article: a, Kinds: knowledge.Kinds, Units: units, Partners: partners,
		DeskGuides: guides.Articles, Sharings: knowledge.Sharings}
	title := "Write an article"
	if a != nil {
		d.Action, title = "/knowledge/"+itoa(a.ID)+"/edit", "Change "+a.Title
	}
	pg := s.newPage(r, title, "/knowledge")
	pg.Breadcrumbs = []link{{"Knowledge", "/knowledge"}}
	if a != nil {
		pg.Breadcrumbs = append(pg.Breadcrumbs, link{a.Title, "/knowledge/" + itoa(a.ID)})
	}
	pg.Errors = formErr
	pg.Data = d
	s.renderStatus(w, r, status, "knowledge-edit", pg)
}

// splitList reads a comma- or line-separated list a person typed.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == ';' }) {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// articleFromForm reads the article form.
func articleFromForm(form url.Values, v *fault.Validation) knowledge.Article {
	a := knowledge.Article{Kind: knowledge.Kind(form.Get("kind")), Title: form.Get("title"), Summary: form.Get("summary"), Body: form.Get("body"),
		Sensitivity: access.Sensitivity(form.Get("sensitivity")), Sharing: knowledge.Sharing(form.Get("sharing")), Country: form.Get("country"),
		Tags: splitList(form.Get("tags")), RelatedCases: splitList(form.Get("related_cases")), RelatedRisks: splitList(form.Get("related_risks"))}
	a.UnitID = formID(v, form, "unit_id", "Choose the unit the article belongs to")
	for _, raw := range form["partner_ids"] {
		if id, err := strconv.ParseInt(raw, 10, 64); err == nil && id > 0 {
			a.PartnerIDs = append(a.PartnerIDs, id)
		}
	}
	if raw := form.Get("parent_id"); raw != "" {
		if id, err := strconv.ParseInt(raw, 10, 64); err == nil && id > 0 {
			a.ParentID = &id
		} else {
			v.Add("parent_id", "Choose a desk guide from the list")
		}
	}
	if raw := strings.TrimSpace(form.Get("position")); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil {
			v.Add("position", "Enter the chapter number as a whole number")
		}
		a.Position = n
	}
	return a
}

func (s *Server) createArticleForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	var v fault.Validation
	a := articleFromForm(r.PostForm, &v)
	err := v.Err("The article could not be saved")
	if err == nil {
		err = s.db.CreateArticle(r.Context(), principalOf(r), &a)
	}
	if err != nil {
		s.refuseArticleForm(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/knowledge/"+itoa(a.ID)+"?done="+url.QueryEscape("Draft saved"), http.StatusSeeOther)
}

func (s *Server) updateArticleForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm()
	current, err := s.db.Article(r.Context(), principalOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var v fault.Validation
	a := articleFromForm(r.PostForm, &v)
	a.ID, a.OwnerID = id, current.OwnerID
	a.Revision, _ = strconv.ParseInt(r.PostFormValue("revision"), 10, 64)
	err = v.Err("The article could not be saved")
	if err == nil {
		_, err = s.db.UpdateArticle(r.Context(), principalOf(r), store.ArticleChange{Article: a, Note: r.PostFormValue("note")})
	}
	if err != nil {
		s.refuseArticleForm(w, r, &current, err)
		return
	}
	http.Redirect(w, r, "/knowledge/"+itoa(id)+"?done="+url.QueryEscape("Changes saved"), http.StatusSeeOther)
}

func (s *Server) refuseArticleForm(w http.ResponseWriter, r *http.Request, a *knowledge.Article, err error) {
	fe := fault.As(err)
	if fe == nil || fe.Code == fault.Internal || fe.Code == fault.Unavailable || fe.Code == fault.NotFound {
		s.fail(w, r, err)
		return
	}
	s.renderArticleForm(w, r, statusFor(fe), a, r.PostForm, fe)
}

// articleTransition is a lifecycle step from the article page.
func (s *Server) articleTransition(action, done string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			s.fail(w, r, err)
			return
		}
		r.ParseForm()
		t := store.Transition{Action: action, Note: r.PostFormValue("note"), Today: todayDate()}
		var v fault.Validation
		if raw := strings.TrimSpace(r.PostFormValue("review_by")); raw != "" || action == "approve" {
			d, err := deadline.ParseDate(raw)
			if err != nil || d.IsZero() {
				v.Add("review_by", "Enter the review-by date as YYYY-MM-DD, for example 2027-03-31")
			}
			t.ReviewBy = d
		}
		err = v.Err("The article could not be approved")
		if err == nil {
			_, err = s.db.TransitionArticle(r.Context(), principalOf(r), id, t)
		}
		s.afterArticleForm(w, r, id, action, err, done)
	}
}

func (s *Server) articleReviewForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm()
	var v fault.Validation
	in := store.ReviewInput{Outcome: knowledge.ReviewOutcome(r.PostFormValue("outcome")), Note: r.PostFormValue("note"), Today: todayDate()}
	if raw := strings.TrimSpace(r.PostFormValue("next_review_by")); raw != "" {
		d, err := deadline.ParseDate(raw)
		if err != nil {
			v.Add("next_review_by", "Enter the date as YYYY-MM-DD, for example 2027-03-31")
		}
		in.NextReviewBy = d
	}
	err = v.Err("The review could not be recorded")
	if err == nil {
		_, err = s.db.RecordArticleReview(r.Context(), principalOf(r), id, in)
	}
	s.afterArticleForm(w, r, id, "review", err, "Review recorded")
}

func (s *Server) afterArticleForm(w http.ResponseWriter, r *http.Request, id int64, form string, err error, done string) {
	if err == nil {
		http.Redirect(w, r, "/knowledge/"+itoa(id)+"?done="+url.QueryEscape(done), http.StatusSeeOther)
		return
	}
	fe := fault.As(err)
	if fe == nil || fe.Code == fault.Internal || fe.Code == fault.Unavailable || fe.Code == fault.NotFound {
		s.fail(w, r, err)
		return
	}
	s.showArticle(w, r, id, statusFor(fe), fe, form)
}

// versionData is one version, or the diff between two.
type versionData struct {
	Article      knowledge.Article
	Version      knowledge.Version
	Body         template.HTML
	From, To     int
	Lines        []knowledge.Line
	Added        int
	Removed      int
	Versions     []knowledge.Version
	DiffTooLarge bool
}

func (s *Server) articleVersionPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n <= 0 {
		s.fail(w, r, fault.Errorf(fault.NotFound, "There is no version %q", r.PathValue("n")))
		return
	}
	a, err := s.db.Article(r.Context(), principalOf(r), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := s.db.ArticleVersion(r.Context(), principalOf(r), id, n)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, a.Title+": version "+strconv.Itoa(n), "/knowledge")
	pg.Breadcrumbs = []link{{"Knowledge", "/knowledge"}, {a.Title, "/knowledge/" + itoa(id)}}
	pg.Data = versionData{Article: a, Version: v, Body: template.HTML(knowledge.Render(v.Body))}
	s.render(w, r, "knowledge-version", pg)
}

// articleDiff reads the two versions a diff compares: from and to, by
// default the published version and the one before it (or the pending
// one, when the reader may see it).
func (s *Server) articleDiff(r *http.Request, id int64) (versionData, error) {
	p := principalOf(r)
	a, err := s.db.Article(r.Context(), p, id)
	if err != nil {
		return versionData{}, err
	}
	versions, err := s.db.ArticleVersions(r.Context(), p, id)
	if err != nil {
		return versionData{}, err
	}
	d := versionData{Article: a, Versions: versions, To: a.PublishedVersion, From: a.PublishedVersion - 1}
	if a.Pending != nil {
		d.To, d.From = a.Pending.Number, a.PublishedVersion
	}
	q := r.URL.Query()
	for name, dest := range map[string]*int{"from": &d.From, "to": &d.To} {
		if raw := q.Get(name); raw != "" {
			n, err := strconv.Atoi(raw)
			if err != nil || n <= 0 {
				return d, &fault.Error{Code: fault.Invalid, Message: "Choose two versions to compare",
					Fields: []fault.FieldError{{Field: name, Message: "Choose a version from the list"}}}
			}
			*dest = n
		}
	}
	var texts [2]string
	for i, n := range []int{d.From, d.To} {
		if n <= 0 {
			continue // comparing with nothing: everything is added
		}
		v, err := s.db.ArticleVersion(r.Context(), p, id, n)
		if err != nil {
			return d, err
		}
		texts[i] = knowledge.VersionText(v.Title, v.Summary, v.Body)
	}
	d.Lines = knowledge.DiffLines(texts[0], texts[1])
	d.Added, d.Removed = knowledge.DiffStats(d.Lines)
	return d, nil
}

func (s *Server) articleDiffPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.articleDiff(r, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "Changes to "+d.Article.Title, "/knowledge")
	pg.Breadcrumbs = []link{{"Knowledge", "/knowledge"}, {d.Article.Title, "/knowledge/" + itoa(id)}}
	pg.Data = d
	s.render(w, r, "knowledge-diff", pg)
}

// staleUnit is one unit's overdue articles in the stale-content report.
type staleUnit struct {
	Unit     string
	Articles []store.StaleArticle
}

type staleData struct {
	Units    []staleUnit
	Filter   string
	AllUnits []org.Unit
	Total    int
}

// staleReport groups the overdue articles by unit, in the units' order.
func (s *Server) staleReport(r *http.Request, unit string) (staleData, error) {
	stale, err := s.db.StaleArticles(r.Context(), principalOf(r), unit, todayDate())
	if err != nil {
		return staleData{}, err
	}
	units, err := s.db.Units(r.Context())
	if err != nil {
		return staleData{}, err
	}
	d := staleData{Filter: unit, AllUnits: units, Total: len(stale)}
	for _, u := range units {
		group := staleUnit{Unit: u.Name}
		for _, a := range stale {
			if a.UnitID == u.ID {
				group.Articles = append(group.Articles, a)
			}
		}
		if len(group.Articles) > 0 {
			d.Units = append(d.Units, group)
		}
	}
	return d, nil
}

func (s *Server) staleKnowledgePage(w http.ResponseWriter, r *http.Request) {
	d, err := s.staleReport(r, r.URL.Query().Get("unit"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "Guidance overdue for review", "/knowledge")
	pg.Breadcrumbs = []link{{"Knowledge", "/knowledge"}}
	pg.Data = d
	s.render(w, r, "knowledge-stale", pg)
}

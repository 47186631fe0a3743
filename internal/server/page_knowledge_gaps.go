package server

import (
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
	"caseboard/internal/org"
	"caseboard/internal/store"
)

// Requests for guidance ("request a guide"): anyone records a gap; the
// authors of the unit it concerns see it and answer it with an article or
// close it.

type gapsData struct {
	Open, Done []knowledge.Gap
	Units      []org.Unit
	Form       url.Values
	CanAnswer  map[int64]bool
}

func (s *Server) gapsPage(w http.ResponseWriter, r *http.Request) {
	s.renderGaps(w, r, http.StatusOK, url.Values{}, nil)
}

func (s *Server) renderGaps(w http.ResponseWriter, r *http.Request, status int, form url.Values, formErr *fault.Error) {
	ctx, p := r.Context(), principalOf(r)
	open, err := s.db.Gaps(ctx, p, store.GapFilter{Status: knowledge.GapOpen, Limit: 200})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	all, err := s.db.Gaps(ctx, p, store.GapFilter{Limit: 100})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, err := s.db.Units(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := gapsData{Open: open, Units: units, Form: form, CanAnswer: map[int64]bool{}}
	for _, g := range all {
		if g.Status != knowledge.GapOpen {
			d.Done = append(d.Done, g)
		}
	}
	for _, g := range open {
		d.CanAnswer[g.ID] = knowledge.CanCloseGap(p, &g)
	}
	if form.Get("unit_id") == "" && len(p.Units) > 0 {
		form.Set("unit_id", itoa(p.Units[0]))
	}
	pg := s.newPage(r, "Requests for guidance", "/knowledge")
	pg.Breadcrumbs = []link{{"Knowledge", "/knowledge"}}
	pg.Errors = formErr
	pg.Notice = r.URL.Query().Get("done")
	pg.Data = d
	s.renderStatus(w, r, status, "knowledge-gaps", pg)
}

func (s *Server) requestGuidanceForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	var v fault.Validation
	g := knowledge.Gap{Topic: r.PostFormValue("topic"), Detail: r.PostFormValue("detail")}
	g.UnitID = formID(&v, r.PostForm, "unit_id", "Choose the unit whose guidance it is")
	err := v.Err("The request could not be recorded")
	if err == nil {
		err = s.db.RequestGuidance(r.Context(), principalOf(r), &g)
	}
	if fe := fault.As(err); err != nil && fe != nil && (fe.Code == fault.Invalid || fe.Code == fault.Forbidden) {
		s.renderGaps(w, r, statusFor(fe), r.PostForm, fe)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/knowledge/gaps?done="+url.QueryEscape("Request recorded: the unit's authors will see it"), http.StatusSeeOther)
}

// gapArticle reads the optional article that answers a gap.
func gapArticle(raw string) (*int64, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, nil
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(raw, "/knowledge/"), 10, 64)
	if err != nil || id <= 0 {
		return nil, &fault.Error{Code: fault.Invalid, Message: "The request could not be answered",
			Fields: []fault.FieldError{{Field: "article_id", Message: "Give the number of the article that answers it"}}}
	}
	return &id, nil
}

func (s *Server) closeGapForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm()
	article, err := gapArticle(r.PostFormValue("article_id"))
	if err == nil {
		_, err = s.db.CloseGap(r.Context(), principalOf(r), id, article)
	}
	if fe := fault.As(err); err != nil && fe != nil && (fe.Code == fault.Invalid || fe.Code == fault.Forbidden || fe.Code == fault.Conflict) {
		s.renderGaps(w, r, statusFor(fe), r.PostForm, fe)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/knowledge/gaps?done="+url.QueryEscape("Request closed"), http.StatusSeeOther)
}

// gapInput is a request for guidance as a client records it.
type gapInput struct {
	Topic  string `json:"topic"`
	Detail string `json:"detail,omitempty"`
	UnitID int64  `json:"unit_id"`
}

// gapCloseInput answers a request with an article, or closes it without.
type gapCloseInput struct {
	ArticleID *int64 `json:"article_id"`
}

func (s *Server) apiGaps(w http.ResponseWriter, r *http.Request) {
	f := store.GapFilter{Status: knowledge.GapStatus(r.URL.Query().Get("status"))}
	if unit := r.URL.Query().Get("unit"); unit != "" {
		units, err := s.db.Units(r.Context())
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		f.Units = []int64{-1}
		for _, u := range units {
			if u.Code == unit {
				f.Units = []int64{u.ID}
			}
		}
	}
	gaps, err := s.db.Gaps(r.Context(), principalOf(r), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[knowledge.Gap]{Items: gaps})
}

func (s *Server) apiRequestGuidance(w http.ResponseWriter, r *http.Request) {
	var in gapInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	g := knowledge.Gap{Topic: in.Topic, Detail: in.Detail, UnitID: in.UnitID}
	if err := s.db.RequestGuidance(r.Context(), principalOf(r), &g); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, g)
}

func (s *Server) apiCloseGap(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in gapCloseInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	g, err := s.db.CloseGap(r.Context(), principalOf(r), id, in.ArticleID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, g)
}

func (s *Server) gapPageRoutes() []pageRoute {
	experts, _ := s.expertRoutes()
	return append([]pageRoute{
		{"GET", "/knowledge/gaps", access.ReadOrganisation, s.gapsPage},
		{"POST", "/knowledge/gaps", access.RequestGuidance, s.requestGuidanceForm},
		{"POST", "/knowledge/gaps/{id}/close", access.WriteKnowledge, s.closeGapForm},
	}, append(s.attachmentPageRoutes(), experts...)...)
}

func (s *Server) gapAPIRoutes() []apiRoute {
	_, experts := s.expertRoutes()
	return append([]apiRoute{
		{Method: "GET", Path: "/api/v1/knowledge/gaps", ID: "listGuidanceRequests", Tag: "Knowledge", Perm: access.ReadOrganisation,
			Summary: "Requests for guidance the repository lacks, newest first", Response: reflect.TypeFor[list[knowledge.Gap]](), Handler: s.apiGaps,
			Query: []param{
				{Name: "unit", Type: "string", Description: "Unit code."},
				{Name: "status", Type: "string", Enum: []string{"open", "answered", "closed"}, Description: "Only requests in this state."},
			}},
		{Method: "POST", Path: "/api/v1/knowledge/gaps", ID: "requestGuidance", Tag: "Knowledge", Perm: access.RequestGuidance,
			Summary: "Record a gap in the repository: guidance someone needs that does not exist", Body: reflect.TypeFor[gapInput](),
			Response: reflect.TypeFor[knowledge.Gap](), Status: http.StatusCreated, Handler: s.apiRequestGuidance},
		{Method: "POST", Path: "/api/v1/knowledge/gaps/{id}/close", ID: "closeGuidanceRequest", Tag: "Knowledge", Perm: access.WriteKnowledge,
			Summary: "Answer a request with an article (article_id), or close it without one", Body: reflect.TypeFor[gapCloseInput](),
			Response: reflect.TypeFor[knowledge.Gap](), Handler: s.apiCloseGap},
	}, append(experts, s.attachmentAPIRoutes()...)...)
}

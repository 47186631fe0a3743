package server

import (
	"net/http"
	"net/url"

	"caseboard/internal/fault"
	"caseboard/internal/store"
)

// Joint measures: sharing a measure with a partner organisation, through
// the API and from the measure's page.

func (s *Server) apiMeasureShares(w http.ResponseWriter, r *http.Request) {
	if _, err := s.lookupMeasure(r, ""); err != nil {
		s.apiError(w, r, err)
		return
	}
	shares, err := s.db.MeasureShares(r.Context(), r.PathValue("code"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[store.MeasureShare]{Items: shares})
}

func (s *Server) apiShareMeasure(w http.ResponseWriter, r *http.Request) {
	if err := s.db.ShareMeasure(r.Context(), principalOf(r), r.PathValue("code"), r.PathValue("partner")); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiMeasureShares(w, r)
}

func (s *Server) apiUnshareMeasure(w http.ResponseWriter, r *http.Request) {
	if err := s.db.UnshareMeasure(r.Context(), principalOf(r), r.PathValue("code"), r.PathValue("partner")); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiMeasureShares(w, r)
}

// measureShareForm shares the measure with the partner chosen, or stops
// sharing it (action=unshare), then returns to the measure's page; a
// refused choice is shown on the page with the form.
func (s *Server) measureShareForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	code, partner := r.PathValue("code"), r.PostForm.Get("partner")
	var err error
	done := "Shared with the partner organisation"
	if r.PostForm.Get("action") == "unshare" {
		err, done = s.db.UnshareMeasure(r.Context(), principalOf(r), code, partner), "No longer shared with the partner organisation"
	} else {
		err = s.db.ShareMeasure(r.Context(), principalOf(r), code, partner)
	}
	if fe := fault.As(err); fe != nil && fe.Code == fault.Invalid {
		s.renderMeasurePage(w, r, statusFor(fe), fe)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	back := url.Values{"done": {done}}
	if period := r.URL.Query().Get("period"); period != "" {
		back.Set("period", period)
	}
	http.Redirect(w, r, "/performance/"+url.PathEscape(code)+"?"+back.Encode()+"#shares", http.StatusSeeOther)
}

package server

import (
	"net/http"
	"net/url"

	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
	"caseboard/internal/quality"
	"caseboard/internal/store"
)

// themeInput names a theme of the IQA trends to share in the knowledge
// repository as a lessons-learned draft.
type themeInput struct {
	Unit     string `json:"unit"` // unit code; empty for the whole division
	From     string `json:"from"` // YYYY-MM-DD; default a year before to
	To       string `json:"to"`   // YYYY-MM-DD; default today
	Activity string `json:"activity"`
	Question string `json:"question"` // the question's code, e.g. lc_disclosure
}

// shareTheme starts the lessons-learned draft of a theme, written by the
// caller.
func (s *Server) shareTheme(r *http.Request, in themeInput) (knowledge.Article, error) {
	var v fault.Validation
	to := parseOptionalDay(&v, "to", in.To, today())
	from := parseOptionalDay(&v, "from", in.From, to.AddDate(-1, 0, 1))
	if err := v.Err("The theme could not be shared"); err != nil {
		return knowledge.Article{}, err
	}
	unit, err := s.unitByCode(r, in.Unit)
	if err != nil {
		return knowledge.Article{}, err
	}
	theme := store.QualityTheme{From: from, To: to, Activity: quality.Activity(in.Activity), Question: in.Question}
	if unit != nil {
		theme.UnitID = &unit.ID
	}
	return s.db.ShareQualityTheme(r.Context(), principalOf(r), theme)
}

// shareThemeForm is the "Share this theme" button of the trends page: it
// starts the draft and opens it for its author to finish.
func (s *Server) shareThemeForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	form := r.PostForm
	in := themeInput{Unit: form.Get("unit"), From: form.Get("from"), To: form.Get("to"), Activity: form.Get("activity"), Question: form.Get("question")}
	a, err := s.shareTheme(r, in)
	if err != nil {
		fe := fault.As(err)
		if fe == nil || fe.Code != fault.Invalid {
			s.fail(w, r, err)
			return
		}
		// Show the trends the button was pressed on, with what was wrong.
		r.URL.RawQuery = url.Values{"unit": {in.Unit}, "from": {in.From}, "to": {in.To}}.Encode()
		s.renderTrends(w, r, statusFor(fe), fe)
		return
	}
	http.Redirect(w, r, "/knowledge/"+itoa(a.ID)+"/edit?done="+url.QueryEscape("Draft started from the theme: finish it and send it for review"), http.StatusSeeOther)
}

func (s *Server) apiShareTheme(w http.ResponseWriter, r *http.Request) {
	var in themeInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	a, err := s.shareTheme(r, in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

package server

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"

	"caseboard/internal/access"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
	"caseboard/internal/store"
)

// Asking the specialisms for help: a page to ask, to follow one's
// questions, to answer those allocated to one, and to see how fast each
// queue answers.

type helpData struct {
	Specialisms []knowledge.Specialism
	Mine, Queue []knowledge.HelpRequest
	// Queues are the open questions of the queues the person leads or
	// deputises for, whoever has them, and those waiting for someone.
	Queues []knowledge.HelpRequest
	// Leads are the codes of the specialisms the person leads, whose
	// questions they may reallocate.
	Leads     map[string]bool
	Times     []knowledge.ResponseTime
	Form      url.Values
	Urgencies []knowledge.Urgency
}

func (s *Server) helpPage(w http.ResponseWriter, r *http.Request) {
	s.renderHelp(w, r, http.StatusOK, url.Values{"urgency": {string(knowledge.Routine)}}, nil)
}

func (s *Server) renderHelp(w http.ResponseWriter, r *http.Request, status int, form url.Values, formErr *fault.Error) {
	ctx, p := r.Context(), principalOf(r)
	d := helpData{Form: form, Urgencies: []knowledge.Urgency{knowledge.Routine, knowledge.Urgent, knowledge.Immediate}}
	var err error
	if d.Specialisms, err = s.db.Specialisms(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Mine, err = s.db.HelpRequests(ctx, p, store.HelpFilter{AskerID: &p.PersonID, Limit: 50}); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Queue, err = s.db.HelpRequests(ctx, p, store.HelpFilter{AssigneeID: &p.PersonID, Status: knowledge.HelpOpen, Limit: 50}); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Queues, err = s.db.HelpRequests(ctx, p, store.HelpFilter{QueueOf: &p.PersonID, Status: knowledge.HelpOpen, Limit: 100}); err != nil {
		s.fail(w, r, err)
		return
	}
	d.Leads = map[string]bool{}
	for _, sp := range d.Specialisms {
		if sp.LeadID != nil && *sp.LeadID == p.PersonID {
			d.Leads[sp.Code] = true
		}
	}
	if d.Times, err = s.db.HelpResponseTimes(ctx, p); err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "Ask a specialist", "/knowledge")
	pg.Breadcrumbs = []link{{"Knowledge", "/knowledge"}}
	pg.Errors = formErr
	pg.Notice = r.URL.Query().Get("done")
	pg.Data = d
	s.renderStatus(w, r, status, "knowledge-help", pg)
}

func (s *Server) askForHelpForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	h := knowledge.HelpRequest{Specialism: r.PostFormValue("specialism"), Topic: r.PostFormValue("topic"), Question: r.PostFormValue("question"),
		CaseRef: r.PostFormValue("case_ref"), Urgency: knowledge.Urgency(r.PostFormValue("urgency"))}
	err := s.db.AskForHelp(r.Context(), principalOf(r), &h, todayDate())
	if s.helpFormRefused(w, r, err) {
		return
	}
	done := "Question sent"
	if h.RoutedBecause != "" {
		done = "Question sent to " + h.SpecialismName + ": " + h.RoutedBecause
	}
	if h.AssigneeID == nil {
		done += ". Everyone on that queue is away, so it waits for the first back"
	}
	http.Redirect(w, r, "/knowledge/help?done="+url.QueryEscape(done), http.StatusSeeOther)
}

func (s *Server) answerHelpForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm()
	_, err = s.db.AnswerHelp(r.Context(), principalOf(r), id, r.PostFormValue("answer"), r.PostFormValue("publish") == "yes")
	if s.helpFormRefused(w, r, err) {
		return
	}
	http.Redirect(w, r, "/knowledge/help?done="+url.QueryEscape("Answer sent"), http.StatusSeeOther)
}

func (s *Server) awayForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	var done string
	until, err := deadline.ParseDate(strings.TrimSpace(r.PostFormValue("away_until")))
	if err != nil {
		err = &fault.Error{Code: fault.Invalid, Message: "The date is not right",
			Fields: []fault.FieldError{{Field: "away_until", Message: "Enter the date as YYYY-MM-DD, or leave it empty if you are back"}}}
	} else {
		var moved int
		moved, err = s.db.SetAway(r.Context(), principalOf(r), until, todayDate())
		done = "Saved"
		if moved > 0 {
			done = fmt.Sprintf("Saved: %d question%s reallocated", moved, plural(moved))
		}
	}
	if s.helpFormRefused(w, r, err) {
		return
	}
	http.Redirect(w, r, "/knowledge/help?done="+url.QueryEscape(done), http.StatusSeeOther)
}

func (s *Server) reallocateHelpForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm()
	h, err := s.db.ReallocateHelp(r.Context(), principalOf(r), id, todayDate())
	if s.helpFormRefused(w, r, err) {
		return
	}
	http.Redirect(w, r, "/knowledge/help?done="+url.QueryEscape("Reallocated to "+h.AssigneeName), http.StatusSeeOther)
}

// helpFormRefused shows the page again with a refused form's errors, and
// reports whether there was an error at all.
func (s *Server) helpFormRefused(w http.ResponseWriter, r *http.Request, err error) bool {
	if err == nil {
		return false
	}
	fe := fault.As(err)
	if fe == nil || fe.Code == fault.Internal || fe.Code == fault.Unavailable || fe.Code == fault.NotFound {
		s.fail(w, r, err)
		return true
	}
	form := r.PostForm
	if !r.PostForm.Has("question") {
		// The question form starts afresh when another form was refused.
		form = url.Values{"urgency": {string(knowledge.Routine)}, "away_until": r.PostForm["away_until"]}
	}
	s.renderHelp(w, r, statusFor(fe), form, fe)
	return true
}

// helpInput is a question as a client asks it.
type helpInput struct {
	// Specialism is the directory code; left out, the question is routed
	// by its topic (routed_because in the answer says why).
	Specialism string `json:"specialism,omitempty"`
	Topic      string `json:"topic"`
	Question   string `json:"question"`
	CaseRef    string `json:"case_ref,omitempty"`
	// Urgency is routine (the default), urgent or immediate.
	Urgency string `json:"urgency,omitempty"`
}

// answerInput answers a request; publish also makes a draft article of it.
type answerInput struct {
	Answer  string `json:"answer"`
	Publish bool   `json:"publish,omitempty"`
}

// awayInput marks the caller away until a date, or back when it is empty.
type awayInput struct {
	AwayUntil string `json:"away_until"`
}

// awayResult says what marking oneself away or back did.
type awayResult struct {
	AwayUntil string `json:"away_until"`
	// Reallocated is how many open questions moved: off the caller when
	// away, to them when back.
	Reallocated int `json:"reallocated"`
}

func (s *Server) apiSetAway(w http.ResponseWriter, r *http.Request) {
	var in awayInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	until, err := deadline.ParseDate(strings.TrimSpace(in.AwayUntil))
	if err != nil {
		s.apiError(w, r, &fault.Error{Code: fault.Invalid, Message: "The date is not right",
			Fields: []fault.FieldError{{Field: "away_until", Message: "Give the date as YYYY-MM-DD, or an empty string if you are back"}}})
		return
	}
	moved, err := s.db.SetAway(r.Context(), principalOf(r), until, todayDate())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, awayResult{AwayUntil: until.String(), Reallocated: moved})
}

func (s *Server) apiHelpRequests(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	f := store.HelpFilter{Status: knowledge.HelpStatus(r.URL.Query().Get("status"))}
	switch r.URL.Query().Get("mine") {
	case "asked":
		f.AskerID = &p.PersonID
	case "assigned":
		f.AssigneeID = &p.PersonID
	case "queue":
		f.QueueOf = &p.PersonID
	}
	all, err := s.db.HelpRequests(r.Context(), p, f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[knowledge.HelpRequest]{Items: all})
}

func (s *Server) apiAskForHelp(w http.ResponseWriter, r *http.Request) {
	var in helpInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	h := knowledge.HelpRequest{Specialism: in.Specialism, Topic: in.Topic, Question: in.Question, CaseRef: in.CaseRef, Urgency: knowledge.Urgency(in.Urgency)}
	if err := s.db.AskForHelp(r.Context(), principalOf(r), &h, todayDate()); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, h)
}

func (s *Server) apiAnswerHelp(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in answerInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	h, err := s.db.AnswerHelp(r.Context(), principalOf(r), id, in.Answer, in.Publish)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, h)
}

func (s *Server) apiReallocateHelp(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	h, err := s.db.ReallocateHelp(r.Context(), principalOf(r), id, todayDate())
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, h)
}

func (s *Server) apiHelpResponseTimes(w http.ResponseWriter, r *http.Request) {
	times, err := s.db.HelpResponseTimes(r.Context(), principalOf(r))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[knowledge.ResponseTime]{Items: times})
}

func (s *Server) helpRoutes() ([]pageRoute, []apiRoute) {
	return []pageRoute{
			{"GET", "/knowledge/help", access.ReadOrganisation, s.helpPage},
			{"POST", "/knowledge/help", access.RequestGuidance, s.askForHelpForm},
			{"POST", "/knowledge/help/{id}/answer", access.RequestGuidance, s.answerHelpForm},
			{"POST", "/knowledge/help/{id}/reallocate", access.RequestGuidance, s.reallocateHelpForm},
			{"POST", "/knowledge/help/away", access.RequestGuidance, s.awayForm},
		}, []apiRoute{
			{Method: "GET", Path: "/api/v1/knowledge/help", ID: "listHelpRequests", Tag: "Knowledge", Perm: access.ReadOrganisation,
				Summary: "Questions to the specialisms, newest first", Response: reflect.TypeFor[list[knowledge.HelpRequest]](), Handler: s.apiHelpRequests,
				Query: []param{
					{Name: "mine", Type: "string", Enum: []string{"asked", "assigned", "queue"},
						Description: "Only those the caller asked, those allocated to them, or those of the queues they lead or deputise for."},
					{Name: "status", Type: "string", Enum: []string{"open", "answered"}, Description: "Only requests in this state."},
				}},
			{Method: "POST", Path: "/api/v1/knowledge/help", ID: "askForHelp", Tag: "Knowledge", Perm: access.RequestGuidance,
				Summary: "Ask a specialism, or leave it out to route by topic: the question is allocated to its lead or deputy with the fewest open requests who is not away",
				Body:    reflect.TypeFor[helpInput](), Response: reflect.TypeFor[knowledge.HelpRequest](), Status: http.StatusCreated, Handler: s.apiAskForHelp},
			{Method: "POST", Path: "/api/v1/knowledge/help/{id}/answer", ID: "answerHelpRequest", Tag: "Knowledge", Perm: access.RequestGuidance,
				Summary: "Answer a question allocated to the caller; publish makes a draft article of it", Body: reflect.TypeFor[answerInput](),
				Response: reflect.TypeFor[knowledge.HelpRequest](), Handler: s.apiAnswerHelp},
			{Method: "POST", Path: "/api/v1/knowledge/help/{id}/reallocate", ID: "reallocateHelpRequest", Tag: "Knowledge", Perm: access.RequestGuidance,
				Summary:  "Move an open question to whoever else on the queue the fair rule picks (the queue's lead only)",
				Response: reflect.TypeFor[knowledge.HelpRequest](), Handler: s.apiReallocateHelp},
			{Method: "PUT", Path: "/api/v1/knowledge/help/away", ID: "setAway", Tag: "Knowledge", Perm: access.RequestGuidance,
				Summary: "Mark the caller away until a date (inclusive), moving their open questions to others on each queue, or back (an empty date), taking the questions left waiting",
				Body:    reflect.TypeFor[awayInput](), Response: reflect.TypeFor[awayResult](), Handler: s.apiSetAway},
			{Method: "GET", Path: "/api/v1/knowledge/help/response-times", ID: "helpResponseTimes", Tag: "Performance", Perm: access.ReadOrganisation,
				Summary: "How fast each specialism's queue answers: answered, open, median hours, share within a day", Response: reflect.TypeFor[list[knowledge.ResponseTime]](),
				Handler: s.apiHelpResponseTimes},
		}
}

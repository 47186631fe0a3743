package server

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/fault"
	"caseboard/internal/org"
	"caseboard/internal/store"
)

// Overseas posts' monthly returns: the list with each post's validated
// totals, a return's page, and the forms that prepare, submit and decide
// them.

type returnsPageData struct {
	Returns  []casework.PostReturn
	Totals   []postTotals
	Posts    []org.Location
	Filter   store.PostReturnFilter
	Statuses []casework.ReturnStatus
	Form     url.Values
	CanWrite bool
	Period   string
}

// postTotals are a post's validated counts over the period shown.
type postTotals struct {
	Post                                              string
	Returns, Interactions, Training, CapacityBuilding int
}

func (s *Server) returnsPage(w http.ResponseWriter, r *http.Request) {
	s.showReturns(w, r, http.StatusOK, nil)
}

func (s *Server) showReturns(w http.ResponseWriter, r *http.Request, status int, formErr *fault.Error) {
	q := r.URL.Query()
	f := store.PostReturnFilter{Location: q.Get("location"), Status: casework.ReturnStatus(q.Get("status"))}
	list, err := s.db.PostReturns(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	posts, err := s.overseasPosts(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := time.Now()
	from := casework.MonthOf(now.AddDate(0, -11, 0))
	validated, err := s.db.PostReturns(r.Context(), store.PostReturnFilter{From: from, Status: casework.ReturnValidated})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := r.PostForm
	if form == nil {
		form = url.Values{"month": {casework.MonthOf(now.AddDate(0, -1, 0))}}
	}
	p := s.newPage(r, "Overseas posts' monthly returns", "/cases")
	p.Breadcrumbs = []link{{"Cases", "/cases"}}
	p.Errors = formErr
	p.Notice = q.Get("done")
	p.Data = returnsPageData{Returns: list, Totals: totalsByPost(validated), Posts: posts, Filter: f, Form: form,
		Statuses: []casework.ReturnStatus{casework.ReturnDraft, casework.ReturnSubmitted, casework.ReturnValidated, casework.ReturnSentBack},
		CanWrite: access.Allows(principalOf(r), access.WriteCases), Period: from + " to " + casework.MonthOf(now)}
	s.renderStatus(w, r, status, "returns", p)
}

func totalsByPost(validated []casework.PostReturn) []postTotals {
	byPost := map[string]*postTotals{}
	var order []string
	for _, r := range validated {
		t, ok := byPost[r.LocationName]
		if !ok {
			t = &postTotals{Post: r.LocationName}
			byPost[r.LocationName] = t
			order = append(order, r.LocationName)
		}
		t.Returns++
		t.Interactions += r.CaseworkInteractions
		t.Training += r.TrainingDelivered
		t.CapacityBuilding += r.CapacityBuilding
	}
	slices.Sort(order)
	out := make([]postTotals, 0, len(order))
	for _, name := range order {
		out = append(out, *byPost[name])
	}
	return out
}

func (s *Server) overseasPosts(r *http.Request) ([]org.Location, error) {
	all, err := s.db.Locations(r.Context())
	var posts []org.Location
	for _, l := range all {
		if l.Kind == org.OverseasPost {
			posts = append(posts, l)
		}
	}
	return posts, err
}

// returnFromForm reads a return's fields from a form.
func returnFromForm(form url.Values, v *fault.Validation) casework.PostReturn {
	ret := casework.PostReturn{Month: strings.TrimSpace(form.Get("month")), Narrative: form.Get("narrative")}
	ret.LocationID = formID(v, form, "location_id", "Choose the overseas post the return is for")
	count := func(field string) int {
		raw := strings.TrimSpace(form.Get(field))
		if raw == "" {
			return 0
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			v.Add(field, "Enter a whole number, for example 12")
		}
		return n
	}
	ret.CaseworkInteractions, ret.TrainingDelivered, ret.CapacityBuilding = count("casework_interactions"), count("training_delivered"), count("capacity_building")
	return ret
}

func (s *Server) createReturnForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() // a bad body leaves the form empty, and the fields are refused as missing
	var v fault.Validation
	ret := returnFromForm(r.PostForm, &v)
	err := v.Err("The return could not be saved")
	if err == nil {
		err = s.db.SavePostReturn(r.Context(), principalOf(r), &ret)
	}
	if fe := fault.As(err); err != nil && fe != nil && fe.Code != fault.Internal && fe.Code != fault.Unavailable {
		s.showReturns(w, r, statusFor(fe), fe)
		return
	} else if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/returns/"+itoa(ret.ID)+"?done="+url.QueryEscape("Return drafted"), http.StatusSeeOther)
}

type returnPageData struct {
	Return    casework.PostReturn
	Posts     []org.Location
	Form      url.Values
	CanEdit   bool // the return is with the post, and the reader records casework
	CanDecide bool // submitted, and the reader line-manages its preparer
}

func (s *Server) returnPage(w http.ResponseWriter, r *http.Request) {
	s.showReturn(w, r, http.StatusOK, nil)
}

func (s *Server) showReturn(w http.ResponseWriter, r *http.Request, status int, formErr *fault.Error) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ret, err := s.db.PostReturn(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	posts, err := s.overseasPosts(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pr := principalOf(r)
	form := r.PostForm
	if form == nil || formErr == nil {
		form = url.Values{"location_id": {itoa(ret.LocationID)}, "month": {ret.Month}, "narrative": {ret.Narrative},
			"casework_interactions": {strconv.Itoa(ret.CaseworkInteractions)}, "training_delivered": {strconv.Itoa(ret.TrainingDelivered)},
			"capacity_building": {strconv.Itoa(ret.CapacityBuilding)}}
	}
	p := s.newPage(r, ret.LocationName+", "+ret.Month, "/cases")
	p.Breadcrumbs = []link{{"Cases", "/cases"}, {"Monthly returns", "/returns"}}
	p.Errors = formErr
	p.Notice = r.URL.Query().Get("done")
	p.Data = returnPageData{Return: ret, Posts: posts, Form: form,
		CanEdit: ret.Status.Editable() && access.Allows(pr, access.WriteCases),
		CanDecide: ret.Status == casework.ReturnSubmitted && ret.PreparedBy != pr.PersonID &&
			(slices.Contains(pr.Reports, ret.PreparedBy) || pr.Has(access.HeadOfDivision))}
	s.renderStatus(w, r, status, "return", p)
}

func (s *Server) updateReturnForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() // a bad body leaves the form empty, and the fields are refused as missing
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var v fault.Validation
	ret := returnFromForm(r.PostForm, &v)
	ret.ID = id
	ret.Version, _ = strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	err = v.Err("The return could not be saved")
	if err == nil {
		err = s.db.SavePostReturn(r.Context(), principalOf(r), &ret)
	}
	s.afterReturnForm(w, r, id, err, "Return saved")
}

func (s *Server) submitReturnForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() // a bad body leaves the form empty, and the fields are refused as missing
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	version, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	err = s.db.SubmitPostReturn(r.Context(), principalOf(r), id, version)
	s.afterReturnForm(w, r, id, err, "Return submitted for validation")
}

func (s *Server) decideReturnForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() // a bad body leaves the form empty, and the fields are refused as missing
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	validate := r.PostForm.Get("decision") == "validate"
	err = s.db.DecidePostReturn(r.Context(), principalOf(r), id, validate, strings.TrimSpace(r.PostForm.Get("reason")))
	done := "Return sent back to the post"
	if validate {
		done = "Return validated"
	}
	s.afterReturnForm(w, r, id, err, done)
}

// afterReturnForm goes back to the return, or shows it with the form's
// errors.
func (s *Server) afterReturnForm(w http.ResponseWriter, r *http.Request, id int64, err error, done string) {
	if err == nil {
		http.Redirect(w, r, "/returns/"+itoa(id)+"?done="+url.QueryEscape(done), http.StatusSeeOther)
		return
	}
	fe := fault.As(err)
	if fe == nil || fe.Code == fault.Internal || fe.Code == fault.Unavailable || fe.Code == fault.NotFound {
		s.fail(w, r, err)
		return
	}
	s.showReturn(w, r, statusFor(fe), fe)
}

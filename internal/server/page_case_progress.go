package server

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"

	"caseboard/internal/casework"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
	"caseboard/internal/org"
)

// The case page's progression forms: record a hearing, a direction, that a
// direction was complied with, and when a key document was last updated.

func (s *Server) addHearingForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() // a bad body leaves the form empty, and the fields are refused as missing
	caseID, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var v fault.Validation
	h := casework.Hearing{CaseID: caseID, Kind: casework.HearingKind(r.PostFormValue("kind")), Court: casework.Court(r.PostFormValue("court")),
		Centre: r.PostFormValue("centre"), Note: r.PostFormValue("note")}
	h.On = formDate(&v, r.PostForm, "on", true)
	err = v.Err("The hearing could not be recorded")
	if err == nil {
		err = s.db.SaveHearing(r.Context(), principalOf(r), &h)
	}
	s.afterCaseForm(w, r, caseID, "hearing", inForm(err, "hearing"), "Hearing recorded")
}

func (s *Server) addDirectionForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() // a bad body leaves the form empty, and the fields are refused as missing
	caseID, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var v fault.Validation
	d := casework.Direction{CaseID: caseID, Court: casework.Court(r.PostFormValue("court")), Description: r.PostFormValue("description")}
	d.Due = formDate(&v, r.PostForm, "due", true)
	if raw := r.PostFormValue("hearing_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			v.Add("hearing_id", "Choose a hearing of this case")
		}
		d.HearingID = &id
	}
	err = v.Err("The direction could not be recorded")
	if err == nil {
		err = s.db.SaveDirection(r.Context(), principalOf(r), &d)
	}
	s.afterCaseForm(w, r, caseID, "direction", inForm(err, "direction"), "Direction recorded")
}

func (s *Server) completeDirectionForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() // a bad body leaves the form empty, and the fields are refused as missing
	caseID, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.findDirection(r, caseID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var v fault.Validation
	done := formDate(&v, r.PostForm, "completed_on", true)
	d.CompletedOn = &done
	err = v.Err("The direction could not be marked as complied with")
	if err == nil {
		err = s.db.SaveDirection(r.Context(), principalOf(r), &d)
	}
	form := "complete-" + itoa(d.ID)
	s.afterCaseForm(w, r, caseID, form, inForm(err, form), "Direction marked as complied with")
}

func (s *Server) keyDocumentForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() // a bad body leaves the form empty, and the fields are refused as missing
	caseID, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var v fault.Validation
	k := casework.KeyDocument{CaseID: caseID, Kind: casework.DocumentKind(r.PostFormValue("kind")), Note: strings.TrimSpace(r.PostFormValue("note"))}
	if updated := formDate(&v, r.PostForm, "updated_on", true); !updated.IsZero() {
		k.UpdatedOn = &updated
	}
	err = v.Err("The document could not be recorded")
	if err == nil {
		err = s.db.SaveKeyDocument(r.Context(), principalOf(r), &k)
	}
	s.afterCaseForm(w, r, caseID, "document", inForm(err, "document"), "Document recorded")
}

// inForm names a validation error's fields by the ids of the form's
// inputs (form-field), so that the error summary's links reach them on a
// page with several forms.
func inForm(err error, form string) error {
	return fault.RenameFields(err, func(field string) string { return form + "-" + field })
}

// directionView is a direction as the case page shows it.
type directionView struct {
	casework.Direction
	State   casework.DirectionState
	Hearing string
}

// documentView is a key document as the case page shows it.
type documentView struct {
	casework.KeyDocument
	Label      string
	State      casework.DocumentState
	NextReview deadline.Date
}

func progressViews(d caseDetail, today deadline.Date) ([]directionView, []documentView) {
	hearings := map[int64]string{}
	for _, h := range d.Hearings {
		hearings[h.ID] = strings.ToLower(h.Kind.Label()) + " on " + h.On.String()
	}
	directions := make([]directionView, 0, len(d.Directions))
	for _, dir := range d.Directions {
		v := directionView{Direction: dir, State: dir.State(today)}
		if dir.HearingID != nil {
			v.Hearing = hearings[*dir.HearingID]
		}
		directions = append(directions, v)
	}
	documents := make([]documentView, 0, len(d.Documents))
	for _, k := range d.Documents {
		info, _ := k.Kind.Info()
		documents = append(documents, documentView{KeyDocument: k, Label: info.Label, State: k.State(today), NextReview: k.NextReview()})
	}
	return directions, documents
}

// reviewActionRows is how many actions the review form offers at once.
const reviewActionRows = 3

func (s *Server) addReviewForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() // a bad body leaves the form empty, and the fields are refused as missing
	caseID, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := r.PostForm
	var v fault.Validation
	review := casework.CaseReview{CaseID: caseID, Kind: casework.ReviewKind(form.Get("kind")), Members: form.Get("members"),
		Summary: form.Get("summary"), Learning: form.Get("learning"), ShareWithAgency: form.Get("share_with_agency") == "yes"}
	review.Held = formDate(&v, form, "held", true)
	if raw := form.Get("to_lawyer_id"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			v.Add("to_lawyer_id", "Choose the lawyer taking the case over")
		}
		review.ToLawyerID = &id
	}
	for i := 1; i <= reviewActionRows; i++ {
		n := strconv.Itoa(i)
		what := strings.TrimSpace(form.Get("action_" + n))
		if what == "" {
			continue
		}
		review.Actions = append(review.Actions, casework.ReviewAction{Description: what, Due: formDate(&v, form, "action_due_"+n, true)})
	}
	err = v.Err("The review could not be recorded")
	if err == nil {
		err = s.db.AddCaseReview(r.Context(), principalOf(r), &review)
	}
	info, _ := review.Kind.Info()
	s.afterCaseForm(w, r, caseID, "review", inForm(err, "review"), cmp.Or(info.Label, "Review")+" recorded")
}

func (s *Server) completeActionForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() // a bad body leaves the form empty, and the fields are refused as missing
	caseID, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	actionID, err := pathID(r, "action")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var v fault.Validation
	done := formDate(&v, r.PostForm, "done_on", true)
	err = v.Err("The action could not be marked done")
	if err == nil {
		err = s.db.CompleteReviewAction(r.Context(), principalOf(r), caseID, actionID, done)
	}
	form := "action-" + itoa(actionID)
	s.afterCaseForm(w, r, caseID, form, inForm(err, form), "Action marked done")
}

// reviewView is a review as the case page shows it, with its people named.
type reviewView struct {
	casework.CaseReview
	Info     casework.ReviewKindInfo
	From, To string
	Owners   map[int64]string
}

// reviewViews names the people of each review; staff is the case unit's
// people, and anyone else named is looked up.
func (s *Server) reviewViews(r *http.Request, reviews []casework.CaseReview, staff []org.Person) []reviewView {
	names := map[int64]string{}
	for _, p := range staff {
		names[p.ID] = p.Name
	}
	name := func(id *int64) string {
		if id == nil {
			return ""
		}
		if n, ok := names[*id]; ok {
			return n
		}
		if p, err := s.db.Person(r.Context(), *id); err == nil {
			names[*id] = p.Name
			return p.Name
		}
		return "person " + itoa(*id)
	}
	out := make([]reviewView, 0, len(reviews))
	for _, rv := range reviews {
		info, _ := rv.Kind.Info()
		v := reviewView{CaseReview: rv, Info: info, From: name(rv.FromLawyerID), To: name(rv.ToLawyerID), Owners: map[int64]string{}}
		for _, a := range rv.Actions {
			if a.OwnerID != nil {
				v.Owners[a.ID] = name(a.OwnerID)
			}
		}
		out = append(out, v)
	}
	return out
}

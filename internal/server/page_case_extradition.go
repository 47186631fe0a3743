package server

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"caseboard/internal/casework"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
)

// The case page's extradition part: per requested person, the dates the
// Extradition Act 2003 Part 1 time limits run from, and the limits.

// extraditionField is one question of the "Extradition dates" form.
type extraditionField struct {
	Name  string // the deadline.ExtraditionInput field's JSON name
	Kind  string // "date", "datetime" or "checkbox"
	Label string // the legend of a date, or a checkbox's label
	Hint  string
	// TimeLabel labels a date and time's time.
	TimeLabel string
}

var extraditionFields = []extraditionField{
	{"arrested", "datetime", "Date of arrest", "The date in England", "Time of arrest"},
	{"provisional", "checkbox", "Provisional arrest under section 5, before the warrant was certified", "", ""},
	{"brought_before", "datetime", "Date first brought before the judge", "Leave blank until the person has been", "Time brought before the judge"},
	{"hearing_fixed_for", "date", "Extradition hearing fixed for", "The date the judge fixed for the hearing to begin", ""},
	{"ordered", "date", "Extradition ordered", "", ""},
	{"consented", "checkbox", "The order was made on the person's consent (section 46)", "", ""},
	{"appeal_notice", "date", "Notice of application for leave to appeal given", "", ""},
	{"appeal_final", "date", "Appeal final", "The day the decision on the appeal became final or the proceedings were discontinued", ""},
	{"agreed_removal", "date", "Later removal date agreed with the issuing authority", "", ""},
	{"removed", "date", "Removed", "", ""},
	{"consent_request_received", "date", "Request for consent to onward extradition received", "Section 56", ""},
	{"consent_hearing", "date", "Consent hearing began", "", ""},
}

// extraditionFieldView is a form question with what it holds.
type extraditionFieldView struct {
	extraditionField
	ID                     string // the date input's id; its day input is ID-day
	Day, Month, Year, Time string
	Checked                bool
	Error                  map[string]any
}

// extraditionView is one requested person's extradition dates and limits.
type extraditionView struct {
	CaseID, DefendantID int64
	Person              string
	Form                string
	Fields              []extraditionFieldView
	Limits              []extraditionLimitView
	Recorded            bool
}

// extraditionLimitView is a limit as the case page shows it, with its
// status in words as well as colour.
type extraditionLimitView struct {
	Title, Last, Status, Urgency, Rule string
	Working                            []string
}

// extraditionViews builds the part for each requested person of an
// extradition case; the refused form, if one, shows what was typed.
func extraditionViews(d caseDetail, form url.Values, openForm string, errs *fault.Error) []extraditionView {
	if d.Case.Kind != casework.Extradition {
		return nil
	}
	now := time.Now().In(london)
	var out []extraditionView
	for _, p := range d.Defendants {
		v := extraditionView{CaseID: d.Case.ID, DefendantID: p.ID, Person: p.Ref, Form: "extradition-" + itoa(p.ID), Recorded: p.Extradition != nil}
		if p.Name != "" {
			v.Person += " (" + p.Name + ")"
		}
		values := form
		if openForm != v.Form {
			values = extraditionValues(p.Extradition)
		}
		for _, f := range extraditionFields {
			fv := extraditionFieldView{extraditionField: f, ID: v.Form + "-" + f.Name,
				Day: values.Get(f.Name + "-day"), Month: values.Get(f.Name + "-month"), Year: values.Get(f.Name + "-year"),
				Time: values.Get(f.Name + "-time"), Checked: values.Get(f.Name) == "yes"}
			if errs != nil {
				if msg := errs.FieldMessage(fv.ID + "-day"); msg != "" {
					fv.Error = map[string]any{"text": msg}
				}
			}
			v.Fields = append(v.Fields, fv)
		}
		for _, l := range p.ExtraditionLimits {
			v.Limits = append(v.Limits, extraditionLimit(l, now))
		}
		out = append(out, v)
	}
	return out
}

// extraditionValues is the form as recorded dates fill it.
func extraditionValues(in *deadline.ExtraditionInput) url.Values {
	values := url.Values{}
	if in == nil {
		return values
	}
	moment := func(name string, t time.Time) {
		if !t.IsZero() {
			t = t.In(london)
			day(name, deadline.DateOf(t), values)
			values.Set(name+"-time", t.Format("15:04"))
		}
	}
	moment("arrested", in.Arrested)
	moment("brought_before", in.BroughtBefore)
	for name, d := range map[string]deadline.Date{"hearing_fixed_for": in.HearingFixedFor, "ordered": in.Ordered,
		"appeal_notice": in.AppealNotice, "appeal_final": in.AppealFinal, "agreed_removal": in.AgreedRemoval, "removed": in.Removed,
		"consent_request_received": in.ConsentRequestReceived, "consent_hearing": in.ConsentHearing} {
		day(name, d, values)
	}
	if in.Provisional {
		values.Set("provisional", "yes")
	}
	if in.Consented {
		values.Set("consented", "yes")
	}
	return values
}

func day(name string, d deadline.Date, values url.Values) {
	if d.IsZero() {
		return
	}
	values.Set(name+"-day", strconv.Itoa(d.Day()))
	values.Set(name+"-month", strconv.Itoa(int(d.Month())))
	values.Set(name+"-year", strconv.Itoa(d.Year()))
}

// extraditionLimit says where a limit stands: red when expired or the step
// was late, amber when its last day is within seven days.
func extraditionLimit(l deadline.Limit, now time.Time) extraditionLimitView {
	v := extraditionLimitView{Title: l.Title, Rule: l.Rule, Working: l.Working}
	last := l.Due
	switch {
	case !l.DueAt.IsZero():
		v.Last = l.DueAt.In(london).Format("Monday 2 January 2006 at 15:04")
		last = deadline.DateOf(l.DueAt.Add(-time.Nanosecond).In(london))
	case !l.Due.IsZero():
		v.Last = l.Due.Time(time.UTC).Format("Monday 2 January 2006")
	case l.NoFixedEnd:
		v.Last = "As soon as practicable"
	default:
		v.Last = "Not started"
	}
	days := last.Sub(deadline.DateOf(now))
	switch l.Status(now) {
	case deadline.StatusMet:
		v.Status = "Met"
		if !l.DoneAt.IsZero() {
			v.Status += " on " + l.DoneAt.In(london).Format("2 January 2006 at 15:04")
		} else if !l.Done.IsZero() {
			v.Status += ": " + longDate(&l.Done)
		}
	case deadline.StatusLate:
		v.Status, v.Urgency = "Late: the step was taken after the limit", "overdue"
	case deadline.StatusExpired:
		v.Status, v.Urgency = fmt.Sprintf("Expired %d day%s ago", -days, plural(-days)), "overdue"
		if days == 0 {
			v.Status = "Expired"
		}
	case deadline.StatusExpiresToday:
		v.Status, v.Urgency = "Expires today", "soon"
	case deadline.StatusRunning:
		switch {
		case l.NoFixedEnd:
			v.Status = "Running: no fixed end"
		case days <= 7:
			v.Status, v.Urgency = fmt.Sprintf("Running: %d day%s left", days, plural(days)), "soon"
		default:
			v.Status = fmt.Sprintf("Running: %d days left", days)
		}
	default:
		v.Status = "Not started: its starting event is not recorded"
	}
	return v
}

// extraditionForm records a requested person's extradition dates.
func (s *Server) extraditionForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() // a bad body leaves the form empty, and the arrest is refused as missing
	caseID, d, ok := s.formDefendant(w, r)
	if !ok {
		return
	}
	form := "extradition-" + itoa(d.ID)
	var v fault.Validation
	in := deadline.ExtraditionInput{Provisional: r.PostForm.Get("provisional") == "yes", Consented: r.PostForm.Get("consented") == "yes"}
	in.Arrested = formMoment(&v, r.PostForm, "arrested", true)
	in.BroughtBefore = formMoment(&v, r.PostForm, "brought_before", false)
	for _, f := range []struct {
		name string
		into *deadline.Date
	}{
		{"hearing_fixed_for", &in.HearingFixedFor}, {"ordered", &in.Ordered}, {"appeal_notice", &in.AppealNotice},
		{"appeal_final", &in.AppealFinal}, {"agreed_removal", &in.AgreedRemoval}, {"removed", &in.Removed},
		{"consent_request_received", &in.ConsentRequestReceived}, {"consent_hearing", &in.ConsentHearing},
	} {
		*f.into, _ = formDay(&v, r.PostForm, f.name)
	}
	err := v.Err("The extradition dates could not be saved")
	if err == nil {
		err = s.db.SaveExtraditionDates(r.Context(), principalOf(r), caseID, d.ID, in)
	}
	// Each complaint links to the day of its date.
	err = fault.RenameFields(err, func(field string) string { return form + "-" + field + "-day" })
	s.afterCaseForm(w, r, caseID, form, err, "Extradition dates saved for "+d.Ref)
}

// formDay reads an optional date typed in the three boxes of a GOV.UK date
// input (name-day, name-month, name-year); ok is false when it was refused.
func formDay(v *fault.Validation, form url.Values, name string) (d deadline.Date, ok bool) {
	parts := []string{strings.TrimSpace(form.Get(name + "-day")), strings.TrimSpace(form.Get(name + "-month")), strings.TrimSpace(form.Get(name + "-year"))}
	if parts[0] == "" && parts[1] == "" && parts[2] == "" {
		return deadline.Date{}, true
	}
	n := make([]int, 3)
	for i, p := range parts {
		var err error
		if n[i], err = strconv.Atoi(p); err != nil {
			v.Add(name, "Enter a real date, with a day, month and year in numbers, for example 27 3 2018")
			return deadline.Date{}, false
		}
	}
	d = deadline.NewDate(n[2], time.Month(n[1]), n[0])
	if d.Day() != n[0] || int(d.Month()) != n[1] || n[2] < 1000 {
		v.Add(name, "Enter a real date, with a day, month and year in numbers, for example 27 3 2018")
		return deadline.Date{}, false
	}
	return d, true
}

// formMoment reads a date and a 24-hour time (name-time, "14:30") in
// England's time.
func formMoment(v *fault.Validation, form url.Values, name string, required bool) time.Time {
	d, ok := formDay(v, form, name)
	clock := strings.TrimSpace(form.Get(name + "-time"))
	switch {
	case !ok:
		return time.Time{}
	case d.IsZero() && clock == "":
		if required {
			v.Add(name, "Enter the date and time of arrest")
		}
		return time.Time{}
	case d.IsZero():
		v.Add(name, "Enter the date as well as the time")
		return time.Time{}
	}
	t, err := time.Parse("15:04", clock)
	if err != nil {
		v.Add(name, "Enter the time on the 24-hour clock, for example 14:30")
		return time.Time{}
	}
	return time.Date(d.Year(), d.Month(), d.Day(), t.Hour(), t.Minute(), 0, 0, london)
}

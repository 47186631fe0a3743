package server

import (
	"net/http"
	"net/url"
	"strings"

	"caseboard/internal/casework"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
)

// The case page's forms: add a defendant, record a defendant's outcome,
// add a charge with its custody dates. Each redirects back to the case on
// success and shows the case again with the form's errors otherwise.

func (s *Server) addDefendantForm(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := casework.Defendant{CaseID: caseID, Ref: r.PostFormValue("ref"), Name: strings.TrimSpace(r.PostFormValue("name")),
		CustodyStatus: r.PostFormValue("custody_status"), Country: strings.ToUpper(strings.TrimSpace(r.PostFormValue("country")))}
	err = s.db.SaveDefendant(r.Context(), principalOf(r), &d)
	s.afterCaseForm(w, r, caseID, "defendant", err, "Defendant "+d.Ref+" added")
}

func (s *Server) outcomeForm(w http.ResponseWriter, r *http.Request) {
	caseID, d, ok := s.formDefendant(w, r)
	if !ok {
		return
	}
	var v fault.Validation
	d.Outcome = casework.Outcome(r.PostFormValue("outcome"))
	d.Court = casework.Court(r.PostFormValue("court"))
	d.PrincipalOffence = casework.OffenceCategory(r.PostFormValue("principal_offence"))
	day := parseDay(&v, "finalised_on", r.PostFormValue("finalised_on"))
	d.FinalisedOn = &day
	err := v.Err("The outcome could not be recorded")
	if err == nil {
		err = s.db.SaveDefendant(r.Context(), principalOf(r), &d)
	}
	s.afterCaseForm(w, r, caseID, "outcome", err, "Outcome recorded for "+d.Ref)
}

func (s *Server) addChargeForm(w http.ResponseWriter, r *http.Request) {
	caseID, d, ok := s.formDefendant(w, r)
	if !ok {
		return
	}
	c := casework.Charge{DefendantID: d.ID, Description: r.PostFormValue("description"),
		PrincipalOffence: casework.OffenceCategory(r.PostFormValue("principal_offence"))}
	var v fault.Validation
	if r.PostFormValue("in_custody") == "yes" {
		c.Custody = &deadline.CTLInput{Class: deadline.OffenceClass(r.PostFormValue("offence_class"))}
		c.Custody.FirstAppearance = formDate(&v, r.PostForm, "first_appearance", true)
		c.Custody.ModeOfTrial = formDate(&v, r.PostForm, "mode_of_trial", false)
		c.Custody.Sent = formDate(&v, r.PostForm, "sent", false)
	}
	err := v.Err("The charge could not be added")
	if err == nil {
		err = s.db.SaveCharge(r.Context(), principalOf(r), caseID, &c)
	}
	s.afterCaseForm(w, r, caseID, "charge", err, "Charge added to "+d.Ref)
}

// formDate reads an optional or required YYYY-MM-DD field.
func formDate(v *fault.Validation, form url.Values, field string, required bool) deadline.Date {
	raw := strings.TrimSpace(form.Get(field))
	if raw == "" {
		if required {
			v.Add(field, "Enter the date")
		}
		return deadline.Date{}
	}
	d, err := deadline.ParseDate(raw)
	if err != nil {
		v.Add(field, "Enter the date as YYYY-MM-DD, for example 2018-06-30")
	}
	return d
}

func (s *Server) formDefendant(w http.ResponseWriter, r *http.Request) (int64, casework.Defendant, bool) {
	caseID, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return 0, casework.Defendant{}, false
	}
	defendantID, err := pathID(r, "defendant")
	if err != nil {
		s.fail(w, r, err)
		return 0, casework.Defendant{}, false
	}
	d, err := s.findDefendant(r, caseID, defendantID)
	if err != nil {
		s.fail(w, r, err)
		return 0, casework.Defendant{}, false
	}
	return caseID, d, true
}

// afterCaseForm sends the browser back to the case, or shows the case with
// the form's errors, keeping what was typed.
func (s *Server) afterCaseForm(w http.ResponseWriter, r *http.Request, caseID int64, form string, err error, done string) {
	if err == nil {
		http.Redirect(w, r, "/cases/"+itoa(caseID)+"?done="+url.QueryEscape(done), http.StatusSeeOther)
		return
	}
	fe := fault.As(err)
	if fe == nil || fe.Code == fault.Internal || fe.Code == fault.Unavailable || fe.Code == fault.NotFound {
		s.fail(w, r, err)
		return
	}
	s.showCase(w, r, caseID, statusFor(fe), fe, form)
}

// extensionForm records a court's extension of a charge's custody time
// limit; the limit is worked out again with it.
func (s *Server) extensionForm(w http.ResponseWriter, r *http.Request) {
	r.ParseForm() // a bad body leaves the form empty, and the fields are refused as missing
	caseID, d, ok := s.formDefendant(w, r)
	if !ok {
		return
	}
	c, err := s.findCharge(r, caseID, d.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	form := "extension-" + itoa(c.ID)
	var v fault.Validation
	ext := deadline.Extension{Reason: strings.TrimSpace(r.PostFormValue("reason")), Court: strings.TrimSpace(r.PostFormValue("court"))}
	ext.Until = formDate(&v, r.PostForm, "until", true)
	ext.Granted = formDate(&v, r.PostForm, "granted", true)
	if ext.Reason == "" {
		v.Add("reason", "Enter the good and sufficient cause the court found")
	}
	if c.Custody == nil {
		v.Add("until", "The defendant is not in custody on this charge: there is no limit to extend")
	}
	err = v.Err("The extension could not be recorded")
	if err == nil {
		c.Custody.Extensions = append(c.Custody.Extensions, ext)
		err = s.db.SaveCharge(r.Context(), principalOf(r), caseID, &c)
	}
	s.afterCaseForm(w, r, caseID, form, inForm(extensionFields(err), form), "Extension recorded for "+d.Ref)
}

// extensionFields names the limit's complaints about an extension
// ("extensions[2].granted") by the form's own fields ("granted").
func extensionFields(err error) error {
	return fault.RenameFields(err, func(field string) string {
		if _, after, ok := strings.Cut(field, "]."); ok && strings.HasPrefix(field, "extensions[") {
			return after
		}
		return field
	})
}

package server

import (
	"net/http"
	"strconv"

	"caseboard/internal/fault"
	"caseboard/internal/org"
	"caseboard/internal/store"
)

type accountData struct {
	Person   org.Person
	Tokens   []store.APIToken
	NewToken string
	Units    []org.Unit
	Form     tokenForm
}

type tokenForm struct {
	Name, Days, UnitID string
	ReadOnly           bool
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	s.renderAccount(w, r, http.StatusOK, "", tokenForm{Days: "30", ReadOnly: true}, nil)
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, newToken string, form tokenForm, formErr *fault.Error) {
	p := principalOf(r)
	person, err := s.db.Person(r.Context(), p.PersonID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	tokens, err := s.db.APITokens(r.Context(), p.PersonID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, err := s.db.Units(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var mine []org.Unit
	for _, u := range units {
		if p.MemberOf(u.ID) {
			mine = append(mine, u)
		}
	}
	page := s.newPage(r, "Your account", "")
	page.Errors = formErr
	if newToken != "" {
		page.Notice = "Your new API token is shown below. Copy it now: it will not be shown again."
	}
	page.Data = accountData{Person: person, Tokens: tokens, NewToken: newToken, Units: mine, Form: form}
	s.renderStatus(w, r, status, "account", page)
}

func (s *Server) createTokenForm(w http.ResponseWriter, r *http.Request) {
	form := tokenForm{Name: r.PostFormValue("name"), Days: r.PostFormValue("days"), UnitID: r.PostFormValue("unit_id"),
		ReadOnly: r.PostFormValue("read_only") == "yes"}
	in := tokenInput{Name: form.Name, ReadOnly: form.ReadOnly}
	days, err := strconv.Atoi(form.Days)
	if err != nil || days < 1 || days > 366 {
		s.renderAccount(w, r, http.StatusUnprocessableEntity, "", form, &fault.Error{Code: fault.Invalid, Message: "The token could not be made",
			Fields: []fault.FieldError{{Field: "days", Message: "Enter a number of days from 1 to 366"}}})
		return
	}
	in.ExpiresIn = strconv.Itoa(days*24) + "h"
	if form.UnitID != "" {
		id, err := strconv.ParseInt(form.UnitID, 10, 64)
		if err == nil {
			in.UnitID = &id
		}
	}
	token, _, err := s.makeToken(r, in)
	if err != nil {
		fe := fault.As(err)
		if fe == nil || fe.Code != fault.Invalid {
			s.fail(w, r, err)
			return
		}
		s.renderAccount(w, r, http.StatusUnprocessableEntity, "", form, fe)
		return
	}
	s.renderAccount(w, r, http.StatusCreated, token, tokenForm{Days: "30", ReadOnly: true}, nil)
}

func (s *Server) revokeTokenForm(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		err = s.db.RevokeAPIToken(r.Context(), principalOf(r).PersonID, id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account#tokens", http.StatusSeeOther)
}

func (s *Server) accountsPage(w http.ResponseWriter, r *http.Request) {
	accounts, err := s.db.Accounts(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "Accounts", "")
	p.Data = accounts
	s.render(w, r, "accounts", p)
}

package server

import (
	"net/http"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/org"
	"caseboard/internal/store"
)

// me is who the caller is.
type me struct {
	PersonID  int64         `json:"person_id"`
	Name      string        `json:"name"`
	Email     string        `json:"email"`
	Roles     []access.Role `json:"roles"`
	UnitIDs   []int64       `json:"unit_ids"`
	Clearance org.Clearance `json:"clearance"`
	PartnerID *int64        `json:"partner_id"`
	TokenID   *int64        `json:"token_id"`
	ReadOnly  bool          `json:"read_only"`
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	p := principalOf(r)
	out := me{PersonID: p.PersonID, Name: p.Name, Email: p.Email, Roles: nonNil(p.Roles), UnitIDs: p.Units,
		Clearance: p.Clearance, PartnerID: p.PartnerID}
	if p.Token != nil {
		out.TokenID, out.ReadOnly = &p.Token.ID, p.Token.ReadOnly
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiTokens(w http.ResponseWriter, r *http.Request) {
	tokens, err := s.db.APITokens(r.Context(), principalOf(r).PersonID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[store.APIToken]{Items: nonNil(tokens)})
}

// tokenInput asks for a new token.
type tokenInput struct {
	Name      string `json:"name"`
	ReadOnly  bool   `json:"read_only"`
	UnitID    *int64 `json:"unit_id"`
	ExpiresIn string `json:"expires_in"` // a Go duration, e.g. 720h; default 720h, at most a year
}

// newToken is a token as made: the only time its secret is shown.
type newToken struct {
	Token  string         `json:"token"`
	Detail store.APIToken `json:"detail"`
}

// maxTokenLife bounds how long a token may live, so forgotten tokens die.
const maxTokenLife = 366 * 24 * time.Hour

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request) {
	var in tokenInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	token, detail, err := s.makeToken(r, in)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, newToken{Token: token, Detail: detail})
}

// makeToken makes a token for the caller. A token can never do more than
// the principal making it: one made through a read-only token is read-only,
// and one made through a unit-scoped token keeps that unit.
func (s *Server) makeToken(r *http.Request, in tokenInput) (string, store.APIToken, error) {
	p := principalOf(r)
	life := 720 * time.Hour
	if in.ExpiresIn != "" {
		d, err := time.ParseDuration(in.ExpiresIn)
		if err != nil || d <= 0 || d > maxTokenLife {
			return "", store.APIToken{}, &fault.Error{Code: fault.Invalid, Message: "The token's lifetime is not allowed",
				Fields: []fault.FieldError{{Field: "expires_in", Message: "Enter a duration such as 720h, at most 8784h (a year)"}}}
		}
		life = d
	}
	if in.UnitID != nil && !p.MemberOf(*in.UnitID) {
		return "", store.APIToken{}, &fault.Error{Code: fault.Invalid, Message: "A token can be limited only to one of your own units",
			Fields: []fault.FieldError{{Field: "unit_id", Message: "Choose one of your units"}}}
	}
	if p.Token != nil {
		in.ReadOnly = in.ReadOnly || p.Token.ReadOnly
		if p.Token.UnitID != nil {
			in.UnitID = p.Token.UnitID
		}
	}
	token := access.NewAPIToken()
	t := store.APIToken{PersonID: p.PersonID, Name: in.Name, ReadOnly: in.ReadOnly, UnitID: in.UnitID, ExpiresAt: s.db.Now().Add(life)}
	err := s.db.CreateAPIToken(r.Context(), &t, access.HashSecret(token))
	return token, t, err
}

func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err == nil {
		err = s.db.RevokeAPIToken(r.Context(), principalOf(r).PersonID, id)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

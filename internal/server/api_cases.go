package server

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
	"caseboard/internal/store"
)

// caseDetail is a case with its defendants and their charges.
type caseDetail struct {
	Case       casework.Case          `json:"case"`
	Defendants []casework.Defendant   `json:"defendants"`
	Charges    []casework.Charge      `json:"charges"`
	Hearings   []casework.Hearing     `json:"hearings"`
	Directions []casework.Direction   `json:"directions"`
	Documents  []casework.KeyDocument `json:"documents"`
	Reviews    []casework.CaseReview  `json:"reviews"`
}

// caseFilter reads the caseload's filters, shared by the page and the API.
func caseFilter(r *http.Request) (store.CaseFilter, error) {
	q := r.URL.Query()
	limit, err := queryLimit(r)
	if err != nil {
		return store.CaseFilter{}, err
	}
	f := store.CaseFilter{Unit: q.Get("unit"), Location: q.Get("location"), Status: q.Get("status"),
		Kind: casework.Kind(q.Get("kind")), Sensitive: q.Get("sensitive") == "yes", Query: q.Get("q"), Cursor: q.Get("cursor"), Limit: limit,
		Sort: q.Get("sort"), Today: today()}
	if raw := q.Get("ctl_within"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 366 {
			return f, &fault.Error{Code: fault.Invalid, Message: "The custody time limit filter is not a number of days",
				Fields: []fault.FieldError{{Field: "ctl_within", Message: "Enter a number of days from 1 to 366"}}}
		}
		f.CTLWithin = n
	}
	switch lawyer := q.Get("lawyer"); lawyer {
	case "":
	case "me":
		f.LawyerID = &principalOf(r).PersonID
	default:
		id, err := strconv.ParseInt(lawyer, 10, 64)
		if err != nil {
			return f, &fault.Error{Code: fault.Invalid, Message: "The lawyer filter is not a person",
				Fields: []fault.FieldError{{Field: "lawyer", Message: "Choose a lawyer from the list, or me"}}}
		}
		f.LawyerID = &id
	}
	return f, nil
}

func (s *Server) apiCases(w http.ResponseWriter, r *http.Request) {
	f, err := caseFilter(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	page, err := s.db.Cases(r.Context(), principalOf(r), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	page.Cases = nonNil(page.Cases)
	writeAppended(w, http.StatusOK, func(b []byte) []byte { return appendCasesPage(b, page) })
}

func (s *Server) caseDetail(r *http.Request, id int64) (caseDetail, error) {
	c, err := s.db.Case(r.Context(), principalOf(r), id)
	if err != nil {
		return caseDetail{}, err
	}
	ds, err := s.db.Defendants(r.Context(), id)
	if err != nil {
		return caseDetail{}, err
	}
	d := caseDetail{Case: c, Defendants: nonNil(ds)}
	if d.Charges, err = s.db.Charges(r.Context(), id); err != nil {
		return d, err
	}
	if d.Hearings, err = s.db.Hearings(r.Context(), id); err != nil {
		return d, err
	}
	if d.Directions, err = s.db.Directions(r.Context(), id); err != nil {
		return d, err
	}
	if d.Documents, err = s.db.KeyDocuments(r.Context(), id); err != nil {
		return d, err
	}
	d.Reviews, err = s.db.CaseReviews(r.Context(), id)
	d.Charges, d.Hearings, d.Directions, d.Reviews = nonNil(d.Charges), nonNil(d.Hearings), nonNil(d.Directions), nonNil(d.Reviews)
	return d, err
}

func (s *Server) apiCase(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	d, err := s.caseDetail(r, id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// caseInput is a case as a client sends one. In a PATCH, fields left out
// keep their value, and version must be the version the client read.
type caseInput struct {
	Reference           *string             `json:"reference"`
	Kind                *casework.Kind      `json:"kind"`
	Title               *string             `json:"title"`
	UnitID              *int64              `json:"unit_id"`
	LocationID          *int64              `json:"location_id"`
	Status              *casework.Status    `json:"status"`
	Sensitivity         *access.Sensitivity `json:"sensitivity"`
	LawyerID            *int64              `json:"lawyer_id"`
	ManagerID           *int64              `json:"manager_id"`
	OpenedOn            *string             `json:"opened_on"`
	Agency              *string             `json:"agency"`
	Counsel             *string             `json:"counsel"`
	Complexity          *string             `json:"complexity"`
	PreChargeDecision   *string             `json:"pre_charge_decision"`
	PreChargeDecidedOn  *string             `json:"pre_charge_decided_on"`
	Court               *casework.Court     `json:"court"`
	CourtCentre         *string             `json:"court_centre"`
	Direction           *string             `json:"direction"`
	Country             *string             `json:"country"`
	WarrantType         *string             `json:"warrant_type"`
	RequestingAuthority *string             `json:"requesting_authority"`
	RequestType         *string             `json:"request_type"`
	SensitiveReason     *string             `json:"sensitive_reason"`
	Version             *int64              `json:"version"`
}

func (in caseInput) applyTo(c *casework.Case) error {
	var v fault.Validation
	setIf(&c.Reference, in.Reference)
	setIf(&c.Kind, in.Kind)
	setIf(&c.Title, in.Title)
	setIf(&c.UnitID, in.UnitID)
	setIf(&c.LocationID, in.LocationID)
	setIf(&c.Status, in.Status)
	setIf(&c.Sensitivity, in.Sensitivity)
	setIf(&c.Agency, in.Agency)
	setIf(&c.Counsel, in.Counsel)
	setIf(&c.Complexity, in.Complexity)
	setIf(&c.PreChargeDecision, in.PreChargeDecision)
	setIf(&c.Court, in.Court)
	setIf(&c.CourtCentre, in.CourtCentre)
	setIf(&c.Direction, in.Direction)
	setIf(&c.Country, in.Country)
	setIf(&c.WarrantType, in.WarrantType)
	setIf(&c.RequestingAuthority, in.RequestingAuthority)
	setIf(&c.RequestType, in.RequestType)
	setIf(&c.SensitiveReason, in.SensitiveReason)
	setIf(&c.Version, in.Version)
	if in.LawyerID != nil {
		c.LawyerID = in.LawyerID
	}
	if in.ManagerID != nil {
		c.ManagerID = in.ManagerID
	}
	if in.OpenedOn != nil {
		c.OpenedOn = parseDay(&v, "opened_on", *in.OpenedOn)
	}
	if in.PreChargeDecidedOn != nil {
		d := parseDay(&v, "pre_charge_decided_on", *in.PreChargeDecidedOn)
		c.PreChargeDecidedOn = &d
	}
	return v.Err("A date is not in the form YYYY-MM-DD")
}

func parseDay(v *fault.Validation, field, s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		v.Add(field, "Enter the date as YYYY-MM-DD, for example 2018-06-30")
	}
	return d
}

func (s *Server) apiCreateCase(w http.ResponseWriter, r *http.Request) {
	var in caseInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	var c casework.Case
	if err := in.applyTo(&c); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.db.CreateCase(r.Context(), principalOf(r), &c); err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+itoa(c.ID))
	created, err := s.db.Case(r.Context(), principalOf(r), c.ID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, created)
}

func (s *Server) apiUpdateCase(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in caseInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if in.Version == nil {
		s.apiError(w, r, &fault.Error{Code: fault.Invalid, Message: "Send the version of the case you read, so a change made since is not lost",
			Fields: []fault.FieldError{{Field: "version", Message: "Enter the case's version"}}})
		return
	}
	c, err := s.db.Case(r.Context(), principalOf(r), id)
	if err == nil {
		err = in.applyTo(&c)
	}
	if err == nil {
		err = s.db.UpdateCase(r.Context(), principalOf(r), &c)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	updated, err := s.db.Case(r.Context(), principalOf(r), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, updated)
}

// defendantInput is a defendant as a client sends one.
type defendantInput struct {
	Ref              *string                   `json:"ref"`
	Name             *string                   `json:"name"`
	CustodyStatus    *string                   `json:"custody_status"`
	PrincipalOffence *casework.OffenceCategory `json:"principal_offence"`
	Court            *casework.Court           `json:"court"`
	Country          *string                   `json:"country"`
	Outcome          *casework.Outcome         `json:"outcome"`
	FinalisedOn      *string                   `json:"finalised_on"`
}

func (s *Server) apiSaveDefendant(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in defendantInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	d := casework.Defendant{CaseID: caseID}
	status := http.StatusCreated
	if r.PathValue("defendant") != "" {
		if d.ID, err = pathID(r, "defendant"); err != nil {
			s.apiError(w, r, err)
			return
		}
		status = http.StatusOK
		if d, err = s.findDefendant(r, caseID, d.ID); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	var v fault.Validation
	setIf(&d.Ref, in.Ref)
	setIf(&d.Name, in.Name)
	setIf(&d.CustodyStatus, in.CustodyStatus)
	setIf(&d.PrincipalOffence, in.PrincipalOffence)
	setIf(&d.Court, in.Court)
	setIf(&d.Country, in.Country)
	setIf(&d.Outcome, in.Outcome)
	if in.FinalisedOn != nil {
		day := parseDay(&v, "finalised_on", *in.FinalisedOn)
		d.FinalisedOn = &day
	}
	if err := v.Err("A date is not in the form YYYY-MM-DD"); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.db.SaveDefendant(r.Context(), principalOf(r), &d); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, status, d)
}

func (s *Server) findDefendant(r *http.Request, caseID, id int64) (casework.Defendant, error) {
	if _, err := s.db.Case(r.Context(), principalOf(r), caseID); err != nil {
		return casework.Defendant{}, err
	}
	ds, err := s.db.Defendants(r.Context(), caseID)
	if err != nil {
		return casework.Defendant{}, err
	}
	for _, d := range ds {
		if d.ID == id {
			return d, nil
		}
	}
	return casework.Defendant{}, fault.Errorf(fault.NotFound, "There is no defendant %d on case %d", id, caseID)
}

// london is where the law's days are counted.
var london = deadline.England

// today is the date in England, as midnight UTC.
func today() time.Time {
	y, m, d := time.Now().In(london).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// chargeInput is a charge as a client sends one.
type chargeInput struct {
	Description      *string                   `json:"description"`
	PrincipalOffence *casework.OffenceCategory `json:"principal_offence"`
	Custody          *deadline.CTLInput        `json:"custody"`
	NotInCustody     bool                      `json:"not_in_custody"` // clears the custody dates
}

func (s *Server) apiSaveCharge(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	defendantID, err := pathID(r, "defendant")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in chargeInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	c := casework.Charge{DefendantID: defendantID}
	status := http.StatusCreated
	if r.PathValue("charge") != "" {
		if c, err = s.findCharge(r, caseID, defendantID); err != nil {
			s.apiError(w, r, err)
			return
		}
		status = http.StatusOK
	}
	setIf(&c.Description, in.Description)
	setIf(&c.PrincipalOffence, in.PrincipalOffence)
	if in.Custody != nil {
		c.Custody = in.Custody
	}
	if in.NotInCustody {
		c.Custody = nil
	}
	if err := s.db.SaveCharge(r.Context(), principalOf(r), caseID, &c); err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, status, c)
}

func (s *Server) findCharge(r *http.Request, caseID, defendantID int64) (casework.Charge, error) {
	id, err := pathID(r, "charge")
	if err != nil {
		return casework.Charge{}, err
	}
	if _, err := s.db.Case(r.Context(), principalOf(r), caseID); err != nil {
		return casework.Charge{}, err
	}
	charges, err := s.db.Charges(r.Context(), caseID)
	if err != nil {
		return casework.Charge{}, err
	}
	for _, c := range charges {
		if c.ID == id && c.DefendantID == defendantID {
			return c, nil
		}
	}
	return casework.Charge{}, fault.Errorf(fault.NotFound, "There is no charge %d of defendant %d", id, defendantID)
}

// apiReportOutcomes computes the outcome measures of the cases the caller
// may see: conviction and guilty plea rates by court for organised crime,
// counts for extradition.
// reportPeriod reads a report's from and to dates (either may be absent),
// refusing a period that ends before it starts.
func reportPeriod(v *fault.Validation, q url.Values) (from, to time.Time) {
	if raw := q.Get("from"); raw != "" {
		from = parseDay(v, "from", raw)
	}
	if raw := q.Get("to"); raw != "" {
		to = parseDay(v, "to", raw)
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		v.Add("to", "The end of the period must not come before its start")
	}
	return from, to
}

func (s *Server) apiReportOutcomes(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var v fault.Validation
	f := store.OutcomeFilter{Unit: q.Get("unit"), Court: casework.Court(q.Get("court"))}
	if f.Unit == "" {
		f.Unit = "organised_crime"
	}
	kind, ok := casework.KindOfUnit(f.Unit)
	if !ok {
		v.Add("unit", "Choose organised_crime or extradition, the units with defendant outcomes")
	}
	if f.Court != "" && (!f.Court.Valid() || kind != casework.Prosecution) {
		v.Add("court", "Choose MC or CC, for organised crime only")
	}
	f.From, f.To = reportPeriod(&v, q)
	if err := v.Err("The report's period or filters are not right"); err != nil {
		s.apiError(w, r, err)
		return
	}
	counts, err := s.db.CountOutcomes(r.Context(), principalOf(r), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, measure.Outcomes(kind, counts, f.Court == ""))
}

// apiSaveExtraditionDates records the whole set of a requested person's
// extradition dates and answers with the person and their limits.
func (s *Server) apiSaveExtraditionDates(w http.ResponseWriter, r *http.Request) {
	caseID, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	defendantID, err := pathID(r, "defendant")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in deadline.ExtraditionInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.db.SaveExtraditionDates(r.Context(), principalOf(r), caseID, defendantID, in); err != nil {
		s.apiError(w, r, err)
		return
	}
	d, err := s.findDefendant(r, caseID, defendantID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

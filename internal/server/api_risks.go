package server

import (
	"net/http"
	"time"

	"caseboard/internal/fault"
	"caseboard/internal/plan"
	"caseboard/internal/risk"
	"caseboard/internal/store"
)

func (s *Server) apiRisks(w http.ResponseWriter, r *http.Request) {
	f, err := riskFilter(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	page, err := s.db.Risks(r.Context(), principalOf(r), f)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, page)
}

func (s *Server) apiRisk(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	d, err := s.riskDetail(r, id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// riskInput is a risk as a client sends one. In a PATCH, fields left out
// keep their value, and version must be the version the client read.
type riskInput struct {
	Reference   *string         `json:"reference"`
	Title       *string         `json:"title"`
	Cause       *string         `json:"cause"`
	Event       *string         `json:"event"`
	Consequence *string         `json:"consequence"`
	Category    *risk.Category  `json:"category"`
	UnitID      *int64          `json:"unit_id"`
	LocationID  *int64          `json:"location_id"`
	OwnerID     *int64          `json:"owner_id"`
	Themes      *[]string       `json:"themes"`
	Inherent    *risk.Rating    `json:"inherent"`
	Current     *risk.Rating    `json:"current"`
	Target      *risk.Rating    `json:"target"`
	TargetDate  *string         `json:"target_date"`
	Proximity   *risk.Proximity `json:"proximity"`
	Treatment   *risk.Treatment `json:"treatment"`
	Status      *risk.Status    `json:"status"`
	// ReviewMonths is 1, 3, 6 or 12.
	ReviewMonths *int     `json:"review_months"`
	NextReview   *string  `json:"next_review"`
	ParentID     *int64   `json:"parent_id"`
	Related      *[]int64 `json:"related"`
	CaseIDs      *[]int64 `json:"case_ids"`
	// FindingIDs are the inspection findings (recommendations) the risk
	// answers to; the list replaces the links it had.
	FindingIDs *[]int64 `json:"finding_ids"`
	Project    *string  `json:"project"`
	Version    *int64   `json:"version"`
	// CloseMeasures confirms that closing the risk closes its open
	// counter-measures with it.
	CloseMeasures *bool `json:"close_measures"`
	// Note is kept with the score history when the scores change.
	Note *string `json:"note"`
}

func (in riskInput) applyTo(rk *risk.Risk) error {
	var v fault.Validation
	setIf(&rk.Reference, in.Reference)
	setIf(&rk.Title, in.Title)
	setIf(&rk.Cause, in.Cause)
	setIf(&rk.Event, in.Event)
	setIf(&rk.Consequence, in.Consequence)
	setIf(&rk.Category, in.Category)
	setIf(&rk.UnitID, in.UnitID)
	setIf(&rk.OwnerID, in.OwnerID)
	setIf(&rk.Themes, in.Themes)
	setIf(&rk.Inherent, in.Inherent)
	setIf(&rk.Current, in.Current)
	setIf(&rk.Target, in.Target)
	setIf(&rk.Proximity, in.Proximity)
	setIf(&rk.Treatment, in.Treatment)
	setIf(&rk.Status, in.Status)
	setIf(&rk.ReviewMonths, in.ReviewMonths)
	setIf(&rk.Related, in.Related)
	setIf(&rk.CaseIDs, in.CaseIDs)
	setIf(&rk.FindingIDs, in.FindingIDs)
	setIf(&rk.Project, in.Project)
	setIf(&rk.Version, in.Version)
	if in.LocationID != nil {
		rk.LocationID = nilIfZero(*in.LocationID)
	}
	if in.ParentID != nil {
		rk.ParentID = nilIfZero(*in.ParentID)
	}
	if in.NextReview != nil {
		rk.NextReview = parseDay(&v, "next_review", *in.NextReview)
	}
	if in.TargetDate != nil {
		if *in.TargetDate == "" {
			rk.TargetDate = nil
		} else {
			d := parseDay(&v, "target_date", *in.TargetDate)
			rk.TargetDate = &d
		}
	}
	return v.Err("A date is not in the form YYYY-MM-DD")
}

// nilIfZero lets a client clear a link by sending 0.
func nilIfZero(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func (s *Server) apiCreateRisk(w http.ResponseWriter, r *http.Request) {
	var in riskInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	var rk risk.Risk
	err := in.applyTo(&rk)
	if err == nil {
		err = s.db.CreateRisk(r.Context(), principalOf(r), &rk)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	created, err := s.db.Risk(r.Context(), principalOf(r), rk.ID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/risks/"+itoa(rk.ID))
	writeJSON(w, http.StatusCreated, created)
}

func (s *Server) apiUpdateRisk(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in riskInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if in.Version == nil {
		s.apiError(w, r, &fault.Error{Code: fault.Invalid, Message: "Send the version of the risk you read, so a change made since is not lost",
			Fields: []fault.FieldError{{Field: "version", Message: "Enter the risk's version"}}})
		return
	}
	rk, err := s.db.Risk(r.Context(), principalOf(r), id)
	if err == nil {
		err = in.applyTo(&rk)
	}
	if err == nil {
		opt := store.RiskUpdate{}
		setIf(&opt.CloseMeasures, in.CloseMeasures)
		setIf(&opt.Note, in.Note)
		err = s.db.UpdateRisk(r.Context(), principalOf(r), &rk, opt)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	updated, err := s.db.Risk(r.Context(), principalOf(r), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, updated)
}

// measureInput is a counter-measure as a client sends one.
type measureInput struct {
	Description *string             `json:"description"`
	OwnerID     *int64              `json:"owner_id"`
	Due         *string             `json:"due"`
	Status      *risk.MeasureStatus `json:"status"`
	Expected    *risk.Rating        `json:"expected"`
}

func (s *Server) apiSaveMeasure(w http.ResponseWriter, r *http.Request) {
	riskID, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in measureInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	m := risk.CounterMeasure{RiskID: riskID}
	status := http.StatusCreated
	if r.PathValue("measure") != "" {
		status = http.StatusOK
		id, err := pathID(r, "measure")
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		if _, err := s.db.Risk(r.Context(), principalOf(r), riskID); err != nil {
			s.apiError(w, r, err)
			return
		}
		measures, err := s.db.CounterMeasures(r.Context(), riskID)
		if err != nil {
			s.apiError(w, r, err)
			return
		}
		found := false
		for _, x := range measures {
			if x.ID == id {
				m, found = x, true
			}
		}
		if !found {
			s.apiError(w, r, fault.Errorf(fault.NotFound, "There is no counter-measure %d on risk %d", id, riskID))
			return
		}
	}
	var v fault.Validation
	setIf(&m.Description, in.Description)
	setIf(&m.OwnerID, in.OwnerID)
	setIf(&m.Status, in.Status)
	setIf(&m.Expected, in.Expected)
	if in.Due != nil {
		m.Due = parseDay(&v, "due", *in.Due)
	}
	err = v.Err("A date is not in the form YYYY-MM-DD")
	if err == nil {
		err = s.db.SaveCounterMeasure(r.Context(), principalOf(r), &m)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, status, m)
}

// reviewInput is a review as a client sends one.
type reviewInput struct {
	Justification string      `json:"justification"`
	Current       risk.Rating `json:"current"`
	NextReview    string      `json:"next_review"`
	// Version is the version of the risk the reviewer read.
	Version int64 `json:"version"`
}

func (s *Server) apiAddReview(w http.ResponseWriter, r *http.Request) {
	riskID, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in reviewInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	var v fault.Validation
	rv := risk.Review{RiskID: riskID, Justification: in.Justification, Current: in.Current}
	if in.NextReview != "" {
		rv.NextReview = parseDay(&v, "next_review", in.NextReview)
	}
	err = v.Err("A date is not in the form YYYY-MM-DD")
	if err == nil {
		err = s.db.AddReview(r.Context(), principalOf(r), &rv, in.Version)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, rv)
}

// acceptanceInput proposes accepting a risk until an expiry date.
type acceptanceInput struct {
	Justification string `json:"justification"`
	ApproverID    int64  `json:"approver_id"`
	Expires       string `json:"expires"`
}

func (s *Server) apiProposeAcceptance(w http.ResponseWriter, r *http.Request) {
	riskID, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	var in acceptanceInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	var v fault.Validation
	a := risk.Acceptance{RiskID: riskID, Justification: in.Justification, ApproverID: in.ApproverID}
	if in.Expires != "" {
		d := parseDay(&v, "expires", in.Expires)
		a.Expires = &d
	}
	err = v.Err("A date is not in the form YYYY-MM-DD")
	if err == nil {
		err = s.db.ProposeAcceptance(r.Context(), principalOf(r), &a)
	}
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

// decisionInput approves or rejects a proposed acceptance.
type decisionInput struct {
	Decision string `json:"decision"` // approve or reject
	Note     string `json:"note"`
}

func (s *Server) apiDecideAcceptance(w http.ResponseWriter, r *http.Request) {
	s.acceptanceAction(w, r, func(riskID, id int64) error {
		var in decisionInput
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		if in.Decision != "approve" && in.Decision != "reject" {
			return &fault.Error{Code: fault.Invalid, Message: "Choose a decision",
				Fields: []fault.FieldError{{Field: "decision", Message: "Send approve or reject"}}}
		}
		return s.db.DecideAcceptance(r.Context(), principalOf(r), riskID, id, in.Decision == "approve", in.Note)
	})
}

// revokeInput says why an acceptance is revoked.
type revokeInput struct {
	Note string `json:"note"`
}

func (s *Server) apiRevokeAcceptance(w http.ResponseWriter, r *http.Request) {
	s.acceptanceAction(w, r, func(riskID, id int64) error {
		var in revokeInput
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		return s.db.RevokeAcceptance(r.Context(), principalOf(r), riskID, id, in.Note)
	})
}

func (s *Server) acceptanceAction(w http.ResponseWriter, r *http.Request, act func(riskID, id int64) error) {
	riskID, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	id, err := pathID(r, "acceptance")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := act(riskID, id); err != nil {
		s.apiError(w, r, err)
		return
	}
	list, err := s.db.Acceptances(r.Context(), riskID)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	for _, a := range list {
		if a.ID == id {
			writeJSON(w, http.StatusOK, a)
			return
		}
	}
	s.apiError(w, r, fault.Errorf(fault.NotFound, "There is no acceptance %d of risk %d", id, riskID))
}

func (s *Server) apiRiskHeatMap(w http.ResponseWriter, r *http.Request) {
	f, err := riskFilter(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	hm, err := s.db.RiskHeatMap(r.Context(), principalOf(r), f, r.URL.Query().Get("rating"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, hm)
}

func (s *Server) apiRiskTree(w http.ResponseWriter, r *http.Request) {
	items, err := s.db.RiskTree(r.Context(), principalOf(r), r.URL.Query().Get("unit"))
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[store.TreeRisk]{Items: items})
}

func (s *Server) apiRiskTrends(w http.ResponseWriter, r *http.Request) {
	to := today()
	from := to.AddDate(-3, 0, 0)
	if raw := r.URL.Query().Get("from"); raw != "" {
		var v fault.Validation
		from = parseDay(&v, "from", raw)
		if err := v.Err("The start of the trend is not a date"); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	if raw := r.URL.Query().Get("to"); raw != "" {
		var v fault.Validation
		to = parseDay(&v, "to", raw)
		if err := v.Err("The end of the trend is not a date"); err != nil {
			s.apiError(w, r, err)
			return
		}
	}
	if to.Sub(from) > 10*366*24*time.Hour || to.Before(from) {
		s.apiError(w, r, &fault.Error{Code: fault.Invalid, Message: "The trend covers at most ten years, from before to",
			Fields: []fault.FieldError{{Field: "from", Message: "Choose a start within ten years before the end"}}})
		return
	}
	tr, err := s.db.RiskTrends(r.Context(), principalOf(r), from, to)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, tr)
}

// riskSettings is the appetite per category and the scale in force.
type riskSettings struct {
	Appetite []risk.Appetite `json:"appetite"`
	Scale    risk.Scale      `json:"scale"`
}

func (s *Server) apiRiskSettings(w http.ResponseWriter, r *http.Request) {
	scale, apps, err := s.riskConfig(r)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, riskSettings{Appetite: apps, Scale: scale})
}

// appetiteInput sets the appetite of some categories.
type appetiteInput struct {
	Appetite []risk.Appetite `json:"appetite"`
}

func (s *Server) apiSetAppetite(w http.ResponseWriter, r *http.Request) {
	var in appetiteInput
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.db.SetRiskAppetite(r.Context(), principalOf(r), in.Appetite); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiRiskSettings(w, r)
}

func (s *Server) apiSetScale(w http.ResponseWriter, r *http.Request) {
	var in risk.Scale
	if err := decodeJSON(r, &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.db.SetRiskScale(r.Context(), principalOf(r), &in); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiRiskSettings(w, r)
}

// apiRiskFindings lists the recommendations a risk is linked to.
func (s *Server) apiRiskFindings(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	findings, err := s.db.RiskFindings(r.Context(), principalOf(r), id)
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, list[plan.Finding]{Items: findings})
}

func (s *Server) apiLinkRiskFinding(w http.ResponseWriter, r *http.Request) {
	s.apiSetRiskFinding(w, r, true)
}

func (s *Server) apiUnlinkRiskFinding(w http.ResponseWriter, r *http.Request) {
	s.apiSetRiskFinding(w, r, false)
}

// apiSetRiskFinding links or unlinks one recommendation without the
// risk's version: the change is to that one link, so it cannot undo
// another's edit; it answers with the links as they now are.
func (s *Server) apiSetRiskFinding(w http.ResponseWriter, r *http.Request, linked bool) {
	id, err := pathID(r, "id")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	finding, err := pathID(r, "finding")
	if err != nil {
		s.apiError(w, r, err)
		return
	}
	if err := s.db.SetRiskFinding(r.Context(), principalOf(r), id, finding, linked); err != nil {
		s.apiError(w, r, err)
		return
	}
	s.apiRiskFindings(w, r)
}

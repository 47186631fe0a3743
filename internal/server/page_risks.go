package server

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/fault"
	"caseboard/internal/org"
	"caseboard/internal/plan"
	"caseboard/internal/risk"
	"caseboard/internal/store"
)

// riskFilter reads the register's filters, shared by the pages and the API.
func riskFilter(r *http.Request) (store.RiskFilter, error) {
	q := r.URL.Query()
	limit, err := queryLimit(r)
	if err != nil {
		return store.RiskFilter{}, err
	}
	f := store.RiskFilter{Unit: q.Get("unit"), Location: q.Get("location"), Category: risk.Category(q.Get("category")),
		Theme: q.Get("theme"), Band: q.Get("band"), Status: q.Get("status"), OverdueReview: q.Get("overdue") == "yes",
		Escalated: q.Get("escalated") == "yes", Query: q.Get("q"), Cursor: q.Get("cursor"), Limit: limit, Today: today()}
	var v fault.Validation
	if f.Category != "" && !f.Category.Valid() {
		v.Add("category", "Choose strategic, operational, casework or project")
	}
	switch owner := q.Get("owner"); owner {
	case "":
	case "me":
		f.OwnerID = &principalOf(r).PersonID
	default:
		id, err := strconv.ParseInt(owner, 10, 64)
		if err != nil {
			v.Add("owner", "Choose an owner from the list, or me")
		}
		f.OwnerID = &id
	}
	for field, dst := range map[string]*int{"likelihood": &f.Likelihood, "impact": &f.Impact} {
		if raw := q.Get(field); raw != "" {
			n, err := strconv.Atoi(raw)
			if err != nil || n < 1 || n > 5 {
				v.Add(field, "Enter a whole number from 1 to 5")
			}
			*dst = n
		}
	}
	if raw := q.Get("as_at"); raw != "" {
		d, err := time.Parse("2006-01-02", raw)
		if err != nil {
			v.Add("as_at", "Enter the date as YYYY-MM-DD, for example 2018-03-31")
		} else if d.After(today()) {
			v.Add("as_at", "The date must be today or earlier")
		} else {
			f.AsAt = &d
		}
	}
	return f, v.Err("The register cannot be filtered that way")
}

// riskRow is a risk as the register shows it: its band and the flags that
// need more than colour to be seen.
type riskRow struct {
	risk.Risk
	Band          risk.Band
	AboveAppetite bool
	ReviewOverdue bool
}

func riskRows(rs []risk.Risk, scale risk.Scale, apps []risk.Appetite, asAt bool) []riskRow {
	out := make([]riskRow, 0, len(rs))
	for _, r := range rs {
		out = append(out, riskRow{Risk: r, Band: scale.Band(r.Current.Score()), AboveAppetite: risk.AboveAppetite(r, apps),
			ReviewOverdue: !asAt && r.ReviewOverdue(today())})
	}
	return out
}

type registerData struct {
	Risks       []riskRow
	Filter      store.RiskFilter
	Query       url.Values
	Units       []org.Unit
	Locations   []org.Location
	Themes      []string
	Scale       risk.Scale
	Categories  []risk.Category
	Active      []activeFilter
	AsAt        string
	FirstPage   string
	NextPage    string
	CanWrite    bool
	HeatMapLink string
	// PrintQuery is the filters without the page, for the PDF and
	// spreadsheet downloads of the whole filtered register.
	PrintQuery string
}

func (s *Server) riskRegisterPage(w http.ResponseWriter, r *http.Request) {
	f, err := riskFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := principalOf(r)
	page, err := s.db.Risks(r.Context(), p, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	scale, apps, err := s.riskConfig(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, locations, err := s.unitsAndLocations(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	themes, err := s.db.RiskThemes(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	d := registerData{Risks: riskRows(page.Risks, scale, apps, f.AsAt != nil), Filter: f, Query: q, Units: units, Locations: locations,
		Themes: themes, Scale: scale, Categories: risk.Categories, Active: riskActiveFilters(q, units, locations),
		CanWrite: access.Allows(p, access.WriteRisks), HeatMapLink: "/risks/heatmap" + withQuery(q, "cursor", ""), PrintQuery: withQuery(q, "cursor", "")}
	if f.AsAt != nil {
		d.AsAt = f.AsAt.Format("2 January 2006")
	}
	if f.Cursor != "" {
		d.FirstPage = withQuery(q, "cursor", "")
	}
	if page.Next != "" {
		next := cloneValues(q)
		next.Set("cursor", page.Next)
		d.NextPage = "?" + next.Encode()
	}
	pg := s.newPage(r, "Risk register", "/risks")
	pg.Data = d
	s.render(w, r, "risks", pg)
}

func riskActiveFilters(q url.Values, units []org.Unit, locations []org.Location) []activeFilter {
	out := activeFilters(url.Values{"unit": q["unit"], "location": q["location"]}, units, locations)
	for i := range out {
		out[i].RemoveHref = withQuery(q, []string{"unit", "location"}[map[string]int{"Unit": 0, "Location": 1}[out[i].Label]], "")
	}
	add := func(key, label, value string) {
		if value != "" {
			out = append(out, activeFilter{Label: label, Value: value, RemoveHref: withQuery(q, key, "")})
		}
	}
	if c := risk.Category(q.Get("category")); c.Valid() {
		add("category", "Category", c.Label())
	}
	add("theme", "Theme", q.Get("theme"))
	add("band", "Score band", q.Get("band"))
	if q.Get("owner") == "me" {
		add("owner", "Owner", "Me")
	} else {
		add("owner", "Owner", q.Get("owner"))
	}
	if q.Get("overdue") == "yes" {
		add("overdue", "Review", "Overdue")
	}
	if q.Get("escalated") == "yes" {
		add("escalated", "Escalated", "Yes")
	}
	if q.Get("likelihood") != "" || q.Get("impact") != "" {
		next := cloneValues(q)
		next.Del("likelihood")
		next.Del("impact")
		out = append(out, activeFilter{Label: "Heat map cell", Value: "Likelihood " + q.Get("likelihood") + ", impact " + q.Get("impact"), RemoveHref: withQuery(next, "cursor", "")})
	}
	add("status", "Status", q.Get("status"))
	add("as_at", "As at", q.Get("as_at"))
	add("q", "Reference or title", q.Get("q"))
	return out
}

func (s *Server) riskConfig(r *http.Request) (risk.Scale, []risk.Appetite, error) {
	scale, err := s.db.RiskScale(r.Context())
	if err != nil {
		return scale, nil, err
	}
	apps, err := s.db.RiskAppetites(r.Context())
	return scale, apps, err
}

// riskDetail is a risk with everything the detail page and the API show.
type riskDetail struct {
	Risk            risk.Risk             `json:"risk"`
	CounterMeasures []risk.CounterMeasure `json:"counter_measures"`
	Reviews         []risk.Review         `json:"reviews"`
	Acceptances     []risk.Acceptance     `json:"acceptances"`
	History         []risk.ScorePoint     `json:"history"`
	Children        []risk.Risk           `json:"children"`
}

func (s *Server) riskDetail(r *http.Request, id int64) (riskDetail, error) {
	p := principalOf(r)
	rk, err := s.db.Risk(r.Context(), p, id)
	if err != nil {
		return riskDetail{}, err
	}
	d := riskDetail{Risk: rk}
	if d.CounterMeasures, err = s.db.CounterMeasures(r.Context(), id); err != nil {
		return d, err
	}
	if d.Reviews, err = s.db.Reviews(r.Context(), id); err != nil {
		return d, err
	}
	if d.Acceptances, err = s.db.Acceptances(r.Context(), id); err != nil {
		return d, err
	}
	if d.History, err = s.db.RiskHistory(r.Context(), id); err != nil {
		return d, err
	}
	children, err := s.db.Risks(r.Context(), p, store.RiskFilter{ParentID: &id, Status: "all", Limit: 500})
	d.Children = children.Risks
	return d, err
}

type riskPageData struct {
	riskDetail
	Scale         risk.Scale
	Band          risk.Band
	InherentBand  risk.Band
	TargetBand    risk.Band
	Appetite      risk.Appetite
	AboveAppetite bool
	ReviewOverdue bool
	Parent        *risk.Risk
	Related       []risk.Risk
	Cases         []casework.Case
	Findings      []plan.Finding // the inspection findings it is linked to
	Measures      []measureRow
	Children      []riskRow
	Approvers     []org.Person
	People        []org.Person
	CanWrite      bool
	Pending       *risk.Acceptance // awaiting the viewer's decision
	Active        *risk.Acceptance // pending or approved, revocable
	Form          url.Values
	OpenForm      string
	MeasureStatus []risk.MeasureStatus
	Intervals     []int
}

type measureRow struct {
	risk.CounterMeasure
	Overdue bool
}

func (s *Server) riskPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.showRisk(w, r, id, http.StatusOK, nil, "")
}

// showRisk renders a risk's page, with a form's errors when one was
// refused (openForm names it, so it is shown open with what was typed).
func (s *Server) showRisk(w http.ResponseWriter, r *http.Request, id int64, status int, formErr *fault.Error, openForm string) {
	ctx := r.Context()
	p := principalOf(r)
	d, err := s.riskDetail(r, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	scale, apps, err := s.riskConfig(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rk := d.Risk
	data := riskPageData{riskDetail: d, Scale: scale, Band: scale.Band(rk.Current.Score()), InherentBand: scale.Band(rk.Inherent.Score()),
		TargetBand: scale.Band(rk.Target.Score()), AboveAppetite: risk.AboveAppetite(rk, apps), ReviewOverdue: rk.ReviewOverdue(today()),
		CanWrite: access.CanWriteRisk(p, access.RiskRecord{UnitID: rk.UnitID, OwnerID: rk.OwnerID}), OpenForm: openForm,
		MeasureStatus: risk.MeasureStatuses, Intervals: risk.ReviewIntervals, Children: riskRows(d.Children, scale, apps, false)}
	for _, a := range apps {
		if a.Category == rk.Category {
			data.Appetite = a
		}
	}
	if rk.ParentID != nil {
		if parent, err := s.db.Risk(ctx, p, *rk.ParentID); err == nil {
			data.Parent = &parent
		}
	}
	for _, rid := range rk.Related {
		if rel, err := s.db.Risk(ctx, p, rid); err == nil {
			data.Related = append(data.Related, rel)
		}
	}
	for _, cid := range rk.CaseIDs {
		// A case the viewer may not see is left out, not named.
		if c, err := s.db.Case(ctx, p, cid); err == nil {
			data.Cases = append(data.Cases, c)
		}
	}
	if data.Findings, err = s.db.RiskFindings(ctx, p, rk.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, m := range d.CounterMeasures {
		data.Measures = append(data.Measures, measureRow{CounterMeasure: m, Overdue: m.Overdue(today())})
	}
	for i, a := range d.Acceptances {
		if a.Status == risk.Proposed && a.ApproverID == p.PersonID && access.CanDecideAcceptance(p, rk.OwnerID, a.ApproverID) {
			data.Pending = &d.Acceptances[i]
		}
		if (a.Status == risk.Proposed || a.Status == risk.Approved) && data.Active == nil {
			data.Active = &d.Acceptances[i]
		}
	}
	if data.CanWrite {
		if data.People, err = s.activePeople(r); err != nil {
			s.fail(w, r, err)
			return
		}
		if data.Approvers, err = s.db.LineManagersOf(ctx, rk.OwnerID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	form := r.PostForm
	if form == nil {
		form = url.Values{}
	}
	data.Form = form
	pg := s.newPage(r, rk.Reference+": "+rk.Title, "/risks")
	pg.Breadcrumbs = []link{{"Risk register", "/risks"}}
	pg.Errors = formErr
	pg.Notice = r.URL.Query().Get("done")
	pg.Data = data
	s.renderStatus(w, r, status, "risk", pg)
}

// activePeople lists the staff who may own a risk or an action.
func (s *Server) activePeople(r *http.Request) ([]org.Person, error) {
	var out []org.Person
	f := store.PeopleFilter{Limit: 500}
	for {
		page, err := s.db.People(r.Context(), f)
		if err != nil {
			return nil, err
		}
		for _, p := range page.People {
			if p.Active {
				out = append(out, p)
			}
		}
		if page.Next == "" || len(out) > 5000 {
			return out, nil
		}
		f.Cursor = page.Next
	}
}

// heatCell is one cell of the heat map as drawn.
type heatCell struct {
	Likelihood, Impact int
	Count              int
	Band               risk.Band
	X, Y               int
	Href               string
	Label              string
}

type heatMapData struct {
	Map       store.HeatMap
	Rows      [][]heatCell // likelihood 5 first, as drawn
	Impacts   []risk.Level
	Filter    store.RiskFilter
	Query     url.Values
	Units     []org.Unit
	Rating    string
	Bands     []risk.Band
	AxisTicks []axisTick
	// PrintQuery is the filters and rating, for the PDF download.
	PrintQuery string
}

type axisTick struct {
	Pos   int
	Value int
	Label string
}

// The heat map's geometry, in SVG user units.
const (
	heatCellSize = 96
	heatLeft     = 130
	heatTop      = 10
)

func (s *Server) riskHeatMapPage(w http.ResponseWriter, r *http.Request) {
	f, err := riskFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rating := r.URL.Query().Get("rating")
	hm, err := s.db.RiskHeatMap(r.Context(), principalOf(r), f, rating)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, err := s.db.Units(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	d := heatMapData{Map: hm, Impacts: hm.Scale.Impact, Filter: f, Query: q, Units: units, Rating: hm.Rating, Bands: hm.Scale.Bands,
		PrintQuery: withQuery(q, "cursor", "")}
	for l := 5; l >= 1; l-- {
		var row []heatCell
		for i := 1; i <= 5; i++ {
			link := cloneValues(q)
			link.Del("rating")
			link.Set("likelihood", strconv.Itoa(l))
			link.Set("impact", strconv.Itoa(i))
			n := hm.Cells[l-1][i-1]
			row = append(row, heatCell{Likelihood: l, Impact: i, Count: n, Band: hm.Scale.Band(l * i),
				X: heatLeft + (i-1)*heatCellSize, Y: heatTop + (5-l)*heatCellSize, Href: "/risks?" + link.Encode(),
				// The name starts with the cell's visible text (count, band),
				// as speech input users say what they see.
				Label: fmt.Sprintf("%d %s: risk%s with likelihood %d (%s) and impact %d (%s), score %d", n, hm.Scale.Band(l*i).Name, plural(n),
					l, hm.Scale.LikelihoodLabel(l), i, hm.Scale.ImpactLabel(i), l*i)})
		}
		d.Rows = append(d.Rows, row)
	}
	for v := 1; v <= 5; v++ {
		d.AxisTicks = append(d.AxisTicks, axisTick{Pos: heatLeft + (v-1)*heatCellSize + heatCellSize/2, Value: v, Label: hm.Scale.ImpactLabel(v)})
	}
	pg := s.newPage(r, "Risk heat map", "/risks")
	pg.Breadcrumbs = []link{{"Risk register", "/risks"}}
	pg.Data = d
	s.render(w, r, "risk-heatmap", pg)
}

// treeNode is a risk in the roll-up tree with the risks that feed it.
type treeNode struct {
	store.TreeRisk
	Band     risk.Band
	Children []*treeNode
}

func buildTree(items []store.TreeRisk, scale risk.Scale) []*treeNode {
	nodes := map[int64]*treeNode{}
	for _, t := range items {
		nodes[t.ID] = &treeNode{TreeRisk: t, Band: scale.Band(t.Score)}
	}
	var roots []*treeNode
	for _, t := range items {
		n := nodes[t.ID]
		if t.ParentID != nil {
			if parent, ok := nodes[*t.ParentID]; ok {
				parent.Children = append(parent.Children, n)
				continue
			}
		}
		roots = append(roots, n)
	}
	return roots
}

type treeData struct {
	Roots []*treeNode
	Units []org.Unit
	Unit  string
	Count int
}

func (s *Server) riskTreePage(w http.ResponseWriter, r *http.Request) {
	unit := r.URL.Query().Get("unit")
	items, err := s.db.RiskTree(r.Context(), principalOf(r), unit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	scale, err := s.db.RiskScale(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	units, err := s.db.Units(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	pg := s.newPage(r, "How risks roll up", "/risks")
	pg.Breadcrumbs = []link{{"Risk register", "/risks"}}
	pg.Data = treeData{Roots: buildTree(items, scale), Units: units, Unit: unit, Count: len(items)}
	s.render(w, r, "risk-tree", pg)
}

type trendsData struct {
	store.Trends
	Themes []string
	Cells  map[string]map[string]store.ThemeTrend // theme -> quarter label -> figures
	From   string
}

func (s *Server) riskTrendsPage(w http.ResponseWriter, r *http.Request) {
	to := today()
	from := to.AddDate(-3, 0, 0)
	if raw := r.URL.Query().Get("from"); raw != "" {
		d, err := time.Parse("2006-01-02", raw)
		if err != nil || d.After(to) {
			s.fail(w, r, &fault.Error{Code: fault.Invalid, Message: "The start of the trend is not a date",
				Fields: []fault.FieldError{{Field: "from", Message: "Enter a past date as YYYY-MM-DD"}}})
			return
		}
		from = d
	}
	tr, err := s.db.RiskTrends(r.Context(), principalOf(r), from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := trendsData{Trends: tr, Cells: map[string]map[string]store.ThemeTrend{}, From: from.Format("2006-01-02")}
	for _, q := range tr.Quarters {
		for _, t := range q.Themes {
			if d.Cells[t.Theme] == nil {
				d.Cells[t.Theme] = map[string]store.ThemeTrend{}
				d.Themes = append(d.Themes, t.Theme)
			}
			d.Cells[t.Theme][q.Quarter.Label] = t
		}
	}
	slices.Sort(d.Themes)
	pg := s.newPage(r, "Risk themes and trends", "/risks")
	pg.Breadcrumbs = []link{{"Risk register", "/risks"}}
	pg.Data = d
	s.render(w, r, "risk-trends", pg)
}

package server

import (
	"net/http"
	"reflect"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/measure"
	"caseboard/internal/org"
	"caseboard/internal/risk"
	"caseboard/internal/store"
)

// pageRoute is a route that is not part of the JSON API: a page, a form
// post or a service endpoint, with the permission it needs.
type pageRoute struct {
	Method, Path string
	Perm         access.Permission
	Handler      http.HandlerFunc
}

// pageRoutes lists every page and service route.
func (s *Server) pageRoutes() []pageRoute {
	return append([]pageRoute{
		// Service endpoints.
		{"GET", "/healthz", access.Public, s.healthz},
		{"GET", "/readyz", access.Public, s.readyz},
		{"GET", "/metrics", access.Public, s.metrics.handler().ServeHTTP},
		{"GET", "/static/", access.Public, s.views.StaticHandler().ServeHTTP},

		// Signing in and out.
		{"GET", "/sign-in", access.Public, s.signInPage},
		{"POST", "/sign-in", access.Public, s.signIn},
		{"GET", "/sign-in/sso", access.Public, s.ssoStart},
		{"GET", "/sign-in/sso/callback", access.Public, s.ssoCallback},
		{"POST", "/sign-out", access.SignedIn, s.signOut},
		{"POST", "/sign-out/everywhere", access.SignedIn, s.signOutEverywhere},

		// Pages.
		{"GET", "/{$}", access.ReadOrganisation, s.homePage},
		{"GET", "/account", access.SignedIn, s.accountPage},
		{"POST", "/account/tokens", access.SignedIn, s.createTokenForm},
		{"POST", "/account/tokens/{id}/revoke", access.SignedIn, s.revokeTokenForm},
		{"GET", "/my-work", access.ReadCases, s.workPage},
		{"GET", "/cases", access.ReadCases, s.caseloadPage},
		{"GET", "/cases/new", access.WriteCases, s.newCasePage},
		{"GET", "/cases/press-list", access.ReadOrganisation, s.pressList},
		{"POST", "/cases", access.WriteCases, s.createCaseForm},
		{"GET", "/cases/{id}", access.ReadCases, s.casePage},
		{"GET", "/cases/{id}/edit", access.WriteCases, s.editCasePage},
		{"POST", "/cases/{id}/edit", access.WriteCases, s.updateCaseForm},
		{"POST", "/cases/{id}/defendants", access.WriteCases, s.addDefendantForm},
		{"POST", "/cases/{id}/defendants/{defendant}/outcome", access.WriteCases, s.outcomeForm},
		{"POST", "/cases/{id}/defendants/{defendant}/charges", access.WriteCases, s.addChargeForm},
		{"POST", "/cases/{id}/defendants/{defendant}/charges/{charge}/extensions", access.WriteCases, s.extensionForm},
		{"POST", "/cases/{id}/hearings", access.WriteCases, s.addHearingForm},
		{"POST", "/cases/{id}/directions", access.WriteCases, s.addDirectionForm},
		{"POST", "/cases/{id}/directions/{direction}/complete", access.WriteCases, s.completeDirectionForm},
		{"POST", "/cases/{id}/documents", access.WriteCases, s.keyDocumentForm},
		{"POST", "/cases/{id}/reviews", access.WriteCases, s.addReviewForm},
		{"POST", "/cases/{id}/actions/{action}/done", access.WriteCases, s.completeActionForm},
		{"GET", "/returns", access.ReadOrganisation, s.returnsPage},
		{"POST", "/returns", access.WriteCases, s.createReturnForm},
		{"GET", "/returns/{id}", access.ReadOrganisation, s.returnPage},
		{"POST", "/returns/{id}", access.WriteCases, s.updateReturnForm},
		{"POST", "/returns/{id}/submit", access.WriteCases, s.submitReturnForm},
		{"POST", "/returns/{id}/decision", access.WriteCases, s.decideReturnForm},
		{"GET", "/imports/outcomes", access.WriteCases, s.importPage(outcomesImport)},
		{"POST", "/imports/outcomes", access.WriteCases, s.importForm(outcomesImport)},
		{"GET", "/imports/cases", access.WriteCases, s.importPage(casesImport)},
		{"POST", "/imports/cases", access.WriteCases, s.importForm(casesImport)},
		{"GET", "/risks", access.ReadRisks, s.riskRegisterPage},
		{"GET", "/risks/new", access.WriteRisks, s.newRiskPage},
		{"POST", "/risks", access.WriteRisks, s.createRiskForm},
		{"GET", "/risks/heatmap", access.ReadRisks, s.riskHeatMapPage},
		{"GET", "/risks/tree", access.ReadRisks, s.riskTreePage},
		{"GET", "/risks/trends", access.ReadRisks, s.riskTrendsPage},
		{"GET", "/risks/appetite", access.ReadRisks, s.riskAppetitePage},
		{"POST", "/risks/appetite", access.ManageRiskAppetite, s.setAppetiteForm},
		{"GET", "/risks/{id}", access.ReadRisks, s.riskPage},
		{"GET", "/risks/{id}/edit", access.WriteRisks, s.editRiskPage},
		{"POST", "/risks/{id}/edit", access.WriteRisks, s.updateRiskForm},
		{"POST", "/risks/{id}/measures", access.WriteRisks, s.addMeasureForm},
		{"POST", "/risks/{id}/measures/{measure}", access.WriteRisks, s.measureStatusForm},
		{"POST", "/risks/{id}/reviews", access.WriteRisks, s.reviewForm},
		{"POST", "/risks/{id}/acceptances", access.WriteRisks, s.proposeAcceptanceForm},
		{"POST", "/risks/{id}/acceptances/{acceptance}/decision", access.WriteRisks, s.decideAcceptanceForm},
		{"POST", "/risks/{id}/acceptances/{acceptance}/revoke", access.WriteRisks, s.revokeAcceptanceForm},
		{"GET", "/organisation", access.ReadOrganisation, s.organisationPage},
		{"GET", "/organisation/people/{id}", access.ReadOrganisation, s.personPage},
		{"GET", "/admin/accounts", access.ManageAccounts, s.accountsPage},
		{"GET", "/admin/audit", access.ReadAudit, s.auditPage},
	}, s.qualityPageRoutes()...)
}

// routes registers every page and API route, each behind its permission.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	for _, route := range s.pageRoutes() {
		mux.HandleFunc(route.Method+" "+route.Path, s.guard(route.Perm, route.Handler))
	}
	for _, route := range s.apiRoutes() {
		mux.HandleFunc(route.Method+" "+route.Path, s.guard(route.Perm, route.Handler))
	}
	return mux
}

// apiRoute is one API operation: what the OpenAPI document says about it
// and the handler that serves it, kept together so they cannot drift apart.
type apiRoute struct {
	Method, Path string
	ID           string // OpenAPI operationId
	Summary      string
	Tag          string
	Query        []param
	Body         reflect.Type // request body, nil for none
	Response     reflect.Type // 200/201 response body
	Status       int          // success status
	// Also describes other statuses that answer with a body of their own
	// rather than a problem document.
	Also    map[int]reflect.Type
	Perm    access.Permission
	Handler http.HandlerFunc
}

// param is a query or path parameter.
type param struct {
	Name, Description, Type string
	Enum                    []string
}

var pageParams = []param{
	{Name: "cursor", Type: "string", Description: "Opaque position returned as next_cursor by the previous page."},
	{Name: "limit", Type: "integer", Description: "Items per page, 1 to 500 (default 50)."},
}

// riskParams are the register's filters, shared by its list and heat map.
var riskParams = []param{
	{Name: "unit", Type: "string", Description: "Unit code."},
	{Name: "location", Type: "string", Description: "Location code."},
	{Name: "category", Type: "string", Enum: []string{"strategic", "operational", "casework", "project"}, Description: "Category."},
	{Name: "theme", Type: "string", Description: "A theme, e.g. recruitment."},
	{Name: "owner", Type: "string", Description: "A person id, or me."},
	{Name: "band", Type: "string", Description: "A score band of the scale, e.g. High."},
	{Name: "likelihood", Type: "integer", Description: "Current likelihood, 1 to 5 (with impact: one heat map cell)."},
	{Name: "impact", Type: "integer", Description: "Current impact, 1 to 5."},
	{Name: "status", Type: "string", Enum: []string{"open", "accepted", "closed", "all"}, Description: "Default: open and accepted."},
	{Name: "overdue", Type: "string", Enum: []string{"yes"}, Description: "Only risks whose review is overdue."},
	{Name: "escalated", Type: "string", Enum: []string{"yes"}, Description: "Only risks escalated to the divisional view."},
	{Name: "as_at", Type: "string", Description: "The register as it stood at the end of this day, YYYY-MM-DD."},
	{Name: "q", Type: "string", Description: "Part of a reference or title."},
}

func (s *Server) apiRoutes() []apiRoute {
	return append([]apiRoute{
		{Method: "GET", Path: "/api/v1/openapi.json", ID: "getOpenAPI", Tag: "Service", Perm: access.Public,
			Summary: "This API's OpenAPI 3.1 description", Handler: s.openAPI},
		{Method: "GET", Path: "/api/v1/division", ID: "getDivision", Tag: "Organisation", Perm: access.ReadOrganisation,
			Summary: "The division", Response: reflect.TypeFor[org.Division](), Handler: s.apiDivision},
		{Method: "GET", Path: "/api/v1/units", ID: "listUnits", Tag: "Organisation", Perm: access.ReadOrganisation,
			Summary: "The division's units with their heads and staff counts", Response: reflect.TypeFor[list[org.Unit]](), Handler: s.apiUnits},
		{Method: "GET", Path: "/api/v1/locations", ID: "listLocations", Tag: "Organisation", Perm: access.ReadOrganisation,
			Summary: "Offices and overseas posts", Response: reflect.TypeFor[list[org.Location]](), Handler: s.apiLocations},
		{Method: "POST", Path: "/api/v1/locations", ID: "createLocation", Tag: "Organisation", Perm: access.ManageOrganisation,
			Summary: "Add an office or overseas post", Body: reflect.TypeFor[locationInput](),
			Response: reflect.TypeFor[org.Location](), Status: http.StatusCreated, Handler: s.apiCreateLocation},
		{Method: "PATCH", Path: "/api/v1/locations/{id}", ID: "updateLocation", Tag: "Organisation", Perm: access.ManageOrganisation,
			Summary: "Rename a location (its code, kind and country do not change)", Body: reflect.TypeFor[locationPatch](),
			Response: reflect.TypeFor[org.Location](), Handler: s.apiUpdateLocation},
		{Method: "PATCH", Path: "/api/v1/units/{id}", ID: "updateUnit", Tag: "Organisation", Perm: access.ManageOrganisation,
			Summary: "Change a unit's name, head title or head", Body: reflect.TypeFor[unitPatch](),
			Response: reflect.TypeFor[org.Unit](), Handler: s.apiUpdateUnit},
		{Method: "POST", Path: "/api/v1/people", ID: "createPerson", Tag: "Organisation", Perm: access.ManageOrganisation,
			Summary: "Add a member of staff", Body: reflect.TypeFor[personInput](),
			Response: reflect.TypeFor[org.Person](), Status: http.StatusCreated, Handler: s.apiCreatePerson},
		{Method: "PATCH", Path: "/api/v1/people/{id}", ID: "updatePerson", Tag: "Organisation", Perm: access.ManageOrganisation,
			Summary: "Change a member of staff: grade, unit, location, team, line manager, clearance, or leaving (active false)", Body: reflect.TypeFor[personInput](),
			Response: reflect.TypeFor[org.Person](), Handler: s.apiUpdatePerson},
		{Method: "GET", Path: "/api/v1/teams", ID: "listTeams", Tag: "Organisation", Perm: access.ReadOrganisation,
			Summary: "Teams", Response: reflect.TypeFor[list[org.Team]](), Handler: s.apiTeams},
		{Method: "GET", Path: "/api/v1/people", ID: "listPeople", Tag: "Organisation", Perm: access.ReadOrganisation,
			Summary: "Staff, a page at a time", Response: reflect.TypeFor[store.PeoplePage](), Handler: s.apiPeople,
			Query: append([]param{
				{Name: "unit", Type: "string", Description: "Unit code, e.g. extradition."},
				{Name: "location", Type: "string", Description: "Location code, e.g. petty_france or post_es."},
				{Name: "grade", Type: "string", Description: "Grade code, e.g. legal_manager_1."},
				{Name: "q", Type: "string", Description: "Part of a name or email address."},
				{Name: "sort", Type: "string", Enum: []string{"name", "unit", "location", "grade", "email"}, Description: "Order of the list (default name)."},
				{Name: "order", Type: "string", Enum: []string{"asc", "desc"}, Description: "Direction of the order (default asc)."},
			}, pageParams...)},
		{Method: "GET", Path: "/api/v1/cases", ID: "listCases", Tag: "Casework", Perm: access.ReadCases,
			Summary: "The cases the caller may see, soonest next custody time limit first", Response: reflect.TypeFor[store.CasePage](), Handler: s.apiCases,
			Query: append([]param{
				{Name: "unit", Type: "string", Description: "Unit code."},
				{Name: "location", Type: "string", Description: "Location code."},
				{Name: "kind", Type: "string", Enum: []string{"organised_crime", "extradition", "international"}, Description: "Kind of case."},
				{Name: "status", Type: "string", Description: "Status code."},
				{Name: "lawyer", Type: "string", Description: "A person id, or me."},
				{Name: "sensitive", Type: "string", Enum: []string{"yes"}, Description: "Only cases on the sensitive case log."},
				{Name: "q", Type: "string", Description: "Part of a reference or title."},
				{Name: "ctl_within", Type: "integer", Description: "Only cases whose next custody time limit expires within this many days."},
				{Name: "sort", Type: "string", Enum: []string{"deadline", "opened"}, Description: "Soonest next deadline first (default), or newest opened first."},
			}, pageParams...)},
		{Method: "POST", Path: "/api/v1/cases", ID: "createCase", Tag: "Casework", Perm: access.WriteCases,
			Summary: "Open a case", Body: reflect.TypeFor[caseInput](), Response: reflect.TypeFor[casework.Case](),
			Status: http.StatusCreated, Handler: s.apiCreateCase},
		{Method: "GET", Path: "/api/v1/cases/{id}", ID: "getCase", Tag: "Casework", Perm: access.ReadCases,
			Summary: "A case with its defendants or requested persons, charges, hearings, directions and key documents", Response: reflect.TypeFor[caseDetail](), Handler: s.apiCase},
		{Method: "PATCH", Path: "/api/v1/cases/{id}", ID: "updateCase", Tag: "Casework", Perm: access.WriteCases,
			Summary: "Change a case; send the version you read, or the change is refused as a conflict", Body: reflect.TypeFor[caseInput](),
			Response: reflect.TypeFor[casework.Case](), Handler: s.apiUpdateCase},
		{Method: "POST", Path: "/api/v1/cases/{id}/defendants", ID: "addDefendant", Tag: "Casework", Perm: access.WriteCases,
			Summary: "Add a defendant or requested person", Body: reflect.TypeFor[defendantInput](),
			Response: reflect.TypeFor[casework.Defendant](), Status: http.StatusCreated, Handler: s.apiSaveDefendant},
		{Method: "PATCH", Path: "/api/v1/cases/{id}/defendants/{defendant}", ID: "updateDefendant", Tag: "Casework", Perm: access.WriteCases,
			Summary: "Change a defendant, for example to record their outcome", Body: reflect.TypeFor[defendantInput](),
			Response: reflect.TypeFor[casework.Defendant](), Handler: s.apiSaveDefendant},
		{Method: "POST", Path: "/api/v1/cases/{id}/defendants/{defendant}/charges", ID: "addCharge", Tag: "Casework", Perm: access.WriteCases,
			Summary: "Add a charge; with custody dates, its custody time limit is computed", Body: reflect.TypeFor[chargeInput](),
			Response: reflect.TypeFor[casework.Charge](), Status: http.StatusCreated, Handler: s.apiSaveCharge},
		{Method: "PATCH", Path: "/api/v1/cases/{id}/defendants/{defendant}/charges/{charge}", ID: "updateCharge", Tag: "Casework", Perm: access.WriteCases,
			Summary: "Change a charge or its custody dates, or record an extension", Body: reflect.TypeFor[chargeInput](),
			Response: reflect.TypeFor[casework.Charge](), Handler: s.apiSaveCharge},
		{Method: "POST", Path: "/api/v1/cases/{id}/hearings", ID: "addHearing", Tag: "Casework", Perm: access.WriteCases,
			Summary: "Record a hearing of the case", Body: reflect.TypeFor[hearingInput](),
			Response: reflect.TypeFor[casework.Hearing](), Status: http.StatusCreated, Handler: s.apiAddHearing},
		{Method: "POST", Path: "/api/v1/cases/{id}/directions", ID: "addDirection", Tag: "Casework", Perm: access.WriteCases,
			Summary: "Record a direction the court gave, with the date it is due", Body: reflect.TypeFor[directionInput](),
			Response: reflect.TypeFor[casework.Direction](), Status: http.StatusCreated, Handler: s.apiSaveDirection},
		{Method: "PATCH", Path: "/api/v1/cases/{id}/directions/{direction}", ID: "updateDirection", Tag: "Casework", Perm: access.WriteCases,
			Summary: "Change a direction, or record the date it was complied with", Body: reflect.TypeFor[directionInput](),
			Response: reflect.TypeFor[casework.Direction](), Handler: s.apiSaveDirection},
		{Method: "PUT", Path: "/api/v1/cases/{id}/documents/{kind}", ID: "setKeyDocument", Tag: "Casework", Perm: access.WriteCases,
			Summary: "Record when a key document (prosecution_strategy, disclosure_management, disclosure_record_sheet, media_form) was last brought up to date",
			Body:    reflect.TypeFor[documentInput](), Response: reflect.TypeFor[casework.KeyDocument](), Handler: s.apiSaveKeyDocument},
		{Method: "POST", Path: "/api/v1/cases/{id}/reviews", ID: "addCaseReview", Tag: "Casework", Perm: access.WriteCases,
			Summary: "Record a case management panel, disclosure gateway review, handover (which makes to_lawyer_id the case's lawyer), adverse outcome report or de-brief, with its actions",
			Body:    reflect.TypeFor[caseReviewInput](), Response: reflect.TypeFor[casework.CaseReview](), Status: http.StatusCreated, Handler: s.apiAddCaseReview},
		{Method: "PATCH", Path: "/api/v1/cases/{id}/actions/{action}", ID: "completeReviewAction", Tag: "Casework", Perm: access.WriteCases,
			Summary: "Record the day an action of a review or handover was done", Body: reflect.TypeFor[actionDone](),
			Status: http.StatusNoContent, Handler: s.apiCompleteAction},
		{Method: "POST", Path: "/api/v1/imports/outcomes", ID: "importOutcomes", Tag: "Casework", Perm: access.WriteCases,
			Summary:  "Import an outcomes spreadsheet sent as the body (text/csv or XLSX), all or nothing; 422 lists every problem",
			Response: reflect.TypeFor[importResult](), Status: http.StatusCreated, Handler: s.apiImport(outcomesImport),
			Also: map[int]reflect.Type{http.StatusUnprocessableEntity: reflect.TypeFor[importResult]()},
			Query: []param{
				{Name: "name", Type: "string", Description: "The file's name, recorded with the import."},
				{Name: "skip_invalid", Type: "string", Enum: []string{"true"}, Description: "Import the good rows and report the bad ones."},
			}},
		{Method: "POST", Path: "/api/v1/imports/cases", ID: "importCases", Tag: "Casework", Perm: access.WriteCases,
			Summary:  "Import a cases spreadsheet sent as the body (text/csv or XLSX), all or nothing: new references are opened, known ones brought up to date; 422 lists every problem",
			Response: reflect.TypeFor[importResult](), Status: http.StatusCreated, Handler: s.apiImport(casesImport),
			Also: map[int]reflect.Type{http.StatusUnprocessableEntity: reflect.TypeFor[importResult]()},
			Query: []param{
				{Name: "name", Type: "string", Description: "The file's name, recorded with the import."},
				{Name: "skip_invalid", Type: "string", Enum: []string{"true"}, Description: "Import the good rows and report the bad ones."},
			}},
		{Method: "GET", Path: "/api/v1/post-returns", ID: "listPostReturns", Tag: "Casework", Perm: access.ReadOrganisation,
			Summary: "Overseas posts' monthly returns, newest month first", Response: reflect.TypeFor[list[casework.PostReturn]](), Handler: s.apiPostReturns,
			Query: []param{
				{Name: "location", Type: "string", Description: "A post's location code, e.g. post_es."},
				{Name: "from", Type: "string", Description: "First month, YYYY-MM."},
				{Name: "to", Type: "string", Description: "Last month, YYYY-MM."},
				{Name: "status", Type: "string", Enum: []string{"draft", "submitted", "validated", "sent_back"}, Description: "Only returns in this state."},
			}},
		{Method: "POST", Path: "/api/v1/post-returns", ID: "createPostReturn", Tag: "Casework", Perm: access.WriteCases,
			Summary: "Draft a post's return for a month", Body: reflect.TypeFor[postReturnInput](), Response: reflect.TypeFor[casework.PostReturn](),
			Status: http.StatusCreated, Handler: s.apiSavePostReturn},
		{Method: "GET", Path: "/api/v1/post-returns/{id}", ID: "getPostReturn", Tag: "Casework", Perm: access.ReadOrganisation,
			Summary: "A monthly return", Response: reflect.TypeFor[casework.PostReturn](), Handler: s.apiPostReturn},
		{Method: "PATCH", Path: "/api/v1/post-returns/{id}", ID: "updatePostReturn", Tag: "Casework", Perm: access.WriteCases,
			Summary: "Change a return still with the post (draft or sent back); send the version you read", Body: reflect.TypeFor[postReturnInput](),
			Response: reflect.TypeFor[casework.PostReturn](), Handler: s.apiSavePostReturn},
		{Method: "POST", Path: "/api/v1/post-returns/{id}/submit", ID: "submitPostReturn", Tag: "Casework", Perm: access.WriteCases,
			Summary: "Submit a return for validation", Body: reflect.TypeFor[returnVersion](), Response: reflect.TypeFor[casework.PostReturn](), Handler: s.apiSubmitPostReturn},
		{Method: "POST", Path: "/api/v1/post-returns/{id}/decision", ID: "decidePostReturn", Tag: "Casework", Perm: access.WriteCases,
			Summary: "Validate a submitted return, or send it back with a reason (the preparer's line management)", Body: reflect.TypeFor[returnDecision](),
			Response: reflect.TypeFor[casework.PostReturn](), Handler: s.apiDecidePostReturn},
		{Method: "GET", Path: "/api/v1/my-work", ID: "getMyWork", Tag: "Casework", Perm: access.ReadCases,
			Summary:  "What is due on the caller's cases, and their team's, soonest first: running custody time limits, outstanding directions, key documents due for review",
			Response: reflect.TypeFor[workList](), Handler: s.apiWork},
		{Method: "GET", Path: "/api/v1/reports/outcomes", ID: "reportOutcomes", Tag: "Performance", Perm: access.ReadCases,
			Summary:  "Outcome measures computed from the records the caller may see: totals, conviction and guilty plea rates (null where there is no data), by court",
			Response: reflect.TypeFor[measure.OutcomeFigures](), Handler: s.apiReportOutcomes,
			Query: []param{
				{Name: "from", Type: "string", Description: "First finalisation date counted, YYYY-MM-DD, inclusive."},
				{Name: "to", Type: "string", Description: "Last finalisation date counted, YYYY-MM-DD, inclusive."},
				{Name: "unit", Type: "string", Enum: []string{"organised_crime", "extradition"}, Description: "Default organised_crime."},
				{Name: "court", Type: "string", Enum: []string{"MC", "CC"}, Description: "Only one court, without the by_court split."},
			}},
		{Method: "GET", Path: "/api/v1/reports/directions", ID: "reportDirections", Tag: "Performance", Perm: access.ReadCases,
			Summary:  "Timeliness of the court's directions due in a period, computed from the records the caller may see, by court; the timely rate is null where none has fallen due",
			Response: reflect.TypeFor[measure.DirectionFigures](), Handler: s.apiReportDirections,
			Query: []param{
				{Name: "from", Type: "string", Description: "First due date counted, YYYY-MM-DD, inclusive."},
				{Name: "to", Type: "string", Description: "Last due date counted, YYYY-MM-DD, inclusive."},
				{Name: "unit", Type: "string", Enum: []string{"organised_crime", "extradition"}, Description: "Only one unit's cases."},
			}},
		{Method: "GET", Path: "/api/v1/risks", ID: "listRisks", Tag: "Risk", Perm: access.ReadRisks,
			Summary: "The risk register, highest current score first; with as_at, as it stood at the end of that day", Response: reflect.TypeFor[store.RiskPage](), Handler: s.apiRisks,
			Query: append(riskParams, pageParams...)},
		{Method: "POST", Path: "/api/v1/risks", ID: "createRisk", Tag: "Risk", Perm: access.WriteRisks,
			Summary: "Raise a risk in one of the caller's units", Body: reflect.TypeFor[riskInput](), Response: reflect.TypeFor[risk.Risk](),
			Status: http.StatusCreated, Handler: s.apiCreateRisk},
		{Method: "GET", Path: "/api/v1/risks/{id}", ID: "getRisk", Tag: "Risk", Perm: access.ReadRisks,
			Summary: "A risk with its counter-measures, reviews, acceptances, score history and the risks that roll up to it", Response: reflect.TypeFor[riskDetail](), Handler: s.apiRisk},
		{Method: "PATCH", Path: "/api/v1/risks/{id}", ID: "updateRisk", Tag: "Risk", Perm: access.WriteRisks,
			Summary: "Change a risk; send the version you read, or the change is refused as a conflict", Body: reflect.TypeFor[riskInput](),
			Response: reflect.TypeFor[risk.Risk](), Handler: s.apiUpdateRisk},
		{Method: "POST", Path: "/api/v1/risks/{id}/counter-measures", ID: "addCounterMeasure", Tag: "Risk", Perm: access.WriteRisks,
			Summary: "Add a counter-measure (mitigating action) to a risk", Body: reflect.TypeFor[measureInput](),
			Response: reflect.TypeFor[risk.CounterMeasure](), Status: http.StatusCreated, Handler: s.apiSaveMeasure},
		{Method: "PATCH", Path: "/api/v1/risks/{id}/counter-measures/{measure}", ID: "updateCounterMeasure", Tag: "Risk", Perm: access.WriteRisks,
			Summary: "Change a counter-measure, for example to record it done", Body: reflect.TypeFor[measureInput](),
			Response: reflect.TypeFor[risk.CounterMeasure](), Handler: s.apiSaveMeasure},
		{Method: "POST", Path: "/api/v1/risks/{id}/reviews", ID: "addRiskReview", Tag: "Risk", Perm: access.WriteRisks,
			Summary: "Record a review: the current rating found, the justification and the next review date", Body: reflect.TypeFor[reviewInput](),
			Response: reflect.TypeFor[risk.Review](), Status: http.StatusCreated, Handler: s.apiAddReview},
		{Method: "POST", Path: "/api/v1/risks/{id}/acceptances", ID: "proposeAcceptance", Tag: "Risk", Perm: access.WriteRisks,
			Summary: "Propose accepting (tolerating) a risk until an expiry date, to an approver above its owner", Body: reflect.TypeFor[acceptanceInput](),
			Response: reflect.TypeFor[risk.Acceptance](), Status: http.StatusCreated, Handler: s.apiProposeAcceptance},
		{Method: "POST", Path: "/api/v1/risks/{id}/acceptances/{acceptance}/decision", ID: "decideAcceptance", Tag: "Risk", Perm: access.WriteRisks,
			Summary: "Approve or reject a proposed acceptance (the named approver only)", Body: reflect.TypeFor[decisionInput](),
			Response: reflect.TypeFor[risk.Acceptance](), Handler: s.apiDecideAcceptance},
		{Method: "POST", Path: "/api/v1/risks/{id}/acceptances/{acceptance}/revoke", ID: "revokeAcceptance", Tag: "Risk", Perm: access.WriteRisks,
			Summary: "Revoke an acceptance: the risk is open again and due for review", Body: reflect.TypeFor[revokeInput](),
			Response: reflect.TypeFor[risk.Acceptance](), Handler: s.apiRevokeAcceptance},
		{Method: "GET", Path: "/api/v1/risk-heatmap", ID: "getRiskHeatMap", Tag: "Risk", Perm: access.ReadRisks,
			Summary: "Counts of risks per likelihood and impact, with the scale's bands; takes the register's filters", Response: reflect.TypeFor[store.HeatMap](), Handler: s.apiRiskHeatMap,
			Query: append([]param{{Name: "rating", Type: "string", Enum: []string{"current", "inherent", "target"}, Description: "Which rating to map (default current)."}}, riskParams...)},
		{Method: "GET", Path: "/api/v1/risk-tree", ID: "getRiskTree", Tag: "Risk", Perm: access.ReadRisks,
			Summary: "The live risks with their parents: how casework and location risks roll up", Response: reflect.TypeFor[list[store.TreeRisk]](), Handler: s.apiRiskTree,
			Query: []param{{Name: "unit", Type: "string", Description: "Only this unit's risks and the risks they roll up to."}}},
		{Method: "GET", Path: "/api/v1/risk-trends", ID: "getRiskTrends", Tag: "Risk", Perm: access.ReadRisks,
			Summary: "Themes and trends by financial quarter, and the risks above appetite longest", Response: reflect.TypeFor[store.Trends](), Handler: s.apiRiskTrends,
			Query: []param{
				{Name: "from", Type: "string", Description: "First day, YYYY-MM-DD (default three years ago)."},
				{Name: "to", Type: "string", Description: "Last day, YYYY-MM-DD (default today)."},
			}},
		{Method: "GET", Path: "/api/v1/risk-settings", ID: "getRiskSettings", Tag: "Risk", Perm: access.ReadRisks,
			Summary: "The risk appetite per category and the scale in force", Response: reflect.TypeFor[riskSettings](), Handler: s.apiRiskSettings},
		{Method: "PUT", Path: "/api/v1/risk-settings/appetite", ID: "setRiskAppetite", Tag: "Risk", Perm: access.ManageRiskAppetite,
			Summary: "Set the appetite of one or more categories (Head of Division)", Body: reflect.TypeFor[appetiteInput](),
			Response: reflect.TypeFor[riskSettings](), Handler: s.apiSetAppetite},
		{Method: "PUT", Path: "/api/v1/risk-settings/scale", ID: "setRiskScale", Tag: "Risk", Perm: access.ManageRiskAppetite,
			Summary: "Store a new version of the scale: labels, definitions, bands, escalation threshold (Head of Division)", Body: reflect.TypeFor[risk.Scale](),
			Response: reflect.TypeFor[riskSettings](), Handler: s.apiSetScale},
		{Method: "GET", Path: "/api/v1/me", ID: "getMe", Tag: "Account", Perm: access.SignedIn,
			Summary: "Who the caller is: their person, roles, units and clearance", Response: reflect.TypeFor[me](), Handler: s.apiMe},
		{Method: "GET", Path: "/api/v1/tokens", ID: "listTokens", Tag: "Account", Perm: access.SignedIn,
			Summary: "The caller's API tokens", Response: reflect.TypeFor[list[store.APIToken]](), Handler: s.apiTokens},
		{Method: "POST", Path: "/api/v1/tokens", ID: "createToken", Tag: "Account", Perm: access.SignedIn,
			Summary: "Make an API token for the caller; the token is in the response, once", Body: reflect.TypeFor[tokenInput](),
			Response: reflect.TypeFor[newToken](), Status: http.StatusCreated, Handler: s.apiCreateToken},
		{Method: "DELETE", Path: "/api/v1/tokens/{id}", ID: "revokeToken", Tag: "Account", Perm: access.SignedIn,
			Summary: "Revoke one of the caller's API tokens", Status: http.StatusNoContent, Handler: s.apiRevokeToken},
		{Method: "GET", Path: "/api/v1/audit", ID: "listAudit", Tag: "Audit", Perm: access.ReadAudit,
			Summary: "Audit trail entries in chain order, filtered", Response: reflect.TypeFor[auditPage](), Handler: s.apiAudit,
			Query: []param{
				{Name: "record_type", Type: "string", Description: "Kind of record, e.g. person, account, location."},
				{Name: "record_id", Type: "string", Description: "The record's id."},
				{Name: "actor_id", Type: "integer", Description: "The person who acted."},
				{Name: "from", Type: "string", Description: "Entries on or after this date (YYYY-MM-DD)."},
				{Name: "to", Type: "string", Description: "Entries on or before this date (YYYY-MM-DD)."},
				{Name: "cursor", Type: "string", Description: "next_cursor of the previous page."},
				{Name: "limit", Type: "integer", Description: "Entries per page, 1 to 500 (default 50)."},
			}},
		{Method: "GET", Path: "/api/v1/people/{id}", ID: "getPerson", Tag: "Organisation", Perm: access.ReadOrganisation,
			Summary: "One member of staff", Response: reflect.TypeFor[org.Person](), Handler: s.apiPerson},
	}, s.qualityAPIRoutes()...)
}

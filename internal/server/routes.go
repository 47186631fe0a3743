package server

import (
	"net/http"
	"reflect"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/measure"
	"caseboard/internal/org"
	"caseboard/internal/plan"
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
	return []pageRoute{
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
		{"POST", "/cases", access.WriteCases, s.createCaseForm},
		{"GET", "/cases/{id}", access.ReadCases, s.casePage},
		{"GET", "/cases/{id}/edit", access.WriteCases, s.editCasePage},
		{"POST", "/cases/{id}/edit", access.WriteCases, s.updateCaseForm},
		{"POST", "/cases/{id}/defendants", access.WriteCases, s.addDefendantForm},
		{"POST", "/cases/{id}/defendants/{defendant}/outcome", access.WriteCases, s.outcomeForm},
		{"POST", "/cases/{id}/defendants/{defendant}/charges", access.WriteCases, s.addChargeForm},
		{"GET", "/imports/outcomes", access.WriteCases, s.importPage},
		{"POST", "/imports/outcomes", access.WriteCases, s.importOutcomesForm},
		{"GET", "/organisation", access.ReadOrganisation, s.organisationPage},
		{"GET", "/organisation/people/{id}", access.ReadOrganisation, s.personPage},
		{"GET", "/plans", access.ReadPlans, s.plansPage},
		{"GET", "/plans/board", access.ReadPlans, s.boardPage},
		{"GET", "/plans/checks", access.ReadPlans, s.checksPage},
		{"POST", "/plans/checks/run", access.ManagePlans, s.runChecksForm},
		{"GET", "/plans/frameworks/{id}", access.ReadPlans, s.frameworkPage},
		{"GET", "/plans/frameworks/{id}/readiness.xlsx", access.ReadPlans, s.readinessExport},
		{"GET", "/plans/frameworks/{id}/criteria/{criterion}", access.ReadPlans, s.criterionPage},
		{"POST", "/plans/frameworks/{id}/criteria/{criterion}", access.ManagePlans, s.assessForm},
		{"GET", "/plans/inspections/new", access.ManagePlans, s.newInspectionPage},
		{"POST", "/plans/inspections", access.ManagePlans, s.createInspectionForm},
		{"GET", "/plans/inspections/{id}", access.ReadPlans, s.inspectionPage},
		{"POST", "/plans/inspections/{id}/findings", access.ManagePlans, s.addFindingForm},
		{"GET", "/plans/findings/{id}", access.ReadPlans, s.findingPage},
		{"POST", "/plans/findings/{id}/response", access.ManagePlans, s.responseForm},
		{"POST", "/plans/findings/{id}/actions", access.WritePlans, s.addActionForm},
		{"POST", "/plans/findings/{id}/close", access.WritePlans, s.closeFindingForm},
		{"POST", "/plans/actions/{id}/updates", access.WritePlans, s.updateActionForm},
		{"POST", "/plans/actions/{id}/target-date", access.WritePlans, s.targetDateForm},
		{"POST", "/plans/actions/{id}/milestones", access.WritePlans, s.milestoneForm},
		{"POST", "/plans/actions/{id}/evidence", access.WritePlans, s.evidenceForm},
		{"POST", "/plans/actions/{id}/close", access.WritePlans, s.closeActionForm},
		{"GET", "/admin/accounts", access.ManageAccounts, s.accountsPage},
		{"GET", "/admin/audit", access.ReadAudit, s.auditPage},
	}
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

func (s *Server) apiRoutes() []apiRoute {
	return []apiRoute{
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
			Summary: "A case with its defendants or requested persons", Response: reflect.TypeFor[caseDetail](), Handler: s.apiCase},
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
		{Method: "POST", Path: "/api/v1/imports/outcomes", ID: "importOutcomes", Tag: "Casework", Perm: access.WriteCases,
			Summary:  "Import an outcomes spreadsheet sent as the body (text/csv or XLSX), all or nothing; 422 lists every problem",
			Response: reflect.TypeFor[importResult](), Status: http.StatusCreated, Handler: s.apiImportOutcomes,
			Also: map[int]reflect.Type{http.StatusUnprocessableEntity: reflect.TypeFor[importResult]()},
			Query: []param{
				{Name: "name", Type: "string", Description: "The file's name, recorded with the import."},
				{Name: "skip_invalid", Type: "string", Enum: []string{"true"}, Description: "Import the good rows and report the bad ones."},
			}},
		{Method: "GET", Path: "/api/v1/my-work", ID: "getMyWork", Tag: "Casework", Perm: access.ReadCases,
			Summary: "The caller's running custody time limits, and their team's, soonest first", Response: reflect.TypeFor[workList](), Handler: s.apiWork},
		{Method: "GET", Path: "/api/v1/reports/outcomes", ID: "reportOutcomes", Tag: "Performance", Perm: access.ReadCases,
			Summary:  "Outcome measures computed from the records the caller may see: totals, conviction and guilty plea rates (null where there is no data), by court",
			Response: reflect.TypeFor[measure.OutcomeFigures](), Handler: s.apiReportOutcomes,
			Query: []param{
				{Name: "from", Type: "string", Description: "First finalisation date counted, YYYY-MM-DD, inclusive."},
				{Name: "to", Type: "string", Description: "Last finalisation date counted, YYYY-MM-DD, inclusive."},
				{Name: "unit", Type: "string", Enum: []string{"organised_crime", "extradition"}, Description: "Default organised_crime."},
				{Name: "court", Type: "string", Enum: []string{"MC", "CC"}, Description: "Only one court, without the by_court split."},
			}},
		{Method: "GET", Path: "/api/v1/frameworks", ID: "listFrameworks", Tag: "Plans", Perm: access.ReadPlans,
			Summary: "Inspection frameworks loaded, without their criteria", Response: reflect.TypeFor[list[plan.Framework]](), Handler: s.apiFrameworks},
		{Method: "POST", Path: "/api/v1/frameworks", ID: "importFramework", Tag: "Plans", Perm: access.ManagePlans,
			Summary:  "Load an inspection framework sent as the body: JSON (application/json) or CSV (text/csv, with code and title in the query); every problem is listed, nothing is half-loaded",
			Response: reflect.TypeFor[plan.Framework](), Status: http.StatusCreated, Handler: s.apiImportFramework,
			Query: []param{
				{Name: "code", Type: "string", Description: "The framework's code (needed for CSV; overrides the JSON's)."},
				{Name: "title", Type: "string", Description: "The framework's title (needed for CSV; overrides the JSON's)."},
				{Name: "body", Type: "string", Description: "The inspectorate, e.g. HMCPSI."},
			}},
		{Method: "GET", Path: "/api/v1/frameworks/{id}", ID: "getFramework", Tag: "Plans", Perm: access.ReadPlans,
			Summary: "A framework with its criteria, in the report's order", Response: reflect.TypeFor[plan.Framework](), Handler: s.apiFramework},
		{Method: "GET", Path: "/api/v1/frameworks/{id}/readiness", ID: "getReadiness", Tag: "Plans", Perm: access.ReadPlans,
			Summary:  "The readiness report of a framework: per criterion, the self-assessment, the findings that name it and their plans, the evidence cited and the checks that bear on it",
			Response: reflect.TypeFor[store.Readiness](), Handler: s.apiReadiness},
		{Method: "PUT", Path: "/api/v1/frameworks/{id}/assessments/{criterion}", ID: "saveAssessment", Tag: "Plans", Perm: access.ManagePlans,
			Summary: "Rate the division against one criterion (strong, sound, needs improvement, weak, not assessed) with the commentary it rests on",
			Body:    reflect.TypeFor[assessmentInput](), Response: reflect.TypeFor[plan.Assessment](), Handler: s.apiSaveAssessment},
		{Method: "GET", Path: "/api/v1/inspections", ID: "listInspections", Tag: "Plans", Perm: access.ReadPlans,
			Summary: "Inspections, newest report first, with counts of their findings", Response: reflect.TypeFor[list[plan.Inspection]](), Handler: s.apiInspections},
		{Method: "POST", Path: "/api/v1/inspections", ID: "createInspection", Tag: "Plans", Perm: access.ManagePlans,
			Summary: "Record an inspection and its report", Body: reflect.TypeFor[inspectionInput](),
			Response: reflect.TypeFor[plan.Inspection](), Status: http.StatusCreated, Handler: s.apiCreateInspection},
		{Method: "GET", Path: "/api/v1/inspections/{id}", ID: "getInspection", Tag: "Plans", Perm: access.ReadPlans,
			Summary: "An inspection with its recommendations, aspects for improvement and good practice", Response: reflect.TypeFor[inspectionDetail](), Handler: s.apiInspection},
		{Method: "POST", Path: "/api/v1/inspections/{id}/findings", ID: "addFinding", Tag: "Plans", Perm: access.ManagePlans,
			Summary: "Record a recommendation, aspect for improvement or good practice, with its paragraph and criteria", Body: reflect.TypeFor[findingInput](),
			Response: reflect.TypeFor[store.FindingPlan](), Status: http.StatusCreated, Handler: s.apiAddFinding},
		{Method: "GET", Path: "/api/v1/findings/{id}", ID: "getFinding", Tag: "Plans", Perm: access.ReadPlans,
			Summary:  "A finding with its response and action plan: actions, milestones, updates, target-date changes, evidence and failing checks",
			Response: reflect.TypeFor[store.FindingPlan](), Handler: s.apiFinding},
		{Method: "PUT", Path: "/api/v1/findings/{id}/response", ID: "recordResponse", Tag: "Plans", Perm: access.ManagePlans,
			Summary: "Record the organisation's response: accepted, partially accepted or not accepted, its text and date", Body: reflect.TypeFor[responseBody](),
			Response: reflect.TypeFor[store.FindingPlan](), Handler: s.apiRecordResponse},
		{Method: "POST", Path: "/api/v1/findings/{id}/close", ID: "closeFinding", Tag: "Plans", Perm: access.WritePlans,
			Summary: "Close as implemented (every action done) or not implemented (with the reason); the accountable owner signs off", Body: reflect.TypeFor[closureInput](),
			Response: reflect.TypeFor[store.FindingPlan](), Handler: s.apiCloseFinding},
		{Method: "POST", Path: "/api/v1/findings/{id}/actions", ID: "addAction", Tag: "Plans", Perm: access.WritePlans,
			Summary: "Add an action with its owner and target date (the plan managers and the accountable owner)", Body: reflect.TypeFor[actionInput](),
			Response: reflect.TypeFor[plan.Action](), Status: http.StatusCreated, Handler: s.apiAddAction},
		{Method: "POST", Path: "/api/v1/actions/{id}/updates", ID: "recordUpdate", Tag: "Plans", Perm: access.WritePlans,
			Summary: "Report progress: the action's status and commentary", Body: reflect.TypeFor[updateInput](),
			Response: reflect.TypeFor[store.ActionPlan](), Status: http.StatusCreated, Handler: actionWrite(s, http.StatusCreated, s.apiRecordUpdate)},
		{Method: "POST", Path: "/api/v1/actions/{id}/target-date", ID: "changeTargetDate", Tag: "Plans", Perm: access.WritePlans,
			Summary: "Change the target date, with the reason and who approved it; every change is kept", Body: reflect.TypeFor[targetInput](),
			Response: reflect.TypeFor[store.ActionPlan](), Status: http.StatusCreated, Handler: actionWrite(s, http.StatusCreated, s.apiChangeTarget)},
		{Method: "POST", Path: "/api/v1/actions/{id}/milestones", ID: "addMilestone", Tag: "Plans", Perm: access.WritePlans,
			Summary: "Add a milestone", Body: reflect.TypeFor[milestoneInput](),
			Response: reflect.TypeFor[store.ActionPlan](), Status: http.StatusCreated, Handler: actionWrite(s, http.StatusCreated, s.apiAddMilestone)},
		{Method: "POST", Path: "/api/v1/actions/{id}/evidence", ID: "addEvidence", Tag: "Plans", Perm: access.WritePlans,
			Summary: "Cite evidence: a document, a case, a measure or an evidence check", Body: reflect.TypeFor[evidenceInput](),
			Response: reflect.TypeFor[store.ActionPlan](), Status: http.StatusCreated, Handler: actionWrite(s, http.StatusCreated, s.apiAddEvidence)},
		{Method: "POST", Path: "/api/v1/actions/{id}/close", ID: "closeAction", Tag: "Plans", Perm: access.WritePlans,
			Summary: "Close the action as done on its evidence; only the accountable owner signs off", Body: reflect.TypeFor[actionCloseInput](),
			Response: reflect.TypeFor[store.ActionPlan](), Handler: actionWrite(s, http.StatusOK, s.apiCloseAction)},
		{Method: "POST", Path: "/api/v1/imports/actions", ID: "importActions", Tag: "Plans", Perm: access.WritePlans,
			Summary:  "Add the new actions of an action-plan spreadsheet (the columns of caseboard export actions) sent as the body (text/csv or XLSX), all or nothing; exported rows must come back unchanged; 422 lists every problem",
			Response: reflect.TypeFor[importResult](), Status: http.StatusCreated, Handler: s.apiImportActions,
			Also:  map[int]reflect.Type{http.StatusUnprocessableEntity: reflect.TypeFor[importResult]()},
			Query: []param{{Name: "name", Type: "string", Description: "The file's name, recorded with the import."}}},
		{Method: "GET", Path: "/api/v1/board", ID: "getBoard", Tag: "Plans", Perm: access.ReadPlans,
			Summary:  "The Board view: open findings across inspections, late actions, slipped target dates, closed actions whose evidence fails, closure by quarter",
			Response: reflect.TypeFor[store.Board](), Handler: s.apiBoard},
		{Method: "GET", Path: "/api/v1/evidence-checks", ID: "listEvidenceChecks", Tag: "Plans", Perm: access.ReadPlans,
			Summary: "Every evidence check with its latest result and history", Response: reflect.TypeFor[list[plan.CheckStatus]](), Handler: s.apiChecks},
		{Method: "POST", Path: "/api/v1/evidence-checks/run", ID: "runEvidenceChecks", Tag: "Plans", Perm: access.ManagePlans,
			Summary: "Evaluate every evidence check now and keep the results", Response: reflect.TypeFor[list[plan.Result]](), Handler: s.apiRunChecks},
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
	}
}

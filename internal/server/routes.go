package server

import (
	"net/http"
	"reflect"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/measure"
	"caseboard/internal/org"
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
		{"GET", "/admin/accounts", access.ManageAccounts, s.accountsPage},
		{"GET", "/admin/audit", access.ReadAudit, s.auditPage},
	}, s.knowledgePageRoutes()...)
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
	}, s.knowledgeAPIRoutes()...)
}

package server

import (
	"net/http"
	"reflect"

	"caseboard/internal/org"
	"caseboard/internal/store"
)

// routes lists every route caseboard serves: the pages, the service
// endpoints, and the API, whose table also generates the OpenAPI document.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()

	// Service endpoints.
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", s.metrics.handler())
	mux.Handle("GET /static/", s.views.StaticHandler())

	// Pages.
	mux.HandleFunc("GET /{$}", s.homePage)
	mux.HandleFunc("GET /organisation", s.organisationPage)
	mux.HandleFunc("GET /organisation/people/{id}", s.personPage)

	// API.
	for _, route := range s.apiRoutes() {
		mux.HandleFunc(route.Method+" "+route.Path, route.Handler)
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
	Handler      http.HandlerFunc
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
		{Method: "GET", Path: "/api/v1/openapi.json", ID: "getOpenAPI", Tag: "Service",
			Summary: "This API's OpenAPI 3.1 description", Handler: s.openAPI},
		{Method: "GET", Path: "/api/v1/division", ID: "getDivision", Tag: "Organisation",
			Summary: "The division", Response: reflect.TypeFor[org.Division](), Handler: s.apiDivision},
		{Method: "GET", Path: "/api/v1/units", ID: "listUnits", Tag: "Organisation",
			Summary: "The division's units with their heads and staff counts", Response: reflect.TypeFor[list[org.Unit]](), Handler: s.apiUnits},
		{Method: "GET", Path: "/api/v1/locations", ID: "listLocations", Tag: "Organisation",
			Summary: "Offices and overseas posts", Response: reflect.TypeFor[list[org.Location]](), Handler: s.apiLocations},
		{Method: "POST", Path: "/api/v1/locations", ID: "createLocation", Tag: "Organisation",
			Summary: "Add an office or overseas post", Body: reflect.TypeFor[locationInput](),
			Response: reflect.TypeFor[org.Location](), Status: http.StatusCreated, Handler: s.apiCreateLocation},
		{Method: "GET", Path: "/api/v1/teams", ID: "listTeams", Tag: "Organisation",
			Summary: "Teams", Response: reflect.TypeFor[list[org.Team]](), Handler: s.apiTeams},
		{Method: "GET", Path: "/api/v1/people", ID: "listPeople", Tag: "Organisation",
			Summary: "Staff, a page at a time", Response: reflect.TypeFor[store.PeoplePage](), Handler: s.apiPeople,
			Query: append([]param{
				{Name: "unit", Type: "string", Description: "Unit code, e.g. extradition."},
				{Name: "location", Type: "string", Description: "Location code, e.g. petty_france or post_es."},
				{Name: "grade", Type: "string", Description: "Grade code, e.g. legal_manager_1."},
				{Name: "q", Type: "string", Description: "Part of a name or email address."},
				{Name: "sort", Type: "string", Enum: []string{"name", "unit", "location", "grade", "email"}, Description: "Order of the list (default name)."},
				{Name: "order", Type: "string", Enum: []string{"asc", "desc"}, Description: "Direction of the order (default asc)."},
			}, pageParams...)},
		{Method: "GET", Path: "/api/v1/people/{id}", ID: "getPerson", Tag: "Organisation",
			Summary: "One member of staff", Response: reflect.TypeFor[org.Person](), Handler: s.apiPerson},
	}
}

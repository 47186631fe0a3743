package server

import (
	"encoding"
	"encoding/json"
	"net/http"
	"slices"

	"caseboard/internal/access"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// The OpenAPI document is generated from the route table in routes.go and
// from the Go types the handlers encode, so it describes what the server
// does rather than what someone remembered to write down.

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.openAPIDocument())
}

func (s *Server) openAPIDocument() map[string]any {
	schemas := &schemaSet{schemas: map[string]any{"Problem": schemaOf(reflect.TypeFor[problem](), nil)}, owners: map[string]reflect.Type{}}
	paths := map[string]any{}
	for _, route := range s.apiRoutes() {
		item, _ := paths[route.Path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[route.Path] = item
		}
		item[strings.ToLower(route.Method)] = operation(route, schemas)
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "caseboard API",
			"version":     s.version,
			"description": "The JSON API of caseboard. Lists are paged with opaque cursors; errors are application/problem+json (RFC 9457).",
		},
		"servers": []any{map[string]any{"url": "/"}},
		"paths":   paths,
		"components": map[string]any{"schemas": schemas.schemas, "securitySchemes": map[string]any{
			"bearer":  map[string]any{"type": "http", "scheme": "bearer", "description": "An API token (cbt_...) made on the account page or with caseboard user token."},
			"session": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie, "description": "A signed-in browser session; writes also need the X-CSRF-Token header."},
		}},
	}
}

func operation(route apiRoute, schemas *schemaSet) map[string]any {
	status := route.Status
	if status == 0 {
		status = http.StatusOK
	}
	success := map[string]any{"description": http.StatusText(status)}
	switch {
	case status == http.StatusNoContent:
	case route.Response != nil:
		success["content"] = map[string]any{"application/json": map[string]any{"schema": schemaOf(route.Response, schemas)}}
	default:
		success["content"] = map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}
	}
	problemResponse := map[string]any{
		"description": "An error, as a problem document",
		"content":     map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}},
	}
	op := map[string]any{
		"operationId": route.ID,
		"summary":     route.Summary,
		"tags":        []string{route.Tag},
		"responses":   map[string]any{strconv.Itoa(status): success, "default": problemResponse},
	}
	for status, body := range route.Also {
		op["responses"].(map[string]any)[strconv.Itoa(status)] = map[string]any{"description": http.StatusText(status),
			"content": map[string]any{"application/json": map[string]any{"schema": schemaOf(body, schemas)}}}
	}
	if route.Perm != access.Public {
		op["security"] = []any{map[string]any{"bearer": []string{}}, map[string]any{"session": []string{}}}
	}
	var params []any
	for _, name := range pathParams(route.Path) {
		kind := "integer"
		if name == "quarter" || name == "code" {
			kind = "string"
		}
		params = append(params, map[string]any{"name": name, "in": "path", "required": true, "schema": map[string]any{"type": kind}})
	}
	for _, p := range route.Query {
		schema := map[string]any{"type": p.Type}
		if len(p.Enum) > 0 {
			schema["enum"] = p.Enum
		}
		params = append(params, map[string]any{"name": p.Name, "in": "query", "description": p.Description, "schema": schema})
	}
	if params != nil {
		op["parameters"] = params
	}
	if route.Body != nil {
		op["requestBody"] = map[string]any{"required": true,
			"content": map[string]any{"application/json": map[string]any{"schema": schemaOf(route.Body, schemas)}}}
	}
	return op
}

func pathParams(path string) []string {
	var names []string
	for _, part := range strings.Split(path, "/") {
		if strings.HasPrefix(part, "{") && strings.HasSuffix(part, "}") {
			names = append(names, strings.Trim(part, "{}"))
		}
	}
	return names
}

// schemaOf returns the JSON Schema of a Go type as encoding/json writes it.
// Named structs become components referenced by $ref.
func schemaOf(t reflect.Type, components *schemaSet) map[string]any {
	if t == reflect.TypeFor[time.Time]() {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	if t.Kind() != reflect.Pointer && writesItself(t) {
		// The types caseboard gives its own JSON form (civil dates) write
		// themselves as strings.
		return map[string]any{"type": "string"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		inner := schemaOf(t.Elem(), components)
		if typ, ok := inner["type"].(string); ok {
			inner["type"] = []string{typ, "null"}
			return inner
		}
		return map[string]any{"oneOf": []any{inner, map[string]any{"type": "null"}}}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice:
		// encoding/json writes a nil slice as null.
		return map[string]any{"type": []string{"array", "null"}, "items": schemaOf(t.Elem(), components)}
	case reflect.Array:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), components)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem(), components)}
	case reflect.Struct:
		return structSchema(t, components)
	}
	return map[string]any{}
}

func structSchema(t reflect.Type, components *schemaSet) map[string]any {
	if components != nil {
		name := components.name(t)
		if _, done := components.schemas[name]; !done {
			components.schemas[name] = map[string]any{} // placeholder stops recursion
			components.schemas[name] = inlineStruct(t, components)
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return inlineStruct(t, components)
}

func inlineStruct(t reflect.Type, components *schemaSet) map[string]any {
	props := map[string]any{}
	var required []string
	addFields(t, components, props, &required)
	schema := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		schema["required"] = required
	}
	return schema
}

// addFields describes t's fields into props, flattening embedded structs
// without a JSON name as encoding/json does. A field of the outer struct
// wins over an embedded one of the same name.
func addFields(t reflect.Type, components *schemaSet, props map[string]any, required *[]string) {
	var embedded []reflect.Type
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Tag.Get("json") == "" && f.Type.Kind() == reflect.Struct {
			embedded = append(embedded, f.Type)
			continue
		}
		name, omitEmpty, ok := jsonName(f)
		if !ok {
			continue
		}
		props[name] = schemaOf(f.Type, components)
		if !omitEmpty {
			*required = append(*required, name)
		}
	}
	for _, e := range embedded {
		inner := map[string]any{}
		var innerRequired []string
		addFields(e, components, inner, &innerRequired)
		for name, schema := range inner {
			if _, shadowed := props[name]; !shadowed {
				props[name] = schema
				if slices.Contains(innerRequired, name) {
					*required = append(*required, name)
				}
			}
		}
	}
}

func jsonName(f reflect.StructField) (name string, omitEmpty, ok bool) {
	if !f.IsExported() {
		return "", false, false
	}
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", false, false
	}
	name, opts, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name, strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero"), true
}

// schemaSet is a document's named schemas, and the Go type each name
// stands for, so that two types of one name (quality.Assessment and
// plan.Assessment) get a schema each.
type schemaSet struct {
	schemas map[string]any
	owners  map[string]reflect.Type
}

// name is the component name of t: its own name, or, when another type
// took that first, its name after its package's (QualityAssessment).
func (c *schemaSet) name(t reflect.Type) string {
	name := schemaName(t)
	if owner, taken := c.owners[name]; taken && owner != t {
		pkg := t.PkgPath()[strings.LastIndex(t.PkgPath(), "/")+1:]
		name = strings.ToUpper(pkg[:1]) + pkg[1:] + name
	}
	c.owners[name] = t
	return name
}

// schemaName names a component after its type: org.Person -> Person,
// list[org.Unit] -> UnitList.
func schemaName(t reflect.Type) string {
	name := t.Name()
	if open := strings.Index(name, "["); open >= 0 {
		inner := name[open+1 : len(name)-1]
		inner = inner[strings.LastIndex(inner, ".")+1:]
		return inner + strings.ToUpper(name[:1]) + name[1:open]
	}
	if name == "" {
		return "Anonymous"
	}
	return strings.ToUpper(name[:1]) + name[1:]
}

// writesItself reports whether a type gives encoding/json its own form
// (json.Marshaler or encoding.TextMarshaler): caseboard's such types, the
// civil dates, write strings.
func writesItself(t reflect.Type) bool {
	for _, iface := range []reflect.Type{reflect.TypeFor[json.Marshaler](), reflect.TypeFor[encoding.TextMarshaler]()} {
		if t.Implements(iface) || reflect.PointerTo(t).Implements(iface) {
			return true
		}
	}
	return false
}

package server

import (
	"net/http"
	"net/url"

	"caseboard/internal/org"
	"caseboard/internal/store"
)

type organisationData struct {
	Units     []org.Unit
	Offices   []org.Location
	Posts     []org.Location
	People    []org.Person
	Filter    store.PeopleFilter
	Grades    []org.GradeInfo
	Sort      []sortHeader
	FirstPage string
	NextPage  string
	Active    []activeFilter
}

// sortHeader is a column header that sorts the table by that column.
type sortHeader struct {
	Label, Href, AriaSort string
}

// activeFilter is a chosen filter shown as a removable tag.
type activeFilter struct {
	Label, Value, RemoveHref string
}

func (s *Server) organisationPage(w http.ResponseWriter, r *http.Request) {
	f, err := peopleFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	units, err := s.db.Units(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	locations, err := s.db.Locations(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	people, err := s.db.People(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := organisationData{Units: units, People: people.People, Filter: f, Grades: org.Grades}
	for _, l := range locations {
		if l.Kind == org.OverseasPost {
			d.Posts = append(d.Posts, l)
		} else {
			d.Offices = append(d.Offices, l)
		}
	}
	d.Sort = sortHeaders(r.URL.Query(), f)
	d.Active = activeFilters(r.URL.Query(), units, locations)
	if f.Cursor != "" {
		d.FirstPage = withQuery(r.URL.Query(), "cursor", "")
	}
	if people.Next != "" {
		d.NextPage = withQuery(r.URL.Query(), "cursor", people.Next)
	}
	p := s.newPage(r, "Organisation", "/organisation")
	p.Data = d
	s.render(w, r, "organisation", p)
}

var sortableColumns = []struct{ Key, Label string }{
	{"name", "Name"}, {"grade", "Grade"}, {"unit", "Unit"}, {"location", "Location"},
}

func sortHeaders(q url.Values, f store.PeopleFilter) []sortHeader {
	current := f.Sort
	if current == "" {
		current = "name"
	}
	var out []sortHeader
	for _, c := range sortableColumns {
		h := sortHeader{Label: c.Label, AriaSort: "none"}
		order := "asc"
		if c.Key == current {
			h.AriaSort = "ascending"
			if f.Desc {
				h.AriaSort = "descending"
			} else {
				order = "desc"
			}
		}
		next := cloneValues(q)
		next.Set("sort", c.Key)
		next.Set("order", order)
		next.Del("cursor")
		h.Href = "?" + next.Encode()
		out = append(out, h)
	}
	return out
}

func activeFilters(q url.Values, units []org.Unit, locations []org.Location) []activeFilter {
	var out []activeFilter
	add := func(key, label, value string) {
		if value == "" {
			return
		}
		out = append(out, activeFilter{Label: label, Value: value, RemoveHref: withQuery(q, key, "")})
	}
	for _, u := range units {
		if u.Code == q.Get("unit") {
			add("unit", "Unit", u.Name)
		}
	}
	for _, l := range locations {
		if l.Code == q.Get("location") {
			add("location", "Location", l.Name)
		}
	}
	if g := org.Grade(q.Get("grade")); g.Valid() {
		add("grade", "Grade", g.Label())
	}
	add("q", "Name or email", q.Get("q"))
	return out
}

// withQuery returns "?query" with key set to value (removed when empty),
// starting again from the first page.
func withQuery(q url.Values, key, value string) string {
	next := cloneValues(q)
	next.Del("cursor")
	if value == "" {
		next.Del(key)
	} else {
		next.Set(key, value)
	}
	if len(next) == 0 {
		return "?"
	}
	return "?" + next.Encode()
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

type personData struct {
	Person  org.Person
	History []any // mojTimeline items, newest first
}

func (s *Server) personPage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	person, err := s.db.Person(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	history, err := s.db.AuditEntries(r.Context(), store.AuditFilter{RecordType: "person", RecordID: itoa(id), Limit: 200})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, person.Name, "/organisation")
	p.Breadcrumbs = []link{{"Organisation", "/organisation"}}
	p.Data = personData{Person: person, History: timelineItems(history)}
	s.render(w, r, "person", p)
}

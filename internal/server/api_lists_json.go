package server

import (
	"strconv"
	"time"
	"unicode/utf8"

	"caseboard/internal/casework"
	"caseboard/internal/org"
	"caseboard/internal/store"
)

// The people list and the caseload are the API's busiest answers and its
// largest: fifty records a page. Encoding them by reflection took a fifth
// to a third of each request, so they are written out here, field by
// field, in exactly the bytes encoding/json would write (tests hold the
// two to the same output on the demo division and on fuzzed records).

// appendPeoplePage appends the page as writeJSON would encode it, newline
// included.
func appendPeoplePage(b []byte, page store.PeoplePage) []byte {
	b = append(b, `{"people":`...)
	if page.People == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, p := range page.People {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendPerson(b, p)
		}
		b = append(b, ']')
	}
	if page.Next != "" {
		b = append(b, `,"next_cursor":`...)
		b = appendJSONString(b, page.Next)
	}
	return append(b, "}\n"...)
}

func appendPerson(b []byte, p org.Person) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, p.ID, 10)
	b = append(b, `,"name":`...)
	b = appendJSONString(b, p.Name)
	b = append(b, `,"email":`...)
	b = appendJSONString(b, p.Email)
	b = append(b, `,"grade":`...)
	b = appendJSONString(b, string(p.Grade))
	b = append(b, `,"unit_id":`...)
	b = strconv.AppendInt(b, p.UnitID, 10)
	b = append(b, `,"location_id":`...)
	b = strconv.AppendInt(b, p.LocationID, 10)
	b = append(b, `,"team_id":`...)
	b = appendOptionalID(b, p.TeamID)
	b = append(b, `,"line_manager_id":`...)
	b = appendOptionalID(b, p.LineManagerID)
	b = append(b, `,"clearance":`...)
	b = appendJSONString(b, string(p.Clearance))
	b = append(b, `,"active":`...)
	b = strconv.AppendBool(b, p.Active)
	b = append(b, `,"created_at":`...)
	b = appendJSONTime(b, p.CreatedAt)
	b = append(b, `,"updated_at":`...)
	b = appendJSONTime(b, p.UpdatedAt)
	b = appendOmittableFields(b, []jsonField{{"unit_code", p.UnitCode}, {"unit_name", p.UnitName},
		{"location_code", p.LocationCode}, {"location_name", p.LocationName}, {"team_name", p.TeamName}, {"line_manager_name", p.LineManagerName}})
	return append(b, '}')
}

// appendCasesPage appends the caseload page as writeJSON would encode it,
// newline included.
func appendCasesPage(b []byte, page store.CasePage) []byte {
	b = append(b, `{"cases":`...)
	if page.Cases == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, c := range page.Cases {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendCase(b, c)
		}
		b = append(b, ']')
	}
	if page.Next != "" {
		b = append(b, `,"next_cursor":`...)
		b = appendJSONString(b, page.Next)
	}
	return append(b, "}\n"...)
}

// appendCase follows casework.Case's fields and tags in order.
func appendCase(b []byte, c casework.Case) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, c.ID, 10)
	b = appendStringField(b, "reference", c.Reference)
	b = appendStringField(b, "kind", string(c.Kind))
	b = appendStringField(b, "title", c.Title)
	b = append(b, `,"unit_id":`...)
	b = strconv.AppendInt(b, c.UnitID, 10)
	b = append(b, `,"location_id":`...)
	b = strconv.AppendInt(b, c.LocationID, 10)
	b = appendStringField(b, "status", string(c.Status))
	b = appendStringField(b, "sensitivity", string(c.Sensitivity))
	b = append(b, `,"lawyer_id":`...)
	b = appendOptionalID(b, c.LawyerID)
	b = append(b, `,"manager_id":`...)
	b = appendOptionalID(b, c.ManagerID)
	b = append(b, `,"opened_on":`...)
	b = appendJSONTime(b, c.OpenedOn)
	b = appendOmittableFields(b, []jsonField{{"agency", c.Agency}, {"counsel", c.Counsel},
		{"complexity", c.Complexity}, {"pre_charge_decision", c.PreChargeDecision}})
	b = append(b, `,"pre_charge_decided_on":`...)
	if c.PreChargeDecidedOn == nil {
		b = append(b, "null"...)
	} else {
		b = appendJSONTime(b, *c.PreChargeDecidedOn)
	}
	b = appendOmittableFields(b, []jsonField{{"court", string(c.Court)}, {"court_centre", c.CourtCentre},
		{"direction", c.Direction}, {"country", c.Country}, {"warrant_type", c.WarrantType},
		{"requesting_authority", c.RequestingAuthority}, {"request_type", c.RequestType}, {"sensitive_reason", c.SensitiveReason}})
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, c.Version, 10)
	b = append(b, `,"created_at":`...)
	b = appendJSONTime(b, c.CreatedAt)
	b = append(b, `,"updated_at":`...)
	b = appendJSONTime(b, c.UpdatedAt)
	b = append(b, `,"next_deadline":`...)
	b = appendJSONTime(b, c.NextDeadline)
	b = appendOmittableFields(b, []jsonField{{"unit_code", c.UnitCode}, {"location_code", c.LocationCode}, {"lawyer_name", c.LawyerName}})
	b = append(b, `,"defendants":`...)
	b = strconv.AppendInt(b, int64(c.Defendants), 10)
	return append(b, '}')
}

// jsonField is a string field tagged omitempty: left out when empty.
type jsonField struct{ name, value string }

func appendOmittableFields(b []byte, fields []jsonField) []byte {
	for _, f := range fields {
		if f.value != "" {
			b = appendStringField(b, f.name, f.value)
		}
	}
	return b
}

// appendStringField writes ,"name":"value" for a field that is never left out.
func appendStringField(b []byte, name, value string) []byte {
	b = append(b, `,"`...)
	b = append(b, name...)
	b = append(b, `":`...)
	return appendJSONString(b, value)
}

func appendOptionalID(b []byte, id *int64) []byte {
	if id == nil {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, *id, 10)
}

// appendJSONTime writes t as time.Time's MarshalJSON does.
func appendJSONTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"

// appendJSONString writes s as encoding/json does with HTML escaping on:
// quotes, backslashes and control characters escaped, <, > and &
// as \u003c, \u003e and \u0026, invalid UTF-8 as U+FFFD, and the line
// and paragraph separators escaped for JavaScript's sake.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

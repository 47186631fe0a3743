package web

import (
	"errors"
	"fmt"
	"html"
	"html/template"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Funcs returns the template functions shared by layouts, pages and component
// partials. Component partials take their parameters as maps shaped exactly
// like the GOV.UK Frontend and MOJ Frontend Nunjucks macro options, so pages
// build them with dict and list.
//
// Several helpers reproduce JavaScript semantics (truthiness, loose equality,
// string conversion) because the partials are ports of Nunjucks templates and
// must render the same markup for the same options.
func Funcs() template.FuncMap {
	return template.FuncMap{
		"dict":         dict,
		"list":         list,
		"append":       appendItems,
		"safeHTML":     safeHTML,
		"attrs":        attrs,
		"truthy":       truthy,
		"has":          has,
		"isMap":        isMap,
		"default":      defaultValue,
		"looseEq":      looseEq,
		"in":           in,
		"concat":       concat,
		"tokens":       tokens,
		"capitalize":   capitalize,
		"lower":        lower,
		"add":          add,
		"mojDate":      mojDate,
		"momentFormat": momentFormat,
		"urgency":      urgency,
		"percent":      percent,
		"decimal":      decimal,
		"pValue":       pValue,
	}
}

// dict builds a map from alternating keys and values: dict "text" "Open" "classes" "x".
// A nil value leaves its key out, as passing undefined to a Nunjucks macro
// does: a partial can then tell a given param from a missing one, and can
// chain lookups such as .legend.text, which fail on a present nil value.
func dict(pairs ...any) (map[string]any, error) {
	if len(pairs)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments (%d)", len(pairs))
	}
	m := make(map[string]any, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		key, ok := pairs[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %d is %T, not a string", i/2, pairs[i])
		}
		if !isNilValue(pairs[i+1]) {
			m[key] = pairs[i+1]
		}
	}
	return m, nil
}

// list builds a slice: list (dict ...) (dict ...).
func list(items ...any) []any { return items }

// appendItems returns a new list of the items of l followed by items, so a
// template can build a list in a loop. It never changes l, which may be a
// caller's options.
func appendItems(l any, items ...any) ([]any, error) {
	var out []any
	switch l := l.(type) {
	case nil:
	case []any:
		out = slices.Clone(l)
	default:
		return nil, fmt.Errorf("append: %T is not a list", l)
	}
	return append(out, items...), nil
}

// safeHTML marks a component's html-style parameter (html, titleHtml,
// summaryHtml, slots...) as trusted markup. These parameters are written by
// page authors in templates, exactly as in the Nunjucks macros where they are
// piped through `safe`; user input must go in the text-style parameters, which
// html/template escapes. A missing parameter renders as nothing.
func safeHTML(v any) template.HTML {
	switch v := v.(type) {
	case nil:
		return ""
	case template.HTML:
		return v
	case string:
		return template.HTML(v)
	}
	return template.HTML(jsString(v))
}

// attrs renders a component's attributes parameter the way govuk-frontend 6's
// govukAttributes macro does. It accepts:
//
//   - a map of name to value: value renders as name="value", with nil as
//     name="" (as Nunjucks renders undefined);
//   - a map of name to {value, optional}: with optional true, a nil, false
//     or missing value omits the attribute and true renders a bare name;
//   - a string (or template.HTMLAttr), output verbatim as the Nunjucks macro
//     does; it must come from the page author.
//
// Values are HTML-escaped but, unlike attributes written literally in a
// template, not escaped for URL or script contexts, so user data must not be
// routed into href or src through this parameter. Event-handler attributes
// are refused: the content security policy forbids inline script anyway.
func attrs(v any) (template.HTMLAttr, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return template.HTMLAttr(v), nil
	case template.HTMLAttr:
		return v, nil
	case map[string]any:
		names := make([]string, 0, len(v))
		for name := range v {
			names = append(names, name)
		}
		// Nunjucks follows the object's insertion order, which a Go map does
		// not keep; sorting keeps the output stable between renders.
		slices.Sort(names)
		var b strings.Builder
		for _, name := range names {
			if err := checkAttrName(name); err != nil {
				return "", err
			}
			value, optional := v[name], false
			if opts, ok := value.(map[string]any); ok {
				value = opts["value"]
				optional = opts["optional"] == true
			}
			switch {
			case optional && value == true:
				b.WriteString(" " + name)
			case optional && (value == nil || value == false):
			default:
				b.WriteString(" " + name + `="` + attrValue(value) + `"`)
			}
		}
		return template.HTMLAttr(b.String()), nil
	}
	return "", fmt.Errorf("attrs: attributes is %T, want a map or a string", v)
}

// checkAttrName refuses names that would break out of the tag or add inline
// script.
func checkAttrName(name string) error {
	if name == "" || strings.ContainsAny(name, " \t\n\f\r\"'>/=<`") {
		return fmt.Errorf("attrs: invalid attribute name %q", name)
	}
	if strings.HasPrefix(strings.ToLower(name), "on") {
		return fmt.Errorf("attrs: event handler attribute %q is not allowed", name)
	}
	return nil
}

func attrValue(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case template.HTML:
		// Already marked safe by the author, as `| safe` does in Nunjucks.
		return string(v)
	}
	return html.EscapeString(jsString(v))
}

// truthy reports whether v is truthy in JavaScript. It differs from the
// template language's own test in treating empty lists and maps as true,
// which matters where a macro tests an object param such as `meta: {}`.
func truthy(v any) bool {
	if v == nil {
		return false
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Bool:
		return rv.Bool()
	case reflect.String:
		return rv.Len() > 0
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int() != 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return rv.Uint() != 0
	case reflect.Float32, reflect.Float64:
		f := rv.Float()
		return f != 0 && !math.IsNaN(f)
	case reflect.Pointer, reflect.Interface:
		return !rv.IsNil()
	}
	return true
}

// has reports whether the map m holds key, standing in for the macros'
// `params.x !== undefined` tests: a parameter given as false must still
// render.
func has(m any, key string) bool {
	mm, ok := m.(map[string]any)
	if !ok {
		return false
	}
	_, ok = mm[key]
	return ok
}

// isMap reports whether v is an options object, for the params that take
// either an html string or an object (the service navigation's end slot).
func isMap(v any) bool {
	_, ok := v.(map[string]any)
	return ok
}

// defaultValue is Nunjucks' `default` filter: v unless it is missing, in
// which case def. Missing and null cannot be told apart through a template's
// field access, so null also takes the default. Falsy values such as "" are
// kept, as in Nunjucks; use `or` for `default(x, true)`.
func defaultValue(def, v any) any {
	if v == nil {
		return def
	}
	return v
}

// looseEq is JavaScript's == for the primitive values macro options hold, so
// that a select's value 2 selects the option whose value is "2".
func looseEq(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	ka, kb := primitiveKind(a), primitiveKind(b)
	switch {
	case ka == reflect.Invalid || kb == reflect.Invalid:
		// Objects compare by identity in JavaScript; an option is never
		// the same object as the value it is compared with.
		return false
	case ka == reflect.String && kb == reflect.String:
		return reflect.ValueOf(a).String() == reflect.ValueOf(b).String()
	case ka == reflect.Bool && kb == reflect.Bool:
		return a.(bool) == b.(bool)
	}
	return jsNumber(a) == jsNumber(b)
}

// primitiveKind returns String, Bool or Float64 for values JavaScript would
// treat as primitives, and Invalid for anything else.
func primitiveKind(v any) reflect.Kind {
	switch reflect.ValueOf(v).Kind() {
	case reflect.String:
		return reflect.String
	case reflect.Bool:
		return reflect.Bool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return reflect.Float64
	}
	return reflect.Invalid
}

// jsNumber converts a primitive as JavaScript's Number() does; NaN never
// equals anything, which is what a failed conversion must mean.
func jsNumber(v any) float64 {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Bool:
		if rv.Bool() {
			return 1
		}
		return 0
	case reflect.String:
		s := strings.TrimSpace(rv.String())
		if s == "" {
			return 0
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return math.NaN()
		}
		return f
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint())
	case reflect.Float32, reflect.Float64:
		return rv.Float()
	}
	return math.NaN()
}

// in is the Nunjucks `needle in haystack` operator: element of a list
// (strict equality), substring of a string, or key of a map.
func in(needle, haystack any) (bool, error) {
	switch h := haystack.(type) {
	case []any:
		return slices.ContainsFunc(h, func(e any) bool { return strictEq(e, needle) }), nil
	case []string:
		s, ok := needle.(string)
		return ok && slices.Contains(h, s), nil
	case map[string]any:
		_, ok := h[jsString(needle)]
		return ok, nil
	}
	if reflect.ValueOf(haystack).Kind() == reflect.String {
		return strings.Contains(reflect.ValueOf(haystack).String(), jsString(needle)), nil
	}
	return false, fmt.Errorf("in: cannot search for %v in %T", needle, haystack)
}

// strictEq is JavaScript's === for primitives.
func strictEq(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	ka, kb := primitiveKind(a), primitiveKind(b)
	if ka != kb || ka == reflect.Invalid {
		return false
	}
	return looseEq(a, b)
}

// concat joins values as JavaScript's + does on strings, so numbers render
// as 2 rather than 2.0. A missing value joins as nothing rather than
// JavaScript's "undefined".
func concat(parts ...any) string {
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(jsString(p))
	}
	return b.String()
}

// tokens joins the truthy values with single spaces, building class lists
// and aria-describedby id lists as the macros do with `a + " " + b if a
// else b`. Skipping falsy values lets a template write
// (and .isStartButton "govuk-button--start").
func tokens(parts ...any) string {
	var words []string
	for _, p := range parts {
		if truthy(p) {
			words = append(words, jsString(p))
		}
	}
	return strings.Join(words, " ")
}

// jsString converts v as JavaScript's String() would for option values.
func jsString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return jsFloat(v)
	case float32:
		return jsFloat(float64(v))
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = jsString(e)
		}
		return strings.Join(parts, ",")
	case map[string]any:
		return "[object Object]"
	case fmt.Stringer:
		return v.String()
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.String {
		return rv.String()
	}
	return fmt.Sprint(v)
}

func jsFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	if a := math.Abs(f); a >= 1e21 || (a != 0 && a < 1e-6) {
		// JavaScript switches to exponent form here, without padding the
		// exponent: 1e+21, 1.5e-7.
		mantissa, exp, _ := strings.Cut(strconv.FormatFloat(f, 'e', -1, 64), "e")
		sign, digits := exp[:1], strings.TrimLeft(exp[1:], "0")
		return mantissa + "e" + sign + digits
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// capitalize is Nunjucks' capitalize filter: first letter upper case, the
// rest lower case.
func capitalize(v any) string {
	s := strings.ToLower(jsString(v))
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return ""
	}
	return strings.ToUpper(string(r)) + s[size:]
}

func lower(v any) string { return strings.ToLower(jsString(v)) }

// add sums whole numbers, chiefly to turn a range index into Nunjucks'
// one-based loop.index.
func add(a, b any) (int, error) {
	x, errA := wholeNumber(a)
	y, errB := wholeNumber(b)
	if err := errors.Join(errA, errB); err != nil {
		return 0, fmt.Errorf("add: %w", err)
	}
	return x + y, nil
}

func wholeNumber(v any) (int, error) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return int(rv.Int()), nil
	case reflect.Float32, reflect.Float64:
		if f := rv.Float(); f == math.Trunc(f) {
			return int(f), nil
		}
	}
	return 0, fmt.Errorf("%v (%T) is not a whole number", v, v)
}

// mojDate is MOJ Frontend's mojDate filter, used by the timeline: it formats
// a timestamp as "datetime" (4 March 2025 at 2:05pm), "shortdatetime",
// "date", "shortdate" or "time", in the server's local time zone as the
// moment.js original does. Any other type returns the timestamp unchanged.
// The timestamp is a time.Time or an ISO 8601 string.
func mojDate(timestamp any, kind string) (string, error) {
	var t time.Time
	switch ts := timestamp.(type) {
	case nil:
		// moment.js would show the current time, which no page means.
		return "", nil
	case time.Time:
		t = ts.In(time.Local)
	case string:
		switch kind {
		case "datetime", "shortdatetime", "date", "shortdate", "time":
		default:
			return ts, nil
		}
		var err error
		if t, err = parseTimestamp(ts); err != nil {
			return "", fmt.Errorf("mojDate: %w", err)
		}
	default:
		return "", fmt.Errorf("mojDate: timestamp is %T, want a string or time.Time", timestamp)
	}
	govTime := func() string {
		if t.Minute() > 0 {
			return t.Format("3:04pm")
		}
		return t.Format("3pm")
	}
	switch kind {
	case "datetime":
		return t.Format("2 January 2006") + " at " + govTime(), nil
	case "shortdatetime":
		return t.Format("2 Jan 2006") + " at " + govTime(), nil
	case "date":
		return t.Format("2 January 2006"), nil
	case "shortdate":
		return t.Format("2 Jan 2006"), nil
	case "time":
		return govTime(), nil
	}
	return t.Format(time.RFC3339), nil
}

// parseTimestamp reads the ISO 8601 forms moment.js accepts most often; a
// timestamp without an offset is local time, as in moment.
func parseTimestamp(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.In(time.Local), nil
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot parse timestamp %q", s)
}

// momentFormat is MOJ Frontend's date filter, moment(timestamp).format(f),
// for the timeline's datetime.format param. It knows moment's common tokens
// (YYYY YY MMMM MMM MM M Do DD D dddd ddd HH H hh h mm m ss s A a Z) and
// [bracketed] literal text; an empty format gives ISO 8601 as moment does.
func momentFormat(timestamp any, format any) (string, error) {
	var t time.Time
	switch ts := timestamp.(type) {
	case nil:
		return "", nil
	case time.Time:
		t = ts.In(time.Local)
	case string:
		var err error
		if t, err = parseTimestamp(ts); err != nil {
			return "", fmt.Errorf("momentFormat: %w", err)
		}
	default:
		return "", fmt.Errorf("momentFormat: timestamp is %T, want a string or time.Time", timestamp)
	}
	f := jsString(format)
	if f == "" {
		return t.Format("2006-01-02T15:04:05-07:00"), nil
	}
	var b strings.Builder
	for f != "" {
		if f[0] == '[' {
			end := strings.IndexByte(f, ']')
			if end < 0 {
				end = len(f)
				b.WriteString(f[1:])
			} else {
				b.WriteString(f[1:end])
				end++
			}
			f = f[end:]
			continue
		}
		token, text := momentToken(t, f)
		b.WriteString(text)
		f = f[len(token):]
	}
	return b.String(), nil
}

// momentTokens is ordered so that a longer token wins over its prefix.
var momentTokens = []string{
	"YYYY", "YY", "MMMM", "MMM", "MM", "M", "Do", "DD", "D", "dddd", "ddd",
	"HH", "H", "hh", "h", "mm", "m", "ss", "s", "A", "a", "Z",
}

// momentToken formats the token at the start of f, or passes its first
// character through.
func momentToken(t time.Time, f string) (token, text string) {
	for _, tok := range momentTokens {
		if !strings.HasPrefix(f, tok) {
			continue
		}
		switch tok {
		case "YYYY":
			return tok, t.Format("2006")
		case "YY":
			return tok, t.Format("06")
		case "MMMM":
			return tok, t.Format("January")
		case "MMM":
			return tok, t.Format("Jan")
		case "MM":
			return tok, t.Format("01")
		case "M":
			return tok, strconv.Itoa(int(t.Month()))
		case "Do":
			return tok, ordinal(t.Day())
		case "DD":
			return tok, t.Format("02")
		case "D":
			return tok, strconv.Itoa(t.Day())
		case "dddd":
			return tok, t.Format("Monday")
		case "ddd":
			return tok, t.Format("Mon")
		case "HH":
			return tok, t.Format("15")
		case "H":
			return tok, strconv.Itoa(t.Hour())
		case "hh":
			return tok, t.Format("03")
		case "h":
			return tok, t.Format("3")
		case "mm":
			return tok, t.Format("04")
		case "m":
			return tok, strconv.Itoa(t.Minute())
		case "ss":
			return tok, t.Format("05")
		case "s":
			return tok, strconv.Itoa(t.Second())
		case "A":
			return tok, t.Format("PM")
		case "a":
			return tok, t.Format("pm")
		case "Z":
			return tok, t.Format("-07:00")
		}
	}
	_, size := utf8.DecodeRuneInString(f)
	return f[:size], f[:size]
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// isNilValue reports whether v is nil or a typed nil (a nil map, slice or
// pointer handed over from Go code), both of which stand for an absent
// Nunjucks parameter.
func isNilValue(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Map, reflect.Slice, reflect.Pointer, reflect.Interface, reflect.Func, reflect.Chan:
		return rv.IsNil()
	}
	return false
}

// urgency is the class of a deadline date in a list: overdue in red, due
// within seven days in amber, as MOJ contextual dates show them. Pages say
// so in words too.
func urgency(due time.Time) string {
	days := int(due.Sub(time.Now().Truncate(24*time.Hour)).Hours() / 24)
	switch {
	case days < 0:
		return "app-date--overdue"
	case days <= 7:
		return "app-date--soon"
	}
	return ""
}

package web

import (
	"reflect"
	"strconv"
)

// number reads a float64 or a pointer to one; ok is false for nil.
func number(v any) (float64, bool) {
	rv := reflect.ValueOf(v)
	for rv.IsValid() && rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return 0, false
		}
		rv = rv.Elem()
	}
	switch rv.Kind() {
	case reflect.Float32, reflect.Float64:
		return rv.Float(), true
	case reflect.Int, reflect.Int64, reflect.Int32:
		return float64(rv.Int()), true
	}
	return 0, false
}

// percent writes a share from 0 to 1 as a whole percentage, "82%", or an
// en dash when there is none (a nil figure means nothing to divide).
func percent(v any) string {
	f, ok := number(v)
	if !ok {
		return "–"
	}
	return strconv.FormatFloat(f*100, 'f', 0, 64) + "%"
}

// decimal writes a figure with the given decimal places, or an en dash
// when there is none.
func decimal(v any, places int) string {
	f, ok := number(v)
	if !ok {
		return "–"
	}
	return strconv.FormatFloat(f, 'f', places, 64)
}

// pValue writes a probability to four places, or "< 0.0001" when it
// rounds to nothing, or an en dash when there is none.
func pValue(v any) string {
	f, ok := number(v)
	switch {
	case !ok:
		return "–"
	case f < 0.0001:
		return "< 0.0001"
	}
	return strconv.FormatFloat(f, 'f', 4, 64)
}

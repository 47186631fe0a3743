package deadline_test

import (
	"encoding/json"
	"testing"
	"time"

	"caseboard/internal/deadline"
	"caseboard/internal/fault"
)

// date parses a YYYY-MM-DD literal in a test table; "" is the zero Date.
func date(s string) deadline.Date {
	d, err := deadline.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestParseDate(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for _, s := range []string{"2018-03-01", "2020-02-29", "2030-12-31", "1987-04-01"} {
			d, err := deadline.ParseDate(s)
			if err != nil || d.String() != s {
				t.Errorf("ParseDate(%q) = %v, %v", s, d, err)
			}
		}
		if d, err := deadline.ParseDate(""); err != nil || !d.IsZero() || d.String() != "" {
			t.Errorf(`ParseDate("") = %v, %v; want the zero Date`, d, err)
		}
	})
	t.Run("ErrFormat", func(t *testing.T) {
		for _, s := range []string{"2018-3-1", "01/03/2018", "2018/03/01", " 2018-03-01", "2018-03-01T00:00", "+018-03-01", "2018-0a-01", "20180301"} {
			if _, err := deadline.ParseDate(s); fault.CodeOf(err) != fault.Invalid {
				t.Errorf("ParseDate(%q) err = %v; want invalid", s, err)
			}
		}
	})
	t.Run("ErrNotARealDate", func(t *testing.T) {
		for _, s := range []string{"2018-02-29", "2018-02-30", "2018-13-01", "2018-00-10", "2018-04-31", "0000-00-00"} {
			if _, err := deadline.ParseDate(s); fault.CodeOf(err) != fault.Invalid {
				t.Errorf("ParseDate(%q) err = %v; want invalid", s, err)
			}
		}
	})
}

func TestDateArithmetic(t *testing.T) {
	for _, tc := range []struct {
		from string
		n    int
		want string
		day  time.Weekday
	}{
		{"2018-03-01", 56, "2018-04-26", time.Thursday},  // 30 days to 31 March, 26 more
		{"2018-02-05", 56, "2018-04-02", time.Monday},    // Easter Monday 2018
		{"2018-03-01", 182, "2018-08-30", time.Thursday}, // 30+30+31+30+31+30
		{"2020-02-28", 1, "2020-02-29", time.Saturday},   // leap day
		{"2021-02-28", 1, "2021-03-01", time.Monday},     // no leap day
		{"2021-12-31", 1, "2022-01-01", time.Saturday},
		{"2022-01-03", -56, "2021-11-08", time.Monday},
		{"2020-10-01", 238, "2021-05-27", time.Thursday},
	} {
		got := date(tc.from).AddDays(tc.n)
		if got.String() != tc.want || got.Weekday() != tc.day {
			t.Errorf("%s + %d = %s %s; want %s %s", tc.from, tc.n, got, got.Weekday(), tc.want, tc.day)
		}
		if back := got.Sub(date(tc.from)); back != tc.n {
			t.Errorf("%s − %s = %d; want %d", got, tc.from, back, tc.n)
		}
	}
	a, b := date("1969-12-31"), date("1970-01-01")
	if b.Sub(a) != 1 || !a.Before(b) || !b.After(a) || a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Error("dates either side of 1970 compare wrongly")
	}
	if got := date("1900-01-01").AddDays(100 * 365).Sub(date("1900-01-01")); got != 36500 {
		t.Errorf("36500 days came back as %d", got)
	}
}

func TestAddMonths(t *testing.T) {
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2018-01-15", 3, "2018-04-15"},
		{"2018-01-31", 1, "2018-02-28"}, // February is shorter: its last day
		{"2020-01-31", 1, "2020-02-29"}, // leap year
		{"2018-11-30", 3, "2019-02-28"}, // across a year end
		{"2018-03-31", -1, "2018-02-28"},
		{"2018-05-31", 1, "2018-06-30"},
		{"2018-12-01", 12, "2019-12-01"},
	} {
		if got := date(tc.from).AddMonths(tc.n); got.String() != tc.want {
			t.Errorf("%s + %d months = %s; want %s", tc.from, tc.n, got, tc.want)
		}
	}
}

func TestDateOf(t *testing.T) {
	bst := time.FixedZone("BST", 3600)
	// 23:30 UTC on 26 April 2018 is already 00:30 on the 27th in London.
	utc := time.Date(2018, 4, 26, 23, 30, 0, 0, time.UTC)
	if got := deadline.DateOf(utc); got.String() != "2018-04-26" {
		t.Errorf("UTC date %s", got)
	}
	if got := deadline.DateOf(utc.In(bst)); got.String() != "2018-04-27" {
		t.Errorf("London date %s; want 2018-04-27", got)
	}
	if got := date("2018-04-27").Time(bst); !got.Equal(time.Date(2018, 4, 26, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("midnight starting 2018-04-27 BST is %s", got.UTC())
	}
	if got := deadline.NewDate(2018, 2, 30); got.String() != "2018-03-02" {
		t.Errorf("NewDate normalised to %s", got)
	}
}

func TestDateJSON(t *testing.T) {
	type rec struct {
		D deadline.Date `json:"d"`
	}
	t.Run("OK", func(t *testing.T) {
		b, _ := json.Marshal(rec{date("2018-03-01")})
		if string(b) != `{"d":"2018-03-01"}` {
			t.Fatalf("marshalled %s", b)
		}
		var r rec
		if err := json.Unmarshal([]byte(`{"d":"2022-09-19"}`), &r); err != nil || r.D != date("2022-09-19") {
			t.Fatalf("unmarshalled %v, %v", r.D, err)
		}
		if err := json.Unmarshal([]byte(`{"d":""}`), &r); err != nil || !r.D.IsZero() {
			t.Fatalf(`"" unmarshalled to %v, %v`, r.D, err)
		}
	})
	t.Run("ErrBadDate", func(t *testing.T) {
		var r rec
		if err := json.Unmarshal([]byte(`{"d":"2018-02-30"}`), &r); err == nil {
			t.Fatal("2018-02-30 accepted")
		}
	})
}

package casework_test

import (
	"testing"

	"caseboard/internal/casework"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
)

func civil(s string) deadline.Date {
	d, err := deadline.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func civilPtr(s string) *deadline.Date { d := civil(s); return &d }

// wantFields asserts that err is a validation error naming exactly fields.
func wantFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	fe := fault.As(err)
	if len(fields) == 0 {
		if err != nil {
			t.Fatalf("unexpected error %v", err)
		}
		return
	}
	if fe == nil || fe.Code != fault.Invalid {
		t.Fatalf("got %v, want a validation error on %v", err, fields)
	}
	var got []string
	for _, f := range fe.Fields {
		got = append(got, f.Field)
	}
	if len(got) != len(fields) {
		t.Fatalf("fields %v, want %v", got, fields)
	}
	for i := range got {
		if got[i] != fields[i] {
			t.Fatalf("fields %v, want %v", got, fields)
		}
	}
}

func TestDirectionValidate(t *testing.T) {
	today := civil("2018-06-01")
	good := func() casework.Direction {
		return casework.Direction{Court: casework.CrownCourt, Description: "Serve the case papers", Due: civil("2018-05-20")}
	}
	for name, tc := range map[string]struct {
		change func(*casework.Direction)
		fields []string
	}{
		"Good":              {func(*casework.Direction) {}, nil},
		"GoodCompleted":     {func(d *casework.Direction) { d.CompletedOn = civilPtr("2018-06-01") }, nil},
		"ErrNoDescription":  {func(d *casework.Direction) { d.Description = "  " }, []string{"description"}},
		"ErrCourt":          {func(d *casework.Direction) { d.Court = "HC" }, []string{"court"}},
		"ErrNoDue":          {func(d *casework.Direction) { d.Due = deadline.Date{} }, []string{"due"}},
		"ErrDueIn1900":      {func(d *casework.Direction) { d.Due = civil("1900-01-01") }, []string{"due"}},
		"ErrCompletedLater": {func(d *casework.Direction) { d.CompletedOn = civilPtr("2018-06-02") }, []string{"completed_on"}},
	} {
		t.Run(name, func(t *testing.T) {
			d := good()
			tc.change(&d)
			wantFields(t, d.Validate(today), tc.fields...)
		})
	}
}

func TestDirectionState(t *testing.T) {
	d := casework.Direction{Due: civil("2018-05-20")}
	for _, tc := range []struct {
		today     string
		completed *deadline.Date
		want      casework.DirectionState
		timely    bool
	}{
		{"2018-05-20", nil, casework.DirectionDue, false}, // the due day itself is not late
		{"2018-05-21", nil, casework.DirectionOverdue, false},
		{"2018-06-30", civilPtr("2018-05-20"), casework.DirectionOnTime, true},
		{"2018-06-30", civilPtr("2018-05-01"), casework.DirectionOnTime, true},
		{"2018-06-30", civilPtr("2018-05-21"), casework.DirectionCompleted, false},
	} {
		d.CompletedOn = tc.completed
		if got := d.State(civil(tc.today)); got != tc.want || d.Timely() != tc.timely {
			t.Errorf("on %s completed %v: %s timely %v; want %s %v", tc.today, tc.completed, got, d.Timely(), tc.want, tc.timely)
		}
	}
}

func TestHearingValidate(t *testing.T) {
	h := casework.Hearing{Kind: casework.Plea, Court: casework.CrownCourt, Centre: " Southwark ", On: civil("2018-04-03")}
	wantFields(t, h.Validate())
	if h.Centre != "Southwark" {
		t.Errorf("centre not trimmed: %q", h.Centre)
	}
	bad := casework.Hearing{Kind: "tea_party", Court: "", On: civil("2108-01-01")}
	wantFields(t, bad.Validate(), "kind", "court", "on")
}

func TestKeyDocumentState(t *testing.T) {
	today := civil("2018-06-10")
	for _, tc := range []struct {
		kind    casework.DocumentKind
		updated *deadline.Date
		next    string
		want    casework.DocumentState
	}{
		{casework.ProsecutionStrategy, nil, "", casework.DocumentMissing},
		{casework.ProsecutionStrategy, civilPtr("2018-03-10"), "2018-06-10", casework.DocumentDueSoon}, // due today
		{casework.ProsecutionStrategy, civilPtr("2018-03-09"), "2018-06-09", casework.DocumentOverdue},
		{casework.ProsecutionStrategy, civilPtr("2018-03-18"), "2018-06-18", casework.DocumentCurrent}, // eight days away
		{casework.DisclosureRecordSheet, civilPtr("2018-05-31"), "2018-06-30", casework.DocumentCurrent},
		{casework.MediaForm, civilPtr("2010-01-01"), "", casework.DocumentCurrent}, // once is enough
	} {
		k := casework.KeyDocument{Kind: tc.kind, UpdatedOn: tc.updated}
		next := ""
		if n := k.NextReview(); !n.IsZero() {
			next = n.String()
		}
		if got := k.State(today); got != tc.want || next != tc.next {
			t.Errorf("%s updated %v: %s next %q; want %s next %q", tc.kind, tc.updated, got, next, tc.want, tc.next)
		}
	}
	bad := casework.KeyDocument{Kind: "diary", UpdatedOn: civilPtr("2018-06-11")}
	wantFields(t, bad.Validate(today), "kind", "updated_on")
}

package access_test

import (
	"testing"

	"caseboard/internal/access"
	"caseboard/internal/org"
)

// TestPerformancePackPolicy: staff, inspectors and the Board read the
// packs and posters, partners do not; those who answer for the figures
// comment; the Head of Division and business managers issue; a poster's
// narrative is its unit head's or the Head of Division's.
func TestPerformancePackPolicy(t *testing.T) {
	head := &access.Principal{PersonID: 15, Roles: []access.Role{access.UnitHead, access.LegalManager}, Units: []int64{1}, Clearance: org.SC}
	abm := &access.Principal{PersonID: 55, Roles: []access.Role{access.BusinessManager}, Units: []int64{3}, Clearance: org.SC}
	board := &access.Principal{PersonID: 65, Roles: []access.Role{access.BoardMember}, Units: []int64{3}, Clearance: org.SC}
	readOnlyHOD := *hod
	readOnlyHOD.Token = &access.TokenScope{ReadOnly: true}
	otherUnitToken := *head
	otherUnitToken.Token = &access.TokenScope{UnitID: ptr(int64(2))}
	for _, tc := range []struct {
		name string
		who  *access.Principal
		perm access.Permission
		want bool
	}{
		{"lawyer reads", lawyer, access.ReadPerformancePacks, true},
		{"board reads", board, access.ReadPerformancePacks, true},
		{"inspector reads", inspector, access.ReadPerformancePacks, true},
		{"partner does not read", partner, access.ReadPerformancePacks, false},
		{"unit head comments", head, access.WritePerformanceCommentary, true},
		{"business manager comments", abm, access.WritePerformanceCommentary, true},
		{"lawyer does not comment", lawyer, access.WritePerformanceCommentary, false},
		{"board does not comment", board, access.WritePerformanceCommentary, false},
		{"head of division issues", hod, access.IssuePerformancePacks, true},
		{"business manager issues", abm, access.IssuePerformancePacks, true},
		{"unit head does not issue", head, access.IssuePerformancePacks, false},
		{"board does not issue", board, access.IssuePerformancePacks, false},
		{"read-only token does not issue", &readOnlyHOD, access.IssuePerformancePacks, false},
	} {
		if got := access.Allows(tc.who, tc.perm); got != tc.want {
			t.Errorf("%s: Allows(%s) = %v, want %v", tc.name, tc.perm, got, tc.want)
		}
	}
	for _, tc := range []struct {
		name string
		who  *access.Principal
		unit int64
		want bool
	}{
		{"own unit's head", head, 1, true},
		{"another unit's head", head, 2, false},
		{"head of division", hod, 2, true},
		{"business manager", abm, 1, false},
		{"lawyer", lawyer, 1, false},
		{"read-only token", &readOnlyHOD, 1, false},
		{"token of another unit", &otherUnitToken, 1, false},
		{"partner", partner, 1, false},
	} {
		if got := access.CanWritePosterNarrative(tc.who, tc.unit); got != tc.want {
			t.Errorf("%s: CanWritePosterNarrative(%d) = %v, want %v", tc.name, tc.unit, got, tc.want)
		}
	}
}

// TestCanShareMeasure: the Head of Division shares any measure with a
// partner; a unit head only a measure of their own units alone; nobody
// else, and never through a read-only or unit-scoped token.
func TestCanShareMeasure(t *testing.T) {
	head := &access.Principal{PersonID: 15, Roles: []access.Role{access.UnitHead}, Units: []int64{1}, Clearance: org.SC}
	abm := &access.Principal{PersonID: 55, Roles: []access.Role{access.BusinessManager}, Units: []int64{3}, Clearance: org.SC}
	readOnlyHOD := *hod
	readOnlyHOD.Token = &access.TokenScope{ReadOnly: true}
	scopedHOD := *hod
	scopedHOD.Token = &access.TokenScope{UnitID: ptr(int64(1))}
	for _, tc := range []struct {
		name  string
		who   *access.Principal
		units []int64
		want  bool
	}{
		{"head of division, every unit's measure", hod, nil, true},
		{"head of division, one unit's measure", hod, []int64{2}, true},
		{"unit head, own unit's measure", head, []int64{1}, true},
		{"unit head, a measure of every unit", head, nil, false},
		{"unit head, another unit's measure", head, []int64{2}, false},
		{"unit head, a measure shared by two units", head, []int64{1, 2}, false},
		{"business manager", abm, []int64{3}, false},
		{"lawyer", lawyer, []int64{1}, false},
		{"partner", partner, []int64{1}, false},
		{"read-only token", &readOnlyHOD, nil, false},
		{"unit-scoped token", &scopedHOD, []int64{1}, false},
	} {
		if got := access.CanShareMeasure(tc.who, tc.units); got != tc.want {
			t.Errorf("%s: CanShareMeasure(%v) = %v, want %v", tc.name, tc.units, got, tc.want)
		}
	}
}

// TestFiguresReader: a partner's shared figures are the division's as
// the Board reads them, within the partner's clearance; staff count as
// themselves.
func TestFiguresReader(t *testing.T) {
	if got := access.FiguresReader(lawyer); got != lawyer {
		t.Errorf("a lawyer's figures are counted for %+v", got)
	}
	r := access.FiguresReader(partner)
	if r.IsPartner() || !r.Has(access.BoardMember) || r.Clearance != partner.Clearance || len(r.Units) != 0 || len(r.Reports) != 0 {
		t.Errorf("a partner's figures are counted for %+v", r)
	}
	if access.Allows(r, access.WriteCases) {
		t.Error("the figures' reader writes")
	}
}

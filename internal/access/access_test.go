package access_test

import (
	"context"
	"strings"
	"testing"

	"caseboard/internal/access"
	"caseboard/internal/fault"
	"caseboard/internal/org"
)

func ptr[T any](v T) *T { return &v }

// People of a small division: unit 1 (organised crime) and unit 2 (extradition).
var (
	lawyer    = &access.Principal{PersonID: 10, Roles: []access.Role{access.CaseLawyer}, Units: []int64{1}, Clearance: org.SC}
	manager   = &access.Principal{PersonID: 20, Roles: []access.Role{access.LegalManager}, Units: []int64{1}, Clearance: org.SC, Reports: []int64{10, 11}}
	otherUnit = &access.Principal{PersonID: 30, Roles: []access.Role{access.CaseLawyer}, Units: []int64{2}, Clearance: org.DV}
	lowClear  = &access.Principal{PersonID: 40, Roles: []access.Role{access.Paralegal}, Units: []int64{1}, Clearance: org.BPSS}
	hod       = &access.Principal{PersonID: 50, Roles: []access.Role{access.HeadOfDivision}, Units: []int64{3}, Clearance: org.DV, Reports: []int64{20}}
	inspector = &access.Principal{PersonID: 60, Roles: []access.Role{access.Inspector}, Units: []int64{}, Clearance: org.SC}
	partner   = &access.Principal{PersonID: 70, Roles: []access.Role{access.Partner}, Units: []int64{1}, Clearance: org.SC, PartnerID: ptr(int64(900))}
	named     = &access.Principal{PersonID: 80, Roles: []access.Role{access.CaseLawyer}, Units: []int64{2}, Clearance: org.SC}
	admin     = &access.Principal{PersonID: 90, Roles: []access.Role{access.Administrator}, Units: []int64{3}, Clearance: org.SC}
)

func TestCan(t *testing.T) {
	official := access.Record{UnitID: 1, Sensitivity: access.Official, Team: []int64{10}}
	sensitive := access.Record{UnitID: 1, Sensitivity: access.OfficialSensitive, Team: []int64{10}}
	restricted := access.Record{UnitID: 1, Sensitivity: access.Restricted, Team: []int64{11}, SharedPeople: []int64{80}, SharedPartners: []int64{900}}
	c := access.DefaultClearances
	for _, tc := range []struct {
		name   string
		who    *access.Principal
		action access.Action
		rec    access.Record
		want   bool
	}{
		{"OfficialAnyStaff", otherUnit, access.Read, official, true},
		{"OfficialWriteOtherUnit", otherUnit, access.Write, official, false},
		{"OfficialWriteOwnUnit", lawyer, access.Write, official, true},
		{"SensitiveOwnUnit", lawyer, access.Read, sensitive, true},
		{"SensitiveOtherUnit", otherUnit, access.Read, sensitive, false},
		{"SensitiveDivisionWide", hod, access.Read, sensitive, true},
		{"SensitiveBelowClearance", lowClear, access.Read, sensitive, false},
		{"RestrictedNotOnTeam", lawyer, access.Read, restricted, false},
		{"RestrictedLineManager", manager, access.Read, restricted, true},
		{"RestrictedManagersManagerNeedsReports", hod, access.Read, restricted, false},
		{"RestrictedNamed", named, access.Read, restricted, true},
		{"RestrictedNamedMayWrite", named, access.Write, restricted, true},
		{"InspectorReads", inspector, access.Read, sensitive, true},
		{"InspectorNeverWrites", inspector, access.Write, official, false},
		{"PartnerOnlyShared", partner, access.Read, official, false},
		{"PartnerShared", partner, access.Read, restricted, true},
		{"PartnerNeverWrites", partner, access.Write, restricted, false},
		{"AdminIsNotOnTheCase", admin, access.Read, restricted, false},
		{"Anonymous", nil, access.Read, official, false},
		{"UnknownSensitivity", hod, access.Read, access.Record{UnitID: 1, Sensitivity: "secret"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.Can(tc.who, tc.action, tc.rec); got != tc.want {
				t.Fatalf("Can = %v, want %v", got, tc.want)
			}
		})
	}
	t.Run("TokenScope", func(t *testing.T) {
		scoped := *lawyer
		scoped.Token = &access.TokenScope{UnitID: ptr(int64(2))}
		if c.Can(&scoped, access.Read, official) {
			t.Fatal("a token scoped to unit 2 read a unit 1 record")
		}
		readOnly := *lawyer
		readOnly.Token = &access.TokenScope{ReadOnly: true}
		if !c.Can(&readOnly, access.Read, official) || c.Can(&readOnly, access.Write, official) {
			t.Fatal("read-only token: wrong")
		}
	})
	t.Run("ConfiguredClearance", func(t *testing.T) {
		strict := access.Clearances{access.Official: org.BPSS, access.OfficialSensitive: org.DV, access.Restricted: org.DV}
		if strict.Can(lawyer, access.Read, sensitive) {
			t.Fatal("SC read a record configured to need DV")
		}
	})
}

func TestAllows(t *testing.T) {
	readOnlyAdmin := *admin
	readOnlyAdmin.Token = &access.TokenScope{ReadOnly: true}
	for _, tc := range []struct {
		who  *access.Principal
		perm access.Permission
		want bool
	}{
		{nil, access.Public, true}, {nil, access.SignedIn, false}, {nil, access.ReadOrganisation, false},
		{lawyer, access.ReadOrganisation, true}, {partner, access.ReadOrganisation, false}, {partner, access.SignedIn, true},
		{lawyer, access.ManageOrganisation, false}, {admin, access.ManageOrganisation, true}, {admin, access.ReadAudit, true},
		{&readOnlyAdmin, access.ManageAccounts, false}, {&readOnlyAdmin, access.ReadAudit, true}, {inspector, access.ReadAudit, false},
		{partner, access.ReadKnowledge, true}, {inspector, access.ReadKnowledge, true}, {lawyer, access.WriteKnowledge, true},
		{partner, access.WriteKnowledge, false}, {inspector, access.WriteKnowledge, false}, {admin, access.WriteKnowledge, false},
		{&access.Principal{PersonID: 9, Roles: []access.Role{access.Reviewer}}, access.WriteKnowledge, true},
		{admin, access.RequestGuidance, true}, {inspector, access.RequestGuidance, false}, {partner, access.RequestGuidance, false},
	} {
		if got := access.Allows(tc.who, tc.perm); got != tc.want {
			t.Errorf("Allows(%v, %s) = %v, want %v", tc.who, tc.perm, got, tc.want)
		}
	}
}

func TestPasswords(t *testing.T) {
	ctx := context.Background()
	params := access.Argon2Params{Memory: 8 * 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	h1, err := access.HashPassword(ctx, "correct horse battery", params)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := access.HashPassword(ctx, "correct horse battery", params)
	if h1 == h2 || !strings.HasPrefix(h1, "$argon2id$v=19$m=8192,t=1,p=1$") {
		t.Fatalf("hashes %q %q: want distinct salts and the PHC format", h1, h2)
	}
	if ok, err := access.VerifyPassword(ctx, "correct horse battery", h1); !ok || err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	if ok, _ := access.VerifyPassword(ctx, "correct horse battere", h1); ok {
		t.Fatal("wrong password accepted")
	}
	if _, err := access.VerifyPassword(ctx, "x", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5"); err == nil {
		t.Fatal("a hash demanding 95 GiB was accepted")
	}
}

func TestCheckNewPassword(t *testing.T) {
	if err := access.CheckNewPassword("lantern orchard pebble", "Ada Example", "ada.example@caseboard.example"); err != nil {
		t.Fatalf("good password refused: %v", err)
	}
	for name, pw := range map[string]string{
		"ErrShort":    "short pw",
		"ErrCommon":   "Password1234",
		"ErrCommon2":  "qwertyuiopasdfgh",
		"ErrName":     "example-lantern-99",
		"ErrEmail":    "xxadaxxexamplexx",
		"ErrTooLong":  strings.Repeat("lantern ", 40),
		"ErrUnicode5": "ééééé",
	} {
		t.Run(name, func(t *testing.T) {
			fe := fault.As(access.CheckNewPassword(pw, "Ada Example", "ada.example@caseboard.example"))
			if fe == nil || fe.FieldMessage("password") == "" {
				t.Fatalf("%q accepted", pw)
			}
		})
	}
}

func TestSecrets(t *testing.T) {
	s := access.NewSessionSecret()
	h, ok := access.ParseSessionSecret(s)
	if !ok || h != access.HashSecret(s) || len(h) != 64 {
		t.Fatalf("session secret %q did not parse", s)
	}
	tok := access.NewAPIToken()
	if _, ok := access.ParseAPIToken(tok); !ok || !strings.HasPrefix(tok, "cbt_") {
		t.Fatalf("token %q did not parse", tok)
	}
	for _, bad := range []string{"", s + "x", s[:len(s)-1], "cbt_" + s[:10], strings.Replace(s, s[:1], "*", 1), tok} {
		if _, ok := access.ParseSessionSecret(bad); ok {
			t.Errorf("session secret %q accepted", bad)
		}
	}
	if _, ok := access.ParseAPIToken(s); ok {
		t.Error("a session secret passed as an API token")
	}
}

func TestParseClearances(t *testing.T) {
	c, err := access.ParseClearances("official=bpss, official_sensitive=sc,restricted=dv")
	if err != nil || c[access.Restricted] != org.DV || c.String() != "official=bpss,official_sensitive=sc,restricted=dv" {
		t.Fatalf("%v %v", c, err)
	}
	if access.DefaultClearances.String() != "official=bpss,official_sensitive=ctc,restricted=sc" {
		t.Fatal(access.DefaultClearances.String())
	}
	for _, bad := range []string{"", "official=bpss", "official=bpss,official_sensitive=ctc,restricted=top", "official=sc,official_sensitive=ctc,restricted=dv", "secret=dv"} {
		if _, err := access.ParseClearances(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestPlanPolicy: staff, inspectors and the Board read the plans; the head
// of division and business managers manage them; an action's owner and its
// accountable owner write it; only the accountable owner signs off.
func TestPlanPolicy(t *testing.T) {
	abm := &access.Principal{PersonID: 55, Roles: []access.Role{access.BusinessManager}, Units: []int64{3}, Clearance: org.SC}
	board := &access.Principal{PersonID: 65, Roles: []access.Role{access.BoardMember, access.HeadOfDivision}, Units: []int64{3}, Clearance: org.SC}
	readOnlyHOD := *hod
	readOnlyHOD.Token = &access.TokenScope{ReadOnly: true}
	for _, tc := range []struct {
		who  *access.Principal
		perm access.Permission
		want bool
	}{
		{lawyer, access.ReadPlans, true}, {inspector, access.ReadPlans, true}, {board, access.ReadPlans, true}, {partner, access.ReadPlans, false},
		{lawyer, access.WritePlans, true}, {inspector, access.WritePlans, false}, {board, access.WritePlans, false}, {partner, access.WritePlans, false},
		{hod, access.ManagePlans, true}, {abm, access.ManagePlans, true}, {lawyer, access.ManagePlans, false}, {&readOnlyHOD, access.ManagePlans, false},
	} {
		if got := access.Allows(tc.who, tc.perm); got != tc.want {
			t.Errorf("Allows(%v, %s) = %v, want %v", tc.who.Roles, tc.perm, got, tc.want)
		}
	}
	accountable := ptr(int64(50)) // the head of division
	for _, tc := range []struct {
		name           string
		who            *access.Principal
		write, signOff bool
	}{
		{"owner", lawyer, true, false},
		{"accountable owner", hod, true, true},
		{"business manager", abm, true, false},
		{"someone else", otherUnit, false, false},
		{"inspector", inspector, false, false},
		{"board member who is also head of division", board, false, false},
		{"read-only token of the accountable owner", &readOnlyHOD, false, false},
	} {
		if got := access.CanWriteAction(tc.who, lawyer.PersonID, accountable); got != tc.write {
			t.Errorf("%s: CanWriteAction = %v, want %v", tc.name, got, tc.write)
		}
		if got := access.CanSignOff(tc.who, accountable); got != tc.signOff {
			t.Errorf("%s: CanSignOff = %v, want %v", tc.name, got, tc.signOff)
		}
	}
	if access.CanSignOff(hod, nil) {
		t.Error("signed off with no accountable owner")
	}
	if !access.CanManagePlans(abm) || access.CanManagePlans(lawyer) {
		t.Error("CanManagePlans")
	}
}

package org_test

import (
	"testing"

	"caseboard/internal/fault"
	"caseboard/internal/org"
)

func TestLocationValidate(t *testing.T) {
	ok := org.Location{Code: "post_es", Name: "Madrid (Spain)", Kind: org.OverseasPost, Country: "ES"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		loc   org.Location
		field string
	}{
		"ErrPostCode":  {org.Location{Code: "madrid", Name: "Madrid", Kind: org.OverseasPost, Country: "ES"}, "code"},
		"ErrCountry":   {org.Location{Code: "hq", Name: "HQ", Kind: org.Office, Country: "UK"}, "country"},
		"ErrKind":      {org.Location{Code: "hq", Name: "HQ", Kind: "castle", Country: "GB"}, "kind"},
		"ErrCodeShape": {org.Location{Code: "Petty France", Name: "PF", Kind: org.Office, Country: "GB"}, "code"},
		"ErrName":      {org.Location{Code: "hq", Name: "  ", Kind: org.Office, Country: "GB"}, "name"},
	} {
		t.Run(name, func(t *testing.T) {
			fe := fault.As(tc.loc.Validate())
			if fe == nil || fe.FieldMessage(tc.field) == "" {
				t.Fatalf("want a %s error, got %v", tc.field, fe)
			}
		})
	}
}

func TestPersonValidate(t *testing.T) {
	p := org.Person{Name: "Ada", Email: " Ada.Example@Caseboard.Example ", Grade: "legal_manager_1", UnitID: 1, LocationID: 1, Clearance: org.SC}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if p.Email != "ada.example@caseboard.example" {
		t.Fatalf("email not normalised: %q", p.Email)
	}
	self := int64(5)
	bad := org.Person{ID: 5, Name: "", Email: "Ada <ada@x.example>", Grade: "wizard", Clearance: "top", LineManagerID: &self}
	fe := fault.As(bad.Validate())
	for _, field := range []string{"name", "email", "grade", "unit_id", "location_id", "clearance", "line_manager_id"} {
		if fe == nil || fe.FieldMessage(field) == "" {
			t.Errorf("no %s error in %v", field, fe)
		}
	}
}

func TestClearanceOrder(t *testing.T) {
	if !org.DV.AtLeast(org.SC) || org.CTC.AtLeast(org.SC) || !org.BPSS.AtLeast(org.BPSS) || org.Clearance("x").AtLeast(org.BPSS) {
		t.Fatal("clearance order wrong")
	}
}

func TestCountries(t *testing.T) {
	if !org.IsCountry("ES") || org.IsCountry("es") || org.IsCountry("UK") || org.CountryName("GB") != "United Kingdom" {
		t.Fatalf("country table wrong: %s", org.CountryName("GB"))
	}
	if n := len(org.CountryCodes()); n != 249 {
		t.Fatalf("%d country codes", n)
	}
}

func TestGrades(t *testing.T) {
	if org.Grade("paralegal_officer").Profession() != org.Paralegal || org.Grade("legal_manager_2").Label() != "Legal manager 2" {
		t.Fatal("grade table wrong")
	}
}

package demo

import (
	"caseboard/internal/access"
	"caseboard/internal/org"
)

// Password is the password of every demo account. The demo is for trying
// caseboard out on one machine; `caseboard demo` prints it.
const Password = "demo-lantern-orchard"

// Division is the demo organisation with the people beyond its staff who
// use caseboard (an administrator, an inspector, a board member and a
// partner officer), the partner organisations, and an account for everyone,
// with roles that follow their grades.
func Division(seed int64) org.Chart {
	c := Organisation(seed)
	c.Partners = []org.Partner{
		{Code: "nca", Name: "National Crime Agency"},
		{Code: "ctc", Name: "Metropolitan Police Counter Terrorism Command"},
		{Code: "immigration_enforcement", Name: "Immigration Enforcement"},
	}
	for _, p := range c.People {
		c.Accounts = append(c.Accounts, org.ChartAccount{Email: p.Email, Roles: rolesFor(p)})
	}
	hod := ""
	for _, p := range c.People {
		if p.Grade == "head_of_division" {
			hod = p.Email
		}
	}
	for _, v := range []struct {
		person org.ChartPerson
		role   access.Role
	}{
		{org.ChartPerson{Name: "Casey Administrator", Email: "admin@caseboard.example", Grade: "operational_delivery",
			UnitCode: "strategy_and_policy", LocationCode: "petty_france", LineManagerEmail: hod, Clearance: org.SC}, access.Administrator},
		{org.ChartPerson{Name: "Imogen Inspector", Email: "inspector@caseboard.example", Grade: "operational_delivery",
			UnitCode: "strategy_and_policy", LocationCode: "petty_france", Clearance: org.SC}, access.Inspector},
		{org.ChartPerson{Name: "Blake Boardmember", Email: "board@caseboard.example", Grade: "deputy_head_of_division",
			UnitCode: "strategy_and_policy", LocationCode: "petty_france", Clearance: org.SC}, access.BoardMember},
		{org.ChartPerson{Name: "Parker Partner", Email: "partner@caseboard.example", Grade: "operational_delivery",
			UnitCode: "organised_crime", LocationCode: "warrington", Clearance: org.SC, PartnerCode: "nca"}, access.Partner},
	} {
		c.People = append(c.People, v.person)
		c.Accounts = append(c.Accounts, org.ChartAccount{Email: v.person.Email, Roles: []string{string(v.role)}})
	}
	return c
}

// rolesFor gives a member of staff the roles their grade implies.
func rolesFor(p org.ChartPerson) []string {
	var roles []access.Role
	switch p.Grade {
	case "head_of_division":
		roles = []access.Role{access.HeadOfDivision}
	case "deputy_head_of_division", "senior_policy_adviser":
		roles = []access.Role{access.UnitHead, access.LegalManager, access.Reviewer}
	case "legal_manager_2":
		roles = []access.Role{access.LegalManager, access.Reviewer}
	case "legal_manager_1":
		roles = []access.Role{access.LegalManager}
	case "area_business_manager":
		roles = []access.Role{access.BusinessManager}
	case "paralegal_business_manager", "senior_paralegal_officer", "paralegal_officer":
		roles = []access.Role{access.Paralegal}
	case "operational_delivery":
		roles = []access.Role{access.BOC}
	default:
		roles = []access.Role{access.CaseLawyer}
	}
	out := make([]string, len(roles))
	for i, r := range roles {
		out[i] = string(r)
	}
	return out
}

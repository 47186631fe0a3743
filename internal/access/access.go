// Package access decides who may do what in caseboard. It answers
// Can(principal, action, record) for one record, and describes the same
// rules as a Filter the store turns into SQL, so lists are filtered in the
// database and never loaded then filtered.
//
// The rules, in order:
//   - partners see only records explicitly shared with their organisation;
//   - nobody sees a record whose sensitivity needs more clearance than they hold;
//   - restricted records are seen only by their case team, the team's line
//     management, and people named on the record;
//   - official-sensitive records are seen by the record's unit, the
//     division-wide roles and people named on the record;
//   - official records are seen by every member of staff;
//   - inspectors and board members read, never write; a read-only API token
//     never writes; a token scoped to a unit reaches only that unit.
package access

import (
	"fmt"
	"slices"

	"caseboard/internal/org"
)

// Role is a role a person holds, by stable code.
type Role string

const (
	CaseLawyer      Role = "case_lawyer"
	Paralegal       Role = "paralegal"
	LegalManager    Role = "legal_manager"
	Reviewer        Role = "reviewer" // approves knowledge articles for a unit
	UnitHead        Role = "unit_head"
	HeadOfDivision  Role = "head_of_division"
	BusinessManager Role = "business_manager"
	BOC             Role = "boc" // Business Operations Centre
	BoardMember     Role = "board_member"
	Inspector       Role = "inspector"
	Partner         Role = "partner"
	Administrator   Role = "administrator"
)

// Roles lists every role with what it is for.
var Roles = []RoleInfo{
	{CaseLawyer, "Case lawyer"},
	{Paralegal, "Paralegal"},
	{LegalManager, "Legal manager"},
	{Reviewer, "Reviewer (approves knowledge articles for a unit)"},
	{UnitHead, "Head of unit"},
	{HeadOfDivision, "Head of Division"},
	{BusinessManager, "Area business manager"},
	{BOC, "Business Operations Centre"},
	{BoardMember, "Board member (reads the whole division)"},
	{Inspector, "Inspector (reads evidence, never writes)"},
	{Partner, "Partner organisation (sees only what is shared with it)"},
	{Administrator, "Administrator (accounts, permissions, audit)"},
}

// RoleInfo describes a role.
type RoleInfo struct {
	Role  Role
	Label string
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	return slices.ContainsFunc(Roles, func(ri RoleInfo) bool { return ri.Role == r })
}

// divisionWide roles see official-sensitive records of every unit.
var divisionWide = []Role{HeadOfDivision, BusinessManager, BOC, BoardMember, Inspector}

// readOnly roles never write, whatever else they hold.
var readOnly = []Role{BoardMember, Inspector}

// Sensitivity is how carefully a record must be held.
type Sensitivity string

const (
	Official          Sensitivity = "official"
	OfficialSensitive Sensitivity = "official_sensitive"
	Restricted        Sensitivity = "restricted"
)

// Valid reports whether s is a known sensitivity.
func (s Sensitivity) Valid() bool {
	return s == Official || s == OfficialSensitive || s == Restricted
}

// Clearances maps each sensitivity to the least clearance that may see it.
type Clearances map[Sensitivity]org.Clearance

// DefaultClearances is the configuration a new installation starts with.
var DefaultClearances = Clearances{Official: org.BPSS, OfficialSensitive: org.CTC, Restricted: org.SC}

// Principal is who is asking: a signed-in person, or a person through an
// API token.
type Principal struct {
	PersonID  int64
	Name      string
	Email     string
	Roles     []Role
	Units     []int64 // the person's own unit and any further memberships
	Clearance org.Clearance
	PartnerID *int64 // set for people of a partner organisation
	// Reports is everyone the person line-manages, directly or through
	// others: line management sees its reports' restricted cases.
	Reports []int64
	// Token is set when the request came with an API token.
	Token *TokenScope
}

// TokenScope is what an API token allows beyond its person's own rights:
// never more, only less.
type TokenScope struct {
	ID       int64
	ReadOnly bool
	UnitID   *int64
}

// Has reports whether the principal holds the role.
func (p *Principal) Has(r Role) bool { return p != nil && slices.Contains(p.Roles, r) }

// HasAny reports whether the principal holds any of the roles.
func (p *Principal) HasAny(roles ...Role) bool {
	return slices.ContainsFunc(roles, p.Has)
}

// IsPartner reports whether the principal belongs to a partner organisation.
func (p *Principal) IsPartner() bool { return p != nil && (p.PartnerID != nil || p.Has(Partner)) }

// MemberOf reports whether the unit is one of the principal's.
func (p *Principal) MemberOf(unitID int64) bool { return slices.Contains(p.Units, unitID) }

// canWriteAtAll is false for roles and tokens that only read.
func (p *Principal) canWriteAtAll() bool {
	if p.Token != nil && p.Token.ReadOnly {
		return false
	}
	return !p.HasAny(readOnly...) && !p.IsPartner()
}

func (p *Principal) String() string {
	if p == nil {
		return "anonymous"
	}
	return fmt.Sprintf("%s <%s>", p.Name, p.Email)
}

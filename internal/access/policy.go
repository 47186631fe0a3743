package access

import "slices"

// Permission is what a route needs before its handler runs. Record-level
// decisions follow in the handler through Can or, for lists, the Filter.
type Permission string

const (
	// Public routes need no sign-in: health checks, assets, the sign-in page.
	Public Permission = "public"
	// SignedIn routes need any signed-in person or token (their own account).
	SignedIn Permission = "signed_in"
	// ReadOrganisation: the units, locations and people of the division.
	ReadOrganisation Permission = "read_organisation"
	// ManageOrganisation: edit units, locations, teams and people.
	ManageOrganisation Permission = "manage_organisation"
	// ManageAccounts: accounts, roles, clearances.
	ManageAccounts Permission = "manage_accounts"
	// ReadAudit: search the audit trail of the whole division.
	ReadAudit Permission = "read_audit"
	// ReadCases: the casework register. Which cases is the record-level
	// policy's to say: a partner reaches only cases shared with them.
	ReadCases Permission = "read_cases"
	// WriteCases: open cases and record their progress and outcomes.
	WriteCases Permission = "write_cases"
	// ReadKnowledge: the knowledge repository. Which articles is the
	// record-level policy's to say: a partner reaches only articles shared
	// with them, and drafts stay with their unit.
	ReadKnowledge Permission = "read_knowledge"
	// WriteKnowledge: write articles in one's units, submit them for
	// review, record reviews; approving needs the reviewer role as well.
	WriteKnowledge Permission = "write_knowledge"
	// RequestGuidance: record a gap in the repository ("request a guide"):
	// any member of staff who may write at all.
	RequestGuidance Permission = "request_guidance"
)

// caseworkers are the roles that record casework.
var caseworkers = []Role{CaseLawyer, Paralegal, LegalManager, UnitHead, HeadOfDivision, BusinessManager, BOC}

// writes lists the permissions that change data: refused to read-only
// roles and read-only tokens whatever else they hold.
var writes = []Permission{ManageOrganisation, ManageAccounts, WriteCases, WriteKnowledge, RequestGuidance}

// Allows reports whether the principal holds the permission. A nil
// principal is an anonymous request.
func Allows(p *Principal, perm Permission) bool {
	if perm == Public {
		return true
	}
	if p == nil {
		return false
	}
	if slices.Contains(writes, perm) && !p.canWriteAtAll() {
		return false
	}
	switch perm {
	case SignedIn:
		return true
	case ReadOrganisation:
		return !p.IsPartner()
	case ManageOrganisation, ManageAccounts, ReadAudit:
		return p.Has(Administrator)
	case ReadCases:
		return true
	case WriteCases:
		return p.HasAny(caseworkers...)
	case ReadKnowledge:
		return true
	case WriteKnowledge:
		return p.HasAny(caseworkers...) || p.Has(Reviewer)
	case RequestGuidance:
		return !p.IsPartner()
	}
	return false
}

// Action is what a principal wants to do with a record.
type Action string

const (
	Read  Action = "read"
	Write Action = "write"
)

// Record is what the policy needs to know of a record: its unit, its
// sensitivity, its case team and whom it is shared with.
type Record struct {
	UnitID         int64
	Sensitivity    Sensitivity
	Team           []int64 // people on the case team
	SharedPeople   []int64 // people named on the record
	SharedPartners []int64 // partner organisations it is shared with
}

// Can decides one action on one record. Lists use Filter instead, which
// states the same rules for the store to apply in SQL; the two are tested
// against each other.
func (c Clearances) Can(p *Principal, action Action, r Record) bool {
	if p == nil || !r.Sensitivity.Valid() {
		return false
	}
	if !c.canRead(p, r) {
		return false
	}
	if action == Read {
		return true
	}
	return p.canWriteAtAll() && (p.MemberOf(r.UnitID) || p.Has(HeadOfDivision) || slices.Contains(r.SharedPeople, p.PersonID))
}

func (c Clearances) canRead(p *Principal, r Record) bool {
	if p.Token != nil && p.Token.UnitID != nil && *p.Token.UnitID != r.UnitID {
		return false
	}
	if min, ok := c[r.Sensitivity]; !ok || !p.Clearance.AtLeast(min) {
		return false
	}
	if p.IsPartner() {
		return p.PartnerID != nil && slices.Contains(r.SharedPartners, *p.PartnerID)
	}
	if slices.Contains(r.SharedPeople, p.PersonID) {
		return true
	}
	switch r.Sensitivity {
	case Official:
		return true
	case OfficialSensitive:
		return p.MemberOf(r.UnitID) || p.HasAny(divisionWide...)
	case Restricted:
		return slices.ContainsFunc(r.Team, func(member int64) bool {
			return member == p.PersonID || slices.Contains(p.Reports, member)
		})
	}
	return false
}

// Filter is the read rule for one principal in a form the store turns
// into a WHERE clause over a table of records.
type Filter struct {
	// Nothing is true when the principal can see no record at all.
	Nothing bool
	// Sensitivities the principal is cleared for.
	Sensitivities []Sensitivity
	// OnlyUnit limits every record to one unit (a unit-scoped token).
	OnlyUnit *int64
	// PartnerID, when set, limits records to those shared with it.
	PartnerID *int64
	// PersonID sees records that name them.
	PersonID int64
	// AllOfficialSensitive is true for the division-wide roles.
	AllOfficialSensitive bool
	// Units whose official-sensitive records are visible.
	Units []int64
	// TeamMembers whose restricted records are visible: the principal and
	// everyone they line-manage.
	TeamMembers []int64
}

// ReadFilter returns the principal's read rule for lists.
func (c Clearances) ReadFilter(p *Principal) Filter {
	if p == nil {
		return Filter{Nothing: true}
	}
	f := Filter{PersonID: p.PersonID, Units: p.Units, AllOfficialSensitive: p.HasAny(divisionWide...),
		TeamMembers: append([]int64{p.PersonID}, p.Reports...)}
	for _, s := range []Sensitivity{Official, OfficialSensitive, Restricted} {
		if min, ok := c[s]; ok && p.Clearance.AtLeast(min) {
			f.Sensitivities = append(f.Sensitivities, s)
		}
	}
	if p.Token != nil {
		f.OnlyUnit = p.Token.UnitID
	}
	if p.IsPartner() {
		if p.PartnerID == nil {
			return Filter{Nothing: true}
		}
		f.PartnerID = p.PartnerID
	}
	if len(f.Sensitivities) == 0 {
		f.Nothing = true
	}
	return f
}

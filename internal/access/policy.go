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
	// ReadRisks: the divisional risk register, business continuity plans
	// and assurance snapshots. Every member of staff reads them; partners
	// do not.
	ReadRisks Permission = "read_risks"
	// WriteRisks: raise risks and record their counter-measures, reviews
	// and acceptance. Which risks is CanWriteRisk's to say.
	WriteRisks Permission = "write_risks"
	// ManageRiskAppetite: set the appetite per category, the scale and the
	// escalation threshold. The Head of Division's alone.
	ManageRiskAppetite Permission = "manage_risk_appetite"
	// ReadQuality: the quality assessments a person gave or received, and
	// their team's; which ones is CanReadAssessment's to say.
	ReadQuality Permission = "read_quality"
	// WriteQuality: assess, acknowledge, revise and re-mark; whom is for
	// the quality package's rules (line management, never oneself).
	WriteQuality Permission = "write_quality"
	// ReadQualityFigures: aggregate IQA completion and trends, with no
	// individual assessment in them: the Board and inspectors see these.
	ReadQualityFigures Permission = "read_quality_figures"
	// ReadCalibration: each assessor's marking against peers and re-marks;
	// a unit head for their unit, the head of division for all.
	ReadCalibration Permission = "read_calibration"

	// ReadPlans: inspections, their recommendations and the action plans,
	// the Board view and the evidence checks. Every member of staff,
	// inspectors and Board members read them; partners do not.
	ReadPlans Permission = "read_plans"
	// WritePlans: report progress on actions. The guard lets in everyone
	// who may own an action; which actions is CanWriteAction's to say.
	WritePlans Permission = "write_plans"
	// ManagePlans: record inspections, frameworks, findings and responses,
	// and set action plans: the head of division and business managers.
	ManagePlans Permission = "manage_plans"
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

	// ReadPerformancePacks: the Board's quarterly performance review packs
	// and the units' performance posters. They carry the risk register and
	// the action plans as well as figures, so partners do not read them.
	ReadPerformancePacks Permission = "read_performance_packs"
	// WritePerformanceCommentary: commentary on a measure in a draft pack
	// and a poster's narrative, by those who answer for the figures; which
	// unit's poster is CanWritePosterNarrative's to say.
	WritePerformanceCommentary Permission = "write_performance_commentary"
	// IssuePerformancePacks: issue a quarter's pack to the Board, after
	// which it never changes: the Head of Division and the business
	// manager who serves the Board.
	IssuePerformancePacks Permission = "issue_performance_packs"
	// ShareMeasures: share a measure with a partner organisation, or stop
	// sharing it: the Head of Division, and unit heads for their units'
	// measures (CanShareMeasure says which).
	ShareMeasures Permission = "share_measures"
)

// performanceOwners answer for the division's figures and write the
// commentary the Board reads beside them.
var performanceOwners = []Role{UnitHead, HeadOfDivision, BusinessManager, BOC}

// packIssuers put a quarter's pack before the Board.
var packIssuers = []Role{HeadOfDivision, BusinessManager}

// CanWritePosterNarrative reports whether the principal may write a unit
// poster's narrative: the head of that unit, or the Head of Division.
func CanWritePosterNarrative(p *Principal, unitID int64) bool {
	if p == nil || !p.canWriteAtAll() || p.IsPartner() {
		return false
	}
	if p.Token != nil && p.Token.UnitID != nil && *p.Token.UnitID != unitID {
		return false
	}
	return p.Has(HeadOfDivision) || (p.Has(UnitHead) && p.MemberOf(unitID))
}

// CanShareMeasure reports whether the principal may share a measure with
// a partner organisation, or stop sharing it. The partner sees the
// measure's figure for the whole division, so the Head of Division shares
// any measure; a unit head only a measure that applies to their own units
// alone (unitIDs are the units the measure applies to; none is every
// unit, which is the Head of Division's to share).
func CanShareMeasure(p *Principal, unitIDs []int64) bool {
	if !Allows(p, ShareMeasures) || (p.Token != nil && p.Token.UnitID != nil) {
		return false
	}
	if p.Has(HeadOfDivision) {
		return true
	}
	return p.Has(UnitHead) && len(unitIDs) > 0 && !slices.ContainsFunc(unitIDs, func(id int64) bool { return !p.MemberOf(id) })
}

// FiguresReader is whom a reader's measure figures are counted for. A
// partner sees a measure only once it is shared with them (a joint
// measure), and then sees the division's figure, as the Board reads it:
// every official and official-sensitive record, no restricted case, and
// nothing above the partner's own clearance. The records behind the
// figure stay the partner's own (those shared with them). Anyone else's
// figures are counted as they are.
func FiguresReader(p *Principal) *Principal {
	if !p.IsPartner() {
		return p
	}
	return &Principal{PersonID: p.PersonID, Name: p.Name, Email: p.Email, Roles: []Role{BoardMember}, Clearance: p.Clearance, Token: p.Token}
}

// planManagers run the division's action plans: they record inspections
// and responses, set actions and change any action.
var planManagers = []Role{HeadOfDivision, BusinessManager, BOC}

// CanManagePlans reports whether the principal runs the action plans.
func CanManagePlans(p *Principal) bool {
	return p != nil && p.canWriteAtAll() && p.HasAny(planManagers...)
}

// CanWriteAction reports whether the principal may report on, re-date or
// cite evidence for an action: the plan managers, the action's owner and
// the accountable owner of its recommendation.
func CanWriteAction(p *Principal, ownerID int64, accountableID *int64) bool {
	if p == nil || !p.canWriteAtAll() || p.IsPartner() {
		return false
	}
	return p.HasAny(planManagers...) || p.PersonID == ownerID || (accountableID != nil && p.PersonID == *accountableID)
}

// CanSignOff reports whether the principal may sign off the closing of an
// action or of a recommendation: only its accountable owner, so that
// "done" is always someone's considered word.
func CanSignOff(p *Principal, accountableID *int64) bool {
	return p != nil && p.canWriteAtAll() && !p.IsPartner() && accountableID != nil && p.PersonID == *accountableID
}

// caseworkers are the roles that record casework.
var caseworkers = []Role{CaseLawyer, Paralegal, LegalManager, UnitHead, HeadOfDivision, BusinessManager, BOC}

// writes lists the permissions that change data: refused to read-only
// roles and read-only tokens whatever else they hold.
var writes = []Permission{ManageOrganisation, ManageAccounts, WriteCases, WriteRisks, ManageRiskAppetite, WriteQuality, WritePlans, ManagePlans, WriteKnowledge, RequestGuidance,
	WritePerformanceCommentary, IssuePerformancePacks, ShareMeasures}

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
	case ReadRisks:
		return !p.IsPartner()
	case WriteRisks:
		return p.HasAny(caseworkers...)
	case ManageRiskAppetite:
		return p.Has(HeadOfDivision)
	case ReadQuality, WriteQuality:
		return !p.IsPartner() && !p.HasAny(readOnly...)
	case ReadQualityFigures:
		return !p.IsPartner()
	case ReadCalibration:
		return p.HasAny(UnitHead, HeadOfDivision)
	case ReadPlans:
		return !p.IsPartner()
	case WritePlans:
		return p.HasAny(caseworkers...)
	case ManagePlans:
		return p.HasAny(planManagers...)
	case ReadKnowledge:
		return true
	case WriteKnowledge:
		return p.HasAny(caseworkers...) || p.Has(Reviewer)
	case RequestGuidance:
		return !p.IsPartner()
	case ReadPerformancePacks:
		return !p.IsPartner()
	case WritePerformanceCommentary:
		return p.HasAny(performanceOwners...)
	case IssuePerformancePacks:
		return p.HasAny(packIssuers...)
	case ShareMeasures:
		return p.HasAny(HeadOfDivision, UnitHead)
	}
	return false
}

// Assessment is what the policy needs to know of a quality assessment.
type Assessment struct {
	Remark     bool // a blind re-mark for calibration
	AssessorID int64
	AssessedID int64
	UnitID     int64 // the assessed person's unit
}

// CanReadAssessment decides whether the principal may read one quality
// assessment: its assessor, the head of division and the head of its unit
// always; the person assessed and their line management when it is an IQA
// (a re-mark is calibration, not feedback). The Board, inspectors and
// partners never read one; they see aggregate figures. The case it is of
// must be visible to the reader too, which the store checks.
func CanReadAssessment(p *Principal, a Assessment) bool {
	if p == nil || p.IsPartner() || p.HasAny(readOnly...) {
		return false
	}
	if p.Token != nil && p.Token.UnitID != nil && *p.Token.UnitID != a.UnitID {
		return false
	}
	if p.PersonID == a.AssessorID || CanCalibrate(p, a.UnitID) {
		return true
	}
	if a.Remark {
		return false
	}
	return p.PersonID == a.AssessedID || slices.Contains(p.Reports, a.AssessedID)
}

// CanCalibrate decides whether the principal sees a unit's calibration:
// each assessor's marks against their peers' and against blind re-marks,
// and may draw dip samples for re-marking.
func CanCalibrate(p *Principal, unitID int64) bool {
	if p == nil || (p.Token != nil && p.Token.UnitID != nil && *p.Token.UnitID != unitID) {
		return false
	}
	return p.Has(HeadOfDivision) || (p.Has(UnitHead) && p.MemberOf(unitID))
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

// riskManagers write every risk of their own units: legal managers run
// their teams' registers, unit heads their unit's.
var riskManagers = []Role{LegalManager, UnitHead}

// riskDivisionWide write risks of every unit: the Head of Division and the
// Area Business Manager, who keep the divisional register.
var riskDivisionWide = []Role{HeadOfDivision, BusinessManager}

// RiskRecord is what the policy needs to know of a risk.
type RiskRecord struct {
	UnitID  int64
	OwnerID int64
}

// CanReadRisk decides whether the principal sees a risk: all staff do,
// except through a token limited to another unit.
func CanReadRisk(p *Principal, r RiskRecord) bool {
	if !Allows(p, ReadRisks) {
		return false
	}
	return p.Token == nil || p.Token.UnitID == nil || *p.Token.UnitID == r.UnitID
}

// CanCreateRisk decides whether the principal may raise a risk in a unit:
// anyone who records casework may raise one in their own units (a lawyer
// raises a case risk), and the division-wide roles in any unit.
func CanCreateRisk(p *Principal, unitID int64) bool {
	if !Allows(p, WriteRisks) || !CanReadRisk(p, RiskRecord{UnitID: unitID}) {
		return false
	}
	return p.HasAny(riskDivisionWide...) || p.MemberOf(unitID)
}

// CanWriteRisk decides whether the principal may change a risk, its
// counter-measures and reviews: its owner, anyone above the owner in the
// line, the legal managers and head of the risk's unit, and the
// division-wide roles.
func CanWriteRisk(p *Principal, r RiskRecord) bool {
	if !Allows(p, WriteRisks) || !CanReadRisk(p, r) {
		return false
	}
	switch {
	case p.HasAny(riskDivisionWide...), p.PersonID == r.OwnerID, slices.Contains(p.Reports, r.OwnerID):
		return true
	}
	return p.MemberOf(r.UnitID) && p.HasAny(riskManagers...)
}

// CanDecideAcceptance decides whether the principal may approve or reject
// the acceptance of a risk: only the approver named on the proposal, who
// must be above the risk's owner in the line.
func CanDecideAcceptance(p *Principal, ownerID, approverID int64) bool {
	return Allows(p, WriteRisks) && p.PersonID == approverID && p.PersonID != ownerID && slices.Contains(p.Reports, ownerID)
}

// CanTakeSnapshot decides whether the principal may freeze the register at
// a quarter's end for assurance: the division-wide roles, through no token
// limited to one unit, since a snapshot is of the whole register.
func CanTakeSnapshot(p *Principal) bool {
	return Allows(p, WriteRisks) && p.HasAny(riskDivisionWide...) && (p.Token == nil || p.Token.UnitID == nil)
}

// CanSignOffUnit decides whether the principal may sign off a unit's part
// of an assurance snapshot: the unit's head, for their own unit only.
func CanSignOffUnit(p *Principal, unitID int64) bool {
	return Allows(p, WriteRisks) && CanReadRisk(p, RiskRecord{UnitID: unitID}) && p.Has(UnitHead) && p.MemberOf(unitID)
}

// CanIssueCertificate decides whether the principal may issue the
// divisional certificate of assurance: the Head of Division's alone.
func CanIssueCertificate(p *Principal) bool {
	return Allows(p, ManageRiskAppetite)
}

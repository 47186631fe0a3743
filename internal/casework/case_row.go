package casework

// CaseRow is one case as the cases spreadsheet carries it: the case with
// its unit, location and people named by code and email, not by id.
type CaseRow struct {
	Case         Case
	Unit         string
	Location     string
	LawyerEmail  string
	ManagerEmail string
}

// CaseColumns are the cases file's columns, required then optional. The
// optional ones are the fields of one kind or another; a file of one
// unit's cases carries the ones its kind has.
var (
	CaseColumns         = []string{"reference", "kind", "unit", "location", "status", "opened_on"}
	CaseOptionalColumns = []string{"title", "sensitivity", "lawyer", "legal_manager", "agency", "counsel", "complexity",
		"pre_charge_decision", "pre_charge_decided_on", "court", "court_centre", "direction", "country", "warrant_type",
		"requesting_authority", "request_type", "sensitive_reason"}
)

// CaseField is the file column a case field's validation message belongs
// to, for the fields whose column is named differently.
func CaseField(field string) string {
	switch field {
	case "unit_id":
		return "unit"
	case "location_id":
		return "location"
	case "lawyer_id":
		return "lawyer"
	case "manager_id":
		return "legal_manager"
	}
	return field
}

package cli_test

import (
	"path/filepath"
	"strings"
	"testing"

	"caseboard/internal/quality"
)

// TestServeRefusesABadComplianceRule: a rule naming a field the register
// does not have stops serve at start-up, with a message naming the rule
// and the field, before anything listens.
func TestServeRefusesABadComplianceRule(t *testing.T) {
	saved := quality.ComplianceRules
	t.Cleanup(func() { quality.ComplianceRules = saved })
	quality.ComplianceRules = append(append([]quality.ComplianceRule{}, saved...), quality.ComplianceRule{Code: "dmd_before_first_hearing",
		Description: "A disclosure management document is present before the first Crown Court hearing.",
		Require:     []quality.Condition{{Field: "disclosure_management_document", Op: quality.IsSet}}})
	env := map[string]string{"CASEBOARD_DB": filepath.Join(t.TempDir(), "c.db")}
	r := run(t, env, "serve", "--addr", "127.0.0.1:0")
	if r.code != 1 || !strings.Contains(r.stderr, `compliance rule "dmd_before_first_hearing" refers to the field "disclosure_management_document", which the case register does not have`) {
		t.Fatalf("%+v", r)
	}
}

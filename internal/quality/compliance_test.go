package quality_test

import (
	"strings"
	"testing"
	"time"

	"caseboard/internal/quality"
)

func TestDeclaredComplianceRulesAreSound(t *testing.T) {
	if err := quality.CheckRules(quality.ComplianceRules); err != nil {
		t.Fatal(err)
	}
}

func TestCheckRulesRefusesUnknownFields(t *testing.T) {
	bad := []quality.ComplianceRule{{Code: "strategy_started", Description: "A prosecution strategy document is started within 28 days.",
		Require: []quality.Condition{{Field: "strategy_document_on", Op: quality.WithinOf, Number: 28}}}}
	err := quality.CheckRules(bad)
	if err == nil || !strings.Contains(err.Error(), `compliance rule "strategy_started" refers to the field "strategy_document_on", which the case register does not have`) ||
		!strings.Contains(err.Error(), "next_deadline") {
		t.Fatalf("got %v", err)
	}
	wrongOp := []quality.ComplianceRule{{Code: "x", Description: "x", Require: []quality.Condition{{Field: "defendants", Op: quality.IsSet}}}}
	if err := quality.CheckRules(wrongOp); err == nil || !strings.Contains(err.Error(), `tests the number field "defendants" with "set"`) {
		t.Fatalf("got %v", err)
	}
	if err := quality.CheckRules([]quality.ComplianceRule{{Code: "y", Require: []quality.Condition{{Field: "status", Op: quality.IsSet}}}}); err == nil {
		t.Fatal("a rule without a description was accepted")
	}
}

func TestEvaluate(t *testing.T) {
	today := day("2026-06-01")
	lawyer := int64(7)
	facts := func(id int64, values map[string]any) quality.CaseFacts {
		base := map[string]any{"kind": "organised_crime", "status": "charged", "lawyer": "7", "defendants": 1, "defendants_in_custody": 0,
			"running_custody_limits": 0, "defendants_without_outcome": 1, "pre_charge_decision": "charge", "pre_charge_decided_on": day("2026-01-01"),
			"court": "CC", "court_centre": "Southwark", "next_deadline": time.Time{},
			"prosecution_strategy_updated_on": day("2026-01-10"), "disclosure_management_updated_on": day("2026-02-01"),
			"overdue_directions": 0, "overdue_document_reviews": 0, "overdue_actions": 0}
		for k, v := range values {
			base[k] = v
		}
		return quality.CaseFacts{CaseID: id, Reference: "C" + string(rune('0'+id)), UnitID: 1, LawyerID: &lawyer, Values: quality.FactsOf(base)}
	}
	cases := []quality.CaseFacts{
		facts(1, nil), // passes everything that applies
		facts(2, map[string]any{"lawyer": "", "court_centre": ""}),                                           // no lawyer, no court centre
		facts(3, map[string]any{"defendants_in_custody": 1, "next_deadline": day("2026-05-30")}),             // custody, limit passed, none running
		facts(4, map[string]any{"status": "pre_charge", "opened_on": day("2025-01-01"), "defendants": 0}),    // pre-charge for too long
		facts(5, map[string]any{"status": "finalised", "defendants_without_outcome": 0, "court_centre": ""}), // finalised: court centre does not apply
		facts(6, map[string]any{"prosecution_strategy_updated_on": time.Time{}, "overdue_directions": 2, "overdue_actions": 1}),
	}
	breaches, groups := quality.Evaluate(quality.ComplianceRules, cases, today, func(quality.CaseFacts) string { return "unit" })
	got := map[string]bool{}
	for _, b := range breaches {
		got[b.Rule+" "+b.Reference] = true
	}
	want := []string{"lawyer_allocated C2", "crown_court_centre C2", "custody_limit_running C3", "custody_limit_not_passed C3", "pre_charge_timely C4",
		"strategy_document C6", "directions_complied C6", "review_actions_closed C6"}
	if len(breaches) != len(want) {
		t.Fatalf("breaches %+v", breaches)
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("missing breach %s in %v", w, got)
		}
	}
	if len(groups) != 1 || groups[0].Failing != len(want) {
		t.Fatalf("groups %+v", groups)
	}
	for _, r := range groups[0].Rules {
		if r.Rule == "lawyer_allocated" && (r.Applicable != 5 || r.Failing != 1 || *r.Compliance != 0.8) {
			t.Fatalf("lawyer_allocated %+v", r)
		}
		if r.Rule == "extradition_particulars" && r.Compliance != nil {
			t.Fatalf("a rule that applies to no case has a compliance figure: %+v", r)
		}
	}
}

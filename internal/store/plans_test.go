package store_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"caseboard/docs/frameworks"
	"caseboard/internal/access"
	"caseboard/internal/audit"
	"caseboard/internal/casework"
	"caseboard/internal/deadline"
	"caseboard/internal/demo"
	"caseboard/internal/fault"
	"caseboard/internal/org"
	"caseboard/internal/plan"
	"caseboard/internal/risk"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// planWorld is a demo division with the Annex B framework, the 2019
// inspection and one recommendation whose accountable owner is the head
// of division.
type planWorld struct {
	db                                    *store.DB
	hod, abm, lawyer, other, inspector    *access.Principal
	framework, inspection, recommendation int64
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func newPlanWorld(t *testing.T, db *store.DB) planWorld {
	t.Helper()
	ctx := context.Background()
	seeded(t, db)
	if _, err := db.LoadChart(ctx, demo.Division(3), "test"); err != nil {
		t.Fatal(err)
	}
	principal := func(grade string, n int) *access.Principal {
		page, err := db.People(ctx, store.PeopleFilter{Grade: org.Grade(grade), Limit: 10})
		if err != nil || len(page.People) <= n {
			t.Fatalf("no %s %d: %v", grade, n, err)
		}
		p, err := db.Principal(ctx, page.People[n].ID)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	w := planWorld{db: db, hod: principal("head_of_division", 0), abm: principal("area_business_manager", 0),
		lawyer: principal("specialist_prosecutor", 0), other: principal("specialist_prosecutor", 1)}
	a, err := db.AccountByEmail(ctx, "inspector@caseboard.example")
	if err != nil {
		t.Fatal(err)
	}
	if w.inspector, err = db.Principal(ctx, a.PersonID); err != nil {
		t.Fatal(err)
	}
	data, _ := frameworks.FS.ReadFile(frameworks.Annex2019)
	fw, err := plan.ParseFramework(data, plan.JSON, plan.ParseOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ImportFramework(ctx, w.abm, &fw); err != nil {
		t.Fatal(err)
	}
	w.framework = fw.ID
	from, to := day(2018, 10, 1), day(2018, 10, 31)
	in := plan.Inspection{Body: "HMCPSI", Title: "The Inspection of CPS International Justice and Organised Crime Division", Type: "Division inspection",
		Organisation: "CPS IJOCD", PublishedOn: day(2019, 1, 29), FieldworkFrom: &from, FieldworkTo: &to, FrameworkID: &fw.ID}
	if err := db.CreateInspection(ctx, w.hod, &in); err != nil {
		t.Fatal(err)
	}
	w.inspection = in.ID
	f := plan.Finding{InspectionID: in.ID, Kind: plan.Recommendation, Number: 3, Paragraph: "3.7", Criteria: []string{"B1.1", "B1.2"},
		Text: "The Division needs to ensure there is a comprehensive and coherent risk management strategy", OwnerID: &w.hod.PersonID}
	if err := db.AddFinding(ctx, w.hod, &f); err != nil {
		t.Fatal(err)
	}
	w.recommendation = f.ID
	return w
}

func (w planWorld) action(t *testing.T, title string, due time.Time) plan.Action {
	t.Helper()
	a := plan.Action{FindingID: w.recommendation, Title: title, OwnerID: w.lawyer.PersonID, DueOn: due}
	if err := w.db.AddAction(context.Background(), w.abm, &a); err != nil {
		t.Fatal(err)
	}
	return a
}

func wantCode(t *testing.T, err error, code fault.Code, says string) {
	t.Helper()
	if fault.CodeOf(err) != code || err == nil {
		t.Fatalf("got %v (%s), want %s", err, fault.CodeOf(err), code)
	}
	if says != "" && !strings.Contains(err.Error(), says) {
		t.Fatalf("error %q does not say %q", err, says)
	}
}

func TestPlans(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPlanWorld(t, db)

		t.Run("FrameworkStoredInOrder", func(t *testing.T) {
			fw, err := db.Framework(ctx, w.framework)
			if err != nil {
				t.Fatal(err)
			}
			if len(fw.Criteria) != 70 || fw.Criteria[0].ID != "A" || fw.Criteria[2].ID != "A1.1" || fw.Criteria[2].Parent != "A1" {
				t.Fatalf("got %d criteria, first %+v", len(fw.Criteria), fw.Criteria[:3])
			}
			again := fw
			again.ID = 0
			wantCode(t, db.ImportFramework(ctx, w.abm, &again), fault.Conflict, "already loaded")
			wantCode(t, db.ImportFramework(ctx, w.lawyer, &again), fault.Forbidden, "")
		})
		t.Run("ErrFindingCriterionNotInFramework", func(t *testing.T) {
			f := plan.Finding{InspectionID: w.inspection, Kind: plan.Recommendation, Number: 9, Paragraph: "9.9", Text: "x", Criteria: []string{"Z9.9"}}
			wantCode(t, db.AddFinding(ctx, w.hod, &f), fault.Invalid, "no criterion Z9.9")
		})
		t.Run("ErrFindingNumberTaken", func(t *testing.T) {
			f := plan.Finding{InspectionID: w.inspection, Kind: plan.Recommendation, Number: 3, Paragraph: "3.7", Text: "x"}
			wantCode(t, db.AddFinding(ctx, w.hod, &f), fault.Conflict, "already has Recommendation 3")
		})
		t.Run("ErrLawyerRecordsInspection", func(t *testing.T) {
			in := plan.Inspection{Body: "HMCPSI", Title: "x", Organisation: "y", PublishedOn: day(2020, 1, 1)}
			wantCode(t, db.CreateInspection(ctx, w.lawyer, &in), fault.Forbidden, "")
		})
		t.Run("Response", func(t *testing.T) {
			wantCode(t, db.RecordResponse(ctx, w.hod, w.recommendation, plan.Response{Decision: plan.Accepted, Text: "x", On: day(2019, 1, 1)}),
				fault.Invalid, "before the report was published")
			if err := db.RecordResponse(ctx, w.hod, w.recommendation, plan.Response{Decision: plan.Accepted, Text: "The CPS accept this recommendation", On: day(2019, 3, 1)}); err != nil {
				t.Fatal(err)
			}
			f, err := db.Finding(ctx, w.recommendation)
			if err != nil {
				t.Fatal(err)
			}
			if f.Response == nil || f.Response.Decision != plan.Accepted || !f.Response.On.Equal(day(2019, 3, 1)) || len(f.Criteria) != 2 {
				t.Fatalf("got %+v %+v", f, f.Response)
			}
		})
		t.Run("ErrActionDueBeforePublication", func(t *testing.T) {
			a := plan.Action{FindingID: w.recommendation, Title: "x", OwnerID: w.lawyer.PersonID, DueOn: day(2019, 1, 28)}
			wantCode(t, db.AddAction(ctx, w.abm, &a), fault.Invalid, "before the report was published")
		})
		t.Run("ErrOwnerSetsOwnActions", func(t *testing.T) {
			a := plan.Action{FindingID: w.recommendation, Title: "x", OwnerID: w.lawyer.PersonID, DueOn: day(2019, 6, 1)}
			wantCode(t, db.AddAction(ctx, w.lawyer, &a), fault.Forbidden, "")
		})

		a := w.action(t, "Write the divisional risk management strategy", day(2019, 6, 30))
		b := w.action(t, "One risk register for every unit", day(2019, 9, 30))

		t.Run("UpdateByOwner", func(t *testing.T) {
			u := plan.Update{Status: plan.AtRisk, Commentary: "Waiting for the CPS risk policy"}
			if err := db.RecordUpdate(ctx, w.lawyer, a.ID, &u); err != nil {
				t.Fatal(err)
			}
			got, _ := db.Action(ctx, a.ID)
			if got.Status != plan.AtRisk {
				t.Fatalf("status %s", got.Status)
			}
			wantCode(t, db.RecordUpdate(ctx, w.other, a.ID, &plan.Update{Commentary: "x"}), fault.Forbidden, "")
			wantCode(t, db.RecordUpdate(ctx, w.inspector, a.ID, &plan.Update{Commentary: "x"}), fault.Forbidden, "")
			wantCode(t, db.RecordUpdate(ctx, w.lawyer, a.ID, &plan.Update{Status: plan.Done, Commentary: "x"}), fault.Invalid, "use Close")
		})
		t.Run("TargetChangeKeptWithReasonAndApprover", func(t *testing.T) {
			wantCode(t, db.ChangeTarget(ctx, w.lawyer, a.ID, &plan.TargetChange{To: day(2019, 9, 30)}), fault.Invalid, "")
			c := plan.TargetChange{To: day(2019, 9, 30), Reason: "The CPS risk policy was reissued in June", ApprovedByID: w.hod.PersonID}
			if err := db.ChangeTarget(ctx, w.lawyer, a.ID, &c); err != nil {
				t.Fatal(err)
			}
			fp, err := db.Plan(ctx, w.recommendation, day(2019, 7, 1))
			if err != nil {
				t.Fatal(err)
			}
			got := fp.Actions[0]
			if got.ID != a.ID || !got.DueOn.Equal(day(2019, 9, 30)) || !got.OriginalDueOn.Equal(day(2019, 6, 30)) || !got.Slipped() {
				t.Fatalf("got %+v", got.Action)
			}
			if len(got.TargetHistory) != 1 || got.TargetHistory[0].ApprovedByName != w.hod.Name || !got.TargetHistory[0].From.Equal(day(2019, 6, 30)) {
				t.Fatalf("history %+v", got.TargetHistory)
			}
			if len(got.Updates) != 1 || got.Updates[0].Author != w.lawyer.Name {
				t.Fatalf("updates %+v", got.Updates)
			}
		})
		t.Run("Milestones", func(t *testing.T) {
			m := plan.Milestone{ActionID: a.ID, Title: "Draft to SMT", DueOn: day(2019, 8, 1)}
			if err := db.AddMilestone(ctx, w.lawyer, &m); err != nil {
				t.Fatal(err)
			}
			if err := db.CompleteMilestone(ctx, w.lawyer, m.ID, day(2019, 7, 30)); err != nil {
				t.Fatal(err)
			}
			fp, _ := db.Plan(ctx, w.recommendation, day(2019, 8, 2))
			if ms := fp.Actions[0].Milestones; len(ms) != 1 || ms[0].DoneOn == nil || !ms[0].DoneOn.Equal(day(2019, 7, 30)) {
				t.Fatalf("milestones %+v", ms)
			}
		})
		t.Run("ErrCloseWithoutEvidence", func(t *testing.T) {
			wantCode(t, db.CloseAction(ctx, w.hod, a.ID, plan.ActionClosure{On: day(2019, 9, 1), Note: "Done"}), fault.Invalid, "Cite the evidence")
		})
		t.Run("EvidenceMustExist", func(t *testing.T) {
			wantCode(t, db.AddEvidence(ctx, w.lawyer, &plan.Evidence{ActionID: a.ID, Kind: plan.EvidenceCase, Ref: "999999"}), fault.Invalid, "no case 999999")
			wantCode(t, db.AddEvidence(ctx, w.lawyer, &plan.Evidence{ActionID: a.ID, Kind: plan.EvidenceCheck, Ref: "nope"}), fault.Invalid, "no evidence check")
			wantCode(t, db.AddEvidence(ctx, w.lawyer, &plan.Evidence{ActionID: a.ID, Kind: plan.EvidenceRisk, Ref: "999999"}), fault.Invalid, "no risk 999999")
			wantCode(t, db.AddEvidence(ctx, w.lawyer, &plan.Evidence{ActionID: a.ID, Kind: plan.EvidenceArticle, Ref: "999999"}), fault.Invalid, "no article 999999")
			wantCode(t, db.AddEvidence(ctx, w.lawyer, &plan.Evidence{ActionID: a.ID, Kind: plan.EvidenceContinuityPlan, Ref: "first"}), fault.Invalid, "no business continuity plan first")
			exercised := risk.ContinuityPlan{Title: "Extradition, Petty France", UnitID: w.lawyer.Units[0], OwnerID: w.lawyer.PersonID,
				Contacts: "Duty legal manager", ReviewedOn: day(2019, 6, 1), Activities: []risk.CriticalActivity{{Name: "Initial hearings", RTOHours: 4}}}
			if err := db.SaveContinuityPlan(ctx, w.lawyer, &exercised); err != nil {
				t.Fatal(err)
			}
			cited := plan.Evidence{ActionID: a.ID, Kind: plan.EvidenceContinuityPlan, Ref: strconv.FormatInt(exercised.ID, 10)}
			if err := db.AddEvidence(ctx, w.lawyer, &cited); err != nil {
				t.Fatal(err)
			}
			fp, _ := db.Plan(ctx, w.recommendation, day(2019, 8, 2))
			var links []string
			for _, e := range fp.Actions[0].Evidence {
				links = append(links, e.Label+" "+e.Href)
			}
			if want := "Business continuity plan " + cited.Ref + " /continuity/" + cited.Ref; !slices.Contains(links, want) {
				t.Fatalf("the plan cites %q, not %q", links, want)
			}
			for _, e := range []plan.Evidence{
				{ActionID: a.ID, Kind: plan.EvidenceDocument, Ref: "IJOCD risk management strategy v1.0, approved by SMT 12 September 2019"},
				{ActionID: a.ID, Kind: plan.EvidenceCheck, Ref: "ctl_none_expired"},
			} {
				if err := db.AddEvidence(ctx, w.lawyer, &e); err != nil {
					t.Fatal(err)
				}
			}
			wantCode(t, db.AddEvidence(ctx, w.lawyer, &plan.Evidence{ActionID: a.ID, Kind: plan.EvidenceCheck, Ref: "ctl_none_expired"}), fault.Conflict, "already cites")
		})
		t.Run("OnlyTheAccountableOwnerSignsOff", func(t *testing.T) {
			closure := plan.ActionClosure{On: day(2019, 9, 12), Note: "Strategy approved and published"}
			wantCode(t, db.CloseAction(ctx, w.lawyer, a.ID, closure), fault.Forbidden, "Only the accountable owner")
			wantCode(t, db.CloseAction(ctx, w.abm, a.ID, closure), fault.Forbidden, "Only the accountable owner")
			if err := db.CloseAction(ctx, w.hod, a.ID, closure); err != nil {
				t.Fatal(err)
			}
			got, _ := db.Action(ctx, a.ID)
			if got.Status != plan.Done || got.ClosedByID == nil || *got.ClosedByID != w.hod.PersonID {
				t.Fatalf("got %+v", got)
			}
			wantCode(t, db.CloseAction(ctx, w.hod, a.ID, closure), fault.Conflict, "already closed")
			wantCode(t, db.RecordUpdate(ctx, w.lawyer, a.ID, &plan.Update{Commentary: "x"}), fault.Conflict, "")
		})
		t.Run("ErrCloseRecommendationWithOpenAction", func(t *testing.T) {
			wantCode(t, db.CloseFinding(ctx, w.hod, w.recommendation, plan.Closure{Status: plan.ClosedImplemented, On: day(2019, 10, 1)}),
				fault.Invalid, "One risk register for every unit")
		})
		t.Run("Board", func(t *testing.T) {
			bv, err := db.Board(ctx, day(2019, 10, 15))
			if err != nil {
				t.Fatal(err)
			}
			if bv.Totals.Open != 1 || bv.Totals.Actions != 2 || bv.Totals.ActionsDone != 1 || bv.Totals.LateActions != 1 {
				t.Fatalf("totals %+v", bv.Totals)
			}
			if len(bv.Open) != 1 || bv.Open[0].Rating != plan.Red || bv.Open[0].Late != 1 {
				t.Fatalf("open %+v", bv.Open)
			}
			if len(bv.Late) != 1 || bv.Late[0].ID != b.ID || bv.Late[0].Effective != plan.Late || bv.Late[0].FindingName() != "Recommendation 3" {
				t.Fatalf("late %+v", bv.Late)
			}
			if len(bv.Slipped) != 0 {
				t.Fatalf("slipped open actions %+v (the slipped one is done)", bv.Slipped)
			}
			// From the quarter of the report (January 2019) to today's, at
			// least four.
			if n := len(bv.Trend); n != 4 || bv.Trend[n-1].Quarter != "2019-20 Q3" {
				t.Fatalf("trend %+v", bv.Trend)
			}
			if q := bv.Trend[0]; q.Quarter != "2018-19 Q4" || q.Opened != 1 || q.OpenAtEnd != 1 {
				t.Fatalf("publication quarter %+v", q)
			}
		})
		t.Run("FailingCheckFlagsClosedAction", func(t *testing.T) {
			// A custody time limit that expired without an outcome makes
			// ctl_none_expired fail, which the closed action cites.
			expiredCustody(t, db, w.lawyer)
			results, err := db.EvaluateChecks(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var ctl plan.Result
			for _, r := range results {
				if r.Code == "ctl_none_expired" {
					ctl = r
				}
			}
			if ctl.Outcome != plan.Fail {
				t.Fatalf("ctl_none_expired: %+v", ctl)
			}
			fp, _ := db.Plan(ctx, w.recommendation, day(2019, 10, 15))
			if flags := fp.Actions[0].Flags; len(flags) != 1 || flags[0].Code != "ctl_none_expired" {
				t.Fatalf("flags %+v", fp.Actions[0].Flags)
			}
			bv, _ := db.Board(ctx, day(2019, 10, 15))
			if len(bv.Flagged) != 1 || bv.Flagged[0].ID != a.ID || len(bv.Flagged[0].Flags) != 1 {
				t.Fatalf("flagged %+v", bv.Flagged)
			}
			st, err := db.CheckStatuses(ctx, 5)
			if err != nil || len(st) != len(store.EvidenceChecks()) || st[0].Latest == nil {
				t.Fatalf("statuses %+v %v", st, err)
			}
		})
		t.Run("CloseRecommendation", func(t *testing.T) {
			if err := db.AddEvidence(ctx, w.abm, &plan.Evidence{ActionID: b.ID, Kind: plan.EvidenceDocument, Ref: "Risk registers of all four units"}); err != nil {
				t.Fatal(err)
			}
			if err := db.CloseAction(ctx, w.hod, b.ID, plan.ActionClosure{On: day(2019, 10, 20), Note: "Registers in place"}); err != nil {
				t.Fatal(err)
			}
			wantCode(t, db.CloseFinding(ctx, w.abm, w.recommendation, plan.Closure{Status: plan.ClosedImplemented, On: day(2019, 10, 21)}), fault.Forbidden, "")
			if err := db.CloseFinding(ctx, w.hod, w.recommendation, plan.Closure{Status: plan.ClosedImplemented, On: day(2019, 10, 21)}); err != nil {
				t.Fatal(err)
			}
			bv, _ := db.Board(ctx, day(2019, 10, 22))
			if bv.Totals.Open != 0 || bv.Totals.ClosedImplemented != 1 || bv.Trend[len(bv.Trend)-1].Closed != 1 {
				t.Fatalf("board after closing %+v %+v", bv.Totals, bv.Trend)
			}
			a := plan.Action{FindingID: w.recommendation, Title: "x", OwnerID: w.lawyer.PersonID, DueOn: day(2020, 1, 1)}
			wantCode(t, db.AddAction(ctx, w.abm, &a), fault.Conflict, "closed")
		})
		t.Run("SelfAssessmentAndReadiness", func(t *testing.T) {
			wantCode(t, db.SaveAssessment(ctx, w.lawyer, &plan.Assessment{FrameworkID: w.framework, Criterion: "B1.1", Rating: plan.Sound, Commentary: "x"}), fault.Forbidden, "")
			wantCode(t, db.SaveAssessment(ctx, w.abm, &plan.Assessment{FrameworkID: w.framework, Criterion: "Z9", Rating: plan.Sound, Commentary: "x"}), fault.Invalid, "no criterion Z9")
			wantCode(t, db.SaveAssessment(ctx, w.abm, &plan.Assessment{FrameworkID: w.framework, Criterion: "B1.1", Rating: plan.Weak}), fault.Invalid, "rests on")
			for _, rating := range []plan.Rating{plan.Weak, plan.Sound} { // the second replaces the first
				a := plan.Assessment{FrameworkID: w.framework, Criterion: "B1.1", Rating: rating, Commentary: "Strategy in force; one register"}
				if err := db.SaveAssessment(ctx, w.abm, &a); err != nil {
					t.Fatal(err)
				}
			}
			r, err := db.Readiness(ctx, w.framework, day(2019, 10, 30))
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Rows) != 70 || r.Ratings[plan.Sound] != 1 || r.Ratings[plan.NotAssessed] != 69 {
				t.Fatalf("rows %d, ratings %v", len(r.Rows), r.Ratings)
			}
			var b11, b14 store.ReadinessRow
			for _, row := range r.Rows {
				switch row.ID {
				case "B1.1":
					b11 = row
				case "B1.4":
					b14 = row
				}
			}
			if b11.Rating() != plan.Sound || b11.Assessment.AssessedBy != w.abm.Name || len(b11.Findings) != 1 || b11.Actions != 2 || b11.ActionsDone != 2 || len(b11.Evidence) != 4 {
				t.Fatalf("B1.1: %+v", b11)
			}
			if len(b14.Checks) != 1 || b14.Checks[0].Code != "ctl_none_expired" || b14.Checks[0].Outcome != plan.Fail {
				t.Fatalf("B1.4 checks: %+v", b14.Checks)
			}
		})
		t.Run("WritesAreAudited", func(t *testing.T) {
			entries, err := db.AuditEntries(ctx, store.AuditFilter{RecordType: "plan_action", RecordID: itoa(a.ID)})
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range entries {
				actions = append(actions, e.Action)
			}
			// Created, updated, re-dated, closed.
			if len(entries) != 4 || entries[0].Action != audit.Create || !strings.Contains(entries[2].Changes, "2019-09-30") {
				t.Fatalf("audit %v", actions)
			}
			if n, brk, err := db.VerifyAudit(ctx); err != nil || brk != nil || n == 0 {
				t.Fatalf("verify: %d %v %v", n, brk, err)
			}
		})
	})
}

// TestEvidenceCheckFailures: a check that errors or panics is recorded as
// "could not evaluate" with its reason, never as a pass, and does not stop
// the others.
func TestEvidenceCheckFailures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seeded(t, db)
		results, err := store.EvaluateChecksWith(ctx, db, map[string]func() (plan.Result, error){
			"errors": func() (plan.Result, error) {
				return plan.Passes("looks fine"), errors.New("the register could not be read")
			},
			"panics": func() (plan.Result, error) { panic("nil map") },
			"passes": func() (plan.Result, error) { return plan.Passes("ok"), nil },
		})
		if err != nil {
			t.Fatal(err)
		}
		byCode := map[string]plan.Result{}
		for _, r := range results {
			byCode[r.Code] = r
		}
		if r := byCode["errors"]; r.Outcome != plan.CouldNotEvaluate || !strings.Contains(r.Reason, "the register could not be read") {
			t.Errorf("errors: %+v", r)
		}
		if r := byCode["panics"]; r.Outcome != plan.CouldNotEvaluate || !strings.Contains(r.Reason, "nil map") {
			t.Errorf("panics: %+v", r)
		}
		if r := byCode["passes"]; r.Outcome != plan.Pass {
			t.Errorf("passes: %+v", r)
		}
		results, err = store.EvaluateBrokenQuery(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if r := results[0]; r.Outcome != plan.CouldNotEvaluate || !strings.Contains(r.Reason, "retired_register") {
			t.Errorf("missing table: %+v", r)
		}
		// The real checks on an empty division: the audit chain was never
		// verified, no unit records cases or has reviewed a risk, and with
		// nobody to assess and no case to check, neither IQA completion nor
		// case progression compliance can be worked out.
		results, err = db.EvaluateChecks(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range results {
			want := plan.Pass
			switch r.Code {
			case "audit_verified_daily", "units_record_casework", "risk_registers_reviewed", "continuity_exercised":
				want = plan.Fail
			case "iqa_completion", "case_progression_compliance":
				want = plan.CouldNotEvaluate
			}
			if r.Outcome != want {
				t.Errorf("%s: %s (%s%s), want %s", r.Code, r.Outcome, r.Detail, r.Reason, want)
			}
		}
	})
}

// expiredCustody opens a case for the lawyer with a defendant held on a
// charge whose custody time limit ran out in 2019 with no outcome.
func expiredCustody(t *testing.T, db *store.DB, lawyer *access.Principal) {
	t.Helper()
	ctx := context.Background()
	person, err := db.Person(ctx, lawyer.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	c := casework.Case{Reference: "01XX9000119", Kind: casework.Prosecution, Title: "Operation Expired", UnitID: person.UnitID, LocationID: person.LocationID,
		Status: "charged", Sensitivity: access.Official, LawyerID: &lawyer.PersonID, OpenedOn: day(2019, 1, 2), Agency: "NCA", Court: casework.CrownCourt}
	if err := db.CreateCase(ctx, lawyer, &c); err != nil {
		t.Fatal(err)
	}
	d := casework.Defendant{CaseID: c.ID, Ref: "1", Name: "A Defendant", CustodyStatus: "in_custody"}
	if err := db.SaveDefendant(ctx, lawyer, &d); err != nil {
		t.Fatal(err)
	}
	ch := casework.Charge{DefendantID: d.ID, Description: "Conspiracy to supply",
		Custody: &deadline.CTLInput{Class: deadline.OffenceClass("indictable_only"), FirstAppearance: deadline.NewDate(2019, time.January, 3)}}
	if err := db.SaveCharge(ctx, lawyer, c.ID, &ch); err != nil {
		t.Fatal(err)
	}
}

func TestFinancialQuarter(t *testing.T) {
	for day, want := range map[time.Time]string{
		day(2019, 1, 29): "2018-19 Q4", day(2019, 3, 31): "2018-19 Q4", day(2019, 4, 1): "2019-20 Q1",
		day(2019, 9, 30): "2019-20 Q2", day(2019, 12, 31): "2019-20 Q3", day(2099, 6, 1): "2099-00 Q1",
	} {
		if got := store.FinancialQuarter(day); got != want {
			t.Errorf("%s: %s, want %s", day.Format(time.DateOnly), got, want)
		}
	}
}

// TestPlanCorrections: an inspection's details and a finding's words are
// corrected after they are recorded, a closed finding is reopened for a
// reason, each with its before and after in the audit trail; bad input
// changes nothing.
func TestPlanCorrections(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPlanWorld(t, db)
		lastChange := func(kind string, id int64) string {
			t.Helper()
			entries, err := db.AuditEntries(ctx, store.AuditFilter{RecordType: kind, RecordID: itoa(id)})
			if err != nil || len(entries) == 0 {
				t.Fatalf("no audit entries for %s %d: %v", kind, id, err)
			}
			return entries[len(entries)-1].Changes
		}

		t.Run("EditInspection", func(t *testing.T) {
			in, err := db.Inspection(ctx, w.inspection)
			if err != nil {
				t.Fatal(err)
			}
			in.Title, in.Reference = "The inspection of the CPS International Justice and Organised Crime Division", "CP001:1267"
			if err := db.UpdateInspection(ctx, w.abm, &in); err != nil {
				t.Fatal(err)
			}
			got, _ := db.Inspection(ctx, w.inspection)
			if got.Title != in.Title || got.Reference != "CP001:1267" || got.FrameworkID == nil || got.Counts.Recommendations != 1 {
				t.Fatalf("got %+v", got)
			}
			change := lastChange("inspection", w.inspection)
			if !strings.Contains(change, `"from":"The Inspection of CPS International`) || !strings.Contains(change, `"to":"CP001:1267"`) {
				t.Errorf("audit change %s", change)
			}
		})
		t.Run("ErrEditInspection", func(t *testing.T) {
			before, _ := db.Inspection(ctx, w.inspection)
			bad := before
			bad.Title = " "
			wantCode(t, db.UpdateInspection(ctx, w.abm, &bad), fault.Invalid, "")
			bad = before
			bad.FrameworkID = nil
			wantCode(t, db.UpdateInspection(ctx, w.abm, &bad), fault.Invalid, "")
			bad = before
			wantCode(t, db.UpdateInspection(ctx, w.lawyer, &bad), fault.Forbidden, "")
			bad.ID = 999999
			wantCode(t, db.UpdateInspection(ctx, w.abm, &bad), fault.NotFound, "")
			if err := db.RecordResponse(ctx, w.hod, w.recommendation, plan.Response{Decision: plan.Accepted, Text: "Accepted", On: day(2019, 3, 1)}); err != nil {
				t.Fatal(err)
			}
			bad = before
			bad.PublishedOn = day(2019, 4, 1)
			wantCode(t, db.UpdateInspection(ctx, w.abm, &bad), fault.Invalid, "already recorded on 1 March 2019")
			after, _ := db.Inspection(ctx, w.inspection)
			if after.Title != before.Title || !after.PublishedOn.Equal(before.PublishedOn) || after.FrameworkID == nil {
				t.Fatalf("a refused edit changed the inspection: %+v", after)
			}
		})
		t.Run("EditFinding", func(t *testing.T) {
			edit := plan.Finding{ID: w.recommendation, Number: 3, Paragraph: "3.8", Criteria: []string{"B1.1"},
				Text: "The Division needs to ensure there is a comprehensive and coherent risk management strategy, owned by the senior management team"}
			if err := db.EditFinding(ctx, w.abm, edit); err != nil {
				t.Fatal(err)
			}
			f, _ := db.Finding(ctx, w.recommendation)
			if f.Text != edit.Text || f.Paragraph != "3.8" || len(f.Criteria) != 1 || f.Response == nil || f.OwnerID == nil || *f.OwnerID != w.hod.PersonID {
				t.Fatalf("got %+v", f)
			}
			change := lastChange("finding", w.recommendation)
			if !strings.Contains(change, `"paragraph":{"from":"3.7","to":"3.8"}`) || !strings.Contains(change, "owned by the senior management team") {
				t.Errorf("audit change %s", change)
			}
		})
		t.Run("ErrEditFinding", func(t *testing.T) {
			before, _ := db.Finding(ctx, w.recommendation)
			other := plan.Finding{InspectionID: w.inspection, Kind: plan.Recommendation, Number: 4, Paragraph: "4.1", Text: "Another"}
			if err := db.AddFinding(ctx, w.hod, &other); err != nil {
				t.Fatal(err)
			}
			edit := plan.Finding{ID: w.recommendation, Number: 3, Paragraph: "3.8", Text: "x", Criteria: []string{"Z9"}}
			wantCode(t, db.EditFinding(ctx, w.abm, edit), fault.Invalid, "no criterion Z9")
			edit.Criteria, edit.Paragraph = nil, "three"
			wantCode(t, db.EditFinding(ctx, w.abm, edit), fault.Invalid, "")
			edit.Paragraph, edit.Number = "3.8", 4
			wantCode(t, db.EditFinding(ctx, w.abm, edit), fault.Conflict, "already has Recommendation 4")
			edit.Number = 3
			wantCode(t, db.EditFinding(ctx, w.lawyer, edit), fault.Forbidden, "")
			edit.ID = 999999
			wantCode(t, db.EditFinding(ctx, w.abm, edit), fault.NotFound, "")
			after, _ := db.Finding(ctx, w.recommendation)
			if after.Text != before.Text || after.Number != 3 || after.Paragraph != before.Paragraph || len(after.Criteria) != len(before.Criteria) {
				t.Fatalf("a refused edit changed the finding: %+v", after)
			}
		})
		t.Run("Reopen", func(t *testing.T) {
			wantCode(t, db.ReopenFinding(ctx, w.abm, w.recommendation, "x"), fault.Conflict, "open already")
			if err := db.CloseFinding(ctx, w.hod, w.recommendation, plan.Closure{Status: plan.ClosedNotImplemented, On: day(2019, 9, 1), Note: "Superseded by the CPS policy"}); err != nil {
				t.Fatal(err)
			}
			wantCode(t, db.ReopenFinding(ctx, w.abm, w.recommendation, " "), fault.Invalid, "")
			wantCode(t, db.ReopenFinding(ctx, w.lawyer, w.recommendation, "x"), fault.Forbidden, "")
			if f, _ := db.Finding(ctx, w.recommendation); f.Status != plan.ClosedNotImplemented || f.ClosureNote == "" {
				t.Fatalf("a refused reopening changed the finding: %+v", f)
			}
			if err := db.ReopenFinding(ctx, w.abm, w.recommendation, "The CPS policy was withdrawn"); err != nil {
				t.Fatal(err)
			}
			f, _ := db.Finding(ctx, w.recommendation)
			if f.Status != plan.Open || f.ClosedOn != nil || f.ClosedByID != nil || f.ClosureNote != "" {
				t.Fatalf("got %+v", f)
			}
			change := lastChange("finding", w.recommendation)
			if !strings.Contains(change, `"reopen_reason":{"from":null,"to":"The CPS policy was withdrawn"}`) ||
				!strings.Contains(change, `"closure_note":{"from":"Superseded by the CPS policy","to":""}`) {
				t.Errorf("audit change %s", change)
			}
			fp, err := db.Plan(ctx, w.recommendation, day(2020, 1, 1))
			if err != nil || len(fp.Reopenings) != 1 || fp.Reopenings[0].Reason != "The CPS policy was withdrawn" ||
				fp.Reopenings[0].ClosedAs != plan.ClosedNotImplemented || fp.Reopenings[0].ClosureNote != "Superseded by the CPS policy" || fp.Reopenings[0].By == "" {
				t.Fatalf("reopenings %+v, %v", fp.Reopenings, err)
			}
			a := plan.Action{FindingID: w.recommendation, Title: "Write the strategy again", OwnerID: w.lawyer.PersonID, DueOn: day(2020, 3, 31)}
			if err := db.AddAction(ctx, w.abm, &a); err != nil {
				t.Fatalf("a reopened finding takes actions: %v", err)
			}
		})
	})
}

// TestImportFindings: a findings spreadsheet is recorded all or nothing;
// each bad row is named with its column, and a refused file changes
// nothing; a file read again is unchanged.
func TestImportFindings(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newPlanWorld(t, db)
		const report = "The Inspection of CPS International Justice and Organised Crime Division"
		accepted := &plan.Response{Decision: plan.Accepted, Text: "The CPS accept this recommendation", On: day(2019, 3, 1)}
		count := func() int {
			fs, err := db.Findings(ctx, w.inspection)
			if err != nil {
				t.Fatal(err)
			}
			return len(fs)
		}
		bad := []store.FindingImport{
			{Row: 2, InspectionTitle: "No such report", Kind: plan.Recommendation, Number: 1, Paragraph: "1.1", Text: "x"},
			{Row: 3, InspectionTitle: report, Kind: plan.Recommendation, Number: 5, Paragraph: "3.9", Text: "x", Criteria: []string{"Z9.9"}},
			{Row: 4, InspectionTitle: report, Kind: plan.Recommendation, Number: 6, Paragraph: "3.10", Text: "x",
				Response: &plan.Response{Decision: plan.Accepted, Text: "Yes", On: day(2018, 12, 1)}},
			{Row: 5, InspectionTitle: report, Kind: plan.Recommendation, Number: 7, Paragraph: "3.11", Text: "Seven"},
			{Row: 6, InspectionTitle: report, Kind: plan.Recommendation, Number: 7, Paragraph: "3.11", Text: "Seven again"},
			{Row: 7, InspectionTitle: report, Kind: plan.Recommendation, Number: 3, Paragraph: "3.7", Text: "Different words", Criteria: []string{"B1.1", "B1.2"}},
			{Row: 8, InspectionTitle: report, Kind: plan.GoodPractice, Number: 1, Paragraph: "4.2", Text: "x", Response: accepted},
			{Row: 9, InspectionTitle: report, Kind: plan.Aspect, Number: 1, Paragraph: "5.1", Text: "x", OwnerEmail: "nobody@caseboard.example"},
			{Row: 10, InspectionTitle: report, Kind: plan.Aspect, Number: 2, Paragraph: "five", Text: "x"},
		}
		before := count()
		_, problems, err := db.ImportFindings(ctx, w.abm, "bad.csv", bad)
		wantCode(t, err, fault.Invalid, "Nothing was imported: 8 problems")
		want := []struct {
			row          int
			column, says string
		}{{2, "inspection", "no inspection titled"}, {3, "criteria", "no criterion Z9.9"}, {4, "response_on", "before the report was published"},
			{6, "finding", "on row 5 too"}, {7, "text", "different text"}, {8, "finding", "takes no response"},
			{9, "accountable_owner_email", "nobody@caseboard.example"}, {10, "paragraph", "as the report numbers it"}}
		for _, wp := range want {
			found := false
			for _, p := range problems {
				found = found || (p.Row == wp.row && p.Column == wp.column && strings.Contains(p.Reason, wp.says))
			}
			if !found {
				t.Errorf("no problem on row %d, %s, saying %q: %+v", wp.row, wp.column, wp.says, problems)
			}
		}
		if count() != before {
			t.Fatalf("a refused import recorded findings")
		}
		wantCode(t, func() error { _, _, err := db.ImportFindings(ctx, w.lawyer, "x.csv", nil); return err }(), fault.Forbidden, "")

		good := []store.FindingImport{
			{Row: 2, InspectionTitle: report, Kind: plan.Recommendation, Number: 3, Paragraph: "3.7", Criteria: []string{"B1.2", "B1.1"},
				Text: "The Division needs to ensure there is a comprehensive and coherent risk management strategy", Response: accepted},
			{Row: 3, InspectionTitle: report, Kind: plan.Recommendation, Number: 4, Paragraph: "3.12", Text: "Directory of national leads",
				Criteria: []string{"B1.1"}, OwnerEmail: strings.ToUpper(w.hod.Email), Response: &plan.Response{Decision: plan.PartiallyAccepted, Text: "In part", On: day(2019, 3, 1)}},
			{Row: 4, InspectionTitle: report, Kind: plan.GoodPractice, Number: 1, Paragraph: "4.2", Text: "Liaison prosecutors abroad"},
		}
		done, problems, err := db.ImportFindings(ctx, w.abm, "good.csv", good)
		if err != nil || done.Added != 2 || done.Changed != 1 || done.Unchanged != 0 {
			t.Fatalf("got %+v %+v %v", done, problems, err)
		}
		f, _ := db.Finding(ctx, w.recommendation)
		if f.Response == nil || f.Response.Text != accepted.Text {
			t.Fatalf("the existing recommendation did not take its response: %+v", f.Response)
		}
		fs, _ := db.Findings(ctx, w.inspection)
		if len(fs) != before+2 || fs[1].Number != 4 || fs[1].OwnerID == nil || *fs[1].OwnerID != w.hod.PersonID || fs[1].Response.Decision != plan.PartiallyAccepted ||
			fs[1].Status != plan.Open || fs[2].Kind != plan.GoodPractice || fs[2].Status != "" {
			t.Fatalf("got %+v", fs)
		}
		done, _, err = db.ImportFindings(ctx, w.abm, "good.csv", good)
		if err != nil || done.Added != 0 || done.Changed != 0 || done.Unchanged != 3 {
			t.Fatalf("again: %+v %v", done, err)
		}
		again := good[:1:1]
		again[0].Response = &plan.Response{Decision: plan.NotAccepted, Text: "No", On: day(2019, 3, 1)}
		_, problems, err = db.ImportFindings(ctx, w.abm, "changed.csv", again)
		if fault.CodeOf(err) != fault.Invalid || len(problems) != 1 || problems[0].Column != "response" {
			t.Fatalf("a changed response: %+v %v", problems, err)
		}
	})
}

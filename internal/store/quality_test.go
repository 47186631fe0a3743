package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/fault"
	"caseboard/internal/quality"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func allMarks(a quality.Activity, version int, answer quality.Answer) []quality.Mark {
	t, err := quality.TemplateFor(a, version)
	if err != nil {
		panic(err)
	}
	var out []quality.Mark
	for _, q := range t.Questions {
		out = append(out, quality.Mark{Question: q.Code, Answer: answer, Comment: "seen on file"})
	}
	return out
}

func wantFaultCode(t *testing.T, err error, code fault.Code) {
	t.Helper()
	if fault.CodeOf(err) != code {
		t.Fatalf("want %s, got %v", code, err)
	}
}

func TestQualityAssessments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		restricted := w.newCase(t, "01QA0000118", access.Restricted)
		// A restricted extradition case of a lawyer outside the manager's line.
		hidden := casework.Case{Reference: "EX/2018/QA001", Kind: casework.Extradition, Title: "Requested person", UnitID: w.otherLawyer.Units[0],
			LocationID: w.locationID, Status: "received", Sensitivity: access.Restricted, LawyerID: &w.otherLawyer.PersonID,
			OpenedOn: time.Date(2018, 3, 1, 0, 0, 0, 0, time.UTC), Direction: "export", Country: "PL"}
		if err := db.CreateCase(ctx, w.otherLawyer, &hidden); err != nil {
			t.Fatal(err)
		}
		day := time.Date(2026, 2, 10, 0, 0, 0, 0, time.UTC)
		newIQA := func() quality.Assessment {
			return quality.Assessment{AssessedID: w.lawyer.PersonID, CaseID: restricted.ID, Activity: quality.LegalCasework,
				AssessedOn: day, Marks: allMarks(quality.LegalCasework, 2, quality.PartiallyMeets), Feedback: "Good analysis; disclosure late"}
		}
		countGiven := func() int {
			list, err := db.MyAssessments(ctx, w.manager, 100)
			if err != nil {
				t.Fatal(err)
			}
			return len(list.Given)
		}

		a := newIQA()
		if err := db.CreateAssessment(ctx, w.manager, &a); err != nil {
			t.Fatal(err)
		}
		if a.TemplateVersion != 2 || a.UnitID != w.unitID || a.Version != 1 {
			t.Fatalf("created %+v", a)
		}

		t.Run("ReadByAssessedAndLineNotOthers", func(t *testing.T) {
			for _, p := range []*access.Principal{w.lawyer, w.manager} {
				got, _, err := db.Assessment(ctx, p, a.ID)
				if err != nil || len(got.Marks) != 7 || got.Marks[0].Question != "code_test" || got.AssessedName == "" || got.CaseReference != restricted.Reference {
					t.Fatalf("read as %s: %+v %v", p.Name, got, err)
				}
			}
			for _, p := range []*access.Principal{w.otherLawyer, w.inspector, w.admin} {
				if _, _, err := db.Assessment(ctx, p, a.ID); fault.CodeOf(err) != fault.NotFound {
					t.Fatalf("read as %s: %v", p.Name, err)
				}
			}
			list, err := db.MyAssessments(ctx, w.lawyer, 10)
			if err != nil || len(list.Received) != 1 || len(list.Given) != 0 {
				t.Fatalf("%+v %v", list, err)
			}
		})

		t.Run("ErrAssessingYourself", func(t *testing.T) {
			self := newIQA()
			self.AssessedID = w.manager.PersonID
			wantFaultCode(t, db.CreateAssessment(ctx, w.manager, &self), fault.Invalid)
		})
		t.Run("ErrNotTheirReport", func(t *testing.T) {
			other := newIQA()
			other.AssessedID = w.otherLawyer.PersonID
			wantFaultCode(t, db.CreateAssessment(ctx, w.manager, &other), fault.Forbidden)
		})
		t.Run("ErrCaseTheAssessorMayNotSee", func(t *testing.T) {
			unseen := newIQA()
			unseen.CaseID = hidden.ID
			err := db.CreateAssessment(ctx, w.manager, &unseen)
			wantFaultCode(t, err, fault.NotFound)
			if fault.As(err).FieldMessage("case_id") == "" {
				t.Fatalf("no field error: %v", err)
			}
		})
		t.Run("ErrQuestionNotInTemplateVersion", func(t *testing.T) {
			old := newIQA()
			old.TemplateVersion = 1 // before confiscation was asked
			wantFaultCode(t, db.CreateAssessment(ctx, w.manager, &old), fault.Invalid)
		})
		t.Run("ErrReadOnly", func(t *testing.T) {
			x := newIQA()
			wantFaultCode(t, db.CreateAssessment(ctx, w.inspector, &x), fault.Forbidden)
		})
		if n := countGiven(); n != 1 {
			t.Fatalf("refused assessments were stored: %d given", n)
		}

		t.Run("AcknowledgeThenReviseWithReason", func(t *testing.T) {
			_, err := db.AcknowledgeAssessment(ctx, w.manager, a.ID)
			wantFaultCode(t, err, fault.Forbidden)
			acked, err := db.AcknowledgeAssessment(ctx, w.lawyer, a.ID)
			if err != nil || acked.AcknowledgedAt == nil {
				t.Fatalf("%+v %v", acked, err)
			}
			_, err = db.AcknowledgeAssessment(ctx, w.lawyer, a.ID)
			wantFaultCode(t, err, fault.Conflict)

			better := allMarks(quality.LegalCasework, 2, quality.FullyMeets)
			_, err = db.ReviseAssessment(ctx, w.manager, a.ID, store.AssessmentChange{Version: 1, Marks: better, Feedback: "x"})
			wantFaultCode(t, err, fault.Invalid)
			_, err = db.ReviseAssessment(ctx, w.lawyer, a.ID, store.AssessmentChange{Version: 1, Marks: better, Reason: "I disagree"})
			wantFaultCode(t, err, fault.Forbidden)
			unchanged, revisions, _ := db.Assessment(ctx, w.manager, a.ID)
			if unchanged.Version != 1 || unchanged.Marks[0].Answer != quality.PartiallyMeets || len(revisions) != 0 || unchanged.AcknowledgedAt == nil {
				t.Fatalf("a refused revision changed the assessment: %+v %+v", unchanged, revisions)
			}

			after, err := db.ReviseAssessment(ctx, w.manager, a.ID, store.AssessmentChange{Version: 1, Marks: better,
				Feedback: "Disclosure was on time after all", Reason: "The DMD was on file under another name"})
			if err != nil || after.Version != 2 || after.AcknowledgedAt != nil {
				t.Fatalf("%+v %v", after, err)
			}
			got, revisions, err := db.Assessment(ctx, w.lawyer, a.ID)
			if err != nil || got.Version != 2 || got.Marks[0].Answer != quality.FullyMeets || got.Feedback != "Disclosure was on time after all" ||
				len(revisions) != 1 || revisions[0].Version != 1 || revisions[0].Marks[0].Answer != quality.PartiallyMeets ||
				revisions[0].Reason != "The DMD was on file under another name" {
				t.Fatalf("%+v %+v %v", got, revisions, err)
			}
			_, err = db.ReviseAssessment(ctx, w.manager, a.ID, store.AssessmentChange{Version: 1, Marks: better})
			wantFaultCode(t, err, fault.Conflict)
			entries, err := db.AuditEntries(ctx, store.AuditFilter{RecordType: "assessment", RecordID: strconv.FormatInt(a.ID, 10)})
			if err != nil || len(entries) != 3 {
				t.Fatalf("audit: %d entries, %v", len(entries), err)
			}
		})

		t.Run("Obligations", func(t *testing.T) {
			obligations, err := db.QualityObligations(ctx, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			found := map[quality.Activity]quality.Obligation{}
			for _, o := range obligations {
				if o.PersonID == w.lawyer.PersonID {
					found[o.Activity] = o
				}
			}
			if o := found[quality.LegalCasework]; o.ManagerID != w.manager.PersonID || o.Done != 1 || o.Due.Format("2006-01-02") != "2026-03-31" {
				t.Fatalf("casework obligation %+v", o)
			}
			if o := found[quality.LegalAdvocacy]; o.Done != 0 || o.Status(time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC)) != "overdue" {
				t.Fatalf("advocacy obligation %+v", o)
			}
			mine, err := db.ObligationsOf(ctx, w.manager.PersonID, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			var fromAll []quality.Obligation
			for _, o := range obligations {
				if o.ManagerID == w.manager.PersonID {
					fromAll = append(fromAll, o)
				}
			}
			if len(mine) == 0 || len(mine) != len(fromAll) {
				t.Fatalf("one manager's obligations differ from the division's: %d against %d", len(mine), len(fromAll))
			}
			for i := range mine {
				a, b := mine[i], fromAll[i]
				if a.PersonID != b.PersonID || a.Activity != b.Activity || !a.Start.Equal(b.Start) || a.Done != b.Done || a.Required != b.Required {
					t.Fatalf("obligation %d: %+v against %+v", i, a, b)
				}
			}
		})

		t.Run("DipSampleRemarkCalibration", func(t *testing.T) {
			head := w.unitHead(t)
			from, to := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC)
			_, err := db.Calibration(ctx, w.lawyer, w.unitID, from, to)
			wantFaultCode(t, err, fault.Forbidden)
			wantFaultCode(t, db.DrawDipSample(ctx, w.manager, &store.DipSample{UnitID: w.unitID, From: from, To: to, Size: 5, Seed: 1}), fault.Forbidden)
			s := store.DipSample{UnitID: w.unitID, From: from, To: to, Size: 5, Seed: 42}
			if err := db.DrawDipSample(ctx, head, &s); err != nil || len(s.Assessments) != 1 || s.Assessments[0] != a.ID {
				t.Fatalf("%+v %v", s, err)
			}
			// Blind: the re-marker sees no marks or feedback of the original.
			sampled, err := db.SampledAssessment(ctx, head, a.ID)
			if err != nil || len(sampled.Marks) != 0 || sampled.Feedback != "" {
				t.Fatalf("%+v %v", sampled, err)
			}
			if _, _, err := db.Assessment(ctx, head, a.ID); fault.CodeOf(err) != fault.Forbidden {
				t.Fatalf("the re-marker read the original before re-marking: %v", err)
			}
			r := quality.Assessment{Marks: allMarks(quality.LegalCasework, 2, quality.NotMet)}
			wantFaultCode(t, db.CreateRemark(ctx, w.manager, a.ID, &r), fault.NotFound)
			if err := db.CreateRemark(ctx, head, a.ID, &r); err != nil {
				t.Fatal(err)
			}
			wantFaultCode(t, db.CreateRemark(ctx, head, a.ID, &quality.Assessment{Marks: r.Marks}), fault.NotFound)
			if _, _, err := db.Assessment(ctx, head, a.ID); err != nil {
				t.Fatalf("the re-marker cannot read the original after re-marking: %v", err)
			}
			// The person assessed does not see the re-mark.
			if _, _, err := db.Assessment(ctx, w.lawyer, r.ID); fault.CodeOf(err) != fault.NotFound {
				t.Fatalf("re-mark read by the person assessed: %v", err)
			}
			cal, err := db.Calibration(ctx, head, w.unitID, from, to)
			if err != nil || len(cal) != 1 || cal[0].AssessorID != w.manager.PersonID || cal[0].Remarked != 1 ||
				cal[0].Higher != 7 || cal[0].Agreement.Pairs != 7 || cal[0].Marks != 7 || cal[0].Top != 7 {
				t.Fatalf("%+v %v", cal, err)
			}
			trends, err := db.QualityTrends(ctx, &w.unitID, from, to)
			if err != nil || len(trends) != 7 || trends[0].Marks != 1 {
				t.Fatalf("%+v %v", trends, err)
			}
		})

		t.Run("ScheduleRules", func(t *testing.T) {
			rules, err := db.QualityRules(ctx)
			if err != nil || len(rules) != 3 {
				t.Fatalf("%+v %v", rules, err)
			}
			wantFaultCode(t, db.SetQualityRule(ctx, w.manager, quality.Rule{Activity: quality.ParalegalCasework, Profession: "paralegal", PeriodMonths: 3, Count: 1}), fault.Forbidden)
		})
	})
}

// unitHead is the head of the lawyer's unit, as a principal.
func (w caseWorld) unitHead(t *testing.T) *access.Principal {
	t.Helper()
	ctx := context.Background()
	units, err := w.db.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range units {
		if u.ID == w.unitID && u.HeadID != nil {
			p, err := w.db.Principal(ctx, *u.HeadID)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
	}
	t.Fatal("the unit has no head")
	return nil
}

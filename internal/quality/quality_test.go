package quality_test

import (
	"math"
	"testing"
	"time"

	"caseboard/internal/fault"
	"caseboard/internal/quality"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// marks answers every question of a template version with the same answer.
func marks(a quality.Activity, version int, answer quality.Answer) []quality.Mark {
	t, err := quality.TemplateFor(a, version)
	if err != nil {
		panic(err)
	}
	var out []quality.Mark
	for _, q := range t.Questions {
		out = append(out, quality.Mark{Question: q.Code, Answer: answer})
	}
	return out
}

func valid() quality.Assessment {
	return quality.Assessment{Kind: quality.IQA, AssessedID: 2, AssessorID: 1, CaseID: 9, Activity: quality.LegalCasework,
		TemplateVersion: 1, AssessedOn: day("2026-03-02"), Marks: marks(quality.LegalCasework, 1, quality.FullyMeets)}
}

func fieldOf(t *testing.T, err error, field string) {
	t.Helper()
	fe := fault.As(err)
	if fe == nil || fe.FieldMessage(field) == "" {
		t.Fatalf("want an error on %s, got %v", field, err)
	}
}

func TestValidate(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		a := valid()
		a.Marks[0], a.Marks[5] = a.Marks[5], a.Marks[0]
		if err := a.Validate(); err != nil {
			t.Fatal(err)
		}
		if a.Marks[0].Question != "code_test" {
			t.Fatalf("marks not put in the template's order: %v", a.Marks)
		}
	})
	t.Run("ErrAssessingYourself", func(t *testing.T) {
		a := valid()
		a.AssessorID = a.AssessedID
		fieldOf(t, a.Validate(), "assessed_id")
	})
	t.Run("ErrQuestionNotInVersion", func(t *testing.T) {
		// Confiscation was added in version 2: version 1 does not ask it.
		a := valid()
		a.Marks = append(a.Marks, quality.Mark{Question: "confiscation", Answer: quality.NotMet})
		fieldOf(t, a.Validate(), "answer_confiscation")
	})
	t.Run("ErrQuestionMissing", func(t *testing.T) {
		a := valid()
		a.TemplateVersion = 2
		fieldOf(t, a.Validate(), "answer_confiscation")
	})
	t.Run("ErrAnsweredTwice", func(t *testing.T) {
		a := valid()
		a.Marks = append(a.Marks, a.Marks[0])
		fieldOf(t, a.Validate(), "answer_code_test")
	})
	t.Run("ErrNotOnScale", func(t *testing.T) {
		a := valid()
		a.Marks[1].Answer = "excellent"
		fieldOf(t, a.Validate(), "answer_case_analysis")
	})
	t.Run("ErrNoSuchVersion", func(t *testing.T) {
		a := valid()
		a.TemplateVersion = 9
		fieldOf(t, a.Validate(), "template_version")
	})
}

func TestCheckAssessor(t *testing.T) {
	manager := quality.Assessor{PersonID: 1, Reports: []int64{2, 3}}
	if err := quality.CheckAssessor(manager, quality.Assessed{PersonID: 2, Profession: "legal"}, quality.LegalAdvocacy); err != nil {
		t.Fatalf("a manager assessing a report: %v", err)
	}
	t.Run("ErrSelf", func(t *testing.T) {
		fieldOf(t, quality.CheckAssessor(manager, quality.Assessed{PersonID: 1, Profession: "legal"}, quality.LegalCasework), "assessed_id")
	})
	t.Run("ErrNotTheirReport", func(t *testing.T) {
		if err := quality.CheckAssessor(manager, quality.Assessed{PersonID: 4, Profession: "legal"}, quality.LegalCasework); fault.CodeOf(err) != fault.Forbidden {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrWrongProfession", func(t *testing.T) {
		fieldOf(t, quality.CheckAssessor(manager, quality.Assessed{PersonID: 3, Profession: "paralegal"}, quality.LegalAdvocacy), "activity")
	})
}

func TestCheckRevision(t *testing.T) {
	a := valid()
	if err := quality.CheckRevision(a, 1, ""); err != nil {
		t.Fatalf("an unacknowledged assessment may be corrected without a reason: %v", err)
	}
	if err := quality.CheckRevision(a, 2, "typo"); fault.CodeOf(err) != fault.Forbidden {
		t.Fatalf("only the assessor revises: %v", err)
	}
	now := day("2026-03-05")
	a.AcknowledgedAt = &now
	t.Run("ErrAcknowledgedNeedsReason", func(t *testing.T) {
		fieldOf(t, quality.CheckRevision(a, 1, "  "), "reason")
	})
	if err := quality.CheckRevision(a, 1, "Disclosure mark reconsidered after the DMD was found"); err != nil {
		t.Fatal(err)
	}
	if err := quality.CheckAcknowledgement(a, 2); fault.CodeOf(err) != fault.Conflict {
		t.Fatalf("acknowledging twice: %v", err)
	}
	a.AcknowledgedAt = nil
	if err := quality.CheckAcknowledgement(a, 1); fault.CodeOf(err) != fault.Forbidden {
		t.Fatalf("the assessor acknowledging: %v", err)
	}
}

func TestCurrentTemplate(t *testing.T) {
	for _, c := range []struct {
		day  string
		want int
	}{{"2025-12-31", 1}, {"2026-01-01", 2}, {"2016-01-01", 1}} {
		tpl, err := quality.Current(quality.LegalCasework, c.day)
		if err != nil || tpl.Version != c.want {
			t.Errorf("%s: version %d, %v; want %d", c.day, tpl.Version, err, c.want)
		}
	}
}

func TestObligationsAndCompletion(t *testing.T) {
	manager := int64(1)
	team := int64(7)
	people := []quality.Person{
		{ID: 1, Name: "Manager", Profession: "legal"}, // no line manager: owes nothing
		{ID: 2, Name: "Lawyer", Profession: "legal", LineManagerID: &manager, UnitID: 1, TeamID: &team},
		{ID: 3, Name: "Paralegal", Profession: "paralegal", LineManagerID: &manager, UnitID: 1, TeamID: &team},
		{ID: 4, Name: "Adviser", Profession: "policy", LineManagerID: &manager, UnitID: 2},
	}
	done := []quality.Assessment{
		{Kind: quality.IQA, AssessedID: 2, Activity: quality.LegalCasework, AssessedOn: day("2026-02-10")},
		{Kind: quality.IQA, AssessedID: 2, Activity: quality.LegalCasework, AssessedOn: day("2026-03-10")},    // a second in the quarter counts once
		{Kind: quality.Remark, AssessedID: 2, Activity: quality.LegalAdvocacy, AssessedOn: day("2026-03-10")}, // a re-mark is no IQA
		{Kind: quality.IQA, AssessedID: 3, Activity: quality.ParalegalCasework, AssessedOn: day("2026-01-31")},
	}
	got := quality.Obligations(people, quality.DefaultRules, done, day("2026-01-15"), day("2026-04-20"))
	// Lawyer: casework and advocacy for Q1 and Q2 (4); paralegal: January to April (4).
	if len(got) != 8 {
		t.Fatalf("%d obligations: %+v", len(got), got)
	}
	today := day("2026-04-20")
	status := map[string]int{}
	for _, o := range got {
		status[string(o.Activity)+" "+o.Start.Format("2006-01")+" "+o.Status(today)]++
	}
	for _, want := range []string{"legal_casework 2026-01 met", "legal_advocacy 2026-01 overdue", "legal_casework 2026-04 open",
		"paralegal_casework 2026-01 met", "paralegal_casework 2026-02 overdue", "paralegal_casework 2026-03 overdue", "paralegal_casework 2026-04 open"} {
		if status[want] != 1 {
			t.Errorf("want one %q; got %v", want, status)
		}
	}
	sum := quality.Summarise(got, today, func(quality.Obligation) (string, string) { return "all", "Division" })
	// Fallen due: Q1 casework (met), Q1 advocacy, Jan (met), Feb, Mar: 2 of 5.
	if len(sum) != 1 || sum[0].Due != 5 || sum[0].Met != 2 || sum[0].Overdue != 3 || sum[0].Open != 3 || math.Abs(*sum[0].Rate-0.4) > 1e-9 {
		t.Fatalf("summary %+v", sum)
	}
}

func TestRuleValidate(t *testing.T) {
	if err := (quality.Rule{quality.LegalAdvocacy, "legal", 3, 1}).Validate(); err != nil {
		t.Fatal(err)
	}
	fieldOf(t, quality.Rule{quality.LegalAdvocacy, "paralegal", 3, 1}.Validate(), "profession")
	fieldOf(t, quality.Rule{quality.LegalAdvocacy, "legal", 2, 1}.Validate(), "period_months")
	fieldOf(t, quality.Rule{quality.LegalAdvocacy, "legal", 3, 0}.Validate(), "count")
}

// TestCohenKappaWorked checks kappa on a table worked by hand: 50 answers
// marked twice; both "fully meets" 20, original fully / re-mark not met 5,
// original not met / re-mark fully 10, both "not met" 15. Observed
// agreement po = 35/50 = 0.7. The original marked fully 25/50 = 0.5, the
// re-marker 30/50 = 0.6, so pe = 0.5*0.6 + 0.5*0.4 = 0.5, and
// kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
func TestCohenKappaWorked(t *testing.T) {
	var pairs []quality.Pair
	add := func(n int, o, r quality.Answer) {
		for range n {
			pairs = append(pairs, quality.Pair{Original: o, Remark: r})
		}
	}
	add(20, quality.FullyMeets, quality.FullyMeets)
	add(5, quality.FullyMeets, quality.NotMet)
	add(10, quality.NotMet, quality.FullyMeets)
	add(15, quality.NotMet, quality.NotMet)
	add(7, quality.NotApplicable, quality.FullyMeets) // left out
	ag := quality.CohenKappa(pairs)
	if ag.Pairs != 50 || math.Abs(ag.Observed-0.7) > 1e-12 || math.Abs(ag.Expected-0.5) > 1e-12 || ag.Kappa == nil || math.Abs(*ag.Kappa-0.4) > 1e-12 {
		t.Fatalf("%+v", ag)
	}
	t.Run("DegenerateAllAlike", func(t *testing.T) {
		ag := quality.CohenKappa([]quality.Pair{{quality.FullyMeets, quality.FullyMeets}, {quality.FullyMeets, quality.FullyMeets}})
		if ag.Kappa != nil || ag.Observed != 1 || ag.Note == "" {
			t.Fatalf("%+v", ag)
		}
	})
	t.Run("DegenerateNoPairs", func(t *testing.T) {
		ag := quality.CohenKappa([]quality.Pair{{quality.NotApplicable, quality.NotMet}})
		if ag.Kappa != nil || ag.Pairs != 0 || ag.Note == "" {
			t.Fatalf("%+v", ag)
		}
	})
	t.Run("PerfectDisagreementIsNegative", func(t *testing.T) {
		ag := quality.CohenKappa([]quality.Pair{{quality.FullyMeets, quality.NotMet}, {quality.NotMet, quality.FullyMeets}})
		if ag.Kappa == nil || math.Abs(*ag.Kappa+1) > 1e-12 {
			t.Fatalf("%+v", ag)
		}
	})
}

// TestTwoProportionZWorked: 45 top marks of 50 (0.9) against peers' 60 of
// 100 (0.6). Pooled p = 105/150 = 0.7; se = sqrt(0.7*0.3*(1/50+1/100)) =
// sqrt(0.0063) = 0.0793725; z = 0.3/0.0793725 = 3.7796; one-sided
// p = 1 - Phi(3.7796) = 0.0000785.
func TestTwoProportionZWorked(t *testing.T) {
	z, p, ok := quality.TwoProportionZ(45, 50, 60, 100)
	if !ok || math.Abs(z-3.7796) > 1e-4 || math.Abs(p-7.85e-5) > 1e-6 {
		t.Fatalf("z %v p %v ok %v", z, p, ok)
	}
	if _, _, ok := quality.TwoProportionZ(10, 10, 20, 20); ok {
		t.Fatal("every mark top: nothing to test")
	}
	if _, _, ok := quality.TwoProportionZ(0, 0, 20, 20); ok {
		t.Fatal("no marks: nothing to test")
	}
	if _, p, _ := quality.TwoProportionZ(30, 50, 60, 100); math.Abs(p-0.5) > 1e-12 {
		t.Fatalf("equal shares: p %v, want 0.5", p)
	}
}

// TestSignTestWorked: 9 or more of 10 one way has probability
// (C(10,9) + C(10,10)) / 2^10 = 11/1024.
func TestSignTestWorked(t *testing.T) {
	for _, c := range []struct {
		k, n int
		want float64
	}{{9, 10, 11.0 / 1024}, {10, 10, 1.0 / 1024}, {0, 10, 1}, {5, 0, 1}, {1, 1, 0.5}} {
		if got := quality.SignTest(c.k, c.n); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("SignTest(%d, %d) = %v, want %v", c.k, c.n, got, c.want)
		}
	}
}

// TestCalibrateFlagsTheLenientAssessor builds two fair assessors and one
// who marks everything "fully meets", with blind re-marks that disagree
// with the lenient one downwards.
func TestCalibrateFlagsTheLenientAssessor(t *testing.T) {
	var all []quality.Assessment
	id := int64(0)
	add := func(assessor int64, answers ...quality.Answer) int64 {
		id++
		a := quality.Assessment{ID: id, Kind: quality.IQA, AssessorID: assessor, AssessedID: 100 + assessor, Activity: quality.ParalegalCasework, TemplateVersion: 1, AssessedOn: day("2026-02-01")}
		tpl, _ := quality.TemplateFor(quality.ParalegalCasework, 1)
		for i, q := range tpl.Questions {
			a.Marks = append(a.Marks, quality.Mark{Question: q.Code, Answer: answers[i%len(answers)]})
		}
		all = append(all, a)
		return id
	}
	fair := []quality.Answer{quality.FullyMeets, quality.PartiallyMeets, quality.FullyMeets, quality.NotMet, quality.PartiallyMeets}
	for range 12 {
		add(1, fair...)
		add(2, fair...)
	}
	var lenient []int64
	for range 12 {
		lenient = append(lenient, add(3, quality.FullyMeets))
	}
	for _, original := range lenient[:4] {
		id++
		r := quality.Assessment{ID: id, Kind: quality.Remark, RemarkOf: &original, AssessorID: 9, Activity: quality.ParalegalCasework, TemplateVersion: 1}
		tpl, _ := quality.TemplateFor(quality.ParalegalCasework, 1)
		for i, q := range tpl.Questions {
			r.Marks = append(r.Marks, quality.Mark{Question: q.Code, Answer: fair[i]})
		}
		all = append(all, r)
	}
	got := quality.Calibrate(all, map[int64]string{1: "Ann", 2: "Bob", 3: "Cat"})
	if len(got) != 3 || got[0].Name != "Cat" || !got[0].Lenient || got[1].Lenient || got[2].Lenient {
		t.Fatalf("%+v", got)
	}
	cat := got[0]
	// 60 marks all top against peers' 48 of 120 (0.4): z-test significant.
	if cat.Marks != 60 || cat.Top != 60 || cat.PeerMarks != 120 || cat.PeerTop != 48 || cat.PValue == nil || *cat.PValue >= quality.Alpha {
		t.Fatalf("%+v", cat)
	}
	// 4 re-marks of 5 answers: 2 alike, 3 lower each time: 12 higher, 0 lower.
	if cat.Remarked != 4 || cat.Higher != 12 || cat.Lower != 0 || cat.SignPValue == nil || math.Abs(*cat.SignPValue-1.0/4096) > 1e-12 {
		t.Fatalf("%+v", cat)
	}
	if len(cat.Reasons) != 2 {
		t.Fatalf("reasons %v", cat.Reasons)
	}
	// The original marked every answer fully: pe = 1*0.4, po = 0.4, kappa 0.
	if cat.Agreement.Kappa == nil || math.Abs(*cat.Agreement.Kappa) > 1e-12 {
		t.Fatalf("agreement %+v", cat.Agreement)
	}
}

func TestTrends(t *testing.T) {
	mk := func(on string, answer quality.Answer) quality.Assessment {
		return quality.Assessment{Kind: quality.IQA, Activity: quality.LegalAdvocacy, AssessedOn: day(on),
			Marks: []quality.Mark{{Question: "adv_law", Answer: answer}, {Question: "adv_conduct", Answer: quality.FullyMeets}}}
	}
	got := quality.Trends([]quality.Assessment{mk("2026-01-05", quality.NotMet), mk("2026-02-05", quality.FullyMeets),
		mk("2026-04-05", quality.NotMet), mk("2026-04-06", quality.NotApplicable)})
	if len(got) != 2 || got[0].Question != "adv_law" || got[0].Marks != 3 || got[0].NotMet != 2 ||
		got[0].ByQuarter["2026-Q1"] != 0.5 || got[0].ByQuarter["2026-Q2"] != 1 || got[1].Share != 0 {
		t.Fatalf("%+v", got)
	}
}

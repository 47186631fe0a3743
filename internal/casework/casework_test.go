package casework_test

import (
	"testing"
	"time"

	"caseboard/internal/casework"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestOutcomeLists(t *testing.T) {
	convictions := 0
	for _, o := range casework.ProsecutionOutcomes {
		if o.Conviction {
			convictions++
		}
		if o.GuiltyPlea && !o.Conviction {
			t.Errorf("%s is a guilty plea but not a conviction", o.Code)
		}
	}
	if convictions != 3 || len(casework.ProsecutionOutcomes) != 15 || len(casework.ExtraditionOutcomes) != 18 {
		t.Fatalf("%d convictions of %d prosecution outcomes; %d extradition outcomes", convictions, len(casework.ProsecutionOutcomes), len(casework.ExtraditionOutcomes))
	}
	if _, ok := casework.LookupOutcome(casework.Extradition, "conviction_after_trial"); ok {
		t.Fatal("a prosecution outcome accepted for extradition")
	}
	if o, ok := casework.LookupOutcome(casework.Prosecution, "proved_in_absence"); !ok || !o.Conviction {
		t.Fatal("proof in absence is a conviction")
	}
}

func TestCaseValidate(t *testing.T) {
	ok := casework.Case{Reference: "01PF1234518", Kind: casework.Extradition, UnitID: 2, LocationID: 1, Status: "arrested",
		Sensitivity: "official", OpenedOn: day(2018, 1, 2), Direction: "export", Country: "PL", WarrantType: "eaw_accusation"}
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		mutate func(c *casework.Case)
		field  string
	}{
		"ErrStatusOfOtherKind": {func(c *casework.Case) { c.Status = "pre_charge" }, "status"},
		"ErrDirection":         {func(c *casework.Case) { c.Direction = "incoming" }, "direction"},
		"ErrCountry":           {func(c *casework.Case) { c.Country = "XX" }, "country"},
		"ErrWarrant":           {func(c *casework.Case) { c.WarrantType = "red_notice" }, "warrant_type"},
		"ErrOpened1900":        {func(c *casework.Case) { c.OpenedOn = day(1900, 1, 1) }, "opened_on"},
		"ErrReference":         {func(c *casework.Case) { c.Reference = "<script>" }, "reference"},
		"ErrPreChargeBefore": {func(c *casework.Case) {
			c.Kind, c.Status, c.PreChargeDecision = casework.Prosecution, "charged", "charge"
			d := day(2017, 1, 1)
			c.PreChargeDecidedOn = &d
		}, "pre_charge_decided_on"},
	} {
		t.Run(name, func(t *testing.T) {
			c := ok
			tc.mutate(&c)
			if fe := fault.As(c.Validate()); fe == nil || fe.FieldMessage(tc.field) == "" {
				t.Fatalf("want a %s problem, got %v", tc.field, fe)
			}
		})
	}
}

func TestOutcomeRowValidate(t *testing.T) {
	good := casework.OutcomeRow{CaseURN: "01PF1", Unit: "organised_crime", Location: "petty_france", Court: "CC", DefendantRef: "1",
		PrincipalOffence: "drugs_offences", FinalisedOn: day(2018, 5, 2), Outcome: "guilty_plea"}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	admin := good
	admin.PrincipalOffence, admin.Outcome = "", "administrative_finalisation"
	if err := admin.Validate(); err != nil {
		t.Fatalf("administrative finalisations need no offence: %v", err)
	}
	for name, tc := range map[string]struct {
		mutate func(r *casework.OutcomeRow)
		field  string
	}{
		"ErrUnit":        {func(r *casework.OutcomeRow) { r.Unit = "international" }, "unit"},
		"ErrCourt":       {func(r *casework.OutcomeRow) { r.Court = "HC" }, "court"},
		"ErrNoOffence":   {func(r *casework.OutcomeRow) { r.PrincipalOffence = "" }, "principal_offence"},
		"ErrOffence":     {func(r *casework.OutcomeRow) { r.PrincipalOffence = "treason" }, "principal_offence"},
		"ErrOutcome":     {func(r *casework.OutcomeRow) { r.Outcome = "export_extradition_ordered" }, "outcome"},
		"ErrFuture":      {func(r *casework.OutcomeRow) { r.FinalisedOn = time.Now().AddDate(2, 0, 0) }, "finalised_on"},
		"ErrNoDefendant": {func(r *casework.OutcomeRow) { r.DefendantRef = "" }, "defendant_id"},
		"ErrExtraditionCourt": {func(r *casework.OutcomeRow) {
			r.Unit, r.PrincipalOffence, r.Outcome = "extradition", "", "appeal_allowed"
		}, "court"},
	} {
		t.Run(name, func(t *testing.T) {
			r := good
			tc.mutate(&r)
			if fe := fault.As(r.Validate()); fe == nil || fe.FieldMessage(tc.field) == "" {
				t.Fatalf("want a %s problem, got %v", tc.field, fe)
			}
		})
	}
}

func TestChargeComputesItsLimit(t *testing.T) {
	fa, _ := deadline.ParseDate("2018-02-01")
	c := casework.Charge{Description: "Possession with intent", Custody: &deadline.CTLInput{Class: deadline.SummaryOnly, FirstAppearance: fa}}
	if err := c.Validate(deadline.DefaultCalendar()); err != nil {
		t.Fatal(err)
	}
	// 56 days from 1 February 2018 is Thursday 29 March 2018, the day
	// before Good Friday: a working day.
	if c.CTL == nil || c.CTL.Expiry.String() != "2018-03-29" || !c.Running() || len(c.CTL.Working) == 0 {
		t.Fatalf("limit %+v", c.CTL)
	}
	free := casework.Charge{Description: "Money laundering"}
	if err := free.Validate(deadline.DefaultCalendar()); err != nil || free.CTL != nil || free.Running() {
		t.Fatalf("a charge without custody has no limit: %+v %v", free.CTL, err)
	}
	if err := (&casework.Charge{Description: " "}).Validate(deadline.DefaultCalendar()); fault.As(err).FieldMessage("description") == "" {
		t.Fatal("an empty charge accepted")
	}
}

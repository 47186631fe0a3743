package store_test

import (
	"context"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func TestMeasures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		db.Now = func() time.Time { return time.Date(2018, 6, 10, 9, 0, 0, 0, time.UTC) }
		open := w.newCase(t, "01PF0051018", access.Official)
		restricted := w.newCase(t, "01PF0052018", access.Restricted)
		day := func(s string) *time.Time {
			d, _ := time.Parse("2006-01-02", s)
			return &d
		}
		for _, d := range []casework.Defendant{
			{CaseID: open.ID, Ref: "D1", Court: casework.CrownCourt, Outcome: "guilty_plea", FinalisedOn: day("2018-05-02")},
			{CaseID: open.ID, Ref: "D2", Court: casework.CrownCourt, Outcome: "acquitted", FinalisedOn: day("2018-05-03")},
			{CaseID: open.ID, Ref: "D3", Court: casework.MagistratesCourt, Outcome: "conviction_after_trial", FinalisedOn: day("2018-04-20")},
			{CaseID: open.ID, Ref: "D4", Court: casework.CrownCourt, Outcome: "guilty_plea", FinalisedOn: day("2018-03-20")},
			{CaseID: restricted.ID, Ref: "D1", Court: casework.CrownCourt, Outcome: "guilty_plea", FinalisedOn: day("2018-06-01")},
		} {
			d.PrincipalOffence = "drugs_offences"
			if err := db.SaveDefendant(ctx, w.lawyer, &d); err != nil {
				t.Fatal(err)
			}
		}
		for _, d := range []casework.Direction{
			{CaseID: open.ID, Court: casework.CrownCourt, Description: "Serve the papers", Due: civil(t, "2018-05-01"), CompletedOn: ptr(civil(t, "2018-04-30"))},
			{CaseID: open.ID, Court: casework.CrownCourt, Description: "Serve the schedule", Due: civil(t, "2018-05-15")},
			{CaseID: open.ID, Court: casework.CrownCourt, Description: "Reply to the defence", Due: civil(t, "2018-06-20")},
		} {
			if err := db.SaveDirection(ctx, w.lawyer, &d); err != nil {
				t.Fatal(err)
			}
		}
		held := casework.Defendant{CaseID: open.ID, Ref: "D5", CustodyStatus: "in_custody", PrincipalOffence: "drugs_offences"}
		if err := db.SaveDefendant(ctx, w.lawyer, &held); err != nil {
			t.Fatal(err)
		}
		charge := casework.Charge{DefendantID: held.ID, Description: "Conspiracy to supply",
			Custody: &deadline.CTLInput{Class: deadline.OffenceClass("indictable_only"), FirstAppearance: deadline.NewDate(2018, time.February, 20)}}
		if err := db.SaveCharge(ctx, w.lawyer, open.ID, &charge); err != nil {
			t.Fatal(err)
		}
		year, _ := measure.ParsePeriod("2018-19")
		value := func(p *access.Principal, code string, period measure.Period, unit string) measure.Value {
			t.Helper()
			c, err := db.MeasureCounts(ctx, p, period, unit)
			if err != nil {
				t.Fatal(err)
			}
			m, _ := measure.Lookup(code)
			return m.Compute(c)
		}

		t.Run("FiguresCountWhatTheReaderMaySee", func(t *testing.T) {
			for _, c := range []struct {
				who       *access.Principal
				code      string
				num, den  int
				wantValue float64
			}{
				{w.lawyer, "conviction_rate_cc", 2, 3, 2.0 / 3},
				{w.otherLawyer, "conviction_rate_cc", 1, 2, 0.5},
				{w.lawyer, "conviction_rate_mc", 1, 1, 1},
				{w.lawyer, "guilty_plea_rate_cc", 2, 2, 1},
				{w.lawyer, "timely_directions_cc", 1, 2, 0.5},
			} {
				v := value(c.who, c.code, year, "")
				if v.Value == nil || *v.Value != c.wantValue || *v.Numerator != c.num || *v.Denominator != c.den {
					t.Errorf("%s as %s: %+v", c.code, c.who.Email, v)
				}
			}
			if v := value(w.lawyer, "caseload", year, "organised_crime"); *v.Value != 2 {
				t.Errorf("caseload %v", *v.Value)
			}
			if v := value(w.otherLawyer, "caseload", year, ""); *v.Value != 1 {
				t.Errorf("caseload of a reader who may not see the restricted case: %v", *v.Value)
			}
			before, _ := measure.ParsePeriod("2016-17")
			if v := value(w.lawyer, "caseload", before, ""); *v.Value != 0 {
				t.Errorf("caseload before the cases were opened: %v", *v.Value)
			}
			if v := value(w.lawyer, "conviction_rate_cc", before, ""); v.Value != nil || v.RAG != measure.NoTarget {
				t.Errorf("a year with no finalisations must be no data: %+v", v)
			}
			if v := value(w.lawyer, "conviction_rate_cc", year, "extradition"); v.Value != nil {
				t.Errorf("another unit's conviction rate: %+v", v)
			}
		})

		t.Run("EveryFigureOpensToItsRecords", func(t *testing.T) {
			for _, code := range []string{"conviction_rate_cc", "finalised_defendants", "caseload", "timely_directions_cc", "ctl_failures", "staffing", "iqa_completion", "post_interactions"} {
				for _, who := range []*access.Principal{w.lawyer, w.otherLawyer} {
					records, err := db.MeasureRecords(ctx, who, code, year, "")
					if err != nil {
						t.Fatalf("%s: %v", code, err)
					}
					v := value(who, code, year, "")
					want := 0
					if v.Denominator != nil {
						want = *v.Denominator
					} else if v.Numerator != nil {
						want = *v.Numerator
					}
					if code == "post_interactions" {
						continue // a sum of the returns' figures, not a count of them
					}
					if len(records) != want {
						t.Errorf("%s as %s: %d records behind a figure of %d", code, who.Email, len(records), want)
					}
				}
			}
			records, _ := db.MeasureRecords(ctx, w.otherLawyer, "conviction_rate_cc", year, "")
			if len(records) != 2 || records[0].Reference != "01PF0051018" || records[0].Detail != "D1 CC guilty_plea" ||
				records[0].Date.Format("2006-01-02") != "2018-05-02" || *records[0].CaseID != open.ID {
				t.Errorf("records %+v", records)
			}
			pleas, _ := db.MeasureRecords(ctx, w.lawyer, "guilty_plea_rate_cc", year, "")
			if len(pleas) != 2 {
				t.Errorf("the convictions behind the guilty plea rate: %+v", pleas)
			}
			directions, _ := db.MeasureRecords(ctx, w.lawyer, "timely_directions_cc", year, "")
			if len(directions) != 2 || directions[0].Detail != "CC on_time" || directions[1].Detail != "CC outstanding" {
				t.Errorf("directions %+v", directions)
			}
			staff, _ := db.MeasureRecords(ctx, w.lawyer, "staffing", year, "extradition")
			units, _ := db.Units(ctx)
			for _, u := range units {
				if u.Code == "extradition" && len(staff) != u.Staff {
					t.Errorf("%d staff records, the unit has %d", len(staff), u.Staff)
				}
			}
		})

		t.Run("CustodyTimeLimitFailures", func(t *testing.T) {
			failures, err := db.MeasureRecords(ctx, w.lawyer, "ctl_failures", year, "")
			if err != nil || charge.CTL == nil {
				t.Fatalf("%v %+v", err, charge)
			}
			expired := charge.CTL.Expiry.Time(time.UTC)
			// 70 days from the first appearance: May 2018, before "today".
			if len(failures) != 1 || failures[0].Date.Format("2006-01-02") != expired.Format("2006-01-02") || failures[0].Detail != "D5 Conspiracy to supply" {
				t.Fatalf("limit expiring %v: %+v", expired, failures)
			}
		})

		t.Run("PostReturns", func(t *testing.T) {
			staff, _ := db.People(ctx, store.PeopleFilter{Location: "post_es", Limit: 10})
			prosecutor, err := db.Principal(ctx, staff.People[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			rlm, err := db.Principal(ctx, *staff.People[0].LineManagerID)
			if err != nil {
				t.Fatal(err)
			}
			r := casework.PostReturn{LocationID: staff.People[0].LocationID, Month: "2018-05", Narrative: "Three EIOs executed", CaseworkInteractions: 37}
			if err := db.SavePostReturn(ctx, prosecutor, &r); err != nil {
				t.Fatal(err)
			}
			if v := value(w.lawyer, "post_interactions", year, ""); *v.Value != 0 {
				t.Fatalf("a draft return counted: %v", *v.Value)
			}
			if err := db.SubmitPostReturn(ctx, prosecutor, r.ID, 1); err != nil {
				t.Fatal(err)
			}
			if err := db.DecidePostReturn(ctx, rlm, r.ID, true, ""); err != nil {
				t.Fatal(err)
			}
			if v := value(w.lawyer, "post_interactions", year, "international"); *v.Value != 37 {
				t.Fatalf("validated interactions %v", *v.Value)
			}
			if v := value(w.lawyer, "post_interactions", year, "organised_crime"); *v.Value != 0 {
				t.Fatalf("another unit's posts: %v", *v.Value)
			}
			records, err := db.MeasureRecords(ctx, w.lawyer, "post_interactions", year, "")
			if err != nil || len(records) != 1 || records[0].ID != r.ID || records[0].Detail != "37" || records[0].CaseID != nil || records[0].Date != nil {
				t.Fatalf("returns behind the figure %+v: %v", records, err)
			}
		})

		t.Run("PreChargeDecisions", func(t *testing.T) {
			decided := time.Date(2018, 4, 10, 0, 0, 0, 0, time.UTC)
			c := casework.Case{Reference: "01PF0053018", Kind: casework.Prosecution, Title: "Operation Tern", UnitID: w.unitID, LocationID: w.locationID,
				Status: "pre_charge", Sensitivity: access.Official, LawyerID: &w.lawyer.PersonID, OpenedOn: time.Date(2018, 3, 1, 0, 0, 0, 0, time.UTC),
				Agency: "NCA", PreChargeDecision: "further_evidence_required", PreChargeDecidedOn: &decided}
			if err := db.CreateCase(ctx, w.lawyer, &c); err != nil {
				t.Fatal(err)
			}
			if v := value(w.lawyer, "pre_charge_decisions", year, ""); *v.Value != 1 {
				t.Fatalf("pre-charge decisions %v", *v.Value)
			}
			before, _ := measure.ParsePeriod("2017-18")
			if v := value(w.lawyer, "pre_charge_decisions", before, ""); *v.Value != 0 {
				t.Fatalf("pre-charge decisions of the year before %v", *v.Value)
			}
			records, err := db.MeasureRecords(ctx, w.lawyer, "pre_charge_decisions", year, "organised_crime")
			if err != nil || len(records) != 1 || records[0].Reference != "01PF0053018" || records[0].Detail != "further_evidence_required" {
				t.Fatalf("%+v %v", records, err)
			}
		})

		t.Run("BadInput", func(t *testing.T) {
			if _, err := db.MeasureRecords(ctx, w.lawyer, "no_such_measure", year, ""); fault.As(err) == nil || fault.As(err).Code != fault.NotFound {
				t.Fatalf("unknown measure: %v", err)
			}
			partner := &access.Principal{PersonID: w.lawyer.PersonID, PartnerID: ptr(int64(1)), Roles: []access.Role{access.Partner}}
			// Not shared with the partner, so not there for it (TestMeasureShares
			// shares it and finds the staff still refused).
			if _, err := db.MeasureRecords(ctx, partner, "staffing", year, ""); fault.CodeOf(err) != fault.NotFound {
				t.Fatalf("a partner listing staff: %v", err)
			}
			c, err := db.MeasureCounts(ctx, partner, year, "")
			m, _ := measure.Lookup("staffing")
			if err != nil || m.Compute(c).Value != nil {
				t.Fatalf("a partner's staffing figure: %+v %v", m.Compute(c), err)
			}
		})
	})
}

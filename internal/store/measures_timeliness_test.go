package store_test

import (
	"context"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
	"caseboard/internal/measure"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func TestChargeToFinalisation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		db.Now = func() time.Time { return time.Date(2018, 7, 10, 9, 0, 0, 0, time.UTC) }
		charged := time.Date(2018, 3, 1, 0, 0, 0, 0, time.UTC)
		c := casework.Case{Reference: "01PF0061018", Kind: casework.Prosecution, Title: "Operation Charge", UnitID: w.unitID, LocationID: w.locationID,
			Status: "charged", Sensitivity: access.Official, LawyerID: &w.lawyer.PersonID, OpenedOn: charged, Agency: "NCA", Court: casework.CrownCourt,
			PreChargeDecision: "charge", PreChargeDecidedOn: &charged}
		if err := db.CreateCase(ctx, w.lawyer, &c); err != nil {
			t.Fatal(err)
		}
		uncharged := w.newCase(t, "01PF0062018", access.Official) // no charging decision: left out
		day := func(s string) *time.Time {
			d, _ := time.Parse("2006-01-02", s)
			return &d
		}
		for _, d := range []casework.Defendant{
			{CaseID: c.ID, Ref: "D1", Court: casework.CrownCourt, Outcome: "guilty_plea", FinalisedOn: day("2018-05-02")},       // 62 days
			{CaseID: c.ID, Ref: "D2", Court: casework.CrownCourt, Outcome: "acquitted", FinalisedOn: day("2018-06-01")},         // 92 days
			{CaseID: c.ID, Ref: "D3", Court: casework.MagistratesCourt, Outcome: "guilty_plea", FinalisedOn: day("2018-03-11")}, // 10 days
			{CaseID: uncharged.ID, Ref: "D1", Court: casework.CrownCourt, Outcome: "guilty_plea", FinalisedOn: day("2018-05-02")},
		} {
			d.PrincipalOffence = "drugs_offences"
			if err := db.SaveDefendant(ctx, w.lawyer, &d); err != nil {
				t.Fatal(err)
			}
		}
		year, _ := measure.ParsePeriod("2018-19")
		counts, err := db.MeasureCounts(ctx, w.lawyer, year, "organised_crime")
		if err != nil {
			t.Fatal(err)
		}
		cc, _ := measure.Lookup("charge_to_finalisation_cc")
		if v := cc.Compute(counts); v.Value == nil || *v.Value != 77 || *v.Denominator != 2 {
			t.Errorf("Crown Court: %+v, want the median of 62 and 92 days", v)
		}
		mc, _ := measure.Lookup("charge_to_finalisation_mc")
		if v := mc.Compute(counts); v.Value != nil {
			t.Errorf("magistrates' courts in 2018-19: %v, want no data (finalised in 2017-18)", *v.Value)
		}
		records, err := db.MeasureRecords(ctx, w.lawyer, "charge_to_finalisation_cc", year, "")
		if err != nil || len(records) != 2 || records[0].Reference != "01PF0061018" {
			t.Errorf("records %+v %v", records, err)
		}
	})
}

func TestHelpResponseMeasures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newKnowledgeWorld(t, db)
		admin, _ := db.AccountByEmail(ctx, "admin@caseboard.example")
		adminP, _ := db.Principal(ctx, admin.PersonID)
		sp := knowledge.Specialism{Code: "eaw", Name: "European arrest warrants", LeadID: &w.reviewer.PersonID, DeputyID: &w.author.PersonID}
		if err := db.SaveSpecialism(ctx, adminP, &sp); err != nil {
			t.Fatal(err)
		}
		at := func(s string) {
			when, _ := time.Parse("2006-01-02 15:04", s)
			db.Now = func() time.Time { return when }
		}
		ask := func(when, topic string) knowledge.HelpRequest {
			t.Helper()
			at(when)
			h := knowledge.HelpRequest{Specialism: "eaw", Topic: topic, Question: "What does the court need?", Urgency: knowledge.Urgent}
			if err := db.AskForHelp(ctx, w.otherLawyer, &h, deadline.Today(db.Now())); err != nil {
				t.Fatal(err)
			}
			return h
		}
		answer := func(when string, h knowledge.HelpRequest) {
			t.Helper()
			at(when)
			as := w.reviewer
			if *h.AssigneeID == w.author.PersonID {
				as = w.author
			}
			if _, err := db.AnswerHelp(ctx, as, h.ID, "The court needs the warrant", false); err != nil {
				t.Fatal(err)
			}
		}
		answer("2018-05-01 15:00", ask("2018-05-01 09:00", "Six hours"))
		answer("2018-05-04 09:00", ask("2018-05-02 09:00", "Two days"))
		ask("2018-05-03 09:00", "Open")
		answer("2018-06-01 10:00", ask("2018-06-01 09:00", "June"))
		may, _ := measure.ParsePeriod("2018-05")
		counts, err := db.MeasureCounts(ctx, w.hod, may, "")
		if err != nil {
			t.Fatal(err)
		}
		hours, _ := measure.Lookup("help_response_hours")
		if v := hours.Compute(counts); v.Value == nil || *v.Value != 27 || *v.Denominator != 2 {
			t.Errorf("median hours %+v, want 27 (of 6 and 48)", v)
		}
		within, _ := measure.Lookup("help_answered_within_day")
		if v := within.Compute(counts); v.Value == nil || *v.Value != 0.5 {
			t.Errorf("within a day %+v, want a half", v)
		}
		records, err := db.MeasureRecords(ctx, w.hod, "help_response_hours", may, "")
		if err != nil || len(records) != 3 || records[0].Reference != "Six hours" || records[0].Detail != "eaw: answered in 6.0 hours" {
			t.Errorf("records %+v %v", records, err)
		}
		if _, err := db.MeasureRecords(ctx, w.partner, "help_response_hours", may, ""); fault.CodeOf(err) != fault.NotFound {
			t.Errorf("partner: %v", err)
		}
		if c, _ := db.MeasureCounts(ctx, w.hod, may, "international"); hours.Compute(c).Value != nil {
			t.Errorf("another unit's askers counted")
		}
	})
}

package store_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/demo"
	"caseboard/internal/fault"
	"caseboard/internal/org"
	"caseboard/internal/pack"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

func TestPerformancePackLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		db.Now = func() time.Time { return time.Date(2018, 10, 5, 9, 0, 0, 0, time.UTC) }
		byEmail := func(email string) *access.Principal {
			a, err := db.AccountByEmail(ctx, email)
			if err != nil {
				t.Fatal(err)
			}
			p, err := db.Principal(ctx, a.PersonID)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		byGrade := func(grade string) *access.Principal {
			page, err := db.People(ctx, store.PeopleFilter{Grade: org.Grade(grade), Limit: 1})
			if err != nil || len(page.People) == 0 {
				t.Fatalf("no %s: %v", grade, err)
			}
			p, err := db.Principal(ctx, page.People[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		chart := demo.Division(3)
		hod, abm := byGrade("head_of_division"), byGrade("area_business_manager")
		unitHead, otherHead := byEmail(chart.UnitHeads["organised_crime"]), byEmail(chart.UnitHeads["extradition"])

		c := w.newCase(t, "01PF0061018", access.Official)
		finalise := func(ref, outcome string, on time.Time) {
			t.Helper()
			d := casework.Defendant{CaseID: c.ID, Ref: ref, Court: casework.CrownCourt, Outcome: casework.Outcome(outcome), FinalisedOn: &on, PrincipalOffence: "drugs_offences"}
			if err := db.SaveDefendant(ctx, w.lawyer, &d); err != nil {
				t.Fatal(err)
			}
		}
		finalise("D1", "guilty_plea", time.Date(2018, 7, 10, 0, 0, 0, 0, time.UTC))
		for i, ref := range []string{"D2", "D3", "D4"} {
			finalise(ref, "acquitted", time.Date(2018, 8, 1+i, 0, 0, 0, 0, time.UTC))
		}
		quarter, err := pack.ParseQuarter("2018-19-Q2")
		if err != nil {
			t.Fatal(err)
		}
		conviction := func(r pack.Review) pack.Headline {
			for _, h := range r.Measures {
				if h.Code == "conviction_rate_cc" {
					return h
				}
			}
			t.Fatal("no conviction rate in the pack")
			return pack.Headline{}
		}

		draft, err := db.PerformancePack(ctx, hod, quarter)
		if err != nil {
			t.Fatal(err)
		}
		if h := conviction(draft); draft.Issued != nil || h.Value == nil || *h.Value != 0.25 || !h.Exception() || len(h.Series) != pack.TrendQuarters {
			t.Fatalf("draft %+v conviction %+v", draft.Issued, h)
		}

		t.Run("ErrIssueWithoutCommentary", func(t *testing.T) {
			_, err := db.IssuePerformancePack(ctx, hod, quarter)
			wantCode(t, err, fault.Invalid, "commentary")
			if fe := fault.As(err); fe == nil || len(fe.Fields) == 0 || !bytes.Contains([]byte(fe.Fields[0].Message), []byte("Conviction rate (Crown Court)")) {
				t.Fatalf("%#v", fe)
			}
			if issued, _ := db.PerformancePacks(ctx); len(issued) != 0 {
				t.Fatalf("issued %+v", issued)
			}
		})
		t.Run("ErrCommentaryRefused", func(t *testing.T) {
			wantCode(t, db.SetPackCommentary(ctx, w.lawyer, quarter, "conviction_rate_cc", "Not mine to say"), fault.Forbidden, "")
			wantCode(t, db.SetPackCommentary(ctx, unitHead, quarter, "conviction_rate_cc", "  "), fault.Invalid, "")
			wantCode(t, db.SetPackCommentary(ctx, unitHead, quarter, "happiness", "Very"), fault.NotFound, "happiness")
			if r, _ := db.PerformancePack(ctx, hod, quarter); conviction(r).Commentary != nil {
				t.Fatal("a refused commentary was stored")
			}
		})
		t.Run("ErrIssueRefusedToOthers", func(t *testing.T) {
			for _, p := range []*access.Principal{unitHead, w.lawyer, w.inspector} {
				_, err := db.IssuePerformancePack(ctx, p, quarter)
				wantCode(t, err, fault.Forbidden, "")
			}
			next, _ := pack.ParseQuarter("2019-20-Q1")
			_, err := db.IssuePerformancePack(ctx, hod, next)
			wantCode(t, err, fault.Invalid, "has not")
		})

		if err := db.SetPackCommentary(ctx, unitHead, quarter, "conviction_rate_cc", "First draft"); err != nil {
			t.Fatal(err)
		}
		const said = "Three acquittals in one trial after the key witness withdrew; the case review is under way."
		if err := db.SetPackCommentary(ctx, unitHead, quarter, "conviction_rate_cc", said); err != nil {
			t.Fatal(err)
		}
		for _, missing := range draft.Uncommented() {
			for _, h := range draft.Exceptions() {
				if h.Name == missing && h.Code != "conviction_rate_cc" {
					if err := db.SetPackCommentary(ctx, hod, quarter, h.Code, "Explained at the Board."); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		issued, err := db.IssuePerformancePack(ctx, abm, quarter)
		if err != nil {
			t.Fatal(err)
		}
		if issued.Issued == nil || issued.Issued.By != abm.Name || conviction(issued).Commentary.Text != said || conviction(issued).Commentary.By != unitHead.Name {
			t.Fatalf("issued %+v %+v", issued.Issued, conviction(issued).Commentary)
		}
		firstPDF, _, err := db.PerformancePackPDF(ctx, hod, quarter)
		if err != nil || !bytes.HasPrefix(firstPDF, []byte("%PDF-")) {
			t.Fatalf("%v %.10q", err, firstPDF)
		}

		t.Run("IssuedPackIsImmutable", func(t *testing.T) {
			_, err := db.IssuePerformancePack(ctx, hod, quarter)
			wantCode(t, err, fault.Conflict, "was issued")
			wantCode(t, db.SetPackCommentary(ctx, unitHead, quarter, "conviction_rate_cc", "Changed my mind"), fault.Conflict, "can no longer change")
			// A later outcome in the quarter changes the records, not the pack.
			finalise("D5", "acquitted", time.Date(2018, 9, 1, 0, 0, 0, 0, time.UTC))
			db.Now = func() time.Time { return time.Date(2018, 11, 1, 9, 0, 0, 0, time.UTC) }
			again, err := db.PerformancePack(ctx, w.inspector, quarter)
			if err != nil {
				t.Fatal(err)
			}
			if h := conviction(again); *h.Value != 0.25 || h.Commentary.Text != said || !again.Generated.Equal(issued.Generated) || again.Issued.By != abm.Name {
				t.Fatalf("issued pack changed: %+v %+v", h, again.Issued)
			}
			pdf, _, err := db.PerformancePackPDF(ctx, w.inspector, quarter)
			if err != nil || !bytes.Equal(pdf, firstPDF) {
				t.Fatalf("issued PDF changed: %v", err)
			}
			list, err := db.PerformancePacks(ctx)
			if err != nil || len(list) != 1 || list[0].Quarter != "2018-19-Q2" || list[0].By != abm.Name {
				t.Fatalf("%+v %v", list, err)
			}
		})
		t.Run("Audited", func(t *testing.T) {
			comments, err := db.AuditEntries(ctx, store.AuditFilter{RecordType: "performance_commentary", RecordID: "2018-19-Q2/conviction_rate_cc", Limit: 10})
			if err != nil || len(comments) != 2 || comments[0].Action != "create" || comments[1].Action != "update" || comments[1].RecordID != "2018-19-Q2/conviction_rate_cc" {
				t.Fatalf("%+v %v", comments, err)
			}
			issues, err := db.AuditEntries(ctx, store.AuditFilter{RecordType: "performance_pack", Limit: 10})
			if err != nil || len(issues) != 1 || issues[0].RecordID != "2018-19-Q2" {
				t.Fatalf("%+v %v", issues, err)
			}
		})

		t.Run("Poster", func(t *testing.T) {
			wantCode(t, db.SetPosterNarrative(ctx, otherHead, "organised_crime", quarter, "Not my unit"), fault.Forbidden, "")
			wantCode(t, db.SetPosterNarrative(ctx, w.lawyer, "organised_crime", quarter, "Not my place"), fault.Forbidden, "")
			wantCode(t, db.SetPosterNarrative(ctx, unitHead, "nowhere", quarter, "Anywhere"), fault.Invalid, "no unit")
			wantCode(t, db.SetPosterNarrative(ctx, unitHead, "organised_crime", quarter, ""), fault.Invalid, "")
			if err := db.SetPosterNarrative(ctx, unitHead, "organised_crime", quarter, "A hard quarter in the Crown Court."); err != nil {
				t.Fatal(err)
			}
			poster, err := db.PerformancePoster(ctx, w.lawyer, "organised_crime", quarter)
			if err != nil {
				t.Fatal(err)
			}
			if poster.Narrative == nil || poster.Narrative.Text != "A hard quarter in the Crown Court." || poster.UnitName == "" || len(poster.Measures) == 0 {
				t.Fatalf("%+v", poster)
			}
			if pdf, err := poster.PDF("A4"); err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
				t.Fatal(err)
			}
			entries, _ := db.AuditEntries(ctx, store.AuditFilter{RecordType: "performance_poster", Limit: 10})
			if len(entries) != 1 || entries[0].RecordID != "organised_crime/2018-19-Q2" {
				t.Fatalf("%+v", entries)
			}
		})
	})
}

package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/casework"
	"caseboard/internal/demo"
	"caseboard/internal/fault"
	"caseboard/internal/measure"
	"caseboard/internal/org"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// TestMeasureShares: a partner sees only the measures shared with its
// organisation; the Head of Division shares any measure, a unit head only
// their own unit's; unsharing takes the measure away; refusals change
// nothing; every share and unshare is audited.
func TestMeasureShares(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newCaseWorld(t, db)
		byEmail := func(email string) *access.Principal { return storetest.Principal(t, db, email) }
		page, err := db.People(ctx, store.PeopleFilter{Grade: org.Grade("head_of_division"), Limit: 1})
		if err != nil || len(page.People) == 0 {
			t.Fatalf("no head of division: %v", err)
		}
		hod, err := db.Principal(ctx, page.People[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		chart := demo.Division(3)
		ocHead, exHead := byEmail(chart.UnitHeads["organised_crime"]), byEmail(chart.UnitHeads["extradition"])
		partner := byEmail("partner@caseboard.example")
		codes := func() []string {
			t.Helper()
			ms, err := db.MeasuresFor(ctx, partner)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, m := range ms {
				out = append(out, m.Code)
			}
			return out
		}
		year, _ := measure.ParsePeriod("2018-19")

		t.Run("PartnerSeesNothingUnshared", func(t *testing.T) {
			if got := codes(); len(got) != 0 {
				t.Fatalf("partner sees %v before anything is shared", got)
			}
			if _, err := db.MeasureFor(ctx, partner, "caseload"); fault.CodeOf(err) != fault.NotFound {
				t.Fatalf("unshared measure: %v", err)
			}
			if _, err := db.MeasureRecords(ctx, partner, "caseload", year, ""); fault.CodeOf(err) != fault.NotFound {
				t.Fatalf("unshared measure's records: %v", err)
			}
			if ms, _ := db.MeasuresFor(ctx, w.lawyer); len(ms) != len(measure.Catalogue) {
				t.Fatalf("staff see %d measures, want the catalogue's %d", len(ms), len(measure.Catalogue))
			}
		})
		t.Run("OK", func(t *testing.T) {
			if err := db.ShareMeasure(ctx, hod, "caseload", "nca"); err != nil {
				t.Fatal(err)
			}
			if err := db.ShareMeasure(ctx, ocHead, "conviction_rate_cc", "nca"); err != nil {
				t.Fatal(err)
			}
			if err := db.ShareMeasure(ctx, hod, "ctl_failures", "ctc"); err != nil {
				t.Fatal(err)
			}
			// Sharing again changes nothing and is not audited twice.
			if err := db.ShareMeasure(ctx, hod, "caseload", "nca"); err != nil {
				t.Fatal(err)
			}
			if got := codes(); !slices.Equal(got, []string{"caseload", "conviction_rate_cc"}) {
				t.Fatalf("partner sees %v, want caseload and conviction_rate_cc only", got)
			}
			shares, err := db.MeasureShares(ctx, "caseload")
			if err != nil || len(shares) != 1 || shares[0].Partner != "nca" || shares[0].PartnerName != "National Crime Agency" || shares[0].SharedBy != hod.Name {
				t.Fatalf("shares %+v %v", shares, err)
			}
			entries, _ := db.AuditEntries(ctx, store.AuditFilter{RecordType: "measure_share"})
			if len(entries) != 3 || entries[0].RecordID != "caseload/nca" || entries[0].Action != "create" {
				t.Fatalf("audit %+v", entries)
			}
		})
		t.Run("RecordsStayWithinAccess", func(t *testing.T) {
			// A finalised defendant on a case not shared with the partner
			// counts for staff and not for the partner.
			c := w.newCase(t, "01MS0010019", access.Official)
			on := time.Date(2018, 6, 1, 0, 0, 0, 0, time.UTC)
			d := casework.Defendant{CaseID: c.ID, Ref: "D1", Court: casework.CrownCourt, Outcome: "guilty_plea", FinalisedOn: &on, PrincipalOffence: "drugs_offences"}
			if err := db.SaveDefendant(ctx, w.lawyer, &d); err != nil {
				t.Fatal(err)
			}
			staff, err := db.MeasureRecords(ctx, w.lawyer, "conviction_rate_cc", year, "")
			if err != nil || len(staff) != 1 {
				t.Fatalf("staff records %+v %v", staff, err)
			}
			theirs, err := db.MeasureRecords(ctx, partner, "conviction_rate_cc", year, "")
			if err != nil || len(theirs) != 0 {
				t.Fatalf("partner records %+v %v", theirs, err)
			}
			counts, err := db.MeasureCounts(ctx, partner, year, "")
			if m, _ := measure.Lookup("conviction_rate_cc"); err != nil || m.Compute(counts).Value != nil {
				t.Fatalf("partner's conviction rate %+v %v", m.Compute(counts), err)
			}
			// The shared figure is the division's, counted as the Board reads it.
			counts, err = db.MeasureCounts(ctx, access.FiguresReader(partner), year, "")
			if m, _ := measure.Lookup("conviction_rate_cc"); err != nil || m.Compute(counts).Value == nil || *m.Compute(counts).Value != 1 {
				t.Fatalf("the division's conviction rate for the partner %+v %v", m.Compute(counts), err)
			}
		})
		t.Run("SharedRecordsStillRefused", func(t *testing.T) {
			// Sharing a figure does not open records the partner may not
			// read: the staff and the units' returns stay refused.
			for _, code := range []string{"staffing", "in_house_advocacy", "help_response_hours"} {
				if err := db.ShareMeasure(ctx, hod, code, "ctc"); err != nil {
					t.Fatal(err)
				}
			}
			ctcPartner := *partner
			var ctc int64
			partners, _ := db.Partners(ctx)
			for _, pt := range partners {
				if pt.Code == "ctc" {
					ctc = pt.ID
				}
			}
			ctcPartner.PartnerID = &ctc
			for _, code := range []string{"staffing", "in_house_advocacy", "help_response_hours"} {
				if _, err := db.MeasureRecords(ctx, &ctcPartner, code, year, ""); fault.CodeOf(err) != fault.Forbidden {
					t.Errorf("%s records for a partner it is shared with: %v", code, err)
				}
			}
		})
		t.Run("ErrRefusedChangesNothing", func(t *testing.T) {
			for name, tc := range map[string]struct {
				who              *access.Principal
				measure, partner string
				code             fault.Code
			}{
				"AnotherUnitsHead":      {exHead, "conviction_rate_mc", "nca", fault.Forbidden},
				"UnitHeadDivisionWide":  {ocHead, "staffing", "nca", fault.Forbidden},
				"Lawyer":                {w.lawyer, "staffing", "nca", fault.Forbidden},
				"Partner":               {partner, "staffing", "nca", fault.Forbidden},
				"Inspector":             {w.inspector, "staffing", "nca", fault.Forbidden},
				"UnknownPartner":        {hod, "staffing", "interpol", fault.Invalid},
				"UnknownMeasure":        {hod, "happiness", "nca", fault.NotFound},
				"UnshareAnotherUnits":   {exHead, "conviction_rate_cc", "nca", fault.Forbidden},
				"UnshareNeverSharedErr": {hod, "staffing", "nca", fault.NotFound},
			} {
				t.Run(name, func(t *testing.T) {
					var err error
					if name == "UnshareAnotherUnits" || name == "UnshareNeverSharedErr" {
						err = db.UnshareMeasure(ctx, tc.who, tc.measure, tc.partner)
					} else {
						err = db.ShareMeasure(ctx, tc.who, tc.measure, tc.partner)
					}
					if fault.CodeOf(err) != tc.code {
						t.Fatalf("err = %v, want %s", err, tc.code)
					}
					if got := codes(); !slices.Equal(got, []string{"caseload", "conviction_rate_cc"}) {
						t.Fatalf("after a refusal the partner sees %v", got)
					}
				})
			}
		})
		t.Run("UnshareRemoves", func(t *testing.T) {
			if err := db.UnshareMeasure(ctx, hod, "caseload", "nca"); err != nil {
				t.Fatal(err)
			}
			if got := codes(); !slices.Equal(got, []string{"conviction_rate_cc"}) {
				t.Fatalf("after unsharing the partner sees %v", got)
			}
			if _, err := db.MeasureRecords(ctx, partner, "caseload", year, ""); fault.CodeOf(err) != fault.NotFound {
				t.Fatalf("unshared measure's records: %v", err)
			}
			if err := db.UnshareMeasure(ctx, hod, "caseload", "nca"); fault.CodeOf(err) != fault.NotFound {
				t.Fatalf("unsharing again: %v", err)
			}
			entries, _ := db.AuditEntries(ctx, store.AuditFilter{RecordType: "measure_share", RecordID: "caseload/nca"})
			if len(entries) != 2 || entries[1].Action != "delete" {
				t.Fatalf("audit %+v", entries)
			}
		})
	})
}

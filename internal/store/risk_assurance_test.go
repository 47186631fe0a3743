package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/demo"
	"caseboard/internal/fault"
	"caseboard/internal/org"
	"caseboard/internal/risk"
	"caseboard/internal/store"
	"caseboard/internal/store/storetest"
)

// assuranceWorld is the demo division with its risk register loaded three
// years back, and a principal for the head of each unit.
type assuranceWorld struct {
	caseWorld
	hod   *access.Principal
	units []org.Unit
	heads map[int64]*access.Principal
}

func newAssuranceWorld(t *testing.T, db *store.DB, today time.Time) assuranceWorld {
	t.Helper()
	ctx := context.Background()
	clock(db, today)
	w := assuranceWorld{caseWorld: newCaseWorld(t, db), heads: map[int64]*access.Principal{}}
	w.hod = hodOf(t, db)
	chart := demo.Division(3)
	if _, err := db.LoadRisks(ctx, w.hod, demo.Risks(chart, today), "test register"); err != nil {
		t.Fatal(err)
	}
	units, err := db.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w.units = units
	for _, u := range units {
		if u.HeadID == nil {
			t.Fatalf("unit %s has no head", u.Code)
		}
		p, err := db.Principal(ctx, *u.HeadID)
		if err != nil {
			t.Fatal(err)
		}
		w.heads[u.ID] = p
	}
	return w
}

func TestRiskAssurance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		today := time.Date(2018, 11, 20, 9, 0, 0, 0, time.UTC)
		w := newAssuranceWorld(t, db, today)
		asAt := time.Date(2018, 9, 30, 0, 0, 0, 0, time.UTC)
		want, err := db.Risks(ctx, w.hod, store.RiskFilter{AsAt: &asAt, Limit: 500})
		if err != nil || len(want.Risks) == 0 {
			t.Fatalf("as at: %d risks, %v", len(want.Risks), err)
		}

		t.Run("ErrTakeRefused", func(t *testing.T) {
			for name, tc := range map[string]struct {
				p       *access.Principal
				quarter string
				code    fault.Code
			}{
				"not ended":   {w.hod, "2018-19-Q3", fault.Invalid},
				"nonsense":    {w.hod, "2018-Q2", fault.Invalid},
				"wrong years": {w.hod, "2018-20-Q2", fault.Invalid},
				"lawyer":      {w.lawyer, "2018-19-Q2", fault.Forbidden},
				"unit head":   {w.heads[w.unitID], "2018-19-Q2", fault.Forbidden},
			} {
				if _, err := db.TakeSnapshot(ctx, tc.p, tc.quarter); codeOf(err) != tc.code {
					t.Errorf("%s: err = %v, want %s", name, err, tc.code)
				}
			}
			if list, _ := db.Snapshots(ctx, w.hod); len(list) != 0 {
				t.Fatalf("%d snapshots after refusals", len(list))
			}
		})

		var snap risk.Snapshot
		t.Run("Take", func(t *testing.T) {
			var err error
			if snap, err = db.TakeSnapshot(ctx, w.hod, "2018-19 q2"); err != nil {
				t.Fatal(err)
			}
			if snap.Quarter != "2018-19-Q2" || !snap.AsAt.Equal(asAt) || len(snap.Units) != len(w.units) || snap.Certificate != nil {
				t.Fatalf("%+v", snap)
			}
			if len(snap.Risks) != len(want.Risks) {
				t.Fatalf("%d risks frozen, want the %d live at the quarter's end", len(snap.Risks), len(want.Risks))
			}
			for i, r := range snap.Risks {
				if r.ID != want.Risks[i].ID && r.Current.Score() != want.Risks[i].Current.Score() {
					t.Fatalf("risk %d: %s %d, want %s %d", i, r.Reference, r.Current.Score(), want.Risks[i].Reference, want.Risks[i].Current.Score())
				}
			}
			total := 0
			for _, u := range snap.Units {
				total += u.Risks
				if u.SignOff != nil {
					t.Fatalf("unit %s signed off already", u.UnitCode)
				}
			}
			if total != len(snap.Risks) {
				t.Fatalf("units count %d risks, snapshot has %d", total, len(snap.Risks))
			}
		})
		t.Run("ErrTakeTwice", func(t *testing.T) {
			_, err := db.TakeSnapshot(ctx, w.hod, "2018-19-Q2")
			if codeOf(err) != fault.Conflict || !strings.Contains(err.Error(), "never taken again") {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("FrozenAgainstLaterChanges", func(t *testing.T) {
			r, err := db.Risk(ctx, w.hod, snap.Risks[0].ID)
			if err != nil {
				t.Fatal(err)
			}
			r.Title = "Renamed after the quarter"
			r.Current = risk.Rating{Likelihood: 1, Impact: 1}
			if err := db.UpdateRisk(ctx, w.hod, &r, store.RiskUpdate{}); err != nil {
				t.Fatal(err)
			}
			again, err := db.Snapshot(ctx, w.hod, "2018-19-Q2")
			if err != nil {
				t.Fatal(err)
			}
			if again.Risks[0].Title != snap.Risks[0].Title || again.Risks[0].Current != snap.Risks[0].Current {
				t.Fatalf("snapshot changed with the risk: %+v", again.Risks[0])
			}
		})

		unit := w.unitID
		head := w.heads[unit]
		t.Run("ErrSignOffRefused", func(t *testing.T) {
			var other int64
			for _, u := range w.units {
				if u.ID != unit {
					other = u.ID
					break
				}
			}
			for name, tc := range map[string]struct {
				p        *access.Principal
				quarter  string
				unitID   int64
				comments string
				code     fault.Code
			}{
				"no comments":     {head, "2018-19-Q2", unit, "  ", fault.Invalid},
				"another's unit":  {head, "2018-19-Q2", other, "Fine", fault.Forbidden},
				"lawyer":          {w.lawyer, "2018-19-Q2", unit, "Fine", fault.Forbidden},
				"head of div":     {w.hod, "2018-19-Q2", unit, "Fine", fault.Forbidden},
				"no snapshot":     {head, "2018-19-Q1", unit, "Fine", fault.NotFound},
				"not in snapshot": {head, "2018-19-Q2", 9999, "Fine", fault.Invalid},
			} {
				so := risk.SignOff{UnitID: tc.unitID, Comments: tc.comments}
				if err := db.SignOffSnapshot(ctx, tc.p, tc.quarter, &so); codeOf(err) != tc.code {
					t.Errorf("%s: err = %v, want %s", name, err, tc.code)
				}
			}
			s, _ := db.Snapshot(ctx, w.hod, "2018-19-Q2")
			if len(s.Outstanding()) != len(w.units) {
				t.Fatalf("%d outstanding after refusals", len(s.Outstanding()))
			}
		})
		t.Run("ErrCertificateBeforeSignOffs", func(t *testing.T) {
			err := db.IssueCertificate(ctx, w.hod, "2018-19-Q2", &risk.AssuranceCertificate{Statement: "All well"})
			if codeOf(err) != fault.Invalid || !strings.Contains(fault.As(err).Fields[0].Message, "still to sign off") {
				t.Fatalf("err = %v", err)
			}
		})
		t.Run("SignOff", func(t *testing.T) {
			so := risk.SignOff{UnitID: unit, Comments: "Custody time limit risks reviewed at every location."}
			if err := db.SignOffSnapshot(ctx, head, "2018-19-Q2", &so); err != nil {
				t.Fatal(err)
			}
			s, _ := db.Snapshot(ctx, w.hod, "2018-19-Q2")
			u, _ := s.Unit(unit)
			if u.SignOff == nil || u.SignOff.SignedBy != head.PersonID || u.SignOff.Comments != so.Comments {
				t.Fatalf("%+v", u)
			}
			entries, _ := db.AuditEntries(ctx, store.AuditFilter{RecordType: "risk_signoff"})
			if len(entries) != 1 {
				t.Fatalf("%d audit entries for the sign-off", len(entries))
			}
		})
		t.Run("ErrSignOffTwice", func(t *testing.T) {
			so := risk.SignOff{UnitID: unit, Comments: "Changed my mind"}
			err := db.SignOffSnapshot(ctx, head, "2018-19-Q2", &so)
			if codeOf(err) != fault.Conflict || !strings.Contains(err.Error(), "never changed") {
				t.Fatalf("err = %v", err)
			}
			s, _ := db.Snapshot(ctx, w.hod, "2018-19-Q2")
			if u, _ := s.Unit(unit); u.SignOff.Comments == "Changed my mind" {
				t.Fatal("the sign-off was changed")
			}
		})
		t.Run("Certificate", func(t *testing.T) {
			for _, u := range w.units {
				if u.ID == unit {
					continue
				}
				so := risk.SignOff{UnitID: u.ID, Comments: "Reviewed with the unit's managers."}
				if err := db.SignOffSnapshot(ctx, w.heads[u.ID], "2018-19-Q2", &so); err != nil {
					t.Fatalf("%s: %v", u.Code, err)
				}
			}
			if err := db.IssueCertificate(ctx, w.lawyer, "2018-19-Q2", &risk.AssuranceCertificate{Statement: "x"}); codeOf(err) != fault.Forbidden {
				t.Fatalf("lawyer: err = %v", err)
			}
			c := risk.AssuranceCertificate{Statement: "The division's risks are managed within appetite."}
			if err := db.IssueCertificate(ctx, w.hod, "2018-19-Q2", &c); err != nil {
				t.Fatal(err)
			}
			s, _ := db.Snapshot(ctx, w.hod, "2018-19-Q2")
			if s.Certificate == nil || s.Certificate.IssuedBy != w.hod.PersonID || s.Certificate.Statement != c.Statement {
				t.Fatalf("%+v", s.Certificate)
			}
			err := db.IssueCertificate(ctx, w.hod, "2018-19-Q2", &risk.AssuranceCertificate{Statement: "Again"})
			if codeOf(err) != fault.Conflict {
				t.Fatalf("second certificate: err = %v", err)
			}
			list, _ := db.Snapshots(ctx, w.inspector)
			if len(list) != 1 || list[0].Certificate == nil || len(list[0].Outstanding()) != 0 {
				t.Fatalf("%+v", list)
			}
		})
	})
}

func TestParseQuarter(t *testing.T) {
	start, end, err := risk.ParseQuarter("2018-19-Q4")
	if err != nil || start != time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC) || end != time.Date(2019, 4, 1, 0, 0, 0, 0, time.UTC) {
		t.Fatalf("%v %v %v", start, end, err)
	}
	if k := risk.QuarterKey(time.Date(2019, 3, 31, 0, 0, 0, 0, time.UTC)); k != "2018-19-Q4" {
		t.Fatal(k)
	}
	for _, bad := range []string{"", "2018-19-Q5", "2018-19", "2018/19 Q1", "1999-00-Q1"} {
		if _, _, err := risk.ParseQuarter(bad); codeOf(err) != fault.Invalid {
			t.Errorf("%q: err = %v", bad, err)
		}
	}
}

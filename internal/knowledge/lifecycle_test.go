package knowledge_test

import (
	"strings"
	"testing"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
	"caseboard/internal/org"
)

func ptr[T any](v T) *T { return &v }

// Unit 1 is extradition, unit 2 organised crime.
var (
	author    = &access.Principal{PersonID: 10, Roles: []access.Role{access.CaseLawyer}, Units: []int64{1}, Clearance: org.SC}
	colleague = &access.Principal{PersonID: 11, Roles: []access.Role{access.CaseLawyer}, Units: []int64{1}, Clearance: org.SC}
	reviewer  = &access.Principal{PersonID: 20, Roles: []access.Role{access.LegalManager, access.Reviewer}, Units: []int64{1}, Clearance: org.SC}
	// A reviewer who also writes: may not approve their own article.
	reviewerAuthor = &access.Principal{PersonID: 21, Roles: []access.Role{access.LegalManager, access.Reviewer}, Units: []int64{1}, Clearance: org.SC}
	otherReviewer  = &access.Principal{PersonID: 30, Roles: []access.Role{access.LegalManager, access.Reviewer}, Units: []int64{2}, Clearance: org.SC}
	otherLawyer    = &access.Principal{PersonID: 31, Roles: []access.Role{access.CaseLawyer}, Units: []int64{2}, Clearance: org.SC}
	inspector      = &access.Principal{PersonID: 60, Roles: []access.Role{access.Inspector}, Clearance: org.SC}
	nca            = &access.Principal{PersonID: 70, Roles: []access.Role{access.Partner}, Units: []int64{2}, Clearance: org.SC, PartnerID: ptr(int64(900))}
	lowClearance   = &access.Principal{PersonID: 40, Roles: []access.Role{access.Paralegal}, Units: []int64{2}, Clearance: org.BPSS}
	readOnlyToken  = &access.Principal{PersonID: 20, Roles: []access.Role{access.LegalManager, access.Reviewer}, Units: []int64{1}, Clearance: org.SC,
		Token: &access.TokenScope{ReadOnly: true}}
)

var (
	now   = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	today = deadline.NewDate(2026, 3, 2)
	c     = access.DefaultClearances
)

func newArticle(t *testing.T, by *access.Principal) *knowledge.Article {
	t.Helper()
	a := &knowledge.Article{Kind: knowledge.Guidance, Title: "Prison conditions assurances", Summary: "What to ask for.",
		Body: "Ask early.", UnitID: 1, Tags: []string{"Prison conditions", "prison-conditions", " EAW "}}
	a.Normalise()
	knowledge.Start(a, by, now)
	a.ID = 7
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	return a
}

func wantCode(t *testing.T, err error, code fault.Code) {
	t.Helper()
	if fault.CodeOf(err) != code || err == nil {
		t.Fatalf("error %v, want %s", err, code)
	}
}

func TestNormaliseAndValidate(t *testing.T) {
	a := newArticle(t, author)
	if strings.Join(a.Tags, ",") != "eaw,prison-conditions" {
		t.Errorf("tags %v", a.Tags)
	}
	if a.Sharing != knowledge.DivisionOnly || a.Sensitivity != access.Official || a.OwnerID != author.PersonID {
		t.Errorf("defaults: %s %s owner %d", a.Sharing, a.Sensitivity, a.OwnerID)
	}
	for name, tc := range map[string]struct {
		change func(a *knowledge.Article)
		field  string
	}{
		"NoTitle":            {func(a *knowledge.Article) { a.Title = "" }, "title"},
		"LongTitle":          {func(a *knowledge.Article) { a.Title = strings.Repeat("x", 201) }, "title"},
		"NoSummary":          {func(a *knowledge.Article) { a.Summary = "" }, "summary"},
		"UnknownKind":        {func(a *knowledge.Article) { a.Kind = "memo" }, "kind"},
		"HugeBody":           {func(a *knowledge.Article) { a.Body = strings.Repeat("x", knowledge.MaxBody+1) }, "body"},
		"Restricted":         {func(a *knowledge.Article) { a.Sensitivity = access.Restricted }, "sensitivity"},
		"PartnersUnnamed":    {func(a *knowledge.Article) { a.Sharing = knowledge.Partners }, "partner_ids"},
		"NoteWithoutCountry": {func(a *knowledge.Article) { a.Kind = knowledge.JurisdictionNote }, "country"},
		"BadCountry":         {func(a *knowledge.Article) { a.Country = "Poland" }, "country"},
		"BadTag":             {func(a *knowledge.Article) { a.Tags = []string{"no spaces"} }, "tags"},
		"SelfParent":         {func(a *knowledge.Article) { a.ParentID = &a.ID }, "parent_id"},
		"SensitiveToPartners": {func(a *knowledge.Article) {
			a.Sharing, a.PartnerIDs, a.Sensitivity = knowledge.Partners, []int64{900}, access.OfficialSensitive
		}, "sharing"},
	} {
		t.Run(name, func(t *testing.T) {
			b := *a
			tc.change(&b)
			err := b.Validate()
			fe := fault.As(err)
			if fe == nil || fe.Code != fault.Invalid || fe.FieldMessage(tc.field) == "" {
				t.Fatalf("error %v, want a message for %s", err, tc.field)
			}
		})
	}
}

func TestNormaliseTag(t *testing.T) {
	for in, want := range map[string]string{"Money Laundering": "money-laundering", " EAW ": "eaw", "a--b": "a-b", "MLA/EIO": "mla-eio", "!!": ""} {
		if got := knowledge.NormaliseTag(in); got != want {
			t.Errorf("NormaliseTag(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDefaultReviewBy(t *testing.T) {
	for kind, want := range map[knowledge.Kind]string{
		knowledge.Guidance: "2027-03-02", knowledge.JurisdictionNote: "2026-09-02", knowledge.Template: "2028-03-02", knowledge.DeskGuide: "2027-03-02",
	} {
		if got := kind.DefaultReviewBy(today).String(); got != want {
			t.Errorf("%s: %s, want %s", kind, got, want)
		}
	}
	if got := knowledge.Guidance.DefaultReviewBy(deadline.NewDate(2024, 2, 29)).String(); got != "2025-03-01" {
		t.Errorf("29 February: %s", got)
	}
}

func TestLifecycle(t *testing.T) {
	a := newArticle(t, author)
	if a.Status != knowledge.Draft || a.Pending == nil || a.Pending.Number != 1 {
		t.Fatalf("new article: %+v", a)
	}
	t.Run("DraftsStayWithTheUnit", func(t *testing.T) {
		for _, tc := range []struct {
			p    *access.Principal
			want bool
		}{{author, true}, {colleague, true}, {reviewer, true}, {otherLawyer, false}, {otherReviewer, false}, {inspector, false}, {nca, false}} {
			if got := knowledge.CanRead(c, tc.p, a); got != tc.want {
				t.Errorf("person %d reads the draft: %v, want %v", tc.p.PersonID, got, tc.want)
			}
		}
	})
	t.Run("ApproveNeedsReview", func(t *testing.T) {
		wantCode(t, knowledge.Approve(a, reviewer, today.AddDays(90), today, now), fault.Conflict)
	})
	if err := knowledge.Submit(a, now); err != nil {
		t.Fatal(err)
	}
	if a.Status != knowledge.InReview {
		t.Fatalf("status %s", a.Status)
	}
	t.Run("NoEditsInReview", func(t *testing.T) {
		wantCode(t, knowledge.Revise(a, author, "x", "y", "z", "", now), fault.Conflict)
	})
	t.Run("WhoMayApprove", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			p    *access.Principal
			want fault.Code
		}{
			{"author", author, fault.Forbidden}, {"colleague without the role", colleague, fault.Forbidden},
			{"reviewer of another unit", otherReviewer, fault.Forbidden}, {"inspector", inspector, fault.Forbidden},
			{"read-only token", readOnlyToken, fault.Forbidden}, {"partner", nca, fault.Forbidden},
		} {
			if err := knowledge.CheckApprover(tc.p, a); fault.CodeOf(err) != tc.want || err == nil {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
			}
		}
		if err := knowledge.CheckApprover(reviewer, a); err != nil {
			t.Errorf("the unit's reviewer: %v", err)
		}
	})
	t.Run("ReviewDateRequired", func(t *testing.T) {
		for _, d := range []deadline.Date{{}, today, today.AddDays(-1), today.AddDays(4 * 366)} {
			err := knowledge.Approve(a, reviewer, d, today, now)
			if fe := fault.As(err); fe == nil || fe.Code != fault.Invalid || fe.FieldMessage("review_by") == "" {
				t.Errorf("review by %q: %v", d, err)
			}
		}
		if a.Status != knowledge.InReview {
			t.Fatal("a refused approval changed the article")
		}
	})
	t.Run("ReturnAndResubmit", func(t *testing.T) {
		if err := knowledge.Return(a, "Cite the Aranyosi test", now); err != nil {
			t.Fatal(err)
		}
		if a.Status != knowledge.Draft || a.Pending.ReturnNote != "Cite the Aranyosi test" {
			t.Fatalf("after return: %s %q", a.Status, a.Pending.ReturnNote)
		}
		wantCode(t, knowledge.Return(a, "", now), fault.Conflict)
		if err := knowledge.Revise(a, author, a.Title, a.Summary, "Ask early. Apply the Aranyosi test.", "cites Aranyosi", now); err != nil {
			t.Fatal(err)
		}
		if a.Body != "Ask early. Apply the Aranyosi test." {
			t.Fatal("an unpublished article's text follows its draft")
		}
		if err := knowledge.Submit(a, now); err != nil {
			t.Fatal(err)
		}
	})
	reviewBy := knowledge.Guidance.DefaultReviewBy(today)
	if err := knowledge.Approve(a, reviewer, reviewBy, today, now); err != nil {
		t.Fatal(err)
	}
	if a.Status != knowledge.Published || a.PublishedVersion != 1 || a.Pending != nil || *a.ReviewBy != reviewBy || a.PublishedAt == nil {
		t.Fatalf("after approval: %+v", a)
	}
	t.Run("PublishedReadByStaffNotPartners", func(t *testing.T) {
		for _, tc := range []struct {
			p    *access.Principal
			want bool
		}{{otherLawyer, true}, {inspector, true}, {nca, false}, {lowClearance, true}} {
			if got := knowledge.CanRead(c, tc.p, a); got != tc.want {
				t.Errorf("person %d reads: %v, want %v", tc.p.PersonID, got, tc.want)
			}
		}
		shared := *a
		shared.Sharing, shared.PartnerIDs = knowledge.Partners, []int64{900}
		if !knowledge.CanRead(c, nca, &shared) {
			t.Error("the NCA does not read an article shared with it")
		}
		other := shared
		other.PartnerIDs = []int64{901}
		if knowledge.CanRead(c, nca, &other) {
			t.Error("the NCA reads an article shared with someone else")
		}
		sensitive := *a
		sensitive.Sensitivity = access.OfficialSensitive
		if knowledge.CanRead(c, lowClearance, &sensitive) || knowledge.CanRead(c, otherLawyer, &sensitive) {
			t.Error("official-sensitive article read outside its unit or without clearance")
		}
	})
	t.Run("RevisionKeepsPublishedText", func(t *testing.T) {
		if err := knowledge.Revise(a, reviewerAuthor, a.Title, a.Summary, "New text.", "rewrite", now); err != nil {
			t.Fatal(err)
		}
		if a.Pending.Number != 2 || a.Body != "Ask early. Apply the Aranyosi test." || a.Status != knowledge.Published {
			t.Fatalf("revision: pending %d body %q status %s", a.Pending.Number, a.Body, a.Status)
		}
		if err := knowledge.Submit(a, now); err != nil {
			t.Fatal(err)
		}
		if a.Status != knowledge.Published {
			t.Fatal("a published article in revision stays published")
		}
		if err := knowledge.CheckApprover(reviewerAuthor, a); fault.CodeOf(err) != fault.Forbidden {
			t.Fatalf("the revision's author approves their own revision: %v", err)
		}
		if err := knowledge.Approve(a, reviewer, today.AddDays(200), today, now); err != nil {
			t.Fatal(err)
		}
		if a.Body != "New text." || a.PublishedVersion != 2 {
			t.Fatalf("after the revision: %q v%d", a.Body, a.PublishedVersion)
		}
	})
	t.Run("ReviewDates", func(t *testing.T) {
		b := *a
		b.ReviewBy = ptr(today.AddDays(10))
		if _, stale := b.Overdue(today); stale || !b.DueWithin(today, knowledge.DueSoonDays) {
			t.Error("due in 10 days: not stale, due soon")
		}
		b.ReviewBy = ptr(today.AddDays(31))
		if b.DueWithin(today, knowledge.DueSoonDays) {
			t.Error("due in 31 days is not within 30")
		}
		b.ReviewBy = ptr(today)
		if _, stale := b.Overdue(today); stale {
			t.Error("due today is not yet overdue")
		}
		b.ReviewBy = ptr(today.AddDays(-45))
		if days, stale := b.Overdue(today); !stale || days != 45 {
			t.Errorf("45 days past: %d %v", days, stale)
		}
		b.Status = knowledge.Archived
		if _, stale := b.Overdue(today); stale || b.DueWithin(today, 30) {
			t.Error("an archived article is never stale")
		}
	})
	t.Run("RecordReview", func(t *testing.T) {
		if !knowledge.CanRecordReview(c, author, a) || !knowledge.CanRecordReview(c, reviewer, a) || knowledge.CanRecordReview(c, otherLawyer, a) {
			t.Error("who may record a review")
		}
		_, err := knowledge.RecordReview(a, reviewer, "fine", "", today.AddDays(100), today, now)
		wantCode(t, err, fault.Invalid)
		_, err = knowledge.RecordReview(a, reviewer, knowledge.StillAccurate, "", deadline.Date{}, today, now)
		wantCode(t, err, fault.Invalid)
		r, err := knowledge.RecordReview(a, reviewer, knowledge.StillAccurate, " checked against 2026 case law ", today.AddDays(365), today, now)
		if err != nil {
			t.Fatal(err)
		}
		if r.Version != 2 || r.Note != "checked against 2026 case law" || *a.ReviewBy != today.AddDays(365) || r.ReviewerID != reviewer.PersonID {
			t.Fatalf("review %+v, review by %s", r, a.ReviewBy)
		}
	})
	t.Run("Archive", func(t *testing.T) {
		if err := knowledge.Revise(a, author, a.Title, a.Summary, "more", "", now); err != nil {
			t.Fatal(err)
		}
		if err := knowledge.Archive(a, now); err != nil {
			t.Fatal(err)
		}
		if a.Pending.State != knowledge.VersionWithdrawn {
			t.Error("archiving withdraws the revision in progress")
		}
		wantCode(t, knowledge.Archive(a, now), fault.Conflict)
		wantCode(t, knowledge.Revise(a, author, "x", "y", "z", "", now), fault.Conflict)
		if knowledge.CanEdit(c, author, a) || knowledge.CanRead(c, nca, a) || !knowledge.CanRead(c, otherLawyer, a) {
			t.Error("archived: read by staff, edited by nobody")
		}
		_, err := knowledge.RecordReview(a, reviewer, knowledge.StillAccurate, "", today.AddDays(10), today, now)
		wantCode(t, err, fault.Conflict)
	})
}

func TestSubmitNeedsText(t *testing.T) {
	a := newArticle(t, author)
	if err := knowledge.Revise(a, author, a.Title, a.Summary, "  \n", "", now); err != nil {
		t.Fatal(err)
	}
	wantCode(t, knowledge.Submit(a, now), fault.Invalid)
}

func TestWhoWrites(t *testing.T) {
	a := newArticle(t, author)
	for _, tc := range []struct {
		p    *access.Principal
		want bool
	}{{author, true}, {colleague, true}, {reviewer, true}, {otherLawyer, false}, {inspector, false}, {nca, false}, {readOnlyToken, false}} {
		if got := knowledge.CanEdit(c, tc.p, a); got != tc.want {
			t.Errorf("person %d edits: %v, want %v", tc.p.PersonID, got, tc.want)
		}
	}
	if !knowledge.CanWriteIn(c, otherLawyer, 2, access.Official) || knowledge.CanWriteIn(c, otherLawyer, 1, access.Official) || knowledge.CanWriteIn(c, inspector, 1, access.Official) {
		t.Error("who starts an article in a unit")
	}
	// An owner moved to another unit still looks after their article.
	moved := *a
	moved.OwnerID = otherLawyer.PersonID
	if !knowledge.CanEdit(c, otherLawyer, &moved) {
		t.Error("the owner edits their article")
	}
}

func TestGaps(t *testing.T) {
	g := knowledge.Gap{Topic: "  ", UnitID: 0, Detail: strings.Repeat("x", 2001)}
	fe := fault.As(g.Validate())
	if fe == nil || fe.FieldMessage("topic") == "" || fe.FieldMessage("unit_id") == "" || fe.FieldMessage("detail") == "" {
		t.Fatalf("invalid gap: %v", fe)
	}
	g = knowledge.Gap{Topic: " Assurances from Brazil ", UnitID: 1, Status: knowledge.GapOpen}
	if err := g.Validate(); err != nil || g.Topic != "Assurances from Brazil" {
		t.Fatalf("valid gap: %v %q", err, g.Topic)
	}
	if !knowledge.CanCloseGap(author, &g) || knowledge.CanCloseGap(otherLawyer, &g) || knowledge.CanCloseGap(inspector, &g) {
		t.Error("who closes a gap")
	}
	g.Status = knowledge.GapClosed
	if knowledge.CanCloseGap(author, &g) {
		t.Error("a closed gap is closed again")
	}
}

func TestSpecialismValidate(t *testing.T) {
	lead, deputy := int64(1), int64(1)
	s := knowledge.Specialism{Code: "Cyber crime", Name: "", Country: "Spain", LeadID: &lead, DeputyID: &deputy}
	fe := fault.As(s.Validate())
	for _, field := range []string{"code", "name", "country", "deputy_id"} {
		if fe == nil || fe.FieldMessage(field) == "" {
			t.Errorf("no message for %s: %v", field, fe)
		}
	}
	ok := knowledge.Specialism{Code: "liaison_es", Name: " Liaison prosecutor, Spain ", Country: "es", LeadID: &lead, Tag: "Spain"}
	if err := ok.Validate(); err != nil || ok.Country != "ES" || ok.Tag != "spain" || ok.Name != "Liaison prosecutor, Spain" {
		t.Fatalf("valid entry: %+v %v", ok, err)
	}
}

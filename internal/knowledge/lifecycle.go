package knowledge

import (
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
)

// Who may do what with an article. Reading goes through the access policy
// (unit, sensitivity, partners it is shared with) and then the lifecycle:
// an article not yet published, and a revision not yet approved, stay with
// the people who write and review in its unit.

// CanRead reports whether the principal may read the article as readers
// see it.
func CanRead(c access.Clearances, p *access.Principal, a *Article) bool {
	if !c.Can(p, access.Read, a.Record()) {
		return false
	}
	switch a.Status {
	case Published:
		return true
	case Archived:
		// Archived guidance is kept for the record, not for partners.
		return !p.IsPartner()
	}
	return CanSeeDrafts(c, p, a)
}

// CanSeeDrafts reports whether the principal may see the article's
// unpublished text: its author and owner, those who may write in its
// unit, and its unit's reviewers.
func CanSeeDrafts(c access.Clearances, p *access.Principal, a *Article) bool {
	if p == nil || p.IsPartner() || !c.Can(p, access.Read, a.Record()) {
		return false
	}
	if p.PersonID == a.AuthorID || p.PersonID == a.OwnerID {
		return true
	}
	return CanEdit(c, p, a) || IsReviewerFor(p, a.UnitID)
}

// CanEdit reports whether the principal may write the article's text and
// details: an author of its unit (or the head of division) who may write
// knowledge at all, or its owner. Archived articles are not edited.
func CanEdit(c access.Clearances, p *access.Principal, a *Article) bool {
	if p == nil || a.Status == Archived || !access.Allows(p, access.WriteKnowledge) {
		return false
	}
	if p.PersonID == a.OwnerID && c.Can(p, access.Read, a.Record()) {
		return true
	}
	return c.Can(p, access.Write, a.Record())
}

// IsReviewerFor reports whether the principal holds the reviewer role for
// the unit: the role, membership of the unit, and the right to write.
func IsReviewerFor(p *access.Principal, unitID int64) bool {
	return p != nil && p.Has(access.Reviewer) && p.MemberOf(unitID) && access.Allows(p, access.WriteKnowledge)
}

// CanWriteIn reports whether the principal may start an article in the
// unit.
func CanWriteIn(c access.Clearances, p *access.Principal, unitID int64, sensitivity access.Sensitivity) bool {
	return access.Allows(p, access.WriteKnowledge) && c.Can(p, access.Write, access.Record{UnitID: unitID, Sensitivity: sensitivity})
}

// Start makes a new article's first version, a draft written by the
// principal, who owns it unless another owner was chosen.
func Start(a *Article, p *access.Principal, now time.Time) {
	a.ID, a.Status, a.PublishedVersion, a.Revision = 0, Draft, 0, 1
	a.AuthorID = p.PersonID
	if a.OwnerID == 0 {
		a.OwnerID = p.PersonID
	}
	a.CreatedAt, a.UpdatedAt, a.PublishedAt, a.LastReviewed = now, now, nil, nil
	a.Pending = &Version{Number: 1, State: VersionDraft, Title: a.Title, Summary: a.Summary, Body: a.Body,
		AuthorID: p.PersonID, CreatedAt: now, UpdatedAt: now}
}

// Revise changes the text of the article's pending version, starting a new
// one when the article is published and has none. A version in review is
// not changed under its reviewer: it must be withdrawn first. The article's
// own text changes only until it is first published; after that readers
// keep the published text until the revision is approved.
func Revise(a *Article, p *access.Principal, title, summary, body, note string, now time.Time) error {
	if a.Status == Archived {
		return fault.Errorf(fault.Conflict, "The article is archived: it cannot be changed")
	}
	if a.Pending != nil && a.Pending.State == VersionInReview {
		return fault.Errorf(fault.Conflict, "The article is in review: withdraw it from review before changing it")
	}
	if a.Pending == nil {
		a.Pending = &Version{Number: a.PublishedVersion + 1, State: VersionDraft, AuthorID: p.PersonID, CreatedAt: now}
	}
	v := a.Pending
	v.Title, v.Summary, v.Body, v.Note, v.UpdatedAt = title, summary, body, strings.TrimSpace(note), now
	v.AuthorID, v.ReturnNote = p.PersonID, ""
	if a.PublishedVersion == 0 {
		a.Title, a.Summary, a.Body = title, summary, body
	}
	a.UpdatedAt = now
	return nil
}

// Submit sends the pending version for review.
func Submit(a *Article, now time.Time) error {
	if a.Pending == nil || a.Pending.State != VersionDraft {
		return fault.Errorf(fault.Conflict, "There is no draft to submit for review")
	}
	if strings.TrimSpace(a.Pending.Body) == "" {
		return &fault.Error{Code: fault.Invalid, Message: "The article could not be submitted",
			Fields: []fault.FieldError{{Field: "body", Message: "Write the article before submitting it for review"}}}
	}
	a.Pending.State, a.Pending.SubmittedAt, a.Pending.ReturnNote = VersionInReview, &now, ""
	if a.PublishedVersion == 0 {
		a.Status = InReview
	}
	a.UpdatedAt = now
	return nil
}

// Return sends the version in review back to draft: a reviewer asking
// for changes (with a note saying which), or its author withdrawing it.
func Return(a *Article, note string, now time.Time) error {
	if a.Pending == nil || a.Pending.State != VersionInReview {
		return fault.Errorf(fault.Conflict, "The article is not in review")
	}
	a.Pending.State, a.Pending.SubmittedAt, a.Pending.ReturnNote = VersionDraft, nil, strings.TrimSpace(note)
	if a.PublishedVersion == 0 {
		a.Status = Draft
	}
	a.UpdatedAt = now
	return nil
}

// CheckApprover says why the principal may not approve the article's
// version in review, or returns nil. Approval needs the reviewer role for
// the article's unit, and the approver must not be the article's author
// nor the author of the version.
func CheckApprover(p *access.Principal, a *Article) error {
	if a.Pending == nil || a.Pending.State != VersionInReview {
		return fault.Errorf(fault.Conflict, "The article is not in review: submit it for review first")
	}
	if !IsReviewerFor(p, a.UnitID) {
		return fault.Errorf(fault.Forbidden, "Only a reviewer for the article's unit may approve it")
	}
	if p.PersonID == a.AuthorID || p.PersonID == a.Pending.AuthorID {
		return fault.Errorf(fault.Forbidden, "You wrote this article: another reviewer for the unit must approve it")
	}
	return nil
}

// MaxReviewAhead is the furthest ahead a review-by date may be set.
const MaxReviewAhead = 3 * 366

// CheckReviewBy says what is wrong with a review-by date chosen on today.
func CheckReviewBy(field string, reviewBy, today deadline.Date) error {
	var msg string
	switch {
	case reviewBy.IsZero():
		msg = "Give a review-by date: published guidance must say when it will next be checked"
	case !reviewBy.After(today):
		msg = "The review-by date must be in the future"
	case reviewBy.Sub(today) > MaxReviewAhead:
		msg = "The review-by date must be within three years"
	}
	if msg == "" {
		return nil
	}
	return &fault.Error{Code: fault.Invalid, Message: "The review-by date is not right", Fields: []fault.FieldError{{Field: field, Message: msg}}}
}

// Approve publishes the version in review: readers see it from now on,
// the version is kept unchanged from here, and the article must next be
// reviewed by reviewBy. Approving a revision of a published article counts
// as a review with the outcome "updated", which the caller records.
func Approve(a *Article, p *access.Principal, reviewBy, today deadline.Date, now time.Time) error {
	if err := CheckApprover(p, a); err != nil {
		return err
	}
	if err := CheckReviewBy("review_by", reviewBy, today); err != nil {
		return err
	}
	v := a.Pending
	v.State, v.ApprovedByID, v.ApprovedAt = VersionPublished, &p.PersonID, &now
	a.Title, a.Summary, a.Body = v.Title, v.Summary, v.Body
	a.PublishedVersion, a.Status, a.Pending = v.Number, Published, nil
	a.ReviewBy, a.LastReviewed, a.PublishedAt, a.UpdatedAt = &reviewBy, &now, &now, now
	return nil
}

// Archive takes the article out of use. Its versions and reviews are
// kept; a revision in progress is withdrawn.
func Archive(a *Article, now time.Time) error {
	if a.Status == Archived {
		return fault.Errorf(fault.Conflict, "The article is already archived")
	}
	if a.Pending != nil {
		a.Pending.State = VersionWithdrawn
	}
	a.Status, a.UpdatedAt = Archived, now
	return nil
}

// CanRecordReview reports whether the principal may record a periodic
// review of the article: its owner, its unit's authors and its reviewers.
func CanRecordReview(c access.Clearances, p *access.Principal, a *Article) bool {
	return a.Status == Published && (CanEdit(c, p, a) || IsReviewerFor(p, a.UnitID))
}

// RecordReview records that the principal checked the published article on
// today, and sets its next review-by date.
func RecordReview(a *Article, p *access.Principal, outcome ReviewOutcome, note string, next, today deadline.Date, now time.Time) (Review, error) {
	if a.Status != Published {
		return Review{}, fault.Errorf(fault.Conflict, "Only a published article is reviewed")
	}
	var v fault.Validation
	if outcome != StillAccurate && outcome != Updated {
		v.Add("outcome", "Say whether the article is still accurate or has been updated")
	}
	if len(note) > 2000 {
		v.Add("note", "The note must be 2,000 characters or fewer")
	}
	if err := v.Err("The review could not be recorded"); err != nil {
		return Review{}, err
	}
	if err := CheckReviewBy("next_review_by", next, today); err != nil {
		return Review{}, err
	}
	a.ReviewBy, a.LastReviewed, a.UpdatedAt = &next, &now, now
	return Review{ArticleID: a.ID, ReviewerID: p.PersonID, ReviewedAt: now, Outcome: outcome, Note: strings.TrimSpace(note),
		Version: a.PublishedVersion, NextReviewBy: next}, nil
}

// Overdue reports how many days past its review-by date a published
// article is on today, and whether it is past it at all.
func (a *Article) Overdue(today deadline.Date) (days int, stale bool) {
	if a.Status != Published || a.ReviewBy == nil || a.ReviewBy.IsZero() || !today.After(*a.ReviewBy) {
		return 0, false
	}
	return today.Sub(*a.ReviewBy), true
}

// DueWithin reports whether a published article's review falls due within
// the next days days (or is already overdue): what its owner sees on their
// work list.
func (a *Article) DueWithin(today deadline.Date, days int) bool {
	return a.Status == Published && a.ReviewBy != nil && !a.ReviewBy.IsZero() && a.ReviewBy.Sub(today) <= days
}

// DueSoonDays is how far ahead an owner is told a review is due.
const DueSoonDays = 30

// Package knowledge holds the knowledge repository's rules: the kinds of
// article, their lifecycle from draft to archive with approval by a
// reviewer who is not the author, the versions kept of everything
// published, review-by dates and what makes an article stale, the line
// diff between versions, the safe Markdown renderer and the search-query
// parser. It imports no database or HTTP code.
package knowledge

import (
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"caseboard/internal/access"
	"caseboard/internal/deadline"
	"caseboard/internal/fault"
)

// Kind is what sort of knowledge an article holds.
type Kind string

const (
	Guidance         Kind = "guidance"
	DeskGuide        Kind = "desk_guide"
	LessonsLearned   Kind = "lessons_learned"
	GoodPractice     Kind = "good_practice"
	AdverseOutcome   Kind = "adverse_outcome"
	Debrief          Kind = "debrief"
	JurisdictionNote Kind = "jurisdiction_note"
	Template         Kind = "template"
)

// KindInfo describes a kind: its label and how long a published article of
// the kind stays current before it must be reviewed.
type KindInfo struct {
	Kind         Kind   `json:"kind"`
	Label        string `json:"label"`
	ReviewMonths int    `json:"review_months"`
}

// Kinds lists every kind. Jurisdiction notes go stale soonest: a country's
// prison conditions or its courts' stance can change within months.
var Kinds = []KindInfo{
	{Guidance, "Guidance", 12},
	{DeskGuide, "Desk guide", 12},
	{JurisdictionNote, "Jurisdiction note", 6},
	{LessonsLearned, "Lessons learned", 24},
	{AdverseOutcome, "Adverse outcome learning", 24},
	{Debrief, "De-brief summary", 24},
	{GoodPractice, "Good practice", 24},
	{Template, "Template", 24},
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	return slices.ContainsFunc(Kinds, func(ki KindInfo) bool { return ki.Kind == k })
}

// Label is the kind as people read it.
func (k Kind) Label() string {
	for _, ki := range Kinds {
		if ki.Kind == k {
			return ki.Label
		}
	}
	return string(k)
}

// ReviewMonths is how many months a published article of the kind stays
// current; 12 for an unknown kind.
func (k Kind) ReviewMonths() int {
	for _, ki := range Kinds {
		if ki.Kind == k {
			return ki.ReviewMonths
		}
	}
	return 12
}

// DefaultReviewBy is the review-by date an article of the kind published
// or reviewed on day gets unless someone chooses another.
func (k Kind) DefaultReviewBy(day deadline.Date) deadline.Date {
	t := day.Time(time.UTC).AddDate(0, k.ReviewMonths(), 0)
	return deadline.DateOf(t)
}

// Status is where an article is in its lifecycle.
type Status string

const (
	Draft     Status = "draft"
	InReview  Status = "in_review"
	Published Status = "published"
	Archived  Status = "archived"
)

// Statuses lists the lifecycle in order.
var Statuses = []Status{Draft, InReview, Published, Archived}

// Label is the status as people read it.
func (s Status) Label() string {
	switch s {
	case Draft:
		return "Draft"
	case InReview:
		return "In review"
	case Published:
		return "Published"
	case Archived:
		return "Archived"
	}
	return string(s)
}

// Sharing is how far beyond its unit an article may travel.
type Sharing string

const (
	// DivisionOnly articles are read by the division's staff.
	DivisionOnly Sharing = "division"
	// CPSWide articles are read by the division and the CPS Areas and
	// CCUs.
	CPSWide Sharing = "cps"
	// Partners articles are read by the CPS and by the partner
	// organisations named on the article, such as the NCA.
	Partners Sharing = "partners"
)

// Sharings lists the sharing levels with what each means.
var Sharings = []struct {
	Sharing Sharing
	Label   string
}{
	{DivisionOnly, "Division only"},
	{CPSWide, "CPS-wide: the division, Areas and CCUs"},
	{Partners, "CPS and named partner organisations"},
}

// Valid reports whether s is a known sharing level.
func (s Sharing) Valid() bool { return s == DivisionOnly || s == CPSWide || s == Partners }

// Label is the sharing level as people read it.
func (s Sharing) Label() string {
	for _, sh := range Sharings {
		if sh.Sharing == s {
			return sh.Label
		}
	}
	return string(s)
}

// Article is one piece of knowledge: its current text (the published
// version's, or the draft's until it is first published), what it is
// about, and where it is in its lifecycle.
type Article struct {
	ID          int64              `json:"id"`
	Kind        Kind               `json:"kind"`
	Status      Status             `json:"status"`
	Title       string             `json:"title"`
	Summary     string             `json:"summary"`
	Body        string             `json:"body"` // Markdown
	UnitID      int64              `json:"unit_id"`
	UnitCode    string             `json:"unit_code,omitempty"`
	OwnerID     int64              `json:"owner_id"`
	OwnerName   string             `json:"owner_name,omitempty"`
	AuthorID    int64              `json:"author_id"` // who created it
	AuthorName  string             `json:"author_name,omitempty"`
	Sensitivity access.Sensitivity `json:"sensitivity"`
	Sharing     Sharing            `json:"sharing"`
	// PartnerIDs are the partner organisations a Partners article is
	// shared with.
	PartnerIDs []int64 `json:"partner_ids"`
	// ParentID is the desk guide a chapter belongs to; Position orders
	// the chapters.
	ParentID *int64 `json:"parent_id"`
	Position int    `json:"position"`
	// Country is the ISO 3166 code a jurisdiction note is about.
	Country      string   `json:"country,omitempty"`
	Tags         []string `json:"tags"`
	RelatedCases []string `json:"related_cases"` // case references
	RelatedRisks []string `json:"related_risks"` // risk references
	// ReviewBy is when the published text must next be reviewed.
	ReviewBy     *deadline.Date `json:"review_by"`
	LastReviewed *time.Time     `json:"last_reviewed"`
	// PublishedVersion is the number of the version readers see, 0 before
	// the article is first published.
	PublishedVersion int `json:"published_version"`
	// Pending is the version being drafted or reviewed, if any: for an
	// article never published it is its only version; for a published
	// one, a revision that readers do not see until it is approved.
	Pending     *Version   `json:"pending,omitempty"`
	Revision    int64      `json:"revision"` // bumped by every change, for optimistic locking
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	PublishedAt *time.Time `json:"published_at"`
}

// VersionState is where one version is: being written, being reviewed,
// approved and published (it stays so when a later version supersedes
// it), or withdrawn.
type VersionState string

const (
	VersionDraft     VersionState = "draft"
	VersionInReview  VersionState = "in_review"
	VersionPublished VersionState = "published"
	VersionWithdrawn VersionState = "withdrawn"
)

// Version is one numbered text of an article. Published versions are never
// changed again.
type Version struct {
	Number       int          `json:"number"`
	State        VersionState `json:"state"`
	Title        string       `json:"title"`
	Summary      string       `json:"summary"`
	Body         string       `json:"body"`
	AuthorID     int64        `json:"author_id"` // who wrote this version
	AuthorName   string       `json:"author_name,omitempty"`
	Note         string       `json:"note"` // what changed, from its author
	CreatedAt    time.Time    `json:"created_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
	SubmittedAt  *time.Time   `json:"submitted_at"`
	ApprovedByID *int64       `json:"approved_by_id"`
	ApproverName string       `json:"approver_name,omitempty"`
	ApprovedAt   *time.Time   `json:"approved_at"`
	// ReturnNote is a reviewer's reason for sending it back.
	ReturnNote string `json:"return_note"`
}

// ReviewOutcome is what a periodic review found.
type ReviewOutcome string

const (
	StillAccurate ReviewOutcome = "still_accurate"
	Updated       ReviewOutcome = "updated"
)

// Label is the outcome as people read it.
func (o ReviewOutcome) Label() string {
	switch o {
	case StillAccurate:
		return "Still accurate"
	case Updated:
		return "Updated"
	}
	return string(o)
}

// Review is one record that someone checked an article was current.
type Review struct {
	ID           int64         `json:"id"`
	ArticleID    int64         `json:"article_id"`
	ReviewerID   int64         `json:"reviewer_id"`
	ReviewerName string        `json:"reviewer_name,omitempty"`
	ReviewedAt   time.Time     `json:"reviewed_at"`
	Outcome      ReviewOutcome `json:"outcome"`
	Note         string        `json:"note"`
	Version      int           `json:"version"`
	NextReviewBy deadline.Date `json:"next_review_by"`
}

// Limits on what an article holds.
const (
	MaxTitle   = 200
	MaxSummary = 1000
	MaxBody    = 200_000 // bytes of Markdown
	MaxTags    = 20
	MaxTag     = 40
	MaxRelated = 50
)

var (
	tagPattern     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	countryPattern = regexp.MustCompile(`^[A-Z]{2}$`)
)

// NormaliseTag turns what someone typed into a tag: lower case, words
// joined by hyphens ("Money laundering" is money-laundering).
func NormaliseTag(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	var b strings.Builder
	dash := false
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	return b.String()
}

// Normalise tidies what a person typed: trimmed text, tags normalised,
// sorted and without duplicates, related references trimmed, country in
// capitals.
func (a *Article) Normalise() {
	a.Title = strings.TrimSpace(a.Title)
	a.Summary = strings.TrimSpace(a.Summary)
	a.Body = strings.ReplaceAll(a.Body, "\r\n", "\n")
	a.Country = strings.ToUpper(strings.TrimSpace(a.Country))
	var tags []string
	for _, t := range a.Tags {
		if t = NormaliseTag(t); t != "" && !slices.Contains(tags, t) {
			tags = append(tags, t)
		}
	}
	slices.Sort(tags)
	a.Tags = tags
	a.RelatedCases = cleanRefs(a.RelatedCases)
	a.RelatedRisks = cleanRefs(a.RelatedRisks)
	if a.Sharing == "" {
		a.Sharing = DivisionOnly
	}
	if a.Sensitivity == "" {
		a.Sensitivity = access.Official
	}
	if a.Sharing != Partners {
		a.PartnerIDs = nil
	}
}

func cleanRefs(refs []string) []string {
	var out []string
	for _, r := range refs {
		if r = strings.ToUpper(strings.TrimSpace(r)); r != "" && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// Validate checks an article as a person saves it. Fields are named as in
// the form and the API.
func (a *Article) Validate() error {
	var v fault.Validation
	if !a.Kind.Valid() {
		v.Add("kind", "Choose what kind of article this is")
	}
	switch {
	case a.Title == "":
		v.Add("title", "Enter a title")
	case utf8.RuneCountInString(a.Title) > MaxTitle:
		v.Add("title", "The title must be 200 characters or fewer")
	}
	switch {
	case a.Summary == "":
		v.Add("summary", "Enter a summary of one or two sentences")
	case utf8.RuneCountInString(a.Summary) > MaxSummary:
		v.Add("summary", "The summary must be 1,000 characters or fewer")
	}
	if len(a.Body) > MaxBody {
		v.Add("body", "The text must be 200,000 characters or fewer: split it into chapters")
	}
	if !utf8.ValidString(a.Title + a.Summary + a.Body) {
		v.Add("body", "The text is not valid UTF-8")
	}
	if a.UnitID <= 0 {
		v.Add("unit_id", "Choose the unit the article belongs to")
	}
	if a.OwnerID <= 0 {
		v.Add("owner_id", "Choose who owns the article")
	}
	if a.Sensitivity != access.Official && a.Sensitivity != access.OfficialSensitive {
		v.Add("sensitivity", "Choose official or official-sensitive: restricted material belongs on the case, not in the repository")
	}
	if !a.Sharing.Valid() {
		v.Add("sharing", "Choose who the article is shared with")
	} else if a.Sharing == Partners && len(a.PartnerIDs) == 0 {
		v.Add("partner_ids", "Name at least one partner organisation to share it with")
	} else if a.Sharing == Partners && a.Sensitivity != access.Official {
		v.Add("sharing", "Only official articles can be shared with partners")
	}
	if a.Kind == JurisdictionNote && !countryPattern.MatchString(a.Country) {
		v.Add("country", "Enter the two-letter code of the country the note is about, for example PL")
	} else if a.Country != "" && !countryPattern.MatchString(a.Country) {
		v.Add("country", "Enter the country as a two-letter code, for example PL")
	}
	if len(a.Tags) > MaxTags {
		v.Add("tags", "Give at most 20 tags")
	}
	for _, t := range a.Tags {
		if len(t) > MaxTag || !tagPattern.MatchString(t) {
			v.Add("tags", "Tags are words of letters, numbers and hyphens, up to 40 characters")
			break
		}
	}
	if len(a.RelatedCases) > MaxRelated || len(a.RelatedRisks) > MaxRelated {
		v.Add("related_cases", "Link at most 50 cases and 50 risks")
	}
	for _, r := range append(slices.Clone(a.RelatedCases), a.RelatedRisks...) {
		if len(r) > 40 {
			v.Add("related_cases", "A reference is at most 40 characters")
			break
		}
	}
	if a.ParentID != nil && a.ID != 0 && *a.ParentID == a.ID {
		v.Add("parent_id", "An article cannot be a chapter of itself")
	}
	if a.Position < 0 || a.Position > 10000 {
		v.Add("position", "Enter a chapter number from 0 to 10,000")
	}
	return v.Err("The article could not be saved")
}

// Record is what the access policy needs to know of an article.
func (a *Article) Record() access.Record {
	rec := access.Record{UnitID: a.UnitID, Sensitivity: a.Sensitivity}
	if a.Sharing == Partners {
		rec.SharedPartners = a.PartnerIDs
	}
	return rec
}

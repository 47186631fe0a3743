package knowledge

import (
	"strings"
	"time"
	"unicode/utf8"

	"caseboard/internal/access"
	"caseboard/internal/fault"
)

// Gap is a request for guidance the repository does not have: anyone may
// record one, and the authors of the unit it concerns see it until it is
// answered with an article or closed.
type Gap struct {
	ID              int64      `json:"id"`
	Topic           string     `json:"topic"`
	Detail          string     `json:"detail"`
	UnitID          int64      `json:"unit_id"`
	UnitCode        string     `json:"unit_code,omitempty"`
	RequestedByID   int64      `json:"requested_by_id"`
	RequestedByName string     `json:"requested_by_name,omitempty"`
	Status          GapStatus  `json:"status"`
	ArticleID       *int64     `json:"article_id"`
	CreatedAt       time.Time  `json:"created_at"`
	ClosedAt        *time.Time `json:"closed_at"`
}

// GapStatus is where a request for guidance is.
type GapStatus string

const (
	GapOpen     GapStatus = "open"
	GapAnswered GapStatus = "answered" // an article now covers it
	GapClosed   GapStatus = "closed"   // not to be written
)

// Validate checks a gap as someone records it.
func (g *Gap) Validate() error {
	g.Topic, g.Detail = strings.TrimSpace(g.Topic), strings.TrimSpace(g.Detail)
	var v fault.Validation
	switch {
	case g.Topic == "":
		v.Add("topic", "Say what guidance is missing")
	case utf8.RuneCountInString(g.Topic) > MaxTitle:
		v.Add("topic", "The topic must be 200 characters or fewer")
	}
	if utf8.RuneCountInString(g.Detail) > 2000 {
		v.Add("detail", "The detail must be 2,000 characters or fewer")
	}
	if g.UnitID <= 0 {
		v.Add("unit_id", "Choose the unit whose guidance it is")
	}
	return v.Err("The request could not be recorded")
}

// CanCloseGap reports whether the principal may answer or close a gap:
// an author of its unit.
func CanCloseGap(p *access.Principal, g *Gap) bool {
	return g.Status == GapOpen && access.Allows(p, access.WriteKnowledge) && (p.MemberOf(g.UnitID) || p.Has(access.HeadOfDivision))
}

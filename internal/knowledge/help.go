package knowledge

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"caseboard/internal/fault"
)

// HelpRequest is a question from an Area, a CCU or a colleague to a
// specialism (report 3.23): routed to the specialism's queue, allocated
// fairly to one of the people on it, and answered, with the answer
// publishable as an article.
type HelpRequest struct {
	ID             int64      `json:"id"`
	Specialism     string     `json:"specialism"` // directory code
	SpecialismName string     `json:"specialism_name,omitempty"`
	Topic          string     `json:"topic"`
	Question       string     `json:"question"`
	CaseRef        string     `json:"case_ref"`
	Urgency        Urgency    `json:"urgency"`
	AskerID        int64      `json:"asker_id"`
	AskerName      string     `json:"asker_name,omitempty"`
	AssigneeID     *int64     `json:"assignee_id"`
	AssigneeName   string     `json:"assignee_name,omitempty"`
	Status         HelpStatus `json:"status"`
	Answer         string     `json:"answer"`
	ArticleID      *int64     `json:"article_id"`
	CreatedAt      time.Time  `json:"created_at"`
	AnsweredAt     *time.Time `json:"answered_at"`
	// AnswerBy is when the urgency asks for an answer (see AnswerBy).
	AnswerBy time.Time `json:"answer_by"`
	// RoutedBecause says why a question asked without a specialism went
	// to the one it did; empty when the asker chose.
	RoutedBecause string `json:"routed_because,omitempty"`
}

// Urgency is how soon an answer is needed.
type Urgency string

const (
	Routine   Urgency = "routine"   // within five working days
	Urgent    Urgency = "urgent"    // within one working day
	Immediate Urgency = "immediate" // a hearing or an arrest today
)

// HelpStatus is where a request is.
type HelpStatus string

const (
	HelpOpen     HelpStatus = "open"
	HelpAnswered HelpStatus = "answered"
)

// Validate checks a request as it is asked. The specialism may be left
// empty: the question is then routed by its topic (see Route).
func (h *HelpRequest) Validate() error {
	h.Topic, h.Question, h.CaseRef = strings.TrimSpace(h.Topic), strings.TrimSpace(h.Question), strings.ToUpper(strings.TrimSpace(h.CaseRef))
	h.Specialism = strings.TrimSpace(h.Specialism)
	var v fault.Validation
	if h.Topic == "" || utf8.RuneCountInString(h.Topic) > MaxTitle {
		v.Add("topic", "Say in a few words what the question is about")
	}
	if h.Question == "" || utf8.RuneCountInString(h.Question) > 5000 {
		v.Add("question", "Ask the question, in up to 5,000 characters")
	}
	if len(h.CaseRef) > 40 {
		v.Add("case_ref", "A case reference is at most 40 characters")
	}
	if h.Urgency == "" {
		h.Urgency = Routine
	}
	if h.Urgency != Routine && h.Urgency != Urgent && h.Urgency != Immediate {
		v.Add("urgency", "Choose how urgent it is")
	}
	return v.Err("The question could not be sent")
}

// AnswerBy is when a question asked at asked wants its answer: the same
// day when immediate, the next working day when urgent, the fifth working
// day after when routine. Working days are Monday to Friday.
func AnswerBy(asked time.Time, u Urgency) time.Time {
	days := map[Urgency]int{Urgent: 1, Routine: 5}[u]
	y, m, d := asked.UTC().Date()
	due := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	for days > 0 {
		due = due.AddDate(0, 0, 1)
		if wd := due.Weekday(); wd != time.Saturday && wd != time.Sunday {
			days--
		}
	}
	return due
}

// Candidate is a person on a specialism's queue as allocation sees them.
type Candidate struct {
	PersonID     int64
	OpenLoad     int       // requests they have open now
	Away         bool      // marked away: skipped
	LastAssigned time.Time // zero if never
}

// Allocate chooses who answers the next request of a queue: among those not
// away, the one with the fewest open requests; among equals, the one who was
// given a request longest ago (round robin); then the lowest id, so the
// choice is the same every time. ok is false when everyone is away.
func Allocate(candidates []Candidate) (personID int64, ok bool) {
	var present []Candidate
	for _, c := range candidates {
		if !c.Away {
			present = append(present, c)
		}
	}
	if len(present) == 0 {
		return 0, false
	}
	best := slices.MinFunc(present, func(a, b Candidate) int {
		if a.OpenLoad != b.OpenLoad {
			return a.OpenLoad - b.OpenLoad
		}
		if c := a.LastAssigned.Compare(b.LastAssigned); c != 0 {
			return c
		}
		return int(a.PersonID - b.PersonID)
	})
	return best.PersonID, true
}

// ResponseTime is how fast a specialism's queue answers.
type ResponseTime struct {
	Specialism  string   `json:"specialism"`
	Answered    int      `json:"answered"`
	Open        int      `json:"open"`
	MedianHours *float64 `json:"median_hours"`   // null when nothing was answered
	Within1Day  *float64 `json:"within_one_day"` // share answered within 24 hours
}

// ResponseTimes summarises the time to answer of each queue's requests.
func ResponseTimes(requests []HelpRequest) []ResponseTime {
	by := map[string][]HelpRequest{}
	var codes []string
	for _, r := range requests {
		if _, seen := by[r.Specialism]; !seen {
			codes = append(codes, r.Specialism)
		}
		by[r.Specialism] = append(by[r.Specialism], r)
	}
	slices.Sort(codes)
	out := make([]ResponseTime, 0, len(codes))
	for _, code := range codes {
		rt := ResponseTime{Specialism: code}
		var hours []float64
		within := 0
		for _, r := range by[code] {
			if r.AnsweredAt == nil {
				rt.Open++
				continue
			}
			h := r.AnsweredAt.Sub(r.CreatedAt).Hours()
			hours = append(hours, h)
			if h <= 24 {
				within++
			}
		}
		rt.Answered = len(hours)
		if len(hours) > 0 {
			slices.Sort(hours)
			m := hours[len(hours)/2]
			if len(hours)%2 == 0 {
				m = (hours[len(hours)/2-1] + hours[len(hours)/2]) / 2
			}
			share := float64(within) / float64(len(hours))
			rt.MedianHours, rt.Within1Day = &m, &share
		}
		out = append(out, rt)
	}
	return out
}

// MedianText is the median time to answer as a page shows it.
func (r ResponseTime) MedianText() string {
	if r.MedianHours == nil {
		return "none answered"
	}
	return strconv.FormatFloat(*r.MedianHours, 'f', 1, 64)
}

package risk

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"caseboard/internal/fault"
)

// Quarterly assurance: at each financial quarter's end the register is
// frozen as a snapshot, each unit head signs off their unit's part with
// their comments, and once every unit has, the Head of Division issues the
// divisional certificate of assurance. Nothing of it changes once written.

// Snapshot is the register as it stood at a quarter's end.
type Snapshot struct {
	ID      int64     `json:"id"`
	Quarter string    `json:"quarter"` // "2018-19-Q2"
	AsAt    time.Time `json:"as_at"`   // the quarter's last day
	TakenBy int64     `json:"taken_by"`
	// TakenByName is resolved for display.
	TakenByName string                `json:"taken_by_name,omitempty"`
	TakenAt     time.Time             `json:"taken_at"`
	Units       []SnapshotUnit        `json:"units"`
	Risks       []Risk                `json:"risks,omitempty"`
	Certificate *AssuranceCertificate `json:"certificate"`
}

// SnapshotUnit is one unit's part of a snapshot and its sign-off, if given.
type SnapshotUnit struct {
	UnitID   int64    `json:"unit_id"`
	UnitCode string   `json:"unit_code"`
	UnitName string   `json:"unit_name"`
	Risks    int      `json:"risks"`
	SignOff  *SignOff `json:"sign_off"`
}

// SignOff is a unit head's word on their unit's part of a snapshot.
type SignOff struct {
	UnitID     int64     `json:"unit_id"`
	SignedBy   int64     `json:"signed_by"`
	SignedName string    `json:"signed_by_name,omitempty"`
	SignedAt   time.Time `json:"signed_at"`
	Comments   string    `json:"comments"`
}

// AssuranceCertificate is the Head of Division's certificate for a quarter.
type AssuranceCertificate struct {
	IssuedBy   int64     `json:"issued_by"`
	IssuedName string    `json:"issued_by_name,omitempty"`
	IssuedAt   time.Time `json:"issued_at"`
	Statement  string    `json:"statement"`
}

// Outstanding lists the units still to sign off.
func (s Snapshot) Outstanding() []SnapshotUnit {
	var out []SnapshotUnit
	for _, u := range s.Units {
		if u.SignOff == nil {
			out = append(out, u)
		}
	}
	return out
}

// Unit returns the snapshot's part for a unit.
func (s Snapshot) Unit(unitID int64) (SnapshotUnit, bool) {
	for _, u := range s.Units {
		if u.UnitID == unitID {
			return u, true
		}
	}
	return SnapshotUnit{}, false
}

// RisksOf lists the snapshot's risks of one unit, as stored (highest
// current score first).
func (s Snapshot) RisksOf(unitID int64) []Risk {
	var out []Risk
	for _, r := range s.Risks {
		if r.UnitID == unitID {
			out = append(out, r)
		}
	}
	return out
}

var quarterPattern = regexp.MustCompile(`^(\d{4})-(\d{2})[- ]?Q([1-4])$`)

// ParseQuarter reads a financial quarter written as "2018-19-Q2" (or
// "2018-19 Q2", as the trends view labels it) and returns its first day
// and the first day after it. Q1 is April to June.
func ParseQuarter(s string) (start, end time.Time, err error) {
	m := quarterPattern.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(s)))
	bad := &fault.Error{Code: fault.Invalid, Message: "There is no such quarter",
		Fields: []fault.FieldError{{Field: "quarter", Message: "Write the financial quarter as 2018-19-Q2: the year it starts, the next year's last two digits, and Q1 to Q4 (Q1 is April to June)"}}}
	if m == nil {
		return start, end, bad
	}
	year, _ := strconv.Atoi(m[1])
	next, _ := strconv.Atoi(m[2])
	q, _ := strconv.Atoi(m[3])
	if (year+1)%100 != next || year < 2000 || year > 2100 {
		return start, end, bad
	}
	start = time.Date(year, time.Month(4+3*(q-1)), 1, 0, 0, 0, 0, time.UTC)
	return start, start.AddDate(0, 3, 0), nil
}

// QuarterKey writes the financial quarter containing t as "2018-19-Q2".
func QuarterKey(t time.Time) string {
	y, m := t.Year(), int(t.Month())
	if m < 4 {
		y--
	}
	return fmt.Sprintf("%d-%02d-Q%d", y, (y+1)%100, ((m-4+12)%12)/3+1)
}

// CheckSnapshotQuarter refuses a quarter that has not ended by today: a
// snapshot is of a quarter's end.
func CheckSnapshotQuarter(quarter string, today time.Time) (key string, asAt time.Time, err error) {
	start, end, err := ParseQuarter(quarter)
	if err != nil {
		return "", asAt, err
	}
	if day(today).Before(end) {
		return "", asAt, &fault.Error{Code: fault.Invalid, Message: "The quarter has not ended",
			Fields: []fault.FieldError{{Field: "quarter", Message: fmt.Sprintf("%s ends on %s: take its snapshot from the day after",
				QuarterKey(start), end.AddDate(0, 0, -1).Format("2 January 2006"))}}}
	}
	return QuarterKey(start), end.AddDate(0, 0, -1), nil
}

// CheckSignOff checks a unit head's comments: required, so that a
// sign-off is always someone's considered word.
func CheckSignOff(s *SignOff) error {
	s.Comments = strings.TrimSpace(s.Comments)
	var v fault.Validation
	switch {
	case s.Comments == "":
		v.Add("comments", "Enter your comments on the unit's risks this quarter: what changed, what worries you, what you rely on")
	case len(s.Comments) > 4000:
		v.Add("comments", "Comments must be 4,000 characters or fewer")
	}
	if s.UnitID <= 0 {
		v.Add("unit_id", "Choose the unit you are signing off")
	}
	return v.Err("The sign-off could not be recorded")
}

// CheckCertificate checks the Head of Division's statement.
func CheckCertificate(c *AssuranceCertificate) error {
	c.Statement = strings.TrimSpace(c.Statement)
	var v fault.Validation
	switch {
	case c.Statement == "":
		v.Add("statement", "Enter the statement of assurance: what the division's risk management showed this quarter")
	case len(c.Statement) > 8000:
		v.Add("statement", "The statement must be 8,000 characters or fewer")
	}
	return v.Err("The certificate could not be issued")
}

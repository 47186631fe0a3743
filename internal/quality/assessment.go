package quality

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"caseboard/internal/fault"
)

// Kind separates an assessment from a blind re-mark of one.
type Kind string

const (
	// IQA is an individual quality assessment by the assessed person's
	// line management, which the person sees and acknowledges.
	IQA Kind = "iqa"
	// Remark is a second assessor's blind re-mark of a sampled IQA, for
	// calibration; the assessed person does not see it.
	Remark Kind = "remark"
)

// Mark is the answer to one question, with what the assessor wrote.
type Mark struct {
	Question string `json:"question"`
	Answer   Answer `json:"answer"`
	Comment  string `json:"comment,omitempty"`
}

// Assessment is one assessment of a person's work on a case.
type Assessment struct {
	ID              int64      `json:"id"`
	Kind            Kind       `json:"kind"`
	RemarkOf        *int64     `json:"remark_of,omitempty"`
	AssessedID      int64      `json:"assessed_id"`
	AssessorID      int64      `json:"assessor_id"`
	CaseID          int64      `json:"case_id"`
	UnitID          int64      `json:"unit_id"` // the assessed person's unit when assessed
	Activity        Activity   `json:"activity"`
	TemplateVersion int        `json:"template_version"`
	AssessedOn      time.Time  `json:"assessed_on"`
	Marks           []Mark     `json:"marks"`
	Feedback        string     `json:"feedback"`
	AcknowledgedAt  *time.Time `json:"acknowledged_at"`
	Version         int        `json:"version"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`

	// Resolved for display; not stored on the assessment.
	AssessedName  string `json:"assessed_name,omitempty"`
	AssessorName  string `json:"assessor_name,omitempty"`
	CaseReference string `json:"case_reference,omitempty"`
}

// Revision is an earlier version of an assessment, kept when it changes.
type Revision struct {
	Version   int       `json:"version"`
	Marks     []Mark    `json:"marks"`
	Feedback  string    `json:"feedback"`
	Reason    string    `json:"reason"`
	RevisedBy int64     `json:"revised_by"`
	RevisedAt time.Time `json:"revised_at"`
}

// maxText bounds free text: feedback, comments, reasons.
const maxText = 5000

// Validate checks an assessment against its template version: every mark
// answers a question of that version, once, on the scale; every question
// is answered. Who may assess whom is CheckAssessor's to say.
func (a *Assessment) Validate() error {
	var v fault.Validation
	if !a.Activity.Valid() {
		v.Add("activity", "Choose legal casework, legal advocacy or paralegal casework")
		return v.Err("The assessment could not be saved")
	}
	if a.Kind == "" {
		a.Kind = IQA
	}
	if a.Kind != IQA && a.Kind != Remark {
		v.Add("kind", "An assessment is an IQA or a re-mark")
	}
	if a.AssessedID == 0 {
		v.Add("assessed_id", "Choose the person assessed")
	}
	if a.CaseID == 0 {
		v.Add("case_id", "Choose the case the assessment is of")
	}
	if a.AssessedOn.IsZero() {
		v.Add("assessed_on", "Enter the date of the assessment")
	}
	if a.AssessedID != 0 && a.AssessedID == a.AssessorID {
		v.Add("assessed_id", "You cannot assess your own work: your line manager assesses it")
	}
	t, err := TemplateFor(a.Activity, a.TemplateVersion)
	if err != nil {
		v.Add("template_version", fault.As(err).Fields[0].Message)
		return v.Err("The assessment could not be saved")
	}
	seen := map[string]bool{}
	for _, m := range a.Marks {
		field := "answer_" + m.Question
		switch {
		case !t.Has(m.Question):
			v.Add(field, fmt.Sprintf("Question %q is not in version %d of the %s template", m.Question, t.Version, t.Activity.Label()))
		case seen[m.Question]:
			v.Add(field, fmt.Sprintf("Question %q is answered twice", m.Question))
		case !m.Answer.Valid():
			v.Add(field, "Choose fully meets, partially meets, not met or not applicable")
		case len(m.Comment) > maxText:
			v.Add("comment_"+m.Question, "The comment must be 5,000 characters or fewer")
		}
		seen[m.Question] = true
	}
	for _, q := range t.Questions {
		if !seen[q.Code] {
			v.Add("answer_"+q.Code, "Answer: "+q.Text)
		}
	}
	if len(a.Feedback) > maxText {
		v.Add("feedback", "Feedback must be 5,000 characters or fewer")
	}
	a.Feedback = strings.TrimSpace(a.Feedback)
	a.OrderMarks()
	return v.Err("The assessment could not be saved")
}

// OrderMarks puts the marks in the order their template asks the
// questions, so every view of an assessment reads alike.
func (a *Assessment) OrderMarks() {
	t, err := TemplateFor(a.Activity, a.TemplateVersion)
	if err != nil {
		return
	}
	position := func(code string) int {
		return slices.IndexFunc(t.Questions, func(q Question) bool { return q.Code == code })
	}
	slices.SortStableFunc(a.Marks, func(x, y Mark) int { return position(x.Question) - position(y.Question) })
}

// Assessor is what the rules need to know of the person assessing.
type Assessor struct {
	PersonID int64
	// Reports is everyone the assessor line-manages, directly or not.
	Reports []int64
}

// Assessed is what the rules need to know of the person assessed.
type Assessed struct {
	PersonID   int64
	Profession string // "legal", "paralegal", ...
}

// CheckAssessor decides whether the assessor may make an IQA of the
// person for the activity: never of themselves, only of someone they
// line-manage, and only for an activity of the person's profession.
// Errors: Invalid (self, wrong activity), Forbidden (not their report).
func CheckAssessor(by Assessor, of Assessed, activity Activity) error {
	if by.PersonID == of.PersonID {
		return invalid("assessed_id", "You cannot assess your own work: your line manager assesses it")
	}
	if !slices.Contains(by.Reports, of.PersonID) {
		return fault.Errorf(fault.Forbidden, "You may assess only people you line-manage")
	}
	if activity.Profession() != of.Profession {
		return invalid("activity", fmt.Sprintf("%s is assessed of %s staff; this person is not", activity.Label(), activity.Profession()))
	}
	return nil
}

// CheckRevision decides whether an assessment may be changed, and how.
// An unacknowledged assessment may be corrected by its assessor; one the
// person has acknowledged is never changed in place: the change makes a
// new version, which needs a reason, and asks for acknowledgement again.
// Errors: Forbidden (not the assessor), Invalid (no reason).
func CheckRevision(a Assessment, by int64, reason string) error {
	if a.AssessorID != by {
		return fault.Errorf(fault.Forbidden, "Only the assessor may change an assessment")
	}
	reason = strings.TrimSpace(reason)
	if a.AcknowledgedAt != nil && reason == "" {
		return invalid("reason", "The assessment has been acknowledged: give the reason for the new version")
	}
	if len(reason) > maxText {
		return invalid("reason", "The reason must be 5,000 characters or fewer")
	}
	return nil
}

// CheckAcknowledgement decides whether a person may acknowledge an
// assessment: only the person assessed, only an IQA, only once per version.
// Errors: Forbidden, Conflict.
func CheckAcknowledgement(a Assessment, by int64) error {
	if a.Kind != IQA || a.AssessedID != by {
		return fault.Errorf(fault.Forbidden, "Only the person assessed may acknowledge an assessment")
	}
	if a.AcknowledgedAt != nil {
		return fault.Errorf(fault.Conflict, "You have already acknowledged this version of the assessment")
	}
	return nil
}

func invalid(field, message string) error {
	return &fault.Error{Code: fault.Invalid, Message: message, Fields: []fault.FieldError{{Field: field, Message: message}}}
}

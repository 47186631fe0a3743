package pack

import (
	"fmt"
	"strings"
	"time"

	"caseboard/internal/measure"
	"caseboard/internal/pdfdoc"
)

// Review is the Board's quarterly performance review pack for the
// division: the quarter's headline measures, the exceptions with their
// commentary, the top risks and the recommendations' progress. A draft is
// computed whenever it is read; an issued pack is what was printed.
type Review struct {
	Quarter      string    `json:"quarter"` // 2018-19-Q2
	QuarterLabel string    `json:"quarter_label"`
	Start        time.Time `json:"start"`
	End          time.Time `json:"end"`
	// Generated is when the figures were read: the issue's moment for an
	// issued pack.
	Generated       time.Time  `json:"generated"`
	Issued          *Issue     `json:"issued"` // nil while a draft
	Measures        []Headline `json:"measures"`
	Risks           []Risk     `json:"risks"`
	RisksAsAt       time.Time  `json:"risks_as_at"`
	Recommendations Progress   `json:"recommendations"`
}

// Issue is when a pack was issued and by whom.
type Issue struct {
	Quarter string    `json:"quarter"`
	At      time.Time `json:"at"`
	By      string    `json:"by"`
}

// Exceptions are the measures outside their tolerance or their control
// limits.
func (r Review) Exceptions() []Headline {
	var out []Headline
	for _, h := range r.Measures {
		if h.Exception() {
			out = append(out, h)
		}
	}
	return out
}

// Uncommented names the exceptions no one has commented on yet: a pack
// goes to the Board only when every exception is explained.
func (r Review) Uncommented() []string {
	var out []string
	for _, h := range r.Exceptions() {
		if h.Commentary == nil {
			out = append(out, h.Name)
		}
	}
	return out
}

// TopRisks is how many risks the pack lists.
const TopRisks = 5

// Risk is one of the register's highest-scored live risks.
type Risk struct {
	Reference string `json:"reference"`
	Title     string `json:"title"`
	Unit      string `json:"unit"`
	Owner     string `json:"owner"`
	Score     int    `json:"score"`
	Band      string `json:"band"`
	Status    string `json:"status"`
	Escalated bool   `json:"escalated"`
}

// Progress is the inspection recommendations' progress: the Board view's
// totals and its open recommendations.
type Progress struct {
	Open                 int              `json:"open"`
	ClosedImplemented    int              `json:"closed_implemented"`
	ClosedNotImplemented int              `json:"closed_not_implemented"`
	Actions              int              `json:"actions"`
	ActionsDone          int              `json:"actions_done"`
	LateActions          int              `json:"late_actions"`
	Findings             []Recommendation `json:"findings"`
}

// Recommendation is an open recommendation or aspect for improvement.
type Recommendation struct {
	Name       string `json:"name"` // Recommendation 3
	Inspection string `json:"inspection"`
	Text       string `json:"text"`
	Owner      string `json:"owner"`
	Actions    int    `json:"actions"`
	Done       int    `json:"actions_done"`
	Late       int    `json:"actions_late"`
	RAG        string `json:"rag"`
}

// Title is the pack's title.
func (r Review) Title() string { return "Quarterly performance review: " + r.QuarterLabel }

// Standing says whether the pack is a draft or issued, and when.
func (r Review) Standing() string {
	if r.Issued == nil {
		return "Draft, not issued: the figures are as at " + r.Generated.Format("2 January 2006 15:04")
	}
	return "Issued " + r.Issued.At.Format("2 January 2006 15:04") + " by " + r.Issued.By
}

// ragFill colours a status cell as the dashboard does.
func ragFill(rag measure.RAG) (pdfdoc.Colour, bool) {
	switch rag {
	case measure.Green:
		return pdfdoc.Colour{R: 204, G: 226, B: 216}, true
	case measure.Amber:
		return pdfdoc.Colour{R: 255, G: 231, B: 191}, true
	case measure.Red:
		return pdfdoc.Colour{R: 244, G: 205, B: 198}, true
	}
	return pdfdoc.Colour{}, false
}

// lineColour is a trend line's colour by the latest status.
func lineColour(rag measure.RAG) pdfdoc.Colour {
	switch rag {
	case measure.Green:
		return pdfdoc.Colour{R: 0, G: 112, B: 60}
	case measure.Amber:
		return pdfdoc.Colour{R: 148, G: 74, B: 28}
	case measure.Red:
		return pdfdoc.Colour{R: 170, G: 43, B: 22}
	}
	return pdfdoc.Colour{R: 29, G: 112, B: 184}
}

// PDF prints the pack.
func (r Review) PDF() ([]byte, error) {
	doc := pdfdoc.New(pdfdoc.Options{Title: r.Title(), Subtitle: "The division, " + r.Start.Format("2 January 2006") +
		" to " + r.End.Format("2 January 2006") + ". " + r.Standing(), Generated: r.Generated})
	doc.Heading("Headline measures")
	doc.Paragraph("Each measure for the quarter against its target and against its benchmark: its own average and own best over the " +
		fmt.Sprint(TrendQuarters-1) + " quarters before. A measure outside its tolerance is an exception, below.")
	rows := make([][]string, 0, len(r.Measures))
	for _, h := range r.Measures {
		target := "None"
		if h.Target != nil {
			target = FormatValue(h.Format, &h.Target.Value)
		}
		best := "-"
		if h.Best != nil {
			best = FormatValue(h.Format, h.Best)
		}
		average := "-"
		if h.Average != nil {
			average = FormatValue(h.Format, h.Average)
		}
		rows = append(rows, []string{h.Name, FormatValue(h.Format, h.Value), target, h.Status, average, best})
	}
	doc.Table(pdfdoc.Table{
		Columns: []pdfdoc.Column{{Header: "Measure", Width: 4}, {Header: "Value", Width: 1.3, Right: true}, {Header: "Target", Width: 1.2, Right: true},
			{Header: "Status", Width: 1.7}, {Header: "Own average", Width: 1.4, Right: true}, {Header: "Own best", Width: 1.3, Right: true}},
		Rows: rows,
		Fill: func(row, col int) (pdfdoc.Colour, bool) {
			if col != 3 {
				return pdfdoc.Colour{}, false
			}
			return ragFill(r.Measures[row].RAG)
		},
	})

	doc.Heading("Exceptions")
	exceptions := r.Exceptions()
	doc.Paragraph("The measures outside their tolerance, or outside their statistical process control limits (mean ± 3σ over the last " +
		fmt.Sprint(TrendQuarters) + " quarters, as the trend charts draw them), each with its owner's commentary.")
	if len(exceptions) == 0 {
		doc.Paragraph("No measure is outside its tolerance or its control limits this quarter.")
	}
	for _, h := range exceptions {
		doc.Subheading(h.Name)
		target := "None"
		if h.Target != nil {
			target = FormatValue(h.Format, &h.Target.Value) + " (tolerance " + FormatValue(h.Format, &h.Target.Tolerance) + ")"
		}
		facts := [][2]string{{"Value", FormatValue(h.Format, h.Value)}, {"Target", target}, {"Status", h.Status}}
		if h.LowerLimit != nil {
			facts = append(facts, [2]string{"Control limits", FormatValue(h.Format, h.LowerLimit) + " to " + FormatValue(h.Format, h.UpperLimit)})
		}
		facts = append(facts, [2]string{"Exception", h.ExceptionReason()})
		doc.Facts(facts)
		if h.Commentary == nil {
			doc.Paragraph("No commentary has been given.")
			continue
		}
		doc.Paragraph("Commentary by " + h.Commentary.By + ", " + h.Commentary.At.Format("2 January 2006") + ": " + h.Commentary.Text)
	}
	if other := r.otherCommentary(); len(other) > 0 {
		doc.Subheading("Commentary on other measures")
		for _, h := range other {
			doc.Paragraph(h.Name + " (" + h.Commentary.By + ", " + h.Commentary.At.Format("2 January 2006") + "): " + h.Commentary.Text)
		}
	}

	doc.Heading("Top risks")
	doc.Paragraph("The " + fmt.Sprint(TopRisks) + " live risks with the highest current score in the register as at " +
		r.RisksAsAt.Format("2 January 2006") + ".")
	if len(r.Risks) == 0 {
		doc.Paragraph("The register holds no live risk.")
	} else {
		riskRows := make([][]string, 0, len(r.Risks))
		for _, k := range r.Risks {
			status := k.Status
			if k.Escalated {
				status += ", escalated"
			}
			riskRows = append(riskRows, []string{k.Reference, k.Title, k.Unit, k.Owner, fmt.Sprintf("%d %s", k.Score, k.Band), status})
		}
		doc.Table(pdfdoc.Table{Columns: []pdfdoc.Column{{Header: "Reference", Width: 1.3}, {Header: "Risk", Width: 4}, {Header: "Unit", Width: 1.6},
			{Header: "Owner", Width: 1.6}, {Header: "Score", Width: 1.3}, {Header: "Status", Width: 1.3}}, Rows: riskRows})
	}

	p := r.Recommendations
	doc.Heading("Recommendation progress")
	doc.Facts([][2]string{
		{"Open recommendations", fmt.Sprint(p.Open)},
		{"Closed, implemented", fmt.Sprint(p.ClosedImplemented)},
		{"Closed, not implemented", fmt.Sprint(p.ClosedNotImplemented)},
		{"Actions done", fmt.Sprintf("%d of %d", p.ActionsDone, p.Actions)},
		{"Late actions", fmt.Sprint(p.LateActions)},
	})
	if len(p.Findings) > 0 {
		findingRows := make([][]string, 0, len(p.Findings))
		for _, f := range p.Findings {
			findingRows = append(findingRows, []string{f.Name + ", " + f.Inspection, f.Text, f.Owner,
				fmt.Sprintf("%d of %d", f.Done, f.Actions), fmt.Sprint(f.Late), strings.ToUpper(f.RAG[:min(1, len(f.RAG))]) + f.RAG[min(1, len(f.RAG)):]})
		}
		doc.Table(pdfdoc.Table{Columns: []pdfdoc.Column{{Header: "Finding", Width: 2}, {Header: "Text", Width: 4}, {Header: "Owner", Width: 1.5},
			{Header: "Actions done", Width: 1.1, Right: true}, {Header: "Late", Width: 0.8, Right: true}, {Header: "Rating", Width: 1}}, Rows: findingRows,
			Fill: func(row, col int) (pdfdoc.Colour, bool) {
				if col != 5 {
					return pdfdoc.Colour{}, false
				}
				return ragFill(measure.RAG(p.Findings[row].RAG))
			}})
	}

	doc.NewPage()
	doc.Heading("Trends")
	doc.Paragraph("Each measure with a target over the last " + fmt.Sprint(TrendQuarters) + " quarters; the dashed line is the target.")
	doc.Charts(Charts(r.Measures, true), 3)
	return doc.Bytes()
}

// otherCommentary are the measures that are not exceptions and carry
// commentary.
func (r Review) otherCommentary() []Headline {
	var out []Headline
	for _, h := range r.Measures {
		if !h.Exception() && h.Commentary != nil {
			out = append(out, h)
		}
	}
	return out
}

// Charts draws each headline's trend; withTarget keeps only the measures
// with a target.
func Charts(headlines []Headline, withTarget bool) []pdfdoc.Chart {
	var out []pdfdoc.Chart
	for _, h := range headlines {
		if withTarget && h.Target == nil {
			continue
		}
		c := pdfdoc.Chart{Title: h.Name, Note: FormatValue(h.Format, h.Value), Colour: lineColour(h.RAG)}
		if h.Value != nil && h.Target != nil {
			c.Note += ", " + strings.ToLower(h.Status)
		}
		format := h.Format
		c.Format = func(v float64) string { return FormatValue(format, &v) }
		if h.Target != nil {
			target := h.Target.Value
			c.Target = &target
		}
		for _, p := range h.Series {
			c.Labels = append(c.Labels, p.Label)
			c.Values = append(c.Values, p.Value)
		}
		out = append(out, c)
	}
	return out
}

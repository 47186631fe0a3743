package knowledge

import (
	"fmt"
	"strings"
)

// AllocationNotice is the email telling a specialist that a question is
// theirs to answer. Like the daily digest it names the topic, the queue,
// the urgency and who asked, but not the question or the case: mail leaves
// the service, and the question is read where access is checked.
func AllocationNotice(h HelpRequest, baseURL string) (subject, body string) {
	subject = fmt.Sprintf("A question for you to answer by %s: %s", h.AnswerBy.Format("2 January 2006"), h.Topic)
	if h.Urgency == Immediate {
		subject = "Immediate: " + subject
	}
	var b strings.Builder
	fmt.Fprintf(&b, "A question to the %s queue has been allocated to you.\n\n", h.SpecialismName)
	fmt.Fprintf(&b, "Topic:      %s\n", h.Topic)
	fmt.Fprintf(&b, "Asked by:   %s\n", h.AskerName)
	fmt.Fprintf(&b, "Urgency:    %s\n", h.Urgency)
	fmt.Fprintf(&b, "Answer by:  %s\n\n", h.AnswerBy.Format("15:04 on 2 January 2006 (UTC)"))
	if baseURL != "" {
		fmt.Fprintf(&b, "Read and answer it at %s/knowledge/help#answer-%d\n", baseURL, h.ID)
	} else {
		b.WriteString("Read and answer it on the help page of caseboard.\n")
	}
	b.WriteString("\nIf you are away, set the date you are back on the help page and your open questions move to\nsomeone else on the queue.\n")
	return subject, b.String()
}

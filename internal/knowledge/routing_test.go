package knowledge_test

import (
	"strings"
	"testing"
	"time"

	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
)

func TestRoute(t *testing.T) {
	lead := int64(1)
	dir := []knowledge.Specialism{
		{Code: "cyber_crime", Name: "Cyber-crime", Tag: "cyber", HelpsWith: "Seizing cryptocurrency, servers abroad", LeadID: &lead},
		{Code: "money_laundering", Name: "Money laundering", Tag: "money-laundering", HelpsWith: "Confiscation and restraint", LeadID: &lead},
		{Code: "eaw", Name: "European arrest warrants", Tag: "eaw", HelpsWith: "Section 20, prison conditions", LeadID: &lead},
		{Code: "liaison_es", Name: "Liaison prosecutor", Country: "ES", HelpsWith: "Letters of request to Spanish courts", LeadID: &lead},
		{Code: "liaison_pl", Name: "Liaison prosecutor", Country: "PL", HelpsWith: "Prison conditions assurances", LeadID: &lead},
	}
	for _, tc := range []struct{ topic, want string }{
		{"Laundering through a bureau de change", "money_laundering"},
		{"Arrest warrant: trial in absence", "eaw"},
		{"Restraint order on a Spanish villa", "tie"},
		{"Evidence from Spain", "liaison_es"},
		{"MLA to ES authorities", "liaison_es"},
		{"cryptocurrency seizure", "cyber_crime"},
		{"EAW: prison conditions", "eaw"},
		{"Extradition to Poland", "liaison_pl"},
	} {
		got, err := knowledge.Route(tc.topic, dir)
		if tc.topic == "Restraint order on a Spanish villa" {
			// Two weak matches of one each: a tie, so the asker chooses.
			if fault.CodeOf(err) != fault.Invalid || !strings.Contains(fault.As(err).Fields[0].Message, "equally") {
				t.Errorf("%q: a tie routed to %+v (%v)", tc.topic, got, err)
			}
			continue
		}
		if err != nil || got.Code != tc.want || got.Reason == "" {
			t.Errorf("%q: %+v %v, want %s", tc.topic, got, err, tc.want)
		}
	}
	// Equal scores at the top are not broken by order: the asker chooses.
	for _, topic := range []string{"", "Help with the question", "it is in the es", "Horses", "EAW and prison conditions in Poland"} {
		_, err := knowledge.Route(topic, dir)
		fe := fault.As(err)
		if fe == nil || fe.Code != fault.Invalid || len(fe.Fields) != 1 || fe.Fields[0].Field != "specialism" {
			t.Errorf("%q: %v, want a request to choose", topic, err)
		}
	}
	if _, err := knowledge.Route("money laundering", nil); fault.CodeOf(err) != fault.Invalid {
		t.Errorf("an empty directory: %v", err)
	}
}

func TestAnswerBy(t *testing.T) {
	friday := time.Date(2026, 11, 20, 16, 30, 0, 0, time.UTC)
	for u, want := range map[knowledge.Urgency]string{
		knowledge.Immediate: "2026-11-20", knowledge.Urgent: "2026-11-23", knowledge.Routine: "2026-11-27",
	} {
		if got := knowledge.AnswerBy(friday, u).Format("2006-01-02"); got != want {
			t.Errorf("%s asked on a Friday: %s, want %s", u, got, want)
		}
	}
}

package knowledge_test

import (
	"testing"
	"time"

	"caseboard/internal/fault"
	"caseboard/internal/knowledge"
)

func TestAllocate(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		cands []knowledge.Candidate
		want  int64
		ok    bool
	}{
		{"Nobody", nil, 0, false},
		{"EveryoneAway", []knowledge.Candidate{{PersonID: 1, Away: true}}, 0, false},
		{"FewestOpen", []knowledge.Candidate{{PersonID: 1, OpenLoad: 3}, {PersonID: 2, OpenLoad: 1}, {PersonID: 3, OpenLoad: 2}}, 2, true},
		{"AwaySkipped", []knowledge.Candidate{{PersonID: 1, OpenLoad: 0, Away: true}, {PersonID: 2, OpenLoad: 5}}, 2, true},
		{"RoundRobinOnTies", []knowledge.Candidate{{PersonID: 1, OpenLoad: 1, LastAssigned: t0.Add(time.Hour)}, {PersonID: 2, OpenLoad: 1, LastAssigned: t0}}, 2, true},
		{"NeverAssignedFirst", []knowledge.Candidate{{PersonID: 1, OpenLoad: 0, LastAssigned: t0}, {PersonID: 2, OpenLoad: 0}}, 2, true},
		{"LowestIDLast", []knowledge.Candidate{{PersonID: 9}, {PersonID: 4}}, 4, true},
	} {
		got, ok := knowledge.Allocate(tc.cands)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: %d %v, want %d %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
	// Over many requests with nobody answering, allocation shares them
	// evenly: the loads never differ by more than one.
	cands := []knowledge.Candidate{{PersonID: 1}, {PersonID: 2}, {PersonID: 3, Away: true}, {PersonID: 4}}
	for i := 0; i < 30; i++ {
		id, _ := knowledge.Allocate(cands)
		for j := range cands {
			if cands[j].PersonID == id {
				cands[j].OpenLoad++
				cands[j].LastAssigned = t0.Add(time.Duration(i) * time.Minute)
			}
		}
	}
	if cands[0].OpenLoad != 10 || cands[1].OpenLoad != 10 || cands[2].OpenLoad != 0 || cands[3].OpenLoad != 10 {
		t.Fatalf("loads %+v", cands)
	}
}

func TestHelpRequestValidate(t *testing.T) {
	h := knowledge.HelpRequest{Urgency: "whenever"}
	fe := fault.As(h.Validate())
	for _, f := range []string{"topic", "question", "urgency"} {
		if fe == nil || fe.FieldMessage(f) == "" {
			t.Errorf("no message for %s", f)
		}
	}
	if fe.FieldMessage("specialism") != "" {
		t.Error("the specialism may be left for the topic to choose")
	}
	ok := knowledge.HelpRequest{Specialism: "eaw", Topic: "Section 20", Question: "Is a retrial right enough?", CaseRef: " ex/1 "}
	if err := ok.Validate(); err != nil || ok.Urgency != knowledge.Routine || ok.CaseRef != "EX/1" {
		t.Fatalf("%+v %v", ok, err)
	}
}

func TestResponseTimes(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	at := func(h float64) *time.Time { x := t0.Add(time.Duration(h * float64(time.Hour))); return &x }
	rts := knowledge.ResponseTimes([]knowledge.HelpRequest{
		{Specialism: "mla", CreatedAt: t0, AnsweredAt: at(2)}, {Specialism: "mla", CreatedAt: t0, AnsweredAt: at(30)},
		{Specialism: "mla", CreatedAt: t0, AnsweredAt: at(10)}, {Specialism: "mla", CreatedAt: t0},
		{Specialism: "eaw", CreatedAt: t0},
	})
	if len(rts) != 2 || rts[0].Specialism != "eaw" || rts[0].MedianHours != nil || rts[0].Open != 1 {
		t.Fatalf("eaw: %+v", rts)
	}
	m := rts[1]
	if rts[0].MedianText() != "none answered" || m.MedianText() != "10.0" {
		t.Errorf("median text %q %q", rts[0].MedianText(), m.MedianText())
	}
	if m.Answered != 3 || m.Open != 1 || *m.MedianHours != 10 || *m.Within1Day != 2.0/3 {
		t.Fatalf("mla: %+v %v %v", m, *m.MedianHours, *m.Within1Day)
	}
}

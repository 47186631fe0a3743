package casework_test

import (
	"testing"

	"caseboard/internal/casework"
)

func TestReviewValidate(t *testing.T) {
	today := civil("2018-06-10")
	alice, bob := int64(1), int64(2)
	good := func() casework.CaseReview {
		return casework.CaseReview{Kind: casework.LocalPanel, Held: civil("2018-06-01"), Members: "Unit head, case lawyer", Summary: "Disclosure volume",
			Actions: []casework.ReviewAction{{Description: "Instruct disclosure counsel", Due: civil("2018-06-15")}}}
	}
	for name, tc := range map[string]struct {
		change func(*casework.CaseReview)
		fields []string
	}{
		"Good":         {func(*casework.CaseReview) {}, nil},
		"GoodHandover": {func(r *casework.CaseReview) { r.Kind, r.FromLawyerID, r.ToLawyerID = casework.Handover, &alice, &bob }, nil},
		"GoodDebriefShared": {func(r *casework.CaseReview) {
			r.Kind, r.Learning, r.ShareWithAgency = casework.Debrief, "Earlier counsel", true
		}, nil},
		"ErrKind":             {func(r *casework.CaseReview) { r.Kind = "seance" }, []string{"kind"}},
		"ErrFuture":           {func(r *casework.CaseReview) { r.Held = civil("2018-06-11") }, []string{"held"}},
		"ErrNoSummary":        {func(r *casework.CaseReview) { r.Summary = " " }, []string{"summary"}},
		"ErrAdverseNoLesson":  {func(r *casework.CaseReview) { r.Kind = casework.AdverseOutcome }, []string{"learning"}},
		"ErrHandoverNoOne":    {func(r *casework.CaseReview) { r.Kind = casework.Handover }, []string{"to_lawyer_id"}},
		"ErrHandoverToSelf":   {func(r *casework.CaseReview) { r.Kind, r.FromLawyerID, r.ToLawyerID = casework.Handover, &alice, &alice }, []string{"to_lawyer_id"}},
		"ErrPanelShared":      {func(r *casework.CaseReview) { r.ShareWithAgency = true }, []string{"share_with_agency"}},
		"ErrActionBeforeHeld": {func(r *casework.CaseReview) { r.Actions[0].Due = civil("2018-05-31") }, []string{"actions"}},
		"ErrActionNoWords":    {func(r *casework.CaseReview) { r.Actions[0].Description = "" }, []string{"actions"}},
	} {
		t.Run(name, func(t *testing.T) {
			r := good()
			tc.change(&r)
			wantFields(t, r.Validate(today), tc.fields...)
		})
	}
}

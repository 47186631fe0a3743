package cli

import (
	"context"
	"fmt"
	"time"

	"caseboard/internal/demo"
	"caseboard/internal/org"
	"caseboard/internal/quality"
	"caseboard/internal/store"
)

// loadDemoQuality loads the demo's year of IQAs and blind re-marks, in one
// transaction and one audit entry.
func loadDemoQuality(ctx context.Context, env Env, db *store.DB, chart org.Chart, seed int64) error {
	now := time.Now().UTC()
	specs := demo.Assessments(chart, demo.LiveCases(chart, seed, now), seed, now)
	caseIDs, err := db.CaseIDsByReference(ctx)
	if err != nil {
		return err
	}
	people := map[string]org.Person{}
	person := func(email string) (org.Person, error) {
		if p, ok := people[email]; ok {
			return p, nil
		}
		p, err := db.PersonByEmail(ctx, email)
		people[email] = p
		return p, err
	}
	batch := make([]quality.Assessment, 0, len(specs))
	for i, s := range specs {
		a := s.Assessment
		assessed, err := person(s.AssessedEmail)
		if err != nil {
			return fmt.Errorf("assessment %d: %w", i+1, err)
		}
		assessor, err := person(s.AssessorEmail)
		if err != nil {
			return fmt.Errorf("assessment %d: %w", i+1, err)
		}
		a.AssessedID, a.AssessorID, a.UnitID, a.CaseID = assessed.ID, assessor.ID, assessed.UnitID, caseIDs[s.CaseReference]
		if s.RemarkOf > 0 {
			original := int64(s.RemarkOf)
			a.RemarkOf = &original
		}
		batch = append(batch, a)
	}
	if err := db.LoadAssessments(ctx, batch, fmt.Sprintf("demo assessments, seed %d", seed)); err != nil {
		return err
	}
	remarks := 0
	for _, a := range batch {
		if a.Kind == quality.Remark {
			remarks++
		}
	}
	fmt.Fprintf(env.Stdout, "loaded the demo's year of quality assessments: %d IQAs and %d blind re-marks (the leader of %s marks leniently)\n",
		len(batch)-remarks, remarks, demo.LenientAssessor)
	return nil
}

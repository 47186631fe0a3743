package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"caseboard/internal/access"
	"caseboard/internal/deadline"
	"caseboard/internal/demo"
	"caseboard/internal/knowledge"
	"caseboard/internal/org"
	"caseboard/internal/store"
)

// loadDemoKnowledge writes the demo repository through the same store
// methods people use: each article is written by a lawyer of its unit and
// approved by a reviewer of the unit who is not its author. Publication is
// dated in the past by moving the store's clock back while it is written,
// so some articles are overdue for review as a real repository's are.
func loadDemoKnowledge(ctx context.Context, db *store.DB, chart org.Chart, seed int64) (int, error) {
	writers, reviewers := map[string][]string{}, map[string][]string{}
	unitOf := map[string]string{}
	for _, p := range chart.People {
		unitOf[p.Email] = p.UnitCode
	}
	for _, a := range chart.Accounts {
		unit := unitOf[a.Email]
		if slices.Contains(a.Roles, string(access.Reviewer)) {
			reviewers[unit] = append(reviewers[unit], a.Email)
		} else if slices.Contains(a.Roles, string(access.CaseLawyer)) {
			writers[unit] = append(writers[unit], a.Email)
		}
	}
	units, err := db.Units(ctx)
	if err != nil {
		return 0, err
	}
	unitIDs := map[string]int64{}
	for _, u := range units {
		unitIDs[u.Code] = u.ID
	}
	partners, err := db.Partners(ctx)
	if err != nil {
		return 0, err
	}
	var nca int64
	for _, p := range partners {
		if p.Code == "nca" {
			nca = p.ID
		}
	}
	principals := map[string]*access.Principal{}
	principal := func(email string) (*access.Principal, error) {
		if p, ok := principals[email]; ok {
			return p, nil
		}
		a, err := db.AccountByEmail(ctx, email)
		if err != nil {
			return nil, err
		}
		p, err := db.Principal(ctx, a.PersonID)
		principals[email] = p
		return p, err
	}
	clock := db.Now
	defer func() { db.Now = clock }()
	now := clock()
	ids := map[string]int64{}
	articles := demo.Knowledge(seed)
	for i, ka := range articles {
		if len(writers[ka.UnitCode]) == 0 || len(reviewers[ka.UnitCode]) == 0 {
			return 0, fmt.Errorf("demo article %q: unit %s has no writer or no reviewer", ka.Article.Title, ka.UnitCode)
		}
		author, err := principal(writers[ka.UnitCode][i%len(writers[ka.UnitCode])])
		if err != nil {
			return 0, err
		}
		reviewer, err := principal(reviewers[ka.UnitCode][i%len(reviewers[ka.UnitCode])])
		if err != nil {
			return 0, err
		}
		a := ka.Article
		a.UnitID = unitIDs[ka.UnitCode]
		if ka.Parent != "" {
			parent := ids[ka.Parent]
			a.ParentID = &parent
		}
		if ka.SharedWithNCA && nca != 0 {
			a.Sharing, a.PartnerIDs = knowledge.Partners, []int64{nca}
		}
		at := now.AddDate(0, 0, -ka.AgeDays)
		db.Now = func() time.Time { return at }
		if err := db.CreateArticle(ctx, author, &a); err != nil {
			return 0, fmt.Errorf("demo article %q: %w", a.Title, err)
		}
		ids[ka.Key] = a.ID
		step := func(p *access.Principal, action string, day time.Time) error {
			db.Now = func() time.Time { return day }
			_, err := db.TransitionArticle(ctx, p, a.ID, store.Transition{Action: action, Today: deadline.DateOf(day)})
			if err != nil {
				return fmt.Errorf("demo article %q: %s: %w", a.Title, action, err)
			}
			return nil
		}
		if ka.State == "draft" {
			continue
		}
		if err := step(author, "submit", at); err != nil {
			return 0, err
		}
		if ka.State == "in_review" {
			continue
		}
		if err := step(reviewer, "approve", at.Add(time.Hour)); err != nil {
			return 0, err
		}
		if ka.Revision != "" {
			later := at.AddDate(0, 0, ka.AgeDays/2)
			db.Now = func() time.Time { return later }
			current, err := db.Article(ctx, author, a.ID)
			if err != nil {
				return 0, err
			}
			current.Body = ka.Revision
			if _, err := db.UpdateArticle(ctx, author, store.ArticleChange{Article: current, Note: "Added what the court has accepted since"}); err != nil {
				return 0, fmt.Errorf("demo article %q: revise: %w", a.Title, err)
			}
			if err := step(author, "submit", later); err != nil {
				return 0, err
			}
			if err := step(reviewer, "approve", later.Add(time.Hour)); err != nil {
				return 0, err
			}
		}
		if ka.State == "archived" {
			if err := step(author, "archive", now); err != nil {
				return 0, err
			}
		}
	}
	db.Now = clock
	for i, g := range demo.KnowledgeGaps() {
		asker, err := principal(writers[g.AskerUnit][i%len(writers[g.AskerUnit])])
		if err != nil {
			return 0, err
		}
		gap := knowledge.Gap{Topic: g.Topic, Detail: g.Detail, UnitID: unitIDs[g.UnitCode]}
		if err := db.RequestGuidance(ctx, asker, &gap); err != nil {
			return 0, fmt.Errorf("demo request for guidance %q: %w", g.Topic, err)
		}
	}
	if err := loadDemoDirectory(ctx, db, chart, principal); err != nil {
		return 0, err
	}
	if err := loadDemoHelp(ctx, db, writers["organised_crime"], principal, now); err != nil {
		return 0, err
	}
	db.Now = clock
	return len(articles), nil
}

// loadDemoDirectory fills the national leads and specialisms directory:
// each subject led by a policy adviser with the senior policy adviser as
// deputy, and each overseas post's prosecutors as its country's liaison.
func loadDemoDirectory(ctx context.Context, db *store.DB, chart org.Chart, principal func(string) (*access.Principal, error)) error {
	admin, err := principal("admin@caseboard.example")
	if err != nil {
		return err
	}
	ids := map[string]int64{}
	id := func(email string) (*int64, error) {
		if v, ok := ids[email]; ok {
			return &v, nil
		}
		p, err := db.PersonByEmail(ctx, email)
		ids[email] = p.ID
		return &p.ID, err
	}
	var advisers, senior []string
	atPost := map[string][]string{}
	for _, p := range chart.People {
		switch {
		case p.Grade == "policy_adviser":
			advisers = append(advisers, p.Email)
		case p.Grade == "senior_policy_adviser":
			senior = append(senior, p.Email)
		case strings.HasPrefix(p.LocationCode, "post_"):
			atPost[p.LocationCode] = append(atPost[p.LocationCode], p.Email)
		}
	}
	for i, lead := range demo.NationalLeads() {
		if len(advisers) == 0 {
			break
		}
		sp := knowledge.Specialism{Code: lead.Code, Name: lead.Name, HelpsWith: lead.HelpsWith, Tag: lead.Tag,
			Contact: "The Strategy and Policy mailbox, or the lead directly; urgent matters by phone through the duty rota"}
		if sp.LeadID, err = id(advisers[i%len(advisers)]); err != nil {
			return err
		}
		if len(senior) > 0 {
			if sp.DeputyID, err = id(senior[0]); err != nil {
				return err
			}
		}
		if err := db.SaveSpecialism(ctx, admin, &sp); err != nil {
			return fmt.Errorf("demo directory %s: %w", sp.Code, err)
		}
	}
	locations, err := db.Locations(ctx)
	if err != nil {
		return err
	}
	for _, l := range locations {
		people := atPost[l.Code]
		if len(people) == 0 || l.Country == "" {
			continue
		}
		sp := knowledge.Specialism{Code: "liaison_" + strings.ToLower(l.Country), Name: "Liaison prosecutor: " + l.Name, Country: l.Country,
			Contact: "Through the embassy; allow for the time difference", Tag: "jurisdiction",
			HelpsWith: "Requests to and from the country's authorities, its law and procedure, urgent contact with its prosecutors"}
		if sp.LeadID, err = id(people[0]); err != nil {
			return err
		}
		if len(people) > 1 {
			if sp.DeputyID, err = id(people[1]); err != nil {
				return err
			}
		}
		if err := db.SaveSpecialism(ctx, admin, &sp); err != nil {
			return fmt.Errorf("demo directory %s: %w", sp.Code, err)
		}
	}
	return nil
}

// loadDemoHelp asks the national leads a few questions over the last days
// and answers some of them, so the queues and their response times show.
func loadDemoHelp(ctx context.Context, db *store.DB, askers []string, principal func(string) (*access.Principal, error), now time.Time) error {
	if len(askers) == 0 {
		return nil
	}
	for i, q := range demo.HelpQuestions() {
		asker, err := principal(askers[i%len(askers)])
		if err != nil {
			return err
		}
		asked := now.Add(-time.Duration(q.AgeHours) * time.Hour)
		db.Now = func() time.Time { return asked }
		h := knowledge.HelpRequest{Specialism: q.Specialism, Topic: q.Topic, Question: q.Question, Urgency: knowledge.Urgency(q.Urgency)}
		if err := db.AskForHelp(ctx, asker, &h, deadline.DateOf(asked)); err != nil {
			return fmt.Errorf("demo help request %q: %w", q.Topic, err)
		}
		if q.Answer == "" || h.AssigneeID == nil {
			continue
		}
		person, err := db.Person(ctx, *h.AssigneeID)
		if err != nil {
			return err
		}
		answerer, err := principal(person.Email)
		if err != nil {
			return err
		}
		answered := asked.Add(time.Duration(q.AnswerHours) * time.Hour)
		db.Now = func() time.Time { return answered }
		if _, err := db.AnswerHelp(ctx, answerer, h.ID, q.Answer, false); err != nil {
			return fmt.Errorf("demo answer %q: %w", q.Topic, err)
		}
	}
	return nil
}

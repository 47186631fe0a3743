package demo

import (
	"time"

	"caseboard/internal/plan"
)

// The demo's inspections: the January 2019 HMCPSI inspection of the
// division (its seven recommendations, one aspect for improvement and
// three good practices, text as the report prints it) and the March 2021
// HMCPSI review of Complex Casework Units (its three recommendations with
// the CPS's published responses, read across to this division). Both are
// Open Government Licence. The 2019 report carries no responses, so none
// is invented for it.
//
// The action plans are synthetic but follow what the report describes:
// what was done in 2019 and 2020 is dated then; what is still open is
// dated from the day the demo is loaded, with one action late and one
// whose target date slipped, with its reason and approver.

// Owners are named by role and resolved against the demo chart by the
// loader: "hod", "abm", "boc", "head:UNIT" (a unit's head), "policy" (the
// International Strategy and Policy adviser).
type PlanInspection struct {
	Inspection plan.Inspection
	// Framework names a file of docs/frameworks for the inspection's
	// framework, or is empty.
	Framework string
	Findings  []PlanFinding
}

// PlanFinding is a finding with its accountable owner and plan.
type PlanFinding struct {
	Finding  plan.Finding
	Owner    string
	Response *plan.Response
	Actions  []PlanAction
	Close    *plan.Closure
}

// PlanAction is an action and what happened to it, in order.
type PlanAction struct {
	Title, Detail, Owner string
	Due                  time.Time
	Status               plan.ActionStatus // its status after the updates, if any
	Milestones           []plan.Milestone
	Updates              []PlanUpdate
	Retarget             []PlanRetarget
	Evidence             []plan.Evidence
	Close                *plan.ActionClosure
}

// PlanUpdate is a progress report on a day.
type PlanUpdate struct {
	On         time.Time
	Status     plan.ActionStatus
	Commentary string
}

// PlanRetarget is a target-date change on a day, approved by an owner.
type PlanRetarget struct {
	On       time.Time
	To       time.Time
	Reason   string
	Approver string
}

func ptr[T any](v T) *T { return &v }

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func doc(ref string) plan.Evidence { return plan.Evidence{Kind: plan.EvidenceDocument, Ref: ref} }

func check(code, note string) plan.Evidence {
	return plan.Evidence{Kind: plan.EvidenceCheck, Ref: code, Note: note}
}

// Inspections returns the demo's inspections with their findings and
// plans, with the open work dated from now.
func Inspections(now time.Time) []PlanInspection {
	today := date(now.Year(), now.Month(), now.Day())
	in := func(days int) time.Time { return today.AddDate(0, 0, days) }
	t := report2019Text
	finding := func(kind plan.Kind, key string, n int, criteria ...string) plan.Finding {
		return plan.Finding{Kind: kind, Number: n, Text: t[key].Text, Paragraph: t[key].Paragraph, Criteria: criteria}
	}
	fieldworkFrom, fieldworkTo := date(2018, 10, 1), date(2018, 10, 31)
	ccuResponse := func(n int) *plan.Response {
		return &plan.Response{Decision: plan.Accepted, Text: ccuText[n].Response, On: date(2021, 3, 2)}
	}
	ccu := func(n int) plan.Finding {
		return plan.Finding{Kind: plan.Recommendation, Number: n, Text: ccuText[n].Text, Paragraph: ccuText[n].Paragraph}
	}
	return []PlanInspection{
		{
			Inspection: plan.Inspection{Body: "HMCPSI", Title: "The Inspection of CPS International Justice and Organised Crime Division",
				Type: "Division inspection: governance, leadership, resilience and stakeholder relationships", Reference: "CP001:1256",
				Organisation: "CPS International Justice and Organised Crime Division", PublishedOn: date(2019, 1, 29),
				FieldworkFrom: &fieldworkFrom, FieldworkTo: &fieldworkTo,
				Summary: "The Division continuously delivers its work to a high standard, but its quality casework is not underpinned by an effective " +
					"system to identify and manage risk; knowledge sits with individuals; performance is managed in pockets."},
			Framework: "hmcpsi-2019-annex-b.json",
			Findings: []PlanFinding{
				{Finding: finding(plan.Recommendation, "rec1", 1, "A1.2", "A1.3", "A1.6", "B2.1"), Owner: "hod",
					Actions: []PlanAction{
						{Title: "Communication and staff engagement strategy agreed by the senior management team", Owner: "abm", Due: date(2019, 5, 31),
							Updates:  []PlanUpdate{{date(2019, 4, 12), plan.OnTrack, "Draft strategy discussed with the Divisional Communications Management Board; staff survey questions added."}},
							Evidence: []plan.Evidence{doc("IJOCD communication and staff engagement strategy v1.0, SMT minutes 23 May 2019, Divisional SharePoint")},
							Close:    &plan.ActionClosure{On: date(2019, 5, 23), Note: "Strategy agreed by SMT and published to all staff, including the overseas network."}},
						{Title: "Monthly all-staff call including the overseas network, with questions taken in advance", Owner: "head:international", Due: date(2019, 9, 30),
							Evidence: []plan.Evidence{doc("All-staff call notes, June to September 2019"), doc("2019 Civil Service People Survey: engagement index up 4 points")},
							Close:    &plan.ActionClosure{On: date(2019, 10, 14), Note: "Calls held monthly since June; the People Survey shows the improvement."}},
					},
					Close: &plan.Closure{Status: plan.ClosedImplemented, On: date(2019, 11, 4), Note: "Both actions done; the strategy is reviewed yearly by SMT."}},
				{Finding: finding(plan.Recommendation, "rec2", 2, "A2.2"), Owner: "abm",
					Actions: []PlanAction{
						{Title: "Smarter working guidance for all grades, with decisions logged and reviewed for consistency", Owner: "boc", Due: date(2019, 7, 31),
							Evidence: []plan.Evidence{doc("Smarter working decision log and quarterly consistency review, BOC")},
							Close:    &plan.ActionClosure{On: date(2019, 7, 29), Note: "Guidance issued; the first quarterly review found decisions consistent across grades."}},
					},
					Close: &plan.Closure{Status: plan.ClosedImplemented, On: date(2019, 8, 5)}},
				{Finding: finding(plan.Recommendation, "rec3", 3, "B1.1", "B1.2", "B1.4", "B1.5"), Owner: "hod",
					Actions: []PlanAction{
						{Title: "Divisional risk management strategy covering strategic, operational, casework and project risks", Owner: "abm", Due: date(2019, 6, 30),
							Evidence: []plan.Evidence{doc("IJOCD risk management strategy v1.0, approved by SMT 12 September 2019")},
							Retarget: []PlanRetarget{{On: date(2019, 6, 20), To: date(2019, 9, 30), Approver: "hod",
								Reason: "The CPS corporate risk policy was reissued in June 2019; the strategy follows it."}},
							Close: &plan.ActionClosure{On: date(2019, 9, 12), Note: "Strategy approved by SMT and in force."}},
						{Title: "One risk register for every unit and location, held in caseboard, reviewed quarterly at SMT", Owner: "abm", Due: in(-60),
							Detail:     "Replaces the separate unit spreadsheets and the sensitive case logs as the place risk is recorded; casework risks roll up to the division.",
							Milestones: []plan.Milestone{{Title: "Unit registers migrated from spreadsheets", DueOn: in(-90), DoneOn: ptr(in(-95))}, {Title: "First quarterly review at SMT from the single register", DueOn: in(45)}},
							Updates: []PlanUpdate{
								{in(-120), plan.OnTrack, "Unit registers collected; categories and scoring agreed (5x5, inherent, current and target)."},
								{in(-70), plan.AtRisk, "The register's import from the Extradition high risk case register needs rework; target at risk."},
							},
							Retarget: []PlanRetarget{{On: in(-65), To: in(45), Approver: "hod",
								Reason: "The Extradition high risk case register needs cleansing before it can be imported; the first quarterly review moves to the next SMT."}},
							Status: plan.AtRisk},
					}},
				{Finding: finding(plan.Recommendation, "rec4", 4, "B2.1", "B2.2", "B2.5", "B2.6", "B2.7"), Owner: "policy",
					Actions: []PlanAction{
						{Title: "Knowledge repository with owners and review dates for guidance, lessons learned and good practice", Owner: "policy", Due: in(120),
							Updates: []PlanUpdate{{in(-30), plan.OnTrack, "Content audit of the Casework Hub and shared drive done; 212 documents to migrate, 40 to retire."}},
							Status:  plan.OnTrack},
						{Title: "Directory of national leads and specialisms published to CPS Areas and Complex Casework Units", Owner: "policy", Due: in(20),
							Status: plan.NotStarted},
					}},
				{Finding: finding(plan.Recommendation, "rec5", 5, "C1.1", "C1.2", "C1.3", "C1.4"), Owner: "abm",
					Actions: []PlanAction{
						{Title: "Performance dashboard for the whole Division, computed from the casework records", Owner: "boc", Due: in(-14),
							Detail:   "Conviction and guilty plea rates by court, caseload and timeliness, by unit and location, with benchmarks.",
							Updates:  []PlanUpdate{{in(-40), plan.OnTrack, "Outcome measures computed from the register; unit heads reviewing the figures against Annex A."}},
							Evidence: []plan.Evidence{{Kind: plan.EvidenceMeasure, Ref: "outcomes", Note: "Computed from records, by court"}},
							Status:   plan.OnTrack},
						{Title: "Performance framework for the International unit", Owner: "head:international", Due: date(2019, 12, 31),
							Evidence: []plan.Evidence{doc("International unit performance framework and monthly narrative report template"),
								check("units_record_casework", "The International unit records its casework, so its performance can be measured")},
							Close: &plan.ActionClosure{On: date(2019, 12, 16), Note: "Framework agreed with the FCO and CSSF funders; monthly reports use it."}},
					}},
				{Finding: finding(plan.Recommendation, "rec6", 6, "C1.6", "C1.7"), Owner: "hod",
					Actions: []PlanAction{
						{Title: "Quarterly performance review of the Division at CPS Board level", Owner: "hod", Due: date(2019, 10, 31),
							Evidence: []plan.Evidence{doc("CPS Board quarterly performance pack, IJOCD section, Q2 2019-20")},
							Close:    &plan.ActionClosure{On: date(2019, 11, 20), Note: "The Division is reviewed quarterly with the other Central Casework Divisions."}},
					},
					Close: &plan.Closure{Status: plan.ClosedImplemented, On: date(2019, 12, 2)}},
				{Finding: finding(plan.Recommendation, "rec7", 7, "C2.1", "C2.4", "C2.6"), Owner: "abm",
					Actions: []PlanAction{
						{Title: "Monthly reconciliation of the International unit's budget, with the FCO taking over overseas financial functions", Owner: "abm", Due: date(2019, 4, 30),
							Evidence: []plan.Evidence{doc("International unit monthly management reports, April to June 2019"), doc("Agreement with the FCO on financial functions, 2019-20")},
							Close:    &plan.ActionClosure{On: date(2019, 7, 8), Note: "Three months reconciled with no unexplained variance; historical accruals cleared."}},
						{Title: "Reports to external funding providers checked by the ABM before submission", Owner: "boc", Due: date(2019, 6, 30),
							Evidence: []plan.Evidence{doc("CSSF quarterly returns log, signed off by the ABM")},
							Close:    &plan.ActionClosure{On: date(2019, 7, 8), Note: "All returns since April submitted on time and signed off."}},
					},
					Close: &plan.Closure{Status: plan.ClosedImplemented, On: date(2019, 7, 15)}},
				{Finding: finding(plan.Aspect, "afi1", 1, "D1.9", "B2.5"), Owner: "head:organised_crime",
					Actions: []PlanAction{
						{Title: "De-brief after every finalised Organised Crime case, shared with the NCA and all four locations", Owner: "head:organised_crime", Due: in(75),
							Milestones: []plan.Milestone{{Title: "De-brief template agreed with the NCA", DueOn: in(-20)}},
							Updates:    []PlanUpdate{{in(-25), plan.OnTrack, "Template drafted with the NCA's Organised Crime Command; Birmingham and Warrington piloting it."}},
							Evidence:   []plan.Evidence{check("units_record_casework", "Finalised cases are recorded where the de-brief can find them")},
							Status:     plan.OnTrack},
					}},
				{Finding: finding(plan.GoodPractice, "gp1", 1, "B1.4")},
				{Finding: finding(plan.GoodPractice, "gp2", 2, "C1.5")},
				{Finding: finding(plan.GoodPractice, "gp3", 3, "C2.7")},
			},
		},
		{
			Inspection: plan.Inspection{Body: "HMCPSI", Title: "Review of Complex Casework Units", Type: "Thematic review",
				Organisation: "CPS Complex Casework Units (read across to this Division)", PublishedOn: date(2021, 3, 2),
				Summary: "How effective and efficient the Complex Casework Units are in identifying and managing their casework. " +
					"Addressed to the CPS's Complex Casework Units and Headquarters; the Division reads its recommendations across to its own casework."},
			Findings: []PlanFinding{
				{Finding: ccu(1), Owner: "head:organised_crime", Response: ccuResponse(1),
					Actions: []PlanAction{
						{Title: "Monthly compliance check of case progression and custody time limits in Organised Crime", Owner: "head:organised_crime", Due: date(2021, 9, 30),
							Evidence: []plan.Evidence{check("ctl_none_expired", "No custody time limit expires unnoticed"), check("live_cases_allocated", "")},
							Close:    &plan.ActionClosure{On: date(2021, 9, 27), Note: "Checks run monthly from the register; results reported to the unit's SMT."}},
						{Title: "IQA completion and marking consistency reviewed quarterly across legal and paralegal staff", Owner: "head:extradition", Due: in(30),
							Updates: []PlanUpdate{{in(-10), plan.OnTrack, "Moderation panel set up to address lenient marking; first quarter's sample moderated."}},
							Status:  plan.OnTrack},
					}},
				{Finding: ccu(2), Owner: "hod", Response: ccuResponse(2),
					Close: &plan.Closure{Status: plan.ClosedNotImplemented, On: date(2021, 4, 14),
						Note: "For CPS Headquarters' Changing Nature of Crime review; the Division is not a Complex Casework Unit and has no action of its own. Noted at SMT."}},
				{Finding: ccu(3), Owner: "abm", Response: ccuResponse(3),
					Actions: []PlanAction{
						{Title: "Review the memoranda of understanding with the NCA and regional organised crime units against the HQ template", Owner: "abm", Due: in(40),
							Milestones: []plan.Milestone{{Title: "Gap analysis against the HQ template", DueOn: in(-10), DoneOn: ptr(in(-9))}, {Title: "Revised MoU signed with the NCA", DueOn: in(40)}},
							Updates:    []PlanUpdate{{in(-8), plan.OnTrack, "Gap analysis done: escalation and referral sections to be brought into line."}},
							Status:     plan.OnTrack},
					}},
			},
		},
	}
}

// report2019Text is the 2019 report's findings as its summary lists them,
// without the paragraph references it gives in brackets.
var report2019Text = map[string]struct{ Text, Paragraph string }{
	"gp1":  {"The disclosure gateway reviews allow for peer review externally.", "3.5"},
	"gp2":  {"The individual quality assessment tool is used to assess casework quality for paralegal staff.", "3.21"},
	"gp3":  {"The Division introduced bespoke training for members of the Bar and short-term secondments to the team, resulting in: the ability to resource the required courts; greater experience and understanding of how the CPS works; and more experienced counsel eligible for the extradition advocacy panel.", "4.19"},
	"rec1": {"The Division needs to develop an overarching communication and staff engagement strategy that is inclusive and ensures all staff are informed of key messages, and that manages knowledge effectively within all units, across the Division and the CPS nationally.", "2.12"},
	"rec2": {"The Division needs to ensure that the CPS smarter working policy is implemented consistently and effectively across all units and the Division.", "2.16"},
	"rec3": {"The Division needs to ensure there is a comprehensive and coherent risk management strategy which encompasses all strategic, operational, casework and project risks within the units and makes all the relevant links across the Division.", "3.7"},
	"rec4": {"The Division needs to ensure that the approach to knowledge management is effective by introducing a repository that captures knowledge, learning and good practice and is accessible as a source of expertise to all across the Division and the wider CPS.", "3.25"},
	"rec5": {"The Division needs to develop a comprehensive performance framework that encompasses relevant measures that can drive performance improvement in the units, and provides a sound foundation to understand performance across the Division as a whole.", "4.3"},
	"rec6": {"The CPS needs to develop an effective mechanism of performance review to provide senior oversight of the International Justice and Organised Crime Division at Board level.", "4.7"},
	"rec7": {"The Division needs to satisfy itself that the financial management and controls for the International unit's budget ensure the veracity of the financial governance and processes and that reporting to external funding providers is accurate and timely.", "4.13"},
	"afi1": {"The de-brief mechanism undertaken at the conclusion of a case needs to be used effectively and shared with the National Crime Agency and at all the Organised Crime unit locations to identify learning and good practice in order to drive improvement.", "5.9"},
}

// ccuText is the review's recommendations and the CPS responses, as the
// CPS published them on 2 March 2021.
var ccuText = map[int]struct{ Text, Paragraph, Response string }{
	1: {"Complex Casework Units should ensure that, pre and post charge, processes and checks are in place to ensure ongoing compliance with: case progression; mandatory casework assurance processes; Individual quality assessments; completion of the Resource and Efficiency Model to provide accurate resourcing data; and the creation and maintenance of appropriate audit trails within the case management system.", "6.26", "The CPS accept this recommendation which will improve the resilience of the CCUs to deliver high quality casework and provide and allow for greater assurance and oversight of the casework. (Work is already underway to review how the Individual Quality Assessments (IQA) can be improved to enhance the quality of casework on the CCUs.)"},
	2: {"Crown Prosecution Service Headquarters as a discrete element of the Changing Nature of Crime Review to consider how the small and medium sized complex casework units are best equipped to deal with complex casework and consider how the composition and staffing of units (including management levels and grades of prosecutor) can support and guarantee the delivery of high quality casework.", "4.30", "The CPS acknowledge the importance of ensuring that all CCUs have the resources to manage the casework and accept this recommendation to further consider how the resilience of the smaller and medium sized CCUs can be improved as part of the ongoing review into the Changing Nature of Crime."},
	3: {"Complex Casework Units should negotiate a Memorandum of Understanding with local police forces in accordance with the template agreed by CPS HQ.", "5.39", "The CPS accept this recommendation that will build on the existing positive relationships that CCUs have with local police force areas. The more structured and detailed framework within a Memorandum of Understanding will provide the local police areas and the CCUs with a consistent level of expectations as to the referral of cases, liaison arrangements and escalation and improve case progression."},
}

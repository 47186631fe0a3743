package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"caseboard/internal/knowledge"
)

// The demo repository: the Extradition desk guide in chapters (one long
// overdue for review, as the inspection found the real one), jurisdiction
// notes per country, lessons learned, adverse outcome learning, de-brief
// summaries, good practice and templates, with some drafts waiting for a
// reviewer. Every text is invented for the demo; the law it cites is
// public.

// KnowledgeArticle is one demo article and how far along its life it is.
type KnowledgeArticle struct {
	// Key names the article so chapters can name their desk guide.
	Key, Parent string
	Article     knowledge.Article
	UnitCode    string
	// State is draft, in_review, published or archived.
	State string
	// AgeDays is how long ago it was published: past its kind's review
	// period, it is overdue.
	AgeDays int
	// Revision, when set, is a second published version's body, so the
	// article has a history to compare.
	Revision string
	// SharedWithNCA shares it with the National Crime Agency.
	SharedWithNCA bool
}

// Knowledge returns the demo repository for seed.
func Knowledge(seed int64) []KnowledgeArticle {
	rng := rand.New(rand.NewPCG(uint64(seed), pcgStream+6))
	out := deskGuide()
	out = append(out, jurisdictionNotes(rng)...)
	out = append(out, learning(rng)...)
	out = append(out, practiceAndTemplates()...)
	return out
}

func article(kind knowledge.Kind, title, summary, body string, tags ...string) knowledge.Article {
	return knowledge.Article{Kind: kind, Title: title, Summary: summary, Body: body, Tags: tags}
}

func deskGuide() []KnowledgeArticle {
	guide := KnowledgeArticle{Key: "desk-guide", UnitCode: "extradition", State: "published", AgeDays: 200,
		Article: article(knowledge.DeskGuide, "Extradition desk guide",
			"How the Extradition Unit handles requests into and out of the UK: the chapters below are each owned and reviewed on their own cycle.",
			"This guide is for lawyers and paralegals new to the unit and for those who need a reminder. Each chapter has an owner and a review-by date; "+
				"if a chapter shows that it may be out of date, check with its owner before relying on it.\n\n"+
				"## How to use this guide\n\n- Read the chapter for the stage your case is at.\n- Follow the links to the jurisdiction notes for the requesting state.\n"+
				"- Record what you learn in a lessons learned article so the next lawyer benefits.",
			"extradition", "eaw", "desk-guide")}
	chapters := []struct {
		title, summary, body string
		age                  int
		tags                 []string
	}{
		{"Receiving a European arrest warrant", "Checks on receipt, certification by the NCA, and the first hearing within 48 hours of arrest.",
			"## On receipt\n\n1. Check the warrant is certified by the National Crime Agency.\n2. Check the box (e) offence description against the " +
				"framework list or dual criminality.\n3. Diary the initial hearing: the requested person must be brought before Westminster " +
				"Magistrates' Court as soon as practicable.\n\n## Common gaps\n\n| Gap | What to ask the issuing authority |\n|---|---|\n" +
				"| No sentence details | The length of sentence imposed and still to serve |\n| Vague conduct | Time, place and the requested person's part |",
			120, []string{"eaw", "first-hearing"}},
		{"Bars to extradition", "Passage of time, extraneous considerations, forum and human rights: what the court weighs and the evidence it needs.",
			"## The statutory bars\n\nSections 11 to 19B of the Extradition Act 2003 set out the bars. In practice the contested ones are passage " +
				"of time (section 14), forum (section 19B) and, through section 21, human rights.\n\n## Prison conditions\n\nWhere there is a real " +
				"risk of inhuman or degrading treatment in the requesting state's prisons, the court will look for assurances. See the jurisdiction " +
				"notes for each state's record of giving and keeping them.",
			1100, []string{"bars", "prison-conditions", "human-rights"}},
		{"Appeals to the High Court", "Permission to appeal, time limits that cannot be extended, and preparing the respondent's notice.",
			"## Time limits\n\nAn application for permission to appeal must be lodged within 7 days of the order. The court cannot " +
				"extend the time for the requesting state.\n\n## Respondent's notice\n\nServe it within the time the court directs and address every ground.",
			300, []string{"appeals", "high-court"}},
		{"Surrender and removal", "Arranging removal within the statutory period, and what happens if it is missed.",
			"Removal must take place within 10 days of the order becoming final, or of a date agreed with the issuing authority. " +
				"Missing the period means the requested person may apply to be discharged.",
			60, []string{"surrender"}},
	}
	out := []KnowledgeArticle{guide}
	for i, c := range chapters {
		a := article(knowledge.DeskGuide, c.title, c.summary, c.body, append(c.tags, "extradition")...)
		a.Position = i + 1
		out = append(out, KnowledgeArticle{Key: fmt.Sprintf("chapter-%d", i+1), Parent: "desk-guide", Article: a,
			UnitCode: "extradition", State: "published", AgeDays: c.age})
	}
	// A chapter being rewritten, waiting for a reviewer.
	draft := article(knowledge.DeskGuide, "Conviction warrants and trials in absence",
		"Section 20 of the Extradition Act 2003: whether the requested person deliberately absented themselves from trial.",
		"## The questions\n\n1. Was the person convicted in their presence?\n2. If not, did they deliberately absent themselves?\n"+
			"3. If not, are they entitled to a retrial?\n\nAsk the issuing authority for the summons and how it was served.", "conviction-warrants", "extradition")
	draft.Position = len(chapters) + 1
	out = append(out, KnowledgeArticle{Key: "chapter-draft", Parent: "desk-guide", Article: draft, UnitCode: "extradition", State: "in_review"})
	return out
}

// country is a requesting state and what the unit has learned of it.
type country struct {
	code, name string
	works      string
	fails      string
	prison     bool // refusals over prison conditions
}

var demoCountries = []country{
	{"PL", "Poland", "Assurances on personal space of at least 3 square metres are given promptly and have been honoured.", "Warrants for minor offences risk refusal as disproportionate under section 21A.", true},
	{"RO", "Romania", "The Ministry of Justice answers requests for assurances within two to three weeks.", "Refusals over prison conditions where no individual assurance was given.", true},
	{"LT", "Lithuania", "Further information on trials in absence arrives quickly through the central authority.", "Conditions in remand facilities have led to refusals without specific assurances.", true},
	{"HU", "Hungary", "Assurances naming the prison are accepted by the court.", "Older assurances that did not name the prison were found too general.", true},
	{"BG", "Bulgaria", "Direct contact with the issuing prosecutor clarifies conduct descriptions.", "Prison conditions assurances have been doubted where monitoring was absent.", true},
	{"GR", "Greece", "Translation of further information is provided with the request.", "Overcrowding in some prisons has led to requests for individual assurances.", true},
	{"IT", "Italy", "Requests for further information on trials in absence are answered in detail.", "Delays in serving judgments have raised section 20 arguments.", false},
	{"ES", "Spain", "The liaison magistrate resolves questions on conduct within days.", "Passage of time arguments where warrants were issued many years after the offence.", false},
	{"FR", "France", "The liaison magistrate in London is the quickest route for urgent questions.", "Few refusals; forum arguments in cross-border fraud.", false},
	{"DE", "Germany", "Accusation warrants are well particularised.", "Few refusals.", false},
	{"NL", "Netherlands", "Clear conduct descriptions and quick supplementary information.", "Few refusals.", false},
	{"AL", "Albania", "Extradition requests under the 1957 Convention arrive with full evidence bundles.", "Prison conditions and fair trial arguments are raised in most contested cases.", true},
	{"TR", "Turkey", "Diplomatic assurances on treatment are given when asked.", "Extraneous considerations are argued where offences have a political dimension.", true},
	{"US", "United States", "Prosecutors supply affidavits promptly and attend by video link.", "Forum and sentence length arguments in computer misuse cases.", false},
	{"IN", "India", "Assurances on prison conditions and consular access have been provided.", "Long delays in the courts of the requesting state have been argued as abuse of process.", true},
	{"AE", "United Arab Emirates", "Requests under the bilateral treaty are handled through the Ministry of Justice.", "Fair trial and prison conditions arguments are common.", true},
	{"BR", "Brazil", "The central authority answers through the embassy.", "Prison conditions have been argued in every contested case.", true},
	{"PK", "Pakistan", "Cases proceed under special arrangements with close diplomatic contact.", "Death penalty assurances are required.", true},
	{"RU", "Russia", "", "Requests are refused as a rule on human rights grounds.", true},
	{"UA", "Ukraine", "The Prosecutor General's Office supplies further information on request.", "Prison conditions and the effects of the conflict on trials are argued.", true},
}

func jurisdictionNotes(rng *rand.Rand) []KnowledgeArticle {
	var out []KnowledgeArticle
	for i, c := range demoCountries {
		var body strings.Builder
		fmt.Fprintf(&body, "## What works\n\n%s\n\n## What fails\n\n%s\n\n", orNone(c.works), c.fails)
		if c.prison {
			fmt.Fprintf(&body, "## Prison conditions\n\nWhere the defence raises conditions in %s's prisons, the court applies the two-stage test "+
				"in *Aranyosi and Căldăraru* (CJEU, 2016): a real risk shown by objective evidence, then whether this person faces it. "+
				"Ask early for an assurance naming the prison and the space the person will have.\n\n", c.name)
		}
		body.WriteString("## Contacts\n\nThe unit's liaison prosecutor for the region holds the current contact details for the central authority.")
		a := article(knowledge.JurisdictionNote, c.name+": what works and what fails", "The unit's experience of extradition with "+c.name+".",
			body.String(), "jurisdiction", "extradition")
		if c.prison {
			a.Tags = append(a.Tags, "prison-conditions")
		}
		a.Country = c.code
		// Jurisdiction notes fall due after six months: about a third of
		// them are overdue, as a busy unit's would be.
		age := 20 + rng.IntN(260)
		state := "published"
		if i == len(demoCountries)-1 {
			state = "draft"
		}
		out = append(out, KnowledgeArticle{Key: "note-" + c.code, Article: a, UnitCode: "extradition", State: state, AgeDays: age,
			SharedWithNCA: c.code == "AL" || c.code == "RO"})
	}
	out[0].Revision = out[0].Article.Body + "\n\n## Since the last review\n\nThe court accepted the latest general assurance without asking for an individual one."
	return out
}

func orNone(s string) string {
	if s == "" {
		return "Nothing reliable: treat every request as contested."
	}
	return s
}

var operations = []string{"Kestrel", "Heron", "Osprey", "Merlin", "Bittern", "Avocet", "Curlew", "Dunlin", "Egret", "Fulmar", "Gannet", "Harrier",
	"Ibis", "Jackdaw", "Kittiwake", "Lapwing", "Mallard", "Nightjar", "Oriole", "Plover", "Redshank", "Skua", "Teal", "Wigeon"}

var lessons = []struct {
	kind                 knowledge.Kind
	unit, theme, summary string
	tags                 []string
}{
	{knowledge.LessonsLearned, "organised_crime", "disclosure of third-party material", "Third-party material held by a foreign agency was requested too late for trial.", []string{"disclosure", "mla"}},
	{knowledge.AdverseOutcome, "organised_crime", "a stayed prosecution", "The prosecution was stayed after an abuse of process argument over delayed disclosure.", []string{"disclosure", "abuse-of-process"}},
	{knowledge.Debrief, "organised_crime", "a money laundering trial", "Restraint obtained early preserved assets worth more than the confiscation order.", []string{"money-laundering", "proceeds-of-crime"}},
	{knowledge.LessonsLearned, "international", "an urgent letter of request", "Sending a draft to the liaison magistrate first saved weeks.", []string{"mla", "letters-of-request"}},
	{knowledge.AdverseOutcome, "extradition", "a discharge over prison conditions", "The requested person was discharged because no individual assurance had been sought.", []string{"prison-conditions", "eaw"}},
	{knowledge.Debrief, "extradition", "a contested surrender", "Early further information on the trial in absence answered the section 20 argument.", []string{"eaw", "conviction-warrants"}},
	{knowledge.LessonsLearned, "organised_crime", "cyber-crime evidence", "Exhibits from a foreign service provider needed a European investigation order, not an informal request.", []string{"cyber-crime", "eio"}},
	{knowledge.Debrief, "international", "a joint investigation team", "Agreeing the disclosure regime at the start of the JIT avoided later argument.", []string{"jit", "mla"}},
}

func learning(rng *rand.Rand) []KnowledgeArticle {
	var out []KnowledgeArticle
	for i := 0; i < 240; i++ {
		l := lessons[i%len(lessons)]
		op := operations[i%len(operations)]
		title := fmt.Sprintf("Operation %s: %s", op, l.theme)
		if round := i / len(operations); round > 0 {
			title = fmt.Sprintf("Operation %s %d: %s", op, round+1, l.theme)
		}
		body := fmt.Sprintf("## What happened\n\n%s\n\n## What we learned\n\n- Raise the issue at the first case conference.\n"+
			"- Record the decision and who made it on the case.\n- Tell the legal manager when a deadline depends on another state.\n\n"+
			"## What to do next time\n\nUse the checklist in the desk guide and ask the specialism's lead early.", l.summary)
		a := article(l.kind, title, l.summary, body, l.tags...)
		state := "published"
		switch {
		case i%11 == 5:
			state = "in_review"
		case i%13 == 7:
			state = "draft"
		case i%17 == 3:
			state = "archived"
		}
		out = append(out, KnowledgeArticle{Key: fmt.Sprintf("learning-%d", i), Article: a, UnitCode: l.unit, State: state,
			AgeDays: 10 + rng.IntN(900), SharedWithNCA: l.unit == "organised_crime" && i%3 == 0})
	}
	return out
}

func practiceAndTemplates() []KnowledgeArticle {
	return []KnowledgeArticle{
		{Key: "gp-case-conference", UnitCode: "organised_crime", State: "published", AgeDays: 90, Article: article(knowledge.GoodPractice,
			"Early case conferences with the investigating agency",
			"Holding a conference within 28 days of the first referral sets the disclosure strategy and the overseas enquiries together.",
			"## Why\n\nLate overseas enquiries are the commonest cause of delay in the unit's cases.\n\n## How\n\n1. Invite the officer in the case and the disclosure officer.\n"+
				"2. List every overseas enquiry and who will make it.\n3. Record the plan on the case.", "case-conferences", "disclosure")},
		{Key: "gp-assurances", UnitCode: "extradition", State: "published", AgeDays: 400, Article: article(knowledge.GoodPractice,
			"Asking for prison conditions assurances",
			"Ask at the first hearing, name the prison and the space, and ask who will monitor.",
			"Assurances that name the institution and the personal space are accepted; general ones are not. Ask for the monitoring "+
				"arrangements too.", "prison-conditions", "eaw")},
		{Key: "tpl-further-info", UnitCode: "extradition", State: "published", AgeDays: 150, Article: article(knowledge.Template,
			"Template: request for further information (section 202)",
			"A letter to an issuing judicial authority asking for further information, with the usual questions.",
			"Dear colleague,\n\nIn the matter of **[requested person]**, warrant reference **[reference]**, the court has asked for further "+
				"information on the following points:\n\n1. [question]\n2. [question]\n\nWe would be grateful for a reply by **[date]**.", "templates", "eaw")},
		{Key: "tpl-letter-of-request", UnitCode: "international", State: "published", AgeDays: 800, Article: article(knowledge.Template,
			"Template: letter of request for mutual legal assistance",
			"The structure the central authorities expect: the offence, the evidence sought, why it is relevant, and the assistance asked for.",
			"## Structure\n\n1. The requesting authority\n2. The investigation and the offences\n3. The assistance requested\n4. Confidentiality\n5. Contact", "mla", "templates")},
		{Key: "guidance-eio", UnitCode: "strategy_and_policy", State: "published", AgeDays: 500, Article: article(knowledge.Guidance,
			"European investigation orders after EU exit",
			"What replaced European investigation orders for requests to EU member states, and what to use instead.",
			"Requests to EU member states now go under the Trade and Cooperation Agreement and the 1959 Convention and its protocols. "+
				"Use a letter of request and allow longer.", "eio", "mla")},
		{Key: "guidance-cyber", UnitCode: "strategy_and_policy", State: "published", AgeDays: 100, Article: article(knowledge.Guidance,
			"Obtaining evidence from overseas communications providers",
			"Which route to use for subscriber data, content and preserved data held abroad.",
			"## Routes\n\n| Data | Route |\n|---|---|\n| Subscriber data | Direct request where the provider accepts it |\n| Content | Mutual legal assistance |\n"+
				"| Preservation | Through the 24/7 network, then a request |", "cyber-crime", "mla")},
		{Key: "guidance-draft", UnitCode: "strategy_and_policy", State: "in_review", Article: article(knowledge.Guidance,
			"Confiscation where assets are held overseas",
			"Restraint and enforcement of orders against assets in another state.",
			"Seek restraint in the other state as soon as the order is made here; enforcement depends on its law.", "proceeds-of-crime", "money-laundering")},
	}
}

// KnowledgeGap is a demo request for guidance: what was asked, of which
// unit, and by someone of which unit.
type KnowledgeGap struct {
	Topic, Detail       string
	UnitCode, AskerUnit string
}

// KnowledgeGaps are the demo's open requests for guidance.
func KnowledgeGaps() []KnowledgeGap {
	return []KnowledgeGap{
		{"Surrender to Brazil: which prisons have given assurances", "A requested person's counsel cites conditions in São Paulo.", "extradition", "organised_crime"},
		{"Restraint of cryptocurrency held on overseas exchanges", "Which route, and how fast the exchanges respond.", "international", "organised_crime"},
		{"Checklist for joint investigation team agreements", "", "strategy_and_policy", "international"},
	}
}

// NationalLead is a subject of the directory, led by one of the strategy
// and policy unit's advisers (report 1.24).
type NationalLead struct {
	Code, Name, HelpsWith, Tag string
}

// NationalLeads are the directory's subjects, one per policy adviser.
func NationalLeads() []NationalLead {
	return []NationalLead{
		{"cyber_crime", "Cyber-crime", "Evidence from overseas communications providers, preservation requests, the 24/7 network.", "cyber-crime"},
		{"money_laundering", "Money laundering and proceeds of crime", "Restraint and confiscation of assets abroad, asset sharing.", "money-laundering"},
		{"mla", "Mutual legal assistance", "Letters of request, the central authorities, joint investigation teams.", "mla"},
		{"eaw", "European arrest warrants and extradition", "Bars to extradition, prison conditions assurances, trials in absence.", "eaw"},
		{"eio", "European investigation orders and their successors", "Requests for evidence to EU member states since EU exit.", "eio"},
	}
}

// HelpQuestion is a demo question to a national lead, asked AgeHours ago
// and answered AnswerHours later when Answer is set.
type HelpQuestion struct {
	Specialism, Topic, Question, Urgency, Answer string
	AgeHours, AnswerHours                        int
}

// HelpQuestions are the demo's questions to the specialisms.
func HelpQuestions() []HelpQuestion {
	return []HelpQuestion{
		{"money_laundering", "Restraint of a Dubai property", "Can we restrain a flat in Dubai before charge?", "urgent", "Yes, through a request under the bilateral treaty; allow six weeks.", 120, 20},
		{"cyber_crime", "Subscriber data from a US provider", "Will the provider answer a direct request for subscriber data?", "routine", "Usually within ten days for subscriber data; content needs MLA.", 200, 50},
		{"mla", "Letter of request to Spain", "Who do we send a letter of request to now?", "routine", "The Spanish central authority; copy the liaison magistrate.", 90, 6},
		{"eaw", "Trial in absence", "The requested person says they never knew of the trial. What does the court need?", "immediate", "", 3, 0},
		{"eio", "Evidence from the Netherlands", "What replaces a European investigation order for Dutch bank records?", "routine", "", 30, 0},
		{"mla", "Video link evidence from Italy", "How long does a video link request to Italy take?", "urgent", "", 10, 0},
	}
}

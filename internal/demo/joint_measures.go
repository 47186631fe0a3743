package demo

// JointMeasures are the measures the demo division shares with its partner
// organisations, by partner code: the joint case-building figures the
// National Crime Agency and the division answer for together, so that the
// demo partner account's Performance page has something to show.
var JointMeasures = map[string][]string{
	"nca": {"caseload", "finalised_defendants", "conviction_rate_cc", "ctl_failures"},
}

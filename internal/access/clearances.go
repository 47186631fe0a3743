package access

import (
	"fmt"
	"strings"

	"caseboard/internal/org"
)

// ParseClearances reads a configuration such as
// "official=bpss,official_sensitive=ctc,restricted=sc". Every sensitivity
// must be given, and a more sensitive level may not need less clearance
// than a less sensitive one.
func ParseClearances(s string) (Clearances, error) {
	c := Clearances{}
	for _, pair := range strings.Split(s, ",") {
		name, level, ok := strings.Cut(strings.TrimSpace(pair), "=")
		sens, clearance := Sensitivity(strings.TrimSpace(name)), org.Clearance(strings.TrimSpace(level))
		if !ok || !sens.Valid() || !clearance.Valid() {
			return nil, fmt.Errorf("%q: write sensitivity=clearance, with sensitivities official, official_sensitive, restricted and clearances bpss, ctc, sc, dv", pair)
		}
		c[sens] = clearance
	}
	order := []Sensitivity{Official, OfficialSensitive, Restricted}
	for i, s := range order {
		if _, ok := c[s]; !ok {
			return nil, fmt.Errorf("no clearance given for %s", s)
		}
		if i > 0 && !c[s].AtLeast(c[order[i-1]]) {
			return nil, fmt.Errorf("%s needs less clearance (%s) than %s (%s)", s, c[s], order[i-1], c[order[i-1]])
		}
	}
	return c, nil
}

// String writes the configuration back in the form ParseClearances reads.
func (c Clearances) String() string {
	return fmt.Sprintf("official=%s,official_sensitive=%s,restricted=%s", c[Official], c[OfficialSensitive], c[Restricted])
}

package quality

import (
	"math"
	"sort"
)

// The leniency test's settings, stated once so the documentation, the
// page and the code cannot disagree.
const (
	// Alpha is the one-sided significance level of both leniency tests.
	Alpha = 0.01
	// MinMarks is the fewest marks an assessor, and their peers, need
	// before their share of top marks is tested.
	MinMarks = 30
	// MinDisagreements is the fewest re-marked answers on which the
	// assessor and the re-marker disagree before the sign test is run.
	MinDisagreements = 10
)

// Pair is one question marked twice: by the original assessor and, blind,
// by a re-marker.
type Pair struct {
	Original, Remark Answer
}

// Agreement is Cohen's kappa over pairs of marks, with its parts.
type Agreement struct {
	Pairs    int      `json:"pairs"`
	Observed float64  `json:"observed"` // share of pairs marked alike
	Expected float64  `json:"expected"` // share expected alike by chance
	Kappa    *float64 `json:"kappa"`    // null when undefined
	Note     string   `json:"note,omitempty"`
}

// CohenKappa is the agreement between original marks and re-marks beyond
// what chance would give: kappa = (po - pe) / (1 - pe), where po is the
// share of pairs marked alike and pe the share expected alike if each
// marker kept their own mix of marks but marked at random, the sum over
// marks of the product of the two markers' shares of that mark. Pairs
// where either marker answered "not applicable" are left out. Kappa is
// undefined when there are no pairs, and when pe is 1 (both markers gave
// every answer the same single mark): agreement is then complete but
// nothing distinguishes it from chance, and the Note says so.
func CohenKappa(pairs []Pair) Agreement {
	var ag Agreement
	counts := map[Answer][2]int{}
	alike := 0
	for _, p := range pairs {
		if !p.Original.Marked() || !p.Remark.Marked() {
			continue
		}
		ag.Pairs++
		if p.Original == p.Remark {
			alike++
		}
		c := counts[p.Original]
		c[0]++
		counts[p.Original] = c
		c = counts[p.Remark]
		c[1]++
		counts[p.Remark] = c
	}
	if ag.Pairs == 0 {
		ag.Note = "No re-marked answers to compare"
		return ag
	}
	n := float64(ag.Pairs)
	ag.Observed = float64(alike) / n
	for _, c := range counts {
		ag.Expected += float64(c[0]) / n * float64(c[1]) / n
	}
	if ag.Expected >= 1-1e-12 {
		ag.Note = "Both markers gave every answer the same mark: agreement is complete but kappa is undefined"
		return ag
	}
	k := (ag.Observed - ag.Expected) / (1 - ag.Expected)
	ag.Kappa = &k
	return ag
}

// TwoProportionZ tests whether the proportion x1/n1 is greater than
// x2/n2, with the pooled two-proportion z-test: p = (x1+x2)/(n1+n2),
// se = sqrt(p(1-p)(1/n1+1/n2)), z = (x1/n1 - x2/n2)/se, and the one-sided
// p-value 1 - Phi(z). ok is false when either sample is empty or the
// pooled proportion is 0 or 1 (every mark alike: nothing to test).
func TwoProportionZ(x1, n1, x2, n2 int) (z, pValue float64, ok bool) {
	if n1 == 0 || n2 == 0 {
		return 0, 1, false
	}
	pooled := float64(x1+x2) / float64(n1+n2)
	if pooled <= 0 || pooled >= 1 {
		return 0, 1, false
	}
	se := math.Sqrt(pooled * (1 - pooled) * (1/float64(n1) + 1/float64(n2)))
	z = (float64(x1)/float64(n1) - float64(x2)/float64(n2)) / se
	return z, 0.5 * math.Erfc(z/math.Sqrt2), true
}

// SignTest is the exact binomial probability of at least k of n
// disagreements going one way if either way were equally likely:
// P(X >= k) for X ~ Binomial(n, 1/2). It is 1 for n = 0.
func SignTest(k, n int) float64 {
	if n <= 0 || k <= 0 {
		return 1
	}
	lnHalf := float64(n) * math.Log(0.5)
	lnN, _ := math.Lgamma(float64(n + 1))
	total := 0.0
	for i := k; i <= n; i++ {
		lnI, _ := math.Lgamma(float64(i + 1))
		lnRest, _ := math.Lgamma(float64(n - i + 1))
		total += math.Exp(lnN - lnI - lnRest + lnHalf)
	}
	return math.Min(1, total)
}

// rank orders marks for the sign test: a higher rank is a better mark.
func rank(a Answer) int {
	switch a {
	case FullyMeets:
		return 2
	case PartiallyMeets:
		return 1
	}
	return 0
}

// AssessorCalibration is one assessor's marking compared with their peers'
// and with blind re-marks of their assessments.
type AssessorCalibration struct {
	AssessorID  int64  `json:"assessor_id"`
	Name        string `json:"name"`
	Assessments int    `json:"assessments"`
	// Marks is how many answers they marked (not "not applicable"), Top
	// how many of those were "fully meets".
	Marks    int      `json:"marks"`
	Top      int      `json:"top"`
	TopShare *float64 `json:"top_share"`
	// The same for every other assessor in the group, pooled.
	PeerMarks    int      `json:"peer_marks"`
	PeerTop      int      `json:"peer_top"`
	PeerTopShare *float64 `json:"peer_top_share"`
	// Z and PValue are the two-proportion z-test of TopShare > PeerTopShare;
	// null when not tested (too few marks, or nothing to test).
	Z      *float64 `json:"z"`
	PValue *float64 `json:"p_value"`
	// Re-marks of their assessments.
	Remarked  int       `json:"remarked"`
	Agreement Agreement `json:"agreement"`
	// Of the re-marked answers marked differently, how many they marked
	// higher than the re-marker, how many lower, and the sign test's
	// p-value of so many higher (null when too few disagreements).
	Higher     int      `json:"higher"`
	Lower      int      `json:"lower"`
	SignPValue *float64 `json:"sign_p_value"`
	Lenient    bool     `json:"lenient"`
	Reasons    []string `json:"reasons"`
}

// Calibrate compares each assessor of the IQAs with the rest, and with the
// blind re-marks of their IQAs. An assessor is flagged as lenient when
// either test is significant at Alpha, one-sided:
//   - their share of "fully meets" marks is greater than their peers'
//     (two-proportion z-test), given MinMarks marks on each side; or
//   - where a re-marker disagreed with them, they marked higher more often
//     than lower (exact sign test), given MinDisagreements disagreements.
//
// The flag is a prompt to look at the assessor's marking, not a verdict:
// marks within one assessment are not independent, so the z-test
// overstates its certainty somewhat, which the strict level allows for.
// Assessors come back flagged first, then by name.
func Calibrate(assessments []Assessment, names map[int64]string) []AssessorCalibration {
	byID := map[int64]Assessment{}
	stats := map[int64]*AssessorCalibration{}
	totalMarks, totalTop := 0, 0
	for _, a := range assessments {
		byID[a.ID] = a
		if a.Kind != IQA {
			continue
		}
		s := stats[a.AssessorID]
		if s == nil {
			s = &AssessorCalibration{AssessorID: a.AssessorID, Name: names[a.AssessorID]}
			stats[a.AssessorID] = s
		}
		s.Assessments++
		for _, m := range a.Marks {
			if !m.Answer.Marked() {
				continue
			}
			s.Marks++
			totalMarks++
			if m.Answer == FullyMeets {
				s.Top++
				totalTop++
			}
		}
	}
	pairs := map[int64][]Pair{}
	for _, r := range assessments {
		if r.Kind != Remark || r.RemarkOf == nil {
			continue
		}
		original, ok := byID[*r.RemarkOf]
		s := stats[original.AssessorID]
		if !ok || s == nil {
			continue
		}
		s.Remarked++
		remarks := map[string]Answer{}
		for _, m := range r.Marks {
			remarks[m.Question] = m.Answer
		}
		for _, m := range original.Marks {
			if again, ok := remarks[m.Question]; ok {
				pairs[original.AssessorID] = append(pairs[original.AssessorID], Pair{m.Answer, again})
			}
		}
	}
	out := make([]AssessorCalibration, 0, len(stats))
	for id, s := range stats {
		s.PeerMarks, s.PeerTop = totalMarks-s.Marks, totalTop-s.Top
		s.TopShare, s.PeerTopShare = share(s.Top, s.Marks), share(s.PeerTop, s.PeerMarks)
		if s.Marks >= MinMarks && s.PeerMarks >= MinMarks {
			if z, p, ok := TwoProportionZ(s.Top, s.Marks, s.PeerTop, s.PeerMarks); ok {
				s.Z, s.PValue = &z, &p
				if p < Alpha {
					s.Lenient = true
					s.Reasons = append(s.Reasons, "gives significantly more top marks than their peers")
				}
			}
		}
		s.Agreement = CohenKappa(pairs[id])
		for _, p := range pairs[id] {
			if !p.Original.Marked() || !p.Remark.Marked() {
				continue
			}
			switch d := rank(p.Original) - rank(p.Remark); {
			case d > 0:
				s.Higher++
			case d < 0:
				s.Lower++
			}
		}
		if n := s.Higher + s.Lower; n >= MinDisagreements {
			p := SignTest(s.Higher, n)
			s.SignPValue = &p
			if p < Alpha {
				s.Lenient = true
				s.Reasons = append(s.Reasons, "marks higher than blind re-marks significantly more often than lower")
			}
		}
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Lenient != out[j].Lenient {
			return out[i].Lenient
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func share(x, n int) *float64 {
	if n == 0 {
		return nil
	}
	s := float64(x) / float64(n)
	return &s
}

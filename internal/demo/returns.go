package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	"caseboard/internal/casework"
	"caseboard/internal/org"
)

// DemoReturn is a post's monthly return as the demo files it: prepared by
// the post's first prosecutor and decided by their line manager.
type DemoReturn struct {
	Return       casework.PostReturn
	PostCode     string
	PreparerMail string
	Submit       bool
	Decision     string // "validate", "send_back" or "" for none
}

// PostReturns gives every overseas post a year of monthly returns to
// today: most validated, last month's submitted and waiting, now and then
// one sent back, and this month's in draft.
func PostReturns(c org.Chart, seed int64, today time.Time) []DemoReturn {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x7e7))
	preparers := map[string]string{}
	for _, p := range c.People {
		if len(p.LocationCode) > 5 && p.LocationCode[:5] == "post_" && preparers[p.LocationCode] == "" {
			preparers[p.LocationCode] = p.Email
		}
	}
	var out []DemoReturn
	for _, reg := range regions {
		for _, post := range reg.posts {
			code := post.location().Code
			for back := 12; back >= 0; back-- {
				month := casework.MonthOf(today.AddDate(0, -back, 0))
				r := DemoReturn{PostCode: code, PreparerMail: preparers[code], Return: casework.PostReturn{Month: month,
					CaseworkInteractions: 10 + rng.IntN(50) + 10*post.prosecutors, TrainingDelivered: rng.IntN(4), CapacityBuilding: rng.IntN(3),
					Narrative: fmt.Sprintf("Liaison with the %s authorities on live requests; %s.", org.CountryName(post.country),
						postWork[rng.IntN(len(postWork))])}}
				switch {
				case back == 0:
				case back == 1:
					r.Submit = true
				case rng.IntN(15) == 0:
					r.Submit, r.Decision = true, "send_back"
				default:
					r.Submit, r.Decision = true, "validate"
				}
				out = append(out, r)
			}
		}
	}
	return out
}

var postWork = []string{"a workshop on European investigation orders", "advice on asset recovery", "support to an extradition hearing",
	"a visit by the Head of Unit"}

package demo

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"caseboard/internal/org"
)

// seeds are checked one by one because the invariants must hold for any
// seed, not only the one the demo ships with.
var seeds = []int64{0, 1, 2, 42, -7, 20190101}

func forEachSeed(t *testing.T, check func(t *testing.T, c org.Chart)) {
	t.Helper()
	for _, seed := range seeds {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) { check(t, Organisation(seed)) })
	}
}

func byEmail(c org.Chart) map[string]int {
	index := map[string]int{}
	for i, p := range c.People {
		index[p.Email] = i
	}
	return index
}

func TestOrganisation_Size(t *testing.T) {
	forEachSeed(t, func(t *testing.T, c org.Chart) {
		if n := len(c.People); n < 150 || n > 170 {
			t.Fatalf("staff = %d, want 150 to 170", n)
		}
	})
}

func TestOrganisation_Reproducible(t *testing.T) {
	t.Run("SameSeed", func(t *testing.T) {
		a, b := Organisation(7), Organisation(7)
		if !reflect.DeepEqual(a, b) {
			t.Fatal("two charts from seed 7 differ")
		}
	})
	t.Run("OtherSeed", func(t *testing.T) {
		a, b := Organisation(7), Organisation(8)
		if reflect.DeepEqual(a, b) {
			t.Fatal("charts from seeds 7 and 8 are identical")
		}
		same := 0
		for i := range a.People {
			if a.People[i].Name == b.People[i].Name {
				same++
			}
		}
		if same > len(a.People)/10 {
			t.Fatalf("%d of %d people have the same name under seeds 7 and 8", same, len(a.People))
		}
	})
}

func TestOrganisation_NamesAndEmails(t *testing.T) {
	forEachSeed(t, func(t *testing.T, c org.Chart) {
		names, emails := map[string]bool{}, map[string]bool{}
		for _, p := range c.People {
			if names[p.Name] {
				t.Errorf("name %q used twice", p.Name)
			}
			names[p.Name] = true
			if emails[p.Email] {
				t.Errorf("email %q used twice", p.Email)
			}
			emails[p.Email] = true
			if p.Email != strings.ToLower(p.Email) || !strings.HasSuffix(p.Email, "@caseboard.example") {
				t.Errorf("email %q is not lower-case at caseboard.example", p.Email)
			}
			for _, r := range p.Email {
				if r > 127 {
					t.Errorf("email %q is not ASCII", p.Email)
					break
				}
			}
		}
	})
}

func TestNewEmail_Collision(t *testing.T) {
	b := newBuilder(1)
	got := []string{b.newEmail("Ann", "O'Neill"), b.newEmail("Ann", "ONeill"), b.newEmail("ann", "oneill")}
	want := []string{"ann.oneill@caseboard.example", "ann.oneill2@caseboard.example", "ann.oneill3@caseboard.example"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("emails = %q, want %q", got, want)
	}
}

func TestOrganisation_LineManagement(t *testing.T) {
	forEachSeed(t, func(t *testing.T, c org.Chart) {
		index := byEmail(c)
		var tops []org.ChartPerson
		for i, p := range c.People {
			if p.LineManagerEmail == "" {
				tops = append(tops, p)
				continue
			}
			m, ok := index[p.LineManagerEmail]
			if !ok || m >= i {
				t.Errorf("%s (#%d): line manager %q is not earlier in People", p.Email, i, p.LineManagerEmail)
				continue
			}
			if mg := c.People[m].Grade; seniority(mg) >= seniority(p.Grade) {
				t.Errorf("%s (%s) is managed by %s (%s), who is not more senior", p.Email, p.Grade, c.People[m].Email, mg)
			}
		}
		if len(tops) != 1 || tops[0].Grade != headOfDivision {
			t.Fatalf("people without a line manager = %+v, want only the head of division", tops)
		}
	})
}

func TestOrganisation_NoCycles(t *testing.T) {
	forEachSeed(t, func(t *testing.T, c org.Chart) {
		manager := map[string]string{}
		for _, p := range c.People {
			manager[p.Email] = p.LineManagerEmail
		}
		for _, p := range c.People {
			steps := 0
			for e := p.Email; e != ""; e = manager[e] {
				if steps++; steps > len(c.People) {
					t.Fatalf("line from %s never reaches the top", p.Email)
				}
			}
		}
	})
}

func TestOrganisation_PeopleValid(t *testing.T) {
	forEachSeed(t, func(t *testing.T, c org.Chart) {
		units, locs := codes(c)
		for _, p := range c.People {
			if !p.Grade.Valid() || !p.Clearance.Valid() {
				t.Errorf("%s: grade %q or clearance %q is not valid", p.Email, p.Grade, p.Clearance)
			}
			if !units[p.UnitCode] || !locs[p.LocationCode] {
				t.Errorf("%s: unit %q or location %q is not in the chart", p.Email, p.UnitCode, p.LocationCode)
			}
			// Ids are placeholders: the store resolves codes to ids.
			person := org.Person{Name: p.Name, Email: p.Email, Grade: p.Grade, UnitID: 1, LocationID: 1, Clearance: p.Clearance}
			if err := person.Validate(); err != nil {
				t.Errorf("%s: %v", p.Email, err)
			}
		}
	})
}

func codes(c org.Chart) (units, locations map[string]bool) {
	units, locations = map[string]bool{}, map[string]bool{}
	for _, u := range c.Units {
		units[u.Code] = true
	}
	for _, l := range c.Locations {
		locations[l.Code] = true
	}
	return units, locations
}

func TestOrganisation_Locations(t *testing.T) {
	c := Organisation(1)
	seen := map[string]bool{}
	for _, l := range c.Locations {
		if err := l.Validate(); err != nil {
			t.Errorf("location %s: %v", l.Code, err)
		}
		if seen[l.Code] {
			t.Errorf("location %s listed twice", l.Code)
		}
		seen[l.Code] = true
	}
	for _, l := range org.StartingLocations() {
		if !seen[l.Code] {
			t.Errorf("starting location %s missing", l.Code)
		}
	}
}

func TestOrganisation_Teams(t *testing.T) {
	forEachSeed(t, func(t *testing.T, c org.Chart) {
		index := byEmail(c)
		units, locs := codes(c)
		type key struct{ name, unit, loc string }
		teams := map[key]bool{}
		for _, tm := range c.Teams {
			k := key{tm.Name, tm.UnitCode, tm.LocationCode}
			if teams[k] || !units[tm.UnitCode] || !locs[tm.LocationCode] {
				t.Errorf("team %+v is repeated or has an unknown unit or location", tm)
			}
			teams[k] = true
			i, ok := index[tm.LeaderEmail]
			if !ok {
				t.Errorf("team %q: leader %q is not a person", tm.Name, tm.LeaderEmail)
				continue
			}
			if l := c.People[i]; l.UnitCode != tm.UnitCode || l.LocationCode != tm.LocationCode || l.TeamName != tm.Name {
				t.Errorf("team %q (%s, %s): leader is in %q (%s, %s)", tm.Name, tm.UnitCode, tm.LocationCode, l.TeamName, l.UnitCode, l.LocationCode)
			}
		}
		for _, p := range c.People {
			if p.TeamName != "" && !teams[key{p.TeamName, p.UnitCode, p.LocationCode}] {
				t.Errorf("%s: team %q is not in %s at %s", p.Email, p.TeamName, p.UnitCode, p.LocationCode)
			}
		}
	})
}

func TestOrganisation_Overseas(t *testing.T) {
	c := Organisation(1)
	kind := map[string]org.LocationKind{}
	for _, l := range c.Locations {
		kind[l.Code] = l.Kind
	}
	abroad := 0
	for _, p := range c.People {
		if kind[p.LocationCode] != org.OverseasPost {
			continue
		}
		abroad++
		if p.UnitCode != international {
			t.Errorf("%s is overseas in unit %s", p.Email, p.UnitCode)
		}
		if p.Grade != specialistProsecutor && p.Grade != seniorSpecialistProsecutor {
			t.Errorf("%s is overseas as %s", p.Email, p.Grade)
		}
	}
	if abroad != 27 {
		t.Fatalf("people posted overseas = %d, want 27", abroad)
	}
}

func TestOrganisation_UnitHeads(t *testing.T) {
	want := map[string]org.Grade{
		organisedCrime:    deputyHeadOfDivision,
		extradition:       deputyHeadOfDivision,
		international:     deputyHeadOfDivision,
		strategyAndPolicy: seniorPolicyAdviser,
	}
	c := Organisation(1)
	if len(c.UnitHeads) != len(want) {
		t.Errorf("UnitHeads has %d units, want %d", len(c.UnitHeads), len(want))
	}
	index := byEmail(c)
	for unit, grade := range want {
		i, ok := index[c.UnitHeads[unit]]
		if !ok {
			t.Errorf("unit %s: head %q is not a person", unit, c.UnitHeads[unit])
			continue
		}
		if h := c.People[i]; h.Grade != grade || h.UnitCode != unit {
			t.Errorf("unit %s: head is %s in %s, want %s", unit, h.Grade, h.UnitCode, grade)
		}
	}
}

// TestOrganisation_Shape pins the counts the report describes, so a change to
// the tables is a deliberate one.
func TestOrganisation_Shape(t *testing.T) {
	c := Organisation(1)
	units := map[string]int{}
	extraditionAway := 0
	for _, p := range c.People {
		units[p.UnitCode]++
		if p.UnitCode == extradition && p.LocationCode != pettyFrance {
			extraditionAway++
		}
	}
	want := map[string]int{organisedCrime: 78, extradition: 40, international: 38, strategyAndPolicy: 8}
	if !reflect.DeepEqual(units, want) {
		t.Errorf("staff by unit = %v, want %v", units, want)
	}
	if extraditionAway != 0 {
		t.Errorf("%d extradition staff outside Petty France", extraditionAway)
	}
	if units[organisedCrime] <= units[extradition] {
		t.Error("organised crime is not the largest unit")
	}
}

func TestOrganisation_Clearance(t *testing.T) {
	c := Organisation(1)
	for _, p := range c.People {
		senior := seniority(p.Grade) <= seniority(deputyHeadOfDivision)
		needsSC := p.UnitCode == organisedCrime || (p.UnitCode == international && p.Grade != operationalDelivery)
		switch {
		case senior && p.Clearance != org.DV:
			t.Errorf("%s (%s) has %s, want dv", p.Email, p.Grade, p.Clearance)
		case needsSC && !p.Clearance.AtLeast(org.SC):
			t.Errorf("%s in %s has %s, want at least sc", p.Email, p.UnitCode, p.Clearance)
		}
	}
}

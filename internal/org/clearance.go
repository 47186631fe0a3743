package org

import "fmt"

// Clearance is a UK national security vetting level. The levels are ordered:
// each includes the ones below it.
type Clearance string

const (
	BPSS Clearance = "bpss" // Baseline Personnel Security Standard
	CTC  Clearance = "ctc"  // Counter-Terrorist Check
	SC   Clearance = "sc"   // Security Check
	DV   Clearance = "dv"   // Developed Vetting
)

// Clearances lists the levels from lowest to highest.
var Clearances = []Clearance{BPSS, CTC, SC, DV}

func (c Clearance) rank() int {
	for i, level := range Clearances {
		if level == c {
			return i
		}
	}
	return -1
}

// Valid reports whether c is a known level.
func (c Clearance) Valid() bool { return c.rank() >= 0 }

// AtLeast reports whether c meets or exceeds min. An unknown level meets nothing.
func (c Clearance) AtLeast(min Clearance) bool {
	return c.Valid() && min.Valid() && c.rank() >= min.rank()
}

// Label is the level's full name.
func (c Clearance) Label() string {
	switch c {
	case BPSS:
		return "Baseline Personnel Security Standard (BPSS)"
	case CTC:
		return "Counter-Terrorist Check (CTC)"
	case SC:
		return "Security Check (SC)"
	case DV:
		return "Developed Vetting (DV)"
	}
	return fmt.Sprintf("unknown (%s)", string(c))
}

package deadline

import (
	"time"
	_ "time/tzdata" // the law's days are English days on any host, with or without zone files
)

// England is the zone the law's days are counted in: a time limit ends at
// midnight in England, whatever the server's own zone.
var England = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic("deadline: the embedded zone database has no Europe/London: " + err.Error())
	}
	return loc
}()

// Today is the date in England at the instant now.
func Today(now time.Time) Date { return DateOf(now.In(England)) }

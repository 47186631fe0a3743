package demo

import (
	"strconv"
	"strings"
)

// emailDomain is reserved by RFC 2606, so demo addresses can never reach a
// real mailbox and are plainly not real people's.
const emailDomain = "caseboard.example"

// The lists give 2,304 combinations for about 160 people, so drawing a fresh
// name rarely needs more than a retry or two.
var (
	firstNames = []string{
		"Aisha", "Alex", "Amara", "Ben", "Bronwen", "Callum", "Chloe", "Daniel",
		"Deepa", "Eilidh", "Emeka", "Fatima", "Fiona", "Gareth", "Grace", "Hamza",
		"Hannah", "Imran", "Isla", "Jack", "Jasmine", "Kofi", "Laura", "Liam",
		"Maya", "Mohammed", "Niamh", "Nikhil", "Olivia", "Owen", "Priya", "Rhys",
		"Ruth", "Samuel", "Sana", "Sean", "Sophie", "Tariq", "Thomas", "Uma",
		"Victoria", "Wei", "William", "Yasmin", "Zainab", "Zoe", "Marek", "Elena",
	}
	surnames = []string{
		"Adebayo", "Ahmed", "Bailey", "Bennett", "Campbell", "Chen", "Clarke", "Davies",
		"Edwards", "Evans", "Fraser", "Green", "Hall", "Hughes", "Hussain", "Jackson",
		"Jones", "Kaur", "Khan", "Kowalski", "Lewis", "Mensah", "Morgan", "Murphy",
		"Nowak", "O'Neill", "Okafor", "Patel", "Price", "Quinn", "Rahman", "Reid",
		"Roberts", "Robinson", "Shah", "Singh", "Taylor", "Thompson", "Turner", "Walker",
		"Ward", "Watson", "White", "Williams", "Wilson", "Wright", "Young", "Zhang",
	}
)

// newName draws a first name and surname not yet used in the chart.
func (b *builder) newName() (first, last string) {
	for {
		first = firstNames[b.rng.IntN(len(firstNames))]
		last = surnames[b.rng.IntN(len(surnames))]
		if full := first + " " + last; !b.names[full] {
			b.names[full] = true
			return first, last
		}
	}
}

// newEmail makes first.last@caseboard.example, adding a number when another
// name reduces to the same address (O'Neill and ONeill would).
func (b *builder) newEmail(first, last string) string {
	local := mailbox(first) + "." + mailbox(last)
	email := local + "@" + emailDomain
	for n := 2; b.emails[email]; n++ {
		email = local + strconv.Itoa(n) + "@" + emailDomain
	}
	b.emails[email] = true
	return email
}

// mailbox keeps only the lower-case ASCII letters of a name, so addresses
// are plain whatever punctuation the name has.
func mailbox(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return -1
	}, name)
}

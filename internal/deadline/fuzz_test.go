package deadline_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"caseboard/internal/deadline"
	"caseboard/internal/fault"
)

func FuzzParseHolidaysCSV(f *testing.F) {
	f.Add("date,name\n2040-12-25,Christmas Day\n")
	f.Add("# comment\n2040-12-25,Christmas Day\n2040-12-25,Again\n")
	f.Add("2040-12-25,Christmas Day\n2042-01-01,New Year's Day\n")
	f.Add("date,name\n\"2040-12-26\",\"Boxing Day, \"\"quoted\"\"\"\n")
	f.Add("2040-02-30,Nonsense\n")
	f.Add("date\n")
	f.Fuzz(func(t *testing.T, data string) {
		hs, err := deadline.ParseHolidaysCSV(strings.NewReader(data))
		if err != nil {
			if fault.CodeOf(err) != fault.Invalid {
				t.Fatalf("error not invalid: %v", err)
			}
			return
		}
		cal, err := deadline.NewCalendar(hs)
		if err != nil {
			if fault.CodeOf(err) != fault.Invalid {
				t.Fatalf("error not invalid: %v", err)
			}
			return
		}
		got := cal.Holidays()
		for i, h := range got {
			if i > 0 && !got[i-1].Date.Before(h.Date) {
				t.Fatalf("holidays not in strict date order: %v then %v", got[i-1], h)
			}
			if ok, err := cal.IsWorkingDay(h.Date); ok || err != nil {
				t.Fatalf("holiday %v is a working day (%v, %v)", h, ok, err)
			}
		}
		// Written back out as CSV, the holidays read back the same.
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		for _, h := range got {
			w.Write([]string{h.Date.String(), h.Name})
		}
		w.Flush()
		again, err := deadline.ParseHolidaysCSV(&b)
		if err != nil || len(again) != len(got) {
			t.Fatalf("round trip: %d holidays, %v; want %d", len(again), err, len(got))
		}
		for i := range got {
			if again[i] != got[i] {
				t.Fatalf("round trip changed %v to %v", got[i], again[i])
			}
		}
	})
}

// FuzzComputeCTL builds charges from day offsets around 2020 (reaching 1930
// to 2110, so well beyond the calendar both ways). present says which dates
// are recorded; flags picks the optional numbers and the end reason.
func FuzzComputeCTL(f *testing.F) {
	f.Add(uint8(0), uint16(1), int16(0), int16(0), int16(0), int16(0), int16(0), int16(0), int16(0), int16(0), int16(0), uint8(0))
	f.Add(uint8(1), uint16(0b11), int16(-700), int16(-650), int16(0), int16(0), int16(0), int16(0), int16(0), int16(0), int16(0), uint8(0))
	f.Add(uint8(1), uint16(0b101), int16(-700), int16(0), int16(-672), int16(0), int16(0), int16(0), int16(0), int16(0), int16(0), uint8(0))
	f.Add(uint8(2), uint16(0b1100101), int16(-700), int16(0), int16(-700), int16(0), int16(0), int16(-600), int16(-500), int16(0), int16(0), uint8(0))
	f.Add(uint8(0), uint16(0b1100001), int16(-700), int16(0), int16(0), int16(0), int16(0), int16(-650), int16(-630), int16(3), int16(0), uint8(0b10))
	f.Add(uint8(2), uint16(0b101), int16(2000), int16(0), int16(2000), int16(0), int16(0), int16(0), int16(0), int16(0), int16(0), uint8(0))
	f.Add(uint8(1), uint16(0b11111), int16(-700), int16(-690), int16(-680), int16(-695), int16(-600), int16(0), int16(0), int16(2), int16(14), uint8(0b101))
	f.Fuzz(func(t *testing.T, class uint8, present uint16, fa, mode, sent, cstart, cend, granted, until, earlier, mags int16, flags uint8) {
		base := deadline.NewDate(2020, 1, 1)
		at := func(bit uint, off int16) deadline.Date {
			if present&(1<<bit) == 0 {
				return deadline.Date{}
			}
			return base.AddDays(int(off))
		}
		in := deadline.CTLInput{
			Class:              []deadline.OffenceClass{deadline.SummaryOnly, deadline.EitherWay, deadline.IndictableOnly, "nonsense"}[class%4],
			FirstAppearance:    at(0, fa),
			ModeOfTrial:        at(1, mode),
			Sent:               at(2, sent),
			CustodyStart:       at(3, cstart),
			CustodyEnd:         at(4, cend),
			TrialStart:         at(7, cend+int16(earlier)),
			EarlierCustodyDays: int(earlier),
			UnderEighteen:      flags&1 != 0,
			CustodyEndReason:   []deadline.EndReason{"", deadline.Bailed, deadline.Released, "escaped"}[(flags>>1)%4],
		}
		if flags&8 != 0 {
			in.MagistratesCustodyDays = &[]int{int(mags)}[0]
		}
		if present&(1<<5) != 0 {
			in.Extensions = append(in.Extensions, deadline.Extension{Granted: at(5, granted), Until: at(6, until), Reason: "cause", Court: "court"})
		}
		cal := deadline.DefaultCalendar()
		c, err := deadline.ComputeCTL(in, cal)
		if err != nil {
			if fe := fault.As(err); fe == nil || fe.Code != fault.Invalid {
				t.Fatalf("error is not a fault.Invalid: %#v", err)
			}
			return
		}
		if ok, err := cal.IsWorkingDay(c.Expiry); !ok || err != nil {
			t.Fatalf("expiry %s is not a working day (%v)", c.Expiry, err)
		}
		if c.Expiry.After(c.Raw) {
			t.Fatalf("expiry %s after the raw limit %s", c.Expiry, c.Raw)
		}
		statutoryRaw := c.Start.AddDays(c.Days - c.Used)
		if c.Statutory.After(statutoryRaw) {
			t.Fatalf("statutory expiry %s after %s", c.Statutory, statutoryRaw)
		}
		if c.Used < 0 || c.Used >= c.Days {
			t.Fatalf("used %d of %d", c.Used, c.Days)
		}
		switch c.Days {
		case 56, 70, 182, 238:
		default:
			t.Fatalf("limit of %d days", c.Days)
		}
		if c.Extension == nil && (c.Raw != statutoryRaw || c.Expiry != c.Statutory) {
			t.Fatalf("unextended limit: raw %s expiry %s statutory %s", c.Raw, c.Expiry, c.Statutory)
		}
		if c.Extension != nil && !c.Expiry.After(c.Statutory) {
			t.Fatalf("extension to %s does not extend %s", c.Expiry, c.Statutory)
		}
		if len(c.Working) == 0 {
			t.Fatal("no working shown")
		}
		_ = c.Status(c.Expiry)
		_ = c.DaysLeft(c.Start)
	})
}

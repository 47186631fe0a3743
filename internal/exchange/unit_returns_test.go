package exchange_test

import (
	"bytes"
	"strings"
	"testing"

	"caseboard/internal/exchange"
)

const unitReturnsHeader = "unit,month,fte_crown_advocate,working_days_lost,advocacy_sessions_in_house,advocacy_sessions_counsel,crown_advocate_hours,crown_advocate_hours_available\n"

func TestReadUnitReturns(t *testing.T) {
	rows, problems, ignored, err := exchange.ReadUnitReturns(strings.NewReader(unitReturnsHeader+
		"organised_crime,2018-06,4.5,1.5,10,2,100,200,\n"+
		"extradition,01/05/2018,,0,1,0,0,0\n"+
		"extradition,2018-07,1,0,1,0,0,0\n"), "returns.csv", "2018-06", 0)
	if err != nil {
		t.Fatal(err)
	}
	if problems.Len() != 1 || problems.List()[0].Row != 4 || problems.List()[0].Column != "month" || len(ignored) != 0 {
		t.Errorf("problems %+v ignored %v", problems.List(), ignored)
	}
	if len(rows) != 2 || rows[0].Row != 2 || rows[0].Return.FTE[0].FTE != 4.5 || rows[0].Return.WorkingDaysLost != 1.5 ||
		rows[1].Return.Month != "2018-05" || len(rows[1].Return.FTE) != 0 {
		t.Errorf("rows %+v", rows)
	}
	if _, _, _, err := exchange.ReadUnitReturns(strings.NewReader("unit,month\nx,2018-01\n"), "returns.csv", "2018-06", 0); err == nil ||
		!strings.Contains(err.Error(), "working_days_lost") {
		t.Errorf("missing columns: %v", err)
	}
}

// FuzzReadUnitReturns: whatever a returns file holds, the reader gives
// rows or problems, never a panic, and every row it gives is a valid
// return.
func FuzzReadUnitReturns(f *testing.F) {
	f.Add([]byte(unitReturnsHeader + "organised_crime,2018-06,4.5,1.5,10,2,100,200\n"))
	f.Add([]byte(unitReturnsHeader + "x,2018-13,-1,NaN,1e400,,\"a\nb\",\n"))
	f.Add([]byte(unitReturnsHeader + "extradition,31/12/2017,1e-9,0.5,0,0,5,4\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, _, _, err := exchange.ReadUnitReturns(bytes.NewReader(data), "fuzz.csv", "2018-06", 0)
		if err != nil {
			return
		}
		for _, r := range rows {
			if err := r.Return.Validate("2018-06"); err != nil {
				t.Fatalf("row %d was read but is not valid: %v", r.Row, err)
			}
		}
	})
}

package exchange

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"caseboard/internal/risk"
	"caseboard/internal/spreadsheet"
)

// FuzzRiskRows: any bytes read as a risk register are rows to load or
// problems on their rows, never a panic: every row read is either a risk
// with the required dates and scores read, or has a problem.
func FuzzRiskRows(f *testing.F) {
	header := strings.Join(append(append([]string{}, risk.SpreadsheetColumns...), risk.SpreadsheetOptionalColumns...), ",") + "\n"
	f.Add([]byte(header + "t,c,e,q,operational,organised_crime,a@b.example,4,5,3,5,2,4,3,2031-01-31,OC-1,petty_france,disclosure; cta,,near,treat,open,,,,OC-2,,2018-04-02\n"))
	f.Add([]byte(header + "t,c,e,q,OPERATIONAL,x,,9,-1,1e9,,a,b,0,31/02/2031,,,;;;,,soon,TREAT,Accepted,2019-13-01,x,,;,,2999-01-01\n"))
	// A file that brings risks up to date may carry only the reference and
	// the required columns.
	f.Add([]byte("reference," + strings.Join(risk.SpreadsheetColumns, ",") + "\nOC-1,t,c,e,q,casework,organised_crime,a@b.example,4,4,4,4,2,3,1,2031-01-31\n"))
	f.Add([]byte("Title,Owner\n\"unclosed\n"))
	f.Add([]byte("\xEF\xBB\xBF" + header + strings.Repeat(",", 30) + "\n\n"))
	today := time.Date(2018, 11, 20, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		rd, err := spreadsheet.Open(bytes.NewReader(data), "fuzz.csv", 1<<20)
		if err != nil {
			return
		}
		defer rd.Close()
		if _, err := rd.Columns(risk.SpreadsheetColumns, risk.SpreadsheetOptionalColumns); err != nil {
			return
		}
		rows, raw, read := readRiskRows(rd, today)
		if len(rows)+rd.Problems().Rows() != read {
			t.Fatalf("%d rows read: %d risks and %d rows with problems", read, len(rows), rd.Problems().Rows())
		}
		for _, r := range rows {
			sd := r.Seed
			if sd.Risk.NextReview.IsZero() || sd.Unit == "" || sd.OwnerEmail == "" || sd.Raised.After(today) || raw[r.Row] == nil {
				t.Fatalf("row %d read without a problem but incomplete: %+v", r.Row, sd)
			}
		}
	})
}

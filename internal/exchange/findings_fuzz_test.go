package exchange

import (
	"bytes"
	"testing"

	"caseboard/internal/spreadsheet"
)

// FuzzReadFindings: whatever a findings file holds, reading its rows never
// panics, and every row it accepts names a finding as the export does and
// carries a whole response or none; the store checks the rest.
func FuzzReadFindings(f *testing.F) {
	const header = "inspection,finding,paragraph,text,criteria,accountable_owner_email,response,response_text,response_on\n"
	for _, seed := range []string{
		header + "The Inspection,Recommendation 3,3.7,Risk strategy,B1.1; B1.2,hod@caseboard.example,Accepted,The CPS accept,2019-03-01\n",
		header + "The Inspection,Good practice 1,4.2,Liaison,,,,,\n",
		header + "The Inspection,Aspect for improvement 1,5.1,De-briefs,B2.6,,partially_accepted,In part,01/04/2019\n",
		header + "The Inspection,Recommendation 0,3.7,x,,,Accepted,,\n",
		header + "The Inspection,recommendation x,,,,,,Text only,31/02/2019\n",
		"inspection,finding,paragraph\nx,y,z\n",
		header + "\"unterminated,Recommendation 1,1,x\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rd, err := spreadsheet.Open(bytes.NewReader(data), "findings.csv", 1<<20)
		if err != nil {
			return
		}
		defer rd.Close()
		rows, res, err := readFindings(rd)
		if err != nil {
			return
		}
		if res.Summary.Read < len(rows) {
			t.Fatalf("read %d rows but accepted %d", res.Summary.Read, len(rows))
		}
		for _, r := range rows {
			if !r.Kind.Valid() || r.Number < 1 {
				t.Fatalf("row %d: accepted the finding %q %d", r.Row, r.Kind, r.Number)
			}
			if r.InspectionTitle == "" || r.Paragraph == "" || r.Text == "" {
				t.Fatalf("row %d: accepted without an inspection, paragraph or text: %+v", r.Row, r)
			}
			if resp := r.Response; resp != nil && (!resp.Decision.Valid() || resp.Text == "" || resp.On.IsZero()) {
				t.Fatalf("row %d: accepted part of a response: %+v", r.Row, resp)
			}
			for _, c := range r.Criteria {
				if c == "" || bytes.ContainsAny([]byte(c), ",; \t\n") {
					t.Fatalf("row %d: criterion %q", r.Row, c)
				}
			}
		}
	})
}

package spreadsheet

import "testing"

// TestNeutralise: the quote rule is reversible for every text, including
// text that already starts with quotes.
func TestNeutralise(t *testing.T) {
	for _, tc := range []struct{ in, stored string }{
		{"=1+1", "'=1+1"}, {"+1", "'+1"}, {"-2+3", "'-2+3"}, {"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"}, {"\rx", "'\rx"}, {"'=1", "''=1"}, {"''-1", "'''-1"},
		{"plain", "plain"}, {"'quoted", "'quoted"}, {"'", "'"}, {"''", "''"}, {"", ""},
		{" =1", " =1"}, {"a=1", "a=1"}, {"\n=1", "\n=1"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := neutralise(tc.in); got != tc.stored {
				t.Fatalf("neutralise(%q) = %q, want %q", tc.in, got, tc.stored)
			}
			if got := restore(tc.stored); got != tc.in {
				t.Fatalf("restore(%q) = %q, want %q", tc.stored, got, tc.in)
			}
		})
	}
}

func TestColumnName(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA", 16383: "XFD"} {
		if got := columnName(i); got != want {
			t.Errorf("columnName(%d) = %q, want %q", i, got, want)
		}
	}
}

func TestSizeText(t *testing.T) {
	for n, want := range map[int64]string{1000: "1000 bytes", 4 << 10: "4 KB", 1500: "1500 bytes", 20 << 20: "20 MB", 25 << 19: "12.5 MB"} {
		if got := sizeText(n); got != want {
			t.Errorf("sizeText(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestNormalise(t *testing.T) {
	for in, want := range map[string]string{"Case URN": "case urn", " case_urn ": "case urn", "CASE-URN": "case urn", "Case  __ URN": "case urn", "Opened on": "opened on"} {
		if got := normalise(in); got != want {
			t.Errorf("normalise(%q) = %q, want %q", in, got, want)
		}
	}
}

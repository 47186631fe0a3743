package web

import "testing"

func TestNumbers(t *testing.T) {
	share, none := 0.826, (*float64)(nil)
	tiny := 0.00002
	for _, c := range []struct{ got, want string }{
		{percent(share), "83%"}, {percent(&share), "83%"}, {percent(none), "–"}, {percent(nil), "–"},
		{decimal(&share, 2), "0.83"}, {decimal(none, 2), "–"}, {decimal(3, 1), "3.0"},
		{pValue(&tiny), "< 0.0001"}, {pValue(0.0107), "0.0107"}, {pValue(none), "–"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

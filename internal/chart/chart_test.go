package chart

import "testing"

func ptr(v float64) *float64 { return &v }

func TestValueRange(t *testing.T) {
	for _, c := range []struct {
		name      string
		values    []*float64
		target    *float64
		low, high float64
		ok        bool
	}{
		{"Spread", []*float64{ptr(2), ptr(5)}, nil, 2, 5, true},
		{"TargetWidens", []*float64{ptr(0.7), ptr(0.8)}, ptr(0.9), 0.7, 0.9, true},
		{"FlatZeroStaysAboveZero", []*float64{ptr(0), ptr(0)}, nil, 0, 1, true},
		{"FlatNegative", []*float64{ptr(-5), ptr(-5)}, nil, -6, -4, true},
		{"NoData", []*float64{nil}, ptr(1), 0, 0, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			low, high, ok := valueRange(c.values, c.target)
			if ok != c.ok || low != c.low || high != c.high {
				t.Errorf("got %v..%v (%v), want %v..%v (%v)", low, high, ok, c.low, c.high, c.ok)
			}
		})
	}
}

// FuzzRasterText writes any text, wrapped, on a small image: whatever a
// unit head writes, the PNG poster draws it without failing.
func FuzzRasterText(f *testing.F) {
	f.Add("A steady quarter – the Crown Court team met its targets.")
	f.Add("\x00\xff(unbalanced) \\ ) €\n\n  ")
	f.Fuzz(func(t *testing.T, text string) {
		r := NewRaster(60, 30, 72)
		Paragraph(r, 2, 2, 56, 10, false, Black, text)
		r.Text(2, 20, 56, 8, true, Grey, Right, text)
		if _, err := r.PNG(); err != nil {
			t.Fatal(err)
		}
	})
}

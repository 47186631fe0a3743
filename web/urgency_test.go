package web

import (
	"testing"
	"time"
)

func TestUrgency(t *testing.T) {
	today := time.Now().Truncate(24 * time.Hour)
	for _, tc := range []struct {
		days int
		want string
	}{{-1, "app-date--overdue"}, {0, "app-date--soon"}, {7, "app-date--soon"}, {8, ""}} {
		if got := urgency(today.AddDate(0, 0, tc.days)); got != tc.want {
			t.Errorf("%d days: %q, want %q", tc.days, got, tc.want)
		}
	}
}

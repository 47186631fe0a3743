package knowledge

import "strings"

// Op is what happened to a line between two versions.
type Op string

const (
	Same    Op = "same"
	Added   Op = "added"
	Removed Op = "removed"
)

// Line is one line of a diff, with its numbers in the old and new texts (0
// where it is not in that text).
type Line struct {
	Op   Op     `json:"op"`
	Old  int    `json:"old,omitempty"`
	New  int    `json:"new,omitempty"`
	Text string `json:"text"`
}

// DiffLines compares two texts line by line and returns the shortest edit
// from a to b (Myers' algorithm), every line of both texts in order.
func DiffLines(a, b string) []Line {
	x, y := splitLines(a), splitLines(b)
	// Lines the texts share at the start and the end need no search.
	pre := 0
	for pre < len(x) && pre < len(y) && x[pre] == y[pre] {
		pre++
	}
	suf := 0
	for suf < len(x)-pre && suf < len(y)-pre && x[len(x)-1-suf] == y[len(y)-1-suf] {
		suf++
	}
	var out []Line
	for i := 0; i < pre; i++ {
		out = append(out, Line{Op: Same, Old: i + 1, New: i + 1, Text: x[i]})
	}
	for _, l := range myers(x[pre:len(x)-suf], y[pre:len(y)-suf]) {
		if l.Old > 0 {
			l.Old += pre
		}
		if l.New > 0 {
			l.New += pre
		}
		out = append(out, l)
	}
	for i := suf; i > 0; i-- {
		out = append(out, Line{Op: Same, Old: len(x) - i + 1, New: len(y) - i + 1, Text: x[len(x)-i]})
	}
	return out
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// myers finds a shortest edit script. Its memory grows with the number of
// differences times the texts' length, so two very different long texts
// fall back to "all removed, all added", which is still a true diff.
func myers(x, y []string) []Line {
	n, m := len(x), len(y)
	max := n + m
	if max == 0 {
		return nil
	}
	const budget = 8 << 20 // cells of trace kept
	offset := max
	v := make([]int, 2*max+2)
	var trace [][]int
	cells := 0
	found := false
	for d := 0; d <= max && !found; d++ {
		snapshot := make([]int, len(v))
		copy(snapshot, v)
		trace = append(trace, snapshot)
		cells += len(v)
		if cells > budget {
			return replaceAll(x, y)
		}
		for k := -d; k <= d; k += 2 {
			var i int
			if k == -d || (k != d && v[offset+k-1] < v[offset+k+1]) {
				i = v[offset+k+1] // down: insertion
			} else {
				i = v[offset+k-1] + 1 // right: deletion
			}
			j := i - k
			for i < n && j < m && x[i] == y[j] {
				i, j = i+1, j+1
			}
			v[offset+k] = i
			if i >= n && j >= m {
				found = true
				break
			}
		}
	}
	// Walk back through the trace.
	var rev []Line
	i, j := n, m
	for d := len(trace) - 1; d >= 0; d-- {
		vd := trace[d]
		k := i - j
		var prevK int
		if k == -d || (k != d && vd[offset+k-1] < vd[offset+k+1]) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevI := vd[offset+prevK]
		prevJ := prevI - prevK
		for i > prevI && j > prevJ {
			rev = append(rev, Line{Op: Same, Old: i, New: j, Text: x[i-1]})
			i, j = i-1, j-1
		}
		if d > 0 {
			if i == prevI {
				rev = append(rev, Line{Op: Added, New: j, Text: y[j-1]})
			} else {
				rev = append(rev, Line{Op: Removed, Old: i, Text: x[i-1]})
			}
		}
		i, j = prevI, prevJ
	}
	out := make([]Line, len(rev))
	for idx := range rev {
		out[idx] = rev[len(rev)-1-idx]
	}
	return out
}

func replaceAll(x, y []string) []Line {
	var out []Line
	for i, s := range x {
		out = append(out, Line{Op: Removed, Old: i + 1, Text: s})
	}
	for j, s := range y {
		out = append(out, Line{Op: Added, New: j + 1, Text: s})
	}
	return out
}

// VersionText is a version as the diff compares it: title and summary as
// the first lines, then the body.
func VersionText(title, summary, body string) string {
	return "# " + title + "\n\n" + summary + "\n\n" + body
}

// DiffStats counts the lines added and removed.
func DiffStats(lines []Line) (added, removed int) {
	for _, l := range lines {
		switch l.Op {
		case Added:
			added++
		case Removed:
			removed++
		}
	}
	return added, removed
}

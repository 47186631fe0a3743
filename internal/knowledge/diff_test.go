package knowledge_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"caseboard/internal/knowledge"
)

func render(lines []knowledge.Line) string {
	var b strings.Builder
	for _, l := range lines {
		switch l.Op {
		case knowledge.Same:
			b.WriteString(" ")
		case knowledge.Added:
			b.WriteString("+")
		case knowledge.Removed:
			b.WriteString("-")
		}
		b.WriteString(l.Text + "\n")
	}
	return b.String()
}

func TestDiffLines(t *testing.T) {
	for _, tc := range []struct{ name, a, b, want string }{
		{"Same", "a\nb", "a\nb", " a\n b\n"},
		{"Empty to text", "", "a\nb", "+a\n+b\n"},
		{"Text to empty", "a\nb\n", "", "-a\n-b\n"},
		{"Change in the middle", "a\nb\nc", "a\nB\nc", " a\n-b\n+B\n c\n"},
		{"Insert", "a\nc", "a\nb\nc", " a\n+b\n c\n"},
		{"Delete", "a\nb\nc", "a\nc", " a\n-b\n c\n"},
		{"Move", "a\nb\nc\nd", "b\nc\na\nd", "-a\n b\n c\n+a\n d\n"},
		{"CRLF", "a\r\nb\r\n", "a\nb\n", " a\n b\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := render(knowledge.DiffLines(tc.a, tc.b)); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
	lines := knowledge.DiffLines("a\nb\nc", "a\nx\nc")
	if lines[1].Old != 2 || lines[1].New != 0 || lines[2].New != 2 || lines[3].Old != 3 || lines[3].New != 3 {
		t.Errorf("line numbers: %+v", lines)
	}
	if add, rem := knowledge.DiffStats(lines); add != 1 || rem != 1 {
		t.Errorf("stats %d %d", add, rem)
	}
}

// TestDiffRebuilds checks on random texts that the diff's old side is the
// old text, its new side the new text, and that it is no longer than the
// shortest edit (the lines not kept are exactly those outside a longest
// common subsequence).
func TestDiffRebuilds(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	text := func() []string {
		out := make([]string, rng.IntN(30))
		for i := range out {
			out[i] = string(rune('a' + rng.IntN(5)))
		}
		return out
	}
	for i := 0; i < 500; i++ {
		x, y := text(), text()
		lines := knowledge.DiffLines(strings.Join(x, "\n"), strings.Join(y, "\n"))
		var oldSide, newSide []string
		same := 0
		for _, l := range lines {
			if l.Op != knowledge.Added {
				oldSide = append(oldSide, l.Text)
			}
			if l.Op != knowledge.Removed {
				newSide = append(newSide, l.Text)
			}
			if l.Op == knowledge.Same {
				same++
			}
		}
		if strings.Join(oldSide, "\n") != strings.Join(x, "\n") || strings.Join(newSide, "\n") != strings.Join(y, "\n") {
			t.Fatalf("diff of %v and %v does not rebuild them", x, y)
		}
		if want := lcs(x, y); same != want {
			t.Fatalf("diff of %v and %v keeps %d lines, the longest common subsequence is %d", x, y, same, want)
		}
	}
}

func lcs(x, y []string) int {
	t := make([][]int, len(x)+1)
	for i := range t {
		t[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				t[i][j] = t[i+1][j+1] + 1
			} else {
				t[i][j] = max(t[i+1][j], t[i][j+1])
			}
		}
	}
	return t[0][0]
}

func TestDiffLargeDifferentTexts(t *testing.T) {
	var a, b strings.Builder
	for i := 0; i < 5000; i++ {
		a.WriteString("old line " + string(rune('a'+i%26)) + strings.Repeat("x", i%7) + "\n")
		b.WriteString("new line " + string(rune('a'+i%26)) + strings.Repeat("y", i%5) + "\n")
	}
	lines := knowledge.DiffLines(a.String(), b.String())
	if add, rem := knowledge.DiffStats(lines); add != 5000 || rem != 5000 {
		t.Fatalf("%d added, %d removed", add, rem)
	}
}

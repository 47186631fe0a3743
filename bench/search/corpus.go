package main

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// The corpus is made of the reports' own words in their own sentence
// shapes: vocabulary.txt holds every word of the reports with how often
// it occurs, commonest first, and shapes.txt every sentence's shape (the
// lengths of its comma-separated parts) with how often it occurs. Words
// are drawn by rank from a Zipf distribution, as words in real text are,
// so a few words are in nearly every article and most in few.

// vocabulary is the reports' words, commonest first, and the sentence
// shapes to fill with them.
type vocabulary struct {
	words  []string
	shapes [][]int // each a sentence: word counts between commas
	weight []int   // how often each shape occurs
	total  int
}

var wordRE = regexp.MustCompile(`[A-Za-z][A-Za-z']*[A-Za-z]|[A-Za-z]`)

// extract reads the reports in dir and writes vocabulary.txt and
// shapes.txt to out.
func extract(dir, out string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no reports in %s: %v", dir, err)
	}
	counts := map[string]int{}
	shapes := map[string]int{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		for _, sentence := range strings.FieldsFunc(string(data), func(r rune) bool { return r == '.' || r == '?' || r == '!' || r == '\n' }) {
			var shape []string
			for _, part := range strings.Split(sentence, ",") {
				words := wordRE.FindAllString(part, -1)
				if len(words) == 0 {
					continue
				}
				for _, w := range words {
					counts[strings.ToLower(w)]++
				}
				shape = append(shape, strconv.Itoa(len(words)))
			}
			if n := len(shape); n > 0 && !(n == 1 && shape[0] < "3" && len(shape[0]) == 1) {
				shapes[strings.Join(shape, " ")]++
			}
		}
	}
	if err := writeCounts(filepath.Join(out, "vocabulary.txt"), counts); err != nil {
		return err
	}
	return writeCounts(filepath.Join(out, "shapes.txt"), shapes)
}

// writeCounts writes "count<TAB>key" lines, commonest first.
func writeCounts(path string, counts map[string]int) error {
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if counts[keys[i]] != counts[keys[j]] {
			return counts[keys[i]] > counts[keys[j]]
		}
		return keys[i] < keys[j]
	})
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%d\t%s\n", counts[k], k)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// loadVocabulary reads the two files extract wrote.
func loadVocabulary(dir string) (*vocabulary, error) {
	v := &vocabulary{}
	err := readCounts(filepath.Join(dir, "vocabulary.txt"), func(n int, key string) error {
		v.words = append(v.words, key)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = readCounts(filepath.Join(dir, "shapes.txt"), func(n int, key string) error {
		var shape []int
		for _, f := range strings.Fields(key) {
			k, err := strconv.Atoi(f)
			if err != nil {
				return err
			}
			shape = append(shape, k)
		}
		v.shapes = append(v.shapes, shape)
		v.weight = append(v.weight, n)
		v.total += n
		return nil
	})
	return v, err
}

func readCounts(path string, fn func(n int, key string) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		count, key, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(count)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if err := fn(n, key); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	return sc.Err()
}

// article is one generated article.
type article struct {
	Title, Summary, Body string
	// Extra is what caseboard searches beside the text: tags and a case
	// reference, unique to the article (the rarest query).
	Extra string
}

var benchTags = []string{"eaw", "money-laundering", "prison-conditions", "mla", "eio", "cyber-crime", "confiscation", "asset-recovery"}

// generator makes article i the same way every time for a seed.
type generator struct {
	v    *vocabulary
	seed uint64
}

// zipfS is the Zipf exponent: about 1, as for English text.
const zipfS = 1.07

func (g generator) article(i int) article {
	r := rand.New(rand.NewPCG(g.seed, uint64(i)))
	z := rand.NewZipf(r, zipfS, 1, uint64(len(g.v.words)-1))
	title := g.sentence(r, z, []int{4 + r.IntN(6)})
	summary := g.sentence(r, z, g.shape(r))
	var body strings.Builder
	words := 0
	target := 900 + r.IntN(200)
	for words < target {
		for s := 2 + r.IntN(5); s > 0 && words < target; s-- {
			shape := g.shape(r)
			for _, n := range shape {
				words += n
			}
			body.WriteString(g.sentence(r, z, shape))
			body.WriteByte(' ')
		}
		body.WriteString("\n\n")
	}
	tag := benchTags[r.IntN(len(benchTags))]
	extra := fmt.Sprintf("%s %s CR%07d", tag, strings.ReplaceAll(tag, "-", " "), i)
	return article{Title: strings.TrimSuffix(title, "."), Summary: summary, Body: strings.TrimSpace(body.String()), Extra: extra}
}

func (g generator) shape(r *rand.Rand) []int {
	n := r.IntN(g.v.total)
	for i, w := range g.v.weight {
		if n < w {
			return g.v.shapes[i]
		}
		n -= w
	}
	return g.v.shapes[0]
}

func (g generator) sentence(r *rand.Rand, z *rand.Zipf, shape []int) string {
	var b strings.Builder
	for p, n := range shape {
		if p > 0 {
			b.WriteString(", ")
		}
		for k := 0; k < n; k++ {
			if k > 0 {
				b.WriteByte(' ')
			}
			w := g.v.words[z.Uint64()]
			if p == 0 && k == 0 {
				rs := []rune(w)
				rs[0] = unicode.ToUpper(rs[0])
				w = string(rs)
			}
			b.WriteString(w)
		}
	}
	b.WriteByte('.')
	return b.String()
}

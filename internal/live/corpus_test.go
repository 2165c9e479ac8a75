package live

import (
	"bufio"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/shared"
)

// A synthetic corpus for load benchmarks: as many articles as asked, in
// events of skewed sizes, written by many outlets in the dev sets'
// languages. Real sentences (ECB+ and WMT dev articles) make the text,
// extraction, language, dedup and intel work as on news; each event mixes
// the sentences of three articles of one language and names invented
// people and places, so events are told apart as distinct events are.

// corpusDoc is one source article's sentences.
type corpusDoc struct {
	lang      string
	sentences []string
}

// loadCorpusDocs reads the dev sets' articles, by language.
func loadCorpusDocs(tb testing.TB) map[string][]corpusDoc {
	tb.Helper()
	byLang := map[string][]corpusDoc{}
	for _, rel := range []string{"data/ecbplus-dev.jsonl", "data/wmt-dev-stories.jsonl"} {
		f, err := os.Open(shared.Path(tb, rel))
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			var r struct{ Lang, Text string }
			if json.Unmarshal(sc.Bytes(), &r) != nil || r.Lang == "" {
				continue
			}
			var ss []string
			for line := range strings.Lines(r.Text) {
				// Lines long enough to be sentences, not URLs and dates.
				if line = strings.TrimSpace(line); len(line) > 60 && !strings.Contains(line, "http") {
					ss = append(ss, line)
				}
			}
			if len(ss) >= 3 {
				byLang[r.Lang] = append(byLang[r.Lang], corpusDoc{lang: r.Lang, sentences: ss})
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			tb.Fatal(err)
		}
	}
	return byLang
}

// eventWords makes an event's own vocabulary in the script of its
// sentences: words glued from pieces of the sentences' words. Its articles
// share it, and no other event has it, as real events share the names
// and terms of what happened and differ from other events by them.
func eventWords(r *rand.Rand, sents []string) []string {
	var pieces [][]rune
	for _, s := range sents {
		for _, w := range strings.Fields(s) {
			rs := []rune(w)
			if len(rs) > 12 { // a script without spaces: any two letters
				for range 4 {
					i := r.IntN(len(rs) - 1)
					pieces = append(pieces, rs[i:i+2])
				}
			} else if len(rs) >= 4 && unicode.IsLetter(rs[0]) && unicode.IsLetter(rs[2]) {
				i := r.IntN(len(rs) - 2)
				pieces = append(pieces, rs[i:i+2])
			}
		}
	}
	if len(pieces) == 0 {
		return []string{inventedName(r)}
	}
	out := make([]string, 40)
	for i := range out {
		var w []rune
		for range 2 + r.IntN(2) {
			w = append(w, pieces[r.IntN(len(pieces))]...)
		}
		out[i] = string(w)
	}
	return out
}

// respell puts the event's words in a sentence: half the long words in a
// script with spaces, two insertions in one without.
func respell(r *rand.Rand, s string, vocab []string) string {
	f := strings.Fields(s)
	if len(f) <= 2 {
		rs := []rune(s)
		for range 2 {
			i := r.IntN(len(rs) + 1)
			rs = slices.Insert(rs, i, []rune(vocab[r.IntN(len(vocab))])...)
		}
		return string(rs)
	}
	for i, w := range f {
		if utf8.RuneCountInString(w) >= 5 && r.IntN(2) == 0 {
			f[i] = vocab[r.IntN(len(vocab))]
		}
	}
	return strings.Join(f, " ")
}

var syllables = []string{"ka", "ro", "vel", "mi", "tan", "sor", "ne", "dal", "qu", "ist", "bra", "lo", "fen", "ur", "ma", "tek", "si", "gor", "an", "vi"}

// inventedName makes a capitalised pseudo-word from r.
func inventedName(r *rand.Rand) string {
	var b strings.Builder
	for range 2 + r.IntN(2) {
		b.WriteString(syllables[r.IntN(len(syllables))])
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

// corpusLine is one JSONL input line, as storyline ingests them.
type corpusLine struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Text      string    `json:"text"`
	Lang      string    `json:"lang"`
	Source    string    `json:"source"`
	URL       string    `json:"url"`
	Published time.Time `json:"published"`
}

// writeCorpus writes n articles to path as JSONL in order of publication,
// from seed (the same seed, the same corpus). Event sizes follow a
// heavy-tailed law: most events have one to three articles, a few hundreds.
func writeCorpus(tb testing.TB, path string, n int, seed uint64) {
	tb.Helper()
	docs := loadCorpusDocs(tb)
	langs := slices.Sorted(func(yield func(string) bool) {
		for l := range docs {
			if !yield(l) {
				return
			}
		}
	})
	r := rand.New(rand.NewPCG(seed, 0x5707))
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var lines []corpusLine
	for ev := 0; len(lines) < n; ev++ {
		// English carries half the events, as in the dev sets.
		lang := "en"
		if r.IntN(2) == 0 {
			lang = langs[r.IntN(len(langs))]
		}
		pool := docs[lang]
		var sents []string
		for range 3 {
			d := pool[r.IntN(len(pool))]
			sents = append(sents, d.sentences...)
		}
		who, where := inventedName(r)+" "+inventedName(r), inventedName(r)
		vocab := eventWords(r, sents)
		size := min(int(1/(1-r.Float64()*0.995)), 300, n-len(lines)) // Pareto-like, 1..200
		day := start.Add(time.Duration(r.IntN(180*24)) * time.Hour)
		for k := range size {
			pick := slices.Clone(sents)
			r.Shuffle(len(pick), func(i, j int) { pick[i], pick[j] = pick[j], pick[i] })
			pick = pick[:max(3, len(pick)*2/3)]
			for i := range pick {
				pick[i] = respell(r, pick[i], vocab)
			}
			pick[0] = who + " (" + where + ") — " + pick[0]
			pick[len(pick)/2] = pick[len(pick)/2] + " " + who + " said in " + where + "."
			h := fnv.New32a()
			fmt.Fprint(h, ev, k)
			outlet := fmt.Sprintf("Outlet %03d", h.Sum32()%400)
			lines = append(lines, corpusLine{
				ID: fmt.Sprintf("ev%d-%d", ev, k), Lang: lang, Source: outlet,
				URL:       fmt.Sprintf("https://outlet%03d.example/%d/%d", h.Sum32()%400, ev, k),
				Title:     who + ": " + strings.Join(strings.Fields(pick[1])[:min(8, len(strings.Fields(pick[1])))], " "),
				Text:      strings.Join(pick, "\n\n"),
				Published: day.Add(time.Duration(r.IntN(72)) * time.Hour),
			})
		}
	}
	slices.SortStableFunc(lines, func(a, b corpusLine) int { return a.Published.Compare(b.Published) })
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	for _, l := range lines {
		if err := enc.Encode(l); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
}

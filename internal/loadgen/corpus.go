package loadgen

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Corpus is the material a stream is made of: the sentences of real
// articles, by language.
type Corpus struct {
	docs map[string][]doc // by language, in file order
}

// doc is one source article's sentences.
type doc []string

// Langs returns the corpus's languages, sorted.
func (c *Corpus) Langs() []string {
	var ls []string
	for l := range c.docs {
		ls = append(ls, l)
	}
	slices.Sort(ls)
	return ls
}

// Docs returns how many source articles the corpus holds in lang.
func (c *Corpus) Docs(lang string) int { return len(c.docs[lang]) }

// minDocSentences is the fewest usable sentences a source article needs:
// an event draws its articles from a few of them, and an article takes a
// part of their sentences.
const minDocSentences = 3

// LoadCorpus reads JSON-lines files of articles: objects with "text" and
// "lang" (ECB+ and WMT dev sets, storyline's JSONL input), or pairs with
// "text1", "lang1", "text2", "lang2" (the SemEval dev set). Each distinct
// text becomes one source article; its sentences are its lines, or, for a
// line that holds several, the pieces between sentence ends. Lines that
// look like URLs, e-mail addresses or datelines are left out. The same
// files in the same order give the same corpus.
func LoadCorpus(ctx context.Context, paths ...string) (*Corpus, error) {
	c := &Corpus{docs: map[string][]doc{}}
	seen := map[[32]byte]bool{}
	add := func(lang, text string) {
		lang = strings.ToLower(strings.TrimSpace(lang))
		if lang == "" || text == "" {
			return
		}
		key := sha256.Sum256([]byte(text))
		if seen[key] {
			return
		}
		seen[key] = true
		if d := sentences(text); len(d) >= minDocSentences {
			c.docs[lang] = append(c.docs[lang], d)
		}
	}
	for _, p := range paths {
		if err := readJSONL(ctx, p, func(r record) {
			add(r.Lang, r.Text)
			add(r.Lang1, r.Text1)
			add(r.Lang2, r.Text2)
		}); err != nil {
			return nil, err
		}
	}
	if len(c.docs) == 0 {
		return nil, fmt.Errorf("loadgen: no usable articles in %s", strings.Join(paths, ", "))
	}
	return c, nil
}

// record is what LoadCorpus reads of a line.
type record struct {
	Text, Lang                 string
	Text1, Lang1, Text2, Lang2 string
}

func readJSONL(ctx context.Context, path string, fn func(record)) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("loadgen: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for n := 1; sc.Scan(); n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return fmt.Errorf("loadgen: %s line %d: %w", path, n, err)
		}
		fn(r)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("loadgen: read %s: %w", path, err)
	}
	return nil
}

// Sentence lengths kept: shorter pieces are headings, bylines and
// fragments of a cut; longer ones are run-together paragraphs.
const (
	minSentenceRunes        = 30
	minSentenceRunesUnspace = 12 // Chinese and Japanese say more a character
	maxSentenceRunes        = 600
)

// sentences cuts a text into its usable sentences.
func sentences(text string) []string {
	var out []string
	for line := range strings.Lines(text) {
		for _, s := range splitSentences(strings.TrimSpace(line)) {
			if usable(s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// splitSentences cuts a line after each sentence end that is followed by a
// space, or after an ideographic one.
func splitSentences(line string) []string {
	var out []string
	start := 0
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		switch rs[i] {
		case '。', '！', '？':
			out = append(out, string(rs[start:i+1]))
			start = i + 1
		case '.', '!', '?', '؟':
			if i+1 < len(rs) && unicode.IsSpace(rs[i+1]) && i-start > 20 {
				out = append(out, string(rs[start:i+1]))
				start = i + 1
			}
		}
	}
	out = append(out, string(rs[start:]))
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	return out
}

func usable(s string) bool {
	n := utf8.RuneCountInString(s)
	min := minSentenceRunes
	if unspaced(s) {
		min = minSentenceRunesUnspace
	}
	if n < min || n > maxSentenceRunes {
		return false
	}
	l := strings.ToLower(s)
	for _, bad := range []string{"http", "www.", "@", ".com", "©"} {
		if strings.Contains(l, bad) {
			return false
		}
	}
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters*2 > n // mostly words, not figures and punctuation
}

// unspaced reports whether most of the letters of sents are of scripts
// written without spaces between words.
func unspaced(sents ...string) bool {
	var cjk, other int
	for _, s := range sents {
		for _, r := range s {
			switch {
			case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai):
				cjk++
			case unicode.IsLetter(r):
				other++
			}
		}
	}
	return cjk > other
}

// DevSets are the dev sets LoadDevSets reads, inside the shared folder.
var DevSets = []string{"data/ecbplus-dev.jsonl", "data/wmt-dev-stories.jsonl", "data/semeval8-pairs-dev.jsonl"}

// LoadDevSets loads the corpus of the dev sets in the shared folder dir
// (see package shared).
func LoadDevSets(ctx context.Context, dir string) (*Corpus, error) {
	var paths []string
	for _, p := range DevSets {
		paths = append(paths, filepath.Join(dir, p))
	}
	return LoadCorpus(ctx, paths...)
}

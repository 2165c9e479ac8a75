// Package segment cuts Japanese and Chinese text into words. Both write
// without spaces; character bigrams stand in for words without a
// segmenter, but their commonest pairs (いる, てい, 氏の) become a text's
// heaviest "terms" and link unrelated articles, so the story features and
// the name finder segment with real dictionaries: kagome with the IPA
// dictionary for Japanese; for Chinese, gse's jieba-derived dictionary with
// gse's shortest-path segmentation, reimplemented in a tenth of the memory
// (zh.go).
//
// The dictionaries load the first time a text needs them (about 0.6 s for
// Japanese, 0.5 s for Chinese): a stream without such articles pays nothing.
package segment

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/ikawaha/kagome-dict/dict"
	"github.com/ikawaha/kagome-dict/ipa"
	"github.com/ikawaha/kagome/v2/tokenizer"
)

var (
	jaOnce sync.Once
	jaTok  *tokenizer.Tokenizer
)

// Kagome returns the shared Japanese tokenizer (nil if its dictionary
// failed to load). It is safe for concurrent use.
func Kagome() *tokenizer.Tokenizer {
	jaOnce.Do(func() {
		d := ipa.Dict()
		trimContents(d)
		t, err := tokenizer.New(d, tokenizer.OmitBosEos())
		if err == nil {
			jaTok = t
		}
	})
	return jaTok
}

// trimContents keeps, of the features of each word the Japanese dictionary
// knows, the two Japanese reads: base form and reading (its parts of
// speech are kept apart, in d.POSTable). As loaded, the dictionary holds
// all its words' features as strings: the loaded dictionary took 88 MiB of
// live heap, 55 with two interned strings a word.
// The dictionary is the ipa package's own, shared: nothing else in this
// program reads it, and Features of a known word now gives those two.
// A dictionary whose words differ in how many parts of speech precede
// their features (the IPA dictionary's do not) is left whole.
func trimContents(d *dict.Dict) {
	base, okBase := d.ContentsMeta[dict.BaseFormIndex]
	reading, okReading := d.ContentsMeta[dict.ReadingIndex]
	if !okBase || !okReading || len(d.POSTable.POSs) != len(d.Contents) || len(d.Contents) == 0 {
		return
	}
	// Features count the parts of speech first (tokenizer.Token.FeatureAt).
	npos := len(d.POSTable.POSs[0])
	for _, p := range d.POSTable.POSs {
		if len(p) != npos {
			return
		}
	}
	bi, ri := int(base)-npos, int(reading)-npos
	if bi < 0 || ri < 0 {
		return
	}
	seen := make(map[string]string)
	intern := func(row []string, i int) string {
		if i >= len(row) {
			return "*" // what the dictionary writes for a missing feature
		}
		s, ok := seen[row[i]]
		if !ok {
			s = strings.Clone(row[i]) // not a piece of the loaded text, which can go
			seen[s] = s
		}
		return s
	}
	flat := make([]string, 2*len(d.Contents))
	for i, row := range d.Contents {
		flat[2*i], flat[2*i+1] = intern(row, bi), intern(row, ri)
		d.Contents[i] = flat[2*i : 2*i+2 : 2*i+2]
	}
	d.ContentsMeta = dict.ContentsMeta{dict.BaseFormIndex: int8(npos), dict.ReadingIndex: int8(npos + 1)}
}

// Preload loads the Japanese and Chinese dictionaries now rather than on
// first use, where loading (about a second each) holds the first article
// of either language and every one behind it.
func Preload() {
	Kagome()
	loadZh()
}

// Word is one word of a segmented text.
type Word struct {
	Surface string // as written
	// Base is the dictionary form (Japanese verbs and adjectives inflect);
	// the surface for Chinese.
	Base string
	// Reading is a Japanese word's reading in katakana, "" when the
	// dictionary has none (Chinese, unknown words).
	Reading string
	// Content says the word carries meaning: a noun, verb or adjective,
	// not a particle, auxiliary, pronoun, suffix or symbol.
	Content bool
	// Name says the word is a proper noun, or a katakana word the
	// dictionary does not know (a foreign name: ルッテ).
	Name bool
}

// Japanese segments Japanese text. It returns nil when the dictionary is
// unavailable, so that callers can fall back to bigrams.
func Japanese(s string) []Word {
	t := Kagome()
	if t == nil {
		return nil
	}
	toks := t.Tokenize(s)
	out := make([]Word, 0, len(toks))
	for _, tok := range toks {
		pos := tok.POS()
		w := Word{Surface: tok.Surface, Base: tok.Surface}
		if b, ok := tok.BaseForm(); ok && b != "*" && b != "" {
			w.Base = b
		}
		if r, ok := tok.Reading(); ok && r != "*" {
			w.Reading = r
		}
		w.Content = jaContent(pos, w.Base)
		w.Name = w.Content && (len(pos) >= 2 && pos[1] == "固有名詞" ||
			w.Reading == "" && ForeignName(w.Surface))
		out = append(out, w)
	}
	return out
}

// minForeignKana is the shortest katakana word the dictionary does not
// know that is taken for a foreign name: shorter ones are too often
// fragments of one.
const minForeignKana = 3

// ForeignName reports whether a word the Japanese dictionary does not know
// reads as a foreign name: katakana (with the middle dot and the long
// vowel mark: マルク・ルッテ) of minForeignKana characters or more.
func ForeignName(surface string) bool {
	return isKatakana(surface) && utf8.RuneCountInString(surface) >= minForeignKana
}

// jaContent keeps nouns (not pronouns, numbers, suffixes or dependent
// nouns such as こと and もの), independent verbs and adjectives, except
// the few verbs that do the work of auxiliaries (する, いる, ある, なる,
// いう): they are in every sentence.
func jaContent(pos []string, base string) bool {
	if len(pos) == 0 {
		return false
	}
	switch pos[0] {
	case "名詞":
		if len(pos) >= 2 {
			switch pos[1] {
			case "代名詞", "数", "接尾", "非自立", "特殊":
				return false
			}
		}
		return hasLetter(base)
	case "動詞", "形容詞":
		if len(pos) >= 2 && pos[1] != "自立" {
			return false
		}
		switch base {
		case "する", "いる", "ある", "なる", "いう", "言う", "できる", "れる", "られる", "せる", "おる", "くる", "来る", "行う":
			return false
		}
		return utf8.RuneCountInString(base) >= 2
	}
	return false
}

// Chinese segments Chinese text. It returns nil when the dictionary is
// unavailable.
func Chinese(s string) []Word {
	ps := ChineseTagged(s)
	if ps == nil {
		return nil
	}
	out := make([]Word, 0, len(ps))
	for _, p := range ps {
		w := Word{Surface: p.Text, Base: p.Text}
		w.Content = zhContent(p.Pos, p.Text)
		w.Name = w.Content && (p.Pos == "nr" || p.Pos == "ns" || p.Pos == "nt" || p.Pos == "nz")
		out = append(out, w)
	}
	return out
}

// zhContent keeps nouns, verbs and adjectives of two or more characters
// (gse's jieba tags: n…, v…, a…, and untagged dictionary words); a single
// character is most often a function word or a fragment (的, 了, 在, 是).
// Names (nr, ns, nt) are kept at any length of two or more.
func zhContent(pos, s string) bool {
	if utf8.RuneCountInString(s) < 2 || !hasLetter(s) {
		return false
	}
	if pos == "" {
		return true
	}
	switch pos[0] {
	case 'n', 'v', 'a', 'i', 'j', 'l':
		// nouns, verbs, adjectives, idioms, abbreviations, fixed phrases
		return pos != "vshi" && pos != "vyou"
	case 'x', 'e':
		return true // unknown to the tagger: often a name or a new word
	}
	return false
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func isKatakana(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Katakana, r) && r != 'ー' && r != '・' {
			return false
		}
	}
	return s != ""
}

package digest

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/text"
)

// QuoteGroup is one quotation as the story's outlets carry it: the same
// words, or nearly, attributed to the same speaker.
type QuoteGroup struct {
	Speaker       string      `json:"speaker"`
	SpeakerEntity int64       `json:"speaker_entity,omitempty"`
	SpeakerName   string      `json:"speaker_name,omitempty"` // the entity's canonical name
	Text          string      `json:"text"`                   // the wording most outlets give
	Outlets       int         `json:"outlets"`                // how many outlets carry it
	Drift         bool        `json:"drift"`                  // outlets word it differently
	Items         []QuoteItem `json:"items"`
}

// QuoteItem is the quotation in one article.
type QuoteItem struct {
	Article    int64   `json:"article"`
	Outlet     string  `json:"outlet"`
	Lang       string  `json:"lang"`
	Text       string  `json:"text"`
	Speaker    string  `json:"speaker"`
	Confidence float64 `json:"confidence"`
}

// sameQuote is the share of the shorter quote's content words the longer
// one must hold for the two to be one quotation: outlets trim, cut and
// re-punctuate a quote, and machine translation changes a word here and
// there; two quotes on one topic share its names (NATO, Indo-Pacific) but
// less of the rest.
const sameQuote = 0.7

// minGroupWords: a quotation with fewer content words is matched only when
// the words are the same.
const minGroupWords = 3

// sameTranslated is sameQuote for quotations in two languages, matched
// through dictionary glosses, which miss and mistranslate more words; it
// applies only when both quotations name the same speaker entity.
const sameTranslated = 0.5

// quoteGroups groups the story's quotations across articles (a syndicated
// copy carries them for its outlet too) and ranks them by the outlets that
// carry them.
func quoteGroups(d *Digest, max int, tr Translator) []QuoteGroup {
	type entry struct {
		item  QuoteItem
		ent   int64
		words map[string]bool
		gloss []map[string]bool // each content word with its English glosses
		norm  string
	}
	var groups [][]entry
	for _, a := range d.Articles {
		for _, q := range d.intel[a.ID].Quotes {
			e := entry{item: QuoteItem{Article: a.ID, Outlet: a.Outlet, Lang: a.Lang, Text: q.Text, Speaker: q.Speaker,
				Confidence: q.Confidence}, ent: q.SpeakerEntity, words: quoteWords(a.Lang, q.Text), norm: normQuote(q.Text)}
			e.gloss = glossed(tr, a.Lang, e.words)
			placed := false
			for i, g := range groups {
				first := g[0]
				same := false
				switch {
				case first.item.Lang == e.item.Lang:
					same = sameSpeaker(first.ent, e.ent, first.item.Speaker, e.item.Speaker) && overlap(first.words, e.words) >= sameQuote &&
						(len(e.words) >= minGroupWords || first.norm == e.norm)
				default:
					// The same words in another language: one speaker,
					// and their words meet through the dictionary.
					same = e.ent != 0 && e.ent == first.ent && len(e.words) >= minGroupWords &&
						translatedOverlap(e.gloss, first.gloss) >= sameTranslated
				}
				if same {
					groups[i] = append(g, e)
					placed = true
					break
				}
			}
			if !placed {
				groups = append(groups, []entry{e})
			}
		}
	}
	out := make([]QuoteGroup, 0, len(groups))
	for _, g := range groups {
		qg := QuoteGroup{}
		outlets := map[string]bool{}
		wordings := map[string]int{}
		for _, e := range g {
			qg.Items = append(qg.Items, e.item)
			outlets[e.item.Outlet] = true
			wordings[e.norm]++
			if qg.Speaker == "" || e.ent != 0 && qg.SpeakerEntity == 0 {
				qg.Speaker, qg.SpeakerEntity = e.item.Speaker, e.ent
			}
		}
		qg.Outlets, qg.Drift = len(outlets), len(wordings) > 1
		best := g[0]
		for _, e := range g[1:] {
			if wordings[e.norm] > wordings[best.norm] {
				best = e
			}
		}
		qg.Text = best.item.Text
		out = append(out, qg)
	}
	slices.SortStableFunc(out, func(a, b QuoteGroup) int {
		return cmp.Or(cmp.Compare(b.Outlets, a.Outlets), cmp.Compare(len(b.Items), len(a.Items)))
	})
	if len(out) > max {
		out = out[:max]
	}
	return out
}

// sameSpeaker: two attributions name one speaker when they resolve to one
// entity, or either is unknown (a quote carried without its attribution).
func sameSpeaker(a, b int64, sa, sb string) bool {
	switch {
	case a != 0 && b != 0:
		return a == b
	case sa == "" || sb == "":
		return true
	}
	return text.Fold(lastWord(sa)) == text.Fold(lastWord(sb))
}

func lastWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[len(f)-1]
}

// quoteWords is the set of a quotation's content words, folded.
func quoteWords(lang, s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.FieldsFunc(text.Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if utf8.RuneCountInString(w) > 1 && !text.IsStop(lang, w) {
			m[w] = true
		}
	}
	return m
}

// normQuote is a quotation's wording without case, accents and
// punctuation: what counts as drift is a change of words.
func normQuote(s string) string {
	return strings.Join(strings.FieldsFunc(text.Fold(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }), " ")
}

// Translator glosses a word in English (*lexicon.Lexicon does).
type Translator interface {
	English(lang, word string) []string
}

// glossed returns each word with its English glosses, folded; English
// words stand for themselves.
func glossed(tr Translator, lang string, words map[string]bool) []map[string]bool {
	out := make([]map[string]bool, 0, len(words))
	for w := range words {
		m := map[string]bool{w: true}
		if tr != nil && lang != "en" {
			for _, g := range tr.English(lang, w) {
				m[text.Fold(g)] = true
			}
		}
		out = append(out, m)
	}
	return out
}

// translatedOverlap is the share of the shorter quotation's words that
// meet a word of the other, in either's language or through a gloss.
func translatedOverlap(a, b []map[string]bool) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) == 0 {
		return 0
	}
	all := map[string]bool{}
	for _, m := range b {
		for w := range m {
			all[w] = true
		}
	}
	n := 0
	for _, m := range a {
		for w := range m {
			if all[w] {
				n++
				break
			}
		}
	}
	return float64(n) / float64(len(a))
}

// overlap is the share of the smaller set's words the other holds.
func overlap(a, b map[string]bool) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) == 0 {
		return 0
	}
	n := 0
	for w := range a {
		if b[w] {
			n++
		}
	}
	return float64(n) / float64(len(a))
}

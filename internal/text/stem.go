package text

import (
	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/arabic"
	"github.com/blevesearch/snowballstem/danish"
	"github.com/blevesearch/snowballstem/dutch"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/finnish"
	"github.com/blevesearch/snowballstem/french"
	"github.com/blevesearch/snowballstem/german"
	"github.com/blevesearch/snowballstem/hungarian"
	"github.com/blevesearch/snowballstem/irish"
	"github.com/blevesearch/snowballstem/italian"
	"github.com/blevesearch/snowballstem/norwegian"
	"github.com/blevesearch/snowballstem/portuguese"
	"github.com/blevesearch/snowballstem/romanian"
	"github.com/blevesearch/snowballstem/russian"
	"github.com/blevesearch/snowballstem/spanish"
	"github.com/blevesearch/snowballstem/swedish"
	"github.com/blevesearch/snowballstem/tamil"
	"github.com/blevesearch/snowballstem/turkish"
)

var stemmers = map[string]func(*snowballstem.Env) bool{
	"ar": arabic.Stem, "da": danish.Stem, "nl": dutch.Stem, "en": english.Stem, "fi": finnish.Stem,
	"fr": french.Stem, "de": german.Stem, "hu": hungarian.Stem, "ga": irish.Stem, "it": italian.Stem,
	"no": norwegian.Stem, "nb": norwegian.Stem, "pt": portuguese.Stem, "ro": romanian.Stem,
	"ru": russian.Stem, "es": spanish.Stem, "sv": swedish.Stem, "ta": tamil.Stem, "tr": turkish.Stem,
}

// HasStemmer reports whether lang (ISO 639-1) has a Snowball stemmer.
func HasStemmer(lang string) bool { return stemmers[lang] != nil }

// Stemmer stems lowercase words of one language. A Stemmer is not safe for
// concurrent use; make one per goroutine.
type Stemmer struct {
	prefix bool
	arabic bool
	stem   func(*snowballstem.Env) bool
	env    *snowballstem.Env
}

// NewStemmer returns a stemmer for lang. A language without a Snowball
// stemmer gets prefix truncation when it is known to inflect (Polish,
// Czech, Indonesian, …) and words unchanged otherwise.
func NewStemmer(lang string) *Stemmer {
	return &Stemmer{stem: stemmers[lang], env: snowballstem.NewEnv(""), prefix: prefixLangs[lang], arabic: lang == "ar"}
}

var prefixLangs = map[string]bool{"pl": true, "cs": true, "sk": true, "uk": true, "bg": true, "hr": true,
	"sr": true, "sl": true, "id": true, "ms": true, "lt": true, "lv": true, "et": true}

// prefix returns the first n runes of w.
func prefix(w string, n int) string {
	for i := range w {
		if n == 0 {
			return w[:i]
		}
		n--
	}
	return w
}

// prefixLen is how many letters a word keeps in languages without a
// Snowball stemmer (Polish, Indonesian, …): a crude stem, but inflected
// forms mostly share their first letters.
const prefixLen = 6

// Stem returns the stem of the lowercase word w.
func (s *Stemmer) Stem(w string) (stem string) {
	if s.arabic {
		// Folding before Snowball merges words spelled with and without
		// hamza, ى or ة. It also keeps definite feminine nouns and
		// adjectives apart from their masculine base (السعودية and سعود,
		// العاصمة and عاصم), which Snowball conflates when it sees ة; a
		// little less recall, measurably better pair scores.
		w = NormalizeArabic(w)
	}
	if s.stem == nil {
		if s.prefix {
			return prefix(w, prefixLen)
		}
		return w
	}
	// A generated stemmer must not take the pipeline down on odd input.
	defer func() {
		if recover() != nil {
			stem = w
		}
	}()
	s.env.SetCurrent(w)
	s.stem(s.env)
	if out := s.env.Current(); out != "" {
		return out
	}
	return w
}

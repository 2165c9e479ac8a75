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
	stem func(*snowballstem.Env) bool
	env  *snowballstem.Env
}

// NewStemmer returns a stemmer for lang; for a language without a Snowball
// stemmer it returns words unchanged.
func NewStemmer(lang string) *Stemmer {
	return &Stemmer{stem: stemmers[lang], env: snowballstem.NewEnv("")}
}

// Stem returns the stem of the lowercase word w.
func (s *Stemmer) Stem(w string) (stem string) {
	if s.stem == nil {
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

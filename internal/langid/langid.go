// Package langid tags the language of clean article text with lingua-go.
//
// It runs on the text extraction kept, never on the raw page, so that an
// Indonesian aggregator's chrome around an English wire story does not make
// the story Indonesian.
package langid

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/pemistahl/lingua-go"
)

// DefaultLanguages is the language set detection chooses from unless
// configured otherwise (ISO 639-1).
var DefaultLanguages = []string{
	"en", "ar", "pt", "id", "es", "de", "fr", "it", "ru", "tr", "pl", "zh", "ja",
	"nl", "uk", "fa", "ko", "he", "el", "sv",
}

// maxSample bounds the text handed to lingua: a thousand characters decide
// the language as well as a whole article, and lingua costs about 3 µs a
// byte, so this keeps cost flat on huge pages.
const maxSample = 1200

// Detector detects languages from a fixed set. It is safe for concurrent use.
type Detector struct {
	det   lingua.LanguageDetector
	codes map[lingua.Language]string
}

// New builds a detector over the given ISO 639-1 codes in low-accuracy mode
// (trigram models: fast, small, and accurate on article-length text).
func New(codes []string) (*Detector, error) {
	if len(codes) == 0 {
		codes = DefaultLanguages
	}
	var langs []lingua.Language
	m := make(map[lingua.Language]string)
	for _, c := range codes {
		c = strings.ToLower(strings.TrimSpace(c))
		l := lingua.GetLanguageFromIsoCode639_1(lingua.GetIsoCode639_1FromValue(c))
		if l == lingua.Unknown {
			return nil, fmt.Errorf("langid: unknown language code %q", c)
		}
		if _, dup := m[l]; !dup {
			langs = append(langs, l)
			m[l] = c
		}
	}
	if len(langs) < 2 {
		return nil, fmt.Errorf("langid: need at least two languages, got %v", codes)
	}
	det := lingua.NewLanguageDetectorBuilder().
		FromLanguages(langs...).
		WithLowAccuracyMode().
		Build()
	return &Detector{det: det, codes: m}, nil
}

var (
	defaultOnce sync.Once
	defaultDet  *Detector
)

// Default returns a shared detector over DefaultLanguages.
func Default() *Detector {
	defaultOnce.Do(func() {
		d, err := New(DefaultLanguages)
		if err != nil {
			panic(err) // DefaultLanguages is a constant set; failure is a programming error
		}
		defaultDet = d
	})
	return defaultDet
}

// Languages returns the detector's language set as ISO 639-1 codes, sorted.
func (d *Detector) Languages() []string {
	out := make([]string, 0, len(d.codes))
	for _, c := range d.codes {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// Detect returns the ISO 639-1 code of text's language, or "" when the text
// is too short or too mixed to tell.
func (d *Detector) Detect(text string) string {
	text = sample(text)
	if strings.TrimSpace(text) == "" {
		return ""
	}
	l, ok := d.det.DetectLanguageOf(text)
	if !ok {
		return ""
	}
	return d.codes[l]
}

// sample cuts text at a word boundary near maxSample bytes.
func sample(text string) string {
	if len(text) <= maxSample {
		return text
	}
	cut := maxSample
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	if i := strings.LastIndexAny(text[:cut], " \n\t"); i > maxSample/2 {
		cut = i
	}
	return text[:cut]
}

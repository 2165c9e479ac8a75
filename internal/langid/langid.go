// Package langid tells the language of clean article text, and weighs it
// against the language an input says it is in.
//
// It runs on the text extraction kept, never on the raw page, so that an
// Indonesian aggregator's chrome around an English wire story does not make
// the story Indonesian.
//
// Detection knows the 75 languages of lingua-go's models. The script comes
// first: a letter's script settles Greek, Hebrew, Korean, Thai, Armenian,
// Georgian and five Indic languages outright, and Han text is Japanese when
// kana is among it, Chinese otherwise. Within a script several languages
// share (Latin, Cyrillic, Arabic, Devanagari) lingua's n-gram models
// decide, their costs summed in log space here rather than through
// lingua's arbitrary-precision arithmetic. Text too short, too mixed, or
// whose two best languages are too close is undetermined rather than
// guessed.
package langid

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Undetermined is the label (ISO 639-2 "und") of an article whose language
// could not be told; Detect and Resolve return "" for it, and the pipeline
// stores this.
const Undetermined = "und"

// Options are detection's tunables. The zero value of a field means its
// default (DefaultOptions); thresholds were chosen on the tuning half of
// the dev sets (wmt-dev-stories, semeval8-pairs-dev, ecbplus-dev) and on
// the fixtures in langid_test.go, which hold the languages those sets lack.
type Options struct {
	// Languages are the ISO 639-1 codes detection chooses from; empty
	// means every language the models know but DefaultLeftOut.
	Languages []string
	// SampleBytes bounds the text examined, cut at a word boundary: cost
	// is linear in it, and the dev sets' tuning half gets the same labels
	// from 1,000 bytes to 4,000 (600 costs one more error), so a little
	// over a thousand keeps huge pages cheap without losing accuracy.
	SampleBytes int
	// MinScriptShare is the share of the text's letters its main script
	// must hold; below it the text is too mixed to tell (a bilingual
	// page). Han and kana count together for Japanese.
	MinScriptShare float64
	// SyllableWeight is how many letters of an alphabet one Han, kana or
	// Hangul character counts as when the main script is chosen: one
	// carries a syllable, two to three letters' worth, and a Chinese
	// article naming people and films in Latin letters holds more Latin
	// letters than Han characters (SemEval zh pairs) while being Chinese.
	SyllableWeight int
	// KanaShare is the share of kana among Han and kana letters from which
	// text is Japanese, not Chinese: Japanese prose runs at 30-60% kana,
	// and Chinese text naming a Japanese brand in katakana stays under 5%.
	KanaShare float64
	// MinLetters is the fewest letters in the main script for a script
	// that names one language alone (Greek, Korean, Thai…) to decide it,
	// and for any text to contradict a supplied language: a city's name
	// in Cyrillic under an English label is no Russian article.
	MinLetters int
	// MinNgrams is the fewest n-grams (a word's trigrams, or a short
	// word itself) for the models to decide between the languages sharing
	// a script: below it (a headline of three or four words) neighbours
	// such as Czech and Slovak or Danish and Bokmål are a coin toss.
	MinNgrams int
	// MinMargin is the least log-likelihood, in nats per n-gram, by which
	// the best language must beat the second. On news paragraphs related
	// languages part by 0.15 and more (Bokmål from Nynorsk 0.15,
	// Macedonian from Serbian 0.22, Danish from Bokmål 0.28, Czech from
	// Slovak 0.53; the tuning half's correct texts: 0.26 and more at the
	// first percentile), while a text half English, half French scores
	// 0.04.
	MinMargin float64
	// OverrideMargin is how much worse, in nats per n-gram, a supplied
	// language must score than the detected one for detection to
	// override it. It is set well above MinMargin so that a correct label
	// of a close neighbour (Bosnian text labelled bs, Nynorsk labelled nn)
	// is kept, while a wrong one (an English story labelled de by a
	// German site's template) scores 1.5 nats an n-gram worse or more. On
	// the tuning half it keeps every correct label but one mislabelled
	// text and overrides 99% of wrong ones.
	OverrideMargin float64
}

// DefaultOptions are the settings detection uses unless told otherwise.
var DefaultOptions = Options{
	SampleBytes:    1200,
	MinScriptShare: 0.5,
	SyllableWeight: 3,
	KanaShare:      0.1,
	MinLetters:     8,
	MinNgrams:      20,
	MinMargin:      0.05,
	OverrideMargin: 0.5,
}

func (o Options) withDefaults() Options {
	d := DefaultOptions
	if o.SampleBytes > 0 {
		d.SampleBytes = o.SampleBytes
	}
	if o.MinScriptShare > 0 {
		d.MinScriptShare = o.MinScriptShare
	}
	if o.SyllableWeight > 0 {
		d.SyllableWeight = o.SyllableWeight
	}
	if o.KanaShare > 0 {
		d.KanaShare = o.KanaShare
	}
	if o.MinLetters > 0 {
		d.MinLetters = o.MinLetters
	}
	if o.MinNgrams > 0 {
		d.MinNgrams = o.MinNgrams
	}
	if o.MinMargin > 0 {
		d.MinMargin = o.MinMargin
	}
	if o.OverrideMargin > 0 {
		d.OverrideMargin = o.OverrideMargin
	}
	d.Languages = o.Languages
	return d
}

// Detector detects languages from a fixed set. It is safe for concurrent
// use; the models load on its first detection, once for all detectors.
type Detector struct {
	opt   Options
	h     header
	langs []string  // sorted ISO 639-1
	in    [256]bool // model index → in the set
}

// DefaultLeftOut are the languages the models know that detection leaves
// out unless asked for (Options.Languages, storyline's --langs). Bosnian
// and Malay are written so like Croatian and Indonesian that trigrams
// cannot part them (Croatian from Bosnian by a median 0.05 nats a trigram
// on the WMT hr articles, a coin toss per article; Malay from Indonesian
// by 0.02-0.12 on news sentences), so with them in, those larger
// languages come out undetermined or wrong; Latin and Esperanto carry no
// news and only catch English, Italian and Spanish names (Latin was the
// runner-up of a tenth of those dev texts). A supplied bs or ms label is
// still kept, as Resolve scores it.
var DefaultLeftOut = []string{"bs", "ms", "la", "eo"}

// New builds a detector over the given ISO 639-1 codes (when empty, all
// the models know but DefaultLeftOut) with DefaultOptions.
func New(codes []string) (*Detector, error) {
	return NewWithOptions(Options{Languages: codes})
}

// NewWithOptions builds a detector with opt; zero fields take their
// defaults.
func NewWithOptions(opt Options) (*Detector, error) {
	opt = opt.withDefaults()
	h, err := loadHeader()
	if err != nil {
		return nil, err
	}
	d := &Detector{opt: opt, h: h}
	codes := opt.Languages
	if len(codes) == 0 {
		codes = slices.DeleteFunc(slices.Clone(h.langs), func(l string) bool { return slices.Contains(DefaultLeftOut, l) })
	}
	for _, c := range codes {
		i, ok := h.pos[strings.ToLower(strings.TrimSpace(c))]
		if !ok {
			return nil, fmt.Errorf("langid: unknown language code %q (known: %s)", c, strings.Join(h.langs, ","))
		}
		if !d.in[i] {
			d.in[i] = true
			d.langs = append(d.langs, h.langs[i])
		}
	}
	if len(d.langs) < 2 {
		return nil, fmt.Errorf("langid: need at least two languages, got %v", codes)
	}
	slices.Sort(d.langs)
	return d, nil
}

var defaultDet = sync.OnceValue(func() *Detector {
	d, err := New(nil)
	if err != nil {
		panic(err) // the embedded models are part of the build; failure is a programming error
	}
	return d
})

// Default returns a shared detector over every language the models know
// but DefaultLeftOut.
func Default() *Detector { return defaultDet() }

// Languages returns the detector's language set as ISO 639-1 codes, sorted.
func (d *Detector) Languages() []string { return slices.Clone(d.langs) }

// Detect returns the ISO 639-1 code of text's language, or "" when the text
// is too short, too mixed, or too close between two languages to tell.
func (d *Detector) Detect(text string) string {
	return d.analyse(mustModel(), text, -1).lang
}

// Resolve returns the language to record for text that its input labels
// supplied (any tag: "en-US", "EN", "eng", "pt_BR", "zh-Hans"; "" for
// none). A supplied language is kept unless the text clearly says
// otherwise: its letters are in a script the language is not written in
// (Cyrillic text labelled en), or the detected language beats it by
// OverrideMargin. It returns "" when nothing was supplied and the text is
// undetermined, or when the text contradicts the label but names no
// language clearly itself.
func (d *Detector) Resolve(supplied, text string) string {
	tag, scripts := lookupTag(supplied)
	if tag == "" {
		return d.Detect(text)
	}
	m := mustModel()
	ti, known := m.pos[tag]
	if !known {
		// A language the models lack: nothing in the text can speak
		// against it.
		return tag
	}
	a := d.analyse(m, text, ti)
	if a.letters < d.opt.MinLetters {
		return tag // too little text to contradict anyone
	}
	if a.script != scriptNone && a.script != m.script[ti] && !slices.Contains(scripts, a.script) {
		return a.lang
	}
	if a.lang == "" || a.lang == tag || a.ngrams < d.opt.MinNgrams || a.best < 0 || !a.scored[ti] {
		// Nothing clear, or a label the models could not weigh here
		// (sr-Latn: the Serbian model knows Cyrillic only).
		return tag
	}
	if a.gap(ti) >= d.opt.OverrideMargin {
		return a.lang
	}
	return tag
}

// analysis is what detection found in a text.
type analysis struct {
	lang    string // "" when undetermined
	script  script // main script, scriptNone when none holds MinScriptShare
	letters int    // letters in the main script
	ngrams  int    // n-grams scored
	best    int    // model index of the best-scoring language, -1 if none scored
	scale   float64
	costs   []int32 // per model language; only scored ones are meaningful
	scored  *[256]bool
}

// gap is how much worse language i scored than the best, in nats per
// n-gram; +Inf when i was not scored.
func (a *analysis) gap(i int) float64 {
	if a.ngrams == 0 || a.best < 0 || !a.scored[i] {
		return math.Inf(1)
	}
	return float64(a.costs[i]-a.costs[a.best]) / a.scale / float64(a.ngrams)
}

// analyse detects text's language; extra, when not -1, is a model
// language to score as well although outside the detector's set.
func (d *Detector) analyse(m *model, text string, extra int) analysis {
	text = sample(text, d.opt.SampleBytes)
	a := analysis{best: -1, scale: m.scale}
	var counts [numScripts]int
	total := 0
	scripts := bmpScripts()
	for _, r := range text {
		switch s := scripts.of(r); s {
		case scriptNone:
		case scriptHan, scriptKana, scriptHangul:
			counts[s] += d.opt.SyllableWeight
			total += d.opt.SyllableWeight
		default:
			counts[s]++
			total++
		}
	}
	if total == 0 {
		return a
	}
	if cjk := counts[scriptHan] + counts[scriptKana]; cjk > 0 {
		if float64(counts[scriptKana]) >= d.opt.KanaShare*float64(cjk) {
			counts[scriptKana], counts[scriptHan] = cjk, 0
		} else {
			counts[scriptKana], counts[scriptHan] = 0, cjk
		}
	}
	for s := scriptLatin; s < numScripts; s++ {
		if counts[s] > counts[a.script] {
			a.script = s
		}
	}
	a.letters = counts[a.script]
	if float64(a.letters) < d.opt.MinScriptShare*float64(total) {
		a.script = scriptNone // no main script: too mixed to tell
		return a
	}
	if a.script == scriptOther {
		return a
	}

	// The candidates: the set's languages written in the main script.
	var cand [256]bool
	ncand, only := 0, -1
	for i, s := range m.script {
		if s == a.script && (d.in[i] || i == extra) {
			cand[i] = true
			ncand++
			if d.in[i] {
				only = i
			}
		}
	}
	a.scored = &cand
	switch {
	case ncand == 0:
		return a
	case ncand == 1 || a.script == scriptHan || a.script == scriptKana:
		// A script of one language (Han text is Chinese once kana has
		// been ruled out, and the models hold no Han trigrams).
		a.best = only
		if only >= 0 && a.letters >= d.opt.MinLetters {
			a.lang = m.langs[only]
		}
		return a
	}

	a.costs = make([]int32, len(m.langs))
	a.ngrams = m.score(text, a.script, a.costs)
	second := -1
	for i := range a.costs {
		if !cand[i] || !d.in[i] {
			continue
		}
		switch {
		case a.best < 0 || a.costs[i] < a.costs[a.best]:
			a.best, second = i, a.best
		case second < 0 || a.costs[i] < a.costs[second]:
			second = i
		}
	}
	if a.ngrams < d.opt.MinNgrams || a.best < 0 {
		return a
	}
	if second >= 0 && a.gap(second) < d.opt.MinMargin {
		return a
	}
	a.lang = m.langs[a.best]
	return a
}

// sample cuts text at a word boundary near max bytes.
func sample(text string, max int) string {
	if len(text) <= max {
		return text
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	if i := strings.LastIndexAny(text[:cut], " \n\t"); i > max/2 {
		cut = i
	}
	return text[:cut]
}

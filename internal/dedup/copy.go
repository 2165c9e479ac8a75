package dedup

import (
	"math"
	"strings"

	"github.com/storyline/storyline/internal/text"
)

// Options decide when a similar pair is a copy. Similarity alone is not
// enough: two pages whose extracted text is the same comment form, cookie
// banner, paywall teaser or "page not found" notice are as similar as two
// copies of a wire story, and two articles sharing a long footer can be
// too. The cost is not symmetric: a copy joins its original's story
// whatever its text would have scored, so a false copy binds two unrelated
// pages together, while a missed copy is stored as an original and story
// assignment, which sees the same 70% of shared text, still puts it with
// its original. Every rule below therefore errs towards "not a copy".
//
// The rules read the two articles only. Telling boilerplate by how often
// its lines recur in the stream (a count-min sketch of line hashes) was
// left out on purpose: the sketch would be stream state to checkpoint with
// every batch for exact resume; a wire story carried by many outlets is
// exactly a set of paragraphs seen in many articles from different
// sources, so the sketch would erase the shingles copies are found by; and
// the first two pages sharing a footer come before any count has grown.
type Options struct {
	// Threshold is the estimated Jaccard similarity of the two contents'
	// shingles at and above which a pair may be a copy (CopyThreshold).
	Threshold float64
	// MinShared is the least number of own-content shingles (about as
	// many words) the two texts must share, estimated from the signatures
	// (Shared), unless their headlines are the same (MinSharedSameTitle).
	// Boilerplate that extraction keeps alone is short: the comment form,
	// cookie and consent notices, paywall teaser, login box, "page not
	// found" text and disclaimer of testdata/pairs share 16 to 75 (the
	// consent notice) once form-like lines are gone. The copies
	// ecbplus-dev holds (no titles there) share 92 to 900, except two
	// one-sentence briefs (17 and 27): those are no longer copies, and
	// story assignment still puts each with its original (eval clusters:
	// BCubed unchanged). Lower lets the longer notices through to the
	// title test alone; higher starts to cost two-paragraph wire briefs
	// without titles, which story assignment then groups instead.
	MinShared float64
	// MinSharedSameTitle replaces MinShared when both titles carry the
	// same specific headline (SameTitle, SpecificTitle): a short wire item
	// under its headline at two outlets is a copy however short. 15 is
	// one short sentence (the one-sentence briefs of ecbplus-dev share 17
	// and 27): a headline and a sentence are copied, a headline alone
	// with a share row (5) is not.
	MinSharedSameTitle float64
	// SameTitle: headlines are the same when they share at least this
	// share of the shorter one's words (TitleOverlap). At 0.75 a copy
	// whose headline lost or changed one word in four still counts.
	SameTitle float64
	// SpecificTitle is the fewest words, function words aside (character
	// pairs for unsegmented scripts), a headline needs to say which
	// article it heads. Pages that are not articles carry generic titles
	// of one or two ("Page not found", "Log in", "Subscribe", "Search
	// results", a site's name), which many unrelated pages share; news
	// headlines of fewer than three are rare.
	SpecificTitle int
	// TitleOverlap: two titles clearly disagree, and the pair is not a
	// copy, when their headlines share less than this share of the
	// shorter one's words (TitleOverlap): at 0.1, no word at all of a
	// headline of up to ten words, function words aside. Measured on the
	// same-language pairs of semeval8-pairs-dev whose headlines can be
	// told (TestTitleOverlapSemEval), tuning half: headlines of two
	// articles rated one story (other outlets' own articles, whose titles
	// are freer than a copy's) disagree for 3 of 21 pairs, of unrelated
	// articles for 9 of 11; at 0.25, 7 of 21 and 10 of 11. A copy whose
	// headline was rewritten without one word of the original's is then
	// stored as an original, and story assignment still groups it.
	TitleOverlap float64
}

// DefaultOptions returns the settings the thresholds above were chosen at.
func DefaultOptions() Options {
	return Options{Threshold: CopyThreshold, MinShared: 80, MinSharedSameTitle: 15,
		SameTitle: 0.75, SpecificTitle: 3, TitleOverlap: 0.1}
}

// Doc is what the copy decision reads of an article.
type Doc struct {
	Title string
	Lang  string // for the function words of titles; "" for English's only
	Sig   []uint64
}

// Verdict is the outcome of Judge.
type Verdict uint8

const (
	NotSimilar     Verdict = iota // below Options.Threshold
	Copy                          // a copy
	TooLittle                     // similar, but too little own content in common
	TitlesDisagree                // similar, but the titles say otherwise
)

func (v Verdict) String() string {
	switch v {
	case Copy:
		return "copy"
	case TooLittle:
		return "too little shared content"
	case TitlesDisagree:
		return "titles disagree"
	}
	return "not similar"
}

// Judge decides whether a and b are copies of one another. Its answer
// depends on the two articles alone, never on what else the stream holds,
// so that it is the same however the input was cut into runs.
func (o Options) Judge(a, b Doc) Verdict {
	if Similarity(a.Sig, b.Sig) < o.Threshold {
		return NotSimilar
	}
	lang := a.Lang
	if lang == "" {
		lang = b.Lang
	}
	overlap, words := titleOverlap(a.Title, b.Title, lang)
	if overlap < o.TitleOverlap {
		return TitlesDisagree
	}
	least := o.MinShared
	if words >= o.SpecificTitle && overlap >= o.SameTitle {
		least = o.MinSharedSameTitle
	}
	if Shared(a.Sig, b.Sig) < least {
		return TooLittle
	}
	return Copy
}

// Size estimates the number of distinct shingles behind a signature. Each
// value is the least of that many uniformly spread 64-bit hashes, so its
// share u of 2⁶⁴ is close to exponential with rate n, and (k-1)/Σu is an
// unbiased estimate of n with a relative standard error of 1/√(k-2):
// about 9% for 128 values. A nil signature has size 0.
func Size(sig []uint64) float64 {
	if len(sig) < 2 {
		return 0
	}
	var sum float64
	for _, v := range sig {
		sum += float64(v) / (1 << 64)
	}
	if sum == 0 {
		return math.Inf(1)
	}
	return float64(len(sig)-1) / sum
}

// Shared estimates how many shingles two signatures' sets have in common:
// their Jaccard similarity times the size of their union, whose signature
// is the position-wise minimum of the two. Signatures that cannot be
// compared share 0.
func Shared(a, b []uint64) float64 {
	j := Similarity(a, b)
	if j == 0 {
		return 0
	}
	union := make([]uint64, len(a))
	for i := range a {
		union[i] = min(a[i], b[i])
	}
	return j * Size(union)
}

// titleSeparators part a headline from the outlet or section names a page
// title carries before or after it.
var titleSeparators = strings.NewReplacer("|", "\x00", "｜", "\x00", " - ", "\x00", " – ", "\x00",
	" — ", "\x00", " :: ", "\x00", " · ", "\x00", " • ", "\x00", " « ", "\x00", " » ", "\x00",
	" ‹ ", "\x00", " › ", "\x00")

// TitleOverlap is the share of the shorter headline's words that the other
// headline has too, counting no function words (text.IsStop in lang) and
// comparing stems. A page title's headline is its longest segment: outlet
// and section names sit beside it after " | " or " - ", and differ between
// a copy and its original while the headline stays. It is 1, no evidence
// against, when either title has no such word. Scripts written without
// spaces count character pairs for words.
func TitleOverlap(a, b, lang string) float64 {
	o, _ := titleOverlap(a, b, lang)
	return o
}

// titleOverlap is TitleOverlap and the number of words of the shorter
// headline (0 when either has none).
func titleOverlap(a, b, lang string) (float64, int) {
	wa, wb := map[string]bool{}, map[string]bool{}
	titleWords(headline(a), lang, wa)
	titleWords(headline(b), lang, wb)
	if len(wa) == 0 || len(wb) == 0 {
		return 1, 0
	}
	if len(wa) > len(wb) {
		wa, wb = wb, wa
	}
	n := 0
	for w := range wa {
		if wb[w] {
			n++
		}
	}
	return float64(n) / float64(len(wa)), len(wa)
}

// headline returns the normalised longest segment of a title, the first of
// equals.
func headline(title string) string {
	best := ""
	for s := range strings.SplitSeq(titleSeparators.Replace(title), "\x00") {
		if n := Normalize(s); len(n) > len(best) {
			best = n
		}
	}
	return best
}

// titleWords adds the stems of the words of a normalised segment to set,
// without function words; character pairs for scripts written without
// spaces.
func titleWords(seg, lang string, set map[string]bool) {
	if seg == "" {
		return
	}
	if unsegmented(seg) {
		rs := []rune(strings.ReplaceAll(seg, " ", ""))
		if len(rs) == 1 {
			set[string(rs)] = true
		}
		for i := 0; i+1 < len(rs); i++ {
			set[string(rs[i:i+2])] = true
		}
		return
	}
	st := text.NewStemmer(lang)
	for w := range strings.SplitSeq(seg, " ") {
		if text.IsStop(lang, w) {
			continue
		}
		if s := st.Stem(w); s != "" {
			set[s] = true
		}
	}
}

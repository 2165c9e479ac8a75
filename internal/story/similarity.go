package story

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/text"
)

// Pair scores article pairs with shared settings; its zero value uses the
// defaults. Similarity is the one-call form.
type Pair struct {
	Analyzer text.Analyzer
	Weights  text.Weights // zero means PairWeights
	// Cross scales the anchor-only cosine (names, numbers, dates, cognates,
	// glosses) that stands in for the full cosine across languages. 0 means 2.5.
	Cross float64
	// Power reshapes the score (s^Power) so that it grows like human
	// same-story ratings do: fast at first, then slowly. 0 means 0.7.
	Power float64
	// Lead is how many words open an untitled text and stand in for its
	// headline (counted with the Analyzer's TitleWeight): a news text says
	// what the story is first. 0 means 8; negative turns it off.
	Lead int
	// Grams is the share of the character n-gram cosine in the score of
	// two languages written in one script ("Regierung"/"regierungen",
	// "pandemia"/"pandemie"), where stems and the lexicon miss cognates
	// and inflected names. 0 means 0.35; negative leaves grams out.
	Grams float64
	// GramLen is the n of character n-grams; 0 means 5.
	GramLen int
	// TitleWeight replaces the Analyzer's TitleWeight when the Analyzer
	// sets none. 0 means 4.
	TitleWeight float64
}

// PairWeights are the term weights tuned for pair similarity. Names and
// their keys count less than in assignment (DefaultWeights): across a
// varied pair set, shared vocabulary and cognates matter as much as names.
// English glosses count as much as words, being what links a pair of
// languages that share neither script nor cognates.
var PairWeights = func() text.Weights {
	w := text.DefaultWeights
	w.Entity, w.Translit, w.Cognate, w.Gloss = 1, 0.3, 1, 1
	return w
}()

// Similarity returns a same-story score in [0, 1] for two articles, from
// the features assignment uses. model supplies document frequencies (for
// example one fitted on the collection the pair comes from, or an
// Assigner's Model); nil means the two articles alone.
func Similarity(x, y *article.Article, model *text.Model) float64 {
	var p Pair
	return p.Similarity(x, y, model)
}

// Similarity is Similarity with p's settings.
func (p *Pair) Similarity(x, y *article.Article, model *text.Model) float64 {
	dx := p.Analyze(x.Lang, x.Title, x.Text)
	dy := p.Analyze(y.Lang, y.Title, y.Text)
	if model == nil {
		model = text.NewModel()
		model.Add(dx)
		model.Add(dy)
	}
	return p.Docs(dx, dy, model)
}

// Analyze analyses one article for Docs. An untitled text lends its
// first Lead words to the headline (see Headline). Score documents from Analyze, and fit the Model on them.
func (p *Pair) Analyze(lang, title, body string) *text.Doc {
	lead := p.Lead
	if lead == 0 {
		lead = 8
	}
	title, body = Headline(title, body, lead)
	a := p.Analyzer
	if a.TitleWeight == 0 {
		a.TitleWeight = p.TitleWeight
		if a.TitleWeight == 0 {
			a.TitleWeight = 4
		}
	}
	d := a.Analyze(lang, title, body)
	if p.Grams >= 0 {
		n := p.GramLen
		if n == 0 {
			n = 5
		}
		g := text.CharGrams(lang, title, body, n, a.TitleWeight)
		d.Terms = append(d.Terms, g.Terms...)
		sort.Slice(d.Terms, func(i, j int) bool { return d.Terms[i].Key < d.Terms[j].Key })
	}
	return d
}

// splitGrams separates the character n-gram terms of a Doc from Analyze.
func splitGrams(d *text.Doc) (words, grams *text.Doc) {
	words = &text.Doc{Lang: d.Lang, Terms: make([]text.Term, 0, len(d.Terms))}
	grams = &text.Doc{Lang: d.Lang}
	for _, t := range d.Terms {
		if strings.HasPrefix(t.Key, text.GramPrefix) {
			grams.Terms = append(grams.Terms, t)
		} else {
			words.Terms = append(words.Terms, t)
		}
	}
	return words, grams
}

// scripts names the writing system of languages not written in Latin
// letters; character n-grams compare only within one script.
var scripts = map[string]string{
	"ar": "arab", "fa": "arab", "ur": "arab", "ps": "arab",
	"ru": "cyrl", "uk": "cyrl", "bg": "cyrl", "sr": "cyrl", "mk": "cyrl", "be": "cyrl", "kk": "cyrl",
	"zh": "hani", "ja": "jpan", "ko": "kore", "el": "grek", "he": "hebr", "hi": "deva", "mr": "deva",
	"ne": "deva", "th": "thai", "ka": "geor", "hy": "armn", "bn": "beng", "ta": "taml",
}

func sameScript(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	sa, sb := scripts[a], scripts[b]
	return sa == sb
}

// Headline returns the title and body to analyse an article with. A
// titled article keeps its headline without the site's segments (see
// HeadlineCore); an untitled text lends its first lead words to the title
// (lead <= 0 keeps the text whole): a news text says what its story is
// first. Opening lines without words (a web address, a time stamp) are
// passed over, being no headline.
func Headline(title, body string, lead int) (string, string) {
	if title != "" || lead <= 0 {
		return HeadlineCore(title), body
	}
	skip := 0
	for range 3 {
		line, _, _ := strings.Cut(body[skip:], "\n")
		if !wordless(line) {
			break
		}
		skip += len(line) + 1
		if skip >= len(body) {
			return "", body
		}
	}
	head, tail := leadWords(body[skip:], lead)
	if head == "" {
		return "", body
	}
	return head, body[:skip] + tail
}

// wordless reports whether a line holds no words worth a headline: a web
// address, or mostly fields without letters ("9 / 10 / 2010 @ 1: 19PM").
func wordless(line string) bool {
	f := strings.Fields(line)
	if len(f) == 0 {
		return true
	}
	if l := strings.ToLower(f[0]); strings.HasPrefix(l, "http") || strings.HasPrefix(l, "www.") {
		return true
	}
	letters := 0
	for _, w := range f {
		if strings.IndexFunc(w, unicode.IsLetter) >= 0 {
			letters++
		}
	}
	return 2*letters < len(f)
}

// leadWords splits s after its first n words (a CJK character counts as
// half a word, Chinese averaging two per word). n <= 0, or a text of at
// most n words, leaves s whole in body.
func leadWords(s string, n int) (lead, body string) {
	if n <= 0 {
		return "", s
	}
	var words float64
	inWord := false
	for i, r := range s {
		end := i // where the lead ends if this rune completes the n-th word
		switch {
		case unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			words += 0.5
			inWord = false
			end += utf8.RuneLen(r)
		case unicode.IsSpace(r):
			if inWord {
				words++
			}
			inWord = false
		default:
			inWord = true
		}
		if words >= float64(n) {
			return s[:end], s[end:]
		}
	}
	return "", s
}

// Docs scores two documents from Analyze.
func (p *Pair) Docs(dx, dy *text.Doc, model *text.Model) float64 {
	w := p.Weights
	if w == (text.Weights{}) {
		w = PairWeights
	}
	cross := p.Cross
	if cross == 0 {
		cross = 2.5
	}
	pow := p.Power
	if pow == 0 {
		pow = 0.7
	}
	dx, gx := splitGrams(dx)
	dy, gy := splitGrams(dy)
	vx, vy := model.Vector(dx, w), model.Vector(dy, w)
	full := text.Dot(vx, vy)
	ax := vx.Filter(crossAnchor).Normalize()
	ay := vy.Filter(crossAnchor).Normalize()
	anch := text.Dot(ax, ay)
	s := full
	if dx.Lang != dy.Lang || dx.Lang == "" {
		s = math.Max(full, cross*anch)
	}
	s = math.Max(0, math.Min(1, s))
	if pow != 1 {
		s = math.Pow(s, pow)
	}
	a := p.Grams
	if a == 0 {
		a = 0.35
	}
	if a > 0 && dx.Lang != dy.Lang && sameScript(dx.Lang, dy.Lang) && len(gx.Terms) > 0 && len(gy.Terms) > 0 {
		g := math.Max(0, math.Min(1, text.Dot(model.Vector(gx, w), model.Vector(gy, w))))
		s = (1-a)*s + a*math.Pow(g, pow)
	}
	return s
}

// Separators between a headline and the site's segments. A bar is chrome's
// own separator: headlines do not use it. A dash also joins parts of
// headlines ("Liverpool 2 - 1 Chelsea", "Brexit - what happens next").
var (
	barSepRe  = regexp.MustCompile(`\s*｜\s*|\s+\|\s+`)
	dashSepRe = regexp.MustCompile(`\s+(?:-|–|—)\s+`)
)

// siteTailWords is the longest last dash segment HeadlineCore takes for the
// site's name ("- Yahoo!ニュース", "- РТ на русском", "- BBC News"), and only
// when the headline before it is at least twice as long: a short tail of a
// long headline names its site far more often than it ends its sentence.
const siteTailWords = 3

// HeadlineCore returns the part of a page title that is the headline,
// for the features only (readers see the title as given). Titles from
// feeds, archives and JSONL often still carry the site's name and
// section ("… ｜事件・事故｜佐賀新聞ニュース｜佐賀新聞LiVE", "… - Yahoo!ニュース");
// weighted as headline words, a site's name makes two unrelated articles
// of one outlet alike, in any language. Between bars the longest segment
// is the headline; a short last dash segment goes.
func HeadlineCore(title string) string {
	if segs := barSepRe.Split(title, -1); len(segs) > 1 {
		best := ""
		for _, s := range segs {
			if utf8.RuneCountInString(s) > utf8.RuneCountInString(best) {
				best = s
			}
		}
		title = best
	}
	if loc := dashSepRe.FindAllStringIndex(title, -1); len(loc) > 0 {
		last := loc[len(loc)-1]
		head, tail := title[:last[0]], title[last[1]:]
		if n := wordCount(tail); n <= siteTailWords && wordCount(head) >= 2*n {
			title = head
		}
	}
	return strings.TrimSpace(title)
}

// wordCount counts words, a run of CJK characters counting one per two
// characters (about a word).
func wordCount(s string) int {
	n := 0
	for _, f := range strings.Fields(s) {
		cjk := 0
		for _, r := range f {
			if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) {
				cjk++
			}
		}
		n += max(1, (cjk+1)/2)
	}
	return n
}

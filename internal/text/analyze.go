package text

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/scratch"
	"golang.org/x/text/unicode/norm"
)

// Term is one feature of a document with its (title-weighted) count.
//
// Keys share one namespace, told apart by prefix:
//
//	stem     a stemmed content word or a CJK bigram (language-specific)
//	#1000    a number or year (language-independent)
//	@12      a month (language-independent)
//	e:rutte  a name-like token, folded to lowercase without accents
//	k:rt     a transliteration key: names in any script that sound alike
//	k:~xrs   the same with l and r in one class, for a name with an l
//	         (Scholz) or in kana (ショルツ), which has one liquid
//	x:govern an English gloss of a foreign word (from a Translator)
//	p:pande  a Latin-script word's first letters, folded (cognates)
type Term struct {
	Key string
	N   float64
}

// Anchor reports whether the term can match across languages.
func (t Term) Anchor() bool { return IsAnchor(t.Key) }

// IsAnchor reports whether a term key is language-independent: a number,
// month, name, transliteration key or English gloss.
func IsAnchor(key string) bool {
	if key == "" {
		return false
	}
	switch key[0] {
	case '#', '@':
		return true
	}
	return len(key) > 2 && key[1] == ':'
}

// Doc is the analysed form of one article.
type Doc struct {
	Lang  string
	Terms []Term // sorted by Key, keys unique
	// Surface maps a term key to a readable form (the first spelling seen)
	// for story summaries.
	Surface map[string]string
}

// Translator glosses a foreign word in English. *lexicon.Lexicon satisfies
// it; a nil *Lexicon is a valid Translator that knows nothing.
type Translator interface {
	English(lang, word string) []string
}

// Translit turns words of any script into comparable forms. The functions
// of internal/translit fit: Latin spells a word in lowercase Latin letters,
// Key gives its consonant skeleton.
type Translit struct {
	Latin func(string) string
	Key   func(string) string
	// Liquid, optional, keys a name with l and r in one class, or ""
	// (see translit.LiquidKey), indexed as k:~; Key's key is indexed too
	// only when both is true.
	Liquid func(string) (key string, both bool)
}

// Analyzer turns article text into a Doc. The zero value is usable: no
// glosses, no transliteration, titles counted twice.
type Analyzer struct {
	Translator Translator // optional English glosses for cross-language terms
	Translit   Translit   // optional; defaults to DefaultTranslit
	// TitleWeight multiplies counts of title tokens; 0 means 2.
	TitleWeight float64
	// MaxGlosses bounds the English glosses taken per word; 0 means 2.
	MaxGlosses int
}

// DefaultTranslit is used by analyzers that set no Translit. It is empty
// until a transliteration package registers itself (see translit.go).
var DefaultTranslit Translit

// nonLatinLangs write in a script without Latin letters, so Latin tokens in
// their text are names, brands or acronyms.
var nonLatinLangs = map[string]bool{
	"ar": true, "fa": true, "ur": true, "he": true, "ru": true, "uk": true, "bg": true, "sr": true,
	"el": true, "zh": true, "ja": true, "ko": true, "hi": true, "th": true, "ka": true, "hy": true,
}

// Analyze analyses one article with the zero Analyzer.
func Analyze(lang, title, body string) *Doc {
	var a Analyzer
	return a.Analyze(lang, title, body)
}

// Analyze tokenises title and body in language lang (ISO 639-1, "" when
// unknown), drops stop words, stems, and adds language-independent anchors.
func (a *Analyzer) Analyze(lang, title, body string) *Doc {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(lang, "-_"); i > 0 {
		lang = lang[:i]
	}
	if lang == "und" { // ISO 639-2 "undetermined": language detection could not tell
		lang = ""
	}
	tw := a.TitleWeight
	if tw == 0 {
		tw = 2
	}
	tl := a.Translit
	if tl.Key == nil && tl.Latin == nil {
		tl = DefaultTranslit
	}
	maxG := a.MaxGlosses
	if maxG == 0 {
		maxG = 2
	}
	st := NewStemmer(lang)
	en := st
	if lang != "en" {
		en = NewStemmer("en")
	}
	glossCache := glossPool.Get()
	defer glossPool.Put(glossCache)
	tt, bt := tokenPool.Get(), tokenPool.Get()
	*tt, *bt = tokenizeLang(*tt, lang, title), tokenizeLang(*bt, lang, body)
	defer tokenPool.Put(tt)
	defer tokenPool.Put(bt)
	parts := [2][]Token{*tt, *bt}
	// Sized for a term a token: an article has fewer distinct words than
	// tokens, but Analyze adds keys, glosses and prefixes to them, and maps
	// grown entry by entry were 6% of the bytes the pipeline allocated.
	// BenchmarkAnalyzeWMT -benchtime 3000x: 134.9 KB an article unsized,
	// 117.8 sized so, 121.8 and 128.6 at a half and a quarter of the
	// tokens. (Text that repeats itself, as BenchmarkAnalyze's, has fewer
	// terms and pays more.)
	// The counts are scratch (see countsPool), the surface forms go with
	// the Doc.
	n := len(parts[0]) + len(parts[1])
	b := builder{counts: countsPool.Get(), surface: make(map[string]string, n)}
	defer countsPool.Put(b.counts)
	// Capitalised words seen mid-sentence (in title or body) are names; the
	// same word at a sentence start is then a name too.
	midCap, lower := seenPool.Get(), seenPool.Get()
	defer seenPool.Put(midCap)
	defer seenPool.Put(lower)
	for _, toks := range parts {
		for _, t := range toks {
			if t.Kind != KindWord {
				continue
			}
			if t.Cap && !t.Initial {
				midCap[t.Text] = true
			}
			if !t.Cap && hasCase(t.Surface) {
				lower[t.Text] = true
			}
		}
	}
	arabic := lang == "ar"
	var ar arabicWords
	if arabic {
		ar = newArabicWords(parts)
	}
	for part, toks := range parts {
		w := 1.0
		if part == 0 {
			w = tw
		}
		nonLatin := nonLatinLangs[lang] || (lang == "" && mostlyNonLatin(toks))
		for i, t := range toks {
			switch t.Kind {
			case KindNumber, KindYear:
				b.add("#"+t.Text, w, t.Text)
				continue
			case KindMonth:
				b.add("@"+t.Text, w, t.Surface)
				continue
			case KindCJK:
				b.add(t.Text, w, t.Surface)
				continue
			}
			// Arabic words are matched in their normalised spelling; the
			// dictionary and transliteration get t.Text as written.
			word := t.Text
			if arabic {
				word = ar.norm[part][i]
			}
			if utf8.RuneCountInString(word) < 2 || IsStop(lang, word) {
				continue
			}
			if arabic {
				word, t.Text = ar.stripProclitic(word, t.Text)
			}
			stem := st.Stem(word)
			b.add(stem, w, t.Surface)
			// Cognates share their first letters across Latin-script
			// languages ("pandemia", "pandemie", "pandemic").
			if t.Latin && utf8.RuneCountInString(t.Text) >= cognateLen {
				b.add("p:"+prefix(Fold(t.Text), cognateLen), w, t.Surface)
			}

			entity := false
			switch {
			case nonLatin && t.Latin:
				entity = true
			case t.Acronym && utf8.RuneCountInString(t.Text) <= 8:
				entity = true
			case t.Cap && (!t.Initial || midCap[t.Text]) && !lower[t.Text]:
				entity = true
			case t.Name:
				entity = true
			}
			// A Japanese name is transliterated from its reading: 石破
			// is read イシバ, which spells Ishiba.
			spoken := t.Text
			if t.Name && t.Reading != "" {
				spoken = t.Reading
			}
			// A name in ideographs has no Latin spelling to meet other
			// scripts by (Chinese has no transliteration table here): it
			// stays a word of its language, not an anchor, which would
			// only dilute the anchors of a Chinese text.
			if entity && !t.Latin && hasHan(spoken) {
				entity = false
			}
			if entity {
				key := Fold(t.Text)
				if !t.Latin && tl.Latin != nil {
					if l := tl.Latin(spoken); l != "" {
						key = l
					}
				}
				b.add("e:"+key, w, t.Surface)
			}
			// English words stand for themselves in the gloss space, so
			// that glossed foreign words meet them.
			if a.Translator != nil && lang == "en" {
				b.add("x:"+stem, w, t.Surface)
			}
			var gl []string
			if a.Translator != nil && lang != "en" && lang != "" {
				var ok bool
				gl, ok = glossCache[t.Text]
				if !ok {
					gl = a.Translator.English(lang, t.Text)
					glossCache[t.Text] = gl
				}
			}
			// Transliteration keys link names across scripts. Scripts
			// without case (Arabic) cannot tell names apart, so their
			// content words get a key too, unless the dictionary knows
			// the word (names are rarely in it); IDF sorts out the rest.
			if tl.Key != nil && (entity || !hasCase(t.Surface) && len(gl) == 0) && utf8.RuneCountInString(spoken) >= 3 {
				// Ideographs have no transliteration table and key to
				// themselves: such a key meets no other script and would
				// only dilute the script-neutral terms of a Chinese text.
				name := stripArticle(spoken)
				lk, both := "", true
				if tl.Liquid != nil {
					lk, both = tl.Liquid(name)
				}
				if k := tl.Key(name); both && utf8.RuneCountInString(k) >= 2 && !hasHan(k) {
					b.add("k:"+k, w, t.Surface)
				}
				if utf8.RuneCountInString(lk) >= 2 && !hasHan(lk) {
					b.add("k:~"+lk, w, t.Surface)
				}
			}
			if len(gl) > 0 {
				for i, g := range gl {
					if i == maxG {
						break
					}
					g = strings.ToLower(g)
					if strings.ContainsRune(g, ' ') || IsStop("en", g) {
						continue
					}
					b.add("x:"+en.Stem(g), w/float64(min(len(gl), maxG)), g)
				}
			}
		}
	}
	return b.doc(lang)
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// cognateLen is the prefix length of p: cognate anchors.
const cognateLen = 5

// Analyze's maps, reused between articles: emptied, a map keeps its
// room, and made anew for each article they were two fifths of what
// Analyze allocated (BenchmarkAnalyzeWMT).
var (
	countsPool scratch.Maps[string, float64]
	seenPool   scratch.Maps[string, bool]
	glossPool  scratch.Maps[string, []string]
)

type builder struct {
	counts  map[string]float64
	surface map[string]string
}

func (b *builder) add(key string, w float64, surface string) {
	b.counts[key] += w
	if _, ok := b.surface[key]; !ok {
		b.surface[key] = surface
	}
}

func (b *builder) doc(lang string) *Doc {
	d := &Doc{Lang: lang, Terms: make([]Term, 0, len(b.counts)), Surface: b.surface}
	for k, n := range b.counts {
		d.Terms = append(d.Terms, Term{Key: k, N: n})
	}
	sort.Slice(d.Terms, func(i, j int) bool { return d.Terms[i].Key < d.Terms[j].Key })
	return d
}

func mostlyNonLatin(toks []Token) bool {
	latin, other := 0, 0
	for _, t := range toks {
		switch {
		case t.Kind == KindCJK:
			other++
		case t.Kind == KindWord && t.Latin:
			latin++
		case t.Kind == KindWord:
			other++
		}
	}
	return other > latin
}

// Fold lowercases s and strips accents, so that "Müller", "muller" and
// "MULLER" compare equal and names match across Latin-script languages.
func Fold(s string) string {
	// ASCII has no accents and none of the letters below: lowercasing is
	// all there is to do, without the two copies the general path makes
	// (Fold's were 3% of the bytes the pipeline allocated).
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return foldRunes(s)
		}
	}
	return strings.ToLower(s)
}

// foldRunes is Fold for any text.
func foldRunes(s string) string {
	var sb strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'ß':
			sb.WriteString("ss")
			continue
		case 'ı':
			r = 'i'
		case 'ł':
			r = 'l'
		case 'ø':
			r = 'o'
		case 'đ':
			r = 'd'
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

// arabicArticles are proclitic forms of the Arabic article (al-, wal-,
// bil-, lil-, fal-, kal-) that names carry ("اليابان", Japan) but keys must not.
var arabicArticles = []string{"وال", "بال", "فال", "كال", "لل", "ال"}

// stripArticle removes a leading Arabic article from w when at least three
// letters remain.
func stripArticle(w string) string {
	for _, p := range arabicArticles {
		if rest, ok := strings.CutPrefix(w, p); ok && utf8.RuneCountInString(rest) >= 3 {
			return rest
		}
	}
	return w
}

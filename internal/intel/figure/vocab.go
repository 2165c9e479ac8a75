package figure

import (
	"bufio"
	"embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// The words that make a figure — number words, scale words, units,
// currencies, approximation words, the names of common quantities — live in
// one data file per language, lang/<code>.txt, plus lang/all.txt for what
// every language shares (currency symbols, ISO codes, "%"). The format:
//
//	# a comment line
//	[section]
//	phrase              a member of the section
//	phrase = value      a member with a value (a number, a currency code, an English key)
//
// A phrase is split into tokens exactly as text is (see tokenize), so
// "d'euros" is the three tokens d ' euros and "a.m." is a . m ., and it
// matches the same token run in text, lowercased (Arabic in
// text.NormalizeArabic's spelling). A literal "#" at the start of a phrase
// is written "\#". The [format] section holds settings, not phrases:
//
//	decimal = , | .              the decimal separator of the language
//	groups = space               digit groups may be separated by a plain space ("1 500")
//	comma3 = group | decimal     what a single comma before exactly three digits is ("1,500")
//	order = head-final | head-initial   modifiers before the noun (en, de) or after (fr, es, ar)
//	nouns = capitalised          nouns are written with a capital (de)
//	plural = s                   plural nouns end in -s (en): an unknown noun after a number counts only if plural
//	nounprefix = ال              the subject before a linking verb is words that begin so (ar)
//	plurals = s es               plural endings to cut when the translator does not know a word
//
// Sections, and what a member does:
//
//	number      a number word: "twelve = 12"; a figure of number words needs a unit
//	article     stands for 1 before a scale word: "a thousand", "un millón"
//	and         joins number words: "two hundred and fifty"
//	scale       multiplies: "million = 1e6"; "hundred = 100" multiplies what precedes
//	scalecur    a scale abbreviation valid only glued to a number with a currency or a
//	            counted noun after it ("$5m", "1.5m people"; "a 10m wall" is metres)
//	scalelink   may stand between a scale and its noun or currency: "millions d'euros"
//	percent     per cent: "%", "Prozent", "بالمئة"
//	points      percentage points: "percentage points = pp"
//	currency    a currency word or symbol: "euros = EUR"
//	approx      before a figure, makes it approximate: "about", "mehr als", "نحو"
//	approxafter after a figure, makes it approximate: "or so"
//	unit        a counted noun: "troops = troops", "Soldaten = soldiers" (English lemma)
//	person      unit lemmas that count people, whose fate (killed, injured) names the figure
//	event       what happened to counted people: "killed = deaths"
//	name        a common quantity's name: "gdp = gdp", "bip = gdp", "التضخم = inflation"
//	ofprep      links a figure to what follows: "of", "des", "من"
//	inprep      links money to what it is for: "$500 million in aid"
//	link        links a preceding noun phrase to the figure: "rose to", "lag bei";
//	            "= weak" marks one too common to trust unless a quantity name precedes ("of", "to")
//	yearprep    introduces the year a figure refers to: "by", "d'ici"
//	time        after a number, makes it a clock time: "a.m.", "Uhr"
//	ref         before a number, makes it a reference: "page", "Flight", "No."
//	skipunit    after a number, makes it no figure: a duration, an age, an address ("years", "rue")
//	det         skipped at the edge of a noun phrase: "the", "leur", "el"
//	stop        ends a noun phrase (besides text.IsStop's function words)
//	ratio       between two numbers, makes a ratio: "one in five"
//	range       between two numbers, makes a bare first one a range or tally: "5 to 4"
//	countmod    may stand between a number and its counted noun: "10,000 more nurses"
//	datelink    may stand between a day and its month: "26 de octubre"
//	proclitic   fused to the front of a word or number: Arabic "و", "بال"
//
//go:embed lang/*.txt
var langFS embed.FS

type section int

const (
	secNumber section = iota
	secArticle
	secAnd
	secScale
	secScaleCur
	secScaleLink
	secPercent
	secPoints
	secCurrency
	secApprox
	secApproxAfter
	secUnit
	secPerson
	secEvent
	secName
	secOfPrep
	secInPrep
	secLink
	secYearPrep
	secTime
	secRef
	secSkipUnit
	secDet
	secStop
	secRatio
	secRange
	secCountMod
	secDateLink
	secProclitic
	numSections
)

var sectionNames = [numSections]string{
	"number", "article", "and", "scale", "scalecur", "scalelink", "percent", "points",
	"currency", "approx", "approxafter", "unit", "person", "event", "name", "ofprep",
	"inprep", "link", "yearprep", "time", "ref", "skipunit", "det", "stop", "ratio", "range", "countmod", "datelink", "proclitic",
}

// table maps a phrase (its tokens' lowercase forms joined by one space) to
// its value.
type table struct {
	m     map[string]string
	max   int            // the longest phrase, in tokens
	first map[string]int // a phrase's first token → the longest phrase it starts
	last  map[string]int // a phrase's last token → the longest phrase it ends
}

// vocab is one language's figure vocabulary.
type vocab struct {
	lang          string
	decimalComma  bool     // "2,5" is two and a half
	spaceGroups   bool     // "1 500" is one number
	comma3Group   bool     // "1,500" is fifteen hundred, also where the decimal sign is a comma
	headFinal     bool     // modifiers precede the noun: "nuclear warheads"
	capNouns      bool     // nouns are capitalised (German)
	pluralS       bool     // plural nouns end in -s (English)
	nounPrefix    string   // a definite subject's nouns begin so (Arabic ال)
	pluralEndings []string // cut, in turn, for a word the translator does not know
	tabs          [numSections]table
	starts        map[string]bool // number words and articles: what may begin a number in words
	proclitics    []string        // [proclitic], longest first
	knownWords    map[string]bool // one-word members of the sections that make a figure
}

func (v *vocab) tab(s section) *table { return &v.tabs[s] }

// has reports whether the single lowercase word w is a member of section s.
func (v *vocab) has(s section, w string) bool {
	_, ok := v.tabs[s].m[w]
	return ok
}

// mayStartNumber reports whether the word w can begin a number written in
// words: a number word, an article before a scale, or a hyphenated word
// whose first part is a number word ("twenty-five"). Most words cannot,
// and Extract asks this of every word.
func (v *vocab) mayStartNumber(w string) bool {
	if v.starts[w] {
		return true
	}
	i := strings.IndexByte(w, '-')
	if i < 0 && strings.IndexByte(w, 0xE2) >= 0 { // the first byte of U+2010 ‐
		i = strings.Index(w, "‐")
	}
	return i > 0 && v.has(secNumber, w[:i])
}

// known reports whether the single lowercase word w is in a section that
// names a part of a figure: what a proclitic may be cut off to find.
func (v *vocab) known(w string) bool { return v.knownWords[w] }

var (
	vocabOnce sync.Once
	vocabs    map[string]*vocab
	vocabErr  error
)

// vocabFor returns the vocabulary of lang, English for a language without
// a data file: English words and digits are the likeliest figures in text
// of an unknown language.
func vocabFor(lang string) *vocab {
	vocabOnce.Do(func() { vocabs, vocabErr = loadVocabs() })
	if vocabErr != nil {
		// The data is embedded: a parse error is a bug caught by the tests.
		panic(vocabErr)
	}
	if v, ok := vocabs[strings.ToLower(lang)]; ok {
		return v
	}
	return vocabs["en"]
}

func loadVocabs() (map[string]*vocab, error) {
	ents, err := langFS.ReadDir("lang")
	if err != nil {
		return nil, err
	}
	all, err := langFS.ReadFile("lang/all.txt")
	if err != nil {
		return nil, err
	}
	out := make(map[string]*vocab)
	for _, e := range ents {
		name := e.Name()
		if name == "all.txt" || !strings.HasSuffix(name, ".txt") {
			continue
		}
		lang := strings.TrimSuffix(name, ".txt")
		data, err := langFS.ReadFile("lang/" + name)
		if err != nil {
			return nil, err
		}
		v := &vocab{lang: lang}
		for i := range v.tabs {
			v.tabs[i] = table{m: make(map[string]string), first: make(map[string]int), last: make(map[string]int)}
		}
		// The language's own file first: its [format] decides how the
		// shared phrases are tokenized.
		if err := v.parse(name, string(data)); err != nil {
			return nil, err
		}
		if err := v.parse("all.txt", string(all)); err != nil {
			return nil, err
		}
		for p := range v.tabs[secProclitic].m {
			v.proclitics = append(v.proclitics, p)
		}
		// Longest first, so that "بال" is cut before "ب".
		sort.Slice(v.proclitics, func(a, b int) bool {
			pa, pb := v.proclitics[a], v.proclitics[b]
			return len(pa) > len(pb) || len(pa) == len(pb) && pa < pb
		})
		v.knownWords = make(map[string]bool)
		for _, sec := range [...]section{secEvent, secName, secUnit, secNumber, secScale, secPercent, secCurrency, secApprox, secLink} {
			for w := range v.tabs[sec].m {
				v.knownWords[w] = true
			}
		}
		v.starts = make(map[string]bool)
		for _, sec := range [...]section{secNumber, secArticle} {
			for w := range v.tabs[sec].m {
				v.starts[w] = true
			}
		}
		out[lang] = v
	}
	return out, nil
}

func (v *vocab) parse(file, data string) error {
	cur := section(-1)
	format := false
	sc := bufio.NewScanner(strings.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		if line[0] == '[' && line[len(line)-1] == ']' {
			name := line[1 : len(line)-1]
			format = name == "format"
			cur = -1
			for i, s := range sectionNames {
				if s == name {
					cur = section(i)
				}
			}
			if cur < 0 && !format {
				return fmt.Errorf("%s:%d: unknown section %q", file, n, name)
			}
			continue
		}
		phrase, value, _ := strings.Cut(line, " = ")
		phrase, value = strings.TrimSpace(phrase), strings.TrimSpace(value)
		phrase = strings.TrimPrefix(phrase, `\`)
		if format {
			if err := v.setFormat(phrase, value); err != nil {
				return fmt.Errorf("%s:%d: %v", file, n, err)
			}
			continue
		}
		if cur < 0 {
			return fmt.Errorf("%s:%d: phrase outside a section", file, n)
		}
		switch cur {
		case secNumber, secScale, secScaleCur:
			if _, err := strconv.ParseFloat(value, 64); err != nil {
				return fmt.Errorf("%s:%d: %q needs a number: %v", file, n, phrase, err)
			}
		case secCurrency, secUnit, secEvent, secName, secPoints:
			if value == "" {
				return fmt.Errorf("%s:%d: %q needs a value", file, n, phrase)
			}
		}
		toks := tokenize(v, phrase)
		if len(toks) == 0 {
			return fmt.Errorf("%s:%d: empty phrase", file, n)
		}
		t := &v.tabs[cur]
		t.m[joinLow(toks)] = value
		t.max = max(t.max, len(toks))
		f, l := toks[0].low, toks[len(toks)-1].low
		t.first[f] = max(t.first[f], len(toks))
		t.last[l] = max(t.last[l], len(toks))
	}
	return sc.Err()
}

func (v *vocab) setFormat(key, value string) error {
	switch key {
	case "decimal":
		v.decimalComma = value == ","
	case "groups":
		v.spaceGroups = value == "space"
	case "comma3":
		v.comma3Group = value == "group"
	case "order":
		v.headFinal = value == "head-final"
	case "nouns":
		v.capNouns = value == "capitalised"
	case "plural":
		v.pluralS = value == "s"
	case "plurals":
		v.pluralEndings = strings.Fields(value)
	case "nounprefix":
		v.nounPrefix = lowerWord(value)
	default:
		return fmt.Errorf("unknown format setting %q", key)
	}
	return nil
}

func joinLow(toks []token) string {
	var sb strings.Builder
	for i, t := range toks {
		if i > 0 {
			sb.WriteByte(' ')
		}
		sb.WriteString(t.low)
	}
	return sb.String()
}

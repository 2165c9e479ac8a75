package figure

import (
	"bufio"
	"embed"
	"fmt"
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
//	plural = s                   plural nouns end in -s (en): an unknown counted noun must
//
// Sections, and what a member does:
//
//	number      a number word: "twelve = 12"; a figure of number words needs a unit
//	article     stands for 1 before a scale word: "a thousand", "un millón"
//	and         joins number words: "two hundred and fifty"
//	scale       multiplies: "million = 1e6"; "hundred = 100" multiplies what precedes
//	scalecur    a scale abbreviation valid only glued to a number with a currency ("$5m")
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
//	link        links a preceding noun phrase to the figure: "rose to", "lag bei"
//	yearprep    introduces the year a figure refers to: "by", "d'ici"
//	time        after a number, makes it a clock time: "a.m.", "Uhr"
//	ref         before a number, makes it a reference: "page", "Flight", "No."
//	skipunit    after a number, makes it a duration or age, not a figure: "years"
//	det         skipped at the edge of a noun phrase: "the", "leur", "el"
//	stop        ends a noun phrase (besides text.IsStop's function words)
//	ordinal     glued to a number, makes it an ordinal: "th", "ème"
//	ratio       between two numbers, makes a ratio: "one in five"
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
	secOrdinal
	secRatio
	numSections
)

var sectionNames = [numSections]string{
	"number", "article", "and", "scale", "scalecur", "scalelink", "percent", "points",
	"currency", "approx", "approxafter", "unit", "person", "event", "name", "ofprep",
	"inprep", "link", "yearprep", "time", "ref", "skipunit", "det", "stop", "ordinal", "ratio",
}

// table maps a phrase (its tokens' lowercase forms joined by one space) to
// its value.
type table struct {
	m   map[string]string
	max int // the longest phrase, in tokens
}

// vocab is one language's figure vocabulary.
type vocab struct {
	lang         string
	decimalComma bool // "2,5" is two and a half
	spaceGroups  bool // "1 500" is one number
	comma3Group  bool // "1,500" is fifteen hundred, also where the decimal sign is a comma
	headFinal    bool // modifiers precede the noun: "nuclear warheads"
	capNouns     bool // nouns are capitalised (German)
	pluralS      bool // plural nouns end in -s (English)
	tabs         [numSections]table
}

func (v *vocab) tab(s section) *table { return &v.tabs[s] }

// has reports whether the single lowercase word w is a member of section s.
func (v *vocab) has(s section, w string) bool {
	_, ok := v.tabs[s].m[w]
	return ok
}

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

// Languages returns the languages with a vocabulary of their own.
func Languages() []string {
	vocabFor("en")
	out := make([]string, 0, len(vocabs))
	for l := range vocabs {
		out = append(out, l)
	}
	return out
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
			v.tabs[i].m = make(map[string]string)
		}
		// The language's own file first: its [format] decides how the
		// shared phrases are tokenized.
		if err := v.parse(name, string(data)); err != nil {
			return nil, err
		}
		if err := v.parse("all.txt", string(all)); err != nil {
			return nil, err
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

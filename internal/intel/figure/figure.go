// Package figure pulls the figures out of news text — numbers with their
// unit and what they count: "3.5% of GDP", "$500 million in aid", "1,000
// nuclear warheads by 2030", "2 بالمئة" — and groups the same figure across a
// story's outlets and languages, flagging outlets that disagree.
//
// Extraction is rule-based and precision-first: a number becomes a figure
// only when its unit or its subject says what it measures, and the many
// numbers that are no quantities (dates, times, years, phone numbers, list
// and page numbers, scores, model names such as G7, F-35 and Boeing 737)
// are told apart by what touches them. All words come from one data file
// per language (lang/*.txt, see vocab.go); the code holds no vocabulary.
package figure

import (
	"math"
	"strconv"
	"strings"

	"github.com/storyline/storyline/internal/scratch"
	"github.com/storyline/storyline/internal/text"
)

// Figure is one quantity an article states.
type Figure struct {
	Text       string  // as written: "3.5% of GDP", "$500 million", "1,000 nuclear warheads by 2030", "2 بالمئة"
	Start, End int     // byte offsets of Text in the text
	Value      float64 // normalised: 3.5, 500e6, 1000
	Unit       string  // "%", "pp" (percentage points), an ISO 4217 code, a counted noun's English lemma ("warheads") or lowercase form, "" when bare
	Of         string  // what it is of or counts, lowercased in the text's language: "gdp", "nuclear warheads", "bip"; "" when unclear
	Year       string  // a year it refers to ("by 2030"), "" when none
	Approx     bool    // "about", "more than", "etwa", "نحو" …
	// Rounding is how far the true value may lie from Value given how it
	// was written: half a unit of the last digit given, times the scale,
	// for decimals, percentages and scaled numbers ("1.2 billion" ±0.05e9,
	// "3.5%" ±0.05, "2%" ±0.5); 0 for plain counts and sums ("1,000
	// troops", "$500"), which are taken as exact.
	Rounding float64
}

// Extract returns the figures in text (language lang, ISO 639-1; English
// rules serve a language without its own data). Dates, times, years
// standing alone, phone numbers, ordinal and list numbers, page and section
// numbers, scores and ranges ("3-1", "2-3%"), durations and ages ("five
// years") and numbers inside names (G7, F-35, Boeing 737) are not figures.
func Extract(lang, text string) []Figure {
	v := vocabFor(lang)
	toks := tokenPool.Get()
	defer tokenPool.Put(toks)
	*toks = appendTokens(*toks, v, text)
	x := &extractor{v: v, lang: v.lang, text: text, toks: *toks}
	if len(v.proclitics) > 0 {
		x.splitProclitics()
	}
	all := x.toks
	var out []Figure
	// A figure never spans lines: scraped pages put headlines, captions
	// and counters ("France 24") on lines of their own. Each line is
	// read alone, so no rule looks across a line break.
	for len(all) > 0 {
		n := 1
		for n < len(all) && !all[n].lineStart {
			n++
		}
		x.toks, x.floor = all[:n], 0
		for i := 0; i < len(x.toks); {
			if f, next, ok := x.figureAt(i); ok {
				out = append(out, f)
				i, x.floor = next, next
				continue
			}
			i++
		}
		all = all[n:]
	}
	return out
}

// tokenPool holds Extract's tokens between articles (about 20 KB an
// article otherwise). Figures keep offsets and strings, never tokens.
var tokenPool scratch.Slices[token]

// Every threshold of the package, and what it trades. Windows are counted
// in tokens (words, numbers and punctuation marks).
const (
	// RelTolerance is the difference, as a fraction of the larger value,
	// that never makes a conflict: restatements in other units ("1,234
	// million" and "1.23 billion") and currency rounding stay together,
	// while 45 and 47 deaths (4%) conflict. Raising it hides real
	// disagreements over close numbers; lowering it flags rounding.
	RelTolerance = 0.01
	// ApproxTolerance is the extra fraction allowed when either value is
	// approximate: "about 1,000" agrees with 1,100 but not with 1,200, and
	// "more than 4%" with 4.4%. It trades conflicts between estimates
	// (which are often honest) for fewer false alarms.
	ApproxTolerance = 0.15

	// maxModifiers is how many words may stand between a number and the
	// noun it counts in English and German ("1,000 nuclear warheads"):
	// more finds nouns behind longer modifiers and more verbs taken for
	// nouns.
	maxModifiers = 2
	// maxPhraseWords (head-initial languages: maxPhraseWordsHeadInitial,
	// whose adjectives follow the noun and cannot be told from verbs) is
	// the longest "of" phrase kept: longer phrases name the thing better
	// and run into the rest of the sentence more often.
	maxPhraseWords            = 3
	maxPhraseWordsHeadInitial = 2
	// maxDets is how many determiners open an "of" phrase ("of all the").
	maxDets = 2
	// nameWindow is how far before a linking verb a quantity's name may
	// stand ("Die Inflation in der Eurozone sank im Mai auf"): wider
	// windows find more subjects and, more often, the wrong one.
	nameWindow = 8
	// eventWindow is how far after counted people what happened to them
	// may stand ("45 people were later killed"): wider picks up the next
	// clause's event.
	eventWindow = 5
	// yearWindow is how far a year phrase may stand from its figure ("3.5%
	// of GDP on core defence by 2035"): wider finds more years and more
	// that belong to another part of the sentence.
	yearWindow = 7
	// maxRatioLead is the largest first number of a ratio ("9 out of 10"):
	// larger ones are counts that happen to precede "in" ("20 in 58
	// countries").
	maxRatioLead = 10
)

type extractor struct {
	v     *vocab
	lang  string
	text  string
	toks  []token
	floor int // the first token a figure may take: the previous figure ends before it
	buf   []byte
}

// splitProclitics splits a proclitic (Arabic و "and", ب "with", ل "for"
// …) off a word when the rest is a word of the vocabulary and the whole is
// not: "وإصابة" is "and" + "injury". The proclitic stays a token of its
// own, glued to the word.
func (x *extractor) splitProclitics() {
	var out []token
	for i, t := range x.toks {
		n := 0
		if t.kind == tWord && !x.v.known(t.low) {
			for _, p := range x.v.proclitics {
				if len(t.low) > len(p) && strings.HasPrefix(t.low, p) && x.v.known(t.low[len(p):]) &&
					strings.HasPrefix(x.text[t.start:t.end], p) {
					n = len(p)
					break
				}
			}
		}
		if n == 0 {
			if out != nil {
				out = append(out, t)
			}
			continue
		}
		if out == nil {
			out = append(make([]token, 0, len(x.toks)+8), x.toks[:i]...)
		}
		head, rest := t, t
		head.end, head.low = t.start+n, t.low[:n]
		rest.start, rest.low, rest.glued, rest.lineStart, rest.sentStart = t.start+n, t.low[n:], true, false, false
		out = append(out, head, rest)
	}
	if out != nil {
		x.toks = out
	}
}

// lookup reports the value of the n-token phrase at i in t.
func (x *extractor) lookup(t *table, i, n int) (string, bool) {
	if n == 1 {
		v, ok := t.m[x.toks[i].low]
		return v, ok
	}
	x.buf = x.buf[:0]
	for k := i; k < i+n; k++ {
		if k > i {
			x.buf = append(x.buf, ' ')
		}
		x.buf = append(x.buf, x.toks[k].low...)
	}
	v, ok := t.m[string(x.buf)]
	return v, ok
}

// match returns the length in tokens and the value of the longest phrase
// of section s that starts at token i, or 0.
func (x *extractor) match(s section, i int) (int, string) {
	t := x.v.tab(s)
	if i < 0 || i >= len(x.toks) {
		return 0, ""
	}
	// Most tokens begin no phrase: one lookup says so.
	for n := min(t.first[x.toks[i].low], len(x.toks)-i); n >= 1; n-- {
		if v, ok := x.lookup(t, i, n); ok {
			return n, v
		}
	}
	return 0, ""
}

// matchEnd is match for the longest phrase that ends at token j.
func (x *extractor) matchEnd(s section, j int) (int, string) {
	t := x.v.tab(s)
	if j < 0 || j >= len(x.toks) {
		return 0, ""
	}
	for n := min(t.last[x.toks[j].low], j+1); n >= 1; n-- {
		if v, ok := x.lookup(t, j-n+1, n); ok {
			return n, v
		}
	}
	return 0, ""
}

func (x *extractor) is(i int, k tokKind, low string) bool {
	return i >= 0 && i < len(x.toks) && x.toks[i].kind == k && x.toks[i].low == low
}

// surface is the text of tokens [i, j), lowercased, words joined by one
// space.
func (x *extractor) surface(i, j int) string {
	var sb strings.Builder
	for k := i; k < j; k++ {
		t := x.toks[k]
		if k > i && !t.glued {
			sb.WriteByte(' ')
		}
		sb.WriteString(strings.ToLower(x.text[t.start:t.end]))
	}
	return sb.String()
}

// stop reports whether token i ends a noun phrase: a function word, a
// month, a number or punctuation.
func (x *extractor) stop(i int) bool {
	t := x.toks[i]
	if t.kind != tWord {
		return true
	}
	if x.v.has(secStop, t.low) || x.v.has(secDet, t.low) || text.Month(t.low) != "" {
		return true
	}
	return text.IsStop(x.lang, t.low) && !t.acronym
}

// candidate is a figure being assembled.
type candidate struct {
	first, numEnd int // tokens: the first (a currency sign or the number) and after the number and its scale
	last          int // after the last token that belongs to Text
	value         float64
	decimals      int
	scale         float64
	wordNum       bool
	unit          string
	knownUnit     bool // the unit is a data-file word
	of            string
	strongOf      bool // of is a data-file quantity name or event
	approx        bool
	year          string
}

// figureAt reads the figure whose number starts at token i.
func (x *extractor) figureAt(i int) (Figure, int, bool) {
	t := x.toks[i]
	c := candidate{first: i, scale: 1}
	var ok bool
	switch t.kind {
	case tNum:
		if c.value, c.decimals, ok = parseNumber(x.v, t.low); !ok || x.notQuantity(i) {
			return Figure{}, 0, false
		}
		c.numEnd = i + 1
		x.readScale(&c)
	case tWord:
		if !x.v.mayStartNumber(t.low) {
			return Figure{}, 0, false
		}
		if c.value, c.numEnd, c.scale, ok = x.numberWords(i); !ok || x.ratio(i) {
			return Figure{}, 0, false
		}
		c.wordNum = true
	default:
		return Figure{}, 0, false
	}
	c.last = c.numEnd
	x.readUnit(&c)
	if x.sign(i) {
		c.value = -c.value
		if c.first == i && i-1 >= x.floor {
			c.first = i - 1
		}
	}
	if c.unit == skip {
		return Figure{}, 0, false
	}
	bare := c.unit == "" && c.scale == 1
	if bare && c.last < len(x.toks) {
		if n, _ := x.match(secRange, c.last); n > 0 && c.last+n < len(x.toks) && x.toks[c.last+n].kind == tNum {
			return Figure{}, 0, false // "5 to 4", "between 12 and 15": a tally or a range
		}
	}
	measured := c.unit == "%" || c.unit == "pp" || c.unit == "bp" || isCurrency(c.unit)
	if !c.wordNum && !c.knownUnit && !measured && c.scale == 1 && isYear(t.low) {
		// A year standing alone ("in 2024", "the 2030 target") is no
		// figure; with a separator, a scale or a known unit it is
		// ("2,000 troops", "2000 soldiers").
		return Figure{}, 0, false
	}
	if c.wordNum && (!c.knownUnit && !measured || i > 0 && x.v.has(secDet, x.toks[i-1].low)) {
		// "one of the", "two leaders": number words count only what the
		// data knows; "the two nations" refers back to what it counts.
		return Figure{}, 0, false
	}
	if !c.wordNum && !c.knownUnit && !measured && c.scale == 1 && x.nameBefore(i) {
		// "Boeing 737", "Article 5 troops": a number after a name.
		return Figure{}, 0, false
	}
	x.readApprox(&c)
	x.readOf(&c)
	if bare && !c.strongOf {
		return Figure{}, 0, false
	}
	x.readYear(&c)
	start, end := x.toks[c.first].start, x.toks[c.last-1].end
	value := c.value * c.scale
	if c.decimals > 0 && c.scale > 1 {
		// 8.7 × 1e12 is 8.699999999999999e12 in floating point; 87 ×
		// 1e12 / 10 is 8.7e12 exactly.
		p := math.Pow(10, float64(c.decimals))
		value = math.Round(c.value*p) * c.scale / p
	}
	f := Figure{
		Text:   x.text[start:end],
		Start:  start,
		End:    end,
		Value:  value,
		Unit:   c.unit,
		Of:     c.of,
		Year:   c.year,
		Approx: c.approx,
	}
	if c.decimals > 0 || c.scale > 1 || c.unit == "%" || c.unit == "pp" || c.unit == "bp" {
		f.Rounding = 0.5 * math.Pow(10, -float64(c.decimals)) * c.scale
	}
	return f, c.last, true
}

// skip is the unit of a number that turned out to be a duration or age.
const skip = "\x00skip"

func isCurrency(u string) bool {
	if len(u) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if u[i] < 'A' || u[i] > 'Z' {
			return false
		}
	}
	return true
}

func isYear(raw string) bool {
	raw = text.ASCIIDigits(raw)
	if len(raw) != 4 {
		return false
	}
	y := 0
	for i := 0; i < 4; i++ {
		if raw[i] < '0' || raw[i] > '9' {
			return false
		}
		y = y*10 + int(raw[i]-'0')
	}
	return y >= 1900 && y <= 2100
}

// sign reports a minus glued to the number and standing free before it:
// "-0.5%", "−2 %". A hyphen glued on both sides ("3-1") never gets here.
func (x *extractor) sign(i int) bool {
	if i == 0 || !x.toks[i].glued {
		return false
	}
	p := x.toks[i-1]
	return p.kind == tPunct && (p.low == "-" || p.low == "−") && !p.glued
}

// notQuantity reports a number that the tokens touching it show to be no
// quantity: part of a name, a date, a time, a score, a phone number, a
// list or page number, an ordinal.
func (x *extractor) notQuantity(i int) bool {
	t := x.toks[i]
	n := len(x.toks)
	if t.glued && i > 0 {
		p := x.toks[i-1]
		switch p.kind {
		case tWord:
			// "G7", "Daily8", "A400M" — but Arabic fuses one-letter
			// prepositions to numbers: "بـ1500", "و5".
			if !x.v.has(secProclitic, p.low) {
				return true
			}
		case tNum:
			return true
		case tPunct:
			switch p.low {
			case "-", "–", "‐", "−":
				// "F-35", "COVID-19", "3-1", "2024-25"; a minus
				// standing free is a sign.
				if p.glued {
					return true
				}
			case "'", "’":
				// "l'8%", "dell'1,5%" elide an article; "'90" is a year.
				if !(p.glued && i >= 2 && x.toks[i-2].kind == tWord) {
					return true
				}
			case "/", ":", "+", "#", "№", ".", ",", "_", "@", "=", "\\", "^", "&":
				return true
			}
		}
	}
	if i+1 < n && x.toks[i+1].glued {
		q := x.toks[i+1]
		switch q.kind {
		case tWord:
			if !x.gluedSuffixOK(i + 1) {
				return true // "5G", "737MAX", "10th", "10h30", "1980s"
			}
		case tNum:
			return true
		case tPunct:
			switch q.low {
			case "/", ":", "-", "–", "‐", "×", "_", "@", "'", "’":
				// "10/04", "10:30", "3-1", "27-member", "24/7", "1990's"
				if i+2 < n && x.toks[i+2].glued && x.toks[i+2].kind != tPunct {
					return true
				}
			case ".", ")":
				// "1." or "2)" opening a line is a list item.
				if t.lineStart {
					return true
				}
			case "º", "ª", "°":
				return true // Spanish ordinals; degrees are no news figure we group
			}
		}
	}
	// Numbers side by side: phone numbers ("020 7946 0958"), tables,
	// counters ("10 0 0 0").
	if i > 0 && x.toks[i-1].kind == tNum || i+1 < n && x.toks[i+1].kind == tNum {
		return true
	}
	if x.dateNeighbour(i) {
		return true
	}
	if k, _ := x.match(secTime, i+1); k > 0 {
		return true // "10 a.m.", "15 Uhr", "10 h 30"
	}
	if k, _ := x.matchEnd(secRef, i-1); k > 0 {
		return true // "page 12", "No. 1", "Flight 370", "Article 5"
	}
	return x.ratio(i)
}

// gluedSuffixOK reports whether word j, glued to the number before it, is
// part of a figure: a scale ("3.5bn"), per cent, a currency or a unit
// ("10km"), as opposed to an ordinal ("10th"), a time ("10h30") or a name
// ("5G").
func (x *extractor) gluedSuffixOK(j int) bool {
	for _, s := range [...]section{secScale, secScaleCur, secPercent, secCurrency, secUnit} {
		if k, _ := x.match(s, j); k > 0 {
			return true
		}
	}
	return false
}

// dateNeighbour reports a month name next to the number, with at most a
// dot, a comma or a [datelink] word between: "9 April", "April 9", "31.
// März", "26 de octubre".
func (x *extractor) dateNeighbour(i int) bool {
	for _, dir := range [...]int{-1, 1} {
		k := i + dir
		for steps := 0; steps < 2 && k >= 0 && k < len(x.toks); steps++ {
			t := x.toks[k]
			if t.kind == tWord && text.Month(t.low) != "" {
				return true
			}
			if t.kind == tPunct && (t.low == "." || t.low == ",") || t.kind == tWord && x.v.has(secDateLink, t.low) {
				k += dir
				continue
			}
			break
		}
	}
	return false
}

// ratio reports the second number of "one in five", "9 out of 10", "un
// sur trois". The first must be small: "September 20 in 58 countries" is
// no ratio.
func (x *extractor) ratio(i int) bool {
	n, _ := x.matchEnd(secRatio, i-1)
	if n == 0 {
		return false
	}
	k := i - 1 - n
	if k < 0 {
		return false
	}
	var v float64
	var ok bool
	switch x.toks[k].kind {
	case tNum:
		v, _, ok = parseNumber(x.v, x.toks[k].low)
	case tWord:
		v, ok = x.wordValue(k)
	}
	return ok && v >= 1 && v <= maxRatioLead
}

func (x *extractor) isNumberWord(i int) bool {
	if i < 0 || i >= len(x.toks) || x.toks[i].kind != tWord {
		return false
	}
	_, ok := x.wordValue(i)
	return ok
}

// wordValue is the value of number word i, reading "twenty-five" as the sum
// of its parts.
func (x *extractor) wordValue(i int) (float64, bool) {
	w := x.toks[i].low
	if v, ok := x.v.tab(secNumber).m[w]; ok {
		return parseFloat(v), true
	}
	if !strings.ContainsAny(w, "-‐") {
		return 0, false
	}
	sum := 0.0
	for _, p := range strings.FieldsFunc(w, isHyphen) {
		v, ok := x.v.tab(secNumber).m[p]
		if !ok {
			return 0, false
		}
		sum += parseFloat(v)
	}
	return sum, true
}

// numberWords reads a number written in words from token i: "twelve",
// "two hundred and fifty", "a thousand", "un millón", "ثلاثة آلاف". The
// scale words it reads are part of value already; scale is 1 unless the
// number ended on a scale word ("three million": value 3, scale 1e6), so
// that Rounding comes out right.
func (x *extractor) numberWords(i int) (value float64, end int, scale float64, ok bool) {
	total, cur := 0.0, 0.0
	any := false
	k := i
	lastScale := 1.0
	for k < len(x.toks) {
		t := x.toks[k]
		if t.kind != tWord {
			break
		}
		if any || cur > 0 {
			if n, v := x.match(secScale, k); n > 0 {
				s := parseFloat(v)
				if s == 100 {
					cur = max(cur, 1) * 100
				} else {
					total += max(cur, 1) * s
					cur = 0
				}
				lastScale = s
				k += n
				any = true
				continue
			}
		}
		if v, ok := x.wordValue(k); ok {
			if any && lastScale == 1 && cur > 0 && v < 100 && cur < 100 && v >= 10 {
				break // "two twenty" is no number
			}
			cur += v
			k++
			any = true
			lastScale = 1
			continue
		}
		if !any && x.v.has(secArticle, t.low) {
			if n, _ := x.match(secScale, k+1); n > 0 {
				cur = 1
				k++
				continue
			}
			break
		}
		if any && x.v.has(secAnd, t.low) && x.isNumberWord(k+1) {
			k++
			continue
		}
		break
	}
	if !any {
		return 0, 0, 0, false
	}
	value = total + cur
	if lastScale > 1 && cur == 0 && total > 0 {
		// Keep the scale apart for Rounding: "three million" is 3 × 1e6.
		return value / lastScale, k, lastScale, true
	}
	return value, k, 1, true
}

// parseFloat reads a value from the data files, checked when they load.
func parseFloat(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

// readScale reads a scale after a number of digits: "1.5 million",
// "3.5bn", "2,5 Mrd.", "1.200 millones", "500 مليون". Currency-only
// abbreviations ("$5m") are taken when glued; readUnit drops them again
// when no currency turns up.
func (x *extractor) readScale(c *candidate) {
	j := c.numEnd
	if n, v := x.match(secScale, j); n > 0 {
		c.scale = parseFloat(v)
		c.numEnd = j + n
		return
	}
	if j < len(x.toks) && x.toks[j].glued {
		if n, v := x.match(secScaleCur, j); n > 0 {
			c.scale = parseFloat(v)
			c.numEnd = j + n
		}
	}
}

// readUnit reads what follows the number: per cent, percentage points, a
// currency (or one before the number), or a counted noun. It sets c.unit
// to skip for durations and ages.
func (x *extractor) readUnit(c *candidate) {
	j := c.numEnd
	// A scale may be linked to its noun: "millions d'euros", "millones de personas".
	offsets := []int{0}
	if c.scale > 1 || c.wordNum {
		if n, _ := x.match(secScaleLink, j); n > 0 {
			offsets = append(offsets, n)
		}
	}
	if n, _ := x.match(secPercent, j); n > 0 {
		c.unit, c.last = "%", j+n
		return
	}
	if n, v := x.match(secPoints, j); n > 0 {
		c.unit, c.last = v, j+n
		return
	}
	before, bn := "", 0
	if n, v := x.matchEnd(secCurrency, c.first-1); n > 0 && c.first-n >= x.floor {
		before, bn = v, n
	}
	for _, l := range offsets {
		if n, v := x.match(secCurrency, j+l); n > 0 {
			c.unit, c.last = v, j+l+n
			if v == before {
				c.first -= bn // "€100 billion euro": the currency said twice
			}
			return
		}
	}
	if before != "" {
		c.unit, c.last = before, j
		c.first -= bn
		return
	}
	if c.scale > 1 && x.scaleNeedsCurrency(c) {
		// "1.5m people" is a million and a half, but "a 10m wall" or
		// "5m" alone are metres: without a currency the abbreviation
		// must count something.
		if unit, of, end, known := x.countNoun(j, false); unit != "" && (known || x.v.pluralS) {
			c.unit, c.of, c.last, c.knownUnit = unit, of, end, known
			return
		}
		c.scale = 1
		c.numEnd--
		c.last = c.numEnd
		return
	}
	for _, l := range offsets {
		if n, _ := x.match(secSkipUnit, j+l); n > 0 {
			c.unit = skip
			return
		}
	}
	for _, l := range offsets {
		if unit, of, end, known := x.countNoun(j+l, c.wordNum); unit != "" {
			c.unit, c.of, c.last, c.knownUnit = unit, of, end, known
			return
		}
	}
}

// scaleNeedsCurrency reports a scale read from the currency-only list.
func (x *extractor) scaleNeedsCurrency(c *candidate) bool {
	j := c.numEnd - 1
	if j < 0 || x.toks[j].kind != tWord {
		return false
	}
	_, inScale := x.v.tab(secScale).m[x.toks[j].low]
	_, inCur := x.v.tab(secScaleCur).m[x.toks[j].low]
	return inCur && !inScale
}

// countNoun reads the noun a number counts, starting at token j: a unit
// from the data ("troops", "Soldaten", "جندي") or, for a number of digits,
// a noun the language's shape gives away — in English the first plural
// within three words ("300 new drones"), in German the first capitalised
// word, elsewhere the word right after the number. It returns the unit
// (the data's English lemma or the lowercase noun), the phrase up to the
// noun (lowercase), the token after it, and whether the data knew it.
func (x *extractor) countNoun(j int, wordNum bool) (unit, of string, end int, known bool) {
	if j < len(x.toks) && x.v.has(secCountMod, x.toks[j].low) {
		j++ // "10,000 more nurses", "3 autres personnes": counted all the same
	}
	if j >= len(x.toks) {
		return "", "", 0, false
	}
	if n, lemma := x.match(secUnit, j); n > 0 {
		return lemma, x.surface(j, j+n), j + n, true
	}
	limit := 1
	if x.v.headFinal {
		limit = 1 + maxModifiers
	}
	for k := j; k < j+limit && k < len(x.toks); k++ {
		t := x.toks[k]
		if t.kind != tWord || k > j && x.toks[k-1].kind != tWord {
			break
		}
		if x.stop(k) && !t.acronym {
			break
		}
		if k > j {
			if n, lemma := x.match(secUnit, k); n > 0 {
				return lemma, x.surface(j, k+n), k + n, true
			}
		}
		if wordNum {
			continue
		}
		if x.v.has(secSkipUnit, t.low) || x.v.has(secTime, t.low) || x.v.has(secName, t.low) {
			break
		}
		head := false
		switch {
		case x.v.pluralS:
			head = isPluralS(t.low) && !t.cap || t.cap && !t.acronym && demonym(t.low)
		case x.v.capNouns:
			head = t.cap && !t.acronym
		default:
			head = !t.cap
		}
		if head {
			return x.surface(k, k+1), x.surface(j, k+1), k + 1, false
		}
		if x.v.capNouns && t.cap {
			break
		}
	}
	return "", "", 0, false
}

// isPluralS reports an English word that looks like a regular plural:
// "drones", "companies", not "across", "this", "status".
func isPluralS(w string) bool {
	if len(w) < 4 || !strings.HasSuffix(w, "s") {
		return false
	}
	for _, suf := range [...]string{"ss", "us", "is", "ous", "'s"} {
		if strings.HasSuffix(w, suf) {
			return false
		}
	}
	return true
}

// demonym reports a capitalised English plural that names people by
// where they are from — "Palestinians", "Gazans", "Israelis" — and so
// can be counted, unlike most capitalised words after a number.
func demonym(w string) bool {
	return strings.HasSuffix(w, "ans") || len(w) >= 6 && strings.HasSuffix(w, "is")
}

// nameBefore reports a capitalised word right before a bare number, in
// mid-sentence: "Boeing 737", "Windows 11", "Bayern 3".
func (x *extractor) nameBefore(i int) bool {
	if i == 0 || x.toks[i].glued {
		return false
	}
	p := x.toks[i-1]
	if p.kind != tWord || x.v.has(secApprox, p.low) || x.v.has(secLink, p.low) {
		return false
	}
	return p.cap && !p.sentStart || p.mixedCase // "iPhone 15", "eBay 2"
}

// readApprox reads an approximation word before the figure ("about",
// "nearly", "mehr als") or after it ("or so", "+").
func (x *extractor) readApprox(c *candidate) {
	if n, _ := x.matchEnd(secApprox, c.first-1); n > 0 {
		c.approx = true
	}
	if n, _ := x.match(secApproxAfter, c.last); n > 0 {
		c.approx = true
		c.last += n
	}
}

// readOf finds what the figure is of: a noun phrase after "of" ("2% of
// GDP", "$500 million in aid", "210,000 tonnes of rice"), else what
// happened to counted people ("45 people were killed"), else the subject
// of a linking verb before it ("defence spending rose to 2%", "the death
// toll stood at 45").
func (x *extractor) readOf(c *candidate) {
	person := isPersonLike(x, c)
	money := isCurrency(c.unit)
	if !person && (c.unit == "" || c.unit == "%" || c.unit == "pp" || money || c.knownUnit) {
		if of, end, name := x.ofAfter(c.last, money); of != "" {
			c.of, c.last, c.strongOf = of, end, name
			return
		}
	}
	if person {
		if ev := x.eventNear(c); ev != "" {
			c.of, c.strongOf = ev, true
		} else if of, strong := x.ofBefore(c.first - x.approxLen(c)); strong {
			c.of, c.strongOf = of, true // "the death toll rose to 45 people"
		}
		return
	}
	if c.of != "" {
		return
	}
	if of, strong := x.ofBefore(c.first - x.approxLen(c)); of != "" {
		c.of, c.strongOf = of, strong
	}
}

func (x *extractor) approxLen(c *candidate) int {
	if n, _ := x.matchEnd(secApprox, c.first-1); n > 0 {
		return n
	}
	return 0
}

func isPersonLike(x *extractor, c *candidate) bool {
	return c.knownUnit && x.v.has(secPerson, c.unit)
}

// ofAfter reads "of"/"in" and the noun phrase after it from token j: up to
// three content words, determiners skipped, a possessor dropped ("of
// Japan's GDP" → "gdp"), a quantity name from the data preferred ("of its
// gross domestic product" → "gross domestic product"). "in" counts only
// for money.
func (x *extractor) ofAfter(j int, money bool) (string, int, bool) {
	n, _ := x.match(secOfPrep, j)
	if n == 0 && money {
		// "$500 million in aid", not "4,223 yen in the second week":
		// money is "in" a thing named without a determiner.
		if n, _ = x.match(secInPrep, j); n > 0 && j+n < len(x.toks) && x.v.has(secDet, x.toks[j+n].low) {
			n = 0
		}
	}
	if n == 0 {
		return "", j, false
	}
	of, end, name := x.nounPhrase(j + n)
	if of == "" {
		return "", j, false
	}
	return of, end, name
}

// nounPhrase reads a short noun phrase from token k; name is set when it
// is a quantity name from the data.
func (x *extractor) nounPhrase(k int) (string, int, bool) {
	for d := 0; d < maxDets && k < len(x.toks) && x.toks[k].kind == tWord && x.v.has(secDet, x.toks[k].low); d++ {
		k++
	}
	start, words := k, 0
	maxWords := maxPhraseWords
	if !x.v.headFinal {
		maxWords = maxPhraseWordsHeadInitial
	}
	allProper := true
	for k < len(x.toks) && words < maxWords {
		if n, _ := x.match(secName, k); n > 0 {
			return x.surface(k, k+n), k + n, true
		}
		t := x.toks[k]
		if t.kind == tPunct && (t.low == "'" || t.low == "’") && x.is(k+1, tWord, "s") && x.toks[k+1].glued {
			// A possessor: "Japan's GDP" is about the GDP.
			k += 2
			start, words, allProper = k, 0, true
			continue
		}
		if t.kind == tWord && t.low == "s" && t.glued {
			break
		}
		if x.stop(k) || (t.glued && k > start) {
			break
		}
		if k > start && x.v.pluralS && (strings.HasSuffix(t.low, "ly") || strings.HasSuffix(t.low, "ing") || strings.HasSuffix(t.low, "ed")) {
			break // "of his rice organically using": an adverb or verb ends it
		}
		if !t.cap || t.acronym || t.sentStart {
			allProper = false
		}
		words++
		k++
	}
	if words == 0 {
		return "", start, false
	}
	if allProper && !x.v.capNouns {
		return "", start, false // "in Ukraine", "of Japan": a place, not a quantity
	}
	return x.surface(start, k), k, false
}

// ofBefore reads the subject of a linking verb before token s: a quantity
// name in the clause ("Die Inflation lag im März bei"), else the noun
// phrase right before the link ("defence spending rose to"). strong is set
// for data-file names and events.
func (x *extractor) ofBefore(s int) (string, bool) {
	k := s - 1
	for k >= 0 && x.toks[k].kind == tWord && x.v.has(secDet, x.toks[k].low) {
		k-- // "el 2,8%", "los 33.000 millones"
	}
	if k < 0 {
		return "", false
	}
	// An event or name right before: "killed at least 45", "قتل 45".
	for _, sec := range [...]section{secEvent, secName} {
		if n, _ := x.matchEnd(sec, k); n > 0 {
			return x.surface(k-n+1, k+1), true
		}
	}
	n, strength := x.matchEnd(secLink, k)
	if n == 0 {
		return "", false
	}
	p := k - n // the token before the link
	for q := p; q >= 0 && q > p-nameWindow; q-- {
		t := x.toks[q]
		if t.kind == tPunct && t.low != "'" && t.low != "’" || t.kind == tNum {
			break
		}
		if m, _ := x.matchEnd(secName, q); m > 0 {
			return x.surface(q-m+1, q+1), true
		}
		if m, _ := x.matchEnd(secEvent, q); m > 0 && q == p {
			return x.surface(q-m+1, q+1), true
		}
	}
	if strength == "weak" {
		// "for a second week to 4,223 yen", "a high of": after "to",
		// "of", "at", "is" only a known quantity name will do.
		return "", false
	}
	// The noun phrase right before the link.
	end := p + 1
	q := p
	words := 0
	maxWords := maxPhraseWords
	if !x.v.headFinal {
		maxWords = maxPhraseWordsHeadInitial
	}
	for q >= 0 && words < maxWords {
		t := x.toks[q]
		if t.kind != tWord || x.stop(q) || x.v.has(secLink, t.low) {
			break
		}
		if x.v.pluralS && (strings.HasSuffix(t.low, "ed") || strings.HasSuffix(t.low, "ing")) {
			break // "the company reported revenue of": a verb ends it
		}
		if x.v.nounPrefix != "" && !strings.HasPrefix(t.low, x.v.nounPrefix) {
			break // Arabic: the subject after the verb carries the article
		}
		words++
		q--
	}
	if words == 0 {
		return "", false
	}
	return x.surface(q+1, end), false
}

// eventNear finds what happened to counted people: the word right before
// the figure ("killed 45 people", "قتل 45 شخصا"), else one in the few words
// after it ("45 people were killed", "12 Menschen getötet").
func (x *extractor) eventNear(c *candidate) string {
	if k := c.first - 1 - x.approxLen(c); k >= 0 {
		if n, _ := x.matchEnd(secEvent, k); n > 0 {
			return x.surface(k-n+1, k+1)
		}
	}
	for k := c.last; k < len(x.toks) && k < c.last+eventWindow; k++ {
		t := x.toks[k]
		if t.kind == tPunct || t.kind == tNum {
			break
		}
		if n, _ := x.match(secEvent, k); n > 0 {
			return x.surface(k, k+n)
		}
	}
	return ""
}

// readYear reads the year a figure refers to from a year phrase in its
// clause: after it ("by 2030", "d'ici 2030", "بحلول عام 2035"), else just
// before it ("bis 2035 auf 3,5 Prozent"). A phrase right after the figure
// becomes part of its Text.
func (x *extractor) readYear(c *candidate) {
	for k := c.last; k < len(x.toks) && k < c.last+yearWindow; k++ {
		t := x.toks[k]
		if t.kind == tPunct && endsSentence(t.low) || t.kind == tNum && !isYear(t.low) {
			break
		}
		n, _ := x.match(secYearPrep, k)
		if n == 0 || !x.yearAt(k+n) {
			continue
		}
		c.year = text.ASCIIDigits(x.toks[k+n].low)
		if k == c.last {
			c.last = k + n + 1
		}
		return
	}
	// Not into the previous figure: its year is its own.
	for k := c.first - 1; k >= x.floor && k >= c.first-yearWindow; k-- {
		t := x.toks[k]
		if t.kind == tPunct || t.kind == tNum && !isYear(t.low) {
			return
		}
		if x.yearAt(k) {
			if n, _ := x.matchEnd(secYearPrep, k-1); n > 0 {
				c.year = text.ASCIIDigits(t.low)
			}
			return
		}
	}
}

// yearAt reports a year standing alone at token k ("2030", not "2030s").
func (x *extractor) yearAt(k int) bool {
	if k < 0 || k >= len(x.toks) {
		return false
	}
	y := x.toks[k]
	if y.kind != tNum || !isYear(y.low) {
		return false
	}
	return !(k+1 < len(x.toks) && x.toks[k+1].glued && x.toks[k+1].kind != tPunct)
}

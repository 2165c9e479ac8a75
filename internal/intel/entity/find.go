// Package entity finds the people, organisations and places an article
// names (Find), and resolves them across articles, stories and scripts to
// one entity each with its variants (Resolver): Mark Rutte, Rutte, Rutt and
// روت are one person; two people who only share a surname are not.
package entity

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/storyline/storyline/internal/scratch"
	"github.com/storyline/storyline/internal/text"
	"github.com/storyline/storyline/internal/translit"
)

// Type is what an entity is, as far as cues tell.
type Type string

// Types, from the most to the least specific: resolution keeps the most
// specific one its mentions support.
const (
	Person Type = "person"
	Org    Type = "org"
	Place  Type = "place"
	Other  Type = "other"
)

func (t Type) rank() int {
	switch t {
	case Person:
		return 3
	case Org:
		return 2
	case Place:
		return 1
	}
	return 0
}

// Field says which part of an article a mention is in.
type Field uint8

// Fields of an article.
const (
	InTitle Field = iota
	InText
)

// Mention is one name in an article.
type Mention struct {
	Text       string // as written, without a title before it or a possessive after it
	Field      Field
	Start, End int // byte offsets in the field
	Type       Type
	// Title is the person title or organisation word that typed the
	// mention ("Prime Minister", "Bank"), "" when none.
	Title string
	// Tokens are the name's words; Key their transliteration keys
	// (translit.Key), which match spellings across scripts.
	Tokens []string
	Keys   []string
}

// Surname is the key of the mention's last word, by which a person is
// named once introduced.
func (m Mention) Surname() string {
	if len(m.Keys) == 0 {
		return ""
	}
	return m.Keys[len(m.Keys)-1]
}

// FullKey is the keys of all the mention's words, joined by spaces.
func (m Mention) FullKey() string { return strings.Join(m.Keys, " ") }

// Limits of what Find takes for a name.
const (
	// maxNameWords: a capitalised run longer than this is a headline in
	// title case or a list, not one name.
	maxNameWords = 6
	// maxArabicNameWords: after an Arabic title, a name runs at most this
	// many words (first name, father's or family name, family name).
	maxArabicNameWords = 3
	// minKeyLen: a name whose key has fewer consonant classes than this
	// cannot be told from common words across scripts (see translit.Key).
	minKeyLen = 2
	// maxAcronym: an all-capitals word this long or shorter is an acronym
	// (NATO, UNESCO); longer ones are datelines and shouting (TOKYO,
	// MAINICHI), no names by their case.
	maxAcronym = 6
	// titleCaseShare: a line of at least titleCaseWords words, this share
	// of them capitalised, is a headline in title case, whose capitals say
	// nothing about names.
	titleCaseShare = 0.7
	titleCaseWords = 4
)

// word is one word of a field, with where it stands.
type word struct {
	text       string
	start, end int
	line       int  // line number in the field
	sentStart  bool // first word of a sentence or line
	gapPunct   bool // punctuation (not just space) between this word and the previous
	caps       bool // first letter upper case
	acronym    bool // all letters upper case, two to maxAcronym of them
	shout      bool // all letters upper case, more than maxAcronym: a dateline, a shouted word
	cased      bool // the script has case
	titleCase  bool // on a line where most words are capitalised (a headline)
}

// Words tells common words of a language from names: *lexicon.Lexicon
// does, by glossing them in English.
type Words interface {
	English(lang, word string) []string
}

// Find returns the names in an article's title and text, in order.
// Capitalised runs are names in scripts with case; in scripts without
// (Arabic), a name is taken after a person title, and the Resolver later
// matches names the story's other articles already gave. words, when not
// nil, keeps dictionary words out of names taken after a title (a name
// then ends at the first word the dictionary knows).
func Find(lang, title, text string, words Words) []Mention {
	c := cuesFor(lang)
	var out []Mention
	buf := wordPool.Get()
	defer wordPool.Put(buf)
	for f, s := range []string{title, text} {
		switch lang {
		case "ja":
			out = append(out, findJapanese(Field(f), s)...)
			continue
		case "zh":
			out = append(out, findChinese(Field(f), s)...)
			continue
		}
		*buf = appendWords(*buf, s)
		ws := *buf
		lower := lowerForms(ws)
		out = append(out, c.cased(Field(f), s, ws, lower)...)
		out = append(out, c.uncased(Field(f), s, ws, words)...)
	}
	typeBySurname(out)
	return out
}

// wordPool holds the words of the text being read, between articles.
// A Mention keeps offsets and strings, never words.
var wordPool scratch.Slices[word]

// wordBytes is about the bytes of text per word, for sizing appendWords'
// slice: as text.tokenBytes, whose comment gives the trade (too small a
// guess costs one more growth, too large memory the article frees).
const wordBytes = 6

// appendWords splits s into words with their offsets, appending them to
// dst[:0]. A word is a run of letters, digits and marks, with inner
// apostrophes, hyphens and the dots of abbreviations ("U.S.").
func appendWords(dst []word, s string) []word {
	// Grown word by word, this slice was 5% of the bytes the pipeline
	// allocated; made anew for each article (see wordPool), 3%.
	ws := slices.Grow(dst[:0], len(s)/wordBytes+1)
	sent, punct := true, false
	line := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isWordRune(r) {
			if r == '\n' {
				line++
			}
			switch r {
			case '.', '!', '?', '\n', '؟', '。', ':', '"', '“', '«', '„', '•', '|':
				sent = true
			}
			if !unicode.IsSpace(r) {
				punct = true
			}
			i += n
			continue
		}
		j := i + n
		for j < len(s) {
			r2, n2 := utf8.DecodeRuneInString(s[j:])
			if isWordRune(r2) {
				j += n2
				continue
			}
			// An apostrophe, hyphen or abbreviation dot inside a word.
			if r2 == '\'' || r2 == '’' || r2 == '-' || (r2 == '.' && j+n2 < len(s) && isUpperAfterDot(s[i:j], s[j+n2:])) {
				if r3, _ := utf8.DecodeRuneInString(s[j+n2:]); j+n2 < len(s) && isWordRune(r3) {
					j += n2
					continue
				}
			}
			break
		}
		// A possessive is no part of the word: Japan's names Japan.
		if r, _ := utf8.DecodeRuneInString(s[i:]); unicode.IsUpper(r) {
			for _, p := range []string{"'s", "’s"} {
				if strings.HasSuffix(s[i:j], p) && j-len(p) > i {
					j -= len(p)
				}
			}
		}
		w := word{text: s[i:j], start: i, end: j, line: line, sentStart: sent, gapPunct: punct}
		first, _ := utf8.DecodeRuneInString(w.text)
		w.cased = unicode.IsUpper(first) || unicode.IsLower(first)
		w.caps = unicode.IsUpper(first)
		if n := capitals(w.text); n >= 2 {
			w.acronym, w.shout = n <= maxAcronym, n > maxAcronym
		} else if pluralAcronym(w.text) {
			w.acronym = true // MRIs, NGOs
		}
		ws = append(ws, w)
		sent, punct = false, false
		i = j
	}
	markTitleCase(s, ws)
	return ws
}

// markTitleCase marks the words of headline lines in title case: lines
// mostly capitalised that do not end a sentence (German capitalises its
// nouns, and a short sentence may be mostly names).
func markTitleCase(s string, ws []word) {
	for i := 0; i < len(ws); {
		j, cased, caps := i, 0, 0
		for ; j < len(ws) && ws[j].line == ws[i].line; j++ {
			if ws[j].cased {
				cased++
				if ws[j].caps {
					caps++
				}
			}
		}
		end := ws[j-1].end
		for end < len(s) && s[end] != '\n' && (s[end] == ' ' || s[end] == '\t') {
			end++
		}
		sentence := end < len(s) && strings.ContainsRune(".!?。؟", rune(s[end]))
		if !sentence && cased >= titleCaseWords && float64(caps) >= titleCaseShare*float64(cased) {
			for k := i; k < j; k++ {
				ws[k].titleCase = true
			}
		}
		i = j
	}
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r)
}

// isUpperAfterDot reports a dot inside an abbreviation of capitals (U.S.,
// U.N.): one capital before it and one after.
func isUpperAfterDot(before, after string) bool {
	b, _ := utf8.DecodeLastRuneInString(before)
	a, _ := utf8.DecodeRuneInString(after)
	return unicode.IsUpper(b) && unicode.IsUpper(a) && utf8.RuneCountInString(before) <= 3
}

// pluralAcronym reports an acronym with a lower-case plural s: MRIs.
func pluralAcronym(s string) bool {
	rest, ok := strings.CutSuffix(s, "s")
	n := capitals(rest)
	return ok && n >= 2 && n <= maxAcronym
}

// capitals returns the number of letters of s when all are upper case,
// else 0.
func capitals(s string) int {
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsUpper(r):
			letters++
		case unicode.IsLetter(r):
			return 0
		}
	}
	return letters
}

// lowerForms lists the words that occur in lower case somewhere in the
// field: capitalised at a sentence start, such a word is no name.
func lowerForms(ws []word) map[string]bool {
	m := map[string]bool{}
	for _, w := range ws {
		if w.cased && !w.caps {
			m[strings.ToLower(w.text)] = true
		}
	}
	return m
}

// cased finds names as runs of capitalised words.
func (c *cues) cased(f Field, s string, ws []word, lower map[string]bool) []Mention {
	var out []Mention
	midCaps := map[string]bool{}
	for _, w := range ws {
		if w.caps && !w.sentStart && !w.titleCase {
			midCaps[w.text] = true
		}
	}
	for i := 0; i < len(ws); {
		if !ws[i].cased || !ws[i].caps || ws[i].shout {
			i++
			continue
		}
		// A run of capitalised words, with connectors inside it.
		j := i + 1
		for j < len(ws) && !ws[j].gapPunct && !ws[j].sentStart && !ws[j].shout {
			if ws[j].caps {
				j++
				continue
			}
			if c.connector[fold(ws[j].text)] && j+1 < len(ws) && ws[j+1].caps && !ws[j+1].gapPunct {
				j += 2
				continue
			}
			break
		}
		run := ws[i:j]
		out = append(out, c.name(f, s, ws, i, run, lower, midCaps)...)
		i = j
	}
	return out
}

// name turns one capitalised run into mentions: it drops leading openers,
// splits off a person title, and types what remains.
func (c *cues) name(f Field, s string, ws []word, at int, run []word, lower, midCaps map[string]bool) []Mention {
	// Leading sentence openers and articles are no part of a name, nor
	// are months and weekdays; but New Zealand is a place.
	for len(run) > 0 && !c.places[fold(joinWords(run))] &&
		(c.notName[fold(run[0].text)] || c.isStop(run[0]) || text.Month(fold(run[0].text)) != "") {
		run, at = run[1:], at+1
	}
	for len(run) > 0 && text.Month(fold(run[len(run)-1].text)) != "" {
		run = run[:len(run)-1]
	}
	if len(run) == 0 || len(run) > maxNameWords {
		return nil
	}
	// A headline in title case capitalises every word: only what the text
	// also capitalises mid-sentence, or an acronym, is a name there.
	if run[0].titleCase {
		var keep []word
		for _, w := range run {
			if w.acronym || midCaps[w.text] || c.places[fold(w.text)] {
				keep = append(keep, w)
			} else if len(keep) > 0 {
				break
			}
		}
		if len(keep) == 0 {
			return nil
		}
		run = keep
	}
	// A person title inside or at the head of the run: what follows is the
	// person; what precedes it, when it is an organisation, the body the
	// title belongs to ("NATO Secretary General Mark Rutte").
	if ti, tn := c.titleIn(run); ti >= 0 && !c.isOrg(run) {
		var out []Mention
		if ti > 0 && run[ti-1].acronym {
			out = append(out, c.mention(f, s, run[ti-1:ti], Org, ""))
		}
		if rest := run[ti+tn:]; len(rest) > 0 {
			// "Prime Minister of Japan Shigeru Ishiba": the title's
			// country or body comes first.
			if len(rest) > 2 && isOf(rest[0].text) {
				out = append(out, c.name(f, s, ws, at, rest[1:2], lower, midCaps)...)
				rest = rest[2:]
			}
			// A person's name ends at a connector that only names of
			// bodies and places take: King Abdullah | of Jordan.
			rest, place := c.cutOf(rest)
			if len(rest) > 0 {
				out = append(out, c.mention(f, s, rest, Person, joinWords(run[ti:ti+tn])))
			}
			if len(place) > 0 {
				out = append(out, c.name(f, s, ws, at, place, lower, midCaps)...)
			}
		}
		return out
	}
	// A sentence may open with a capitalised common noun before a name
	// ("Golfer Dustin Johnson"): in a run of three or more words, a first
	// word the text never capitalises mid-sentence is taken for one.
	if len(run) >= 3 && run[0].sentStart && !midCaps[run[0].text] && !run[0].acronym {
		run, at = run[1:], at+1
	}
	// A lowercase title just before the run ("defence minister Gen
	// Nakatani", "the prime minister, ..." is broken by punctuation).
	if t := c.titleBefore(ws, at); t != "" && !c.isOrg(run) {
		return []Mention{c.mention(f, s, run, Person, t)}
	}
	// One word opening a sentence is a name only if the text also
	// capitalises it mid-sentence and never writes it in lower case, or
	// it is an acronym or a known place.
	if len(run) == 1 && run[0].sentStart {
		w := run[0]
		if !w.acronym && !c.places[fold(w.text)] && (!midCaps[w.text] || lower[strings.ToLower(w.text)]) {
			return nil
		}
	}
	if len(run) == 1 && (c.notName[fold(run[0].text)] || c.isStop(run[0])) {
		return nil
	}
	t := Other
	cue := ""
	switch {
	case c.speaks(ws, at+len(run)) && !(at > 0 && !ws[at].gapPunct && c.notName[fold(ws[at-1].text)]):
		// Cui Hongjian, a professor at ..., said; but not "officials
		// in Tokyo said".
		t = Person
	case c.isOrg(run):
		t, cue = Org, c.orgCue(run)
	case c.places[fold(joinWords(run))]:
		t = Place
	case len(run) > 1 && c.placePrefix[fold(run[0].text)]:
		t = Place // South China, Northern Ireland
	case c.placeWord[fold(run[len(run)-1].text)] && len(run) > 1:
		t, cue = Place, run[len(run)-1].text
	case len(run) == 1 && run[0].acronym && !midCaps[titled(run[0].text)]:
		// An acronym, unless the text writes it in title case too: then
		// it is a name shouted in a dateline (TOKYO, Tokyo).
		t = Org
	}
	return []Mention{c.mention(f, s, run, t, cue)}
}

// isStop reports a capitalised stop word of the language ("Whether",
// "Als"): a sentence opener, never a name's first word.
func (c *cues) isStop(w word) bool {
	return !w.acronym && text.IsStop(c.lang, strings.ToLower(w.text))
}

// maxApposition is how many words an apposition between a name and its
// verb may take: "Cui Hongjian, a professor at the Institute of Regional
// and Global Governance at Beijing Foreign Studies University, said".
const maxApposition = 20

// appositionArticle are the words an apposition after a name opens with.
var appositionArticle = map[string]bool{"a": true, "an": true, "the": true, "un": true, "une": true, "ein": true,
	"eine": true, "der": true, "die": true, "el": true, "la": true, "le": true}

// speaks reports whether the words from i go on with a speech verb, right
// away or after an apposition between commas.
func (c *cues) speaks(ws []word, i int) bool {
	if i >= len(ws) {
		return false
	}
	if !ws[i].gapPunct {
		return c.speech[fold(ws[i].text)]
	}
	if i+1 >= len(ws) || !appositionArticle[fold(ws[i].text)] {
		return false // an apposition opens with an article: ", a professor"
	}
	for j := i + 1; j < len(ws) && j <= i+maxApposition; j++ {
		if ws[j].gapPunct {
			return c.speech[fold(ws[j].text)]
		}
	}
	return false
}

// titleIn returns where the longest person title in run starts and how many
// words it takes, or -1.
func (c *cues) titleIn(run []word) (int, int) {
	for i := range run {
		for n := min(c.maxTitle, len(run)-i); n >= 1; n-- {
			if c.titles[fold(joinWords(run[i:i+n]))] {
				return i, n
			}
		}
	}
	return -1, 0
}

// titleBefore returns a person title written just before word at ("prime
// minister Ishiba"), skipping an article.
func (c *cues) titleBefore(ws []word, at int) string {
	if at == 0 || ws[at].gapPunct {
		return ""
	}
	for n := min(c.maxTitle, at); n >= 1; n-- {
		seq := ws[at-n : at]
		gap := false
		for _, w := range seq[1:] {
			gap = gap || w.gapPunct
		}
		if gap {
			continue
		}
		if t := joinWords(seq); c.titles[fold(t)] {
			return t
		}
	}
	return ""
}

// cutOf splits a person's name at "of" or "for", which join bodies and
// places, not a person's names.
func (c *cues) cutOf(run []word) (name, rest []word) {
	for i, w := range run {
		if i > 0 && isOf(w.text) {
			return run[:i], run[i+1:]
		}
	}
	return run, nil
}

func isOf(w string) bool { return fold(w) == "of" || fold(w) == "for" }

// isOrg reports a run whose last word (or a word before "of") says
// organisation: "Bank of Japan", "Liberal Democratic Party".
func (c *cues) isOrg(run []word) bool { return c.orgCue(run) != "" }

func (c *cues) orgCue(run []word) string {
	if len(run) < 2 && !run[0].acronym {
		return ""
	}
	for _, w := range run {
		if c.orgWords[fold(w.text)] {
			return w.text
		}
	}
	return ""
}

// uncased finds names in scripts without case: the words after a person
// title, past adjectives of nationality and the title's organisation.
func (c *cues) uncased(f Field, s string, ws []word, words Words) []Mention {
	var out []Mention
	for i := 0; i < len(ws); i++ {
		if ws[i].cased {
			continue
		}
		n := 0
		for k := min(c.maxTitle, len(ws)-i); k >= 1; k-- {
			if c.titles[fold(joinWords(ws[i:i+k]))] {
				n = k
				break
			}
		}
		if n == 0 {
			continue
		}
		title := joinWords(ws[i : i+n])
		j := i + n
		// Adjectives of nationality (الياباني) and the organisation the
		// title belongs to (لحلف الناتو, للأمم المتحدة) come first.
		for j < len(ws) && !ws[j].gapPunct && !ws[j].cased && (isNisba(ws[j].text) || c.orgWords[fold(trimProclitic(ws[j].text))]) {
			j++
			if j < len(ws) && !ws[j-1].gapPunct && c.orgWords[fold(trimProclitic(ws[j-1].text))] {
				j++ // the organisation's name after its word: حلف الناتو
			}
		}
		k := j
		for k < len(ws) && k-j < maxArabicNameWords && !ws[k].gapPunct && !ws[k].cased &&
			!c.notName[fold(ws[k].text)] && !isNisba(ws[k].text) && !c.titleAt(ws, k) &&
			!(k == j && strings.HasPrefix(ws[k].text, "ال")) && !c.isWord(words, ws[k].text) {
			k++
		}
		if k > j {
			out = append(out, c.mention(f, s, ws[j:k], Person, title))
		}
		i = max(i, k-1)
	}
	return out
}

// isWord reports a word the dictionary knows: no name, most of the time.
// A name the dictionary glosses as itself (طوكيو → Tokyo, مارك → Mark) is
// still a name.
func (c *cues) isWord(words Words, w string) bool {
	return common(words, c.lang, w, translit.Key(w))
}

// common reports whether w, as written and without the Arabic article, is
// a dictionary word that does not sound like key: a common word, not a name
// spelt so. (A one-letter proclitic is not stripped: "والتقى", "and he
// met", would read as a name the dictionary does not know.) Without a
// dictionary nothing is known to be common.
func common(words Words, lang, w, key string) bool {
	if words == nil {
		return false
	}
	for _, f := range []string{w, stripArabicArticle(w)} {
		gs := words.English(lang, f)
		if len(gs) == 0 {
			return false
		}
		for _, g := range gs {
			// A gloss that sounds like the name is the name in English
			// (طوكيو: Tokyo), unless the key is too short to tell: آسيا
			// glosses Asia, whose key is also the US's.
			if translit.Key(g) == key && utf8.RuneCountInString(key) > minKeyLen {
				return false
			}
		}
	}
	return true
}

// stripArabicArticle drops ال when three letters remain.
func stripArabicArticle(w string) string {
	if rest, ok := strings.CutPrefix(w, "ال"); ok && utf8.RuneCountInString(rest) >= 3 {
		return rest
	}
	return w
}

func (c *cues) titleAt(ws []word, i int) bool {
	for k := min(c.maxTitle, len(ws)-i); k >= 1; k-- {
		if c.titles[fold(joinWords(ws[i:i+k]))] {
			return true
		}
	}
	return false
}

// isNisba reports an Arabic adjective of belonging (الياباني، الأمريكية):
// the article and a final ي or ية.
func isNisba(w string) bool {
	return strings.HasPrefix(w, "ال") && (strings.HasSuffix(w, "ي") || strings.HasSuffix(w, "ية")) && utf8.RuneCountInString(w) > 4
}

// trimProclitic drops a fused Arabic preposition (ل، ب) before the
// article: لحلف → حلف, للأمم → الأمم.
func trimProclitic(w string) string {
	for _, p := range []string{"لل", "ل", "ب"} {
		if rest, ok := strings.CutPrefix(w, p); ok && utf8.RuneCountInString(rest) >= 3 {
			if p == "لل" {
				return "ال" + rest
			}
			return rest
		}
	}
	return w
}

func (c *cues) mention(f Field, s string, run []word, t Type, title string) Mention {
	start, end := run[0].start, run[len(run)-1].end
	text := s[start:end]
	m := Mention{Text: text, Field: f, Start: start, End: end, Type: t, Title: title}
	for _, w := range strings.Fields(text) {
		m.Tokens = append(m.Tokens, w)
		m.Keys = append(m.Keys, translit.Key(w))
	}
	return m
}

// typeBySurname types as persons the mentions that are the last word of a
// person named in full in the same article ("Rutte" after "Mark Rutte"),
// and full names whose last word the article uses alone for a person.
func typeBySurname(ms []Mention) {
	persons := map[string]bool{}
	for _, m := range ms {
		if m.Type == Person && len(m.Keys) > 0 {
			persons[m.Surname()] = true
		}
	}
	for i, m := range ms {
		if m.Type == Other && len(m.Keys) > 0 && persons[m.Surname()] && len(m.Surname()) >= minKeyLen {
			ms[i].Type = Person
		}
	}
}

// titled returns an all-capitals word in title case: TOKYO → Tokyo.
func titled(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(r) + strings.ToLower(s[n:])
}

func joinWords(ws []word) string {
	var b strings.Builder
	for i, w := range ws {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w.text)
	}
	return b.String()
}

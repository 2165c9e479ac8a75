package quote

import (
	"bufio"
	"embed"
	"io/fs"
	"strings"
	"sync"
)

// The speaker cues of each language are data, one file a language under
// lang/, in sections of one entry a line, matched without case (see
// lang/en.txt for what each section means).
//
//go:embed lang/*.txt
var langFiles embed.FS

// phrases is a set of word sequences, looked up by their first word. A
// word "*" after the first matches any word (a-t-il *).
type phrases struct {
	byFirst map[string][][]string
	maxLen  int
}

func (p *phrases) add(words []string) {
	if len(words) == 0 {
		return
	}
	if p.byFirst == nil {
		p.byFirst = map[string][][]string{}
	}
	p.byFirst[words[0]] = append(p.byFirst[words[0]], words)
	p.maxLen = max(p.maxLen, len(words))
}

// at returns the length in tokens of the longest phrase that starts at
// toks[i] and ends before toks[end], 0 when none does. A phrase with "…"
// is a separable verb (räumte … ein): its words after "…" must follow
// later in the clause, and only the words before it count.
func (p *phrases) at(toks []token, i, end int) int {
	if i < 0 || i >= end || toks[i].kind != tWord {
		return 0
	}
	best := 0
	for _, ph := range p.byFirst[toks[i].norm] {
		head, tail := ph, []string(nil)
		for k, w := range ph {
			if w == separable {
				head, tail = ph[:k], ph[k+1:]
				break
			}
		}
		if len(head) <= best || i+len(head) > end || !wordsAt(toks, i+1, head[1:]) {
			continue
		}
		if tail != nil && !particleAfter(toks, i+len(head), tail) {
			continue
		}
		best = len(head)
	}
	return best
}

// separable stands between a separable verb and its particle in a phrase.
const separable = "…"

// wordsAt reports whether the words of toks from i on are ws.
func wordsAt(toks []token, i int, ws []string) bool {
	if i+len(ws) > len(toks) {
		return false
	}
	for k, w := range ws {
		if t := toks[i+k]; t.kind != tWord || t.norm != w && w != "*" {
			return false
		}
	}
	return true
}

// particleAfter reports whether ws follow toks[i] within maxSeparable
// tokens of the same clause.
func particleAfter(toks []token, i int, ws []string) bool {
	for m := i; m < len(toks) && m < i+maxSeparable; m++ {
		t := toks[m]
		if t.quote != 0 || t.kind == tBreak || t.kind == tPunct && (isSentEnd(t.norm) || t.norm == ":") {
			return false
		}
		if wordsAt(toks, m, ws) {
			return true
		}
	}
	return false
}

// ending returns the length of the longest phrase that ends at toks[j]
// and starts at or after toks[begin], 0 when none does.
func (p *phrases) ending(toks []token, j, begin int) int {
	for n := min(p.maxLen, j-begin+1); n > 0; n-- {
		if p.at(toks, j-n+1, j+1) == n {
			return n
		}
	}
	return 0
}

// cues are one language's speaker cues.
type cues struct {
	verbs     phrases // speech verbs: said, sagte, a déclaré, قال
	told      phrases // speech verbs with an addressee: told
	pverbs    phrases // verbs holding their pronoun subject: a-t-il déclaré, dit-il
	accord    phrases // before the speaker: according to, selon, بحسب
	post      phrases // after the speaker: zufolge
	titles    phrases // person titles: prime minister, der Kanzler, وزير الدفاع
	pron      map[string]bool
	det       map[string]bool
	adv       map[string]bool
	who       map[string]bool
	conj      map[string]bool
	conn      map[string]bool
	comp      map[string]bool
	that      map[string]bool
	stop      map[string]bool // not-name and common-noun
	noun      map[string]bool // common-noun
	clause    map[string]bool
	cjkPre    []string // Chinese and Japanese: a verb after the speaker, before the quote (说, 表示)
	cjkTopic  []string // a particle after the speaker (は) when a verb follows the quote
	cjkPost   []string // the verb after the quote (と述べた)
	prodrop   bool     // a speech verb with no subject stands for a pronoun
	nocase    bool     // the script has no capitals: names are taken by position
	compounds bool     // titles end words written as one (Gesundheitsministerin)
}

func newCues() *cues {
	return &cues{pron: map[string]bool{}, det: map[string]bool{}, adv: map[string]bool{}, who: map[string]bool{},
		conj: map[string]bool{}, conn: map[string]bool{}, comp: map[string]bool{}, that: map[string]bool{}, stop: map[string]bool{}, noun: map[string]bool{},
		clause: map[string]bool{}}
}

var (
	cueOnce   sync.Once
	cueByLang map[string]*cues
	cueAll    *cues // every language's cues, for text of unknown language
	abbrAll   map[string]bool
)

// cuesFor returns the cues of lang, or every language's when lang has no
// file or is unknown.
func cuesFor(lang string) *cues {
	cueOnce.Do(loadCues)
	lang = strings.ToLower(lang)
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	if c, ok := cueByLang[lang]; ok {
		return c
	}
	return cueAll
}

func loadCues() {
	cueByLang = map[string]*cues{}
	cueAll = newCues()
	abbrAll = map[string]bool{}
	files, _ := fs.Glob(langFiles, "lang/*.txt")
	// Abbreviations first: they decide how the other entries split into words.
	for _, name := range files {
		if b, err := langFiles.ReadFile(name); err == nil {
			newCues().parseAbbr(string(b), abbrAll)
		}
	}
	for _, name := range files {
		lang := strings.TrimSuffix(strings.TrimPrefix(name, "lang/"), ".txt")
		c := newCues()
		b, err := langFiles.ReadFile(name)
		if err != nil {
			continue
		}
		c.parse(string(b))
		cueAll.parse(string(b))
		cueByLang[lang] = c
	}
	// A guess at an unknown language must not read a bare verb as a
	// pronoun, nor a whole clause as an Arabic name.
	cueAll.prodrop, cueAll.nocase, cueAll.compounds = false, false, false
}

// parseAbbr adds the abbreviations of one language file to m, without
// their final period.
func (c *cues) parseAbbr(data string, m map[string]bool) {
	in := false
	for _, line := range strings.Split(data, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "["):
			in = line == "[abbreviation]"
		case in:
			m[normWord(strings.TrimSuffix(line, "."))] = true
		}
	}
}

// parse adds the entries of one language file.
func (c *cues) parse(data string) {
	sets := map[string]map[string]bool{
		"pronoun": c.pron, "determiner": c.det, "adverb": c.adv, "who": c.who, "conjunction": c.conj,
		"connector": c.conn, "complement": c.comp, "complementizer": c.that, "not-name": c.stop, "clause": c.clause,
	}
	lists := map[string]*phrases{
		"verb": &c.verbs, "told": &c.told, "pronoun-verb": &c.pverbs, "according": &c.accord,
		"according-after": &c.post, "title": &c.titles,
	}
	section := ""
	sc := bufio.NewScanner(strings.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			section = line[1 : len(line)-1]
			continue
		}
		switch section {
		case "abbreviation":
			// read by parseAbbr
		case "option":
			switch line {
			case "prodrop":
				c.prodrop = true
			case "nocase":
				c.nocase = true
			case "compounds":
				c.compounds = true
			}
		case "cjk-verb":
			c.cjkPre = append(c.cjkPre, line)
		case "cjk-topic":
			c.cjkTopic = append(c.cjkTopic, line)
		case "cjk-after":
			c.cjkPost = append(c.cjkPost, line)
		default:
			if m, ok := sets[section]; ok {
				m[normWord(line)] = true // one word, as the text's words are folded (l’ → l')
			} else if section == "common-noun" {
				c.stop[normWord(line)] = true
				c.noun[normWord(line)] = true
			} else if l, ok := lists[section]; ok {
				l.add(phraseWords(line))
			}
		}
	}
}

// phraseWords splits a cue phrase into normalised words, as the text's
// words are.
func phraseWords(s string) []string {
	var out []string
	for _, t := range lex(s) {
		if t.kind == tWord || t.norm == separable {
			out = append(out, t.norm)
		}
	}
	return out
}

// Package loadgen generates a synthetic multilingual news stream for load
// benchmarks: as many articles as asked, over as many days, in the
// languages of the dev sets, reproducible from a seed.
//
// The stream is made of events. Each event draws a few real articles of
// one language from the corpus (LoadCorpus: the ECB+, WMT and SemEval dev
// sets) and invents its own people and places, figures and date; its
// articles, by many outlets over up to three days, each tell a part of
// those sentences with the event's names, numbers and words in place of
// the originals', some also in another language with the same names
// written in that language's script. So an article has the text,
// extraction, language, dedup and name work of a news article; articles of
// one event share names, figures and terms as reports of one event do,
// while no two are near copies (each takes its own selection of sentences
// and its own edits, see TestNoNearCopies); and events that drew the same
// source article differ by everything the event invents. Event sizes are
// heavy-tailed as news is: most events have one to three articles, a few
// hundreds.
//
// Generate is a pure function of the corpus and Options: the same seed
// gives the same articles, byte for byte, in the same order (publication
// time). Memory is bounded by the schedule (24 bytes an article) and the
// events in progress, not by the text generated.
package loadgen

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"iter"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Options shape a stream.
type Options struct {
	// Articles is the stream's length; default 200,000, a fifth of a year
	// at a million articles a year.
	Articles int
	// Days is the time the stream covers; default 73 (a fifth of a year),
	// so that a 7-day window holds about 19,000 articles at the default
	// length, as it would at a million a year.
	Days int
	// Seed chooses the stream; any value, 0 included, is a seed.
	Seed uint64
	// Start is the publication time the stream begins at; default
	// 2025-01-01 00:00 UTC.
	Start time.Time
}

// Defaults.
const (
	DefaultArticles = 200_000
	DefaultDays     = 73
)

func (o Options) withDefaults() Options {
	if o.Articles <= 0 {
		o.Articles = DefaultArticles
	}
	if o.Days <= 0 {
		o.Days = DefaultDays
	}
	if o.Start.IsZero() {
		o.Start = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return o
}

// Article is one generated article. Its JSON is a line of storyline's
// JSONL input, with the event it reports as "story" (the gold story of
// storyline eval clusters).
type Article struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Text      string    `json:"text"`
	Lang      string    `json:"lang"`
	Source    string    `json:"source"`
	URL       string    `json:"url"`
	Published time.Time `json:"published"`
	Story     string    `json:"story"`
}

// Stream shape. Each number was chosen so that the stream looks like a
// news stream to the pipeline, not tuned on any result.
const (
	// maxEventSize caps an event: the largest real events of a week have
	// hundreds of articles.
	maxEventSize = 300
	// eventTail sets the Pareto-like size law 1/(1-u·eventTail): mean
	// about 5 articles an event, half of events a single article.
	eventTail = 0.995
	// eventSpread is how long an event is reported; articles come
	// exponentially less often after its first, eventHalfLife apart on
	// average.
	eventSpread   = 72 * time.Hour
	eventHalfLife = 10 * time.Hour
	// englishShare of events are in English, as in the dev sets; the
	// rest are spread evenly over the other languages.
	englishShare = 0.3
	// An event is also reported in one other language with probability
	// secondLang, in two with secondLang·thirdLang; an article of such an
	// event is in another language than the event's first with
	// probability otherLang.
	secondLang = 0.25
	thirdLang  = 0.4
	otherLang  = 0.2
	// An event's text in each of its languages comes from sourceDocs real
	// articles, or more, up to maxSourceDocs, until they hold poolSentences
	// sentences: the SemEval texts are cut to about five.
	sourceDocs    = 2
	maxSourceDocs = 8
	poolSentences = 24
	// An article tells between minSentences and maxSentences of its
	// event's sentences, and at most maxShare of them, so that two
	// articles of one event never tell the same.
	minSentences = 5
	maxSentences = 16
	maxShare     = 0.7
	// eventRespell of an event's words of five letters or more become its
	// own words (the same in all its articles); each article replaces
	// another articleRespell and drops articleDrop of its words of four
	// letters or more on its own. With these, a word 3-shingle of a
	// sentence two articles both tell is the same in both with probability
	// about (1-0.6·0.18)^6 = 0.5 (six words in ten have four letters or
	// more), so two articles telling the very same sentences are at
	// Jaccard 0.5/(2-0.5) = 0.33, and the most alike pair of a large event
	// stays well below dedup's copy threshold (TestNoNearCopies).
	eventRespell   = 0.3
	articleRespell = 0.12
	articleDrop    = 0.06
	// figureJitter of an article's figures differ by a little from the
	// event's, as outlets' counts do.
	figureJitter = 0.15
	// outlets is how many outlets write in each language.
	outlets = 40
)

// slot is one article of the schedule: when, which event, which of its
// articles.
type slot struct {
	at    int64 // seconds after Options.Start
	event int32
	k     int32
}

// Generate returns the stream opt describes, from c's sentences, in order
// of publication.
func Generate(c *Corpus, opt Options) iter.Seq[Article] {
	opt = opt.withDefaults()
	return func(yield func(Article) bool) {
		g := &gen{c: c, opt: opt, langs: c.Langs(), events: map[int32]*event{}}
		slots, sizes := schedule(opt)
		for i, s := range slots {
			ev := g.events[s.event]
			if ev == nil {
				ev = g.newEvent(s.event, int(sizes[s.event]), opt.Start.Add(time.Duration(s.at)*time.Second))
				g.events[s.event] = ev
			}
			a := g.article(i, ev, int(s.k), opt.Start.Add(time.Duration(s.at)*time.Second))
			if ev.left--; ev.left == 0 {
				delete(g.events, s.event)
			}
			if !yield(a) {
				return
			}
		}
	}
}

// schedule draws the events' sizes and the publication times of all the
// articles, sorted by time.
func schedule(opt Options) ([]slot, []int32) {
	r := rand.New(rand.NewPCG(opt.Seed, 0x5c4ed))
	total := time.Duration(opt.Days) * 24 * time.Hour
	spread := min(eventSpread, total/2)
	slots := make([]slot, 0, opt.Articles)
	var sizes []int32
	for len(slots) < opt.Articles {
		size := min(int(1/(1-r.Float64()*eventTail)), maxEventSize, opt.Articles-len(slots))
		ev := int32(len(sizes))
		sizes = append(sizes, int32(size))
		first := time.Duration(r.Int64N(int64(total - spread)))
		for k := range size {
			var off time.Duration
			if k > 0 {
				off = min(time.Duration(r.ExpFloat64()*float64(eventHalfLife)), spread)
			}
			slots = append(slots, slot{at: int64((first + off) / time.Second), event: ev, k: int32(k)})
		}
	}
	slices.SortFunc(slots, func(a, b slot) int {
		return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.event, b.event), cmp.Compare(a.k, b.k))
	})
	// An event's first article is its k = 0 one, whatever the offsets
	// drew: renumber by time.
	next := make([]int32, len(sizes))
	for i := range slots {
		e := slots[i].event
		slots[i].k = next[e]
		next[e]++
	}
	return slots, sizes
}

type gen struct {
	c      *Corpus
	opt    Options
	langs  []string
	events map[int32]*event // those with articles still to come
	perm   []int            // perm's buffer
}

// perm is r.Perm(n) in buf: the same draws, the same permutation, no
// allocation once buf has grown.
func perm(r *rand.Rand, buf []int, n int) []int {
	buf = slices.Grow(buf[:0], n)[:n]
	for i := range buf {
		buf[i] = i
	}
	r.Shuffle(n, func(i, j int) { buf[i], buf[j] = buf[j], buf[i] })
	return buf
}

// event is what an event's articles share.
type event struct {
	id    int32
	seed  uint64
	left  int      // articles still to come
	langs []string // its first language first
	pool  map[string][]string
	vocab map[string][]string
	// unspaced holds the languages the event's sentences are written
	// without spaces in.
	unspaced map[string]bool
	people   []person
	places   []name
	names    []name // people's names and places, for the originals' names
	nums     []int
	day      time.Time
}

type person struct{ first, last name }

// name is a made-up word as syllables, written in any script.
type name []uint8

func (g *gen) newEvent(id int32, size int, day time.Time) *event {
	r := rand.New(rand.NewPCG(g.opt.Seed^0x9e3779b97f4a7c15, uint64(id)))
	ev := &event{id: id, seed: r.Uint64(), left: size, pool: map[string][]string{}, vocab: map[string][]string{},
		unspaced: map[string]bool{}, day: day}
	ev.langs = []string{g.pickLang(r, nil)}
	if len(g.langs) > 1 && r.Float64() < secondLang {
		ev.langs = append(ev.langs, g.pickLang(r, ev.langs))
		if len(g.langs) > 2 && r.Float64() < thirdLang {
			ev.langs = append(ev.langs, g.pickLang(r, ev.langs))
		}
	}
	for _, l := range ev.langs {
		docs := g.c.docs[l]
		g.perm = perm(r, g.perm, len(docs))
		for n, i := range g.perm {
			if n == maxSourceDocs || n >= sourceDocs && len(ev.pool[l]) >= poolSentences {
				break
			}
			ev.pool[l] = append(ev.pool[l], docs[i]...)
		}
		ev.vocab[l] = eventWords(r, ev.pool[l])
		ev.unspaced[l] = unspaced(ev.pool[l]...)
	}
	for range 2 + r.IntN(3) {
		p := person{newName(r), newName(r)}
		ev.people = append(ev.people, p)
		ev.names = append(ev.names, p.first, p.last)
	}
	for range 1 + r.IntN(2) {
		p := newName(r)
		ev.places = append(ev.places, p)
		ev.names = append(ev.names, p)
	}
	for range 5 {
		switch r.IntN(4) {
		case 0:
			ev.nums = append(ev.nums, 2+r.IntN(98))
		case 1:
			ev.nums = append(ev.nums, 100+r.IntN(900))
		case 2:
			ev.nums = append(ev.nums, 1000+r.IntN(99000))
		default:
			ev.nums = append(ev.nums, 1+r.IntN(60))
		}
	}
	return ev
}

// pickLang draws a language not in not: English with englishShare, the
// others evenly.
func (g *gen) pickLang(r *rand.Rand, not []string) string {
	var cand []string
	for _, l := range g.langs {
		if !slices.Contains(not, l) {
			cand = append(cand, l)
		}
	}
	if slices.Contains(cand, "en") && len(cand) > 1 {
		if r.Float64() < englishShare {
			return "en"
		}
		cand = slices.DeleteFunc(cand, func(l string) bool { return l == "en" })
	}
	return cand[r.IntN(len(cand))]
}

// article writes the k-th article of ev, the i-th of the stream.
func (g *gen) article(i int, ev *event, k int, at time.Time) Article {
	r := rand.New(rand.NewPCG(ev.seed, uint64(k)))
	lang := ev.langs[0]
	if k > 0 && len(ev.langs) > 1 && r.Float64() < otherLang {
		lang = ev.langs[1+r.IntN(len(ev.langs)-1)]
	}
	pool := ev.pool[lang]
	m := min(minSentences+r.IntN(maxSentences-minSentences+1), int(math.Ceil(maxShare*float64(len(pool)))))
	m = max(m, min(minDocSentences, len(pool)))
	g.perm = perm(r, g.perm, len(pool))
	idx := g.perm[:m]
	slices.Sort(idx) // the sources' order reads as prose
	sc := scriptOf(lang)
	var sents []string
	for _, j := range idx {
		sents = append(sents, ev.vary(r, lang, sc, pool[j]))
	}
	who := ev.people[r.IntN(len(ev.people))]
	where := ev.places[r.IntN(len(ev.places))]
	title := who.in(sc) + ": " + headline(sents[r.IntN(len(sents))], ev.unspaced[lang])
	said := fmt.Sprintf(saidIn(lang), who.in(sc), where.in(sc))
	sents = slices.Insert(sents, 1+r.IntN(len(sents)), said)
	sents[0] = where.in(sc) + ", " + dateIn(lang, ev.day) + " — " + sents[0]
	o := r.IntN(outlets)
	return Article{
		ID:        fmt.Sprintf("gen-%07d", i),
		Title:     title,
		Text:      strings.Join(sents, "\n"),
		Lang:      lang,
		Source:    fmt.Sprintf("Outlet %s-%02d", lang, o),
		URL:       fmt.Sprintf("https://%s-%02d.outlet.example/%s/ev%d-%d", lang, o, at.Format("2006/01/02"), ev.id, k),
		Published: at,
		Story:     fmt.Sprintf("ev%06d", ev.id),
	}
}

// vary retells one source sentence for one article: the event's names
// for the original's, its figures and year for the original's, its
// words for some of the original's, and the article's own edits.
func (ev *event) vary(r *rand.Rand, lang string, sc script, s string) string {
	vocab := ev.vocab[lang]
	if ev.unspaced[lang] {
		return ev.varyUnspaced(r, sc, s, vocab)
	}
	names := sc.cased && lang != "de" // German capitalises every noun
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	i, kept := -1, 0
	for w := range strings.FieldsSeq(s) {
		i++
		pre, core, post := trimPunct(w)
		switch {
		case core == "":
		case hasDigit(core):
			core = ev.figures(r, core)
		case names && i > 0 && isName(core):
			core = ev.names[ev.hash(core)%uint64(len(ev.names))].in(sc)
		case utf8.RuneCountInString(core) >= 4 && allLetters(core):
			if h := ev.hash(core); utf8.RuneCountInString(core) >= 5 && float64(h%1000) < eventRespell*1000 {
				core = like(core, vocab[(h>>10)%uint64(len(vocab))])
			}
			switch x := r.Float64(); {
			case x < articleDrop:
				continue
			case x < articleDrop+articleRespell:
				core = like(core, vocab[r.IntN(len(vocab))])
			}
		}
		if kept++; kept > 1 {
			b.WriteByte(' ')
		}
		b.WriteString(pre)
		b.WriteString(core)
		b.WriteString(post)
	}
	return b.String()
}

// varyUnspaced retells a sentence of a script without spaces: figures as
// in vary, and the event's words and names put in at one place every
// twenty characters or so, some the event's own, others the article's.
func (ev *event) varyUnspaced(r *rand.Rand, sc script, s string, vocab []string) string {
	s = replaceDigits(s, func(d string) string { return ev.figures(r, d) })
	rs := []rune(s)
	h := ev.hash(s)
	n := 1 + len(rs)/20
	for j := range n {
		var w string
		if j%2 == 0 {
			w = vocab[(h>>(j*5))%uint64(len(vocab))] // the event's, in every article
		} else if r.IntN(3) == 0 {
			w = ev.names[r.IntN(len(ev.names))].in(sc)
		} else {
			w = vocab[r.IntN(len(vocab))]
		}
		at := r.IntN(len(rs) + 1)
		if r.Float64() < articleDrop*3 && at+2 < len(rs) {
			rs = slices.Delete(rs, at, at+2) // the article's own cut
		}
		rs = slices.Insert(rs, at, []rune(w)...)
	}
	return string(rs)
}

// figures returns the event's figure for one of the original's: a year
// becomes the event's year, another number one of the event's, the same
// for the same original throughout the event, sometimes a little off.
func (ev *event) figures(r *rand.Rand, core string) string {
	return replaceDigits(core, func(d string) string {
		if len(d) == 4 && (strings.HasPrefix(d, "19") || strings.HasPrefix(d, "20")) {
			return strconv.Itoa(ev.day.Year())
		}
		n := ev.nums[ev.hash(d)%uint64(len(ev.nums))]
		if r.Float64() < figureJitter {
			n += 1 + r.IntN(3)
		}
		return strconv.Itoa(n)
	})
}

func (ev *event) hash(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return mix64(h.Sum64() ^ ev.seed)
}

// headline makes a title of a sentence: its first words.
func headline(s string, unspaced bool) string {
	if unspaced {
		rs := []rune(s)
		return strings.TrimRight(string(rs[:min(len(rs), 20)]), "，、。")
	}
	f := strings.Fields(s)
	return strings.TrimRight(strings.Join(f[:min(len(f), 9)], " "), ",;:")
}

// eventWords makes an event's own vocabulary in the script of its
// sentences: words glued from pieces of the sentences' words. Its articles
// share it and no other event has it, as real events share the names and
// terms of what happened and differ from other events by them.
func eventWords(r *rand.Rand, sents []string) []string {
	// Pieces are kept by value and each word's runes decoded into one
	// buffer: storyline bench generates its whole stream before the run,
	// and this was two fifths of what that allocated.
	var pieces [][2]rune
	var rs []rune
	for _, s := range sents {
		for w := range strings.FieldsSeq(s) {
			rs = rs[:0]
			for _, c := range w {
				rs = append(rs, c)
			}
			if len(rs) > 12 { // a script without spaces: any two letters
				for range 4 {
					i := r.IntN(len(rs) - 1)
					if unicode.IsLetter(rs[i]) && unicode.IsLetter(rs[i+1]) {
						pieces = append(pieces, [2]rune{rs[i], rs[i+1]})
					}
				}
			} else if len(rs) >= 4 && allLetters(w) {
				i := r.IntN(len(rs) - 2)
				pieces = append(pieces, [2]rune{rs[i], rs[i+1]})
			}
		}
	}
	out := make([]string, 40)
	for i := range out {
		if len(pieces) == 0 {
			out[i] = newName(r).in(latin)
			continue
		}
		var w []rune
		for range 2 + r.IntN(2) {
			p := pieces[r.IntN(len(pieces))]
			w = append(w, p[0], p[1])
		}
		out[i] = strings.ToLower(string(w))
	}
	return out
}

// like returns w with the case of the word it replaces.
func like(orig, w string) string {
	o, _ := utf8.DecodeRuneInString(orig)
	if !unicode.IsUpper(o) {
		return w
	}
	f, n := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(f)) + w[n:]
}

// trimPunct splits a whitespace-separated token into leading
// punctuation, its core and trailing punctuation.
func trimPunct(w string) (pre, core, post string) {
	core = strings.TrimLeftFunc(w, notWord)
	pre = w[:len(w)-len(core)]
	trimmed := strings.TrimRightFunc(core, notWord)
	return pre, trimmed, core[len(trimmed):]
}

func notWord(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) }

func hasDigit(s string) bool { return strings.ContainsFunc(s, unicode.IsDigit) }

func allLetters(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsMark(r) {
			return false
		}
	}
	return true
}

// isName reports whether a word inside a sentence reads as a name:
// capitalised, then lower case (not an acronym).
func isName(w string) bool {
	rs := []rune(w)
	if len(rs) < 3 || !unicode.IsUpper(rs[0]) || !allLetters(w) {
		return false
	}
	for _, r := range rs[1:] {
		if unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

// replaceDigits replaces each run of ASCII or other decimal digits.
func replaceDigits(s string, fn func(string) string) string {
	var b strings.Builder
	start := -1
	for i, r := range s {
		if unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			b.WriteString(fn(s[start:i]))
			start = -1
		}
		b.WriteRune(r)
	}
	if start >= 0 {
		b.WriteString(fn(s[start:]))
	}
	return b.String()
}

// mix64 is the splitmix64 finaliser.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// WriteJSONL writes a stream as JSON lines, storyline's JSONL input.
func WriteJSONL(w io.Writer, seq iter.Seq[Article]) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	for a := range seq {
		if err := enc.Encode(a); err != nil {
			return fmt.Errorf("loadgen: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("loadgen: %w", err)
	}
	return nil
}

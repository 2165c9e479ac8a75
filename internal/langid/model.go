package langid

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
	"unicode"
	"unicode/utf8"
)

// modelData is lingua-go's unigram, bigram and trigram models of its 75
// languages, one table keyed by n-gram (see internal/genmodel; lingua-go
// is Apache-2.0, models.LICENSE).
//
//go:generate sh -c "go run ./internal/genmodel -lingua \"$(go list -m -f '{{.Dir}}' github.com/pemistahl/lingua-go)\" -out models.bin.gz"
//go:embed models.bin.gz
var modelData []byte

// posting is one language's cost for one n-gram: round(-ln p × scale).
type posting struct{ lang, cost uint8 }

// model holds every language's n-gram costs. It is read once and shared by
// all detectors; it is immutable after loading.
type model struct {
	header
	script []script // each language's script, from its unigrams
	// group lists, for each script, the languages written in it; slot
	// is a language's place in its group.
	group [numScripts][]uint8
	slot  []int
	// index maps a packed unigram or bigram (see key) to its postings:
	// post[v>>8 : v>>8+v&0xff].
	index table
	post  []posting
	// vecs maps an n-gram to its costs in every language of its script's
	// group, backed off and charged for unseen as backoff describes:
	// dense[v : v+len(group)]. One lookup and one run of additions an
	// n-gram, whatever the number of languages.
	vecs  table
	dense []uint8
}

// unseenCost is what a trigram costs, in nats, in a language that has seen
// none of its trigram, its bigram and its first letter: about the cost of
// a rare letter, so that one foreign name does not outweigh a paragraph.
// (lingua charges nothing, which favours languages that lack a letter.)
// On the dev sets any value from 0 to 30 gives the same labels; the
// fixtures' names in other scripts' letters are what it is for.
const unseenCost = 12

// key packs up to three lower-case letters; a shorter n-gram leaves the
// later places zero, which no letter is.
func key(a, b, c rune) uint64 { return uint64(a) | uint64(b)<<21 | uint64(c)<<42 }

var loadModel = sync.OnceValues(func() (*model, error) { return decodeModel(modelData) })

// mustModel returns the model, loading it on first use. The model is
// embedded in the build, and New has read its header: a failure here is a
// broken build (TestModelLoads), not bad input.
func mustModel() *model {
	m, err := loadModel()
	if err != nil {
		panic(err)
	}
	return m
}

// Preload decodes the model now rather than on the first detection, where
// decoding (about 0.14 s of CPU, the whole model at once) holds the first
// article and every one behind it. A service calls it as it starts.
func Preload() { mustModel() }

const modelMagic = "SLLID1\n"

// header is the start of the model file: its scale and languages.
type header struct {
	scale float64
	langs []string
	pos   map[string]int
}

func readHeader(r *reader) (header, error) {
	if string(r.bytes(len(modelMagic))) != modelMagic {
		return header{}, errors.New("langid: model: not a langid model")
	}
	h := header{scale: float64(r.uvarint()), pos: map[string]int{}}
	nl := int(r.uvarint())
	if r.err != nil || nl < 2 || nl > 255 || h.scale <= 0 {
		return header{}, fmt.Errorf("langid: model: bad header (%v)", r.err)
	}
	for i := range nl {
		l := string(r.bytes(int(r.uvarint())))
		h.langs = append(h.langs, l)
		h.pos[l] = i
	}
	if r.err != nil {
		return header{}, fmt.Errorf("langid: model: bad header (%v)", r.err)
	}
	return h, nil
}

// loadHeader reads only the header, so that building a detector (or
// asking one its languages) costs nothing until it detects.
var loadHeader = sync.OnceValues(func() (header, error) {
	zr, err := gzip.NewReader(bytes.NewReader(modelData))
	if err != nil {
		return header{}, fmt.Errorf("langid: model: %w", err)
	}
	b := make([]byte, 4<<10)
	n, err := io.ReadFull(zr, b)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return header{}, fmt.Errorf("langid: model: %w", err)
	}
	return readHeader(&reader{b: b[:n]})
})

func decodeModel(gz []byte) (*model, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("langid: model: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("langid: model: %w", err)
	}
	r := &reader{b: raw}
	h, err := readHeader(r)
	if err != nil {
		return nil, err
	}
	m := &model{header: h}
	nl := len(h.langs)
	nk := int(r.uvarint())
	if r.err != nil || nk > len(raw) {
		return nil, fmt.Errorf("langid: model: bad header (%v)", r.err)
	}
	// Unigrams and bigrams keep their postings (index, post) for backing
	// off; trigrams' postings only serve to build their dense costs.
	type gram struct {
		rs    [3]rune
		start uint32
		n     uint8
	}
	var short, tris []gram
	var triPost []posting
	unigrams := make([][numScripts]int, nl)
	var prev []byte
	for range nk {
		shared := int(r.uvarint())
		suffix := r.bytes(int(r.uvarint()))
		np := int(r.byte())
		if r.err != nil || shared > len(prev) {
			return nil, fmt.Errorf("langid: model: truncated (%v)", r.err)
		}
		prev = append(prev[:shared], suffix...)
		var g gram
		n := 0
		for _, c := range string(prev) {
			if n == 3 {
				return nil, fmt.Errorf("langid: model: n-gram %q longer than 3", prev)
			}
			g.rs[n] = c
			n++
		}
		if n == 0 || !utf8.Valid(prev) {
			return nil, fmt.Errorf("langid: model: bad n-gram %q", prev)
		}
		arena := &m.post
		if n == 3 {
			arena = &triPost
		}
		g.start, g.n = uint32(len(*arena)), uint8(np)
		if g.start >= 1<<24 {
			return nil, errors.New("langid: model: too many postings")
		}
		for range np {
			p := posting{r.byte(), r.byte()}
			if int(p.lang) >= nl {
				return nil, fmt.Errorf("langid: model: language %d of %d", p.lang, nl)
			}
			*arena = append(*arena, p)
			if n == 1 {
				unigrams[p.lang][scriptOf(g.rs[0])]++
			}
		}
		if n == 3 {
			tris = append(tris, g)
		} else {
			short = append(short, g)
		}
	}
	if r.err != nil {
		return nil, fmt.Errorf("langid: model: truncated (%v)", r.err)
	}
	m.script = make([]script, nl)
	m.slot = make([]int, nl)
	for i, counts := range unigrams {
		s := mainScript(counts)
		m.script[i] = s
		m.slot[i] = len(m.group[s])
		m.group[s] = append(m.group[s], uint8(i))
	}
	m.index = newTable(len(short))
	for _, g := range short {
		m.index.put(key(g.rs[0], g.rs[1], g.rs[2]), g.start<<8|uint32(g.n))
	}
	size := 0
	for _, gs := range [][]gram{short, tris} {
		for _, g := range gs {
			size += len(m.group[scriptOf(g.rs[0])])
		}
	}
	m.vecs = newTable(len(short) + len(tris))
	m.dense = make([]uint8, 0, size)
	for _, g := range short {
		m.addVec(g.rs, m.post[g.start:g.start+uint32(g.n)])
	}
	for _, g := range tris {
		m.addVec(g.rs, triPost[g.start:g.start+uint32(g.n)])
	}
	return m, nil
}

// addVec stores n-gram t's dense costs, own being its postings.
func (m *model) addVec(t [3]rune, own []posting) {
	grp := m.group[scriptOf(t[0])]
	if len(grp) == 0 {
		return
	}
	m.vecs.put(key(t[0], t[1], t[2]), uint32(len(m.dense)))
	m.dense = m.backoff(m.dense, grp, t, own)
}

// backoff appends trigram t's cost in each language of group g: its own
// (own, its postings), else its bigram's of the first two letters, else
// its first letter's, else unseenCost; as lingua's low-accuracy mode
// backs off.
func (m *model) backoff(dst []uint8, g []uint8, t [3]rune, own []posting) []uint8 {
	start := len(dst)
	unseen := uint8(min(255, math.Round(unseenCost*m.scale)))
	for range g {
		dst = append(dst, unseen)
	}
	vec := dst[start:]
	var found [256]bool
	set := func(ps []posting) {
		for _, p := range ps {
			if !found[p.lang] && m.script[p.lang] == m.script[g[0]] {
				found[p.lang] = true
				vec[m.slot[p.lang]] = p.cost
			}
		}
	}
	set(own)
	for _, k := range [...]uint64{key(t[0], t[1], 0), key(t[0], 0, 0)} {
		if v, ok := m.index.get(k); ok {
			set(m.post[v>>8 : v>>8+v&0xff])
		}
	}
	return dst
}

// mainScript is the script most of a language's letters are in; a
// language that writes kana at all is written in kana, as Japanese mixes
// it with Han and Chinese does not.
func mainScript(counts [numScripts]int) script {
	if counts[scriptKana] > 0 {
		return scriptKana
	}
	best := scriptNone
	for s := scriptLatin; s < numScripts; s++ {
		if counts[s] > counts[best] {
			best = s
		}
	}
	return best
}

// reader decodes the model's varints and byte strings, remembering the
// first error.
type reader struct {
	b   []byte
	err error
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) bytes(n int) []byte {
	if n < 0 || n > len(r.b) {
		r.fail()
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) byte() byte {
	if len(r.b) == 0 {
		r.fail()
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = io.ErrUnexpectedEOF
	}
}

// score adds to costs (indexed by model language) the cost of text's
// words in script s in each language written in s, and returns how many
// n-grams it counted. Words are runs of letters of s, as lingua splits
// them; a word's trigrams count, and a word of one or two letters counts
// as its unigram or bigram. lingua's low-accuracy mode leaves short words
// out, but they are the function words that tell neighbours apart, and in
// Devanagari, where lingua's words break at every vowel sign, they are
// most of the text.
//
// Unlike lingua it counts each occurrence (lingua counts each distinct
// trigram once) and adds plain costs in log space: lingua exponentiates
// the sums with arbitrary-precision decimals to normalise them, which is
// most of its time and changes no ranking.
func (m *model) score(text string, s script, costs []int32) int {
	g := m.group[s]
	if len(g) == 0 {
		return 0
	}
	sums := make([]int32, len(g))
	scripts := bmpScripts()
	var scratch []uint8
	add := func(k uint64, t [3]rune) {
		var vec []uint8
		if v, ok := m.vecs.get(k); ok {
			vec = m.dense[v : v+uint32(len(g))]
		} else {
			// An n-gram no language has: back off now.
			scratch = m.backoff(scratch[:0], g, t, nil)
			vec = scratch
		}
		vec = vec[:len(sums)]
		for j, c := range vec {
			sums[j] += int32(c)
		}
	}
	// short scores a word of one or two letters as it ends.
	short := func(w [3]rune, n int) {
		switch n {
		case 1:
			add(key(w[2], 0, 0), [3]rune{w[2]})
		case 2:
			add(key(w[1], w[2], 0), [3]rune{w[1], w[2]})
		}
	}
	var w [3]rune
	n, ngrams := 0, 0
	for _, r := range text {
		if scripts.of(r) != s {
			if n == 1 || n == 2 {
				short(w, n)
				ngrams++
			}
			n = 0
			continue
		}
		w[0], w[1], w[2] = w[1], w[2], unicode.ToLower(r)
		if n++; n < 3 {
			continue
		}
		ngrams++
		add(key(w[0], w[1], w[2]), w)
	}
	if n == 1 || n == 2 {
		short(w, n)
		ngrams++
	}
	for j, l := range g {
		costs[l] += sums[j]
	}
	return ngrams
}

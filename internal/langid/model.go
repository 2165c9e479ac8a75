package langid

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
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
	// index maps a packed n-gram (see key) to its postings:
	// post[v>>8 : v>>8+v&0xff].
	index map[uint64]uint32
	post  []posting
}

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
	m.index = make(map[uint64]uint32, nk)
	m.post = make([]posting, 0, len(raw)/3)
	unigrams := make([][numScripts]int, nl)
	var prev []byte
	for range nk {
		shared := int(r.uvarint())
		suffix := r.bytes(int(r.uvarint()))
		np := int(r.byte())
		if r.err != nil || shared > len(prev) {
			return nil, fmt.Errorf("langid: model: truncated (%v)", r.err)
		}
		gram := append(prev[:shared:shared], suffix...)
		prev = gram
		var rs [3]rune
		n := 0
		for _, c := range string(gram) {
			if n == 3 {
				return nil, fmt.Errorf("langid: model: n-gram %q longer than 3", gram)
			}
			rs[n] = c
			n++
		}
		if n == 0 || !utf8.Valid(gram) {
			return nil, fmt.Errorf("langid: model: bad n-gram %q", gram)
		}
		start := len(m.post)
		if start >= 1<<24 {
			return nil, errors.New("langid: model: too many postings")
		}
		for range np {
			p := posting{r.byte(), r.byte()}
			if int(p.lang) >= nl {
				return nil, fmt.Errorf("langid: model: language %d of %d", p.lang, nl)
			}
			m.post = append(m.post, p)
			if n == 1 {
				unigrams[p.lang][scriptOf(rs[0])]++
			}
		}
		m.index[key(rs[0], rs[1], rs[2])] = uint32(start)<<8 | uint32(np)
	}
	if r.err != nil {
		return nil, fmt.Errorf("langid: model: truncated (%v)", r.err)
	}
	m.script = make([]script, nl)
	for i, counts := range unigrams {
		m.script[i] = mainScript(counts)
	}
	return m, nil
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

// score adds to costs, for each candidate language, the cost of every
// trigram of text's words in script s, as lingua's low-accuracy mode does:
// a trigram a language never saw costs its bigram of the first two
// letters, then its unigram of the first, and one it has none of costs
// unseen. It returns how many trigrams it counted.
//
// Unlike lingua it counts each occurrence (lingua counts each distinct
// trigram once) and adds plain costs in log space: lingua exponentiates
// the sums with arbitrary-precision decimals to normalise them, which is
// most of its time and changes no ranking.
func (m *model) score(text string, s script, cand *[256]bool, ncand int, costs []int32, unseen int32) int {
	var stamp [256]uint32
	var epoch uint32
	var w [3]rune
	n, ntri := 0, 0
	for _, r := range text {
		if scriptOf(r) != s {
			n = 0
			continue
		}
		w[0], w[1], w[2] = w[1], w[2], unicode.ToLower(r)
		if n++; n < 3 {
			continue
		}
		ntri++
		epoch++
		left := ncand
		for _, k := range [...]uint64{key(w[0], w[1], w[2]), key(w[0], w[1], 0), key(w[0], 0, 0)} {
			v, ok := m.index[k]
			if !ok {
				continue
			}
			for _, p := range m.post[v>>8 : v>>8+v&0xff] {
				if cand[p.lang] && stamp[p.lang] != epoch {
					stamp[p.lang] = epoch
					costs[p.lang] += int32(p.cost)
					left--
				}
			}
			if left == 0 {
				break
			}
		}
		if left > 0 {
			for l := range costs {
				if cand[l] && stamp[l] != epoch {
					costs[l] += unseen
				}
			}
		}
	}
	return ntri
}

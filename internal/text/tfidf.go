package text

import (
	"math"
	"sort"
)

// Model holds document frequencies learned from the stream. IDF is smoothed
// (log((1+N)/(1+df)) + 1) so the first articles get usable, if flat, weights.
// A Model made with a half-life forgets: its counts halve each time it has
// counted twice that many documents, so IDF follows recent usage and the
// vocabulary it keeps stays bounded however long the stream runs.
// A Model is not safe for concurrent use.
type Model struct {
	n        int // documents counted, halved with df
	seen     int // documents ever added
	halfLife int
	// df is keyed by FoldID(TermID(key)), not by the key: a window of
	// articles holds their terms by that alone (see internal/story), and
	// no key string need stay alive for the model's sake.
	df map[uint32]int32
}

// NewModel returns an empty model that never forgets.
func NewModel() *Model { return &Model{df: make(map[uint32]int32)} }

// TermID hashes a term key (64-bit FNV-1a). Hashing instead of numbering
// terms in a table keeps no vocabulary, which would grow with every name
// and number the stream has ever carried; at 64 bits two keys sharing an
// ID is too rare to matter to a similarity.
func TermID(key string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i := 0; i < len(key); i++ {
		h ^= uint64(key[i])
		h *= prime
	}
	return h
}

// FoldID folds a TermID to the 32 bits a Model counts it under. Two keys of
// one fold count as one term (and a document holding both, about one in
// 50,000, counts twice): among the ~2M terms a model holds at most
// (a year of a multilingual stream), a few hundred such pairs, each
// raising a rare term's document frequency by another's, far below what
// moves a similarity (no dev-set score moved in its fourth decimal). A
// window of articles keeps its terms' folds, 4 bytes each, instead of
// their IDs: 34 MB less at 200k generated articles.
func FoldID(id uint64) uint32 { return uint32(id ^ id>>32) }

// NewDecayingModel returns an empty model whose counts halve every
// halfLife documents once it has counted 2·halfLife (see Model).
// halfLife ≤ 0 means never.
func NewDecayingModel(halfLife int) *Model {
	m := NewModel()
	m.halfLife = max(halfLife, 0)
	return m
}

// Add counts one document.
func (m *Model) Add(d *Doc) {
	m.n++
	m.seen++
	for _, t := range d.Terms {
		m.df[FoldID(TermID(t.Key))]++
	}
	if m.halfLife > 0 && m.n >= 2*m.halfLife {
		m.halve()
	}
}

// halve halves every count and forgets terms whose count reaches zero: a
// term seen once in the last two half-lives goes, one in common use stays.
// The cost, linear in the vocabulary, comes once per half-life.
func (m *Model) halve() {
	m.n /= 2
	for k, v := range m.df {
		if v /= 2; v == 0 {
			delete(m.df, k)
		} else {
			m.df[k] = v
		}
	}
}

// Docs returns how many documents the model has seen, forgotten or not.
func (m *Model) Docs() int { return m.seen }

// Terms returns how many distinct terms the model holds.
func (m *Model) Terms() int { return len(m.df) }

// DF returns the (decayed) document frequency of a term key.
func (m *Model) DF(key string) int { return int(m.df[FoldID(TermID(key))]) }

// IDF returns the smoothed inverse document frequency of a term key.
func (m *Model) IDF(key string) float64 { return m.IDFOf(FoldID(TermID(key))) }

// IDFOf is IDF by the fold of the key's TermID.
func (m *Model) IDFOf(id uint32) float64 {
	return math.Log(float64(1+m.n)/float64(1+m.df[id])) + 1
}

// Weights scale term kinds in vectors. Names, numbers and dates tell two
// events of the same kind apart (two earthquakes, two rehab check-ins), so
// they may count for more than common words.
type Weights struct {
	Word     float64 // stems and CJK bigrams
	Entity   float64 // e: names
	Number   float64 // # numbers and years
	Month    float64 // @ months
	Translit float64 // k: transliteration keys
	Gloss    float64 // x: English glosses
	Cognate  float64 // p: word prefixes
	// IDFPower raises IDF to a power: above 1 it favours rare terms (the
	// names and places that tell one event from another of its kind) over
	// the vocabulary a topic shares. 0 means 1.
	IDFPower float64
}

// DefaultWeights are tuned on the development sets (see internal/story tests).
var DefaultWeights = Weights{Word: 1, Entity: 2, Number: 1, Month: 0.5, Translit: 0.3, Gloss: 0.5, Cognate: 0.5}

func (w Weights) of(key string) float64 { return w.Of(KindOf(key)) }

// TermKind is the kind of a term, which Weights scale.
type TermKind uint8

// Term kinds, by their key's prefix.
const (
	TermWord TermKind = iota
	TermEntity
	TermNumber
	TermMonth
	TermTranslit
	TermGloss
	TermCognate
)

// KindOf returns a term key's kind.
func KindOf(key string) TermKind {
	if !IsAnchor(key) {
		return TermWord
	}
	switch key[0] {
	case '#':
		return TermNumber
	case '@':
		return TermMonth
	case 'e':
		return TermEntity
	case 'k':
		return TermTranslit
	case 'x':
		return TermGloss
	case 'p':
		return TermCognate
	}
	return TermWord
}

// Of returns the weight of a kind of term.
func (w Weights) Of(k TermKind) float64 {
	switch k {
	case TermEntity:
		return w.Entity
	case TermNumber:
		return w.Number
	case TermMonth:
		return w.Month
	case TermTranslit:
		return w.Translit
	case TermGloss:
		return w.Gloss
	case TermCognate:
		return w.Cognate
	}
	return w.Word
}

// Entry is one weighted dimension of a Vector.
type Entry struct {
	Key string
	W   float64
}

// Vector is a sparse vector sorted by Key. Sorted order makes dot products
// independent of map iteration, so scores are bit-for-bit reproducible.
type Vector []Entry

// Vector weights a document: sublinear tf × IDF × kind weight, L2-normalised.
// Terms with a zero weight are left out. A nil model means flat IDF.
func (m *Model) Vector(d *Doc, w Weights) Vector {
	v := make(Vector, 0, len(d.Terms))
	for _, t := range d.Terms {
		kw := w.of(t.Key)
		if kw == 0 || t.N <= 0 {
			continue
		}
		idf := 1.0
		if m != nil {
			idf = m.IDF(t.Key)
			if w.IDFPower != 0 && w.IDFPower != 1 {
				idf = math.Pow(idf, w.IDFPower)
			}
		}
		v = append(v, Entry{t.Key, (1 + math.Log(t.N)) * idf * kw})
	}
	return v.Normalize()
}

// Normalize scales v to unit length in place and returns it.
func (v Vector) Normalize() Vector {
	var s float64
	for _, e := range v {
		s += e.W * e.W
	}
	if s == 0 {
		return v
	}
	s = 1 / math.Sqrt(s)
	for i := range v {
		v[i].W *= s
	}
	return v
}

// Norm returns the Euclidean length of v.
func (v Vector) Norm() float64 {
	var s float64
	for _, e := range v {
		s += e.W * e.W
	}
	return math.Sqrt(s)
}

// Filter returns the entries for which keep is true, in a new vector.
func (v Vector) Filter(keep func(key string) bool) Vector {
	out := make(Vector, 0, len(v))
	for _, e := range v {
		if keep(e.Key) {
			out = append(out, e)
		}
	}
	return out
}

// Top returns the n heaviest entries, heaviest first (ties by key).
func (v Vector) Top(n int) Vector {
	out := append(Vector(nil), v...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].W != out[j].W {
			return out[i].W > out[j].W
		}
		return out[i].Key < out[j].Key
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// Dot returns the dot product of two sorted vectors.
func Dot(a, b Vector) float64 {
	var s float64
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].Key < b[j].Key:
			i++
		case a[i].Key > b[j].Key:
			j++
		default:
			s += a[i].W * b[j].W
			i++
			j++
		}
	}
	return s
}

// Cosine returns the cosine of two sorted vectors (0 when either is empty).
func Cosine(a, b Vector) float64 {
	na, nb := a.Norm(), b.Norm()
	if na == 0 || nb == 0 {
		return 0
	}
	return Dot(a, b) / (na * nb)
}

// Clone returns a copy that later Adds to m do not change, for a reader
// on another goroutine.
func (m *Model) Clone() *Model {
	c := *m
	c.df = make(map[uint32]int32, len(m.df))
	for k, v := range m.df {
		c.df[k] = v
	}
	return &c
}

package segment

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

//go:generate go run ./internal/genzh -gse "$(go list -m -f {{.Dir}} github.com/go-ego/gse)" -out zh.dict.gz

// zh.dict.gz is gse's jieba-derived Chinese dictionary (simplified, then
// traditional; see internal/genzh), as word, frequency and part of speech.
// Segmenting with it here rather than with gse gives gse's segmentation
// (the same shortest path over the same word costs) at a tenth of the
// memory: gse also builds, for every word, its own segmentation for search
// engines, and its loaded dictionary held about 200 MB of a process's heap.
//
//go:embed zh.dict.gz
var zhDictGz []byte

// Tagged is one word of a segmented Chinese text with its part of speech
// (jieba's tags: n noun, nr person, ns place, nt organisation, v verb…; x
// for a character the dictionary does not know).
type Tagged struct {
	Text       string // as written
	Start, End int    // byte offsets in the text
	Pos        string
}

type zhEntry struct {
	dist float32 // log2(total frequency) − log2(frequency), as gse's
	pos  uint16  // index into zhDict.tags
}

type zhDictionary struct {
	// words is keyed by zhHash of the lowercased word, not by the word: no
	// string, so no pointer for the collector to scan at every cycle, and
	// 600k words in about a third of the memory (43 MB as strings). A
	// substring that is no word takes a word's entry only if their 64-bit
	// hashes collide, about 3·10⁻¹⁴ a lookup.
	words map[uint64]zhEntry
	// starts has, at bit zhHash(prefix) mod its length, a one for every
	// proper start of a word (in units). Where the key read so far is no
	// such start, no longer word begins there, and the search for words
	// from that unit ends: before, each unit was looked up at every length
	// up to the longest word's (maxLen, 16), and those lookups were 1.7%
	// of all CPU on the generated stream (`storyline bench --articles
	// 20000 --days 7 --cpuprofile`); BenchmarkChineseTagged went from
	// 170–178 to 33–42 µs. A bit another start set only costs a lookup
	// more. Bits, not entries in words: the 240k starts that are no word
	// would have taken about 5 MB there; the bits take 1 MiB, 4% of them
	// set.
	starts []uint64
	tags   []string
	maxLen int // in units (see zhUnits)
}

// zhStartBits is the size of zhDictionary.starts in bits, a power of two.
const zhStartBits = 1 << 23

func (d *zhDictionary) setStart(h uint64) { d.starts[h/64%(zhStartBits/64)] |= 1 << (h % 64) }

func (d *zhDictionary) isStart(h uint64) bool {
	return d.starts[h/64%(zhStartBits/64)]&(1<<(h%64)) != 0
}

var (
	zhDictOnce sync.Once
	zhDict     *zhDictionary
)

func loadZh() *zhDictionary {
	zhDictOnce.Do(func() {
		zr, err := gzip.NewReader(bytes.NewReader(zhDictGz))
		if err != nil {
			return
		}
		d := &zhDictionary{words: make(map[uint64]zhEntry, 600_000)}
		tagIdx := map[string]uint16{}
		type raw struct {
			word string
			freq float64
			pos  uint16
		}
		var rows []raw
		var total float64
		d.starts = make([]uint64, zhStartBits/64)
		sc := bufio.NewScanner(zr)
		for sc.Scan() {
			word, rest, _ := strings.Cut(sc.Text(), "\t")
			f, pos, _ := strings.Cut(rest, "\t")
			freq, err := strconv.ParseFloat(f, 64)
			if err != nil || word == "" {
				continue
			}
			i, ok := tagIdx[pos]
			if !ok {
				i = uint16(len(d.tags))
				tagIdx[pos] = i
				d.tags = append(d.tags, pos)
			}
			rows = append(rows, raw{word, freq, i})
			total += freq
			units := zhUnits(word)
			d.maxLen = max(d.maxLen, len(units))
			for _, u := range units[:len(units)-1] {
				d.setStart(zhHash(zhOffset, word[:u.end]))
			}
		}
		if sc.Err() != nil {
			return
		}
		logTotal := float32(math.Log2(total))
		for _, r := range rows {
			d.words[zhHash(zhOffset, r.word)] = zhEntry{logTotal - float32(math.Log2(r.freq)), r.pos}
		}
		zhDict = d
	})
	return zhDict
}

// zhOffset starts a zhHash.
const zhOffset = 14695981039346656037

// zhHash goes on hashing (64-bit FNV-1a) from h with the bytes of b, so
// that a word's hash grows with it unit by unit.
func zhHash[B string | []byte](h uint64, b B) uint64 {
	const prime = 1099511628211
	for i := 0; i < len(b); i++ {
		h ^= uint64(b[i])
		h *= prime
	}
	return h
}

// zhUnit is one unit of segmentation: a CJK character (or any character
// of three bytes or more), or a run of letters and digits of other scripts
// (an English word, a number), which the dictionary writes lowercased.
type zhUnit struct {
	start, end int
}

// zhUnits cuts s into units as gse does.
func zhUnits(s string) []zhUnit {
	var out []zhUnit
	runStart := -1
	for i, r := range s {
		size := utf8.RuneLen(r)
		if size <= 2 && size > 0 && (unicode.IsLetter(r) || unicode.IsNumber(r)) {
			if runStart < 0 {
				runStart = i
			}
			continue
		}
		if runStart >= 0 {
			out = append(out, zhUnit{runStart, i})
			runStart = -1
		}
		if size < 0 {
			size = 1
		}
		out = append(out, zhUnit{i, i + size})
	}
	if runStart >= 0 {
		out = append(out, zhUnit{runStart, len(s)})
	}
	return out
}

// ZhKey is the dictionary's form of a word: its letters lowercased.
func ZhKey(word string) string { return strings.ToLower(word) }

// ChineseTagged segments Chinese text into words with their parts of
// speech: of all the ways to cut the text into dictionary words, the one
// whose words are likeliest (the least sum of −log2 frequency), a
// character the dictionary does not know costing 32. It returns nil when
// the dictionary is unavailable.
func ChineseTagged(s string) []Tagged {
	d := loadZh()
	if d == nil || s == "" {
		return nil
	}
	units := zhUnits(s)
	type jumper struct {
		dist  float32
		start int // unit where the word ending here starts
		pos   int // tag index, -1 for an unknown character
	}
	js := make([]jumper, len(units))
	update := func(j *jumper, base, dist float32, start, pos int) {
		if nd := base + dist; j.dist == 0 || j.dist > nd {
			*j = jumper{nd, start, pos}
		}
	}
	var key []byte
	for cur := range units {
		var base float32
		if cur > 0 {
			base = js[cur-1].dist
		}
		key = key[:0]
		h := uint64(zhOffset)
		shortest := 0
		for l := 1; l <= d.maxLen && cur+l <= len(units); l++ {
			u := units[cur+l-1]
			n := len(key)
			key = appendLower(key, s[u.start:u.end])
			h = zhHash(h, key[n:])
			if e, ok := d.words[h]; ok {
				if shortest == 0 {
					shortest = l
				}
				update(&js[cur+l-1], base, e.dist, cur, int(e.pos))
			}
			if !d.isStart(h) {
				break
			}
		}
		if shortest != 1 {
			update(&js[cur], base, 32, cur, -1)
		}
	}
	n := 0
	for i := len(units) - 1; i >= 0; i = js[i].start - 1 {
		n++
	}
	out := make([]Tagged, n)
	for i := len(units) - 1; i >= 0; i = js[i].start - 1 {
		n--
		a, b := units[js[i].start].start, units[i].end
		pos := "x"
		if p := js[i].pos; p >= 0 {
			pos = d.tags[p]
		}
		out[n] = Tagged{Text: s[a:b], Start: a, End: b, Pos: pos}
	}
	return out
}

func appendLower(b []byte, s string) []byte {
	for _, r := range s {
		b = utf8.AppendRune(b, unicode.ToLower(r))
	}
	return b
}

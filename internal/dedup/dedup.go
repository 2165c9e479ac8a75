// Package dedup recognises copies: exact duplicates by a hash of the
// normalised text, and syndicated copies (the same wire story under another
// outlet's header, footer or light edits) by MinHash signatures whose LSH band
// keys let a store find candidates without scanning. Similarity alone does
// not make a copy (Options.Judge): the pair must share enough of its own
// content, not form fields or a notice, and its titles must not disagree.
//
// Signatures are stored, so the shingling, the hash functions and the
// permutation seeds below are part of the on-disk format: changing any of
// them makes old signatures incomparable with new ones. Signatures stored
// before form-like lines were left out (Content) still compare with new
// ones, a little lower for texts with such lines (on ecbplus-dev they hold
// 0.6% of the words).
package dedup

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

const (
	// NumPerm is the length of a signature. The standard error of the
	// Jaccard estimate is sqrt(J(1-J)/NumPerm): about 0.035 at J = 0.8.
	NumPerm = 128
	// NumBands × BandRows = NumPerm. With 32 bands of 4 rows a pair becomes
	// an LSH candidate with probability 1-(1-J⁴)³²: 0.99999995 at J = 0.8,
	// 0.87 at J = 0.5, 0.23 at J = 0.3 and 0.003 at J = 0.1, so copies are
	// practically never missed while the candidates stay few;
	// Similarity decides.
	NumBands = 32
	BandRows = NumPerm / NumBands

	// WordShingle is the shingle length in words for space-separated scripts.
	WordShingle = 3
	// CharShingle is the shingle length in characters for scripts written
	// without spaces (Han, kana, Thai, Lao, Khmer, Myanmar, Tibetan).
	CharShingle = 5
)

// CopyThreshold is the estimated Jaccard similarity (of word 3-shingles) at
// and above which two texts are taken for copies of one another.
//
// Measured on ecbplus-dev (TestThresholdECB, TestSyntheticCopiesECB): pairs
// from different stories reach 0.07; 99% of same-story pairs stay below 0.44,
// and outlets' rewrites of one wire text reach 0.55-0.66; the 18 same-story
// pairs at or above 0.7 (of 4,491) are all copies, one text containing most
// of the other's 5-word runs. A copy with another outlet's intro line and
// footer and one word in a hundred edited keeps 0.7 or more for 450/450
// articles of 200+ words and 198/199 of 100-199 words. Below that, header
// and footer weigh too much; and a copy cut to a fraction of the original
// is not a copy by Jaccard at all (story assignment groups those).
const CopyThreshold = 0.7

// Normalize lowercases text after NFKC normalisation, turns every run of
// characters that are neither letters, marks nor digits into one space and
// trims the result. Two texts that differ only in case, width or compatibility
// forms, punctuation or spacing normalise to the same string.
func Normalize(text string) string {
	text = norm.NFKC.String(text)
	var b strings.Builder
	b.Grow(len(text))
	space := false
	for _, r := range text {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return b.String()
}

// Hash returns the hex SHA-256 of Normalize(text), the exact-duplicate key.
func Hash(text string) string {
	sum := sha256.Sum256([]byte(Normalize(text)))
	return hex.EncodeToString(sum[:])
}

// Signature returns the MinHash signature (NumPerm values) of the shingles
// of text's own content (see Content): word 3-shingles of the normalised
// text, or character 5-grams when most of its letters belong to scripts
// written without spaces. A text with no letters or digits has no shingles
// and a nil signature, which is similar to nothing.
func Signature(text string) []uint64 {
	return signatureOf(Content(text))
}

// signatureOf is the signature of all of text.
func signatureOf(text string) []uint64 {
	n := Normalize(text)
	if n == "" {
		return nil
	}
	sig := make([]uint64, NumPerm)
	mins := (*[NumPerm]uint64)(sig)
	for i := range mins {
		mins[i] = math.MaxUint64
	}
	add := func(h uint64) {
		// One strong 64-bit hash per shingle, then a cheap affine map per
		// permutation: the minimum of a·x+b over the shingles is a MinHash
		// sample because x is already uniformly mixed.
		x := mix64(h)
		for i := range mins {
			// The branch is rarely taken after the first shingles, so it
			// predicts well and beats a conditional store.
			if v := permA[i]*x + permB[i]; v < mins[i] {
				mins[i] = v
			}
		}
	}
	if unsegmented(n) {
		shingleChars(n, add)
	} else {
		shingleWords(n, add)
	}
	return sig
}

// shingleWords feeds the hash of every run of WordShingle words; a text of
// fewer words is one shingle.
func shingleWords(n string, add func(uint64)) {
	var ring [WordShingle]uint64
	count := 0
	for w := range strings.SplitSeq(n, " ") {
		ring[count%WordShingle] = fnv64(w)
		count++
		if count >= WordShingle {
			add(combine(ring[:], count%WordShingle))
		}
	}
	if count > 0 && count < WordShingle {
		add(combine(ring[:count], 0))
	}
}

// shingleChars feeds the hash of every run of CharShingle non-space
// characters; spaces are dropped because these scripts do not use them
// between words and the odd Latin name must not break the n-grams.
func shingleChars(n string, add func(uint64)) {
	var ring [CharShingle]uint64
	count := 0
	for _, r := range n {
		if r == ' ' {
			continue
		}
		ring[count%CharShingle] = uint64(r)
		count++
		if count >= CharShingle {
			add(combine(ring[:], count%CharShingle))
		}
	}
	if count > 0 && count < CharShingle {
		add(combine(ring[:count], 0))
	}
}

// combine hashes the ring's values in order starting at start.
func combine(ring []uint64, start int) uint64 {
	h := uint64(fnvOffset)
	for i := range ring {
		h = (h ^ ring[(start+i)%len(ring)]) * fnvPrime
		h ^= h >> 29
	}
	return h
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// fnv64 is FNV-1a over the bytes of s.
func fnv64(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
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

// perm holds the fixed permutation parameters, derived from a constant seed so
// that signatures are stable across runs and builds.
var permA, permB = func() (a, b [NumPerm]uint64) {
	s := uint64(0x5354_4f52_594c_494e) // "STORYLIN"
	next := func() uint64 {
		s += 0x9e3779b97f4a7c15
		return mix64(s)
	}
	for i := range a {
		a[i] = next() | 1 // odd, so a·x is a bijection mod 2⁶⁴
		b[i] = next()
	}
	return a, b
}()

// unsegmented reports whether most letters of n belong to scripts written
// without spaces between words.
func unsegmented(n string) bool {
	var cjk, other int
	for _, r := range n {
		switch {
		case r == ' ':
		case r < 0x0e00: // below Thai: no unsegmented script
			other++
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana,
			unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar, unicode.Tibetan):
			cjk++
		default:
			other++
		}
	}
	// Latin names and numbers inside Chinese or Japanese text are a few
	// characters per sentence; a third is well past them.
	return cjk > 0 && cjk*2 >= other
}

// Similarity estimates the Jaccard similarity of the shingle sets behind two
// signatures: the fraction of positions where they agree. Signatures of
// different lengths (or empty ones) are not comparable and score 0.
func Similarity(a, b []uint64) float64 {
	if len(a) == 0 || len(a) != len(b) {
		return 0
	}
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / float64(len(a))
}

// Bands returns the LSH keys of a signature: one per band of BandRows values.
// The band index sits in the key's top bits, so keys of different bands never
// collide; the rest is a hash of the band's values. Two signatures that agree
// on a whole band share that band's key. A signature of the wrong length has
// no bands.
func Bands(sig []uint64) []uint64 {
	if len(sig) != NumPerm {
		return nil
	}
	keys := make([]uint64, NumBands)
	for band := range keys {
		h := uint64(fnvOffset)
		for _, v := range sig[band*BandRows : (band+1)*BandRows] {
			h = mix64(h ^ v)
		}
		keys[band] = uint64(band)<<bandShift | h>>(64-bandShift)
	}
	return keys
}

// bandShift leaves the top 6 bits (room for 64 bands) for the band index.
const bandShift = 58

package eval

import "hash/fnv"

// Half names one half of a dev set. Every dev set is cut in two by a
// fixed hash of an id: thresholds and rules are tuned on the tuning half,
// and test floors and reported numbers are gated on the checking half,
// which tuning never looked at.
type Half int

const (
	All      Half = iota // the whole set
	Tuning               // ids whose hash is even
	Checking             // ids whose hash is odd
)

func (h Half) String() string {
	switch h {
	case Tuning:
		return "tuning"
	case Checking:
		return "checking"
	}
	return "all"
}

// ParseHalf reads "all", "tuning" or "checking".
func ParseHalf(s string) (Half, bool) {
	switch s {
	case "", "all":
		return All, true
	case "tuning", "tune":
		return Tuning, true
	case "checking", "check":
		return Checking, true
	}
	return All, false
}

// HalfOf returns the half an id falls in (FNV-1a, 32 bits, low bit). The
// hash is fixed forever: changing it would let tuned rules meet the data
// they were tuned on.
//
// Cut clustering sets by their gold story id, not by article id, so that
// each half holds whole stories (a translation and its source together);
// cut pair sets by pair id and page sets by page id.
func HalfOf(id string) Half {
	h := fnv.New32a()
	h.Write([]byte(id))
	if h.Sum32()&1 == 0 {
		return Tuning
	}
	return Checking
}

// In reports whether id belongs to half h (every id belongs to All).
func (h Half) In(id string) bool { return h == All || HalfOf(id) == h }

package langid

import "math/bits"

// table is an open-addressing hash table from packed n-grams to offsets,
// built once and then only read. It replaces a Go map because a lookup is
// most of scoring's time: one probe into one array of key-value pairs,
// half empty, is about one cache miss, where the map's groups cost two or
// three.
type table struct {
	slots []slot
	shift uint8 // 64 - log2(len(slots))
	mask  uint64
}

type slot struct {
	key uint64 // 0 is empty: every n-gram has a letter
	val uint32
}

func newTable(n int) table {
	size := 8
	for size < 2*n {
		size <<= 1
	}
	return table{slots: make([]slot, size), shift: uint8(64 - bits.TrailingZeros(uint(size))), mask: uint64(size - 1)}
}

// home is where a key's probe starts: Fibonacci hashing spreads the
// packed runes' high bits over the table.
func (t *table) home(k uint64) uint64 { return (k * 0x9E3779B97F4A7C15) >> t.shift }

func (t *table) put(k uint64, v uint32) {
	for i := t.home(k); ; i = (i + 1) & t.mask {
		if s := &t.slots[i]; s.key == 0 || s.key == k {
			s.key, s.val = k, v
			return
		}
	}
}

func (t *table) get(k uint64) (uint32, bool) {
	for i := t.home(k); ; i = (i + 1) & t.mask {
		switch s := t.slots[i]; s.key {
		case k:
			return s.val, true
		case 0:
			return 0, false
		}
	}
}

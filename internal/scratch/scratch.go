// Package scratch reuses the slices and maps a stage fills for each
// article and drops when done with it (tokens, words, term counts). Over
// the generated stream such scratch was a third of the bytes the pipeline
// allocated, and every allocated byte brings the collector's next cycle
// nearer: with a full story window live, each cycle marks half a
// gigabyte.
package scratch

import "sync"

// defaultMax is the largest slice, or map by entries, kept when Max is
// zero: a huge page's scratch is not worth keeping, since a slice or map
// keeps the room of its largest use.
const defaultMax = 1 << 16

// Slices holds slices of T. Its zero value is ready for use.
type Slices[T any] struct {
	p sync.Pool
	// Max bounds the capacity of a slice put back; zero means defaultMax.
	Max int
}

// Get returns an empty slice, with room from an earlier use when there is
// one.
func (p *Slices[T]) Get() *[]T {
	if s, ok := p.p.Get().(*[]T); ok {
		return s
	}
	return new([]T)
}

// Put empties s and keeps it for a later Get. What s held is cleared, so
// the pool keeps no article's text alive. s must not be used after.
func (p *Slices[T]) Put(s *[]T) {
	if cap(*s) > orDefault(p.Max) {
		return
	}
	clear(*s)
	*s = (*s)[:0]
	p.p.Put(s)
}

// Maps holds maps from K to V. Its zero value is ready for use.
type Maps[K comparable, V any] struct {
	p sync.Pool
	// Max bounds the entries of a map put back; zero means defaultMax.
	Max int
}

// Get returns an empty map, with room from an earlier use when there is
// one.
func (p *Maps[K, V]) Get() map[K]V {
	if m, ok := p.p.Get().(map[K]V); ok {
		return m
	}
	return map[K]V{}
}

// Put empties m and keeps it for a later Get. m must not be used after.
func (p *Maps[K, V]) Put(m map[K]V) {
	if len(m) > orDefault(p.Max) {
		return
	}
	clear(m)
	p.p.Put(m)
}

// orDefault is max, or defaultMax when max is zero.
func orDefault(max int) int {
	if max == 0 {
		return defaultMax
	}
	return max
}

// Package slicepool reuses the scratch slices a stage fills for each
// article and drops when done with it (tokens, words). Over the generated
// stream such slices were a fifth of the bytes the pipeline allocated,
// and every allocated byte brings the collector's next cycle nearer:
// with a full story window live, each cycle marks half a gigabyte.
package slicepool

import "sync"

// Pool holds slices of T. Its zero value is ready for use.
type Pool[T any] struct {
	p sync.Pool
	// Max bounds the capacity of a slice put back: a huge page's scratch
	// is not worth keeping. Zero means 1<<16 elements.
	Max int
}

// Get returns an empty slice, with room from an earlier use when there is
// one.
func (p *Pool[T]) Get() *[]T {
	if s, ok := p.p.Get().(*[]T); ok {
		return s
	}
	return new([]T)
}

// Put empties s and keeps it for a later Get. What s held is cleared, so
// the pool keeps no article's text alive. s must not be used after.
func (p *Pool[T]) Put(s *[]T) {
	max := p.Max
	if max == 0 {
		max = 1 << 16
	}
	if cap(*s) > max {
		return
	}
	clear(*s)
	*s = (*s)[:0]
	p.p.Put(s)
}

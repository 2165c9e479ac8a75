package slicepool

import "testing"

func TestPool(t *testing.T) {
	var p Pool[string]
	s := p.Get()
	if len(*s) != 0 {
		t.Fatalf("new slice has %d elements", len(*s))
	}
	*s = append(*s, "kept alive?", "no")
	backing := (*s)[:2]
	p.Put(s)
	if len(*s) != 0 {
		t.Errorf("Put left %d elements", len(*s))
	}
	// Put clears what the slice held, so that the pool keeps no text alive.
	if backing[0] != "" || backing[1] != "" {
		t.Errorf("Put kept %q", backing)
	}

	big := Pool[int]{Max: 4}
	b := big.Get()
	*b = make([]int, 0, 8)
	big.Put(b)
	if g := big.Get(); cap(*g) == 8 {
		t.Error("a slice over Max was kept")
	}
}

func BenchmarkGetPut(b *testing.B) {
	var p Pool[int]
	b.ReportAllocs()
	for b.Loop() {
		s := p.Get()
		*s = append(*s, 1, 2, 3)
		p.Put(s)
	}
}

package scratch

import "testing"

func TestSlices(t *testing.T) {
	var p Slices[string]
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

	big := Slices[int]{Max: 4}
	b := big.Get()
	*b = make([]int, 0, 8)
	big.Put(b)
	if g := big.Get(); cap(*g) == 8 {
		t.Error("a slice over Max was kept")
	}
}

func TestMaps(t *testing.T) {
	var p Maps[string, int]
	m := p.Get()
	m["a"] = 1
	p.Put(m)
	if len(m) != 0 {
		t.Errorf("Put left %d entries", len(m))
	}
	if g := p.Get(); len(g) != 0 {
		t.Errorf("Get returned %d entries", len(g))
	}

	big := Maps[int, int]{Max: 2}
	b := big.Get()
	for i := range 3 {
		b[i] = i
	}
	big.Put(b)
	if len(b) != 3 {
		t.Error("a map over Max was emptied and kept")
	}
}

func BenchmarkSlices(b *testing.B) {
	var p Slices[int]
	b.ReportAllocs()
	for b.Loop() {
		s := p.Get()
		*s = append(*s, 1, 2, 3)
		p.Put(s)
	}
}

package story

import "testing"

func TestStoryYearConflict(t *testing.T) {
	// mk builds a story whose members mention the given years.
	mk := func(members ...[]string) *story {
		s := &story{years: make(map[string]int)}
		for _, ys := range members {
			s.members = append(s.members, &member{years: ys})
			for _, y := range ys {
				s.years[y]++
			}
		}
		return s
	}
	for _, c := range []struct {
		name string
		s, o *story
		want bool
	}{
		{"disjoint common years", mk([]string{"#2008"}, []string{"#2008"}), mk([]string{"#2013"}, nil), true},
		{"shared year", mk([]string{"#2008", "#2013"}, []string{"#2008"}), mk([]string{"#2013"}), false},
		{"one side undated", mk(nil, nil), mk([]string{"#2013"}), false},
		{"rare year is not common", mk([]string{"#2008"}, nil, nil, nil, nil), mk([]string{"#2013"}), false},
		{"empty stories", mk(), mk(), false},
	} {
		if got := storyYearConflict(c.s, c.o); got != c.want {
			t.Errorf("%s: storyYearConflict = %v, want %v", c.name, got, c.want)
		}
		if got := storyYearConflict(c.o, c.s); got != c.want {
			t.Errorf("%s (swapped): storyYearConflict = %v, want %v", c.name, got, c.want)
		}
	}
}

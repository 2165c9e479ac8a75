package story

import (
	"math"
	"testing"
	"time"
)

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

// TestMaintainAbsorb builds stories from hand-made unit vectors over three
// terms, so that every average-link similarity is known exactly.
func TestMaintainAbsorb(t *testing.T) {
	day := time.Date(2025, 4, 10, 0, 0, 0, 0, time.UTC)
	type st struct {
		id   int64
		n    int       // members, all with vector v
		v    vec       // must be unit length
		last time.Time // publication time of every member
	}
	one := func(k termKey) vec { return vec{{k, 1}} }
	// near returns a unit vector with weights x on term 0 and y on term 1
	// (its similarities to one(0) and one(1)), the rest on term 2. They
	// stay below Threshold and MergeThreshold, so that only absorption
	// can join the stories.
	near := func(x, y float64) vec {
		return vec{{0, float32(x)}, {1, float32(y)}, {2, float32(math.Sqrt(1 - x*x - y*y))}}
	}
	for _, c := range []struct {
		name    string
		cfg     Config
		now     time.Time
		stories []st
		want    int64 // story absorbing 9; 0: none
	}{
		{"clear best host", Config{}, time.Time{},
			[]st{{1, 4, one(0), time.Time{}}, {2, 4, one(1), time.Time{}}, {9, 1, near(0.15, 0.25), time.Time{}}}, 2},
		{"two hosts alike", Config{}, time.Time{},
			[]st{{1, 4, one(0), time.Time{}}, {2, 4, one(1), time.Time{}}, {9, 1, near(0.2, 0.2), time.Time{}}}, 0},
		{"too far", Config{}, time.Time{},
			[]st{{1, 4, one(0), time.Time{}}, {9, 2, near(0.1, 0), time.Time{}}}, 0},
		{"too big to absorb", Config{}, time.Time{},
			[]st{{1, 5, one(0), time.Time{}}, {9, 4, near(0.2, 0), time.Time{}}}, 0},
		{"young small story", Config{}, day.Add(6 * time.Hour),
			[]st{{1, 4, one(0), day.Add(6 * time.Hour)}, {9, 1, near(0.2, 0), day}}, 0},
		{"small story stopped growing", Config{}, day.Add(13 * time.Hour),
			[]st{{1, 4, one(0), day.Add(13 * time.Hour)}, {9, 1, near(0.2, 0), day}}, 1},
		{"small hosts do not count", Config{}, time.Time{},
			[]st{{1, 4, one(0), time.Time{}}, {2, 2, one(1), time.Time{}}, {9, 1, near(0.15, 0.25), time.Time{}}}, 1},
		{"two small stories", Config{}, time.Time{},
			[]st{{1, 3, one(0), time.Time{}}, {9, 1, near(0.25, 0), time.Time{}}}, 0},
		{"disabled", Config{AbsorbSize: -1}, time.Time{},
			[]st{{1, 4, one(0), time.Time{}}, {9, 1, near(0.2, 0), time.Time{}}}, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := New(c.cfg, nil)
			a.now = c.now
			id := int64(0)
			for _, s := range c.stories {
				story := a.open(s.id, s.last)
				for i := 0; i < s.n; i++ {
					id++
					a.seq++
					a.add(story, &member{id: id, t: s.last, seq: a.seq, vec: s.v})
				}
			}
			var got int64
			for _, ev := range a.Maintain(time.Time{}) {
				t.Logf("%+v", ev)
				switch {
				case ev.Kind == "merge" && ev.Other == 9:
					got = ev.Story
				case ev.Kind == "merge" && ev.Story == 9:
					t.Errorf("small story 9 kept its ID over story %d", ev.Other)
				}
			}
			if got != c.want {
				t.Errorf("story 9 absorbed by %d, want %d", got, c.want)
			}
		})
	}
}

// TestAbsorbOneLanguage checks that only a small story in one language is
// absorbed: one whose articles are in two languages was found across
// languages and is left to the merge step.
func TestAbsorbOneLanguage(t *testing.T) {
	for _, c := range []struct {
		langs  []string
		absorb bool
	}{
		{[]string{"en", "en"}, true},
		{[]string{"en", "hr"}, false},
	} {
		a := New(Config{}, nil)
		host := a.open(1, time.Time{})
		for i := int64(1); i <= 4; i++ {
			a.seq++
			a.add(host, &member{id: i, lang: "en", seq: a.seq, vec: vec{{0, 1}}})
		}
		// Cosine 0.2 to the host: over AbsorbThreshold, under Threshold
		// and MergeThreshold.
		small := a.open(9, time.Time{})
		for i, l := range c.langs {
			a.seq++
			a.add(small, &member{id: int64(5 + i), lang: l, seq: a.seq, vec: vec{{0, 0.2}, {1, float32(math.Sqrt(1 - 0.04))}}})
		}
		evs := a.Maintain(time.Time{})
		if got := len(evs) == 1 && evs[0].Kind == "merge" && evs[0].Story == 1; got != c.absorb {
			t.Errorf("small story in %v: events %+v, want absorbed %v", c.langs, evs, c.absorb)
		}
	}
}

// TestMaintainAbsorbLater checks that a small story too young to be
// absorbed at one pass is absorbed at a later one, though nothing was
// added to it in between.
func TestMaintainAbsorbLater(t *testing.T) {
	day := time.Date(2025, 4, 10, 0, 0, 0, 0, time.UTC)
	a := New(Config{}, nil)
	host := a.open(1, day)
	for i := int64(1); i <= 4; i++ {
		a.seq++
		a.add(host, &member{id: i, t: day, seq: a.seq, vec: vec{{0, 1}}})
	}
	small := a.open(9, day)
	a.seq++
	a.add(small, &member{id: 5, t: day, seq: a.seq, vec: vec{{0, 0.2}, {1, float32(math.Sqrt(1 - 0.04))}}})
	if evs := a.Maintain(day.Add(time.Hour)); len(evs) != 0 {
		t.Fatalf("young story absorbed: %+v", evs)
	}
	evs := a.Maintain(day.Add(13 * time.Hour))
	if len(evs) != 1 || evs[0].Kind != "merge" || evs[0].Story != 1 || evs[0].Other != 9 {
		t.Fatalf("events %+v, want story 9 absorbed by story 1", evs)
	}
}

// TestReassignByMargin checks that Maintain compares a move by the margin
// of each score over the threshold that applies to it: an article held by
// its translation on the cross-language score (threshold CrossThreshold)
// stays there rather than go to a story in its own language whose full
// score is higher but lower over Threshold. Vectors are hand-made so that
// every score is known.
func TestReassignByMargin(t *testing.T) {
	unit := func(es ...ent) vec {
		v := vec(es)
		v.normalize()
		return v
	}
	anchor := unit(ent{10, 0.6}, ent{11, 0.8})
	for _, c := range []struct {
		name string
		fit  float64 // cosine of the article to the same-language story
		move bool
	}{
		// Own story: cross score 0.36 (anchors without the top term),
		// margin 0.24 over CrossThreshold 0.12.
		{"topic story, lower margin", 0.45, false}, // margin 0.14
		{"clearly better", 0.75, true},             // margin 0.44
	} {
		t.Run(c.name, func(t *testing.T) {
			a := New(Config{AbsorbSize: -1}, nil)
			src := a.open(1, time.Time{})
			a.seq++
			a.add(src, &member{id: 1, lang: "en", seq: a.seq, vec: unit(ent{0, 1}), anchor: anchor})
			a.seq++
			tr := &member{id: 2, lang: "hr", seq: a.seq, vec: unit(ent{5, 1}), anchor: anchor}
			a.add(src, tr)
			other := a.open(2, time.Time{})
			for i := int64(3); i <= 6; i++ {
				a.seq++
				a.add(other, &member{id: i, lang: "hr", seq: a.seq,
					vec: unit(ent{5, float32(c.fit)}, ent{6, float32(math.Sqrt(1 - c.fit*c.fit))})})
			}
			moved := false
			for _, ev := range a.Maintain(time.Time{}) {
				t.Logf("%+v", ev)
				for _, id := range ev.Articles {
					if id == 2 {
						moved = true
					}
				}
			}
			if moved != c.move {
				t.Errorf("translation moved: %v, want %v", moved, c.move)
			}
		})
	}
}

// TestMaintainLeft counts the articles to the next pass down to 0 when it
// is due, and from MaintainEvery again after a pass.
func TestMaintainLeft(t *testing.T) {
	a := New(Config{MaintainEvery: 3}, nil)
	for _, c := range []struct {
		assigned, maintAt, want int64
	}{
		{0, 0, 3},
		{2, 0, 1},
		{3, 0, 0},
		{5, 0, 0}, // overdue
		{5, 5, 3},
	} {
		a.assigned, a.maintAt = c.assigned, c.maintAt
		if got := a.MaintainLeft(); got != c.want || (got == 0) != a.MaintainDue() {
			t.Errorf("Assigned %d, MaintAt %d: MaintainLeft %d (due %v), want %d", c.assigned, c.maintAt, got, a.MaintainDue(), c.want)
		}
	}
}

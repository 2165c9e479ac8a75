package story

import (
	"testing"
)

// TestWindowBoundsState streams three windows' worth of synthetic articles
// and checks that the state held (active stories, their articles, index
// terms) stays at one window's worth instead of growing with the history.
func TestWindowBoundsState(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 15k articles")
	}
	g := newGen(1)
	a := New(Config{}, nil)
	held := func() (members int) {
		for _, s := range a.stories {
			members += len(s.members)
		}
		return members
	}
	var first int
	for i := 0; i < 3*windowArticles; i++ {
		art := g.next()
		a.Assign(art)
		if (i+1)%1000 == 0 {
			a.Maintain(art.Published)
		}
		if i+1 == windowArticles {
			first = len(a.index)
		}
	}
	m := held()
	t.Logf("after %d articles: %d active stories holding %d articles, %d index terms (%d after one window)",
		3*windowArticles, a.Active(), m, len(a.index), first)
	if m > windowArticles*13/10 || len(a.owner) != m {
		t.Errorf("holding %d articles (%d owners), want about one window (%d)", m, len(a.owner), windowArticles)
	}
	if len(a.index) > first*3/2 {
		t.Errorf("index grew from %d to %d terms", first, len(a.index))
	}
}

package story

import (
	"slices"
	"testing"
	"time"
)

// twoEvents builds a story holding the test articles of two events, as a
// stream that merged them would: the quake's and the bridge's.
func twoEvents(t *testing.T) (*Assigner, []int64, []int64) {
	t.Helper()
	a := New(Config{}, nil)
	var quake, bridge []int64
	for _, ta := range loadArticles(t) {
		if ta.Lang != "en" {
			continue
		}
		place(a, ta.article(), 10)
		if ta.Event == "bridge" {
			bridge = append(bridge, ta.ID)
		} else {
			quake = append(quake, ta.ID)
		}
	}
	return a, quake, bridge
}

func TestSplitOffStaysApart(t *testing.T) {
	a, _, bridge := twoEvents(t)
	ev, err := a.SplitOff(10, bridge, 0)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Kind != "split" || ev.Story != 10 || !slices.Equal(ev.Articles, bridge) {
		t.Errorf("event %+v", ev)
	}
	// A person's split holds: Maintain does not merge the halves again,
	// nor does the settled view.
	for range 2 {
		for _, e := range a.Maintain(time.Time{}) {
			if e.Kind == "merge" && (e.Story == 10 && e.Other == ev.Other || e.Story == ev.Other && e.Other == 10) {
				t.Fatalf("Maintain merged a person's split: %+v", e)
			}
		}
	}
	st := a.Settle(nil)
	if st.Story[10] == st.Story[ev.Other] {
		t.Errorf("the settled view merged a person's split")
	}
	c := a.Constraints()
	if !slices.Contains(c.Apart, pair(10, ev.Other)) || !slices.Contains(c.Pinned, 10) {
		t.Errorf("constraints %+v", c)
	}
}

func TestMergeStoriesPins(t *testing.T) {
	a, quake, bridge := twoEvents(t)
	if _, err := a.SplitOff(10, bridge, 0); err != nil {
		t.Fatal(err)
	}
	other := a.owner[bridge[0]]
	ev, err := a.MergeStories(10, other)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Kind != "merge" || ev.Story != 10 || ev.Other != other {
		t.Errorf("event %+v", ev)
	}
	// Merged by a person, the story is pinned: Maintain does not split
	// the two events apart again, though it would unpinned.
	for _, e := range a.Maintain(time.Time{}) {
		if e.Kind == "split" && e.Story == 10 {
			t.Fatalf("Maintain split a story a person merged: %+v", e)
		}
	}
	for _, id := range append(quake, bridge...) {
		if a.owner[id] != 10 {
			t.Errorf("article %d in story %d", id, a.owner[id])
		}
	}
	if _, err := a.MergeStories(10, 999); err == nil {
		t.Error("merged a story that is not open")
	}
}

func TestMoveArticle(t *testing.T) {
	a, quake, bridge := twoEvents(t)
	if _, err := a.SplitOff(10, bridge, 0); err != nil {
		t.Fatal(err)
	}
	other := a.owner[bridge[0]]
	ev, err := a.MoveArticle(quake[0], other)
	if err != nil {
		t.Fatal(err)
	}
	if ev.Story != 10 || ev.Other != other || a.owner[quake[0]] != other {
		t.Errorf("event %+v, owner %d", ev, a.owner[quake[0]])
	}
	if _, err := a.MoveArticle(quake[0], other); err == nil {
		t.Error("moved an article to the story it is in")
	}
}

// TestConstraintsResume: the marks of corrections survive a restart.
func TestConstraintsResume(t *testing.T) {
	a, _, bridge := twoEvents(t)
	ev, err := a.SplitOff(10, bridge, 0)
	if err != nil {
		t.Fatal(err)
	}
	b := New(Config{}, nil)
	b.SetConstraints(a.Constraints())
	if !b.isApart(10, ev.Other) || !b.pinned[ev.Other] {
		t.Errorf("constraints lost: %+v", b.Constraints())
	}
}

package live

import (
	"testing"

	"github.com/storyline/storyline/internal/intel/digest"
	"github.com/storyline/storyline/internal/store"
)

func TestDigestCache(t *testing.T) {
	c := newDigestCache(2)
	s1 := store.Story{ID: 1, Articles: 3, Headline: "Quay shut"}
	d1, d2, d3 := new(digest.Digest), new(digest.Digest), new(digest.Digest)
	c.put(1, storySig(s1), d1)
	if c.get(1, storySig(s1)) != d1 {
		t.Fatal("a digest put is not got back")
	}
	grown := s1
	grown.Articles = 4
	if c.get(1, storySig(grown)) != nil {
		t.Error("a story that grew got its old digest")
	}
	if c.get(1, storySig(s1)) != nil {
		t.Error("a stale entry was kept after it was found stale")
	}
	c.put(1, 10, d1)
	c.put(2, 20, d2)
	c.get(1, 10) // 1 is now the most recently used
	c.put(3, 30, d3)
	if c.get(2, 20) != nil || c.get(1, 10) != d1 || c.get(3, 30) != d3 {
		t.Error("the least recently used entry was not the one dropped")
	}
	c.invalidate()
	if c.get(1, 10) != nil || c.get(3, 30) != nil {
		t.Error("entries survived a correction")
	}
}

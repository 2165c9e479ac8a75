package live

import (
	"container/list"
	"fmt"
	"hash/fnv"
	"sync"

	"github.com/storyline/storyline/internal/intel/digest"
	"github.com/storyline/storyline/internal/store"
)

// digestCache keeps the digests readers asked for, least recently used
// out first. Building one costs milliseconds to tens of them (its
// articles' analysis); reading a stored one, a JSON decode of up to a
// megabyte. A story page asks for one each time.
//
// An entry holds while its story's signature (what its row says: size,
// times, headline, languages, outlets) is the one it was built for, and
// while no person's correction came since: a settle that changes a story
// changes its row, and corrections can change names the row does not show.
type digestCache struct {
	mu   sync.Mutex
	max  int
	gen  uint64 // bumped by corrections
	ll   *list.List
	byID map[int64]*list.Element
}

type digestEntry struct {
	id  int64
	sig uint64
	gen uint64
	d   *digest.Digest
}

// digestsCached bounds the cache. A digest of a big story is up to a few
// hundred kilobytes in memory, of a small one a few; 1,000 of them cover
// the stories people read most for well under 100 MB (measured with
// BenchmarkServe's 100k-article store).
const digestsCached = 1000

func newDigestCache(n int) *digestCache {
	return &digestCache{max: n, ll: list.New(), byID: map[int64]*list.Element{}}
}

func storySig(s store.Story) uint64 {
	h := fnv.New64a()
	fmt.Fprintln(h, s.Articles, s.FirstSeen.UnixNano(), s.LastSeen.UnixNano(), s.Headline, s.Langs, s.Outlets, s.TopTerms)
	return h.Sum64()
}

func (c *digestCache) get(id int64, sig uint64) *digest.Digest {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byID[id]
	if !ok {
		return nil
	}
	e := el.Value.(*digestEntry)
	if e.sig != sig || e.gen != c.gen {
		c.ll.Remove(el)
		delete(c.byID, id)
		return nil
	}
	c.ll.MoveToFront(el)
	return e.d
}

func (c *digestCache) put(id int64, sig uint64, d *digest.Digest) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byID[id]; ok {
		c.ll.Remove(el)
	}
	c.byID[id] = c.ll.PushFront(&digestEntry{id: id, sig: sig, gen: c.gen, d: d})
	for c.ll.Len() > c.max {
		old := c.ll.Back()
		c.ll.Remove(old)
		delete(c.byID, old.Value.(*digestEntry).id)
	}
}

// invalidate drops every entry: a person's correction may have changed
// any story's names.
func (c *digestCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
}

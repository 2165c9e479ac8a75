package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/intel/entity/entitytest"
)

// registryHarness is a write transaction under the entity.Registry
// conformance suite.
type registryHarness struct {
	*sqliteTx
	t *testing.T
	n int
}

// Mention stores an article of the stream story with a mention of the
// entity.
func (h *registryHarness) Mention(story, id int64) {
	ctx := context.Background()
	h.n++
	a := &article.Article{Title: fmt.Sprint("a", h.n), ContentHash: fmt.Sprint("h", h.n)}
	if err := h.InsertArticle(ctx, a); err != nil {
		h.t.Fatal(err)
	}
	if err := h.Place(ctx, a.ID, Placement{Stream: story}); err != nil {
		h.t.Fatal(err)
	}
	if err := h.PutIntel(ctx, a.ID, Intel{Mentions: []Mention{{Field: 1, Start: 0, End: 4, Text: "name", Type: "person", Entity: id}}}); err != nil {
		h.t.Fatal(err)
	}
}

// Separate records that a person split a and b apart.
func (h *registryHarness) Separate(a, b int64) {
	if _, err := h.tx.ExecContext(context.Background(), "INSERT OR IGNORE INTO entity_split (a, b) VALUES (?, ?)", min(a, b), max(a, b)); err != nil {
		h.t.Fatal(err)
	}
}

func TestRegistryConforms(t *testing.T) {
	entitytest.Run(t, func(t *testing.T) entitytest.Harness {
		s, _ := openTest(t)
		tx, err := s.Begin(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { tx.Rollback() })
		return &registryHarness{sqliteTx: tx.(*sqliteTx), t: t}
	})
}

// TestSplitVariant: a person's split moves the spelling and its mentions to
// a new entity, and marks the two as separated.
func TestSplitVariant(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	var a, b int64
	batch(t, s, func(tx Tx) {
		st := tx.(*sqliteTx)
		e := entity.Entity{Canonical: "Jordan", Type: entity.Person}
		if err := st.PutEntity(ctx, &e); err != nil {
			t.Fatal(err)
		}
		a = e.ID
		for _, v := range []string{"Michael Jordan", "Jordan"} {
			if err := st.PutVariant(ctx, entity.Variant{Entity: a, Text: v, Norm: entity.Norm(v), Mentions: 2}); err != nil {
				t.Fatal(err)
			}
		}
		art := &article.Article{Title: "x"}
		if err := st.InsertArticle(ctx, art); err != nil {
			t.Fatal(err)
		}
		if err := st.PutIntel(ctx, art.ID, Intel{Mentions: []Mention{{Field: 1, Start: 0, End: 6, Text: "Jordan", Type: "place", Entity: a}}}); err != nil {
			t.Fatal(err)
		}
		var err error
		if b, err = st.SplitVariant(ctx, a, "jordan"); err != nil {
			t.Fatal(err)
		}
		if sep, err := st.Separated(ctx, b, a); err != nil || !sep {
			t.Errorf("Separated after split = %v, %v", sep, err)
		}
	})
	_, vs, _, err := s.EntityInfo(ctx, a)
	if err != nil || len(vs) != 1 || vs[0].Text != "Michael Jordan" {
		t.Errorf("the old entity keeps %+v, %v", vs, err)
	}
	e, vs, _, err := s.EntityInfo(ctx, b)
	if err != nil || e.Canonical != "Jordan" || len(vs) != 1 {
		t.Errorf("the new entity: %+v %+v %v", e, vs, err)
	}
	in, err := s.Intel(ctx, 1)
	if err != nil || len(in.Mentions) != 1 || in.Mentions[0].Entity != b {
		t.Errorf("the mention moved: %+v %v", in, err)
	}
}

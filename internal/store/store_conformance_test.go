package store_test

import (
	"context"
	"testing"

	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/store/storetest"
)

// TestConformance runs the Store/Tx conformance suite on SQLite.
func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Backend{
		Open: func(t *testing.T) store.Store {
			s, err := store.Open(context.Background(), t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		},
		Separate: store.Separate,
	})
}

// TestBrowseConformance runs the listings' suite on SQLite.
func TestBrowseConformance(t *testing.T) {
	storetest.RunBrowse(t, func(t *testing.T) storetest.Browser {
		s, err := store.Open(context.Background(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestSearchConformance runs the search suite on SQLite.
func TestSearchConformance(t *testing.T) {
	storetest.RunSearch(t, func(t *testing.T) storetest.Searcher {
		s, err := store.Open(context.Background(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}

// TestCopyConformance runs the copy suite from SQLite to SQLite.
func TestCopyConformance(t *testing.T) {
	open := func(t *testing.T) store.Backend {
		s, err := store.Open(context.Background(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	storetest.RunCopy(t, open, open)
}

package postgres

import (
	"context"
	"testing"

	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/store/storetest"
)

func openSQLite(t *testing.T) store.Backend {
	s, err := store.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func openBackend(t *testing.T) store.Backend { return openTest(t) }

// TestCopyConformance runs the copy suite from SQLite to PostgreSQL, back,
// and from one PostgreSQL schema to another.
func TestCopyConformance(t *testing.T) {
	needDB(t)
	t.Run("FromSQLite", func(t *testing.T) { storetest.RunCopy(t, openSQLite, openBackend) })
	t.Run("ToSQLite", func(t *testing.T) { storetest.RunCopy(t, openBackend, openSQLite) })
	t.Run("Between", func(t *testing.T) { storetest.RunCopy(t, openBackend, openBackend) })
}

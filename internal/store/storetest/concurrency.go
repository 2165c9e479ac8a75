package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/store"
)

// readerWait bounds how long a read may take while a write is open: a
// reader that waits for the writer waits until Commit, which these tests
// hold off for longer.
const readerWait = 5 * time.Second

// testReadersDuringWrite: with a write transaction open, readers (many at
// once) neither wait for it nor see its rows.
func testReadersDuringWrite(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	committed := &article.Article{Title: "committed", ContentHash: "c"}
	batch(t, s, func(tx store.Tx) { insert(t, tx, committed) })

	tx := begin(t, s)
	pending := &article.Article{Title: "pending", ContentHash: "p"}
	insert(t, tx, pending)
	putStory(t, tx, &store.Story{Headline: "pending"})
	if err := tx.SetMeta(ctx, "k", []byte("pending")); err != nil {
		t.Fatal(err)
	}
	// The writer reads its own rows.
	if id, found, err := tx.ArticleByHash(ctx, "p"); !found || id != pending.ID || err != nil {
		t.Errorf("the writer does not see its own article: %d %v %v", id, found, err)
	}

	const readers = 8
	errs := make(chan error, readers)
	var wg sync.WaitGroup
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- readCommitted(ctx, s, r, committed.ID, pending.ID)
		}()
	}
	within(t, readerWait, "readers during a write", wg.Wait)
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if n, m, _ := s.Counts(ctx); n != 2 || m != 1 {
		t.Errorf("after the commit: %d articles, %d stories; want 2, 1", n, m)
	}
	if v, _ := s.Meta(ctx, "k"); string(v) != "pending" {
		t.Errorf("after the commit: meta %q", v)
	}
}

// readCommitted reads what a reader sees during the write, several times.
func readCommitted(ctx context.Context, s store.Store, r int, committed, pending int64) error {
	for i := range 10 {
		n, m, err := s.Counts(ctx)
		if err != nil {
			return err
		}
		if n != 1 || m != 0 {
			return fmt.Errorf("reader %d sees %d articles and %d stories during the write, want 1 and 0", r, n, m)
		}
		if _, err := s.Article(ctx, pending); !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("reader %d reads the pending article: %v", r, err)
		}
		if a, err := s.Article(ctx, committed); err != nil || a.Title != "committed" {
			return fmt.Errorf("reader %d: committed article: %v", r, err)
		}
		if v, err := s.Meta(ctx, "k"); v != nil || err != nil {
			return fmt.Errorf("reader %d reads pending meta %q, %v", r, v, err)
		}
		if sts, err := s.Stories(ctx); sts != nil || err != nil {
			return fmt.Errorf("reader %d reads pending stories %v, %v", r, sts, err)
		}
		if i == 0 {
			var seen []int64
			err := s.Articles(ctx, func(a *article.Article) error { seen = append(seen, a.ID); return nil })
			if err != nil || len(seen) != 1 {
				return fmt.Errorf("reader %d walks %v, %v", r, seen, err)
			}
		}
	}
	return nil
}

// testOneWriter: a second Begin waits for the first transaction to end,
// then sees what it committed.
func testOneWriter(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	first := begin(t, s)
	insert(t, first, &article.Article{Title: "first", ContentHash: "w1"})
	type began struct {
		tx  store.Tx
		err error
	}
	second := make(chan began, 1)
	go func() {
		tx, err := s.Begin(ctx)
		second <- began{tx, err}
	}()
	select {
	case got := <-second:
		if got.tx != nil {
			got.tx.Rollback()
		}
		t.Fatal("a second transaction began while the first was open")
	case <-time.After(300 * time.Millisecond):
	}
	// Reads go on meanwhile.
	within(t, readerWait, "a read while a Begin waits", func() { s.Counts(ctx) })
	if err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	var got began
	select {
	case got = <-second:
	case <-time.After(10 * time.Second):
		t.Fatal("the second Begin still waits after the first committed")
	}
	if got.err != nil {
		t.Fatal(got.err)
	}
	tx := got.tx
	defer tx.Rollback()
	if _, found, err := tx.ArticleByHash(ctx, "w1"); !found || err != nil {
		t.Errorf("the second transaction does not see the first's article: %v %v", found, err)
	}
	if err := tx.InsertArticle(ctx, &article.Article{ContentHash: "w1"}); !errors.Is(err, store.ErrDuplicateHash) {
		t.Errorf("the first's hash again: %v, want ErrDuplicateHash", err)
	}
	insert(t, tx, &article.Article{Title: "second"})
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	// A Begin given up waiting returns its context's error, and the
	// store goes on.
	third := begin(t, s)
	cctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	var err error
	within(t, readerWait, "a Begin whose context ends", func() {
		var tx store.Tx
		if tx, err = s.Begin(cctx); err == nil {
			tx.Rollback()
		}
	})
	if err == nil {
		t.Error("a Begin whose context ended while another transaction was open succeeded")
	}
	if err := third.Rollback(); err != nil {
		t.Fatal(err)
	}
	batch(t, s, func(tx store.Tx) { insert(t, tx, &article.Article{Title: "third"}) })
	if n, _, _ := s.Counts(ctx); n != 3 {
		t.Errorf("%d articles, want 3", n)
	}
}

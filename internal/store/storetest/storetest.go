// Package storetest is the conformance suite of store.Store and store.Tx:
// what every implementation (SQLite, PostgreSQL) must do, written once and
// run against each. The suite, not an implementation, defines the contract
// where the interface's comments leave a detail open.
//
// It imports "testing" and is imported by tests only; the binary does not
// link it.
package storetest

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/store"
)

// Backend is a store implementation under test.
type Backend struct {
	// Open returns a new, empty store open for writing, and closes it when
	// t ends. Every subtest opens its own.
	Open func(t *testing.T) store.Store
	// Separate records, in tx, that a person split entities a and b apart.
	// The contract does that only through SplitVariant, which makes a new
	// entity; the entity.Registry suite needs two given entities
	// separated.
	Separate func(ctx context.Context, tx store.Tx, a, b int64) error
}

// Run runs the suite against b.
func Run(t *testing.T, b Backend) {
	if b.Open == nil || b.Separate == nil {
		t.Fatal("storetest: Backend needs Open and Separate")
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.fn(t, b) })
	}
}

// cases are the suite's tests, in the order they run.
var cases = []struct {
	name string
	fn   func(t *testing.T, b Backend)
}{
	{"EmptyStore", testEmptyStore},
	{"ArticleRoundTrip", testArticleRoundTrip},
	{"InsertRejects", testInsertRejects},
	{"ArticleByHash", testArticleByHash},
	{"FailedBatchesKeepEarlier", testFailedBatchesKeepEarlier},
	{"TxEnds", testTxEnds},
	{"NearDuplicates", testNearDuplicates},
	{"NearDuplicatesBounded", testNearDuplicatesBounded},
	{"StoriesAndEvents", testStoriesAndEvents},
	{"StoryConventions", testStoryConventions},
	{"MoveStream", testMoveStream},
	{"DeleteStoryWithArticlesFails", testDeleteStoryWithArticlesFails},
	{"EvictedStory", testEvictedStory},
	{"StoryArticles", testStoryArticles},
	{"Validators", testValidators},
	{"Replay", testReplay},
	{"MetaAndParts", testMetaAndParts},
	{"Digest", testDigest},
	{"Corrections", testCorrections},
	{"Intel", testIntel},
	{"Registry", testRegistry},
	{"SplitVariant", testSplitVariant},
	{"EntityInfo", testEntityInfo},
	{"UnmergeEntity", testUnmergeEntity},
	{"StoryVariants", testStoryVariants},
	{"ReadersDuringWrite", testReadersDuringWrite},
	{"OneWriter", testOneWriter},
}

// batch runs fn in one transaction and commits it.
func batch(t testing.TB, s store.Store, fn func(tx store.Tx)) {
	t.Helper()
	tx, err := s.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	fn(tx)
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// begin starts a transaction that t's end rolls back.
func begin(t testing.TB, s store.Store) store.Tx {
	t.Helper()
	tx, err := s.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tx.Rollback() })
	return tx
}

func insert(t testing.TB, tx store.Tx, a *article.Article) {
	t.Helper()
	if err := tx.InsertArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
}

func putStory(t testing.TB, tx store.Tx, st *store.Story) {
	t.Helper()
	if err := tx.PutStory(context.Background(), st); err != nil {
		t.Fatal(err)
	}
}

func place(t testing.TB, tx store.Tx, id int64, p store.Placement) {
	t.Helper()
	if err := tx.Place(context.Background(), id, p); err != nil {
		t.Fatal(err)
	}
}

func collect(t testing.TB, walk func(context.Context, func(*article.Article) error) error) []*article.Article {
	t.Helper()
	var out []*article.Article
	if err := walk(context.Background(), func(a *article.Article) error {
		out = append(out, a)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func ids(as []*article.Article) []int64 {
	var out []int64
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

// CleanText is what a store that cannot keep them makes of text that is not
// valid UTF-8 or holds NUL: each run of invalid bytes, and each NUL,
// becomes U+FFFD. A store keeps text exactly, or as CleanText makes it.
func CleanText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// sameText reports whether a store gave back want.
func sameText(got, want string) bool { return got == want || got == CleanText(want) }

// sameArticle compares every field, times by instant and text as sameText.
func sameArticle(t *testing.T, got, want *article.Article) {
	t.Helper()
	g, w := *got, *want
	if !g.Published.Equal(w.Published) || !g.Fetched.Equal(w.Fetched) {
		t.Errorf("article %d times: got %v/%v, want %v/%v", w.ID, g.Published, g.Fetched, w.Published, w.Fetched)
	}
	g.Published, g.Fetched, w.Published, w.Fetched = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if len(w.MinHash) == 0 {
		w.MinHash = nil
	}
	for _, f := range []struct{ g, w *string }{{&g.ExternalID, &w.ExternalID}, {&g.Input, &w.Input}, {&g.URL, &w.URL},
		{&g.Source, &w.Source}, {&g.Lang, &w.Lang}, {&g.Title, &w.Title}, {&g.Text, &w.Text}, {&g.Author, &w.Author},
		{&g.Dateline, &w.Dateline}, {&g.ContentHash, &w.ContentHash}} {
		if sameText(*f.g, *f.w) {
			*f.g = *f.w
		}
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("article %d round trip:\n got %+v\nwant %+v", w.ID, g, w)
	}
}

// utc reports, for times that are not zero, whether they are in UTC.
func utc(ts ...time.Time) bool {
	for _, t := range ts {
		if !t.IsZero() && t.Location() != time.UTC {
			return false
		}
	}
	return true
}

// within runs fn and fails t if it has not returned after d: a reader
// that waits for the writer.
func within(t *testing.T, d time.Duration, what string, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("%s: still waiting after %v", what, d)
	}
}

var errStop = errors.New("stop")

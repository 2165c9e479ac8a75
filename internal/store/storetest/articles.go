package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/dedup"
	"github.com/storyline/storyline/internal/store"
)

// testEmptyStore: every read of an empty store succeeds with nothing: nil
// lists, zero counts, ErrNotFound for IDs.
func testEmptyStore(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	if n, m, err := s.Counts(ctx); n != 0 || m != 0 || err != nil {
		t.Errorf("Counts = %d, %d, %v", n, m, err)
	}
	if id, err := s.MaxStoryID(ctx); id != 0 || err != nil {
		t.Errorf("MaxStoryID = %d, %v", id, err)
	}
	if v, err := s.Stories(ctx); v != nil || err != nil {
		t.Errorf("Stories = %v, %v; want nil", v, err)
	}
	if v, err := s.StreamStories(ctx); v != nil || err != nil {
		t.Errorf("StreamStories = %v, %v; want nil", v, err)
	}
	if v, err := s.Evicted(ctx); v != nil || err != nil {
		t.Errorf("Evicted = %v, %v; want nil", v, err)
	}
	if v, err := s.StoryEvents(ctx, 1); v != nil || err != nil {
		t.Errorf("StoryEvents = %v, %v; want nil", v, err)
	}
	if v, err := s.Parts(ctx); len(v) != 0 || err != nil {
		t.Errorf("Parts = %v, %v; want none", v, err)
	}
	if v, err := s.Meta(ctx, "k"); v != nil || err != nil {
		t.Errorf("Meta = %q, %v; want nil", v, err)
	}
	if v, err := s.Digest(ctx, 1); v != nil || err != nil {
		t.Errorf("Digest = %q, %v; want nil", v, err)
	}
	if e, l, err := s.Validators(ctx, "https://example.org/"); e != "" || l != "" || err != nil {
		t.Errorf("Validators = %q, %q, %v", e, l, err)
	}
	if in, err := s.Intel(ctx, 1); !reflect.DeepEqual(in, store.Intel{}) || err != nil {
		t.Errorf("Intel = %+v, %v; want nothing", in, err)
	}
	if v, err := s.EntitiesNamed(ctx, "Mark Rutte"); v != nil || err != nil {
		t.Errorf("EntitiesNamed = %v, %v; want nil", v, err)
	}
	if _, err := s.Article(ctx, 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Article: %v, want ErrNotFound", err)
	}
	if _, err := s.Story(ctx, 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Story: %v, want ErrNotFound", err)
	}
	if _, err := s.Entity(ctx, 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Entity: %v, want ErrNotFound", err)
	}
	if _, _, _, err := s.EntityInfo(ctx, 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("EntityInfo: %v, want ErrNotFound", err)
	}
	for name, walk := range map[string]func(context.Context, func(*article.Article) error) error{
		"Articles": s.Articles,
		"StoryArticles": func(ctx context.Context, fn func(*article.Article) error) error {
			return s.StoryArticles(ctx, 1, fn)
		},
		"Replay": func(ctx context.Context, fn func(*article.Article) error) error {
			return s.Replay(ctx, 0, func(a *article.Article, _ store.Placement) error { return fn(a) })
		},
	} {
		if got := collect(t, walk); got != nil {
			t.Errorf("%s of an empty store: %v", name, got)
		}
	}
}

// testArticleRoundTrip: every field comes back as written: times by
// instant in UTC, zero IDs and times as zero, an explicit ID kept, text
// exactly (or as CleanText makes it).
func testArticleRoundTrip(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	tokyo := time.FixedZone("JST", 9*3600)
	sig := dedup.Signature("NATO chief Rutte visits Tokyo for talks with Ishiba")
	st := &store.Story{Headline: "Rutte in Tokyo"}
	main := &article.Article{
		ExternalID: "ecb-1_2", Input: "seeds/001.txt#3", URL: "https://example.org/a?b=1&c=ü",
		Source: "Kyodo", Lang: "en", Title: "Rutte in Tokyo", Text: "TOKYO (Kyodo) -- NATO chief\nRutte…",
		Author: "Staff", Dateline: "TOKYO",
		Published:   time.Date(2025, 4, 9, 10, 30, 15, 123456789, tokyo),
		Fetched:     time.Date(2025, 4, 9, 2, 0, 0, 0, time.UTC),
		ContentHash: dedup.Hash("TOKYO (Kyodo) -- NATO chief Rutte"), MinHash: sig,
	}
	tests := []struct {
		name string
		a    *article.Article
		link func(a *article.Article) // fills references once main is stored
	}{
		{"every field", main, func(a *article.Article) { a.Story = st.ID }},
		{"zero values", &article.Article{}, nil},
		{"related of main", &article.Article{Title: "Rice prices", Text: "Rice prices rose.", Related: true, Lang: "en"},
			func(a *article.Article) { a.RelatedOf = main.ID }},
		{"duplicate of main", &article.Article{Text: "copy", ContentHash: main.ContentHash, MinHash: sig, Lang: "ar",
			Title: "روته في طوكيو"}, func(a *article.Article) { a.DuplicateOf = main.ID; a.Story = st.ID }},
		{"hostile text", &article.Article{Title: "\x00nul", Text: "a\x00b\xff\xfe 😀 '\"\\%_", URL: "'; DROP TABLE article; --",
			Source: "$1 ?1 :x"}, nil},
		{"explicit id", &article.Article{ID: 1000, Title: "imported", MinHash: []uint64{}}, nil},
		{"after explicit id", &article.Article{Title: "next"}, nil},
		{"year bounds", &article.Article{Published: time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
			Fetched: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)}, nil},
		{"long text", &article.Article{Title: "long", Text: strings.Repeat("Wörter und Sätze. ", 20000)}, nil},
	}
	batch(t, s, func(tx store.Tx) {
		putStory(t, tx, st)
		for _, tt := range tests {
			if tt.link != nil {
				tt.link(tt.a)
			}
			insert(t, tx, tt.a)
			if tt.a.ID == 0 {
				t.Fatalf("%s: ID not set", tt.name)
			}
		}
	})
	if tests[5].a.ID != 1000 {
		t.Errorf("explicit ID became %d", tests[5].a.ID)
	}
	if tests[6].a.ID <= 1000 {
		t.Errorf("the article after an explicit ID 1000 got %d", tests[6].a.ID)
	}
	all := collect(t, s.Articles)
	if len(all) != len(tests) {
		t.Fatalf("Articles returned %d, want %d", len(all), len(tests))
	}
	if !slices.IsSorted(ids(all)) {
		t.Errorf("Articles not in ID order: %v", ids(all))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Article(ctx, tt.a.ID)
			if err != nil {
				t.Fatal(err)
			}
			sameArticle(t, got, tt.a)
			if !utc(got.Published, got.Fetched) {
				t.Errorf("times in %v and %v, want UTC", got.Published.Location(), got.Fetched.Location())
			}
		})
	}
	if _, err := s.Article(ctx, 999999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing article: err = %v, want ErrNotFound", err)
	}
	if n, m, err := s.Counts(ctx); n != int64(len(tests)) || m != 1 || err != nil {
		t.Errorf("Counts = %d, %d, %v; want %d, 1", n, m, err, len(tests))
	}
	stop := 0
	if err := s.Articles(ctx, func(*article.Article) error { stop++; return errStop }); err != errStop || stop != 1 {
		t.Errorf("Articles stopped by fn: %v after %d, want errStop as is after 1", err, stop)
	}
}

// testInsertRejects: a nil article, times outside years 0-9999 and a
// second original with one content hash are refused; ErrDuplicateHash
// leaves the batch usable.
func testInsertRejects(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	tx := begin(t, s)
	tests := []struct {
		name string
		a    *article.Article
	}{
		{"nil", nil},
		{"year 10000", &article.Article{Published: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"negative year", &article.Article{Fetched: time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC)}},
	}
	for _, tt := range tests {
		if err := tx.InsertArticle(ctx, tt.a); err == nil {
			t.Errorf("%s: inserted", tt.name)
		}
	}
	first := &article.Article{ContentHash: "h1"}
	insert(t, tx, first)
	if err := tx.InsertArticle(ctx, &article.Article{ContentHash: "h1"}); !errors.Is(err, store.ErrDuplicateHash) {
		t.Errorf("second original with one hash: err = %v, want ErrDuplicateHash", err)
	}
	// A copy may share it, and the failed insert must not spoil the batch.
	insert(t, tx, &article.Article{ContentHash: "h1", DuplicateOf: first.ID})
	insert(t, tx, &article.Article{ContentHash: "h2"})
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if n, _, _ := s.Counts(ctx); n != 3 {
		t.Errorf("%d articles stored, want 3", n)
	}
	// Across batches too.
	tx = begin(t, s)
	if err := tx.InsertArticle(ctx, &article.Article{ContentHash: "h2"}); !errors.Is(err, store.ErrDuplicateHash) {
		t.Errorf("a stored original's hash: err = %v, want ErrDuplicateHash", err)
	}
}

func testArticleByHash(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	orig := &article.Article{Text: "x", ContentHash: "abc"}
	onlyCopy := &article.Article{ContentHash: "onlycopy"}
	batch(t, s, func(tx store.Tx) {
		insert(t, tx, orig)
		insert(t, tx, &article.Article{ContentHash: "abc", DuplicateOf: orig.ID})
		onlyCopy.DuplicateOf = orig.ID
		insert(t, tx, onlyCopy)
	})
	tx := begin(t, s)
	fresh := &article.Article{ContentHash: "new"}
	insert(t, tx, fresh)
	tests := []struct {
		hash  string
		id    int64
		found bool
	}{
		{"abc", orig.ID, true},          // the earliest of original and copy
		{"new", fresh.ID, true},         // written earlier in the same batch
		{"onlycopy", onlyCopy.ID, true}, // a copy counts: the item is stored
		{"missing", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		id, found, err := tx.ArticleByHash(ctx, tt.hash)
		if err != nil || id != tt.id || found != tt.found {
			t.Errorf("ArticleByHash(%q) = %d, %v, %v; want %d, %v", tt.hash, id, found, err, tt.id, tt.found)
		}
	}
}

// testFailedBatchesKeepEarlier: a batch rolled back, one whose Commit
// finds a dangling reference and one whose context ends leave nothing
// behind, and the store takes batches after them.
func testFailedBatchesKeepEarlier(t *testing.T, b Backend) {
	ctx := context.Background()
	s := b.Open(t)
	batch(t, s, func(tx store.Tx) {
		insert(t, tx, &article.Article{Title: "kept 1", ContentHash: "k1", MinHash: dedup.Signature("kept one")})
		insert(t, tx, &article.Article{Title: "kept 2"})
	})

	// Rolled back.
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	insert(t, tx, &article.Article{Title: "lost", ContentHash: "l1", MinHash: dedup.Signature("lost one")})
	putStory(t, tx, &store.Story{ID: 7})
	if err := tx.SetMeta(ctx, "lost", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}

	// Fails at commit, whichever reference dangles; written in an order
	// that only a check at commit accepts.
	for _, a := range []*article.Article{{Title: "dangling story", Story: 424242}, {Title: "dangling copy", DuplicateOf: 424242},
		{Title: "dangling related", RelatedOf: 424242, Related: true}} {
		tx, err = s.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		insert(t, tx, a)
		if err := tx.Commit(); err == nil {
			t.Errorf("commit of %q succeeded", a.Title)
		}
		if err := tx.Rollback(); err != nil {
			t.Errorf("Rollback after a failed Commit: %v", err)
		}
	}

	// Cancelled mid-batch.
	cctx, cancel := context.WithCancel(ctx)
	tx, err = s.Begin(cctx)
	if err != nil {
		t.Fatal(err)
	}
	insert(t, tx, &article.Article{Title: "cancelled"})
	cancel()
	if err := tx.Commit(); err == nil {
		t.Error("commit after cancel succeeded")
	}
	tx.Rollback()

	var titles []string
	for _, a := range collect(t, s.Articles) {
		titles = append(titles, a.Title)
	}
	if want := []string{"kept 1", "kept 2"}; !slices.Equal(titles, want) {
		t.Errorf("articles %q, want %q", titles, want)
	}
	if _, n, _ := s.Counts(ctx); n != 0 {
		t.Errorf("%d stories survive a rollback", n)
	}
	if v, _ := s.Meta(ctx, "lost"); v != nil {
		t.Errorf("meta survives a rollback: %q", v)
	}
	// The store still takes batches, and the lost hash is free again.
	batch(t, s, func(tx store.Tx) {
		insert(t, tx, &article.Article{Title: "later", ContentHash: "l1"})
		if c, err := tx.NearDuplicates(ctx, dedup.Bands(dedup.Signature("lost one"))); len(c) != 0 || err != nil {
			t.Errorf("rolled-back bands still found: %v, %v", c, err)
		}
		if c, err := tx.NearDuplicates(ctx, dedup.Bands(dedup.Signature("kept one"))); len(c) != 1 || err != nil {
			t.Errorf("committed bands: %v, %v", c, err)
		}
		// A story ID rolled back is not taken.
		st := &store.Story{ID: 7}
		putStory(t, tx, st)
	})
	if n, _, _ := s.Counts(ctx); n != 3 {
		t.Errorf("%d articles, want 3", n)
	}
}

// testTxEnds: Rollback after Commit or Rollback does nothing; Commit after
// either fails; methods after the end fail.
func testTxEnds(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	tx, err := s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	insert(t, tx, &article.Article{Title: "one"})
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Errorf("Rollback after Commit: %v", err)
	}
	if err := tx.Commit(); err == nil {
		t.Error("second Commit succeeded")
	}
	if err := tx.InsertArticle(ctx, &article.Article{Title: "late"}); err == nil {
		t.Error("insert after Commit succeeded")
	}
	tx, err = s.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Errorf("second Rollback: %v", err)
	}
	if err := tx.Commit(); err == nil {
		t.Error("Commit after Rollback succeeded")
	}
	if n, _, _ := s.Counts(ctx); n != 1 {
		t.Errorf("%d articles, want 1", n)
	}
}

// sigSharing returns a signature that agrees with sig on exactly the given
// bands; signatures made with different salts share no other band.
func sigSharing(sig []uint64, salt uint64, bands ...int) []uint64 {
	out := make([]uint64, len(sig))
	for i := range out {
		out[i] = sig[i] ^ (salt*0x9e3779b97f4a7c15 | 1)
	}
	for _, b := range bands {
		copy(out[b*dedup.BandRows:], sig[b*dedup.BandRows:(b+1)*dedup.BandRows])
	}
	return out
}

// testNearDuplicates: candidates share a band key, originals only, most
// shared bands first then by ID, those written earlier in the same
// transaction included.
func testNearDuplicates(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	text := strings.Repeat("Four men rammed their car into a jewellery store in central Paris on Monday. ", 3) +
		"The police source said the robbers set the car ablaze before fleeing with watches worth two million euros."
	sig := dedup.Signature(text)
	st := &store.Story{Headline: "Paris heist"}
	orig := &article.Article{Title: "original", Text: text, MinHash: sig}
	oneBand := &article.Article{Title: "one band", MinHash: sigSharing(sig, 1, 17)}
	unrelated := &article.Article{Title: "unrelated", MinHash: dedup.Signature("Rice prices in Japan rose again this week.")}
	batch(t, s, func(tx store.Tx) {
		putStory(t, tx, st)
		orig.Story = st.ID
		insert(t, tx, orig)
		insert(t, tx, &article.Article{Title: "copy", MinHash: sig, DuplicateOf: orig.ID, Story: st.ID})
		insert(t, tx, oneBand)
		insert(t, tx, unrelated)
		insert(t, tx, &article.Article{Title: "no signature"})
		place(t, tx, orig.ID, store.Placement{Story: st.ID, Stream: 77})
	})
	tx := begin(t, s)
	sameBatch := &article.Article{Title: "same batch", MinHash: sigSharing(sig, 2, 0, 1)}
	insert(t, tx, sameBatch)

	tests := []struct {
		name  string
		bands []uint64
		want  []int64 // most shared bands first
	}{
		{"copy with a footer", dedup.Bands(dedup.Signature(text + " Copyright Wire.")), nil},
		{"exact signature", dedup.Bands(sig), []int64{orig.ID, sameBatch.ID, oneBand.ID}},
		{"band 17 only", dedup.Bands(sigSharing(sig, 3, 17)), []int64{orig.ID, oneBand.ID}}, // one band each: by ID
		{"nothing shared", dedup.Bands(sigSharing(sig, 4)), nil},
		{"no bands", nil, nil},
		{"odd keys", []uint64{1, 1 << 63, ^uint64(0)}, nil},
		{"one key", dedup.Bands(sig)[1:2], []int64{orig.ID, sameBatch.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cands, err := tx.NearDuplicates(ctx, tt.bands)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, c := range cands {
				got = append(got, c.ID)
				if c.ID == orig.ID && (c.Story != st.ID || c.Stream != 77 || !slices.Equal(c.MinHash, sig)) {
					t.Errorf("candidate %+v lacks story %d, stream 77 or signature", c, st.ID)
				}
			}
			if tt.name == "copy with a footer" {
				// Which bands survive the footer is chance; the original must be there.
				if !slices.Contains(got, orig.ID) {
					t.Errorf("copy found %v, want %d among them", got, orig.ID)
				}
				return
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("candidates %v, want %v", got, tt.want)
			}
		})
	}
}

func testNearDuplicatesBounded(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	sig := dedup.Signature("a text that many stored articles share one band with")
	var all []int64
	batch(t, s, func(tx store.Tx) {
		for i := range store.MaxCandidates + 20 {
			bands := []int{i % dedup.NumBands}
			if i >= store.MaxCandidates {
				bands = append(bands, (i+1)%dedup.NumBands) // the last ones share two
			}
			a := &article.Article{Title: fmt.Sprint(i), MinHash: sigSharing(sig, uint64(i+1), bands...)}
			insert(t, tx, a)
			all = append(all, a.ID)
		}
	})
	tx := begin(t, s)
	cands, err := tx.NearDuplicates(ctx, dedup.Bands(sig))
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) != store.MaxCandidates {
		t.Fatalf("%d candidates, want the cap %d", len(cands), store.MaxCandidates)
	}
	// The 20 sharing two bands first, then the lowest IDs of the rest.
	want := append(slices.Clone(all[store.MaxCandidates:]), all[:store.MaxCandidates-20]...)
	var got []int64
	for _, c := range cands {
		got = append(got, c.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("candidates\n%v\nwant\n%v", got, want)
	}
}

func testValidators(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	const u = "https://example.org/feed.xml"
	steps := []struct {
		etag, lm string
	}{
		{`W/"abc"`, "Wed, 09 Apr 2025 10:00:00 GMT"},
		{`"def"`, ""},
		{"", "Thu, 10 Apr 2025 10:00:00 GMT"},
		{"", ""},
	}
	for _, st := range steps {
		batch(t, s, func(tx store.Tx) {
			if err := tx.SetValidators(ctx, u, st.etag, st.lm); err != nil {
				t.Fatal(err)
			}
			if err := tx.SetValidators(ctx, u+"?other", "x", "y"); err != nil {
				t.Fatal(err)
			}
		})
		e, l, err := s.Validators(ctx, u)
		if err != nil || e != st.etag || l != st.lm {
			t.Errorf("after set %q %q: got %q %q %v", st.etag, st.lm, e, l, err)
		}
	}
	if e, l, err := s.Validators(ctx, u+"?other"); e != "x" || l != "y" || err != nil {
		t.Errorf("another URL: %q %q %v", e, l, err)
	}
}

func testMetaAndParts(t *testing.T, b Backend) {
	s := b.Open(t)
	ctx := context.Background()
	binary := []byte{0, 1, 2, 0xff, 0xfe, 0}
	batch(t, s, func(tx store.Tx) {
		for _, v := range []string{"one", "two"} {
			if err := tx.SetMeta(ctx, "k", []byte(v)); err != nil {
				t.Fatal(err)
			}
		}
		if err := tx.SetMeta(ctx, "empty", nil); err != nil {
			t.Fatal(err)
		}
		if err := tx.SetMeta(ctx, "binary", binary); err != nil {
			t.Fatal(err)
		}
		if err := tx.PutParts(ctx, map[int64]int64{3: 40, 9: 41}); err != nil {
			t.Fatal(err)
		}
		if err := tx.PutParts(ctx, map[int64]int64{9: 41, 12: 44}); err != nil {
			t.Fatal(err)
		}
	})
	if v, err := s.Meta(ctx, "k"); string(v) != "two" || err != nil {
		t.Errorf("Meta = %q %v", v, err)
	}
	if v, err := s.Meta(ctx, "empty"); v == nil || len(v) != 0 || err != nil {
		t.Errorf("empty value: %q %v; want empty, not nil", v, err)
	}
	if v, err := s.Meta(ctx, "binary"); !slices.Equal(v, binary) || err != nil {
		t.Errorf("binary value: %q %v", v, err)
	}
	if p, err := s.Parts(ctx); !reflect.DeepEqual(p, map[int64]int64{9: 41, 12: 44}) || err != nil {
		t.Errorf("Parts = %v %v", p, err)
	}
	if max, err := s.MaxStoryID(ctx); max != 44 || err != nil {
		t.Errorf("MaxStoryID = %d %v, want 44 (a part's ID)", max, err)
	}
	batch(t, s, func(tx store.Tx) {
		if err := tx.PutParts(ctx, nil); err != nil {
			t.Fatal(err)
		}
	})
	if p, err := s.Parts(ctx); len(p) != 0 || err != nil {
		t.Errorf("Parts after clearing = %v %v", p, err)
	}
}

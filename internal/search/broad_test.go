package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/text"
)

// TestBroadQueryNewestFirst: a word in more than MaxTotal articles is not
// ranked (that would read every match on every page) but listed newest
// stored first, and says so; every page follows to the end once each; a
// rarer word, and sort:relevance, are still ranked.
func TestBroadQueryNewestFirst(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tx, err := st.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const n = MaxTotal + 50
	day := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		body := fmt.Sprintf("The harbour council met on day %d and talked about the quay.", i)
		if i%100 == 0 {
			body += " The ferry ferry ferry timetable changes."
		}
		// Published out of storage order, so that newest stored and
		// newest published differ.
		a := &article.Article{Input: fmt.Sprint(i), Lang: "en", Source: "Gazette", Title: fmt.Sprint("Council ", i), Text: body,
			Published: day.Add(time.Duration((i*7919)%n) * time.Minute), ContentHash: fmt.Sprint(i)}
		if err := tx.InsertArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := tx.(store.StemmedSetter).SetStemmed(ctx, a.ID, text.Stemmed("en", a.Title+"\n"+a.Text)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}

	page, err := Run(ctx, st, "harbour", "", 100)
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != MaxTotal || !strings.Contains(page.Message, "newest first") {
		t.Errorf("total %d, message %q: want %d and a note that it is newest first", page.Total, page.Message, MaxTotal)
	}
	var ids []int64
	for cursor := ""; ; {
		p, err := Run(ctx, st, "harbour", cursor, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range p.Groups {
			for _, h := range g.Articles {
				ids = append(ids, h.ID)
			}
		}
		if cursor = p.Next; cursor == "" {
			break
		}
	}
	if len(ids) != n || !slices.IsSortedFunc(ids, func(a, b int64) int { return int(b - a) }) || ids[0] != n {
		t.Errorf("%d results, first %d, descending %v: want all %d, newest stored first", len(ids), ids[0],
			slices.IsSortedFunc(ids, func(a, b int64) int { return int(b - a) }), n)
	}

	// A rare word is ranked: the article that says it three times first.
	rare, err := Run(ctx, st, "ferry", "", 5)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(rare.Message, "newest first") || rare.Total != 11 {
		t.Errorf("ferry: total %d, message %q: want 11, ranked", rare.Total, rare.Message)
	}
	// Asked for, relevance is kept however many match.
	asked, err := Run(ctx, st, "harbour sort:relevance", "", 5)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(asked.Message, "newest first (") {
		t.Errorf("sort:relevance was not kept: %q", asked.Message)
	}
}

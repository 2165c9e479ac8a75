package store_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/dedup"
	"github.com/storyline/storyline/internal/store"
)

// One ingest batch: exact copies by hash, syndicated copies by MinHash
// candidates, everything in one transaction.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "storyline")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := store.Open(ctx, dir)
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	wire := "Four men rammed their car into a jewellery store in central Paris on Monday, " +
		"smashing the window and making off with watches and rings worth two million euros, a police source said."
	texts := []string{
		wire,
		wire, // the same text again
		"PARIS (AFP) -- " + wire + " Copyright AFP.",             // syndicated copy
		"Rice prices in Japan rose for a twelfth week in a row.", // something else
	}
	tx, err := db.Begin(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer tx.Rollback()
	for _, text := range texts {
		a := &article.Article{Text: text, ContentHash: dedup.Hash(text), MinHash: dedup.Signature(text)}
		id, found, err := tx.ArticleByHash(ctx, a.ContentHash)
		if err != nil {
			log.Fatal(err)
		}
		if found {
			fmt.Println("exact copy of", id)
			continue // or store it with DuplicateOf = id
		}
		cands, err := tx.NearDuplicates(ctx, dedup.Bands(a.MinHash))
		if err != nil {
			log.Fatal(err)
		}
		for _, c := range cands {
			if dedup.Similarity(a.MinHash, c.MinHash) >= dedup.CopyThreshold {
				a.DuplicateOf, a.Story = c.ID, c.Story
				break
			}
		}
		if err := tx.InsertArticle(ctx, a); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("stored %d, duplicate of %d\n", a.ID, a.DuplicateOf)
	}
	if err := tx.Commit(); err != nil {
		log.Fatal(err)
	}
	ids, err := db.Search(ctx, "jewellery AND paris", 10)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("search finds", len(ids))
	// Output:
	// stored 1, duplicate of 0
	// exact copy of 1
	// stored 2, duplicate of 1
	// stored 3, duplicate of 0
	// search finds 2
}

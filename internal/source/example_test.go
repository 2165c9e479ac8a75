package source_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/storyline/storyline/internal/source"
)

func ExampleRead() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "a.jsonl"), []byte(
		`{"id":"1","lang":"en","text":"NATO chief meets Ishiba in Tokyo."}`+"\n"+
			`{"id":"2","title":"no body"}`+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.txt"), []byte("A plain-text scrape."), 0o644)

	var stats source.Stats
	for it := range source.Read(context.Background(), []string{dir}, source.Options{Stats: &stats}) {
		name, _ := filepath.Rel(dir, it.Page.Input)
		if it.Err != nil {
			fmt.Println(name, "error")
			continue
		}
		fmt.Printf("%s kind=%d id=%q %s\n", name, it.Page.Kind, it.Page.ExternalID, it.Page.Body)
	}
	fmt.Println("pages", stats.Pages.Load(), "errors", stats.Errors.Load())
	// Output:
	// a.jsonl#L1 kind=3 id="1" NATO chief meets Ishiba in Tokyo.
	// a.jsonl#L2 error
	// b.txt kind=2 id="" A plain-text scrape.
	// pages 2 errors 1
}

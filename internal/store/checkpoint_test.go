package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
)

// The committing connection no longer copies the log back into the
// database file (wal_autocheckpoint is off), so without the checkpointer
// the file would not grow until the store closed.
func TestCheckpointerCopiesTheLog(t *testing.T) {
	s, dir := openTest(t)
	path := filepath.Join(dir, FileName)
	size := func() int64 {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	before := size()
	body := strings.Repeat("A sentence long enough to fill pages. ", 200)
	batch(t, s, func(tx Tx) {
		for i := range 50 {
			insert(t, tx, &article.Article{Title: fmt.Sprint("article ", i), Text: body})
		}
	})
	// 50 articles of ~7.6 KB are ~380 KB of text alone.
	for deadline := time.Now().Add(10 * time.Second); size() < before+300<<10; {
		if time.Now().After(deadline) {
			t.Fatalf("database file %d bytes 10 s after the commit (%d before): the log was not copied back", size(), before)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

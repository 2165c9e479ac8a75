package store

import (
	"context"
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

// The log must not grow without bound while batches follow one another
// without a pause and a reader polls, as during an ingest: SQLite only
// rewinds the log when a write transaction starts with every frame copied
// back, which a checkpointer beside a busy writer alone never sees.
func TestLogStaysBoundedUnderSteadyWrites(t *testing.T) {
	defer func(n int) { autoCheckpointPages = n }(autoCheckpointPages)
	autoCheckpointPages = 500 // 2 MiB
	s, dir := openTest(t)
	ro, err := OpenReadOnly(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	stop := make(chan struct{})
	polled := make(chan struct{})
	go func() {
		defer close(polled)
		for {
			select {
			case <-stop:
				return
			default:
			}
			_, _, _ = ro.Counts(context.Background())
		}
	}()
	body := strings.Repeat("Words that fill a page of the database and of its log. ", 400)
	const batches, perBatch = 100, 5 // ~11 MB of text in all
	for b := range batches {
		batch(t, s, func(tx Tx) {
			for i := range perBatch {
				insert(t, tx, &article.Article{Title: fmt.Sprint("article ", b, " ", i), Text: body})
			}
		})
	}
	close(stop)
	<-polled
	fi, err := os.Stat(filepath.Join(dir, FileName+"-wal"))
	if err != nil {
		t.Fatal(err)
	}
	// The log rewinds after autoCheckpointPages (2 MiB) when no reader
	// holds it back: 4–6 MiB here. Never rewound, it grew to 25 MiB.
	if fi.Size() > 12<<20 {
		t.Errorf("log %d bytes after %d batches: it grows with the input", fi.Size(), batches)
	}
}

package store

import (
	"context"
	"database/sql"
	"sync"
)

// autoCheckpointPages is SQLite's wal_autocheckpoint on a writable store:
// after a commit that leaves this many pages in the write-ahead log, the
// committing connection copies the log back into the database file and
// the next write transaction rewinds it. SQLite's default, 1,000 pages,
// made the writer do nearly all the copying (5 s of its 136 s on a
// 20k-article bench run, during which no article was placed): a batch
// writes hundreds of pages. At 4,000 (16 MiB of log at most, plus a
// batch) the checkpointer has copied all but the last batch's pages by
// then. A var so that a test can bound the log with less writing.
var autoCheckpointPages = 4000

// checkpointer runs a passive checkpoint of a writable store after each
// commit, on a connection of its own, beside the writer (WAL lets a
// checkpoint and a write transaction run at once). Passive: it never
// waits for a reader or the writer and copies what it can.
//
// It cannot replace SQLite's own checkpoint (autoCheckpointPages): SQLite
// rewinds the log only when a write transaction starts with every frame
// copied back, and a writer that begins its next batch as it commits one
// never starts so unless it copied the last frames itself. Without it the
// log grew to 2 GB over a 20k-article run
// (TestLogStaysBoundedUnderSteadyWrites).
type checkpointer struct {
	db   *sql.DB
	due  chan struct{} // a commit happened
	stop chan struct{}
	done chan struct{}
	once sync.Once // Close may be called twice
}

func startCheckpointer(db *sql.DB) *checkpointer {
	c := &checkpointer{db: db, due: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c
}

// committed tells the checkpointer that the log has grown. It never blocks.
func (c *checkpointer) committed() {
	select {
	case c.due <- struct{}{}:
	default:
	}
}

func (c *checkpointer) run() {
	defer close(c.done)
	for {
		select {
		case <-c.stop:
			return
		case <-c.due:
		}
		// An error (the database busy or closing) only leaves pages in the
		// log for the next checkpoint or for the close.
		_, _ = c.db.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)")
	}
}

// close stops the checkpointer and waits for a checkpoint under way.
func (c *checkpointer) close() {
	c.once.Do(func() { close(c.stop) })
	<-c.done
}

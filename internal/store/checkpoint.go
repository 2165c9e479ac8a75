package store

import (
	"context"
	"database/sql"
	"sync"
	"time"
)

// checkpointEvery is how often, at most, the checkpointer copies the
// write-ahead log back into the database file.
const checkpointEvery = time.Second

// checkpointer runs passive checkpoints of a writable store in the
// background, after commits, at most every checkpointEvery. SQLite's own
// rule (after a commit that leaves 1,000 pages or more in the log) makes
// the committing connection copy the log back: that was 5 s of the
// writer's 136 s on a 20k-article bench run, during which no article was
// placed. The checkpointer copies most of it beside the writer (WAL lets a
// checkpoint and a write transaction run at once), so that SQLite's rule,
// which stays on, finds little left to copy.
//
// It cannot replace that rule: SQLite rewinds the log only when a write
// transaction starts with every frame copied back, and a writer that
// begins its next batch as it commits one never starts so unless it
// copied the last frames itself. With the rule off, the log grew to 2 GB
// over a 20k-article run (TestLogStaysBoundedUnderSteadyWrites).
//
// Passive: it never waits for a reader or the writer and copies what it
// can; what it could not is copied next time.
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
	pause := time.NewTimer(0)
	defer pause.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-c.due:
		}
		// An error (the database busy or closing) only leaves pages in the
		// log for the next checkpoint or for the close.
		_, _ = c.db.ExecContext(context.Background(), "PRAGMA wal_checkpoint(PASSIVE)")
		pause.Reset(checkpointEvery)
		select {
		case <-c.stop:
			return
		case <-pause.C:
		}
	}
}

// close stops the checkpointer and waits for a checkpoint under way.
func (c *checkpointer) close() {
	c.once.Do(func() { close(c.stop) })
	<-c.done
}

//go:build unix

package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// LockName is the file in a store's folder whose lock marks the writer.
const LockName = "storyline.lock"

// dirLock is an exclusive flock(2) on the store folder's lock file. The
// kernel drops it when the process dies, however it dies, so a killed
// writer never leaves the store locked.
type dirLock struct{ f *os.File }

// lockPoll is how often a waiting Open tries the lock again: flock cannot
// wait and be cancelled at once, so it is tried without blocking.
const lockPoll = 100 * time.Millisecond

func lockDir(ctx context.Context, dir, holder string, waiting func(string)) (*dirLock, error) {
	path := filepath.Join(dir, LockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	told := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", path, err)
		}
		if !told && waiting != nil {
			b, _ := os.ReadFile(path)
			who := strings.TrimSpace(string(b))
			if who == "" {
				who = "another process"
			}
			waiting(who)
			told = true
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("waiting for the lock on %s: %w", path, ctx.Err())
		case <-time.After(lockPoll):
		}
	}
	if holder == "" {
		holder = filepath.Base(os.Args[0])
	}
	// Who holds the lock, for the message another process prints.
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt([]byte(fmt.Sprintf("%s (pid %d)\n", holder, os.Getpid())), 0)
	}
	return &dirLock{f: f}, nil
}

func (l *dirLock) release() {
	if l == nil || l.f == nil {
		return
	}
	// Closing the file drops the lock; the file stays, as truncating it
	// could race with the next holder writing its name.
	l.f.Close()
	l.f = nil
}

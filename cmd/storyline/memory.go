package main

import (
	"context"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Memory limit. By default the Go collector lets the heap grow to twice
// what was live at the last collection, so a process holding a full story
// window (about 600 MiB live at 1M articles a year) sat at 1.4–1.6 GB of
// RSS. A soft limit makes the collector run earlier
// instead: RSS stays near the limit while the live heap is well below it.
//
// The limit follows the live heap (limitHeadroom above it, never below
// limitFloor), because a fixed limit under the live heap would make the
// collector run nearly without pause (the runtime caps it at half the CPU,
// which halves throughput). Trade, measured with `storyline bench
// --articles 20000 --days 7` (a full window): RSS 971 MiB instead of 1,463
// for 10.5 ms of CPU an article instead of 9.2, the collector running more
// often. GOMEMLIMIT, when set, wins and this does nothing (GOMEMLIMIT=off
// trades back).
const (
	limitFloor    = 768 << 20
	limitHeadroom = 1.35
	limitEvery    = 2 * time.Second
)

// limitMemory keeps the runtime's soft memory limit at
// max(limitFloor, limitHeadroom × live heap) until ctx ends.
func limitMemory(ctx context.Context) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(limitFloor)
	go func() {
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(limitEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			metrics.Read(s)
			if s[0].Value.Kind() != metrics.KindUint64 {
				return
			}
			debug.SetMemoryLimit(max(limitFloor, int64(float64(s[0].Value.Uint64())*limitHeadroom)))
		}
	}()
}

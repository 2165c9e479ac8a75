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
// window (about 500 MiB live at 1M articles a year, `storyline bench`)
// sat at 1.4–1.6 GB of RSS. A soft limit makes the collector run earlier
// instead: RSS stays near the limit while the live heap is well below it.
//
// The limit follows the live heap (limitHeadroom above it, never below
// limitFloor), because a fixed limit under the live heap would make the
// collector run nearly without pause (the runtime caps it at half the CPU,
// which halves throughput). Trade: more frequent collections, a few per
// cent of CPU at a full window, for about 40% less memory. GOMEMLIMIT, when
// set, wins and this does nothing.
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

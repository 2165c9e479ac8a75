package store

import (
	"unsafe"

	"modernc.org/libc"
	"modernc.org/libc/sys/types"
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLite's memory lives outside Go's heap (modernc's C allocator), so
// neither the Go collector nor its soft limit sees it: page caches,
// prepared statements, sorters. The driver is built with memory
// statistics off (SQLITE_DEFAULT_MEMSTATUS=0), which leaves no way to
// tell how much it holds, and makes sqlite3_soft_heap_limit64 a no-op.
// They are switched on here, before any connection opens (the first
// open initialises SQLite, after which configuration is refused).
// The cost is one mutex around each of SQLite's allocations.
//
// With them on, the soft heap limit bounds SQLite's memory in all
// connections together: past it, a connection needing a page takes one
// another cache no longer uses instead of growing. Without a bound the
// caches (up to 16 MiB a connection, 4–5 connections during an ingest)
// swung from about 30 to 65 MiB for tens of seconds at a time over
// 100k generated articles (storyline bench --articles 100000 --days 37),
// and the memory outside Go's was about twice what SQLite counted
// (modernc's allocator rounds up to a power of two: a 4 KiB page with
// its header takes an 8 KiB slot): the swings made the run's RSS
// peaks. 32 MiB is what SQLite held between the swings, so the limit
// trims them only. Measured on that run, one each in turn: SQLite's peak
// 65 → 32 MiB, RSS peak 973 → 928 MiB, 109.6 → 112.4 articles/s (runs
// of one binary differ by more).
const sqliteSoftHeap = 32 << 20

func init() {
	tls := libc.NewTLS()
	defer tls.Close()
	va := libc.Xmalloc(tls, types.Size_t(unsafe.Sizeof(uintptr(0))))
	if va == 0 {
		return
	}
	defer libc.Xfree(tls, va)
	sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_MEMSTATUS, libc.VaList(va, int32(1)))
	sqlite3.Xsqlite3_soft_heap_limit64(tls, sqliteSoftHeap)
}

// SQLiteHeap returns the bytes the embedded SQLite holds now, in all its
// connections, and the most it has held since the process started.
func SQLiteHeap() (used, peak int64) {
	tls := libc.NewTLS()
	defer tls.Close()
	return sqlite3.Xsqlite3_memory_used(tls), sqlite3.Xsqlite3_memory_highwater(tls, 0)
}

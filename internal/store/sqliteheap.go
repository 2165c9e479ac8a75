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
func init() {
	tls := libc.NewTLS()
	defer tls.Close()
	va := libc.Xmalloc(tls, types.Size_t(unsafe.Sizeof(uintptr(0))))
	if va == 0 {
		return
	}
	defer libc.Xfree(tls, va)
	sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_MEMSTATUS, libc.VaList(va, int32(1)))
}

// SQLiteHeap returns the bytes the embedded SQLite holds now, in all its
// connections, and the most it has held since the process started.
func SQLiteHeap() (used, peak int64) {
	tls := libc.NewTLS()
	defer tls.Close()
	return sqlite3.Xsqlite3_memory_used(tls), sqlite3.Xsqlite3_memory_highwater(tls, 0)
}

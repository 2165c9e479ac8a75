//go:build unix

package source

import (
	"io/fs"
	"path/filepath"
	"syscall"
)

// dirID identifies a folder whatever path reaches it.
type dirID struct {
	dev, ino uint64
	path     string // when the system gives no device and inode
}

func folderID(p string, fi fs.FileInfo) dirID {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return dirID{dev: uint64(st.Dev), ino: st.Ino}
	}
	return dirID{path: realPath(p)}
}

// realPath is p absolute with every link resolved, or p cleaned.
func realPath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}

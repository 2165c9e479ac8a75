//go:build !unix

package source

import (
	"io/fs"
	"path/filepath"
)

// dirID identifies a folder whatever path reaches it: its real path.
type dirID struct{ path string }

func folderID(p string, _ fs.FileInfo) dirID {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	if a, err := filepath.Abs(p); err == nil {
		p = a
	}
	return dirID{path: filepath.Clean(p)}
}

package source

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
}

// TestReadFolderSymlinks checks that links to folders and files are
// followed, that a loop fails once while the walk goes on, and that a
// folder reached twice is read once.
func TestReadFolderSymlinks(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "root")
	page := []byte("<html><body><p>linked page</p></body></html>")
	writeFile(t, filepath.Join(root, "a.html"), page)
	writeFile(t, filepath.Join(base, "outside", "b.html"), page)
	writeFile(t, filepath.Join(root, "loop", "c.html"), page)
	symlink(t, filepath.Join(base, "outside", "b.html"), filepath.Join(root, "f.html"))
	symlink(t, filepath.Join(base, "outside"), filepath.Join(root, "link"))
	symlink(t, "..", filepath.Join(root, "loop", "back"))
	symlink(t, ".", filepath.Join(root, "self"))
	symlink(t, filepath.Join(base, "missing"), filepath.Join(root, "broken.html"))
	symlink(t, "link", filepath.Join(root, "z"))

	type want struct{ name, err string }
	wants := []want{
		{"a.html", ""},
		{"f.html", ""},
		{"link/b.html", ""},
		{"loop/back", "symlink loop: leads back to " + root},
		{"loop/c.html", ""},
		{"self", "symlink loop: leads back to " + root},
	}
	for _, in := range []string{root, filepath.Join(base, "rootlink")} {
		if in != root {
			symlink(t, root, in) // the named folder itself a link
		}
		var st Stats
		items := collect(t, []string{in}, Options{Stats: &st})
		if len(items) != len(wants) {
			for _, it := range items {
				t.Logf("%s %v", it.Page.Input, it.Err)
			}
			t.Fatalf("%s: got %d items, want %d", in, len(items), len(wants))
		}
		for i, w := range wants {
			it := items[i]
			if got := filepath.ToSlash(strings.TrimPrefix(it.Page.Input, in+string(filepath.Separator))); got != w.name {
				t.Errorf("item %d: Input %q, want %q", i, got, w.name)
			}
			switch {
			case w.err == "" && it.Err != nil:
				t.Errorf("%s: %v", w.name, it.Err)
			case w.err != "" && (it.Err == nil || !strings.Contains(it.Err.Error(), strings.Replace(w.err, root, in, 1))):
				t.Errorf("%s: err %v, want %q", w.name, it.Err, w.err)
			}
		}
		// The broken link, and z: a second way to the folder link reads.
		if st.Skipped.Load() != 2 {
			t.Errorf("%s: skipped %d, want 2", in, st.Skipped.Load())
		}
	}
}

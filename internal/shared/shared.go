// Package shared locates the project's shared data folder (../shared beside
// the repository: seeds, dev sets and benchmarks) for tests, benchmarks and
// `storyline eval`. The data is read in place and never copied into the
// repository.
package shared

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// ErrMissing says the shared folder is not beside the repository.
var ErrMissing = errors.New("shared data folder not found (set STORYLINE_SHARED or place ../shared beside the repository)")

// Find returns the shared folder: $STORYLINE_SHARED, or "shared" beside the
// repository root found by walking up from the working directory to go.mod.
func Find() (string, error) {
	if d := os.Getenv("STORYLINE_SHARED"); d != "" {
		return d, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			cand := filepath.Join(filepath.Dir(dir), "shared")
			if fi, err := os.Stat(cand); err == nil && fi.IsDir() {
				return cand, nil
			}
			return "", ErrMissing
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", ErrMissing
		}
		dir = parent
	}
}

// Path returns a file or folder inside the shared folder, skipping the test
// or benchmark with a clear message when it is absent — except in CI
// (CI=true), where missing data fails it: a check that silently skips
// there checks nothing.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	missing := tb.Skipf
	if os.Getenv("CI") == "true" {
		missing = tb.Fatalf
	}
	dir, err := Find()
	if err != nil {
		missing("shared data missing: %v", err)
	}
	p := filepath.Join(dir, rel)
	if _, err := os.Stat(p); err != nil {
		missing("shared data %s not available: %v", rel, err)
	}
	return p
}

// Optional returns a file or folder inside the shared folder for a test
// that also runs without it: ok is false when it is absent, except in CI
// (CI=true), where missing data fails the test as Path does.
func Optional(tb testing.TB, rel string) (path string, ok bool) {
	tb.Helper()
	if os.Getenv("CI") == "true" {
		return Path(tb, rel), true
	}
	dir, err := Find()
	if err != nil {
		return "", false
	}
	p := filepath.Join(dir, rel)
	if _, err := os.Stat(p); err != nil {
		return "", false
	}
	return p, true
}

// JSONL reads the JSON Lines file rel of the shared folder (see Path) into
// values of T.
func JSONL[T any](tb testing.TB, rel string) []T {
	tb.Helper()
	return ReadJSONL[T](tb, Path(tb, rel))
}

// ReadJSONL reads the JSON Lines file at path into values of T, failing
// tb on a line that does not decode and on a file without lines: a dev
// set read as empty would make every check on it pass.
func ReadJSONL[T any](tb testing.TB, path string) []T {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, maxLine)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			tb.Fatalf("%s line %d: %v", path, len(out)+1, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	if len(out) == 0 {
		tb.Fatalf("%s: no lines", path)
	}
	return out
}

// maxLine bounds one line: the dev sets' longest is 16 KB, and a file
// without line breaks fails rather than fills memory.
const maxLine = 16 << 20

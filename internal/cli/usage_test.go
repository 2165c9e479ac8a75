package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHelpExitsZero: every command and eval answer -h with their usage.
func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{{"eval", "-h"}, {"eval", "clusters", "-h"}, {"extract", "-h"}, {"ingest", "-h"}, {"stories", "-h"}} {
		code, _, errs := run(t, args...)
		if code != exitOK || !strings.Contains(errs, "usage") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
	_, _, errs := run(t, "ingest", "-h")
	if !strings.Contains(errs, "8 MiB") || !strings.Contains(errs, "-allow-net") {
		t.Errorf("ingest -h hides the HTML limit or --allow-net:\n%s", errs)
	}
	_, _, errs = run(t, "extract", "-h")
	for _, f := range []string{"-window", "-lexicons", "-data"} {
		if strings.Contains(errs, f) {
			t.Errorf("extract -h lists %s, which extract does not use", f)
		}
	}
}

// TestNothingToIngest: a first command pointed at nothing fails clearly and
// leaves no empty data folder behind.
func TestNothingToIngest(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	code, _, errs := run(t, "ingest", "--data", data, filepath.Join(t.TempDir(), "no-such-folder"))
	if code == exitOK || !strings.Contains(errs, "no such file or folder") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("data folder left behind: %v", err)
	}
}

// TestStoriesJSONAndUndated: `stories --json` speaks snake_case as export
// does, and an undated story says so rather than printing year 1.
func TestStoriesJSONAndUndated(t *testing.T) {
	in := filepath.Join(t.TempDir(), "a.jsonl")
	line := `{"id":"u1","title":"Ferry moved to the north quay","text":"The harbour authority moved the ferry to the northern quay on Monday after storm damage to the pier, and said repairs would take about three weeks while fishermen waited."}`
	if err := os.WriteFile(in, []byte(line+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	if code, _, errs := run(t, "ingest", "--data", data, in); code != exitOK {
		t.Fatalf("ingest: exit %d: %s", code, errs)
	}
	_, out, _ := run(t, "stories", "--data", data, "--json")
	var s map[string]any
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &s); err != nil {
		t.Fatalf("%v: %q", err, out)
	}
	for _, k := range []string{"id", "headline", "articles", "langs", "outlets", "top_terms"} {
		if _, ok := s[k]; !ok {
			t.Errorf("stories --json lacks %q: %s", k, out)
		}
	}
	for k := range s {
		if strings.ToLower(k) != k {
			t.Errorf("stories --json key %q is not snake_case", k)
		}
	}
	_, out, _ = run(t, "stories", "--data", data)
	if strings.Contains(out, "0001-01-01") || !strings.Contains(out, "undated") {
		t.Errorf("undated story:\n%s", out)
	}
}

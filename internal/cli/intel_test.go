package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// intelInput writes two articles of one story naming one person twice.
func intelInput(t *testing.T) string {
	t.Helper()
	in := filepath.Join(t.TempDir(), "a.jsonl")
	lines := []string{
		`{"id":"h1","source":"Herald","published":"2025-06-02T09:00:00Z","title":"Ostmark harbour reopens after storm","text":"The harbour of Ostmark reopened on Monday after a storm closed it for a week. Mayor Anna Berg said the ferries would run again by Friday. \"We will rebuild the pier stone by stone,\" Berg told reporters. Three people died when the storm hit the coast."}`,
		`{"id":"p1","source":"Post","published":"2025-06-02T12:00:00Z","title":"Ferries to return to Ostmark harbour","text":"Ferries will return to the harbour of Ostmark by Friday after the storm, Mayor Anna Berg said on Monday. \"We will rebuild the pier stone by stone,\" Berg said. Five people died when the storm hit the coast, the coast guard said."}`,
	}
	if err := os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return in
}

func TestStoryAndEntityCommands(t *testing.T) {
	data := t.TempDir()
	if code, _, errs := run(t, "ingest", "--data", data, intelInput(t)); code != exitOK {
		t.Fatalf("ingest: %d %s", code, errs)
	}
	code, out, errs := run(t, "stories", "--data", data, "--json")
	if code != exitOK {
		t.Fatalf("stories: %s", errs)
	}
	var s struct {
		ID       int64 `json:"id"`
		Articles int   `json:"articles"`
	}
	if err := json.Unmarshal([]byte(strings.Split(strings.TrimSpace(out), "\n")[0]), &s); err != nil || s.Articles != 2 {
		t.Fatalf("want one story of both articles: %v %q", err, out)
	}
	id := itoa(s.ID)
	code, out, errs = run(t, "story", "--data", data, id, "--json")
	if code != exitOK {
		t.Fatalf("story --json: %d %s", code, errs)
	}
	if m := regexp.MustCompile(`"[a-z_]*[A-Z][A-Za-z_]*":`).FindString(out); m != "" {
		t.Errorf("story --json has a key not in snake_case: %s", m)
	}
	var d struct {
		Quotes []struct {
			Speaker string `json:"speaker"`
			Outlets int    `json:"outlets"`
		} `json:"quotes"`
		Figures []struct {
			Conflict bool `json:"conflict"`
		} `json:"figures"`
		Entities []struct {
			ID        int64    `json:"id"`
			Canonical string   `json:"canonical"`
			Variants  []string `json:"variants"`
		} `json:"entities"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Quotes) == 0 || d.Quotes[0].Outlets != 2 || !strings.Contains(d.Quotes[0].Speaker, "Berg") {
		t.Errorf("the mayor's quote across both outlets: %+v", d.Quotes)
	}
	if len(d.Figures) == 0 || !d.Figures[0].Conflict {
		t.Errorf("the death toll conflicts: %+v", d.Figures)
	}
	var berg int64
	for _, e := range d.Entities {
		if e.Canonical == "Anna Berg" {
			berg = e.ID
		}
	}
	if berg == 0 {
		t.Fatalf("no Anna Berg: %+v", d.Entities)
	}
	code, out, _ = run(t, "story", "--data", data, id)
	for _, want := range []string{"Summary", "Who and what", "Anna Berg", "Quotes", "Figures", "outlets disagree", "Timeline", "Why together"} {
		if code != exitOK || !strings.Contains(out, want) {
			t.Errorf("story lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = run(t, "entity", "show", "--data", data, "Berg")
	if code != exitOK || !strings.Contains(out, "Anna Berg") || !strings.Contains(out, "Berg ") {
		t.Errorf("entity show Berg:\n%s", out)
	}
	code, out, errs = run(t, "entity", "split", "--data", data, itoa(berg), "Berg")
	if code != exitOK || !strings.Contains(out, "left entity") {
		t.Fatalf("entity split: %d %s %s", code, out, errs)
	}
	code, out, _ = run(t, "entity", "show", "--data", data, "Berg")
	if code != exitOK || strings.Contains(out, "Anna Berg") {
		t.Errorf("after the split, Berg alone is its own entity:\n%s", out)
	}
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

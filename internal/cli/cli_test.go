package cli

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/shared"
)

// run executes a command line and returns its exit status and output.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

const page = `<!doctype html><html lang="en"><head><title>Flood waters rise in the valley | Valley Herald</title>
<meta property="og:site_name" content="Valley Herald">
<meta property="article:published_time" content="2025-03-02T08:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/news">News</a></nav><article><h1>Flood waters rise in the valley</h1>
<p>Flood waters rose across the river valley on Sunday after three days of heavy rain, forcing hundreds of families to leave their homes as emergency crews worked through the night.</p>
<p>The regional council said the river had reached its highest level in forty years and warned that more rain was expected on Monday, while volunteers filled sandbags in the town square.</p>
<p>Officials opened two shelters in school buildings and asked residents of low-lying streets to stay with relatives where they could, adding that the main bridge would remain closed.</p>
</article><footer>Copyright Valley Herald. All rights reserved.</footer></body></html>`

func writeInputs(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(page))
	zw.Close()
	files := map[string][]byte{
		"flood.html.gz": gz.Bytes(),
		"broken.jsonl":  []byte("{\"id\":\"x\",\n"),
		"empty.html":    nil,
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestExtractPrintsJSONLines(t *testing.T) {
	in := writeInputs(t)
	code, out, errs := run(t, "extract", filepath.Join(in, "flood.html.gz"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 {
		t.Fatalf("%d lines, want 1:\n%s", len(lines), out)
	}
	var a map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &a); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"input", "related", "title", "text", "lang", "published", "source", "url"} {
		if _, ok := a[k]; !ok {
			t.Errorf("field %q missing", k)
		}
	}
	if a["lang"] != "en" || a["published"] != "2025-03-02T08:00:00Z" || a["source"] != "Valley Herald" {
		t.Errorf("lang %v published %v source %v", a["lang"], a["published"], a["source"])
	}
	if text, _ := a["text"].(string); !strings.Contains(text, "highest level in forty years") || strings.Contains(text, "All rights reserved") {
		t.Errorf("text: %q", text)
	}
}

func TestIngestReportsAndExports(t *testing.T) {
	in := writeInputs(t)
	data := filepath.Join(t.TempDir(), "data")

	code, out, _ := run(t, "ingest", "--data", data, in)
	if code != exitFailed {
		t.Errorf("exit %d, want %d (two items failed)", code, exitFailed)
	}
	if !strings.Contains(out, "stored 1") || !strings.Contains(out, "skipped 2") {
		t.Errorf("report:\n%s", out)
	}
	for _, name := range []string{"broken.jsonl", "empty.html"} {
		if !strings.Contains(out, name) {
			t.Errorf("report does not name %s:\n%s", name, out)
		}
	}

	// Again: nothing new, and the report says so.
	_, out, _ = run(t, "ingest", "--data", data, filepath.Join(in, "flood.html.gz"))
	if !strings.Contains(out, "duplicate 1") || !strings.Contains(out, "nothing new") {
		t.Errorf("second ingest report:\n%s", out)
	}

	code, out, errs := run(t, "export", "--data", data)
	if code != exitOK {
		t.Fatalf("export exit %d: %s", code, errs)
	}
	var a struct {
		ID    string `json:"id"`
		Story int64  `json:"story"`
		Title string `json:"title"`
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &a); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	if a.ID == "" || a.Story == 0 || !strings.Contains(a.Title, "Flood") {
		t.Errorf("exported %+v", a)
	}

	code, out, _ = run(t, "stories", "--data", data)
	if code != exitOK || !strings.Contains(out, "Flood waters rise") {
		t.Errorf("stories exit %d:\n%s", code, out)
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{nil, exitUsage},
		{[]string{"help"}, exitOK},
		{[]string{"frobnicate"}, exitUsage},
		{[]string{"ingest"}, exitUsage},
		{[]string{"extract"}, exitUsage},
		{[]string{"eval"}, exitUsage},
		{[]string{"eval", "nonsense"}, exitUsage},
		{[]string{"ingest", "-h"}, exitOK},
	}
	for _, tt := range tests {
		if code, _, _ := run(t, tt.args...); code != tt.code {
			t.Errorf("storyline %v: exit %d, want %d", tt.args, code, tt.code)
		}
	}
}

func TestEvalClustersTinyGold(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "gold.jsonl")
	lines := []string{
		`{"id":"q1","story":"quake","text":"A magnitude 6.1 earthquake struck off the coast of Sumatra on Tuesday, shaking buildings in Padang and prompting a brief tsunami warning, Indonesian officials said."}`,
		`{"id":"q2","story":"quake","text":"Buildings shook in Padang on Tuesday when a 6.1 magnitude earthquake struck off Sumatra's coast; officials in Indonesia briefly issued a tsunami warning."}`,
		`{"id":"f1","story":"final","text":"Real Madrid beat Liverpool 3-1 in the Champions League final in Kiev on Saturday, with Gareth Bale scoring twice after coming off the bench."}`,
	}
	if err := os.WriteFile(file, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "eval", "clusters", file)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// The two quake reports together and the final apart is perfect.
	if !strings.Contains(out, "bcubed     P 1.0000  R 1.0000  F1 1.0000") {
		t.Errorf("output:\n%s", out)
	}
}

// `ingest` then `export` gives the same stories as `eval clusters` does.
func TestIngestMatchesEvalClusters(t *testing.T) {
	src := shared.Path(t, "data/ecbplus-dev.jsonl")
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(b), "\n")
	file := filepath.Join(t.TempDir(), "part.jsonl")
	if err := os.WriteFile(file, []byte(strings.Join(lines[:120], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	evalDir, ingestDir := filepath.Join(t.TempDir(), "e"), filepath.Join(t.TempDir(), "i")
	if code, _, errs := run(t, "eval", "clusters", "--data", evalDir, file); code != exitOK {
		t.Fatalf("eval clusters: exit %d: %s", code, errs)
	}
	if code, _, errs := run(t, "ingest", "--data", ingestDir, file); code != exitOK {
		t.Fatalf("ingest: exit %d: %s", code, errs)
	}
	stories := func(dir string) map[string]int64 {
		_, out, _ := run(t, "export", "--data", dir)
		m := map[string]int64{}
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			var a struct {
				ID    string `json:"id"`
				Story int64  `json:"story"`
			}
			if err := json.Unmarshal([]byte(l), &a); err != nil {
				t.Fatal(err)
			}
			m[a.ID] = a.Story
		}
		return m
	}
	e, i := stories(evalDir), stories(ingestDir)
	if len(e) != 120 || len(i) != 120 {
		t.Fatalf("exported %d and %d articles, want 120", len(e), len(i))
	}
	for id, s := range e {
		if i[id] != s {
			t.Errorf("%s: story %d after eval clusters, %d after ingest", id, s, i[id])
		}
	}
}

// A syndicated copy names its original by the id export prints for it.
func TestExportDuplicateOf(t *testing.T) {
	// Long enough to be a copy on its own content (dedup wants some 80
	// shared shingles when no headline backs the match).
	text := "Rescue teams reached the flooded villages on Sunday after the river burst its banks, officials said, and evacuated more than two hundred residents by boat. " +
		"The water rose overnight across the valley, cutting the main road and the rail line to the regional capital. " +
		"Volunteers filled sandbags outside the town hall while the army flew supplies to farms that could only be reached by air. " +
		"Forecasters expect more rain on Tuesday, and the authorities told families living near the embankment to be ready to leave at short notice. " +
		"Insurers said it was too early to estimate the damage, but the regional government promised emergency payments to every household affected."
	file := filepath.Join(t.TempDir(), "copies.jsonl")
	body := `{"id":"orig","source":"Wire","text":"` + text + `"}` + "\n" +
		`{"id":"copy","source":"Daily","url":"https://daily.example/floods","text":"` + text + `"}` + "\n"
	if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(t.TempDir(), "d")
	if code, _, errs := run(t, "ingest", "--data", data, file); code != exitOK {
		t.Fatalf("ingest exit %d: %s", code, errs)
	}
	_, out, _ := run(t, "export", "--data", data)
	var got []articleJSON
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var a articleJSON
		if err := json.Unmarshal([]byte(l), &a); err != nil {
			t.Fatal(err)
		}
		got = append(got, a)
	}
	if len(got) != 2 || got[1].ID != "copy" || got[1].DuplicateOf != "orig" || got[0].DuplicateOf != "" || got[0].Story != got[1].Story {
		t.Errorf("export: %+v", got)
	}
}

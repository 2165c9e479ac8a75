package ingest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/shared"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/story"
)

// open returns a pipeline over the store in dir, resumed as the CLI does
// at start-up.
func open(t *testing.T, dir string) (*Pipeline, *store.SQLite) {
	t.Helper()
	return openWith(t, dir, story.Config{}, Options{})
}

func articles(t *testing.T, st store.Store) []*article.Article {
	t.Helper()
	var out []*article.Article
	err := st.Articles(context.Background(), func(a *article.Article) error {
		out = append(out, a)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRunFolder(t *testing.T) {
	in := t.TempDir()
	files := map[string]string{
		"good.jsonl": strings.Join([]string{
			`{"id":"a1","title":"Quake hits coast","text":"A strong earthquake struck the northern coast on Monday, damaging hundreds of homes and cutting power to the port city, officials said. Rescue teams searched collapsed buildings through the night.","source":"Wire"}`,
			`not json at all`,
			`{"id":"a2","title":"Quake hits coast","text":"A strong earthquake struck the northern coast on Monday, damaging hundreds of homes and cutting power to the port city, officials said. Rescue teams searched collapsed buildings through the night.","source":"Daily Post","url":"https://post.example/quake"}`,
			`{"id":"a3","title":"no body"}`,
		}, "\n") + "\n",
		"empty.txt":   "",
		"binary.html": "\x00\x01\x02\x03PK\x00\x00garbage\x00",
		"notes.pdf":   "%PDF-1.4",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(in, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, st := open(t, t.TempDir())
	rep, err := p.Run(context.Background(), []string{in})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stored != 1 || rep.Copies != 1 {
		t.Errorf("stored %d copies %d, want 1 and 1", rep.Stored, rep.Copies)
	}
	// The bad JSONL line, the line without a body, the empty, binary and
	// unsupported files: five per-item errors, each naming its item.
	if len(rep.Skipped) != 5 {
		t.Errorf("skipped %d, want 5: %+v", len(rep.Skipped), rep.Skipped)
	}
	for _, s := range rep.Skipped {
		if s.Input == "" || s.Reason == "" {
			t.Errorf("skip without input or reason: %+v", s)
		}
	}
	arts := articles(t, st)
	if len(arts) != 2 {
		t.Fatalf("stored %d articles, want 2", len(arts))
	}
	orig, cp := arts[0], arts[1]
	if orig.ExternalID != "a1" || cp.ExternalID != "a2" {
		t.Errorf("external ids %q %q", orig.ExternalID, cp.ExternalID)
	}
	if cp.DuplicateOf != orig.ID || cp.Story != orig.Story || orig.Story == 0 {
		t.Errorf("copy: duplicate_of %d story %d; original id %d story %d", cp.DuplicateOf, cp.Story, orig.ID, orig.Story)
	}
	if cp.Source != "Daily Post" || cp.URL != "https://post.example/quake" {
		t.Errorf("copy keeps its own outlet and URL: %q %q", cp.Source, cp.URL)
	}
	if orig.Lang != "en" {
		t.Errorf("lang %q", orig.Lang)
	}

	// Idempotent: the same input again stores nothing new.
	rep, err = p.Run(context.Background(), []string{in})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Stored+rep.Copies+rep.Related != 0 || rep.Duplicates != 2 {
		t.Errorf("second run: %+v", rep)
	}
	if n := len(articles(t, st)); n != 2 {
		t.Errorf("after second run %d articles", n)
	}
}

// A new process over the same data directory continues the same stories.
func TestRestoreContinuesStories(t *testing.T) {
	dir := t.TempDir()
	in := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(in, name)
		if err := os.WriteFile(p, []byte(`{"id":"`+name+`","text":"`+text+`"}`+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a.jsonl", "Firefighters battled a wildfire near Canberra on Tuesday as strong winds pushed the blaze toward suburban homes and thousands of residents were told to evacuate.")
	b := write("b.jsonl", "Thousands of Canberra residents evacuated on Tuesday as a wildfire driven by strong winds approached suburban homes, and firefighters battled the blaze overnight.")

	p1, st1 := open(t, dir)
	if _, err := p1.Run(context.Background(), []string{a}); err != nil {
		t.Fatal(err)
	}
	st1.Close()

	p2, st2 := open(t, dir)
	if _, err := p2.Run(context.Background(), []string{b}); err != nil {
		t.Fatal(err)
	}
	arts := articles(t, st2)
	if len(arts) != 2 || arts[0].Story != arts[1].Story {
		for _, x := range arts {
			t.Logf("%s story %d", x.ExternalID, x.Story)
		}
		t.Errorf("the second run's article should join the first run's story")
	}
}

// TestRestoreKeepsWholeStory restarts on a story that began before the
// restored window: its older article is not reloaded, yet the story's count,
// outlets and first sighting must still cover it.
func TestRestoreKeepsWholeStory(t *testing.T) {
	dir := t.TempDir()
	in := t.TempDir()
	day0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	write := func(name, outlet string, day int, text string) string {
		p := filepath.Join(in, name)
		line := fmt.Sprintf(`{"id":%q,"source":%q,"published":%q,"text":%q}`+"\n", name, outlet, day0.AddDate(0, 0, day).Format(time.RFC3339), text)
		if err := os.WriteFile(p, []byte(line), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	first := []string{
		write("a.jsonl", "Old Times", 0, "Firefighters battled a wildfire near Canberra as strong winds pushed the blaze toward suburban homes and thousands of residents were told to evacuate."),
		write("b.jsonl", "Post", 6, "The Canberra wildfire kept burning toward suburban homes as firefighters battled the blaze in strong winds and more residents were told to evacuate."),
		write("c.jsonl", "Herald", 12, "Firefighters said the Canberra wildfire that forced thousands of residents to evacuate was still burning near suburban homes after strong winds."),
	}
	later := write("d.jsonl", "Daily", 13, "Residents who fled the Canberra wildfire returned to suburban homes as firefighters contained the blaze after the strong winds eased.")

	p1, st1 := open(t, dir)
	if _, err := p1.Run(context.Background(), first); err != nil {
		t.Fatal(err)
	}
	st1.Close()
	p2, st2 := open(t, dir)
	if _, err := p2.Run(context.Background(), []string{later}); err != nil {
		t.Fatal(err)
	}
	arts := articles(t, st2)
	for _, a := range arts {
		if a.Story != arts[0].Story {
			t.Fatalf("%s in story %d, %s in %d: the test needs one story", a.ExternalID, a.Story, arts[0].ExternalID, arts[0].Story)
		}
	}
	got, err := st2.Story(context.Background(), arts[0].Story)
	if err != nil {
		t.Fatal(err)
	}
	if got.Articles != 4 || !slices.Contains(got.Outlets, "Old Times") || !got.FirstSeen.Equal(day0) {
		t.Errorf("story after restart: %d articles, outlets %v, first seen %v; want 4, Old Times among them, %v",
			got.Articles, got.Outlets, got.FirstSeen, day0)
	}
}

// The five seed pages: one story in two languages; the articles glued to
// the Euronews page's tail are split off and kept out of it.
func TestSeeds(t *testing.T) {
	seeds := shared.Path(t, "seeds")
	p, st := open(t, t.TempDir())
	rep, err := p.Run(context.Background(), []string{seeds})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Skipped) != 0 || rep.Stored != 5 || rep.Related < 2 {
		t.Errorf("report: %+v", rep)
	}
	var mains []*article.Article
	stories := map[int64]int{}
	for _, a := range articles(t, st) {
		if a.Related {
			stories[a.Story] += 0
			continue
		}
		mains = append(mains, a)
		stories[a.Story]++
	}
	if len(mains) != 5 {
		t.Fatalf("%d main articles, want 5", len(mains))
	}
	wantLang := []string{"en", "en", "en", "ar", "en"}
	for i, a := range mains {
		if a.Lang != wantLang[i] {
			t.Errorf("%s: lang %q, want %q", filepath.Base(a.Input), a.Lang, wantLang[i])
		}
		if a.Story != mains[0].Story {
			t.Errorf("%s: story %d, want %d (one story for the five seeds)", filepath.Base(a.Input), a.Story, mains[0].Story)
		}
	}
	for _, a := range articles(t, st) {
		if a.Related && a.Story == mains[0].Story {
			t.Errorf("related article %q joined the seeds' story", a.Title)
		}
	}
}

// Stored articles are searchable by any inflection through the stemmed
// full-text column.
func TestStemmedSearch(t *testing.T) {
	in := filepath.Join(t.TempDir(), "a.jsonl")
	line := `{"id":"s1","title":"Flooding closes roads","text":"Floods closed dozens of roads across the county on Friday as rivers burst their banks after a week of storms."}`
	if err := os.WriteFile(in, []byte(line+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, st := open(t, t.TempDir())
	if _, err := p.Run(context.Background(), []string{in}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"stemmed:flood", "stemmed:road", "stemmed:storm"} {
		ids, err := st.Search(context.Background(), q, 10)
		if err != nil || len(ids) != 1 {
			t.Errorf("Search(%q) = %v, %v; want one hit", q, ids, err)
		}
	}
}

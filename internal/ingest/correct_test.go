package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/service"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/story"
)

// twoStories writes articles of two events the stream keeps apart.
func twoStories(t *testing.T) string {
	t.Helper()
	in := filepath.Join(t.TempDir(), "a.jsonl")
	lines := []string{
		`{"id":"f1","source":"Herald","published":"2025-06-02T09:00:00Z","title":"Wildfire near Canberra forces evacuations","text":"Firefighters battled a wildfire near Canberra on Tuesday as strong winds pushed the blaze toward suburban homes and thousands of residents were told to evacuate."}`,
		`{"id":"f2","source":"Post","published":"2025-06-02T11:00:00Z","title":"Canberra wildfire spreads","text":"Thousands of Canberra residents evacuated on Tuesday as a wildfire driven by strong winds approached suburban homes, and firefighters battled the blaze overnight."}`,
		`{"id":"b1","source":"Herald","published":"2025-06-02T10:00:00Z","title":"Ostmark harbour reopens","text":"The harbour of Ostmark reopened on Monday after a storm closed it for a week, and the ferries to the islands will run again by Friday, the port authority said."}`,
		`{"id":"b2","source":"Post","published":"2025-06-02T12:00:00Z","title":"Ferries return to Ostmark","text":"Ferries will return to the harbour of Ostmark by Friday after the storm that closed the port for a week, the port authority said on Monday."}`,
	}
	if err := os.WriteFile(in, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return in
}

// storyOf returns the story readers see each article in, by external ID.
func storyOf(t *testing.T, st store.Store) map[string]int64 {
	t.Helper()
	m := map[string]int64{}
	for _, a := range articles(t, st) {
		m[a.ExternalID] = a.Story
	}
	return m
}

func TestCorrectStories(t *testing.T) {
	dir := t.TempDir()
	p, st := openWith(t, dir, story.Config{}, Options{})
	if _, err := p.Run(context.Background(), []string{twoStories(t)}); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s := storyOf(t, st)
	if s["f1"] != s["f2"] || s["b1"] != s["b2"] || s["f1"] == s["b1"] {
		t.Fatalf("the test needs two stories: %v", s)
	}
	fire, harbour := s["f1"], s["b1"]

	// A person merges the harbour story into the fire story...
	merge, err := p.Correct(ctx, service.Correction{Kind: service.MergeStories, Story: fire, Other: harbour})
	if err != nil {
		t.Fatal(err)
	}
	if s := storyOf(t, st); s["b1"] != fire || s["b2"] != fire {
		t.Fatalf("after the merge: %v", s)
	}
	// ...and undoes it: the harbour story is back, with its ID.
	if err := p.Undo(ctx, merge); err != nil {
		t.Fatal(err)
	}
	if s := storyOf(t, st); s["b1"] != harbour || s["b2"] != harbour || s["f1"] != fire {
		t.Fatalf("after undoing the merge: %v", s)
	}
	if err := p.Undo(ctx, merge); !errors.Is(err, ErrCorrection) {
		t.Errorf("undoing twice: %v", err)
	}

	// A person moves one article, then splits one off.
	id := articleID(t, st, "f2")
	if _, err := p.Correct(ctx, service.Correction{Kind: service.MoveArticle, Article: id, Other: harbour}); err != nil {
		t.Fatal(err)
	}
	if s := storyOf(t, st); s["f2"] != harbour {
		t.Fatalf("after the move: %v", s)
	}
	split, err := p.Correct(ctx, service.Correction{Kind: service.SplitStory, Story: harbour, Articles: []int64{id}})
	if err != nil {
		t.Fatal(err)
	}
	s = storyOf(t, st)
	if s["f2"] == harbour || s["f2"] == fire {
		t.Fatalf("after the split: %v", s)
	}
	st.Close()

	// A restart keeps the person's split: the article that belongs with
	// the fire story by its words stays apart from the harbour story, and
	// a new run does not undo the correction.
	p, st = openWith(t, dir, story.Config{}, Options{})
	more := filepath.Join(t.TempDir(), "b.jsonl")
	line := `{"id":"f3","source":"Gazette","published":"2025-06-02T13:00:00Z","title":"Canberra wildfire: residents evacuate","text":"Firefighters battled the wildfire near Canberra through Tuesday night as strong winds pushed the blaze toward suburban homes and residents evacuated."}`
	if err := os.WriteFile(more, []byte(line+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Run(ctx, []string{twoStories(t), more}); err != nil {
		t.Fatal(err)
	}
	s2 := storyOf(t, st)
	if s2["f2"] != s["f2"] || s2["f3"] != fire {
		t.Errorf("a run after the restart: %v (the new fire article should join the fire story, the split one stay apart), was %v", s2, s)
	}
	if err := p.Undo(ctx, split); err != nil {
		t.Fatal(err)
	}
	if s := storyOf(t, st); s["f2"] != harbour {
		t.Errorf("after undoing the split: %v", s)
	}
	if _, err := p.Correct(ctx, service.Correction{Kind: service.MergeStories, Story: fire, Other: 999}); !errors.Is(err, ErrCorrection) {
		t.Errorf("merging a story that does not exist: %v", err)
	}
}

func articleID(t *testing.T, st store.Store, ext string) int64 {
	t.Helper()
	for _, a := range articles(t, st) {
		if a.ExternalID == ext {
			return a.ID
		}
	}
	t.Fatalf("no article %s", ext)
	return 0
}

package live

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/ingest"
	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/service"
	"github.com/storyline/storyline/internal/source"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/story"
)

// openService opens a service on a new store. Its fixtures:
// testdata/inbox holds two events told by two outlets each; late.txt is a
// third article about the first.
func openService(t *testing.T) (*Service, *store.SQLite) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p, err := ingest.Open(ctx, st, langid.Default(), story.New(story.Config{}, nil), ingest.Options{Source: source.Options{Validators: st}})
	if err != nil {
		t.Fatal(err)
	}
	return New(st, p, Options{Watch: 50 * time.Millisecond}), st
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	es, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestServiceIngestsWatchesAndCorrects(t *testing.T) {
	svc, _ := openService(t)
	inbox := t.TempDir()
	copyDir(t, "testdata/inbox", inbox)
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- svc.Run(ctx, []Source{{Input: inbox}}) }()

	stories := func() []store.Story {
		page, err := svc.Stories(ctx, service.StoryFilter{}, "", 50)
		if err != nil {
			t.Fatal(err)
		}
		return page.Stories
	}
	waitFor(t, "the inbox's four articles", func() bool {
		n := 0
		for _, s := range stories() {
			n += s.Articles
		}
		return n == 4
	})
	if ss := stories(); len(ss) != 2 {
		t.Fatalf("%d stories, want the two events: %+v", len(ss), ss)
	}
	if st := svc.Status(ctx); st.Articles != 4 || st.LastUpdate.IsZero() {
		t.Errorf("status %+v, want 4 articles and a last update", st)
	}

	// A file dropped in the watched folder is taken at the next look.
	late, err := os.ReadFile("testdata/late.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(inbox, "late.txt"), late, 0o644); err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-time.Minute) // written in full, not still growing
	os.Chtimes(filepath.Join(inbox, "late.txt"), past, past)
	waitFor(t, "the dropped file", func() bool { return svc.Status(ctx).Articles == 5 })

	// A posted page is in its story when Submit returns.
	rep, err := svc.Submit(ctx, []article.Page{{Kind: article.KindText, Input: "api", Source: "Harbour Radio", Title: "Ferry service resumes after pier repairs",
		Body: []byte("Ferry service to the islands resumed on Friday after repairs to the storm-damaged pier of the northern quay were finished, the harbour authority said. " +
			"The ferries run on the summer timetable, and fishermen said the quay was busy again.")}})
	if err != nil || len(rep.Stored) != 1 {
		t.Fatalf("submit: %+v, %v", rep, err)
	}
	a, _, err := svc.Article(ctx, rep.Stored[0])
	if err != nil {
		t.Fatal(err)
	}
	s, err := svc.Story(ctx, a.Story)
	if err != nil || s.Articles < 2 {
		t.Fatalf("the posted article's story %+v, %v: want it with the harbour story", s, err)
	}

	// Merge the two events, then undo it.
	ss := stories()
	before := len(ss)
	id, err := svc.Correct(ctx, service.Correction{Kind: service.MergeStories, Story: ss[0].ID, Other: ss[1].ID})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(stories()); got != before-1 {
		t.Errorf("after the merge %d stories, want %d", got, before-1)
	}
	if err := svc.Undo(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got := len(stories()); got != before {
		t.Errorf("after the undo %d stories, want %d", got, before)
	}
	if err := svc.Undo(ctx, id); !errors.Is(err, service.ErrRefused) {
		t.Errorf("a second undo: %v, want ErrRefused", err)
	}

	cancel()
	if err := <-ran; err != nil {
		t.Errorf("Run: %v", err)
	}
	if _, err := svc.Correct(context.Background(), service.Correction{Kind: service.MergeStories, Story: 1, Other: 2}); !errors.Is(err, ErrStopped) {
		t.Errorf("a write after Run returned: %v, want ErrStopped", err)
	}
}

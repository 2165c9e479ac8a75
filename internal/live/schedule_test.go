package live

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/ingest"
)

func TestSchedulerBacksOffFailingFeeds(t *testing.T) {
	opt := Options{Poll: time.Minute, MaxBackoff: 10 * time.Minute, Watch: time.Second}.withDefaults()
	s := newScheduler([]Source{{Input: "https://a.example/rss"}, {Input: "https://b.example/rss", Every: 5 * time.Minute}}, opt, opt.Logger)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b := s.due(now)
	if want := []string{"https://a.example/rss", "https://b.example/rss"}; !slices.Equal(b.urls, want) {
		t.Fatalf("first due %v, want every feed %v", b.urls, want)
	}
	// a fails each time, b works: a's waits double from its interval up to
	// the cap; b keeps its own interval.
	wantA := []time.Duration{2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 10 * time.Minute, 10 * time.Minute}
	for i, w := range wantA {
		s.done(batch{urls: []string{"https://a.example/rss", "https://b.example/rss"}},
			&ingest.Report{Skipped: []ingest.Skip{{Input: "https://a.example/rss", Reason: "503"}}}, now)
		if got := s.urls["https://a.example/rss"].wait; got != w {
			t.Errorf("failure %d: a waits %v, want %v", i+1, got, w)
		}
		if got := s.urls["https://b.example/rss"].wait; got != 5*time.Minute {
			t.Errorf("b waits %v, want its own 5m", got)
		}
	}
	if got := s.next(); !got.Equal(now.Add(5 * time.Minute)) {
		t.Errorf("next due %v, want b's %v", got, now.Add(5*time.Minute))
	}
	if b := s.due(now.Add(6 * time.Minute)); !slices.Equal(b.urls, []string{"https://b.example/rss"}) {
		t.Errorf("due at +6m: %v, want only b", b.urls)
	}
	// One success puts a back on its interval.
	s.done(batch{urls: []string{"https://a.example/rss"}}, &ingest.Report{}, now)
	if got := s.urls["https://a.example/rss"].wait; got != time.Minute {
		t.Errorf("after a success a waits %v, want 1m", got)
	}
	// A run that failed as a whole counts as a failure of all it held.
	s.done(batch{urls: []string{"https://a.example/rss"}}, nil, now)
	if got := s.urls["https://a.example/rss"].wait; got != 2*time.Minute {
		t.Errorf("after a failed run a waits %v, want 2m", got)
	}
}

func TestSchedulerWatchesFolders(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-time.Hour)
	write := func(name, body string, mod time.Time) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mod, mod); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a := write("a.txt", "first", old)
	write(".hidden.txt", "editor swap", old)
	opt := Options{Watch: time.Minute}.withDefaults()
	s := newScheduler([]Source{{Input: dir}}, opt, opt.Logger)
	now := time.Now()
	if got := s.due(now).inputs; !slices.Equal(got, []string{a}) {
		t.Fatalf("first scan %v, want [%s] (hidden files skipped)", got, a)
	}
	if got := s.due(now.Add(time.Second)).inputs; len(got) != 0 {
		t.Errorf("before the watch interval: %v, want nothing", got)
	}
	b := write("b.txt", "second", old)
	fresh := write("c.txt", "still being written", time.Now())
	if got := s.due(now.Add(2 * time.Minute)).inputs; !slices.Equal(got, []string{b}) {
		t.Errorf("second scan %v, want the new file %s and not %s, changed within the interval", got, b, fresh)
	}
	write("a.txt", "first, corrected", old.Add(time.Minute))
	if err := os.Chtimes(fresh, old, old); err != nil {
		t.Fatal(err)
	}
	got := s.due(now.Add(4 * time.Minute)).inputs
	if want := []string{a, fresh}; !slices.Equal(got, want) {
		t.Errorf("third scan %v, want the changed and the settled file %v", got, want)
	}
	if s.next().After(now.Add(5 * time.Minute)) {
		t.Errorf("next watch %v, want within the interval", s.next())
	}
}

func TestParseSources(t *testing.T) {
	got, err := ParseSources(strings.NewReader("# feeds\nhttps://a.example/rss 5m\n\n  /data/inbox  \nhttps://b.example/atom\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Source{{"https://a.example/rss", 5 * time.Minute}, {"/data/inbox", 0}, {"https://b.example/atom", 0}}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for _, bad := range []string{"https://a.example/rss often\n", "https://a.example/rss 5m extra\n", "https://a.example/rss -5m\n"} {
		if _, err := ParseSources(strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("%q: error %v, want one naming line 1", bad, err)
		}
	}
}

func TestLooksLikeSources(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"https://a.example/rss\nhttps://b.example/atom 10m\n", true},
		{"# my feeds\n\nhttp://a.example/feed\n", true},
		{"", false},
		{"# only a comment\n", false},
		{"https://a.example/rss\nThe minister said on Monday that talks would resume.\n", false},
		{"TOKYO (Kyodo) -- The prime minister met the NATO chief.\n", false},
		{"https://a.example/rss yesterday\n", false},
	} {
		if got := LooksLikeSources(tc.text); got != tc.want {
			t.Errorf("LooksLikeSources(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}

package web

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/intel/digest"
	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/store"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// assetVersion is the stylesheet's and icon's content hash in their URLs,
// which changes with every edit of the stylesheet.
var assetVersion = regexp.MustCompile(`\?v=[0-9a-f]+`)

// TestGolden compares the rendered story page with testdata: a change of
// markup shows as a diff to review (go test ./internal/web -run Golden
// -update rewrites it). Times come from the fake and Options.Now, so only
// the asset versions need normalising.
func TestGolden(t *testing.T) {
	_, h, _ := setup(t, Options{WriteToken: token})
	for path, file := range map[string]string{"/story/7": "story.golden.html", "/entity/1": "entity.golden.html"} {
		w := get(h, path)
		if w.Code != 200 {
			t.Fatalf("%s: %d", path, w.Code)
		}
		got := assetVersion.ReplaceAllString(w.Body.String(), "?v=VERSION")
		name := filepath.Join("testdata", file)
		if *update {
			if err := os.WriteFile(name, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(name)
		if err != nil {
			t.Fatalf("%v (run with -update to create it)", err)
		}
		if got != string(want) {
			gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
			for i := range max(len(gl), len(wl)) {
				var g, w string
				if i < len(gl) {
					g = gl[i]
				}
				if i < len(wl) {
					w = wl[i]
				}
				if g != w {
					t.Errorf("%s differs from %s at line %d:\n got: %s\nwant: %s\n(run with -update if the change is meant)", path, name, i+1, g, w)
					break
				}
			}
		}
	}
}

// source is a digest.Source over the fake's articles, so that a digest
// the real digest.Build makes goes through the story page.
type source struct{ f *fake }

func (s source) Story(ctx context.Context, id int64) (store.Story, error) { return s.f.Story(ctx, id) }
func (s source) StoryArticles(_ context.Context, id int64, fn func(*article.Article) error) error {
	for i := int64(1); i <= 4; i++ {
		if err := fn(s.f.articles[i]); err != nil {
			return err
		}
	}
	return nil
}
func (s source) StoryEvents(context.Context, int64) ([]store.StoryEvent, error) {
	return []store.StoryEvent{{Kind: store.EventMerge, Story: 7, Other: 9, At: at(2, 8), Detail: "average-link similarity 0.41", Articles: []int64{3, 4}}}, nil
}
func (s source) Intel(_ context.Context, id int64) (store.Intel, error) { return s.f.intel[id], nil }
func (s source) Entity(_ context.Context, id int64) (entity.Entity, error) {
	e := s.f.entities[id].Entity
	return entity.Entity{ID: e.ID, Canonical: e.Canonical, Type: entity.Type(e.Type)}, nil
}

// TestBuiltDigest renders what digest.Build makes of the fake's articles,
// not only the hand-written digest.
func TestBuiltDigest(t *testing.T) {
	f, h, _ := setup(t, Options{})
	d, err := digest.Build(context.Background(), source{f}, 7, digest.Options{Why: &digest.Explainer{}})
	if err != nil {
		t.Fatal(err)
	}
	f.digests[7] = d
	w := get(h, "/story/7")
	body := w.Body.String()
	if w.Code != 200 {
		t.Fatalf("%d\n%s", w.Code, body)
	}
	for _, s := range []string{"<svg", `<a href="/entity/1" dir="auto">Anna Berg</a>`, `<li id="article-3">`, "Why it is here",
		`<blockquote dir="auto">سنعيد بناء الرصيف حجراً حجراً</blockquote>`} {
		if !strings.Contains(body, s) {
			t.Errorf("no %s", s)
		}
	}
	checkMarkup(t, "built digest", body, false)
}

package story

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/lexicon"
	"github.com/storyline/storyline/internal/shared"
)

// TestSeedsOneStory streams the five seed pages (four English, one Arabic,
// all about one event) and expects one story. Seed 004 carries unrelated
// articles after "Related Articles"; the page splitter removes them in the
// pipeline, so the test cuts them here.
func TestSeedsOneStory(t *testing.T) {
	t.Run("no lexicon", func(t *testing.T) { seedsOneStory(t, nil) })
	t.Run("lexicon", func(t *testing.T) {
		lex := loadLexicon(t, "ar")
		if lex == nil {
			t.Skip("no dictionaries")
		}
		seedsOneStory(t, lex)
	})
}

func seedsOneStory(t *testing.T, lex *lexicon.Lexicon) {
	dir := shared.Path(t, "seeds")
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) != 5 {
		t.Fatalf("seeds: %v files, %v", len(files), err)
	}
	sort.Strings(files)
	langs := []string{"en", "en", "en", "ar", "en"}
	a := New(Config{}, lex)
	stories := map[int64]int{}
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		txt := string(b)
		if i := strings.Index(txt, "\nRelated Articles"); i >= 0 {
			txt = txt[:i]
		}
		art := &article.Article{ID: int64(i + 1), Lang: langs[i], Text: txt}
		d := a.Assign(art)
		t.Logf("%s (%s): story %d new %v score %.3f", filepath.Base(f), langs[i], d.Story, d.New, d.Score)
		stories[d.Story]++
	}
	if len(stories) != 1 {
		evs := a.Maintain(a.now)
		t.Logf("maintain: %v", evs)
		stories = map[int64]int{}
		for i := range files {
			stories[a.owner[int64(i+1)]]++
		}
	}
	if len(stories) != 1 {
		t.Errorf("seeds form %d stories (%v), want 1", len(stories), stories)
	}
}

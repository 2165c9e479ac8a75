package story

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/clean"
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

// TestSeedsRelatedStayApart streams the seed pages as the pipeline splits
// them, main articles and the articles glued to a page's tail, then lets two
// days pass so that Maintain may absorb small stories: the glued-on
// articles report other events and must stay out of the seeds' story and
// apart from one another.
func TestSeedsRelatedStayApart(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(shared.Path(t, "seeds"), "*.txt"))
	if err != nil || len(files) != 5 {
		t.Fatalf("seeds: %v files, %v", len(files), err)
	}
	sort.Strings(files)
	langs := []string{"en", "en", "en", "ar", "en"}
	a := New(Config{}, loadLexicon(t, "ar"))
	var mains, related []int64
	id := int64(0)
	for i, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		res := clean.Text(string(b))
		id++
		mains = append(mains, id)
		a.Assign(&article.Article{ID: id, Lang: langs[i], Title: res.Main.Title, Text: res.Main.Text, Published: res.Main.Published})
		for _, r := range res.Related {
			id++
			related = append(related, id)
			a.Assign(&article.Article{ID: id, Lang: "en", Title: r.Title, Text: r.Text, Published: r.Published})
		}
	}
	if len(related) == 0 {
		t.Fatal("no related articles split off the seed pages")
	}
	for _, ev := range a.Maintain(a.now.Add(48 * time.Hour)) {
		t.Logf("maintain: %+v", ev)
	}
	// Maintain expires nothing here: the window is a week.
	seen := map[int64]int64{}
	for _, r := range related {
		s := a.owner[r]
		if s == a.owner[mains[0]] {
			t.Errorf("related article %d joined the seeds' story %d", r, s)
		}
		if o, ok := seen[s]; ok {
			t.Errorf("related articles %d and %d share story %d", o, r, s)
		}
		seen[s] = r
	}
	for _, m := range mains[1:] {
		if a.owner[m] != a.owner[mains[0]] {
			t.Errorf("seed article %d in story %d, seed 1 in %d", m, a.owner[m], a.owner[mains[0]])
		}
	}
}

package ingest

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/intel/digest"
	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/lexicon"
	"github.com/storyline/storyline/internal/shared"
	"github.com/storyline/storyline/internal/story"
)

// TestSeedsIntel: on the seeds' story, one entity for each person under
// all the spellings the five pages use, across English and Arabic.
func TestSeedsIntel(t *testing.T) {
	p, st := openWith(t, t.TempDir(), story.Config{}, Options{Words: words(t)})
	if _, err := p.Run(context.Background(), []string{shared.Path(t, "seeds")}); err != nil {
		t.Fatal(err)
	}
	var main int64
	for _, a := range articles(t, st) {
		if !a.Related && strings.Contains(a.Input, "001_") {
			main = a.Story
		}
	}
	d, err := digest.Build(context.Background(), st, main, digest.Options{MaxEntities: 60})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]digest.EntityRow{}
	for _, e := range d.Entities {
		byName[e.Canonical] = e
		t.Logf("%-20s %-6s %d articles: %v", e.Canonical, e.Type, e.Articles, e.Variants)
	}
	for _, want := range []struct {
		canonical string
		typ       string
		variants  []string
	}{
		{"Mark Rutte", "person", []string{"Mark Rutte", "Rutte", "Rutt", "روت"}},
		{"Shigeru Ishiba", "person", []string{"Shigeru Ishiba", "Ishiba", "إيشيبا"}},
		{"Gen Nakatani", "person", []string{"Gen Nakatani", "Nakatani"}},
		{"NATO", "org", []string{"NATO", "الناتو"}},
	} {
		e, ok := byName[want.canonical]
		if !ok {
			t.Errorf("no entity %q in the story", want.canonical)
			continue
		}
		if e.Type != want.typ {
			t.Errorf("%s is a %s, want %s", want.canonical, e.Type, want.typ)
		}
		for _, v := range want.variants {
			if !slices.Contains(e.Variants, v) {
				t.Errorf("%s lacks the spelling %q: %v", want.canonical, v, e.Variants)
			}
		}
	}
	// Ishiba's quote in both the Mainichi and the Euronews article, with
	// him as speaker; Rutte's grouped across outlets.
	ishiba, rutte := byName["Shigeru Ishiba"].ID, byName["Mark Rutte"].ID
	var sawIshiba, sawRutte bool
	for _, q := range d.Quotes {
		t.Logf("%s (%d outlets, drift %v): %.80s", q.Speaker, q.Outlets, q.Drift, q.Text)
		if strings.Contains(q.Text, "A stronger NATO will benefit Japan greatly") {
			sawIshiba = true
			outlets := map[string]bool{}
			for _, it := range q.Items {
				outlets[it.Outlet] = true
			}
			if q.SpeakerEntity != ishiba || !outlets["Mainichi"] || !outlets["Euronews"] {
				t.Errorf("Ishiba's quote: speaker %d (want %d), outlets %v", q.SpeakerEntity, ishiba, outlets)
			}
		}
		if strings.Contains(q.Text, "helps Ukraine fight today") {
			sawRutte = true
			if q.SpeakerEntity != rutte || q.Outlets < 2 {
				t.Errorf("Rutte's quote: speaker %d (want %d), %d outlets", q.SpeakerEntity, rutte, q.Outlets)
			}
		}
	}
	if !sawIshiba || !sawRutte {
		t.Errorf("quotes found: Ishiba's %v, Rutte's %v", sawIshiba, sawRutte)
	}
	// Only the Chinese platform's article names Cui Hongjian.
	only := ""
	for _, o := range d.Coverage.Outlets {
		for _, i := range o.Only {
			if d.Coverage.Facts[i].Label == "Cui Hongjian" {
				only = o.Name
			}
		}
	}
	for _, a := range d.Articles {
		if a.Outlet == only && !strings.Contains(a.Title, "Indo-Pacific") {
			t.Errorf("Cui Hongjian is said alone by %s, not the Chinese platform's article", only)
		}
	}
	if only == "" {
		t.Error("the coverage does not say that only the Chinese platform's article names Cui Hongjian")
	}
	// Never two people who only share a surname: the stories' Nakatanis
	// with different given names stay two entities, or one if named alike.
	for _, e := range d.Entities {
		if e.Type == "person" && len(e.Variants) > 0 {
			full := 0
			for _, v := range e.Variants {
				if strings.Contains(v, " ") && !strings.ContainsFunc(v, func(r rune) bool { return r >= 0x600 && r <= 0x6ff }) {
					full++
				}
			}
			if full > 1 && e.Canonical != "Mark Rutte" {
				t.Logf("%s has %d full Latin spellings: %v", e.Canonical, full, e.Variants)
			}
		}
	}
}

// words returns the system's dictionaries, nil without them (CI installs
// them).
func words(t *testing.T) entity.Words {
	t.Helper()
	if _, err := os.Stat(lexicon.DefaultDir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no dictionaries in %s", lexicon.DefaultDir)
		}
		return nil
	}
	lex, err := lexicon.Load(context.Background(), lexicon.DefaultDir, []string{"ar"})
	if err != nil {
		t.Fatal(err)
	}
	return lex
}

// TestDigestsStored: with Options.Digest, a settle stores the digest of
// each story it rewrote, and writing the story's row again drops it.
func TestDigestsStored(t *testing.T) {
	p, st := openWith(t, t.TempDir(), story.Config{}, Options{Digest: &digest.Options{}})
	if _, err := p.Run(context.Background(), []string{shared.Path(t, "seeds")}); err != nil {
		t.Fatal(err)
	}
	ss, err := st.Stories(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range ss {
		b, err := st.Digest(context.Background(), s.ID)
		if err != nil || len(b) == 0 {
			t.Errorf("story %d: no digest stored (%v)", s.ID, err)
		}
	}
}

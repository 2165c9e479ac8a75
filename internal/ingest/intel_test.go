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

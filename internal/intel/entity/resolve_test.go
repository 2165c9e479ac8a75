package entity_test

import (
	"context"
	"slices"
	"testing"

	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/intel/entity/entitytest"
)

// TestConjunctionLeftOut: an Arabic name the story knows, written with a
// fused "and" (والناتو، وروسيا), is the name as other articles spell it,
// its span without the conjunction.
func TestConjunctionLeftOut(t *testing.T) {
	ctx := context.Background()
	reg := entitytest.NewMem()
	r := entity.Resolver{Words: words(t)}
	const story = 1
	en := "NATO Secretary-General Mark Rutte met Japanese officials in Tokyo. Mark Rutte said NATO would deepen ties with Japan, and warned about Russia and China."
	for id, a := range []entity.Article{
		{ID: 1, Story: story, Lang: "en", Text: en},
		{ID: 2, Story: story, Lang: "ar", Text: "قال الأمين العام لحلف الناتو مارك روته إن اليابان والناتو سيعززان التعاون، وحذر من الصين وروسيا."},
	} {
		rs, err := r.Resolve(ctx, reg, a, entity.Find(a.Lang, "", a.Text, r.Words))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range rs {
			if m.Entity != 0 {
				reg.Mention(story, m.Entity)
			}
		}
		if id == 0 {
			continue
		}
		var texts []string
		for _, m := range rs {
			if got := a.Text[m.Start:m.End]; got != m.Text {
				t.Errorf("mention %q spans %q", m.Text, got)
			}
			texts = append(texts, m.Text)
		}
		for _, bad := range []string{"والناتو", "وروسيا"} {
			if slices.Contains(texts, bad) {
				t.Errorf("mention %q keeps its conjunction; mentions %q", bad, texts)
			}
		}
		for _, want := range []string{"الناتو", "روسيا"} {
			if !slices.Contains(texts, want) {
				t.Errorf("no mention %q; mentions %q", want, texts)
			}
		}
	}
}

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

// TestKanaLiquids: kana have one liquid, so ショルツ (shorutsu) and Scholz
// share no key (xrs, xls), yet in one story they are one person.
// (A full name read after its surname alone is not linked to it, in any
// script: the surname could be another person's.)
func TestKanaLiquids(t *testing.T) {
	ctx := context.Background()
	reg := entitytest.NewMem()
	r := entity.Resolver{Words: words(t)}
	ids := map[string]int64{}
	for _, a := range []entity.Article{
		{ID: 1, Story: 1, Lang: "en", Text: "German Chancellor Olaf Scholz met Polish officials in Warsaw on Sunday. Scholz said the two governments would work together on energy."},
		{ID: 2, Story: 1, Lang: "ja", Text: "ドイツのショルツ首相は日曜日、ワルシャワでポーランド政府の関係者と会談した。ショルツ首相はエネルギー分野での協力を強調した。"},
	} {
		rs, err := r.Resolve(ctx, reg, a, entity.Find(a.Lang, "", a.Text, r.Words))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range rs {
			if m.Entity != 0 {
				reg.Mention(a.Story, m.Entity)
				ids[m.Text] = m.Entity
			}
		}
	}
	if scholz, kana := ids["Olaf Scholz"], ids["ショルツ"]; scholz == 0 || kana != scholz {
		t.Errorf("Olaf Scholz → %d, ショルツ → %d: want one entity (mentions %v)", scholz, kana, ids)
	}
}

package story

import (
	"github.com/storyline/storyline/internal/article"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/text"
)

func TestDbgSeeds(t *testing.T) {
	if os.Getenv("STORY_SWEEP") == "" {
		t.Skip()
	}
	files, _ := filepath.Glob("/work/shared/seeds/*.txt")
	sort.Strings(files)
	langs := []string{"en", "en", "en", "ar", "en"}
	var docs []*text.Doc
	m := text.NewModel()
	var an text.Analyzer
	an.Translator = loadLexicon(t, "ar")
	for i, f := range files {
		b, _ := os.ReadFile(f)
		txt := string(b)
		if i := strings.Index(txt, "\nRelated Articles"); i >= 0 {
			txt = txt[:i]
		}
		d := an.Analyze(langs[i], "", txt)
		docs = append(docs, d)
		m.Add(d)
	}
	w := text.DefaultWeights
	va := m.Vector(docs[3], w).Filter(scriptNeutral)
	ve := m.Vector(docs[1], w).Filter(scriptNeutral)
	t.Logf("ar skel %d terms, en skel %d terms", len(va), len(ve))
	set := map[string]float64{}
	for _, e := range ve {
		set[e.Key] = e.W
	}
	var shared []string
	for _, e := range va {
		if set[e.Key] > 0 {
			shared = append(shared, e.Key)
		}
	}
	t.Logf("shared: %v", shared)
	t.Logf("ar top: %v", va.Top(40))
	t.Logf("en top: %v", ve.Top(40))
}

func TestDbgCross(t *testing.T) {
	if os.Getenv("STORY_SWEEP") == "" {
		t.Skip()
	}
	docs := readJSONL[ecbDoc](t, "/work/shared/data/ecbplus-dev.jsonl")
	for _, lex := range []bool{false, true} {
		cfg := Config{}
		a := New(cfg, nil)
		if lex {
			a.cfg.Analyzer.Translator = loadLexicon(t, "ar")
		}
		for i, d := range docs {
			a.Assign(&article.Article{ID: int64(i + 1), Lang: d.Lang, Text: d.Text})
		}
		files, _ := filepath.Glob("/work/shared/seeds/*.txt")
		sort.Strings(files)
		langs := []string{"en", "en", "en", "ar", "en"}
		var ar *member
		for i, f := range files {
			b, _ := os.ReadFile(f)
			txt := string(b)
			if i := strings.Index(txt, "\nRelated Articles"); i >= 0 {
				txt = txt[:i]
			}
			art := &article.Article{ID: int64(1000 + i), Lang: langs[i], Text: txt}
			if langs[i] == "ar" {
				ar = a.newMember(art)
				continue
			}
			a.Assign(art)
		}
		seedStory := a.owner[1000]
		type sc struct {
			id int64
			s  float64
		}
		var all []sc
		for _, id := range a.sortedIDs() {
			s := a.stories[id]
			v, _ := a.score(ar, s)
			all = append(all, sc{id, v})
		}
		sort.Slice(all, func(i, j int) bool { return all[i].s > all[j].s })
		t.Logf("lex %v seed story %d; top: %v", lex, seedStory, all[:6])
	}
}

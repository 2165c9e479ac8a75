package ingest

import (
	"context"
	"testing"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/source"
)

// The language stored is the input's own unless the text clearly says
// otherwise, and "und" when nothing tells it.
func TestPrepareLanguage(t *testing.T) {
	const (
		french  = "Le gouvernement a présenté mercredi un projet de loi destiné à renforcer la protection des côtes contre les tempêtes, après les inondations de l'hiver dernier."
		russian = "Правительство в среду представило законопроект об усилении защиты побережья от штормов после зимних наводнений, сообщили в министерстве."
		finnish = "Suomen hallitus esitti torstaina uuden talousarvion, jossa leikataan sosiaaliturvasta ja korotetaan arvonlisäveroa, kertoi valtiovarainministeri."
	)
	tests := []struct {
		name string
		page article.Page
		want string
	}{
		{"supplied and agreeing", article.Page{Kind: article.KindClean, Lang: "fr-FR", Body: []byte(french)}, "fr"},
		{"supplied, text too short to contradict it", article.Page{Kind: article.KindClean, Lang: "pt_BR", Body: []byte("Chuva forte no Rio")}, "pt"},
		{"supplied, script contradicts", article.Page{Kind: article.KindClean, Lang: "en", Body: []byte(russian)}, "ru"},
		{"nothing supplied: detected beyond the old 20", article.Page{Kind: article.KindClean, Body: []byte(finnish)}, "fi"},
		{"nothing supplied, too short: undetermined", article.Page{Kind: article.KindClean, Body: []byte("Breaking")}, langid.Undetermined},
		// Galician, which the models lack (they would say pt or es): the
		// page's own <html lang> is what the article gets.
		{"html lang of a page", article.Page{Kind: article.KindHTML, Body: []byte(galicianPage)}, "gl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.page.Input = tt.name
			p := prepareOne(context.Background(), source.Item{Page: tt.page}, Stages{Det: langid.Default()})
			if p.Err != nil {
				t.Fatal(p.Err)
			}
			if len(p.Articles) == 0 {
				t.Fatal("no article")
			}
			if got := p.Articles[0].Lang; got != tt.want {
				t.Errorf("lang %q, want %q", got, tt.want)
			}
		})
	}
}

const galicianPage = `<!doctype html><html lang="gl-ES"><head><title>Axudas ao mar</title></head><body>
<article><h1>O Goberno aproba axudas para o sector pesqueiro</h1>
<p>O Goberno galego aprobou onte un novo plan de axudas para o sector pesqueiro, que sufriu graves perdas durante o inverno polos temporais que azoutaron a costa.</p>
<p>A conselleira do Mar explicou que as axudas chegarán a máis de dous mil mariñeiros antes do verán, e que se pagarán directamente ás confrarías.</p>
<p>As confrarías valoraron a medida, aínda que lembraron que levan meses agardando unha resposta da administración e que moitos barcos seguen amarrados no porto.</p>
</article></body></html>`

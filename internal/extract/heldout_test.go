package extract

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/eval"
)

// heldoutDir holds pages written for this test and never used to tune a
// rule (see its README.md for what the gold bodies hold).
const heldoutDir = "testdata/heldout"

// heldoutPages lists every page of heldoutDir with the URL it is served
// from and what it exercises; a page on disk missing here, or listed here
// and missing on disk, fails the test.
var heldoutPages = []struct {
	name, url, shape string
}{
	{"de-radwege", "https://www.weserbote.example/lokales/stadtrat-beschliesst-radwegenetz-innenstadt-1182734", "nav, sidebar, 'Lesen Sie auch', 'Jetzt abonnieren' paywall, caption"},
	{"de-bahnstreik", "https://rheinland-kurier.example/wirtschaft/lokfuehrer-streik-pendler-id4471902.html", "cookie banner, 'Seite 1 von 3' paging, tags, newsletter"},
	{"de-liveblog-hochwasser", "https://www.trierer-tageblatt.example/region/hochwasser-mosel-liveblog", "live blog with timestamps"},
	{"de-kommentar-vier-tage", "https://www.suedpresse.example/meinung/kommentar-vier-tage-woche-rechenaufgabe.html", "opinion, pull quote, author bio, comments and form"},
	{"en-council-budget", "https://www.harbourgazette.example/news/local/council-approves-budget-library-cuts-8841", "cookie banner, share bar, 'Read more' box, most read"},
	{"en-agency-rail", "https://worldwire.example/business/portugal-orders-24-regional-trains-2026-05-04/", "short agency item with dateline"},
	{"en-feature-kelp", "https://northerncurrent.example/longform/kelp-farmers-coastline", "long feature, subheadings, captions, newsletter, bio"},
	{"en-jsonld-museum", "https://midlandsobserver.example/culture/city-museum-return-carved-panels-ghana", "JSON-LD, correction note"},
	{"en-split-divs-heatwave", "https://valleyledger.example/2026/07/14/utilities-brace-record-power-demand-heat-wave/", "body split across divs with ads between"},
	{"en-table-byelection", "https://boroughpost.example/politics/eastfield-by-election-result", "results table"},
	{"en-blog-sourdough", "https://crumbandcrust.example/2026/01/a-year-of-sourdough/", "WordPress blog, share/like/related, comments and form"},
	{"es-incendio", "https://www.diariodellevante.example/comunitat/2026/08/09/incendio-forestal-desalojo-sierra-alicante-10293.html", "'Lee también', 'Suscríbete' wall, caption"},
	{"es-entrevista-ceramista", "https://tierraalta.example/cultura/entrevista-carmen-olivares-ceramista", "Q&A interview, newsletter, comments"},
	{"es-futbol-cronica", "https://deportesnorte.example/futbol/segunda-federacion/numancia-remonta-descuento-ascenso", "match report, scoreboard, league table sidebar"},
	{"fr-greve-cantines", "https://www.lerhonequotidien.example/lyon/greve-cantines-scolaires-service-minimum-2026-03-17", "cookie notice, 'À lire aussi', 'Abonnez-vous' box"},
	{"fr-blog-confiture", "https://carnetsdemargaux.example/2025/10/confiture-de-coings-a-l-ancienne/", "recipe blog, ingredient list, bio, newsletter, comments"},
	{"fr-depeche-satellite", "https://infocontinu.example/sciences/un-satellite-meteo-europeen-lance-avec-succes-depuis-kourou_58213", "short agency item, news ticker"},
	{"pl-tramwaj", "https://gazetamalopolska.example/krakow/nowa-linia-tramwajowa-ruczaj-wrzesien/ar/c1-2291844", "'Czytaj także', caption, comments"},
	{"pt-seca-nordeste", "https://jornaldoagreste.example/noticia/2026/10/03/cisternas-comunitarias-seca-sertao-paraiba.ghtml", "'Leia também', caption, 'Assine' paywall"},
	{"pt-cronica-eletricos", "https://diariodaribeira.example/opiniao/2026/05/11/os-eletricos-de-lisboa-nao-sao-so-para-turistas", "opinion, pull quote, newsletter"},
	{"it-borgo-restauro", "https://www.corrieredellemarche.example/cultura/2026/09/20/riapre-teatro-comunale-santa-vittoria", "gallery captions, 'Leggi anche', cookie bar"},
	{"ja-ruby-matsuri", "https://yamabiko-shimbun.example/articles/20261103-kagura", "ruby readings, related list"},
	{"ru-most-volga", "https://volzhskie-vesti.example/news/2026/06/22/most-remont", "'Читайте также', Telegram notice, comments"},
	{"zh-gaotie-xianlu", "https://binjiang-daily.example/2026-12/28/content_88213.htm", "info line, image note, related reading"},
}

// loadHeldout reads the listed pages and their gold bodies, and checks
// that the list and the directory agree.
func loadHeldout(t *testing.T) []ScrapinghubPage {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(heldoutDir, "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	onDisk := map[string]bool{}
	for _, f := range files {
		onDisk[strings.TrimSuffix(filepath.Base(f), ".html")] = true
	}
	pages := make([]ScrapinghubPage, 0, len(heldoutPages))
	for _, hp := range heldoutPages {
		if !onDisk[hp.name] {
			t.Errorf("%s: listed but %s.html is missing", hp.name, hp.name)
			continue
		}
		delete(onDisk, hp.name)
		body, err := os.ReadFile(filepath.Join(heldoutDir, hp.name+".html"))
		if err != nil {
			t.Fatal(err)
		}
		gold, err := os.ReadFile(filepath.Join(heldoutDir, hp.name+".gold.txt"))
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, ScrapinghubPage{Hash: hp.name, URL: hp.url, HTML: body, Gold: strings.TrimSpace(string(gold))})
	}
	for name := range onDisk {
		t.Errorf("%s.html is not listed in heldoutPages", name)
	}
	if len(pages) == 0 {
		t.Fatal("no held-out pages")
	}
	return pages
}

func pageF1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// pagePR is one page's shingle precision and recall.
type pagePR struct{ p, r float64 }

// perPage scores cfg page by page from ab's cached raw extractions, as
// ablation.score does for the totals.
func perPage(t *testing.T, ab *ablation, cfg htmlConfig) []pagePR {
	t.Helper()
	ab.score(t, cfg) // fills ab.raw for cfg's key
	key := cfg
	key.rules &= preRules
	key.readability = true
	out := make([]pagePR, len(ab.pages))
	for i, pg := range ab.pages {
		pred := ""
		if paras, err := ab.raw[key][i].paragraphs(cfg.rules, pg.URL); err == nil {
			pred = strings.Join(paras, "\n\n")
		}
		out[i].p, out[i].r = eval.ShingleCounts(pred, pg.Gold)
	}
	return out
}

// TestHeldoutPages holds Storyline to go-trafilatura alone on pages no
// rule was tuned on: it fails when Storyline's shingle F1 or recall over
// the pages falls below go-trafilatura's. It also reports, without failing,
// what each rule adds when left out of the kept set, and on which pages.
func TestHeldoutPages(t *testing.T) {
	pages := loadHeldout(t)
	ctx := context.Background()
	run := func(cfg htmlConfig) (eval.PRF, map[string]pagePR) {
		res := map[string]pagePR{}
		prf, n, err := scorePages(ctx, pages, eval.All, configExtractor(cfg),
			func(pg ScrapinghubPage, _ string, p, r float64, err error) {
				if err != nil {
					t.Logf("%s: %v (scored as empty)", pg.Hash, err)
				}
				res[pg.Hash] = pagePR{p, r}
			})
		if err != nil {
			t.Fatal(err)
		}
		if n != len(pages) {
			t.Fatalf("scored %d pages, want %d", n, len(pages))
		}
		return prf, res
	}
	story, sres := run(defaultConfig)
	alone, ares := run(trafilaturaAlone)

	var b strings.Builder
	fmt.Fprintf(&b, "%-24s | %-22s | %-22s | %s\n", "page", "storyline P/R/F1", "trafilatura P/R/F1", "ΔF1")
	for _, hp := range heldoutPages {
		s, a := sres[hp.name], ares[hp.name]
		sf, af := pageF1(s.p, s.r), pageF1(a.p, a.r)
		fmt.Fprintf(&b, "%-24s | %.3f %.3f %.3f      | %.3f %.3f %.3f      | %+.3f\n", hp.name, s.p, s.r, sf, a.p, a.r, af, sf-af)
	}
	fmt.Fprintf(&b, "%-24s | %s\n%-24s | %s\n", "storyline (total)", fmtPRF(story), "go-trafilatura alone", fmtPRF(alone))
	t.Logf("shingle P/R/F1 on %d held-out pages:\n%s", len(pages), b.String())

	ab := &ablation{pages: pages, raw: map[htmlConfig][]*extraction{}}
	// The leave-one-out below scores from raw extractions; it must see
	// the pipeline the totals above come from.
	if kept := ab.score(t, defaultConfig)[eval.All]; kept != story {
		t.Errorf("ablation scores the kept rules %s, the pipeline %s", fmtPRF(kept), fmtPRF(story))
	}
	t.Logf("leave one out on the held-out pages:\n%s", leaveOneOut(t, ab))

	if story.R < alone.R {
		t.Errorf("held-out recall %.4f is below go-trafilatura alone's %.4f", story.R, alone.R)
	}
	if story.F1 < alone.F1 {
		t.Errorf("held-out F1 %.4f is below go-trafilatura alone's %.4f", story.F1, alone.F1)
	}
}

// leaveOneOut reports for every rule the kept rules' score minus the
// score without it, and go-trafilatura plus this rule alone minus
// go-trafilatura (kept focus, no rules), with the pages whose F1 moves by
// more than 0.001 either way.
func leaveOneOut(t *testing.T, ab *ablation) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "%-52s | %-8s %-8s %-8s | %-8s | pages moved, leave one out / alone (ΔF1)\n", "rule", "ΔP", "ΔR", "ΔF1", "alone ΔF1")
	_, _, _, zero := ruleConfigs(0)
	zs, zp := ab.score(t, zero)[eval.All], perPage(t, ab, zero)
	for _, rn := range ruleNames {
		with, without, one, _ := ruleConfigs(rn.r)
		ws, wo, os := ab.score(t, with)[eval.All], ab.score(t, without)[eval.All], ab.score(t, one)[eval.All]
		verdict := ""
		if keptRules&rn.r == 0 {
			verdict = " (dropped rule)"
		}
		fmt.Fprintf(&b, "%-52s | %+.4f  %+.4f  %+.4f  | %+.4f   | %s / %s%s\n", rn.name, ws.P-wo.P, ws.R-wo.R, ws.F1-wo.F1, os.F1-zs.F1,
			movedPages(ab, perPage(t, ab, with), perPage(t, ab, without)), movedPages(ab, perPage(t, ab, one), zp), verdict)
	}
	return b.String()
}

// movedPages lists the pages whose F1 under a differs from b's by more
// than 0.001, with the difference, or "-".
func movedPages(ab *ablation, a, b []pagePR) string {
	var moved []string
	for i, pg := range ab.pages {
		d := pageF1(a[i].p, a[i].r) - pageF1(b[i].p, b[i].r)
		if d > 0.001 || d < -0.001 {
			moved = append(moved, fmt.Sprintf("%s %+.3f", pg.Hash, d))
		}
	}
	if len(moved) == 0 {
		return "-"
	}
	sort.Strings(moved)
	return strings.Join(moved, ", ")
}

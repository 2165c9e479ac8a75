package main

// End-to-end tests of `storyline run` in a real browser: headless Chromium
// driven over the DevTools protocol (chromedp) reads the server-rendered UI
// the way a person does, clicking links and submitting forms, on the
// stories made from ../shared/seeds (NATO's Secretary General Mark Rutte in
// Tokyo, April 2025: four English pages and one Arabic, plus unrelated
// articles glued onto some of them).
//
// The pages carry no JavaScript and a strict CSP; the tests evaluate
// script only through the DevTools protocol, to read the DOM and the
// layout. Screenshots go to the test's artifact directory (kept with
// `go test -artifacts`) or to $STORYLINE_TEST_OUT; with
// STORYLINE_UPDATE_SCREENSHOT=1 the story page's also replaces
// docs/story-page.png, the README's screenshot.

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/chromedp"

	"github.com/storyline/storyline/internal/shared"
)

const (
	// browserTimeout bounds the whole browser test: server, browser and
	// every subtest.
	browserTimeout = 90 * time.Second
	// subtestTimeout bounds one subtest's tab, so that a hang fails that
	// subtest and the others still run.
	subtestTimeout = 45 * time.Second
	// The window of the desktop checks, and the phone's.
	desktopW, desktopH = 1280, 1800
	phoneW, phoneH     = 390, 844
	// docs/story-page.png is the top docShotH px of the story page, and
	// weighs at most maxDocShot.
	docShotH   = 2400
	maxDocShot = 1500 << 10
)

// TestBrowser starts `storyline run` on the seeds and one headless
// Chromium, then runs the checks of the issue as subtests, each in its own
// tab. MergeUndo changes the stories and undoes the change, so it runs
// last.
func TestBrowser(t *testing.T) {
	chrome := findChrome(t)
	seeds := shared.Path(t, "seeds")
	t0 := time.Now()

	ctx, cancel := context.WithTimeout(context.Background(), browserTimeout)
	defer cancel()
	srv := startServer(t, ctx, seeds)
	t.Logf("storyline run serving %s; stories ready after %s", srv.base, time.Since(t0).Round(time.Millisecond))

	b := startBrowser(t, ctx, chrome, srv)
	t.Logf("browser %s started after %s; screenshots in %s (a temporary folder unless go test -artifacts or STORYLINE_TEST_OUT)",
		chrome, time.Since(t0).Round(time.Millisecond), b.out)

	t.Run("StoryPage", func(t *testing.T) { testStoryPage(t, b) })
	t.Run("Search", func(t *testing.T) { testSearch(t, b) })
	t.Run("Phone", func(t *testing.T) { testPhone(t, b) })
	t.Run("MergeUndo", func(t *testing.T) { testMergeUndo(t, b) })

	b.close()
	srv.stop(t)
}

// ---- the checks ----

// testStoryPage: the story list leads, by a click, to the NATO–Japan
// story, whose page lists English and Arabic articles (the Arabic ones
// marked right-to-left), shows Mark Rutte under his spellings, quotes with
// their speakers, and the timeline as inline SVG.
func testStoryPage(t *testing.T, b *browser) {
	tb := b.newTab(t, desktopW, desktopH, false)
	tb.open(t, "/")
	rows := storyRows(t, tb)
	if len(rows) == 0 {
		t.Fatal("the story list shows no stories")
	}
	tb.shot(t, "story-list")
	nato, ok := natoRow(rows)
	if !ok {
		t.Fatalf("no story in the list has Arabic and English articles: %+v", rows)
	}
	if nato.Href != b.srv.nato {
		t.Errorf("the list's biggest Arabic+English story is %s, the API's is %s", nato.Href, b.srv.nato)
	}
	t.Logf("NATO story: %s %q, %d articles, %v", nato.Href, nato.Title, nato.Articles, nato.Langs)

	tb.click(t, `table.stories a[href="`+nato.Href+`"]`, nato.Href)
	tb.wait(t, "#articles", "#timeline svg", "#entities", "#quotes")

	type artLink struct {
		Href    string `json:"href"`
		Lang    string `json:"lang"`
		Dir     string `json:"dir"`
		Text    string `json:"text"`
		Visible bool   `json:"visible"`
	}
	type entity struct {
		Name     string   `json:"name"`
		Variants []string `json:"variants"`
		Visible  bool     `json:"visible"`
	}
	type quote struct {
		Text    string `json:"text"`
		Speaker string `json:"speaker"`
		Visible bool   `json:"visible"`
	}
	type timeline struct {
		Found    bool    `json:"found"`
		Inline   bool    `json:"inline"`
		Parent   string  `json:"parent"`
		Width    float64 `json:"width"`
		Height   float64 `json:"height"`
		Dots     int     `json:"dots"`
		HasTitle bool    `json:"hasTitle"`
	}
	type storyPage struct {
		H1       string    `json:"h1"`
		Articles []artLink `json:"articles"`
		Entities []entity  `json:"entities"`
		Quotes   []quote   `json:"quotes"`
		Timeline timeline  `json:"timeline"`
	}
	sp := evalJS[storyPage](t, tb, `(() => {
		const vis = el => !!el && el.getClientRects().length > 0;
		const txt = el => el ? el.textContent.trim().replace(/\s+/g, " ") : "";
		const svg = document.querySelector("#timeline svg");
		return {
			h1: txt(document.querySelector("main h1")),
			articles: [...document.querySelectorAll('#articles a[href^="/article/"]')].map(a => ({
				href: a.getAttribute("href"), lang: a.getAttribute("lang") || "", dir: a.getAttribute("dir") || "",
				text: txt(a), visible: vis(a)})),
			entities: [...document.querySelectorAll("#entities table.entities tbody tr")].map(tr => ({
				name: txt(tr.querySelector("td a")),
				variants: [...tr.querySelectorAll("ul.variants li")].map(txt),
				visible: vis(tr)})),
			quotes: [...document.querySelectorAll("#quotes figure.quote")].map(f => ({
				text: txt(f.querySelector("blockquote")),
				speaker: txt(f.querySelector('figcaption a[href^="/entity/"]')),
				visible: vis(f.querySelector("blockquote"))})),
			timeline: svg ? {
				found: true,
				inline: svg instanceof SVGSVGElement && svg.namespaceURI === "http://www.w3.org/2000/svg",
				parent: svg.parentElement.tagName.toLowerCase(),
				width: svg.getBoundingClientRect().width, height: svg.getBoundingClientRect().height,
				dots: svg.querySelectorAll("circle.dot").length,
				hasTitle: !!svg.querySelector("title")} : {found: false},
		};
	})()`)
	t.Logf("story page %q: %d article links, %d entities, %d quotes, timeline %+v",
		sp.H1, len(sp.Articles), len(sp.Entities), len(sp.Quotes), sp.Timeline)
	if sp.H1 != nato.Title {
		t.Errorf("story page heading %q, the list's link says %q", sp.H1, nato.Title)
	}

	// Articles in both languages, the Arabic ones marked rtl.
	langs := map[string]int{}
	for _, a := range sp.Articles {
		langs[a.Lang]++
		if !a.Visible || a.Text == "" {
			t.Errorf("article link %s (lang %q) is empty or not visible: %+v", a.Href, a.Lang, a)
		}
		if a.Lang == "ar" && a.Dir != "rtl" {
			t.Errorf("Arabic article %s is marked dir=%q, want rtl", a.Href, a.Dir)
		}
	}
	if langs["en"] == 0 || langs["ar"] == 0 {
		t.Errorf("story page lists articles by language %v; want English and Arabic ones", langs)
	}
	if n := len(sp.Articles); n != nato.Articles {
		t.Errorf("story page lists %d articles, the story list says %d", n, nato.Articles)
	}

	// Mark Rutte under his spellings, one of them Arabic.
	var rutte *entity
	for i := range sp.Entities {
		if sp.Entities[i].Name == "Mark Rutte" {
			rutte = &sp.Entities[i]
		}
	}
	if rutte == nil {
		names := make([]string, len(sp.Entities))
		for i, e := range sp.Entities {
			names[i] = e.Name
		}
		t.Errorf(`story page shows no entity "Mark Rutte"; entities: %q`, names)
	} else {
		t.Logf("Mark Rutte written as %q", rutte.Variants)
		if !rutte.Visible {
			t.Error("Mark Rutte's row is not visible")
		}
		if !slices.ContainsFunc(rutte.Variants, isArabic) {
			t.Errorf("Mark Rutte is shown without an Arabic spelling (such as روت or روته): variants %q", rutte.Variants)
		}
		if len(rutte.Variants) < 2 {
			t.Errorf("Mark Rutte is shown with %d variants, want his spellings across outlets and languages: %q", len(rutte.Variants), rutte.Variants)
		}
	}

	// Quotes with their speakers.
	withSpeaker := 0
	for _, q := range sp.Quotes {
		if q.Speaker != "" && q.Text != "" && q.Visible {
			withSpeaker++
		}
	}
	if withSpeaker == 0 {
		t.Errorf("story page shows no quote with its speaker: %+v", sp.Quotes)
	}

	// The timeline: an inline <svg>, drawn, one dot an article.
	tl := sp.Timeline
	switch {
	case !tl.Found:
		t.Error("story page has no <svg> in #timeline")
	case !tl.Inline:
		t.Errorf("the timeline is not an inline SVG element: %+v", tl)
	default:
		if tl.Width < 100 || tl.Height < 20 {
			t.Errorf("the timeline SVG is drawn %gx%g px", tl.Width, tl.Height)
		}
		if tl.Dots != len(sp.Articles) {
			t.Errorf("the timeline has %d article dots, the story %d articles", tl.Dots, len(sp.Articles))
		}
		if !tl.HasTitle {
			t.Error("the timeline SVG has no <title> for assistive technology")
		}
	}
	tb.checkConsole(t, "story page")

	tb.shot(t, "story-page")
	if os.Getenv("STORYLINE_UPDATE_SCREENSHOT") == "1" {
		writeDocShot(t, tb)
	}

	// The console watch must see a CSP violation when there is one, or
	// its silence above means nothing.
	tb.cspCanary(t)
}

// testSearch: a phrase search with a language filter, typed into the
// search box and submitted, finds the NATO story's Arabic article and
// nothing else; malformed queries get a readable message, not a 500.
func testSearch(t *testing.T, b *browser) {
	tb := b.newTab(t, desktopW, desktopH, false)
	tb.open(t, "/")

	// A phrase from the Arabic seed ("the Japanese defence minister").
	const phrase = `"وزير الدفاع الياباني"`
	query := phrase + " lang:ar"
	tb.do(t, "type the query", chromedp.SendKeys(chromedp.CSS("header.site form.search input[name=q]"), query))
	tb.click(t, "header.site form.search button[type=submit]", "/search")
	if u := tb.location(t); u.Query().Get("q") != query {
		t.Errorf("search page for q=%q, typed %q", u.Query().Get("q"), query)
	}
	tb.wait(t, "main h1")

	type hit struct {
		Href    string   `json:"href"`
		Lang    string   `json:"lang"`
		Dir     string   `json:"dir"`
		Text    string   `json:"text"`
		Snippet string   `json:"snippet"`
		SnipDir string   `json:"snipDir"`
		Marks   []string `json:"marks"`
	}
	type result struct {
		Story string `json:"story"`
		Title string `json:"title"`
		Hits  []hit  `json:"hits"`
	}
	type searchPage struct {
		Value   string   `json:"value"`
		Error   string   `json:"error"`
		Results []result `json:"results"`
		Empty   bool     `json:"empty"`
	}
	read := func() searchPage {
		return evalJS[searchPage](t, tb, `(() => {
			const txt = el => el ? el.textContent.trim().replace(/\s+/g, " ") : "";
			const box = document.querySelector("main form.search-big input[name=q]");
			return {
				value: box ? box.value : "",
				error: txt(document.querySelector("main .error")),
				empty: !!document.querySelector("main .empty"),
				results: [...document.querySelectorAll("main section.result")].map(s => ({
					story: s.querySelector("h2 a").getAttribute("href"),
					title: txt(s.querySelector("h2 a")),
					hits: [...s.querySelectorAll("ul.hits > li")].map(li => {
						const a = li.querySelector('a[href^="/article/"]'), sn = li.querySelector(".snippet");
						return {href: a ? a.getAttribute("href") : "", lang: a ? a.getAttribute("lang") || "" : "",
							dir: a ? a.getAttribute("dir") || "" : "", text: txt(a), snippet: txt(sn),
							snipDir: sn ? getComputedStyle(sn).direction : "",
							marks: [...li.querySelectorAll("mark")].map(txt)};
					})})),
			};
		})()`)
	}
	sp := read()
	t.Logf("search %q: %d stories, error %q", query, len(sp.Results), sp.Error)
	if sp.Error != "" {
		t.Errorf("search %q shows an error: %s", query, sp.Error)
	}
	if sp.Value != query {
		t.Errorf("the search page's box holds %q, want the query %q", sp.Value, query)
	}
	foundNATO, hits := false, 0
	for _, r := range sp.Results {
		t.Logf("  %s %q: %d hits", r.Story, r.Title, len(r.Hits))
		if r.Story == b.srv.nato {
			foundNATO = true
		}
		for _, h := range r.Hits {
			hits++
			t.Logf("    %s lang=%s dir=%s text=%q marks=%q snippet=%.80q", h.Href, h.Lang, h.Dir, h.Text, h.Marks, h.Snippet)
			if h.Lang != "ar" || h.Dir != "rtl" {
				t.Errorf("lang:ar search shows article %s with lang=%q dir=%q", h.Href, h.Lang, h.Dir)
			}
			if h.SnipDir != "rtl" {
				t.Errorf("the snippet of Arabic article %s is laid out %q, want rtl", h.Href, h.SnipDir)
			}
			if len(h.Marks) == 0 {
				t.Errorf("the snippet of %s marks none of the phrase's words: %q", h.Href, h.Snippet)
			}
			if h.Text == "" {
				t.Errorf("the search hit %s is a link with no text (the article has no stored title, and the hit shows nothing in its place): "+
					"nothing to read or click but the snippet", h.Href)
			}
		}
	}
	if !foundNATO {
		t.Errorf("search %q does not show the NATO story %s", query, b.srv.nato)
	}
	if hits == 0 {
		t.Errorf("search %q shows no article", query)
	}
	tb.checkConsole(t, "search result")
	tb.shot(t, "search-result")

	// Malformed queries, typed into the search page's own box.
	for _, bad := range []string{`"Mark Rutte`, `(nato OR japan`} {
		tb.do(t, "clear the box", chromedp.Clear(chromedp.CSS("main form.search-big input[name=q]")))
		tb.do(t, "type "+bad, chromedp.SendKeys(chromedp.CSS("main form.search-big input[name=q]"), bad))
		resp := tb.clickResp(t, "main form.search-big button[type=submit]")
		if resp.Status >= 500 {
			t.Errorf("malformed query %q: HTTP %d", bad, resp.Status)
		}
		sp := read()
		t.Logf("malformed query %q: HTTP %d, message %q", bad, resp.Status, sp.Error)
		switch {
		case sp.Error == "":
			t.Errorf("malformed query %q: no message on the page (HTTP %d)", bad, resp.Status)
		case len(sp.Error) < 10 || strings.Contains(strings.ToLower(sp.Error), "internal"):
			t.Errorf("malformed query %q: message %q does not say what is wrong", bad, sp.Error)
		}
		if sp.Value != bad {
			t.Errorf("malformed query %q: the box holds %q, want the query back to fix it", bad, sp.Value)
		}
		tb.checkConsole(t, fmt.Sprintf("malformed search %q", bad), fmt.Sprintf("the server responded with a status of %d", resp.Status))
	}
}

// testPhone: at 390 px the story page and the Arabic article do not
// scroll sideways, and the Arabic article's block runs right to left.
func testPhone(t *testing.T, b *browser) {
	tb := b.newTab(t, phoneW, phoneH, true)
	type layout struct {
		ScrollWidth int      `json:"scrollWidth"`
		InnerWidth  int      `json:"innerWidth"`
		Overflow    []string `json:"overflow"`
	}
	const layoutJS = `(() => {
		const w = window.innerWidth, out = [];
		for (const el of document.querySelectorAll("body *")) {
			const r = el.getBoundingClientRect();
			if (r.width === 0 || r.right <= w + 0.5) continue;
			let clipped = false;
			for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
				if (getComputedStyle(p).overflowX !== "visible") { clipped = true; break; }
			}
			if (clipped) continue;
			const cls = typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "";
			out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + cls + " (right edge " + Math.round(r.right) + "px)");
			if (out.length === 8) break;
		}
		return {scrollWidth: document.documentElement.scrollWidth, innerWidth: w, overflow: out};
	})()`
	noSideScroll := func(what string) {
		l := evalJS[layout](t, tb, layoutJS)
		t.Logf("%s at phone width: scrollWidth %d, innerWidth %d", what, l.ScrollWidth, l.InnerWidth)
		if l.InnerWidth > phoneW {
			t.Errorf("%s: the layout viewport is %d px wide at a %d px phone (the page is zoomed out to fit something wider): %q",
				what, l.InnerWidth, phoneW, l.Overflow)
		}
		if l.ScrollWidth > l.InnerWidth {
			t.Errorf("%s scrolls sideways at %d px: scrollWidth %d; widest elements: %q", what, phoneW, l.ScrollWidth, l.Overflow)
		}
	}

	tb.open(t, b.srv.nato)
	tb.wait(t, "#articles")
	noSideScroll("story page")
	type rtl struct {
		Href      string `json:"href"`
		Direction string `json:"direction"`
		Align     string `json:"align"`
	}
	ar := evalJS[[]rtl](t, tb, `[...document.querySelectorAll('#articles a[href^="/article/"][lang="ar"]')].map(a => ({
		href: a.getAttribute("href"), direction: getComputedStyle(a).direction, align: getComputedStyle(a).textAlign}))`)
	if len(ar) == 0 {
		t.Fatal("the story page at phone width lists no Arabic article")
	}
	for _, a := range ar {
		if a.Direction != "rtl" {
			t.Errorf("Arabic article %s on the story page is laid out %q, want rtl", a.Href, a.Direction)
		}
	}
	tb.checkConsole(t, "story page (phone)")
	tb.shot(t, "story-page-phone")

	// The Arabic article's own page: its block is rtl, the page's chrome
	// stays ltr, and nothing scrolls sideways.
	tb.click(t, `#articles a[href="`+ar[0].Href+`"]`, ar[0].Href)
	tb.wait(t, "main article")
	type block struct {
		Lang      string `json:"lang"`
		Direction string `json:"direction"`
		TextDir   string `json:"textDir"`
		Page      string `json:"page"`
	}
	bl := evalJS[block](t, tb, `(() => {
		const a = document.querySelector("main article"), p = a && a.querySelector(".text p");
		return {lang: a ? a.getAttribute("lang") || "" : "", direction: a ? getComputedStyle(a).direction : "",
			textDir: p ? getComputedStyle(p).direction : "", page: getComputedStyle(document.body).direction};
	})()`)
	t.Logf("Arabic article page %s: %+v", ar[0].Href, bl)
	if bl.Lang != "ar" || bl.Direction != "rtl" || bl.TextDir != "rtl" {
		t.Errorf("Arabic article page %s: the article block has lang=%q, direction %q, text direction %q; want ar, rtl, rtl",
			ar[0].Href, bl.Lang, bl.Direction, bl.TextDir)
	}
	if bl.Page != "ltr" {
		t.Errorf("Arabic article page %s: the (English) page around it is %q, want ltr", ar[0].Href, bl.Page)
	}
	noSideScroll("Arabic article page")
	tb.checkConsole(t, "Arabic article page (phone)")
}

// testMergeUndo: logged in through the form, a person merges one story
// into another with the story page's form; the list has one story fewer
// and the merged story the other's articles; Undo puts the list back.
func testMergeUndo(t *testing.T, b *browser) {
	tb := b.newTab(t, desktopW, desktopH, false)

	// Log in through the nav link and the form.
	tb.open(t, "/")
	tb.click(t, `header.site nav a[href^="/login"]`, "/login")
	tb.wait(t, `main form[action="/login"] input[name=token]`)
	tb.do(t, "type the token", chromedp.SendKeys(chromedp.CSS(`main form[action="/login"] input[name=token]`), b.srv.token))
	tb.click(t, `main form[action="/login"] button[type=submit]`, "/")
	if n := evalJS[int](t, tb, `document.querySelectorAll('header.site form[action="/logout"]').length`); n != 1 {
		t.Errorf("after logging in the header shows %d log-out forms, want 1", n)
	}
	tb.checkConsole(t, "login")

	before := storyRows(t, tb)
	if len(before) < 2 {
		t.Fatalf("the list has %d stories; a merge needs two", len(before))
	}
	// Merge two of the glued-on stories when there are, so that the NATO
	// story stays as the other subtests saw it.
	order := slices.Clone(before)
	slices.SortStableFunc(order, func(a, c storyRow) int {
		return boolInt(a.Href == b.srv.nato) - boolInt(c.Href == b.srv.nato)
	})
	into, other := order[0], order[1]
	otherID := strings.TrimPrefix(other.Href, "/story/")
	t.Logf("merging %s %q (%d articles) into %s %q (%d articles)", other.Href, other.Title, other.Articles, into.Href, into.Title, into.Articles)

	tb.open(t, other.Href)
	otherArts := articleHrefs(t, tb)
	tb.open(t, into.Href)
	intoArts := articleHrefs(t, tb)
	if len(otherArts) == 0 || len(intoArts) == 0 {
		t.Fatalf("story pages list %d and %d articles", len(intoArts), len(otherArts))
	}

	const form = `#correct form:has(input[name=kind][value="merge-stories"])`
	type formState struct {
		Found       bool   `json:"found"`
		Hidden      bool   `json:"hidden"`
		Password    bool   `json:"password"`
		Method      string `json:"method"`
		NoScript    bool   `json:"noScript"`
		Summary     string `json:"summary"`
		SummaryOpen bool   `json:"open"`
	}
	fs := evalJS[formState](t, tb, `(() => {
		const f = document.querySelector(`+strconv.Quote(form)+`);
		if (!f) return {found: false};
		const d = f.closest("details");
		return {found: true, hidden: !!f.querySelector('input[type=hidden][name=token]'),
			password: !!f.querySelector('input[type=password]'), method: f.method,
			noScript: !document.querySelector("script:not([type='application/ld+json'])"),
			summary: d ? d.querySelector("summary").textContent.trim() : "", open: d ? d.open : true};
	})()`)
	t.Logf("merge form: %+v", fs)
	if !fs.Found {
		t.Fatalf("story page %s has no merge-stories form", into.Href)
	}
	if !fs.Hidden || fs.Password {
		t.Errorf("logged in, the merge form should carry the token hidden and ask for none: hidden token %v, password field %v", fs.Hidden, fs.Password)
	}
	if fs.Method != "post" || !fs.NoScript {
		t.Errorf("merge form: method %q, page without scripts %v", fs.Method, fs.NoScript)
	}
	if !fs.SummaryOpen {
		tb.do(t, "open the merge form", chromedp.Click(chromedp.CSS(`#correct details:has(input[name=kind][value="merge-stories"]) > summary`)))
	}
	tb.do(t, "type the story number", chromedp.SendKeys(chromedp.CSS(form+" input[name=other]"), otherID))
	tb.click(t, form+" button[type=submit]", "/done") // Post/Redirect/Get: a reload does not repeat it
	tb.wait(t, "main h1")
	type done struct {
		H1     string `json:"h1"`
		Status string `json:"status"`
		Undo   bool   `json:"undo"`
	}
	dn := evalJS[done](t, tb, `(() => {
		const txt = el => el ? el.textContent.trim().replace(/\s+/g, " ") : "";
		const u = document.querySelector('main form[action="/undo"] button[type=submit]');
		return {h1: txt(document.querySelector("main h1")), status: txt(document.querySelector('main [role=status]')),
			undo: !!u && u.getClientRects().length > 0 && txt(u) === "Undo"};
	})()`)
	t.Logf("after the merge: %+v", dn)
	tb.checkConsole(t, "correction result")
	tb.shot(t, "correction-result")
	if !dn.Undo {
		t.Fatalf("the page after the correction (%q: %q) has no visible Undo button", dn.H1, dn.Status)
	}

	// The list and the merged story, seen from a second tab so that the
	// first stays on the page with the Undo button.
	list := b.newTab(t, desktopW, desktopH, false)
	list.open(t, "/")
	after := storyRows(t, list)
	if len(after) != len(before)-1 {
		t.Errorf("after the merge the list has %d stories, want %d (one fewer)", len(after), len(before)-1)
	}
	for _, r := range after {
		if r.Href == other.Href {
			t.Errorf("after the merge the list still shows %s %q", r.Href, r.Title)
		}
	}
	list.open(t, into.Href)
	merged := articleHrefs(t, list)
	for _, h := range append(slices.Clone(intoArts), otherArts...) {
		if !slices.Contains(merged, h) {
			t.Errorf("after the merge %s does not list article %s (had %v, merged in %v, now %v)", into.Href, h, intoArts, otherArts, merged)
		}
	}
	list.checkConsole(t, "merged story")

	// Undo, with the button.
	tb.click(t, `main form[action="/undo"] button[type=submit]`, "/done")
	tb.wait(t, "main h1")
	h1 := evalJS[string](t, tb, `document.querySelector("main h1").textContent.trim()`)
	t.Logf("after Undo: %q", h1)
	tb.checkConsole(t, "undo result")
	list.open(t, "/")
	if back := storyRows(t, list); !slices.EqualFunc(back, before, sameRow) {
		t.Errorf("after Undo the list is not what it was:\nbefore: %+v\nafter:  %+v", before, back)
	}
	list.open(t, into.Href)
	if arts := articleHrefs(t, list); !sameSet(arts, intoArts) {
		t.Errorf("after Undo %s lists %v, before the merge %v", into.Href, arts, intoArts)
	}
	list.checkConsole(t, "list after undo")
}

// ---- the page models ----

// storyRow is one row of the story list.
type storyRow struct {
	Href     string   `json:"href"`
	Title    string   `json:"title"`
	Langs    []string `json:"langs"`
	Articles int      `json:"articles"`
}

// storyRows reads the story list on the tab's page.
func storyRows(t *testing.T, tb *tab) []storyRow {
	t.Helper()
	tb.wait(t, "table.stories")
	return evalJS[[]storyRow](t, tb, `(() => {
		const t = document.querySelector("table.stories");
		const heads = [...t.querySelectorAll("thead th")].map(th => th.textContent.trim());
		const col = name => heads.indexOf(name);
		const cell = (tr, name) => tr.children[col(name)];
		return [...t.querySelectorAll("tbody tr")].map(tr => {
			const a = cell(tr, "Story").querySelector("a");
			return {href: a.getAttribute("href"), title: a.textContent.trim(),
				langs: [...cell(tr, "Languages").querySelectorAll("abbr")].map(x => x.textContent.trim()),
				articles: parseInt(cell(tr, "Articles").textContent, 10)};
		});
	})()`)
}

// natoRow is the story with the most articles among those in Arabic and
// English: the NATO–Japan story of the seeds.
func natoRow(rows []storyRow) (storyRow, bool) {
	var best storyRow
	for _, r := range rows {
		if slices.Contains(r.Langs, "ar") && slices.Contains(r.Langs, "en") && r.Articles > best.Articles {
			best = r
		}
	}
	return best, best.Href != ""
}

// articleHrefs lists the articles a story page shows.
func articleHrefs(t *testing.T, tb *tab) []string {
	t.Helper()
	tb.wait(t, "#articles")
	return evalJS[[]string](t, tb, `[...document.querySelectorAll('#articles li[id^="article-"] > a[href^="/article/"]')].map(a => a.getAttribute("href"))`)
}

func isArabic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Arabic, r) {
			return true
		}
	}
	return false
}

func sameRow(a, b storyRow) bool {
	return a.Href == b.Href && a.Title == b.Title && a.Articles == b.Articles && slices.Equal(a.Langs, b.Langs)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

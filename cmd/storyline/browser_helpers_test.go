package main

// The machinery of the browser tests (browser_test.go): the `storyline
// run` process, one headless Chromium, and its tabs with what their
// consoles say.

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// ---- the server ----

// webServer is one `storyline run` process.
type webServer struct {
	p     *proc
	base  string // http://127.0.0.1:PORT
	token string
	nato  string // the NATO story's path, /story/N, as the API says
}

// startServer starts `storyline run` on a free port with a fresh data
// folder and waits until it serves and the seeds' stories have settled.
func startServer(t *testing.T, ctx context.Context, seeds string) *webServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := &webServer{base: "http://" + addr, token: "t-" + rand.Text()}
	s.p = start(t, "storyline run", "run", "--data", filepath.Join(t.TempDir(), "data"), "--addr", addr, "--token", s.token, seeds)

	serving := "storyline run: serving " + s.base + "/"
	for !strings.Contains(s.p.stderr.String(), serving) {
		s.alive(t, ctx, "before saying it serves")
	}

	// Ingest runs after serving starts: wait for the NATO story, then for
	// the list to stay the same for a while (the run's last commits and
	// its settling can still merge stories).
	var last string
	same := 0
	for same < 3 {
		s.alive(t, ctx, "while ingesting")
		body, err := s.get(ctx, "/api/stories?limit=100")
		if err != nil {
			t.Logf("GET /api/stories: %v", err)
			same = 0
			continue
		}
		var list struct {
			Stories []struct {
				ID       int64    `json:"id"`
				Articles int      `json:"articles"`
				Langs    []string `json:"langs"`
			} `json:"stories"`
		}
		if err := json.Unmarshal([]byte(body), &list); err != nil {
			t.Fatalf("GET /api/stories: %v: %.300s", err, body)
		}
		s.nato = ""
		most := 0
		for _, st := range list.Stories {
			if slices.Contains(st.Langs, "ar") && slices.Contains(st.Langs, "en") && st.Articles > most {
				s.nato, most = "/story/"+strconv.FormatInt(st.ID, 10), st.Articles
			}
		}
		if s.nato == "" || body != last {
			last, same = body, 0
			continue
		}
		same++
	}
	status, _ := s.get(ctx, "/api/status")
	t.Logf("ingest settled: NATO story %s; status %s", s.nato, strings.TrimSpace(status))
	return s
}

// alive waits a moment, failing when the process exited or the test's
// time ran out.
func (s *webServer) alive(t *testing.T, ctx context.Context, when string) {
	t.Helper()
	select {
	case <-s.p.done:
		t.Fatalf("%s exited (code %d) %s\nstdout:\n%s\nstderr:\n%s", s.p, s.p.wait(), when, s.p.stdout, s.p.stderr)
	case <-ctx.Done():
		t.Fatalf("%s: still not ready %s after %s\nstderr:\n%s", s.p, when, browserTimeout, s.p.stderr)
	case <-time.After(200 * time.Millisecond):
	}
}

func (s *webServer) get(ctx context.Context, path string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", s.base+path, nil)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("HTTP %s", resp.Status)
	}
	return string(b), err
}

// stop interrupts the server as Ctrl-C does and checks it stops cleanly.
func (s *webServer) stop(t *testing.T) {
	t.Helper()
	if !s.p.signal(t, os.Interrupt) {
		t.Errorf("%s exited before the end of the test (code %d)\nstderr:\n%s", s.p, s.p.wait(), s.p.stderr)
		return
	}
	select {
	case <-s.p.done:
	case <-time.After(20 * time.Second):
		t.Errorf("%s did not stop within 20s of SIGINT\nstderr:\n%s", s.p, s.p.stderr)
		return
	}
	code := s.p.wait()
	if sig, ok := s.p.signaled(); ok {
		t.Errorf("%s: killed by %s after SIGINT, want a clean stop", s.p, sig)
	}
	if code != 0 && code != exitInterrupted {
		t.Errorf("%s: exit %d after SIGINT, want 0 or %d", s.p, code, exitInterrupted)
	}
	stderr := s.p.stderr.String()
	if bad := hasBad(stderr); bad != "" {
		t.Errorf("%s: stderr has %q:\n%s", s.p, bad, stderr)
	}
	t.Logf("%s stopped by SIGINT: exit %d\nstderr:\n%s", s.p, code, stderr)
}

// ---- the browser ----

// findChrome returns the Chromium to drive: $STORYLINE_CHROME, else
// Debian's /usr/bin/chromium or one on PATH. Without one the test skips,
// except in CI (CI=true), where it fails.
func findChrome(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("STORYLINE_CHROME"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	const why = "no Chromium for the browser tests (apt-get install chromium fonts-dejavu-core, or set STORYLINE_CHROME)"
	if os.Getenv("CI") == "true" {
		t.Fatal(why)
	}
	t.Skip(why)
	return ""
}

// browser is one headless Chromium shared by the subtests.
type browser struct {
	ctx    context.Context // the browser's first tab, kept open
	cancel func()
	srv    *webServer
	out    string // where the screenshots go
}

func startBrowser(t *testing.T, ctx context.Context, chrome string, srv *webServer) *browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.WindowSize(desktopW, desktopH),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	b := &browser{ctx: bctx, srv: srv, cancel: func() { bcancel(); acancel() }}
	t.Cleanup(b.cancel)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("starting %s: %v", chrome, err)
	}
	b.out = os.Getenv("STORYLINE_TEST_OUT")
	if b.out == "" {
		b.out = t.ArtifactDir()
	} else if err := os.MkdirAll(b.out, 0o755); err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *browser) close() { b.cancel() }

// tab is one browser tab of a subtest, with what its console said.
type tab struct {
	b   *browser
	ctx context.Context

	mu    sync.Mutex
	page  string // the page the tab is on, for the console's messages
	msgs  []consoleMsg
	shown int // messages already checked
}

type consoleMsg struct {
	page, kind, level, text, url string
}

func (m consoleMsg) String() string {
	s := fmt.Sprintf("[%s %s] %s", m.kind, m.level, m.text)
	if m.url != "" {
		s += " (" + m.url + ")"
	}
	return s + " on " + m.page
}

// problem reports whether a console message is one a page without
// scripts must never cause: an error or warning, an exception, anything
// about the Content Security Policy.
func (m consoleMsg) problem() bool {
	switch m.level {
	case "error", "warning", "assert", "exception":
		return true
	}
	return strings.Contains(m.text, "Content Security Policy")
}

// newTab opens a tab of width×height CSS pixels (mobile: as a phone does,
// honouring the page's viewport meta) that ends with the subtest.
func (b *browser) newTab(t *testing.T, width, height int64, mobile bool) *tab {
	t.Helper()
	tb := &tab{b: b}
	tctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithListener(tb.listen))
	ctx, cancel2 := context.WithTimeout(tctx, subtestTimeout)
	t.Cleanup(func() { cancel2(); cancel() })
	tb.ctx = ctx
	emu := []chromedp.EmulateViewportOption{chromedp.EmulateLandscape}
	if mobile {
		emu = []chromedp.EmulateViewportOption{chromedp.EmulatePortrait, chromedp.EmulateMobile, chromedp.EmulateTouch}
	}
	tb.do(t, "open a tab", chromedp.EmulateViewport(width, height, emu...))
	return tb
}

// listen runs in the tab's event loop: it only records.
func (tb *tab) listen(ev any) {
	var m consoleMsg
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		var parts []string
		for _, a := range ev.Args {
			if a.Value != nil {
				parts = append(parts, string(a.Value))
			} else {
				parts = append(parts, a.Description)
			}
		}
		m = consoleMsg{kind: "console", level: string(ev.Type), text: strings.Join(parts, " ")}
	case *runtime.EventExceptionThrown:
		m = consoleMsg{kind: "exception", level: "exception", text: ev.ExceptionDetails.Text}
		if ex := ev.ExceptionDetails.Exception; ex != nil {
			m.text += " " + ex.Description
		}
		m.url = ev.ExceptionDetails.URL
	case *cdplog.EventEntryAdded:
		m = consoleMsg{kind: "log/" + string(ev.Entry.Source), level: string(ev.Entry.Level), text: ev.Entry.Text, url: ev.Entry.URL}
	default:
		return
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	m.page = tb.page
	tb.msgs = append(tb.msgs, m)
}

func (tb *tab) setPage(p string) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.page = p
}

// checkConsole fails for every problem the console reported since the
// last check, but those whose text holds one of expected (a 400 page's
// "Failed to load resource" line, say).
func (tb *tab) checkConsole(t *testing.T, what string, expected ...string) {
	t.Helper()
	tb.mu.Lock()
	msgs := tb.msgs[tb.shown:]
	tb.shown = len(tb.msgs)
	tb.mu.Unlock()
	hints := 0
	for _, m := range msgs {
		switch {
		case slices.ContainsFunc(expected, func(s string) bool { return strings.Contains(m.text, s) }):
			t.Logf("%s: console (expected): %s", what, m)
		case m.problem():
			t.Errorf("%s: the browser console reported %s", what, m)
		case m.level == "verbose":
			hints++ // Chrome's advice, such as autocomplete attributes
		default:
			t.Logf("%s: console: %s", what, m)
		}
	}
	if hints > 0 {
		t.Logf("%s: console: %d verbose hints", what, hints)
	}
}

// cspCanary makes the page break its CSP on purpose (an image from
// another origin, added through the DevTools protocol) and checks that
// the console watch hears of it.
func (tb *tab) cspCanary(t *testing.T) {
	t.Helper()
	tb.checkConsole(t, "before the CSP canary")
	tb.setPage("CSP canary")
	tb.do(t, "break the CSP on purpose", chromedp.Evaluate[chromedp.Void](
		`(() => { const i = document.createElement("img"); i.src = "http://0.0.0.0:9/csp-canary.png"; document.body.append(i); })()`))
	deadline := time.Now().Add(5 * time.Second)
	for {
		tb.mu.Lock()
		seen := slices.ContainsFunc(tb.msgs[tb.shown:], func(m consoleMsg) bool {
			return strings.Contains(m.text, "Content Security Policy") && strings.Contains(m.text, "csp-canary")
		})
		if seen {
			tb.shown = len(tb.msgs)
		}
		tb.mu.Unlock()
		if seen {
			t.Log("the console watch reports a deliberate CSP violation")
			return
		}
		if time.Now().After(deadline) {
			tb.mu.Lock()
			got := tb.msgs[tb.shown:]
			tb.mu.Unlock()
			t.Errorf("the console watch saw no CSP violation for a deliberate one within 5s (messages: %v): its silence on the pages proves nothing", got)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// do runs actions, failing the subtest on an error.
func (tb *tab) do(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// evalJS evaluates script in the tab's page and decodes its result.
func evalJS[T any](t *testing.T, tb *tab, js string) T {
	t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluating %.120s...: %v", strings.Join(strings.Fields(js), " "), err)
	}
	return v
}

// open loads path and fails unless it answers 200.
func (tb *tab) open(t *testing.T, path string) {
	t.Helper()
	tb.setPage(path)
	resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(tb.b.srv.base+path))
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	if resp.Status != http.StatusOK {
		t.Fatalf("open %s: HTTP %d %s", path, resp.Status, resp.StatusText)
	}
}

// clickResp clicks the first element sel matches, as a person does, and
// waits for the page it leads to.
func (tb *tab) clickResp(t *testing.T, sel string) *network.Response {
	t.Helper()
	tb.setPage("after clicking " + sel)
	if err := chromedp.Do(tb.ctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		t.Fatalf("waiting for %s: %v", sel, err)
	}
	resp, err := chromedp.RunResponse(tb.ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
	if u, err := url.Parse(resp.URL); err == nil {
		tb.setPage(u.RequestURI())
	}
	return resp
}

// click clicks sel and fails unless the page it leads to answers 200 at
// path (the path of the request the click made when it answers with the
// page itself, the redirect's target otherwise).
func (tb *tab) click(t *testing.T, sel, path string) {
	t.Helper()
	resp := tb.clickResp(t, sel)
	if resp.Status != http.StatusOK {
		t.Fatalf("click %s: HTTP %d %s at %s", sel, resp.Status, resp.StatusText, resp.URL)
	}
	if u := tb.location(t); u.Path != path {
		t.Fatalf("click %s: at %s, want %s", sel, u, path)
	}
}

// location is the tab's URL.
func (tb *tab) location(t *testing.T) *url.URL {
	t.Helper()
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// wait waits until every selector matches a visible element.
func (tb *tab) wait(t *testing.T, sels ...string) {
	t.Helper()
	for _, s := range sels {
		if err := chromedp.Do(tb.ctx, chromedp.WaitVisible(chromedp.CSS(s))); err != nil {
			t.Fatalf("waiting for %s to show: %v", s, err)
		}
	}
}

// shot saves a full-page PNG screenshot as name.png in the output
// directory and returns it.
func (tb *tab) shot(t *testing.T, name string) []byte {
	t.Helper()
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	p := filepath.Join(tb.b.out, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s (%d KB)", p, len(png)>>10)
	return png
}

// writeDocShot writes the top of the story page (its headline, summary,
// timeline, articles and who's who), 1280 px wide, to docs/story-page.png
// at the repository's root, the README's screenshot.
func writeDocShot(t *testing.T, tb *tab) {
	t.Helper()
	h := min(float64(evalJS[int](t, tb, `document.documentElement.scrollHeight`)), docShotH)
	png, err := chromedp.Run(tb.ctx, chromedp.Action[[]byte](func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, tg, page.CaptureScreenshot, page.CaptureScreenshotParams{
			Format:                page.CaptureScreenshotFormatPng,
			CaptureBeyondViewport: new(true),
			Clip:                  &page.Viewport{X: 0, Y: 0, Width: desktopW, Height: h, Scale: 1},
		})
		return res.Data, err
	}))
	if err != nil {
		t.Fatalf("screenshot of the story page's top: %v", err)
	}
	if len(png) > maxDocShot {
		t.Fatalf("the story page screenshot is %d KB, more than %d KB", len(png)>>10, maxDocShot>>10)
	}
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(root, "docs", "story-page.png")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("STORYLINE_UPDATE_SCREENSHOT: wrote %s (%dx%g, %d KB)", p, desktopW, h, len(png)>>10)
}

// repoRoot is the folder of go.mod above the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

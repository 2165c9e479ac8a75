package web

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/storyline/storyline/internal/intel/digest"
	"github.com/storyline/storyline/internal/service"
)

// payload is what a hostile article writes in every field: a script, an
// attribute breaking out of its quotes, the end of a script block, an
// HTML comment and a bidi override.
const payload = `<script>alert(1)</script>"><img src=x onerror=alert(1)>'><svg onload=alert(1)></script><!--` + "\u202e"

// urlPayload is what it writes where a URL goes.
const urlPayload = "javascript:alert(document.cookie)"

// poison replaces every string reachable from v (a pointer) with the
// payloads, map keys included, so that a field added to the service's
// types later is covered without touching this test. It keeps
// digest.Event.Kind, which says whether an event is an article, so that the
// chart still draws dots with the payload in their tooltips.
func poison(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			poison(v.Elem())
		}
	case reflect.Struct:
		t := v.Type()
		for i := range v.NumField() {
			f := t.Field(i)
			if !f.IsExported() || t == reflect.TypeFor[digest.Event]() && f.Name == "Kind" {
				continue
			}
			if f.Type.Kind() == reflect.String && strings.Contains(f.Name, "URL") {
				v.Field(i).SetString(urlPayload)
				continue
			}
			poison(v.Field(i))
		}
	case reflect.Slice:
		for i := range v.Len() {
			poison(v.Index(i))
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		m := reflect.MakeMap(v.Type())
		for n, k := range v.MapKeys() {
			val := reflect.New(v.Type().Elem()).Elem()
			val.Set(v.MapIndex(k))
			poison(val)
			nk := reflect.New(v.Type().Key()).Elem()
			nk.Set(k)
			if nk.Kind() == reflect.String {
				// Keys stay distinct.
				nk.SetString(payload + strings.Repeat(" ", n))
			} else {
				poison(nk)
			}
			m.SetMapIndex(nk, val)
		}
		v.Set(m)
	case reflect.String:
		if v.CanSet() {
			v.SetString(payload)
		}
	}
}

// hostile is the fake with every string poisoned.
func hostile() *fake {
	f := newFake()
	for _, p := range []any{&f.stories, &f.digests, &f.articles, &f.intel, &f.entities, &f.search, &f.status} {
		poison(reflect.ValueOf(p))
	}
	// Outlets are found by name: the poisoned page is under the payload.
	o := f.outlets["Herald"]
	poison(reflect.ValueOf(&o))
	f.outlets = map[string]service.OutletPage{payload: o}
	for _, g := range f.search.Groups {
		for i := range g.Articles {
			g.Articles[i].Snippet = "«" + payload + "» " + payload
		}
	}
	return f
}

// TestXSS fetches every page of a story whose every string is hostile and
// checks that nothing of it becomes markup: no element or attribute it
// brought, no link to a non-web URL, no script but the JSON-LD, which
// still parses and holds the payload as data.
func TestXSS(t *testing.T) {
	f := hostile()
	h := New(f, f, Options{WriteToken: token, Now: func() time.Time { return now }, Logger: slog.New(slog.DiscardHandler)})
	paths := []string{"/", "/?lang=" + url.QueryEscape(payload) + "&outlet=" + url.QueryEscape(payload), "/story/7", "/story/8",
		"/article/1", "/article/3", "/article/4", "/entity/1", "/outlet/" + url.PathEscape(payload), "/search?q=" + url.QueryEscape(payload),
		"/search?q=" + url.QueryEscape(`"`+payload), "/login?next=" + url.QueryEscape(urlPayload), "/nothing/" + url.PathEscape(payload)}
	// Pages with a token, and the page after a correction that echoes a
	// hostile spelling.
	auth := []*http.Request{}
	for _, p := range []string{"/story/7", "/entity/1", "/article/3"} {
		r := newGet(p)
		r.AddCookie(&http.Cookie{Name: tokenCookie, Value: token})
		auth = append(auth, r)
	}
	seen := 0
	check := func(name string, code int, body string) {
		t.Helper()
		if code >= 500 {
			t.Errorf("%s: %d", name, code)
		}
		checkMarkup(t, name, body, true)
		if strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			seen++
		}
	}
	for _, p := range paths {
		w := get(h, p)
		check(p, w.Code, w.Body.String())
	}
	for _, r := range auth {
		w := do(h, r)
		check("logged in "+r.URL.Path, w.Code, w.Body.String())
	}
	w := post(h, "/correct", url.Values{"kind": {"split-entity"}, "entity": {"1"}, "spelling": {payload}, "note": {payload}, "token": {token}})
	check("split-entity", w.Code, w.Body.String())
	w = post(h, "/undo", url.Values{"id": {"42"}, "next": {urlPayload}, "token": {token}})
	check("undo", w.Code, w.Body.String())
	if seen < 10 {
		t.Errorf("the payload shows, escaped, on %d pages only: the hostile data did not reach the pages", seen)
	}
}

// allowedTags are the elements the templates write.
var allowedTags = map[string]bool{}

func init() {
	for _, t := range strings.Fields(`html head meta title link script body header nav a form label input button main footer p time details
		summary ul ol li h1 h2 h3 h4 section article span abbr table thead tbody tr th td div figure figcaption svg rect text line g path
		circle blockquote q strong br select option fieldset legend mark`) {
		allowedTags[t] = true
	}
}

// checkMarkup tokenizes a page as a browser would and fails on anything
// the payloads could have made; for a page of hostile data, also on a
// link to an original (every URL is a javascript: one) and on JSON-LD that
// lost the payload.
func checkMarkup(t *testing.T, name, body string, hostile bool) {
	t.Helper()
	low := strings.ToLower(body)
	// Escaped, the payloads' words may show as text; as markup they may
	// not. onerror= as text is fine: the tokenizer below finds it in tags.
	for _, bad := range []string{"<script>alert", "<img", "<svg onload", "javascript:", "<!--"} {
		if strings.Contains(low, bad) {
			i := strings.Index(low, bad)
			t.Errorf("%s: raw %q at …%s…", name, bad, body[max(0, i-80):min(len(body), i+80)])
		}
	}
	z := html.NewTokenizer(strings.NewReader(body))
	inScript := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken:
			tok := z.Token()
			if !allowedTags[tok.Data] {
				t.Errorf("%s: element <%s> the templates do not write", name, tok.Data)
			}
			for _, a := range tok.Attr {
				k, v := strings.ToLower(a.Key), strings.TrimSpace(strings.ToLower(a.Val))
				if strings.HasPrefix(k, "on") || k == "style" || k == "src" || k == "formaction" {
					t.Errorf("%s: attribute %s=%q on <%s>", name, a.Key, a.Val, tok.Data)
				}
				if (k == "href" || k == "action") && !(strings.HasPrefix(v, "/") && !strings.HasPrefix(v, "//") || strings.HasPrefix(v, "#") ||
					strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "http://")) {
					t.Errorf("%s: %s=%q on <%s>", name, a.Key, a.Val, tok.Data)
				}
				if k == "lang" && langAttr(a.Val) != a.Val {
					t.Errorf("%s: lang=%q", name, a.Val)
				}
				if k == "dir" && a.Val != "auto" && a.Val != "rtl" && a.Val != "ltr" {
					t.Errorf("%s: dir=%q", name, a.Val)
				}
				if hostile && k == "class" && a.Val == "original" {
					t.Errorf("%s: a link to an original whose URL is %q", name, urlPayload)
				}
			}
			if tok.Data == "script" {
				typ := ""
				for _, a := range tok.Attr {
					if a.Key == "type" {
						typ = a.Val
					}
				}
				if typ != "application/ld+json" {
					t.Errorf("%s: a script of type %q", name, typ)
				}
				inScript = true
			}
		case html.TextToken:
			if inScript {
				var v map[string]any
				if err := json.Unmarshal(z.Text(), &v); err != nil {
					t.Errorf("%s: the JSON-LD does not parse (%v): %s", name, err, z.Text())
				} else if hostile && v["headline"] != short(ldHeadline, payload) {
					t.Errorf("%s: JSON-LD headline %q", name, v["headline"])
				}
			}
		case html.EndTagToken:
			inScript = false
		}
	}
}

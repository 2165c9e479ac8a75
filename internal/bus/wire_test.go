package bus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/extract"
	"github.com/storyline/storyline/internal/ingest"
	"github.com/storyline/storyline/internal/intel/entity"
	"github.com/storyline/storyline/internal/intel/figure"
	"github.com/storyline/storyline/internal/intel/quote"
	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/source"
	"github.com/storyline/storyline/internal/story"
)

// items are a few source items of every shape: a JSONL article, an HTML
// page, a plain-text scrape, and one a source failed to read.
func items(t *testing.T) []source.Item {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"a.jsonl": `{"id":"a1","title":"Quake hits coast","text":"A strong earthquake struck the northern coast on Monday, damaging hundreds of homes and cutting power to the port city, officials said. \"We are searching every building,\" said Maria Lopez, the fire chief. About 1,200 people were moved to shelters.","source":"Wire","published":"2024-05-06T07:08:09+02:00","lang":"en"}` + "\n",
		"b.html":  `<html lang="de"><head><title>Flut im Norden</title></head><body><article><h1>Flut im Norden</h1><p>Das Hochwasser hat am Dienstag weite Teile der Stadt überflutet. Nach Angaben der Feuerwehr mussten 300 Menschen ihre Häuser verlassen. „Wir arbeiten rund um die Uhr“, sagte Bürgermeister Hans Weber.</p><p>Die Pegel sollen bis Donnerstag weiter steigen.</p></article></body></html>`,
		"c.txt":   "Home | News | Sport\n\nRiots in the capital\n\nThousands of protesters clashed with police in the capital on Saturday after a disputed election, witnesses said. Police fired tear gas.\n\nShare this article\n",
		"d.pdf":   "%PDF-1.4",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out []source.Item
	for it := range source.Read(context.Background(), []string{dir}, source.Options{}) {
		out = append(out, it)
	}
	if len(out) != 4 {
		t.Fatalf("read %d items, want 4", len(out))
	}
	return out
}

// same compares two values by their JSON, which sees every exported field
// and compares times as instants with their offsets.
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if string(g) != string(w) {
		t.Errorf("%s changed on the wire:\n got %.600s\nwant %.600s", what, g, w)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestWireRoundTrip(t *testing.T) {
	its := items(t)
	for _, it := range its {
		b, err := encodeRaw(it)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeRaw(wireRaw, b)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "raw item "+it.Page.Input, got.Page, it.Page)
		if errText(got.Err) != errText(it.Err) {
			t.Errorf("raw item %s: error %q, want %q", it.Page.Input, errText(got.Err), errText(it.Err))
		}
		if it.Err != nil && !errors.Is(got.Err, source.ErrUnsupported) {
			t.Errorf("raw item %s: error %v lost its kind", it.Page.Input, got.Err)
		}
	}
	feats := story.New(story.Config{}, nil).Features()
	st := ingest.Stages{Det: langid.Default(), Features: &feats}
	n := 0
	for p := range ingest.Prepare(context.Background(), func(yield func(source.Item) bool) {
		for _, it := range its {
			if !yield(it) {
				return
			}
		}
	}, st, 2) {
		b, err := encodePrepared(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodePrepared(wirePrepared, b)
		if err != nil {
			t.Fatal(err)
		}
		if p.Err == nil {
			n++
			if len(p.Docs) == 0 || len(p.Docs[0].Terms) == 0 {
				t.Errorf("%s: prepared without features", p.Input)
			}
		}
		for _, f := range []struct {
			name      string
			got, want any
		}{
			{"articles", got.Articles, p.Articles}, {"stemmed", got.Stemmed, p.Stemmed}, {"mentions", got.Mentions, p.Mentions},
			{"figures", got.Figures, p.Figures}, {"quotes", got.Quotes, p.Quotes}, {"docs", got.Docs, p.Docs},
			{"validators", got.Validators, p.Validators}, {"input", got.Input, p.Input},
		} {
			same(t, p.Input+" "+f.name, f.got, f.want)
		}
		if errText(got.Err) != errText(p.Err) {
			t.Errorf("%s: error %q, want %q", p.Input, errText(got.Err), errText(p.Err))
		}
	}
	if n != 3 {
		t.Errorf("%d items prepared without error, want 3", n)
	}
}

// TestWireErrorKinds: an item's error keeps its class across the wire,
// which the report groups skips by.
func TestWireErrorKinds(t *testing.T) {
	for _, kind := range []error{extract.ErrNoText, source.ErrTooLarge, source.ErrForbiddenAddress, context.DeadlineExceeded, ErrMovedAside} {
		b, err := encodePrepared(ingest.Prepared{Input: "x", Err: fmt.Errorf("page x: %w", kind)})
		if err != nil {
			t.Fatal(err)
		}
		p, err := decodePrepared(wirePrepared, b)
		if err != nil {
			t.Fatal(err)
		}
		if !errors.Is(p.Err, kind) || p.Err.Error() != "page x: "+kind.Error() {
			t.Errorf("error %q (is %v: %v) after the wire, want %q", p.Err, kind, errors.Is(p.Err, kind), "page x: "+kind.Error())
		}
	}
}

// TestWireVersions: a message of another version, or of the other kind,
// is refused, not misread.
func TestWireVersions(t *testing.T) {
	raw, _ := encodeRaw(source.Item{Page: article.Page{Input: "a", Body: []byte("text"), Published: time.Unix(0, 0)}})
	prep, _ := encodePrepared(ingest.Prepared{Input: "a"})
	for _, c := range []struct {
		name string
		err  error
	}{
		{"raw as raw/2", func() error { _, err := decodeRaw("raw/2", raw); return err }()},
		{"raw without version", func() error { _, err := decodeRaw("", raw); return err }()},
		{"prepared as prepared/2", func() error { _, err := decodePrepared("prepared/2", prep); return err }()},
		{"raw body as prepared", func() error { _, err := decodePrepared(wirePrepared, raw); return err }()},
		{"garbage", func() error { _, err := decodePrepared(wirePrepared, []byte("garbage")); return err }()},
	} {
		if c.err == nil {
			t.Errorf("%s: decoded, want an error", c.name)
		}
	}
	if _, err := decodeRaw(wireRaw, raw); err != nil {
		t.Errorf("raw/1: %v", err)
	}
}

// FuzzDecode: no body, however broken, panics a worker or the assigner.
func FuzzDecode(f *testing.F) {
	raw, _ := encodeRaw(source.Item{Page: article.Page{Input: "a", Body: []byte("text")}, Err: source.ErrEmpty})
	prep, _ := encodePrepared(ingest.Prepared{Input: "a", Articles: []article.Article{{Title: "t", MinHash: []uint64{1, 2}}},
		Stemmed: []string{"t"}, Mentions: make([][]entityMention, 1), Figures: make([][]figureFigure, 1), Quotes: make([][]quoteQuote, 1)})
	f.Add(raw)
	f.Add(prep)
	f.Add([]byte(strings.Repeat("\xff", 20)))
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = decodeRaw(wireRaw, b)
		_, _ = decodePrepared(wirePrepared, b)
	})
}

type (
	entityMention = entity.Mention
	figureFigure  = figure.Figure
	quoteQuote    = quote.Quote
)

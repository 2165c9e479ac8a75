package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/storyline/storyline/internal/intel/digest"
	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/lexicon"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/text"
)

func runStory(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "story", "ID")
	data := dataFlag(fs)
	asJSON := fs.Bool("json", false, "print the story as one JSON object")
	lexDir := fs.String("lexicons", lexicon.DefaultDir, "folder of freedict dictd files (for why articles are together across languages)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("story takes one story ID")
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil {
		return usageErr("story ID %q is not a number", pos[0])
	}
	st, err := data.openRead(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	var d *digest.Digest
	// The digest the last settle stored, while the story has not changed
	// since; else built now.
	if b, err := st.Digest(ctx, id); err != nil {
		return err
	} else if b != nil {
		d = new(digest.Digest)
		if err := json.Unmarshal(b, d); err != nil {
			d = nil
		}
	}
	if d == nil {
		lex, err := lexicon.Load(ctx, *lexDir, langid.Default().Languages())
		if err != nil {
			return err
		}
		if d, err = digest.Build(ctx, st, id, *digestOptions(lex, storedModel(ctx, st))); err != nil {
			return err
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(d)
	}
	printDigest(e.stdout, d)
	return nil
}

// storedModel is the document-frequency model the last checkpoint stored,
// nil when there is none.
func storedModel(ctx context.Context, st store.Store) *text.Model {
	b, err := st.Meta(ctx, "model")
	if err != nil || b == nil {
		return nil
	}
	var m text.Model
	if m.UnmarshalBinary(b) != nil {
		return nil
	}
	return &m
}

// digestOptions are the digest settings: lex (nil or empty for none)
// glosses across languages, model weighs the evidence of why articles are
// together as assignment weighed it (nil: the terms alike).
func digestOptions(lex *lexicon.Lexicon, model *text.Model) *digest.Options {
	why := &digest.Explainer{Model: model}
	opt := &digest.Options{Why: why}
	if lex != nil && len(lex.Langs()) > 0 {
		why.Analyzer.Translator = lex
		opt.Words = lex
	}
	return opt
}

// printDigest prints a digest for reading in a terminal.
func printDigest(w io.Writer, d *digest.Digest) {
	s := d.Story
	fmt.Fprintf(w, "Story %d: %s\n", s.ID, s.Headline)
	fmt.Fprintf(w, "%d articles · languages %s · outlets %s\n", s.Articles, strings.Join(s.Langs, ", "), strings.Join(s.Outlets, ", "))
	if !s.FirstSeen.IsZero() {
		fmt.Fprintf(w, "first seen %s · last seen %s\n", s.FirstSeen.UTC().Format("2006-01-02 15:04"), s.LastSeen.UTC().Format("2006-01-02 15:04"))
	}
	title := map[int64]string{}
	outlet := map[int64]string{}
	for _, a := range d.Articles {
		title[a.ID], outlet[a.ID] = a.Title, a.Outlet
	}
	if len(d.Summary) > 0 {
		fmt.Fprintln(w, "\nSummary")
		for _, x := range d.Summary {
			fmt.Fprintf(w, "  %s [%d %s]\n", x.Text, x.Article, outlet[x.Article])
		}
	}
	if len(d.Entities) > 0 {
		fmt.Fprintln(w, "\nWho and what")
		for _, x := range d.Entities {
			fmt.Fprintf(w, "  %-28s %-6s %2d articles  as %s\n", x.Canonical, x.Type, x.Articles, strings.Join(x.Variants, ", "))
		}
	}
	if len(d.Quotes) > 0 {
		fmt.Fprintln(w, "\nQuotes")
		for _, q := range d.Quotes {
			sp := q.Speaker
			switch {
			case q.SpeakerName != "" && q.SpeakerName != q.Speaker:
				sp = q.SpeakerName + " (" + q.Speaker + ")"
			case sp == "":
				sp = "(speaker unknown)"
			}
			drift := ""
			if q.Drift {
				drift = "  — worded differently by outlet:"
			}
			fmt.Fprintf(w, "  %s: “%s” (%d outlets)%s\n", sp, q.Text, q.Outlets, drift)
			if q.Drift {
				for _, it := range q.Items {
					fmt.Fprintf(w, "      %s: “%s”\n", it.Outlet, it.Text)
				}
			}
		}
	}
	if len(d.Figures) > 0 {
		fmt.Fprintln(w, "\nFigures")
		for _, f := range d.Figures {
			flag := ""
			if f.Conflict {
				flag = "  ⚠ outlets disagree"
			}
			var vals []string
			for _, it := range f.Items {
				vals = append(vals, fmt.Sprintf("%s (%s)", it.Text, it.Outlet))
			}
			fmt.Fprintf(w, "  %s: %s%s\n", f.Label, strings.Join(vals, "; "), flag)
		}
	}
	if len(d.Coverage.Outlets) > 1 {
		fmt.Fprintln(w, "\nCoverage")
		for _, o := range d.Coverage.Outlets {
			fmt.Fprintf(w, "  %s (%s, %d articles)\n", o.Name, strings.Join(o.Langs, ","), o.Articles)
			if len(o.Omits) > 0 {
				fmt.Fprintf(w, "      leaves out: %s\n", factLabels(d, o.Omits))
			}
			if len(o.Only) > 0 {
				fmt.Fprintf(w, "      alone in saying: %s\n", factLabels(d, o.Only))
			}
		}
	}
	if len(d.Timeline) > 0 {
		fmt.Fprintln(w, "\nTimeline")
		for _, ev := range d.Timeline {
			at := "undated         "
			if !ev.At.IsZero() {
				at = ev.At.UTC().Format("2006-01-02 15:04")
			}
			if ev.Kind == "article" {
				fmt.Fprintf(w, "  %s  %-2s %-16s %s\n", at, ev.Lang, ev.Outlet, ev.Title)
			} else {
				fmt.Fprintf(w, "  %s  %s with story %d: %s\n", at, ev.Kind, ev.Other, ev.Detail)
			}
		}
	}
	if len(d.Why) > 0 {
		fmt.Fprintln(w, "\nWhy together")
		for _, x := range d.Why {
			var kinds []string
			for _, k := range x.Kinds {
				kinds = append(kinds, fmt.Sprintf("%s %.2f", k.Kind, k.Weight))
			}
			var terms []string
			for _, t := range x.Terms {
				terms = append(terms, fmt.Sprintf("%s (%s, %d)", t.Term, t.Kind, t.Articles))
			}
			fmt.Fprintf(w, "  [%d %s] %s\n      shared %.0f%%: %s\n      %s\n", x.Article, outlet[x.Article], title[x.Article],
				100*x.Shared, strings.Join(kinds, ", "), strings.Join(terms, ", "))
		}
	}
	for _, m := range d.MergesWhy {
		var terms []string
		for _, t := range m.Terms {
			terms = append(terms, fmt.Sprintf("%s (%s)", t.Term, t.Kind))
		}
		fmt.Fprintf(w, "  merged story %d (%s): %s\n", m.Other, m.Detail, strings.Join(terms, ", "))
	}
	if d.Omitted > 0 {
		fmt.Fprintf(w, "\n(%d earlier articles not read)\n", d.Omitted)
	}
}

func factLabels(d *digest.Digest, idx []int) string {
	var out []string
	for _, i := range idx {
		l := d.Coverage.Facts[i].Label
		if r := []rune(l); len(r) > 60 {
			l = string(r[:60]) + "…"
		}
		out = append(out, l)
	}
	return strings.Join(out, "; ")
}

package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/ingest"
	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/lexicon"
	"github.com/storyline/storyline/internal/source"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/story"
)

// engineFlags are the settings shared by commands that run the pipeline.
type engineFlags struct {
	data     *string
	langs    *string
	lexicons *string
	window   *time.Duration
	timeout  *time.Duration
	maxBody  *int64
}

func addEngineFlags(fs interface {
	String(string, string, string) *string
	Duration(string, time.Duration, string) *time.Duration
	Int64(string, int64, string) *int64
}) *engineFlags {
	return &engineFlags{
		langs:    fs.String("langs", "", "comma-separated ISO 639-1 codes language detection chooses from (default: a built-in set of 20)"),
		lexicons: fs.String("lexicons", lexicon.DefaultDir, "folder of freedict dictd files used to link languages"),
		window:   fs.Duration("window", 7*24*time.Hour, "how long a story stays open for new articles"),
		timeout:  fs.Duration("timeout", 30*time.Second, "HTTP timeout per request"),
		maxBody:  fs.Int64("max-bytes", 20<<20, "largest page or file read, in bytes"),
	}
}

func (f *engineFlags) sourceOptions(e *env, vs source.ValidatorStore) source.Options {
	return source.Options{MaxBodyBytes: *f.maxBody, Timeout: *f.timeout, Validators: vs, Logger: e.log}
}

func (f *engineFlags) detector() (*langid.Detector, error) {
	if *f.langs == "" {
		return langid.Default(), nil
	}
	return langid.New(splitList(*f.langs))
}

// engine is an open store with its story assigner restored.
type engine struct {
	st  *store.SQLite
	asg *story.Assigner
	det *langid.Detector
}

func openEngine(ctx context.Context, e *env, dir string, f *engineFlags) (*engine, error) {
	det, err := f.detector()
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, dir)
	if err != nil {
		return nil, err
	}
	lex, err := lexicon.Load(ctx, *f.lexicons, det.Languages())
	if err != nil {
		st.Close()
		return nil, err
	}
	if len(lex.Langs()) == 0 {
		lex = nil // an empty lexicon would only add noise terms
	}
	asg := story.New(story.Config{Window: *f.window}, lex)
	if err := ingest.Restore(ctx, st, asg, *f.window); err != nil {
		st.Close()
		return nil, err
	}
	return &engine{st: st, asg: asg, det: det}, nil
}

func runIngest(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ingest", "SOURCE...")
	data := dataFlag(fs)
	ef := addEngineFlags(fs)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	inputs, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(inputs) == 0 {
		return usageErr("no SOURCE given")
	}
	eng, err := openEngine(ctx, e, *data, ef)
	if err != nil {
		return err
	}
	defer eng.st.Close()

	p := ingest.New(eng.st, eng.det, eng.asg, ingest.Options{
		Source:   ef.sourceOptions(e, eng.st),
		Progress: os.Stderr,
		Logger:   e.log,
	})
	rep, err := p.Run(ctx, inputs)
	if rep != nil {
		if *asJSON {
			json.NewEncoder(e.stdout).Encode(rep)
		} else {
			rep.WriteTo(e.stdout)
			if n, s, cerr := eng.st.Counts(ctx); cerr == nil {
				fmt.Fprintf(e.stdout, "store %s: %d articles in %d stories\n", *data, n, s)
			}
		}
	}
	if err != nil {
		return err
	}
	if rep.Failed() {
		return errItems
	}
	return nil
}

// articleJSON is the shape `extract` and `export` print.
type articleJSON struct {
	ID          string `json:"id,omitempty"`
	Input       string `json:"input"`
	Related     bool   `json:"related"`
	Title       string `json:"title"`
	Text        string `json:"text"`
	Lang        string `json:"lang"`
	Published   string `json:"published"`
	Source      string `json:"source"`
	URL         string `json:"url"`
	DuplicateOf string `json:"duplicate_of,omitempty"`
	Story       int64  `json:"story,omitempty"`
}

func toJSON(a *article.Article) articleJSON {
	return articleJSON{
		Input: a.Input, Related: a.Related, Title: a.Title, Text: a.Text, Lang: a.Lang,
		Published: rfc3339(a.Published), Source: a.Source, URL: a.URL,
	}
}

func runExtract(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "extract", "PATH|URL...")
	ef := addEngineFlags(fs)
	inputs, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(inputs) == 0 {
		return usageErr("no PATH or URL given")
	}
	det, err := ef.detector()
	if err != nil {
		return err
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	failed := 0
	items := source.Read(ctx, inputs, ef.sourceOptions(e, nil))
	for prep := range ingest.Prepare(ctx, items, det, 0) {
		if prep.Err != nil {
			failed++
			fmt.Fprintf(e.stderr, "extract %s: %v\n", prep.Input, prep.Err)
			continue
		}
		for i := range prep.Articles {
			if err := enc.Encode(toJSON(&prep.Articles[i])); err != nil {
				return err
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if failed > 0 {
		return errItems
	}
	return nil
}

// openExisting opens the store of a data directory that commands reading
// it expect to exist, rather than creating an empty one.
func openExisting(ctx context.Context, dir string) (*store.SQLite, error) {
	if _, err := os.Stat(filepath.Join(dir, store.FileName)); err != nil {
		return nil, fmt.Errorf("no store in %s (run storyline ingest first): %w", dir, err)
	}
	return store.Open(ctx, dir)
}

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export", "")
	data := dataFlag(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	st, err := openExisting(ctx, *data)
	if err != nil {
		return err
	}
	defer st.Close()
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	return st.Articles(ctx, func(a *article.Article) error {
		j := toJSON(a)
		j.ID = printedID(a)
		if a.DuplicateOf != 0 {
			// Copies are few: look the original up rather than keep an
			// ID map that grows with the store.
			orig, err := st.Article(ctx, a.DuplicateOf)
			if err != nil {
				return fmt.Errorf("export %d: original %d: %w", a.ID, a.DuplicateOf, err)
			}
			j.DuplicateOf = printedID(orig)
		}
		j.Story = a.Story
		return enc.Encode(j)
	})
}

// printedID is the id export prints: the input's own id when it had one.
func printedID(a *article.Article) string {
	if a.ExternalID != "" {
		return a.ExternalID
	}
	return strconv.FormatInt(a.ID, 10)
}

func runStories(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "stories", "")
	data := dataFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON lines instead of a table")
	limit := fs.Int("n", 50, "show at most this many stories (0: all)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	st, err := openExisting(ctx, *data)
	if err != nil {
		return err
	}
	defer st.Close()
	stories, err := st.Stories(ctx)
	if err != nil {
		return err
	}
	if *limit > 0 && len(stories) > *limit {
		stories = stories[:*limit]
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	for _, s := range stories {
		if *asJSON {
			if err := enc.Encode(s); err != nil {
				return err
			}
			continue
		}
		fmt.Fprintf(e.stdout, "%6d  %3d art  %-12s %s  %s\n", s.ID, s.Articles, joinMax(s.Langs, 4),
			s.LastSeen.UTC().Format("2006-01-02"), s.Headline)
		if len(s.Outlets) > 0 {
			fmt.Fprintf(e.stdout, "        outlets: %s\n", joinMax(s.Outlets, 8))
		}
	}
	return nil
}

func joinMax(xs []string, n int) string {
	if len(xs) > n {
		return fmt.Sprintf("%s +%d", strings.Join(xs[:n], ","), len(xs)-n)
	}
	return strings.Join(xs, ",")
}

package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/extract"
	"github.com/storyline/storyline/internal/ingest"
	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/lexicon"
	"github.com/storyline/storyline/internal/source"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/story"
)

// readFlags are the settings of commands that read sources.
type readFlags struct {
	langs    *string
	timeout  *time.Duration
	maxBody  *int64
	allowNet *string
}

func addReadFlags(fs *flag.FlagSet) *readFlags {
	return &readFlags{
		langs:   langsFlag(fs),
		timeout: fs.Duration("timeout", 30*time.Second, "HTTP timeout per request"),
		maxBody: fs.Int64("max-bytes", source.DefaultMaxBodyBytes, fmt.Sprintf("largest file, page, JSONL line or WARC record read, in bytes (pages over %d MiB are refused by extraction)", extract.MaxBodySize>>20)),
		allowNet: fs.String("allow-net", "", "addresses fetching may reach although not public: comma-separated CIDRs or IPs, "+
			"or loopback or private (default: none; loopback, private, link-local and metadata addresses are refused)"),
	}
}

func langsFlag(fs *flag.FlagSet) *string {
	return fs.String("langs", "", "comma-separated ISO 639-1 codes language detection chooses from (default: the 71 languages the models know, all but bs, ms, la, eo)")
}

func (f *readFlags) sourceOptions(e *env, vs source.ValidatorReader) (source.Options, error) {
	allow, err := source.ParseAllowNets(*f.allowNet)
	if err != nil {
		return source.Options{}, usageErr("--allow-net: %v", err)
	}
	return source.Options{MaxBodyBytes: *f.maxBody, Timeout: *f.timeout, Validators: vs, Logger: e.log, AllowNets: allow}, nil
}

// engineFlags are the settings of commands that run the whole pipeline.
type engineFlags struct {
	*readFlags
	lexicons *string
	window   *time.Duration
	digests  *bool
}

func addEngineFlags(fs *flag.FlagSet) *engineFlags {
	f := addPrepareFlags(fs)
	f.readFlags = addReadFlags(fs)
	f.digests = fs.Bool("digests", true, "store the digest of each story a settle rewrites, for readers to read at once "+
		"(about 2 ms an article at the end of a run; off, storyline story builds one when asked)")
	return f
}

// addPrepareFlags registers the flags that decide how an item is
// prepared (but --langs, which addReadFlags has): a worker's, which must
// be those of the assigner it prepares for.
func addPrepareFlags(fs *flag.FlagSet) *engineFlags {
	return &engineFlags{
		lexicons: fs.String("lexicons", lexicon.DefaultDir, "folder of freedict dictd files used to link languages"),
		window:   fs.Duration("window", 7*24*time.Hour, "how long a story stays open for new articles"),
	}
}

func (f *readFlags) detector() (*langid.Detector, error) {
	if *f.langs == "" {
		return langid.Default(), nil
	}
	return langid.New(splitList(*f.langs))
}

// lexicon loads the lexicons of det's languages; nil when there are none.
func (f *engineFlags) lexicon(ctx context.Context, det *langid.Detector) (*lexicon.Lexicon, error) {
	lex, err := lexicon.Load(ctx, *f.lexicons, det.Languages())
	if err != nil {
		return nil, err
	}
	if len(lex.Langs()) == 0 {
		return nil, nil // an empty lexicon would only add noise terms
	}
	return lex, nil
}

// openPipeline opens the store at loc for writing (waiting, with a
// message, while another process writes a SQLite store) and the pipeline
// on it, its stories resumed where the last run left them.
func openPipeline(ctx context.Context, e *env, loc storeFlags, command string, f *engineFlags, opt ingest.Options) (store.Backend, *ingest.Pipeline, *lexicon.Lexicon, error) {
	det, err := f.detector()
	if err != nil {
		return nil, nil, nil, err
	}
	if opt.Source, err = f.sourceOptions(e, nil); err != nil {
		return nil, nil, nil, err
	}
	lex, err := f.lexicon(ctx, det)
	if err != nil {
		return nil, nil, nil, err
	}
	st, err := loc.openWrite(ctx, e, command)
	if err != nil {
		return nil, nil, nil, err
	}
	opt.Source.Validators = st
	opt.Logger = e.log
	if lex != nil {
		opt.Words = lex
	}
	if *f.digests {
		opt.Digest = digestOptions(lex, nil)
	}
	p, err := ingest.Open(ctx, st, det, f.assigner(lex), opt)
	if err != nil {
		st.Close()
		return nil, nil, nil, err
	}
	return st, p, lex, nil
}

// assigner returns a new story assigner as the flags configure it; its
// Features are those workers compute for it.
func (f *engineFlags) assigner(lex *lexicon.Lexicon) *story.Assigner {
	return story.New(story.Config{Window: *f.window}, lex)
}

func runIngest(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ingest", "SOURCE...")
	data := dataFlag(fs)
	ef := addEngineFlags(fs)
	bf := addBusFlags(fs, "publish the items to the deployment's raw stream for workers and the assigner, and return once it holds them all")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	inputs, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(inputs) == 0 {
		return usageErr("no SOURCE given")
	}
	if err := someReadable(inputs); err != nil {
		return err
	}
	if *bf.url != "" {
		return publishItems(ctx, e, bf, ef.readFlags, inputs, *asJSON)
	}
	st, p, _, err := openPipeline(ctx, e, *data, "ingest", ef, ingest.Options{Progress: e.stderr})
	if err != nil {
		return err
	}
	defer st.Close()
	rep, err := p.Run(ctx, inputs)
	if rep != nil {
		if *asJSON {
			json.NewEncoder(e.stdout).Encode(rep)
		} else {
			rep.WriteTo(e.stdout)
			if n, s, cerr := st.Counts(context.WithoutCancel(ctx)); cerr == nil {
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

// someReadable fails when no input could give anything: every one is a
// path that does not exist. A run then would only leave an empty store
// behind. Some missing among others are per-item errors of the run.
func someReadable(inputs []string) error {
	var missing []string
	for _, in := range inputs {
		l := strings.ToLower(in)
		if in == "-" || strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") {
			return nil
		}
		p := in
		if i := strings.LastIndexByte(in, '#'); i > 0 {
			if _, err := os.Stat(in); err != nil {
				p = in[:i] // an item of a file: file.jsonl#L12
			}
		}
		if _, err := os.Stat(p); err == nil {
			return nil
		}
		missing = append(missing, in)
	}
	return fmt.Errorf("nothing to ingest: no such file or folder: %s", strings.Join(missing, ", "))
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
	// Entities and quotes, in export only.
	Entities []mentionJSON `json:"entities,omitempty"`
	Quotes   []quoteJSON   `json:"quotes,omitempty"`
}

// mentionJSON is a name in an article: as written, and the entity it names.
type mentionJSON struct {
	Name      string `json:"name"`
	Canonical string `json:"canonical,omitempty"`
	Type      string `json:"type"`
	Entity    int64  `json:"entity,omitempty"`
}

// quoteJSON is a quotation with its speaker.
type quoteJSON struct {
	Text          string  `json:"text"`
	Speaker       string  `json:"speaker"`
	SpeakerEntity int64   `json:"speaker_entity,omitempty"`
	Confidence    float64 `json:"confidence"`
}

func toJSON(a *article.Article) articleJSON {
	return articleJSON{
		Input: a.Input, Related: a.Related, Title: a.Title, Text: a.Text, Lang: a.Lang,
		Published: rfc3339(a.Published), Source: a.Source, URL: a.URL,
	}
}

func runExtract(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "extract", "PATH|URL...")
	ef := addReadFlags(fs)
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
	opt, err := ef.sourceOptions(e, nil)
	if err != nil {
		return err
	}
	items := source.Read(ctx, inputs, opt)
	for prep := range ingest.Prepare(ctx, items, ingest.Stages{Det: det}, 0) {
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

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export", "")
	data := dataFlag(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	st, err := data.openRead(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	names := canonicals{}
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
		in, err := st.Intel(ctx, a.ID)
		if err != nil {
			return err
		}
		for _, m := range in.Mentions {
			mj := mentionJSON{Name: m.Text, Type: m.Type, Entity: m.Entity}
			if m.Entity != 0 {
				if mj.Canonical, err = names.canonical(ctx, st, m.Entity); err != nil {
					return err
				}
			}
			j.Entities = append(j.Entities, mj)
		}
		for _, q := range in.Quotes {
			j.Quotes = append(j.Quotes, quoteJSON{Text: q.Text, Speaker: q.Speaker, SpeakerEntity: q.SpeakerEntity, Confidence: q.Confidence})
		}
		return enc.Encode(j)
	})
}

// canonicals caches entities' canonical names for a walk over articles.
type canonicals map[int64]string

// maxCanonicals bounds the cache: beyond it, it starts again, so that an
// export of a large store does not hold every entity.
const maxCanonicals = 100_000

func (c *canonicals) canonical(ctx context.Context, st store.Store, id int64) (string, error) {
	if n, ok := (*c)[id]; ok {
		return n, nil
	}
	e, _, _, err := st.EntityInfo(ctx, id)
	if err != nil {
		return "", err
	}
	if len(*c) >= maxCanonicals {
		*c = canonicals{}
	}
	(*c)[id] = e.Canonical
	return e.Canonical, nil
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
	st, err := data.openRead(ctx)
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
			if err := enc.Encode(toStoryJSON(s)); err != nil {
				return err
			}
			continue
		}
		day := "undated   "
		if !s.LastSeen.IsZero() {
			day = s.LastSeen.UTC().Format("2006-01-02")
		}
		fmt.Fprintf(e.stdout, "%6d  %3d art  %-12s %s  %s\n", s.ID, s.Articles, joinMax(s.Langs, 4), day, s.Headline)
		if len(s.Outlets) > 0 {
			fmt.Fprintf(e.stdout, "        outlets: %s\n", joinMax(s.Outlets, 8))
		}
	}
	return nil
}

// storyJSON is the shape `stories --json` prints: snake_case, as export's.
type storyJSON struct {
	ID        int64             `json:"id"`
	Headline  string            `json:"headline"`
	Titles    map[string]string `json:"titles,omitempty"`
	FirstSeen string            `json:"first_seen,omitempty"`
	LastSeen  string            `json:"last_seen,omitempty"`
	Articles  int               `json:"articles"`
	Langs     []string          `json:"langs"`
	Outlets   []string          `json:"outlets"`
	TopTerms  []string          `json:"top_terms"`
}

func toStoryJSON(s store.Story) storyJSON {
	return storyJSON{ID: s.ID, Headline: s.Headline, Titles: s.Titles, FirstSeen: rfc3339(s.FirstSeen),
		LastSeen: rfc3339(s.LastSeen), Articles: s.Articles, Langs: nonNil(s.Langs), Outlets: nonNil(s.Outlets),
		TopTerms: nonNil(s.TopTerms)}
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func joinMax(xs []string, n int) string {
	if len(xs) > n {
		return fmt.Sprintf("%s +%d", strings.Join(xs[:n], ","), len(xs)-n)
	}
	return strings.Join(xs, ",")
}

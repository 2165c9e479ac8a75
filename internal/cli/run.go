package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/storyline/storyline/internal/api"
	"github.com/storyline/storyline/internal/bus"
	"github.com/storyline/storyline/internal/ingest"
	"github.com/storyline/storyline/internal/intel/digest"
	"github.com/storyline/storyline/internal/langid"
	"github.com/storyline/storyline/internal/live"
	"github.com/storyline/storyline/internal/text/segment"
	"github.com/storyline/storyline/internal/web"
)

// Server timeouts. A slow or stalled client holds a connection no longer
// than these; the longest honest request (an ingest POST of many pages)
// waits for the writer, bounded by writeTimeout.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 60 * time.Second
	writeTimeout      = 120 * time.Second
	idleTimeout       = 2 * time.Minute
	// shutdownGrace is how long open requests get to finish on SIGINT or
	// SIGTERM before their connections are closed.
	shutdownGrace = 10 * time.Second
)

func runRun(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "run", "[SOURCE...]")
	data := dataFlag(fs)
	ef := addEngineFlags(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "address to serve the web UI and API on (loopback unless told otherwise)")
	sourcesFile := fs.String("sources", "", "file of sources, one a line, each optionally followed by its poll interval (https://example.org/rss 10m)")
	poll := fs.Duration("poll", 15*time.Minute, "how often feeds and pages are fetched again, unless their line says otherwise")
	watch := fs.Duration("watch", 10*time.Second, "how often watched folders are looked at for new or changed files")
	token := fs.String("token", "", "bearer token for writes (POST /api/articles, corrections); env STORYLINE_TOKEN; empty: read-only")
	baseURL := fs.String("base-url", "", "public root URL for feeds' links (default: the request's host)")
	bf := addBusFlags(fs, "run every role of the deployment in this process: publish SOURCE... once, prepare the items and "+
		"assign them (a standby while another assigner holds the lease); no web UI, polling or watching")
	workers := fs.Int("workers", 0, "with --bus: items prepared at once (default: the number of CPUs)")
	drain := fs.Bool("drain", false, "with --bus: stop once SOURCE... are published and everything is stored")
	inputs, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *bf.url != "" {
		if *sourcesFile != "" {
			return usageErr("--sources: feeds are polled in process only; with --bus, give them as SOURCE to publish once")
		}
		return runOnBus(ctx, e, bf, data, ef, inputs, *workers, *drain)
	}
	sources, err := runSources(inputs, *sourcesFile)
	if err != nil {
		return err
	}
	if *token == "" {
		*token = os.Getenv("STORYLINE_TOKEN")
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer ln.Close()

	st, p, lex, err := openPipeline(ctx, e, *data, "run", ef, ingest.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	// The dictionaries (lexicons, Japanese and Chinese segmentation, the
	// language model) load now, in the background, rather than on the
	// first word of each language, where a load (up to seconds) would
	// hold that article and every one behind it.
	go func() {
		segment.Preload()
		langid.Preload()
		if err := lex.Preload(ctx); err != nil {
			e.log.Warn("lexicons", "err", err)
		}
	}()
	// A story without a stored digest (not settled with --digests, or
	// beyond a settle's budget) gets one built when read, its evidence
	// weighed by the model the last checkpoint stored: the writer's own
	// model is the writer's alone.
	dig := func(ctx context.Context, id int64) (*digest.Digest, error) {
		return digest.Build(ctx, st, id, *digestOptions(lex, storedModel(ctx, st)))
	}
	svc := live.New(st, p, live.Options{Poll: *poll, Watch: *watch, Digest: dig, Logger: e.log})

	mux := http.NewServeMux()
	a := api.New(svc, svc, api.Options{WriteToken: *token, BaseURL: *baseURL, Logger: e.log})
	mux.Handle("/api/", a)
	mux.Handle("/feeds/", a)
	mux.Handle("/", web.New(svc, svc, web.Options{WriteToken: *token, Logger: e.log}))
	srv := &http.Server{Handler: live.Admit(mux, 0), ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout,
		WriteTimeout: writeTimeout, IdleTimeout: idleTimeout}

	// A server that fails stops the service too: nobody could read it.
	ctx, stopService := context.WithCancelCause(ctx)
	defer stopService(nil)
	served := make(chan error, 1)
	go func() {
		err := srv.Serve(ln)
		stopService(fmt.Errorf("serve: %w", err))
		served <- err
	}()
	writes := "read-only (no --token)"
	if *token != "" {
		writes = "writes need the token"
	}
	fmt.Fprintf(e.stderr, "storyline run: serving http://%s/ (%s); store %s\n", ln.Addr(), writes, *data)

	runErr := svc.Run(ctx, sources)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	_ = srv.Shutdown(sctx)
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	if runErr != nil {
		return runErr
	}
	return ctx.Err() // the signal that stopped it
}

// runOnBus is `run --bus`: the roles of `ingest --bus`, `worker` and
// `assign` in this process, each on a connection of its own, by the
// functions those commands run. One failing stops the others.
func runOnBus(ctx context.Context, e *env, bf *busFlags, data *storeFlags, ef *engineFlags, inputs []string, workers int, drain bool) error {
	if err := someReadable(inputs); len(inputs) > 0 && err != nil {
		return err
	}
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	// With --drain, the worker and the assigner stop once the streams are
	// empty, which they are before the first item is published.
	published := make(chan struct{})
	var after <-chan struct{}
	if drain {
		after = published
	}
	var (
		wg                    sync.WaitGroup
		pubErr, wErr, asgnErr error
	)
	wg.Add(2)
	go func() {
		defer wg.Done()
		if wErr = work(ctx, e, bf, ef, bus.WorkOptions{Workers: workers, DrainAfter: after}); wErr != nil {
			stop(wErr)
		}
	}()
	go func() {
		defer wg.Done()
		asgnErr = assign(ctx, e, bf, data, ef, bus.AssignOptions{DrainAfter: after}, false)
		if asgnErr != nil && !errors.Is(asgnErr, errItems) {
			stop(asgnErr)
		}
	}()
	if len(inputs) > 0 {
		if pubErr = publishItems(ctx, e, bf, ef.readFlags, inputs, false); pubErr != nil && !errors.Is(pubErr, errItems) {
			stop(pubErr)
		}
	}
	close(published)
	wg.Wait()
	return errors.Join(pubErr, wErr, asgnErr)
}

// runSources gathers the sources from the arguments and the sources file;
// an argument that is itself a sources file (every line a URL, perhaps
// with an interval) is read as one.
func runSources(inputs []string, file string) ([]live.Source, error) {
	var out []live.Source
	if file != "" {
		f, err := os.Open(file)
		if err != nil {
			return nil, usageErr("--sources: %v", err)
		}
		defer f.Close()
		ss, err := live.ParseSources(f)
		if err != nil {
			return nil, usageErr("--sources %s: %v", file, err)
		}
		out = append(out, ss...)
	}
	for _, in := range inputs {
		if ss, ok := sourcesFileArg(in); ok {
			out = append(out, ss...)
			continue
		}
		out = append(out, live.Source{Input: in})
	}
	return out, nil
}

// sourcesFileArg reads in as a sources file when it is a small file
// shaped like one.
func sourcesFileArg(in string) ([]live.Source, bool) {
	const maxSourcesFile = 1 << 20 // a list of feeds, not an archive
	info, err := os.Stat(in)
	if err != nil || !info.Mode().IsRegular() || info.Size() > maxSourcesFile {
		return nil, false
	}
	b, err := os.ReadFile(in)
	if err != nil || !live.LooksLikeSources(string(b)) {
		return nil, false
	}
	ss, err := live.ParseSources(bytes.NewReader(b))
	return ss, err == nil
}

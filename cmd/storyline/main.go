// Command storyline turns a stream of news pages into multilingual stories.
// See README.md; `storyline help` lists the subcommands.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/storyline/storyline/internal/cli"
)

func main() {
	// The first SIGINT or SIGTERM asks the command to stop cleanly: a run
	// commits what it holds and reports what is stored. A second one
	// kills the process at once (the default action, restored here); the
	// store loses at most the batch in hand, never a committed one.
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sigs
		signal.Reset(os.Interrupt, syscall.SIGTERM)
		fmt.Fprintln(os.Stderr, "storyline: stopping; interrupt again to quit at once")
		cancel()
	}()
	limitMemory(ctx)
	stop := profile()
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// profile writes a CPU profile of the command to the file
// STORYLINE_CPUPROFILE names, for `go tool pprof`: where a slow ingest or
// a busy server spends its time, on the data that made it slow.
func profile() (stop func()) {
	path := os.Getenv("STORYLINE_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "storyline: STORYLINE_CPUPROFILE: %v\n", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

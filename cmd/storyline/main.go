// Command storyline turns a stream of news pages into multilingual stories.
// See README.md; `storyline help` lists the subcommands.
package main

import (
	"context"
	"os"
	"os/signal"

	"github.com/storyline/storyline/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

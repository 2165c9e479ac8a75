package cli

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/store/postgres"
	"github.com/storyline/storyline/internal/store/storeurl"
)

// storeFlags say where a command's store is: --store URL (sqlite:DIR or
// postgres://…, env STORYLINE_STORE) or --data DIR (env STORYLINE_DATA),
// which is --store sqlite:DIR; and --name, the deployment's name, which
// is the PostgreSQL schema. Read them after parsing.
type storeFlags struct {
	fs   *flag.FlagSet // nil: data alone says (storeIn)
	data *string
	url  *string
}

// dataFlag registers --data and --store, their defaults from the
// environment. --name is registered by parse unless the command has it
// already (the bus's flags name the deployment too), so that the two
// may be registered in either order.
func dataFlag(fs *flag.FlagSet) *storeFlags {
	def := os.Getenv("STORYLINE_DATA")
	if def == "" {
		def = "./storyline-data"
	}
	return &storeFlags{
		fs:   fs,
		data: fs.String("data", def, "data directory of the embedded store, the same as --store sqlite:DIR (env STORYLINE_DATA)"),
		url: fs.String("store", os.Getenv("STORYLINE_STORE"), "the store: sqlite:DIR, or postgres://user@host:5432/db with the tables "+
			"in the schema --name (env STORYLINE_STORE; empty: --data)"),
	}
}

// storeIn is the store in a folder, for commands that make their own.
func storeIn(dir string) storeFlags { return storeFlags{data: &dir} }

// addNameFlag registers --name on fs if a store flag is there without it.
func addNameFlag(fs *flag.FlagSet) {
	if fs.Lookup("store") != nil && fs.Lookup("name") == nil {
		fs.String("name", postgres.DefaultName, "the deployment's name: on PostgreSQL, the schema of its tables, "+
			"so that several deployments share a database")
	}
}

// location returns the store the flags name and the deployment's name.
// An explicit flag wins over the environment; --data and --store
// together are a usage error.
func (f storeFlags) location() (storeurl.Location, string, error) {
	u, name := "", postgres.DefaultName
	setData, setStore := false, false
	if f.fs != nil {
		f.fs.Visit(func(fl *flag.Flag) {
			setData = setData || fl.Name == "data"
			setStore = setStore || fl.Name == "store"
		})
		if fl := f.fs.Lookup("name"); fl != nil && fl.Value.String() != "" {
			name = fl.Value.String()
		}
	}
	switch {
	case setData && setStore:
		return storeurl.Location{}, "", usageErr("give --data DIR or --store URL, not both")
	case setData || f.url == nil || *f.url == "":
		u = "sqlite:" + *f.data
	default:
		u = *f.url
	}
	loc, err := storeurl.Parse(u)
	if err != nil {
		return storeurl.Location{}, "", usageErr("--store: %v", err)
	}
	return loc, name, nil
}

// String names the store for messages: a folder, or a URL (no
// password) with its schema.
func (f storeFlags) String() string {
	loc, name, err := f.location()
	if err != nil {
		return "(" + err.Error() + ")"
	}
	return describe(loc, name)
}

// openRead opens the store for a command that only reads it: it must
// exist, and it is never waited for.
func (f storeFlags) openRead(ctx context.Context) (store.Backend, error) {
	loc, name, err := f.location()
	if err != nil {
		return nil, err
	}
	return loc.Open(ctx, storeurl.Options{Name: name, ReadOnly: true})
}

// openWrite opens the store for writing, creating it if need be; while
// another process writes a SQLite store, it waits, saying so.
func (f storeFlags) openWrite(ctx context.Context, e *env, command string) (store.Backend, error) {
	loc, name, err := f.location()
	if err != nil {
		return nil, err
	}
	return loc.Open(ctx, storeurl.Options{Name: name, Holder: "storyline " + command, Waiting: func(holder string) {
		fmt.Fprintf(e.stderr, "storyline %s: waiting for %s to finish writing %s\n", command, holder, loc)
	}})
}

// Package storeurl opens a store by its URL, so that every command runs on
// either backend: "sqlite:DIR" (or a bare folder path), the embedded
// store in a folder, or "postgres://…", a deployment's schema in a
// PostgreSQL database. It lives apart from package store because the
// PostgreSQL store imports that package.
package storeurl

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/store/postgres"
)

// Kinds of store a URL names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// Options tune Open.
type Options struct {
	// Name is the deployment's name: on PostgreSQL the schema its tables
	// are in (postgres.Options.Name); empty is postgres.DefaultName. A
	// SQLite store is its folder and has no other name.
	Name string
	// ReadOnly opens an existing store for reading only: nothing is
	// created, migrated or locked, and Begin fails with store.ErrReadOnly.
	ReadOnly bool
	// Holder and Waiting are store.Options': how a writable SQLite store
	// names this process in its lock, and what to do while another holds
	// it. PostgreSQL writers wait for each other per transaction instead.
	Holder  string
	Waiting func(holder string)
}

// Location is a parsed store URL.
type Location struct {
	Kind string // SQLite or Postgres
	// Path is a SQLite store's folder; URL a PostgreSQL store's
	// connection string, as pgx reads it.
	Path, URL string
}

// scheme matches a URL's scheme, as net/url reads one; one letter is a
// Windows drive, not a scheme.
var scheme = regexp.MustCompile(`^([a-zA-Z][a-zA-Z0-9+.-]+):`)

// Parse reads a store URL: "sqlite:DIR" ("sqlite://DIR" too, so that
// "sqlite:///srv/data" is /srv/data), "postgres://…" or "postgresql://…",
// or a folder path without a scheme, which is "sqlite:" that folder.
func Parse(u string) (Location, error) {
	if u == "" {
		return Location{}, errors.New("storeurl: empty store URL")
	}
	m := scheme.FindStringSubmatch(u)
	if m == nil {
		return Location{Kind: SQLite, Path: u}, nil
	}
	switch strings.ToLower(m[1]) {
	case "sqlite":
		p := strings.TrimPrefix(u[len(m[0]):], "//")
		if p == "" {
			return Location{}, fmt.Errorf("storeurl: %q names no folder (sqlite:DIR)", u)
		}
		return Location{Kind: SQLite, Path: p}, nil
	case "postgres", "postgresql":
		return Location{Kind: Postgres, URL: u}, nil
	}
	return Location{}, fmt.Errorf("storeurl: %q: unknown kind of store %q (want sqlite:DIR or postgres://…)", u, m[1])
}

// String returns the location for messages: a SQLite store's folder, a
// PostgreSQL URL without its password.
func (l Location) String() string {
	if l.Kind == SQLite {
		return l.Path
	}
	if pu, err := url.Parse(l.URL); err == nil {
		return pu.Redacted()
	}
	return "postgres://…"
}

// Open opens the store at u (see Parse) as opt says. A SQLite store
// opened read-only must exist; opened for writing, its folder is made if
// need be.
func Open(ctx context.Context, u string, opt Options) (store.Backend, error) {
	loc, err := Parse(u)
	if err != nil {
		return nil, err
	}
	return loc.Open(ctx, opt)
}

// Open opens the store at l as opt says (see the package's Open).
func (l Location) Open(ctx context.Context, opt Options) (store.Backend, error) {
	switch l.Kind {
	case SQLite:
		if opt.ReadOnly {
			if _, err := os.Stat(filepath.Join(l.Path, store.FileName)); err != nil {
				return nil, fmt.Errorf("no store in %s (run storyline ingest first): %w", l.Path, err)
			}
			return store.OpenReadOnly(ctx, l.Path)
		}
		return store.Open(ctx, l.Path, store.Options{Holder: opt.Holder, Waiting: opt.Waiting})
	case Postgres:
		return postgres.Open(ctx, l.URL, postgres.Options{Name: opt.Name, ReadOnly: opt.ReadOnly})
	}
	return nil, fmt.Errorf("storeurl: unknown kind of store %q", l.Kind)
}

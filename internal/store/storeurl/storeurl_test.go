package storeurl

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/article"
	"github.com/storyline/storyline/internal/store"
	"github.com/storyline/storyline/internal/store/postgres"
	"github.com/storyline/storyline/internal/store/postgres/pgtest"
)

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in      string
		want    Location
		wantErr string
	}{
		{in: "sqlite:data", want: Location{Kind: SQLite, Path: "data"}},
		{in: "sqlite:./storyline-data", want: Location{Kind: SQLite, Path: "./storyline-data"}},
		{in: "sqlite:/srv/data", want: Location{Kind: SQLite, Path: "/srv/data"}},
		{in: "sqlite:///srv/data", want: Location{Kind: SQLite, Path: "/srv/data"}},
		{in: "SQLite:d", want: Location{Kind: SQLite, Path: "d"}},
		{in: "storyline-data", want: Location{Kind: SQLite, Path: "storyline-data"}},
		{in: "/var/lib/storyline", want: Location{Kind: SQLite, Path: "/var/lib/storyline"}},
		{in: `C:\data`, want: Location{Kind: SQLite, Path: `C:\data`}}, // a drive, not a scheme
		{in: "postgres://u:pw@db:5432/news?sslmode=disable", want: Location{Kind: Postgres, URL: "postgres://u:pw@db:5432/news?sslmode=disable"}},
		{in: "postgresql://db/news", want: Location{Kind: Postgres, URL: "postgresql://db/news"}},
		{in: "", wantErr: "empty"},
		{in: "sqlite:", wantErr: "names no folder"},
		{in: "sqlite://", wantErr: "names no folder"},
		{in: "mysql://db/news", wantErr: `unknown kind of store "mysql"`},
	} {
		got, err := Parse(c.in)
		switch {
		case c.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("Parse(%q): error %v, want one saying %q", c.in, err, c.wantErr)
			}
		case err != nil:
			t.Errorf("Parse(%q): %v", c.in, err)
		case got != c.want:
			t.Errorf("Parse(%q) = %+v, want %+v", c.in, got, c.want)
		}
	}
}

func TestStringHidesPassword(t *testing.T) {
	loc, err := Parse("postgres://news:s3cret@db:5432/news")
	if err != nil {
		t.Fatal(err)
	}
	if s := loc.String(); strings.Contains(s, "s3cret") || !strings.Contains(s, "db:5432/news") {
		t.Errorf("String() = %q", s)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"sqlite:d", "postgres://u@h/db", "d", "sqlite://", "x:y", `C:\d`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		loc, err := Parse(s)
		if err != nil {
			return
		}
		switch loc.Kind {
		case SQLite:
			if loc.Path == "" || loc.URL != "" {
				t.Errorf("Parse(%q) = %+v", s, loc)
			}
		case Postgres:
			if loc.URL != s || loc.Path != "" {
				t.Errorf("Parse(%q) = %+v", s, loc)
			}
		default:
			t.Errorf("Parse(%q): kind %q", s, loc.Kind)
		}
		_ = loc.String()
	})
}

// roundTrip writes an article through a writable store at u and reads it
// back through a read-only one, whose Begin must fail.
func roundTrip(t *testing.T, u string, opt Options) {
	t.Helper()
	ctx := context.Background()
	w, err := Open(ctx, u, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	tx, err := w.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a := &article.Article{Title: "Ferry moved", Text: "The ferry moved to the north quay.", Lang: "en", ContentHash: "h1"}
	if err := tx.InsertArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	opt.ReadOnly = true
	r, err := Open(ctx, u, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err := r.Article(ctx, a.ID)
	if err != nil || got.Title != a.Title {
		t.Errorf("read back %+v, %v", got, err)
	}
	if _, err := r.Begin(ctx); !errors.Is(err, store.ErrReadOnly) {
		t.Errorf("read-only Begin: %v, want ErrReadOnly", err)
	}
}

func TestOpenSQLite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if _, err := Open(context.Background(), "sqlite:"+dir, Options{ReadOnly: true}); err == nil || !strings.Contains(err.Error(), "no store in") {
		t.Errorf("read-only open of a missing store: %v", err)
	}
	roundTrip(t, "sqlite:"+dir, Options{})
	st, err := Open(context.Background(), dir, Options{ReadOnly: true}) // a bare folder is sqlite:
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, ok := st.(*store.SQLite); !ok {
		t.Errorf("a folder opened %T", st)
	}
}

func TestOpenPostgres(t *testing.T) {
	pgtest.Need(t)
	name := pgtest.Name(t)
	_, err := Open(context.Background(), pgtest.URL(), Options{Name: name, ReadOnly: true})
	if !errors.Is(err, postgres.ErrNoStore) {
		t.Errorf("read-only open of a missing store: %v, want ErrNoStore", err)
	}
	roundTrip(t, pgtest.URL(), Options{Name: name})
}

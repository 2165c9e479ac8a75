package cli

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/storyline/storyline/internal/store/storeurl"
)

// TestStoreFlags: --store, --data and their variables choose the store,
// an explicit flag over the environment; --name is the schema, whichever
// registers it.
func TestStoreFlags(t *testing.T) {
	for _, c := range []struct {
		name      string
		env       map[string]string
		args      []string
		busFirst  bool // --name registered by the bus's flags, before parse
		want      storeurl.Location
		wantName  string
		wantUsage bool
	}{
		{name: "default", want: storeurl.Location{Kind: "sqlite", Path: "./storyline-data"}},
		{name: "data", args: []string{"--data", "d"}, want: storeurl.Location{Kind: "sqlite", Path: "d"}},
		{name: "data env", env: map[string]string{"STORYLINE_DATA": "e"}, want: storeurl.Location{Kind: "sqlite", Path: "e"}},
		{name: "store sqlite", args: []string{"--store", "sqlite:s"}, want: storeurl.Location{Kind: "sqlite", Path: "s"}},
		{name: "store postgres", args: []string{"--store", "postgres://h/db", "--name", "news"},
			want: storeurl.Location{Kind: "postgres", URL: "postgres://h/db"}, wantName: "news"},
		{name: "store env", env: map[string]string{"STORYLINE_STORE": "postgres://h/db", "STORYLINE_DATA": "e"},
			want: storeurl.Location{Kind: "postgres", URL: "postgres://h/db"}},
		{name: "data flag over store env", env: map[string]string{"STORYLINE_STORE": "postgres://h/db"}, args: []string{"--data", "d"},
			want: storeurl.Location{Kind: "sqlite", Path: "d"}},
		{name: "store flag over data env", env: map[string]string{"STORYLINE_DATA": "e"}, args: []string{"--store", "sqlite:s"},
			want: storeurl.Location{Kind: "sqlite", Path: "s"}},
		{name: "both", args: []string{"--data", "d", "--store", "sqlite:s"}, wantUsage: true},
		{name: "unknown kind", args: []string{"--store", "mysql://h/db"}, wantUsage: true},
		{name: "bus name", busFirst: true, args: []string{"--store", "postgres://h/db", "--name", "news"},
			want: storeurl.Location{Kind: "postgres", URL: "postgres://h/db"}, wantName: "news"},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, k := range []string{"STORYLINE_DATA", "STORYLINE_STORE", "STORYLINE_BUS"} {
				t.Setenv(k, c.env[k])
			}
			e := &env{stdout: new(bytes.Buffer), stderr: new(bytes.Buffer)}
			fs := newFlags(e, "x", "")
			data := dataFlag(fs)
			if c.busFirst {
				addBusFlags(fs, "test")
			}
			if _, err := parse(fs, c.args); err != nil {
				t.Fatal(err)
			}
			loc, name, err := data.location()
			if c.wantUsage {
				if !errors.Is(err, errUsage) {
					t.Errorf("got %+v, %v; want a usage error", loc, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := c.wantName
			if want == "" {
				want = "storyline"
			}
			if loc != c.want || name != want {
				t.Errorf("got %+v %q, want %+v %q", loc, name, c.want, want)
			}
		})
	}
}

// TestStoreFlagsEveryCommand: every command that takes --data takes
// --store and --name too.
func TestStoreFlagsEveryCommand(t *testing.T) {
	for _, args := range [][]string{{"run"}, {"ingest"}, {"assign"}, {"export"}, {"stories"}, {"story"}, {"entity", "show"}, {"bench"}} {
		_, _, errs := run(t, append(args, "-h")...)
		for _, f := range []string{"-data", "-store", "-name"} {
			if !strings.Contains(errs, f+" ") {
				t.Errorf("%v -h lacks %s:\n%s", args, f, errs)
			}
		}
	}
}

// Package pgtest gives tests outside package postgres the test database:
// its URL, a skip (or, in CI, a failure) when it is unreachable, and a
// schema of their own that their end drops.
//
// It imports "testing" and is imported by tests only; the binary does not
// link it.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the variable holding the test database's URL.
const EnvURL = "STORYLINE_TEST_POSTGRES"

// defaultURL is the database every machine of the project runs.
const defaultURL = "postgres://postgres@127.0.0.1:5432/test"

// URL returns the test database's URL.
func URL() string {
	if u := os.Getenv(EnvURL); u != "" {
		return u
	}
	return defaultURL
}

var (
	reachOnce sync.Once
	reachErr  error
)

// Need skips t when the test database cannot be reached, or fails it in
// CI (CI=true), where the database must be there.
func Need(t testing.TB) {
	t.Helper()
	reachOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, URL())
		if err == nil {
			err = conn.Ping(ctx)
			conn.Close(ctx)
		}
		reachErr = err
	})
	if reachErr == nil {
		return
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("PostgreSQL at %s (%s) unreachable in CI: %v", URL(), EnvURL, reachErr)
	}
	t.Skipf("PostgreSQL at %s unreachable (%v): set %s to a database to run this; with CI=true it fails", URL(), reachErr, EnvURL)
}

// Name returns a deployment name, and so a schema, no other test uses;
// t's end drops the schema.
func Name(t testing.TB) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	name := "storyline_test_" + hex.EncodeToString(b)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, URL())
		if err != nil {
			t.Errorf("dropping schema %s: %v", name, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{name}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("dropping schema %s: %v", name, err)
		}
	})
	return name
}

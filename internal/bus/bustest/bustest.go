// Package bustest gives tests a NATS JetStream server: one embedded in the
// test process, or the machine's own (127.0.0.1:4222), and a deployment
// name of their own on it.
package bustest

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// Embedded starts a nats-server with JetStream in the test process, its
// store in a temporary folder, and returns its URL; it is shut down when
// the test ends. Restart, when called, stops it and starts it again on the
// same port and store, as a server restart does.
func Embedded(t testing.TB) (url string, restart func()) {
	t.Helper()
	dir := t.TempDir()
	start := func(port int) *server.Server {
		s, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: port, JetStream: true, StoreDir: dir,
			NoLog: true, NoSigs: true})
		if err != nil {
			t.Fatalf("embedded nats-server: %v", err)
		}
		s.Start()
		if !s.ReadyForConnections(10 * time.Second) {
			t.Fatal("embedded nats-server: not ready after 10s")
		}
		return s
	}
	s := start(server.RANDOM_PORT)
	port := s.Addr().(*net.TCPAddr).Port
	t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	return s.ClientURL(), func() {
		s.Shutdown()
		s.WaitForShutdown()
		s = start(port)
	}
}

// RealURL is the machine's NATS server, which the project's machines and
// CI start before the tests.
const RealURL = "nats://127.0.0.1:4222"

// Real returns RealURL when a server answers there. When none does, the
// test is skipped with a message, except in CI (CI=true), where it fails.
func Real(t testing.TB) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", "127.0.0.1:4222", 2*time.Second)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("NATS server at %s unreachable in CI: %v", RealURL, err)
		}
		t.Skipf("NATS server at %s unreachable (start one with JetStream, -js, to run this test): %v", RealURL, err)
	}
	c.Close()
	return RealURL
}

// Name returns a deployment name no other test run uses, so that runs
// sharing a server never see each other's streams.
func Name(t testing.TB) string {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "test-" + hex.EncodeToString(b)
}

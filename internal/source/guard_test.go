package source

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// countingServer answers every request with an HTML page and counts them.
func countingServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(htmlDoc("", "page at "+r.URL.Path)))
	}))
	t.Cleanup(ts.Close)
	return ts, &hits
}

func TestCheckIP(t *testing.T) {
	tests := []struct {
		ip    string
		allow string
		what  string // "" when allowed
	}{
		{"8.8.8.8", "", ""},
		{"192.0.2.1", "", ""},
		{"172.32.0.1", "", ""},
		{"2001:4860:4860::8888", "", ""},
		{"127.0.0.1", "", "a loopback"},
		{"127.200.0.9", "", "a loopback"},
		{"::1", "", "a loopback"},
		{"::ffff:127.0.0.1", "", "a loopback"},
		{"10.0.0.1", "", "a private"},
		{"172.16.0.1", "", "a private"},
		{"172.31.255.255", "", "a private"},
		{"192.168.1.1", "", "a private"},
		{"::ffff:192.168.1.1", "", "a private"},
		{"fd12:3456::1", "", "a private"},
		{"100.64.0.1", "", "a shared (CGNAT)"},
		{"100.127.255.255", "", "a shared (CGNAT)"},
		{"169.254.169.254", "", "a link-local"},
		{"::ffff:169.254.169.254", "", "a link-local"},
		{"fe80::1%eth0", "", "a link-local"},
		{"0.0.0.0", "", "an unspecified"},
		{"::", "", "an unspecified"},
		{"224.0.0.251", "", "a multicast"},
		{"ff02::1", "", "a multicast"},
		{"255.255.255.255", "", "a reserved"},
		{"127.0.0.1", "127.0.0.0/8", ""},
		{"::ffff:127.0.0.1", "127.0.0.0/8", ""},
		{"::1", "127.0.0.0/8", "a loopback"},
		{"10.1.2.3", "10.1.0.0/16", ""},
		{"10.2.0.1", "10.1.0.0/16", "a private"},
		{"fe80::1%eth0", "fe80::/10", ""},
		{"169.254.169.254", "private", ""},
	}
	for _, tt := range tests {
		allow, err := ParseAllowNets(tt.allow)
		if err != nil {
			t.Fatal(err)
		}
		g := &guard{allow: allow}
		err = g.checkIP("", netip.MustParseAddr(tt.ip))
		switch {
		case tt.what == "" && err != nil:
			t.Errorf("%s (allow %q): %v", tt.ip, tt.allow, err)
		case tt.what != "" && !errors.Is(err, ErrForbiddenAddress):
			t.Errorf("%s (allow %q): err %v, want %s address refused", tt.ip, tt.allow, err, tt.what)
		case tt.what != "" && !strings.Contains(err.Error(), " is "+tt.what+" address"):
			t.Errorf("%s: %v, want %q", tt.ip, err, tt.what)
		}
	}
}

func TestParseAllowNets(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		err  bool
	}{
		{"", nil, false},
		{" , ", nil, false},
		{"10.1.2.3/16", []string{"10.1.0.0/16"}, false},
		{"192.168.1.7, fd00::1", []string{"192.168.1.7/32", "fd00::1/128"}, false},
		{"LOOPBACK", []string{"127.0.0.0/8", "::1/128"}, false},
		{"10.0.0.0/33", nil, true},
		{"fe80::1%eth0", nil, true},
		{"example.com", nil, true},
		{"10.0.0.1,bogus", nil, true},
	}
	for _, tt := range tests {
		got, err := ParseAllowNets(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("ParseAllowNets(%q): err %v", tt.in, err)
			continue
		}
		var s []string
		for _, p := range got {
			s = append(s, p.String())
		}
		if !slices.Equal(s, tt.want) {
			t.Errorf("ParseAllowNets(%q) = %q, want %q", tt.in, s, tt.want)
		}
	}
	private, err := ParseAllowNets("private")
	if err != nil || len(private) != len(nonPublic) {
		t.Fatalf("private: %v %v", private, err)
	}
}

func FuzzParseAllowNets(f *testing.F) {
	f.Add("10.0.0.0/8, ::1, loopback,private")
	f.Add("fe80::%1/64,1.2.3.4/0,::ffff:1.2.3.4")
	f.Fuzz(func(t *testing.T, s string) {
		nets, err := ParseAllowNets(s)
		if err != nil {
			return
		}
		for _, p := range nets {
			if !p.IsValid() || p != p.Masked() {
				t.Fatalf("ParseAllowNets(%q) gave %v", s, p)
			}
		}
	})
}

// TestFetchRefusesLoopback checks that the test servers themselves are out
// of reach unless allowed, by literal IP and by a name resolving to them.
func TestFetchRefusesLoopback(t *testing.T) {
	ts, hits := countingServer(t)
	_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())
	byName := "http://localhost:" + port + "/named"
	items := collect(t, []string{ts.URL + "/x", byName}, Options{})
	if len(items) != 2 {
		t.Fatalf("got %+v", items)
	}
	if want := "GET " + ts.URL + "/x: refused: 127.0.0.1 is a loopback address (allow it with --allow-net)"; items[0].Err == nil || items[0].Err.Error() != want {
		t.Errorf("literal IP: %v\nwant %s", items[0].Err, want)
	}
	// "localhost" is no literal IP: only the dial can refuse it.
	if err := items[1].Err; !errors.Is(err, ErrForbiddenAddress) || !strings.Contains(err.Error(), "refused: localhost resolves to ") {
		t.Errorf("localhost: %v", err)
	}
	for _, it := range items {
		if !errors.Is(it.Err, ErrForbiddenAddress) {
			t.Errorf("%s: %v does not wrap ErrForbiddenAddress", it.Page.Input, it.Err)
		}
	}
	if hits.Load() != 0 {
		t.Errorf("%d requests reached the server", hits.Load())
	}

	items = collect(t, []string{ts.URL + "/x", byName}, Options{AllowNets: loopback})
	if len(items) != 2 || items[0].Err != nil || items[1].Err != nil {
		t.Fatalf("allowed: %+v", items)
	}
	if hits.Load() != 2 {
		t.Errorf("%d requests reached the server, want 2", hits.Load())
	}
}

// recordingClient dials every address through to target, recording what
// was asked for.
func recordingClient(target string, dialled *[]string, mu *sync.Mutex) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			mu.Lock()
			*dialled = append(*dialled, addr)
			mu.Unlock()
			var d net.Dialer
			return d.DialContext(ctx, network, target)
		},
	}}
}

func TestFetchRefusesRedirects(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/to", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("u"), http.StatusFound)
	})
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(htmlDoc("", "ok")))
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()
	to := func(u string) string { return ts.URL + "/to?u=" + url.QueryEscape(u) }

	tests := []struct {
		target string
		want   string // in the error; "" for success
	}{
		{"http://169.254.169.254/latest/meta-data/", "redirect to http://169.254.169.254/latest/meta-data/: refused: 169.254.169.254 is a link-local address"},
		{"http://10.0.0.1/admin", "redirect to http://10.0.0.1/admin: refused: 10.0.0.1 is a private address"},
		{"http://[::ffff:a9fe:a9fe]/", "refused: ::ffff:169.254.169.254 is a link-local address"},
		{"ftp://example.com/x", `refused: scheme "ftp" is not http or https`},
		{"file:///etc/passwd", `refused: scheme "file" is not http or https`},
		{"/ok", ""},
	}
	var (
		mu      sync.Mutex
		dialled []string
	)
	ownPolicy := 0
	custom := recordingClient(ts.Listener.Addr().String(), &dialled, &mu)
	custom.CheckRedirect = func(*http.Request, []*http.Request) error { ownPolicy++; return nil }
	for _, client := range []struct {
		name string
		c    *http.Client
	}{{"default client", nil}, {"caller's client", custom}} {
		t.Run(client.name, func(t *testing.T) {
			var inputs []string
			for _, tt := range tests {
				inputs = append(inputs, to(tt.target))
			}
			items := collect(t, inputs, Options{HTTPClient: client.c, AllowNets: loopback})
			for i, tt := range tests {
				err := items[i].Err
				if tt.want == "" {
					if err != nil {
						t.Errorf("%s: %v", tt.target, err)
					}
					continue
				}
				if !errors.Is(err, ErrForbiddenAddress) || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("%s: %v\nwant %q", tt.target, err, tt.want)
				}
			}
		})
	}
	// Only the test server was dialled, and the caller's policy still ran
	// on the redirect the guard let through.
	for _, a := range dialled {
		if a != ts.Listener.Addr().String() {
			t.Errorf("dialled %s", a)
		}
	}
	if ownPolicy != 1 {
		t.Errorf("caller's CheckRedirect ran %d times, want 1", ownPolicy)
	}
}

// TestFeedLinksRefused checks that feed item links into a forbidden
// network fail one by one (an item with content of its own falls back to
// it) while the rest of the feed is read.
func TestFeedLinksRefused(t *testing.T) {
	inner, hits := countingServer(t) // 127.0.0.1: not allowed
	l, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("no 127.0.0.2 to serve the feed from: %v", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Write([]byte(`<rss><channel><title>F</title>
<item><title>a</title><link>` + inner.URL + `/a</link></item>
<item><title>b</title><link>` + inner.URL + `/b</link><description>own content b</description></item>
<item><title>c</title><link>/page</link></item>
</channel></rss>`))
	})
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(htmlDoc("", "allowed page")))
	})
	feed := httptest.NewUnstartedServer(mux)
	feed.Listener.Close()
	feed.Listener = l
	feed.Start()
	defer feed.Close()

	allow, err := ParseAllowNets("127.0.0.2")
	if err != nil {
		t.Fatal(err)
	}
	var st Stats
	items := collect(t, []string{feed.URL + "/feed"}, Options{AllowNets: allow, Stats: &st})
	if len(items) != 3 {
		t.Fatalf("got %+v", items)
	}
	if it := items[0]; it.Page.Input != inner.URL+"/a" || !errors.Is(it.Err, ErrForbiddenAddress) {
		t.Errorf("item a: %s %v", it.Page.Input, it.Err)
	}
	if it := items[1]; it.Err != nil || !strings.Contains(string(it.Page.Body), "own content b") {
		t.Errorf("item b: %v %.200q", it.Err, it.Page.Body)
	}
	if it := items[2]; it.Err != nil || !strings.Contains(string(it.Page.Body), "allowed page") {
		t.Errorf("item c: %v %.200q", it.Err, it.Page.Body)
	}
	if hits.Load() != 0 || st.Errors.Load() != 1 || st.Pages.Load() != 2 {
		t.Errorf("hits %d, errors %d, pages %d; want 0 1 2", hits.Load(), st.Errors.Load(), st.Pages.Load())
	}
}

// TestFetchThroughProxy checks that a proxy from the environment may sit
// on a private address while targets are still checked.
func TestFetchThroughProxy(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.String())
		mu.Unlock()
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte(htmlDoc("", "proxied "+r.URL.Host)))
	}))
	defer proxy.Close()
	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("http_proxy", proxy.URL)
	t.Setenv("NO_PROXY", "")
	t.Setenv("no_proxy", "")
	t.Setenv("REQUEST_METHOD", "")
	items := collect(t, []string{"http://192.0.2.10/news", "http://10.0.0.1/admin"}, Options{})
	if len(items) != 2 {
		t.Fatalf("got %+v", items)
	}
	if items[0].Err != nil || !strings.Contains(string(items[0].Page.Body), "proxied 192.0.2.10") {
		t.Errorf("public target: %v %.200q", items[0].Err, items[0].Page.Body)
	}
	if !errors.Is(items[1].Err, ErrForbiddenAddress) {
		t.Errorf("private target: %v", items[1].Err)
	}
	if len(asked) != 1 {
		t.Errorf("proxy asked for %q", asked)
	}
}

package source

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// ErrForbiddenAddress marks a fetch refused because its URL, a redirect
// or the address actually dialled is not on the public internet
// (loopback, private, link-local, ...) and not in Options.AllowNets, or
// because a redirect leads off http(s).
var ErrForbiddenAddress = errors.New("forbidden address")

// nonPublic lists the ranges refused unless allowed, each with the words
// naming it in an error. IPv4-mapped IPv6 addresses are unmapped first.
var nonPublic = []struct {
	net  netip.Prefix
	what string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), "an unspecified"}, // Linux connects 0.x to the local host
	{netip.MustParsePrefix("127.0.0.0/8"), "a loopback"},
	{netip.MustParsePrefix("10.0.0.0/8"), "a private"},
	{netip.MustParsePrefix("172.16.0.0/12"), "a private"},
	{netip.MustParsePrefix("192.168.0.0/16"), "a private"},
	{netip.MustParsePrefix("100.64.0.0/10"), "a shared (CGNAT)"},
	{netip.MustParsePrefix("169.254.0.0/16"), "a link-local"}, // cloud metadata lives at 169.254.169.254
	{netip.MustParsePrefix("224.0.0.0/4"), "a multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved"}, // with 255.255.255.255, broadcast
	{netip.MustParsePrefix("::/128"), "an unspecified"},
	{netip.MustParsePrefix("::1/128"), "a loopback"},
	{netip.MustParsePrefix("fc00::/7"), "a private"},
	{netip.MustParsePrefix("fe80::/10"), "a link-local"},
	{netip.MustParsePrefix("ff00::/8"), "a multicast"},
}

var loopbackNets = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

// ParseAllowNets parses a comma-separated list of CIDR prefixes
// ("10.1.0.0/16"), bare addresses (one host: /32 or /128) and the
// keywords "loopback" (127.0.0.0/8 and ::1) and "private" (every range
// refused by default: loopback, private, CGNAT, link-local, unspecified,
// multicast, reserved), for Options.AllowNets. Blank entries are ignored.
func ParseAllowNets(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		switch strings.ToLower(f) {
		case "":
			continue
		case "loopback":
			out = append(out, loopbackNets...)
			continue
		case "private":
			for _, n := range nonPublic {
				out = append(out, n.net)
			}
			continue
		}
		if strings.Contains(f, "/") {
			p, err := netip.ParsePrefix(f)
			if err != nil {
				return nil, fmt.Errorf("allowed networks: %q: %w", f, err)
			}
			out = append(out, p.Masked())
			continue
		}
		ip, err := netip.ParseAddr(f)
		if err != nil || ip.Zone() != "" {
			return nil, fmt.Errorf("allowed networks: %q is not an IP address, a CIDR prefix, \"loopback\" or \"private\"", f)
		}
		out = append(out, netip.PrefixFrom(ip, ip.BitLen()))
	}
	return out, nil
}

// refusal is a fetch the guard refused; it wraps ErrForbiddenAddress.
type refusal struct {
	redirect string // the redirect's target; "" when the URL itself is refused
	reason   string
}

func (r *refusal) Error() string {
	if r.redirect != "" {
		return "redirect to " + r.redirect + ": refused: " + r.reason
	}
	return "refused: " + r.reason
}

func (r *refusal) Unwrap() error { return ErrForbiddenAddress }

// guard decides which addresses may be fetched. Every check needs to be
// made where the address is known for certain: the dial (the name a
// check saw could resolve elsewhere a moment later), and each redirect.
type guard struct {
	allow []netip.Prefix

	// proxyFor picks a proxy from the environment; proxies holds the
	// addresses of those picked, which are dialled unchecked: the user
	// chose them, and they are often on a private network.
	proxyFor func(*url.URL) (*url.URL, error)
	proxies  sync.Map // "host:port" → true
}

// checkIP returns a *refusal when ip may not be fetched; host names what
// resolved to it.
func (g *guard) checkIP(host string, ip netip.Addr) error {
	ip = ip.WithZone("")
	un := ip.Unmap()
	for _, p := range g.allow {
		if p.Contains(ip) || p.Contains(un) {
			return nil
		}
	}
	for _, n := range nonPublic {
		if !n.net.Contains(un) {
			continue
		}
		reason := fmt.Sprintf("%s is %s address", ip, n.what)
		h := strings.Trim(host, "[]")
		if lit, err := netip.ParseAddr(h); h != "" && (err != nil || lit.WithZone("") != ip) {
			reason = fmt.Sprintf("%s resolves to %s, %s address", h, ip, n.what)
		}
		return &refusal{reason: reason + " (allow it with --allow-net)"}
	}
	return nil
}

// checkURL refuses a URL that is not http(s) or whose host is a literal
// non-public IP; a host name is left to the dial.
func (g *guard) checkURL(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return &refusal{reason: fmt.Sprintf("scheme %q is not http or https", u.Scheme)}
	}
	if ip, err := netip.ParseAddr(u.Hostname()); err == nil {
		return g.checkIP(u.Hostname(), ip)
	}
	return nil
}

// checkRedirect is an http.Client CheckRedirect: the guard's check, then
// next (the client's own policy, or the default limit of 10 redirects).
func (g *guard) checkRedirect(next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if err := g.checkURL(req.URL); err != nil {
			var r *refusal
			if errors.As(err, &r) {
				r.redirect = req.URL.Redacted()
			}
			return err
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}

// dial connects to addr, refusing at connect time any address the name
// resolved to that checkIP refuses. Proxies picked by proxy are dialled
// unchecked.
func (g *guard) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}
	if _, isProxy := g.proxies.Load(addr); !isProxy {
		host, _, _ := net.SplitHostPort(addr)
		d.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("dialling %s: %w", address, err)
			}
			return g.checkIP(host, ap.Addr())
		}
	}
	return d.DialContext(ctx, network, addr)
}

// proxy is an http.Transport Proxy. A proxied request's target is dialled
// by the proxy, out of the dial check's sight, so its name is resolved and
// checked here instead; that check cannot stop DNS rebinding, and a name
// that does not resolve here is left to the proxy.
func (g *guard) proxy(req *http.Request) (*url.URL, error) {
	pu, err := g.proxyFor(req.URL)
	if err != nil || pu == nil {
		return pu, err
	}
	port := pu.Port()
	if port == "" {
		port = map[string]string{"https": "443", "socks5": "1080", "socks5h": "1080"}[pu.Scheme]
		if port == "" {
			port = "80"
		}
	}
	g.proxies.Store(net.JoinHostPort(pu.Hostname(), port), true)
	host := req.URL.Hostname()
	if _, err := netip.ParseAddr(host); err == nil {
		return pu, nil // checked by checkURL
	}
	ips, err := net.DefaultResolver.LookupNetIP(req.Context(), "ip", host)
	if err != nil {
		return pu, nil
	}
	for _, ip := range ips {
		if err := g.checkIP(host, ip); err != nil {
			return nil, err
		}
	}
	return pu, nil
}

// guardedClient returns the default client: http.DefaultTransport's
// settings (proxies from the environment included), with every dial and
// redirect checked.
func guardedClient(g *guard) *http.Client {
	g.proxyFor = httpproxy.FromEnvironment().ProxyFunc()
	tr := &http.Transport{
		Proxy:                 g.proxy,
		DialContext:           g.dial,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{Transport: tr, CheckRedirect: g.checkRedirect(nil)}
}

package server

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the reverse Proxies trusted to say, in X-Forwarded-For and
// X-Forwarded-Proto, who the client is and whether it came over https.
// Without any, forwarding headers are never read.
type Proxies []netip.Prefix

// trusts reports whether a is one of the Proxies.
func (ps Proxies) trusts(a netip.Addr) bool {
	a = a.Unmap().WithZone("")
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// peer is the address of the request's immediate peer, if it parses.
func peer(r *http.Request) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap().WithZone(""), true
}

// trustedPeer reports whether the request came straight from a proxy.
func (ps Proxies) trustedPeer(r *http.Request) bool {
	if len(ps) == 0 {
		return false
	}
	a, ok := peer(r)
	return ok && ps.trusts(a)
}

// ClientIP is the address the request came from: the peer's, unless the
// peer is a trusted proxy. Then it is the rightmost address of
// X-Forwarded-For that is not a trusted proxy (each proxy appends the
// address it saw; the entries on the left are whatever the client sent).
// When the header is absent, every entry is trusted, or an entry does
// not parse before an untrusted one is found, it is the peer's.
func (ps Proxies) ClientIP(r *http.Request) string {
	a, ok := peer(r)
	if !ok {
		return r.RemoteAddr
	}
	if !ps.trusts(a) {
		return a.String()
	}
	hops := forwardedFor(r.Header)
	for i := len(hops) - 1; i >= 0; i-- {
		h, ok := parseHop(hops[i])
		if !ok {
			break
		}
		if !ps.trusts(h) {
			return h.String()
		}
	}
	return a.String()
}

// forwardedFor returns the entries of every X-Forwarded-For line, in order.
func forwardedFor(h http.Header) []string {
	var hops []string
	for _, line := range h.Values("X-Forwarded-For") {
		for _, e := range strings.Split(line, ",") {
			if e = strings.TrimSpace(e); e != "" {
				hops = append(hops, e)
			}
		}
	}
	return hops
}

// parseHop reads one X-Forwarded-For entry: an address, possibly with a
// port ("192.0.2.1:4711", "[2001:db8::1]:4711").
func parseHop(s string) (netip.Addr, bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().WithZone(""), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	if a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")); err == nil {
		return a.Unmap().WithZone(""), true
	}
	return netip.Addr{}, false
}

// ForwardedHTTPS reports whether a trusted proxy says the client came
// over https. The last X-Forwarded-Proto value counts: the one the peer
// set or appended.
func (ps Proxies) ForwardedHTTPS(r *http.Request) bool {
	if !ps.trustedPeer(r) {
		return false
	}
	vs := r.Header.Values("X-Forwarded-Proto")
	if len(vs) == 0 {
		return false
	}
	last := vs[len(vs)-1]
	if i := strings.LastIndexByte(last, ','); i >= 0 {
		last = last[i+1:]
	}
	return strings.EqualFold(strings.TrimSpace(last), "https")
}

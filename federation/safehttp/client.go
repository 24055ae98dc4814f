package safehttp

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// ErrPrivateAddress is returned when a remote URL resolves to a loopback,
// private, link-local or otherwise non-public address and the instance is
// not configured to reach those (server-side request forgery).
var ErrPrivateAddress = errors.New("adresse privée refusée")

// ErrTooLarge is returned when a remote document exceeds the size limit.
var ErrTooLarge = errors.New("document distant trop volumineux")

// Options configures outgoing requests.
type Options struct {
	AllowPrivate bool          // reach loopback and private networks (tests, LAN)
	Timeout      time.Duration // whole request; 15 s when zero
	MaxBody      int64         // response size limit; 2 MiB when zero
	UserAgent    string
}

// Client makes outgoing requests: it refuses private addresses at dial
// time (after DNS resolution, so a name cannot point there), limits
// response size and follows redirects only within the same host.
type Client struct {
	http *http.Client
	opts Options
}

// New returns a client with opts.
func New(opts Options) *Client {
	if opts.Timeout == 0 {
		opts.Timeout = 15 * time.Second
	}
	if opts.MaxBody == 0 {
		opts.MaxBody = 2 << 20
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "Maillage/1 (+https://github.com/maillage/maillage)"
	}
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	if !opts.AllowPrivate {
		dialer.Control = func(network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil || IsPrivateIP(ap.Addr()) {
				return fmt.Errorf("%w : %s", ErrPrivateAddress, address)
			}
			return nil
		}
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil // a proxy would dial on our behalf, past the check
	tr.DialContext = dialer.DialContext
	tr.MaxIdleConnsPerHost = 4
	return &Client{opts: opts, http: &http.Client{
		Transport: tr,
		Timeout:   opts.Timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 3 {
				return errors.New("trop de redirections")
			}
			if req.URL.Host != via[0].URL.Host {
				return fmt.Errorf("redirection vers un autre hôte refusée : %s", req.URL.Host)
			}
			return nil
		},
	}}
}

// Do sends req and reads the whole response body (up to MaxBody).
func (c *Client) Do(req *http.Request) (*http.Response, []byte, error) {
	if req.URL.Scheme != "https" && req.URL.Scheme != "http" {
		return nil, nil, fmt.Errorf("schéma %q refusé", req.URL.Scheme)
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", c.opts.UserAgent)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.opts.MaxBody+1))
	if err != nil {
		return resp, nil, err
	}
	if int64(len(body)) > c.opts.MaxBody {
		return resp, nil, ErrTooLarge
	}
	return resp, body, nil
}

// IsPrivateIP says whether an address is not on the public internet:
// loopback, RFC 1918 and unique-local, link-local, CGNAT, unspecified,
// multicast, documentation and benchmarking ranges.
func IsPrivateIP(a netip.Addr) bool {
	a = a.Unmap()
	if a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() || !a.IsValid() {
		return true
	}
	for _, p := range reservedPrefixes {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

var reservedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("2001:db8::/32"),
}

package server

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestClientIP(t *testing.T) {
	trusted := Proxies{netip.MustParsePrefix("127.0.0.1/32"), netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8:ffff::/48")}
	for _, c := range []struct {
		ps     Proxies
		remote string
		xff    []string
		want   string
	}{
		{nil, "192.0.2.1:4000", nil, "192.0.2.1"},
		{nil, "192.0.2.1:4000", []string{"203.0.113.7"}, "192.0.2.1"},
		{trusted, "192.0.2.1:4000", []string{"203.0.113.7"}, "192.0.2.1"},
		{trusted, "127.0.0.1:4000", nil, "127.0.0.1"},
		{trusted, "127.0.0.1:4000", []string{"203.0.113.7"}, "203.0.113.7"},
		{trusted, "127.0.0.1:4000", []string{"198.51.100.1, 203.0.113.7"}, "203.0.113.7"},
		{trusted, "127.0.0.1:4000", []string{"198.51.100.1, 203.0.113.7, 10.1.2.3"}, "203.0.113.7"},
		{trusted, "127.0.0.1:4000", []string{"198.51.100.1", "203.0.113.7,10.1.2.3"}, "203.0.113.7"},
		{trusted, "127.0.0.1:4000", []string{"10.9.9.9, 10.1.2.3"}, "127.0.0.1"},
		{trusted, "127.0.0.1:4000", []string{"203.0.113.7, pas-une-adresse"}, "127.0.0.1"},
		{trusted, "127.0.0.1:4000", []string{"203.0.113.7:5555"}, "203.0.113.7"},
		{trusted, "127.0.0.1:4000", []string{"[2001:db8::1]:5555"}, "2001:db8::1"},
		{trusted, "127.0.0.1:4000", []string{"2001:db8::1, 2001:db8:ffff::2"}, "2001:db8::1"},
		{trusted, "[::ffff:10.0.0.1]:4000", []string{"::ffff:203.0.113.7"}, "203.0.113.7"},
		{trusted, "[2001:db8:ffff::9]:4000", []string{"203.0.113.7"}, "203.0.113.7"},
		{trusted, "[2001:db8::9]:4000", []string{"203.0.113.7"}, "2001:db8::9"},
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = c.remote
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := c.ps.ClientIP(r); got != c.want {
			t.Errorf("clientIP(%s, %q) with %d trusted = %s; want %s", c.remote, c.xff, len(c.ps), got, c.want)
		}
	}
}

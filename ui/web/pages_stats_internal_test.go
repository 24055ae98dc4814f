package web

import (
	"testing"

	"github.com/maillage/maillage/ui/internal/page"
)

func TestFrenchNumbers(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0"}, {999, "999"}, {1000, "1\u202f000"}, {25000, "25\u202f000"}, {1234567, "1\u202f234\u202f567"}, {-4200, "-4\u202f200"}} {
		if got := page.FrenchNumber(c.n); got != c.want {
			t.Errorf("frenchNumber(%d) = %q; want %q", c.n, got, c.want)
		}
	}
	for _, c := range []struct {
		share float64
		want  string
	}{{0, "0\u00a0%"}, {0.5, "50\u00a0%"}, {0.667, "66,7\u00a0%"}, {1, "100\u00a0%"}, {0.002, "0,2\u00a0%"}} {
		if got := percent(c.share); got != c.want {
			t.Errorf("percent(%v) = %q; want %q", c.share, got, c.want)
		}
	}
}

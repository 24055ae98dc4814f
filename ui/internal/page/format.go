package page

import "strconv"

// Has reports whether list holds v; templates use it for checkboxes.
func Has(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// FrenchNumber writes an integer with a narrow no-break space between
// thousands: "25\u202f000".
func FrenchNumber(n int) string {
	s := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "\u202f" + s[i:]
	}
	return sign + s
}

package catalogue

import "time"

// Holiday is a French public holiday.
type Holiday struct {
	Date time.Time // midnight, Paris time
	Name string
}

// PublicHolidays returns the metropolitan French public holidays of a
// year, in order.
func PublicHolidays(year int) []Holiday {
	easter := easterSunday(year)
	day := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, Paris) }
	fromEaster := func(days int) time.Time { return easter.AddDate(0, 0, days) }
	return []Holiday{
		{day(time.January, 1), "Jour de l'an"},
		{fromEaster(1), "Lundi de Pâques"},
		{day(time.May, 1), "Fête du Travail"},
		{day(time.May, 8), "Victoire 1945"},
		{fromEaster(39), "Ascension"},
		{fromEaster(50), "Lundi de Pentecôte"},
		{day(time.July, 14), "Fête nationale"},
		{day(time.August, 15), "Assomption"},
		{day(time.November, 1), "Toussaint"},
		{day(time.November, 11), "Armistice 1918"},
		{day(time.December, 25), "Noël"},
	}
}

// IsPublicHoliday reports whether the Paris calendar day of t is a French
// public holiday. It does not allocate.
func IsPublicHoliday(t time.Time) bool {
	y, m, d := t.In(Paris).Date()
	return isHoliday(y, m, d)
}

func isHoliday(y int, m time.Month, d int) bool {
	switch {
	case m == time.January && d == 1, m == time.May && (d == 1 || d == 8), m == time.July && d == 14,
		m == time.August && d == 15, m == time.November && (d == 1 || d == 11), m == time.December && d == 25:
		return true
	case m < time.March || m > time.June:
		return false // the movable feasts fall between 23 March and 14 June
	}
	em, ed := easterDate(y)
	offset := dayOfYear(m, d) - dayOfYear(em, ed)
	return offset == 1 || offset == 39 || offset == 50
}

// easterDate is the Gregorian Easter Sunday (anonymous Gregorian
// algorithm, also known as Meeus/Jones/Butcher).
func easterDate(y int) (time.Month, int) {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Month(month), day
}

func easterSunday(y int) time.Time {
	m, d := easterDate(y)
	return time.Date(y, m, d, 0, 0, 0, 0, Paris)
}

// dayOfYear ignores leap years, which is exact for differences between
// two dates both after February.
func dayOfYear(m time.Month, d int) int {
	return [...]int{0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334}[m] + d
}

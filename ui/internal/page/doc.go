// Package page holds what every HTML page shares, public or editors':
// the template set (layouts, partials, the error page), rendering with
// gzip and caching, security headers, the message catalogue and its
// French words common to all pages (each audience adds its own), date and
// number formatting, fingerprinted static assets, CSRF tokens, the
// communes of "Où ?" and the opening-hours cache.
package page

// Package admin serves the editors' pages under /admin: login and
// sessions (with the login limit), places and events with their forms,
// merges, the network's list of skills, file import with a preview, error
// reports, API tokens, accounts, the first start (loading the sample data
// into an empty catalogue), and (when the instance federates) follows,
// followers and moderation.
// Every form carries a CSRF token; every answer is marked no-store.
package admin

// Package api serves the JSON API under /api/v1: places, events, imports,
// figures, and (when the instance federates) follows, followers, blocks
// and hidden records. Writes need an API token whose role covers the
// route (see ui/internal/server's roles). It answers JSON only, errors
// included, in French.
package api

// Package server holds what every audience of the web layer shares
// without rendering HTML: the instance's dependencies (Server), JSON
// answers and the mapping of errors to statuses, strict body decoding,
// the API's query parsing, token authentication and the roles of each
// area, trusted proxies' client addresses, the catalogue's figures (the
// API and /statistiques), the import runner (the API and /admin/import),
// and the Federation and Reports interfaces the web layer is handed.
package server

package server

import "github.com/maillage/maillage/storage"

// Who may do what, in the editors' pages and the JSON API alike: an
// editor keeps the catalogue current (places, events, merges, imports,
// error reports); only an admin manages federation (follows and
// followers), moderation (blocks, hidden records), API tokens and
// accounts. Every route of /admin and every authenticated route of
// /api/v1 names one of these; storage.RoleAllows says which role covers
// which (an admin may do everything an editor may).
const (
	RoleCatalogue  = storage.RoleEditor
	RoleFederation = storage.RoleAdmin
	RoleModeration = storage.RoleAdmin
	RoleTokens     = storage.RoleAdmin
	RoleAccounts   = storage.RoleAdmin
	RoleBackup     = storage.RoleAdmin
)

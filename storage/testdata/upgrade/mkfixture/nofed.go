package main

import "github.com/maillage/maillage/storage"

// Schema version 1 had no federation.
func federate(*storage.Store) error { return nil }
func remote(*storage.Store) error   { return nil }

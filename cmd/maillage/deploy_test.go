package main

import (
	"io"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// compose is the part of a docker-compose.yml these tests read.
type compose struct {
	Services map[string]struct {
		Command     []string          `yaml:"command"`
		Environment map[string]string `yaml:"environment"`
		Ports       []string          `yaml:"ports"`
		NetworkMode string            `yaml:"network_mode"`
		Volumes     []string          `yaml:"volumes"`
	} `yaml:"services"`
}

func readCompose(t *testing.T, path string) compose {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var c compose
	if err := yaml.Unmarshal(b, &c); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return c
}

// TestDemoComposeURLsWorkFromTheHost checks deploy/demo/docker-compose.yml
// (Docker itself is not run): each instance's command is a valid serve
// command line whose --url is the address the host's browser opens,
// http://localhost:PORT, served on that port, and each --follow names
// another instance at its own public address.
func TestDemoComposeURLsWorkFromTheHost(t *testing.T) {
	c := readCompose(t, "../../deploy/demo/docker-compose.yml")
	if len(c.Services) != len(demoTerritory) {
		t.Fatalf("%d services; want the demo's %d networks", len(c.Services), len(demoTerritory))
	}
	hosts := map[string]string{} // handle → host of its URL
	var follows []string
	for name, s := range c.Services {
		if len(s.Command) == 0 || s.Command[0] != "serve" {
			t.Fatalf("%s: command %v; want serve …", name, s.Command)
		}
		cfg, err := parseServeFlags(s.Command[1:], func(k string) string { return s.Environment[k] }, io.Discard)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		u, err := url.Parse(cfg.URL)
		if err != nil || u.Hostname() != "localhost" || !strings.HasSuffix(cfg.Listen, ":"+u.Port()) || s.NetworkMode != "host" {
			t.Errorf("%s: --url %s, --listen %s, network_mode %q; want http://localhost:PORT served on PORT on the host's network", name, cfg.URL, cfg.Listen, s.NetworkMode)
		}
		if !cfg.AllowPrivate || !cfg.DemoSeed || cfg.Handle != name {
			t.Errorf("%s: %+v; want --allow-private, --demo-seed and its handle", name, cfg)
		}
		hosts[cfg.Handle] = u.Host
		follows = append(follows, cfg.Follow...)
	}
	if len(follows) != 6 {
		t.Errorf("follows %v; want the demo's six", follows)
	}
	for _, f := range follows {
		handle, host, _ := strings.Cut(f, "@")
		if hosts[handle] != host {
			t.Errorf("--follow %s: %s is at %q", f, handle, hosts[handle])
		}
	}
}

// TestProductionComposeFile checks deploy/docker-compose.yml: one
// instance, HTTPS built in on 80 and 443, the data in a volume, metrics
// on the host's loopback only.
func TestProductionComposeFile(t *testing.T) {
	c := readCompose(t, "../../deploy/docker-compose.yml")
	s, ok := c.Services["maillage"]
	if len(c.Services) != 1 || !ok {
		t.Fatalf("services %v; want one, maillage", c.Services)
	}
	for _, p := range []string{"80:80", "443:443", "127.0.0.1:9100:9100"} {
		if !slices.Contains(s.Ports, p) {
			t.Errorf("ports %v lack %s", s.Ports, p)
		}
	}
	if !strings.HasPrefix(s.Environment["MAILLAGE_ACME_DOMAIN"], "${MAILLAGE_DOMAIN") || s.Environment["MAILLAGE_LOG_FORMAT"] != "json" {
		t.Errorf("environment %v; want MAILLAGE_ACME_DOMAIN from .env and JSON logs", s.Environment)
	}
	if !slices.Contains(s.Volumes, "maillage:/data") {
		t.Errorf("volumes %v; want the data in the maillage volume", s.Volumes)
	}
}

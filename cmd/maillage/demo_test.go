package main

import (
	"bytes"
	"context"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the demo goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestDemoConverges runs `maillage demo` as a newcomer would, with the
// README's command line: the national instance gathers every network's
// places through the regional relays, then Ctrl-C stops everything
// cleanly. Only when localhost:8080-8086 are taken on this machine does it
// move the ports (--listen-base), keeping the default host.
func TestDemoConverges(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	args := []string{"demo"}
	if base := freePortRange(t, 8080, len(demoTerritory)); base != 8080 {
		t.Logf("localhost:8080-8086 taken: --listen-base %d", base)
		args = append(args, "--listen-base", strconv.Itoa(base))
	}
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, args, strings.NewReader(""), &out, &out)
	}()
	// The demo gives convergence 2 minutes; starting 7 instances (RSA
	// keys, bcrypt, sample data) takes 3 s on an idle machine and over a
	// minute at a load average of 40 on 2 vCPUs.
	deadline := time.After(4 * time.Minute)
	for !strings.Contains(out.String(), "Convergé en") {
		select {
		case err := <-done:
			t.Fatalf("demo stopped early: %v\n%s", err, out.String())
		case <-deadline:
			t.Fatalf("the demo did not converge in 4 minutes:\n%s", out.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	for _, name := range []string{"Arsenic 13", "Arsenic PACA", "France médiation numérique", "jeton : ",
		"http://localhost:", "connexion : admin@arsenic13.demo  mot de passe : "} {
		if !strings.Contains(out.String(), name) {
			t.Errorf("the demo's output lacks %q:\n%s", name, out.String())
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("demo: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the demo did not stop after Ctrl-C")
	}
	t.Log(out.String())
}

// freePortRange returns the first port from start such that n ports in a
// row are free on localhost.
func freePortRange(t *testing.T, start, n int) int {
	t.Helper()
	for base := start; base < start+2000; base += n {
		free := true
		for p := base; p < base+n && free; p++ {
			ln, err := net.Listen("tcp", net.JoinHostPort("localhost", strconv.Itoa(p)))
			if err != nil {
				free = false
				continue
			}
			ln.Close()
		}
		if free {
			return base
		}
	}
	t.Fatal("no free range of ports on localhost")
	return 0
}

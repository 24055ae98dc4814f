package main

import (
	"bytes"
	"context"
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

// TestDemoConverges runs `maillage demo` as a newcomer would: the national
// instance gathers every network's places through the regional relays,
// then Ctrl-C stops everything cleanly.
func TestDemoConverges(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"demo", "--listen-base", "0", "--host", "127.0.0.1", "--data", t.TempDir()}, strings.NewReader(""), &out, &out)
	}()
	deadline := time.After(30 * time.Second)
	for !strings.Contains(out.String(), "Convergé en") {
		select {
		case err := <-done:
			t.Fatalf("demo stopped early: %v\n%s", err, out.String())
		case <-deadline:
			t.Fatalf("the demo did not converge in 30 s:\n%s", out.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	for _, name := range []string{"Arsenic 13", "Arsenic PACA", "France médiation numérique", "jeton : "} {
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

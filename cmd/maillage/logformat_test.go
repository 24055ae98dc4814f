package main

import (
	"bufio"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestServeLogFormatJSON: with --log-format json every line serve writes
// is one JSON object, with the level, the message and the fields.
func TestServeLogFormatJSON(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // serve starts, logs, and stops at once
	var out syncBuffer
	err := serve(ctx, []string{"--data", t.TempDir(), "--listen", "127.0.0.1:0", "--log-format", "json"}, &out)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	sc := bufio.NewScanner(strings.NewReader(out.String()))
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("log line %q is not JSON: %v", sc.Text(), err)
		}
		if line["level"] == nil || line["time"] == nil {
			t.Errorf("log line %v lacks level or time", line)
		}
		if line["msg"] == "maillage started" && (line["url"] == nil || line["version"] == nil) {
			t.Errorf("start line %v lacks url or version", line)
		}
		msgs = append(msgs, line["msg"].(string))
	}
	if !strings.Contains(strings.Join(msgs, "|"), "maillage started") {
		t.Errorf("messages %v; want maillage started", msgs)
	}
}

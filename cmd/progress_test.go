package cmd

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a bytes.Buffer the progress line's goroutine and the test can share.
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

func TestProgressLine(t *testing.T) {
	var b syncBuffer
	p := startProgress(&b, 0)
	p.Stage("walking the tree")
	p.Stage("listing the packages of 3 Go modules")
	p.Stop()
	out := b.String()
	for _, want := range []string{"\r\x1b[2Kcleave: walking the tree… 0s", "\r\x1b[2Kcleave: listing the packages of 3 Go modules… 0s"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in %q", want, out)
		}
	}
	if !strings.HasSuffix(out, "\r\x1b[2K") {
		t.Errorf("the line is not cleared at the end: %q", out)
	}
	// A run shorter than the delay shows nothing at all.
	var quiet syncBuffer
	p = startProgress(&quiet, 1<<40)
	p.Stage("walking the tree")
	p.Stop()
	if quiet.String() != "" {
		t.Errorf("a short run drew %q", quiet.String())
	}
}

// TestProgressOnlyOnATerminal: the line is drawn on a terminal's stderr, never into a pipe or
// a log, never with -q, and nothing of it reaches standard output.
func TestProgressOnlyOnATerminal(t *testing.T) {
	dir := filepath.Join(fixtures, "modmono")
	for _, c := range []struct {
		name    string
		errTTY  bool
		args    []string
		drawn   bool
		envTERM string
	}{
		{"terminal", true, []string{"analyze", dir}, true, ""},
		{"pipe", false, []string{"analyze", dir}, false, ""},
		{"quiet", true, []string{"analyze", "-q", dir}, false, ""},
		{"dumb", true, []string{"analyze", dir}, false, "dumb"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			ios := &IO{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, ErrTTY: c.errTTY,
				Getenv: func(k string) string { return map[string]string{"TERM": c.envTERM}[k] }}
			progressDelay = 0
			defer func() { progressDelay = defaultProgressDelay }()
			if code := Execute(context.WithValue(context.Background(), freshKey{}, true), ios, c.args); code != 0 {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			if drawn := strings.Contains(errOut.String(), "cleave: walking the tree…"); drawn != c.drawn {
				t.Errorf("progress drawn %v, want %v: %q", drawn, c.drawn, errOut.String())
			}
			if strings.Contains(out.String(), "\x1b") {
				t.Errorf("progress reached standard output")
			}
		})
	}
}

package cmd

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// typist types keys in turns: each turn waits until its condition holds (the screen has done
// what the keys before it asked), as a person watching the screen would.
type typist struct {
	turns []turn
}

type turn struct {
	wait func() bool
	keys string
}

func (ty *typist) Read(p []byte) (int, error) {
	if len(ty.turns) == 0 {
		select {} // a terminal that stays open: the program ends by its own keys
	}
	tn := ty.turns[0]
	for deadline := time.Now().Add(10 * time.Second); tn.wait != nil && !tn.wait() && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	ty.turns = ty.turns[1:]
	return copy(p, tn.keys), nil
}

// runKeys runs cleave as on a terminal, with keys typed in.
func runKeys(t *testing.T, in io.Reader, args ...string) (string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	ios := &IO{In: in, Out: &out, ErrOut: &errOut, InTTY: true, OutTTY: true,
		Getenv: func(string) string { return "" }}
	code := Execute(context.WithValue(context.Background(), freshKey{}, true), ios, args)
	return errOut.String(), code
}

// Leaving the questionnaire before the result is a cancelled run: exit 130.
func TestTUIQuitExits130(t *testing.T) {
	t.Chdir(t.TempDir())
	if stderr, code := runKeys(t, &typist{turns: []turn{{keys: "q"}}}, "assess"); code != ExitInterrupted {
		t.Fatalf("exit %d, want %d: %s", code, ExitInterrupted, stderr)
	}
}

// With --repo, w writes the whole architecture document, to the default name it offers.
func TestTUIWriteWithRepo(t *testing.T) {
	repo, err := filepath.Abs(filepath.Join(fixtures, "sharedb"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	// d: the result; w, enter: write architecture.md; q: quit (the code answered, nobody typed).
	written := func() bool { _, err := os.Stat(filepath.Join(dir, "architecture.md")); return err == nil }
	stderr, code := runKeys(t, &typist{turns: []turn{{keys: "d"}, {keys: "w"}, {keys: "\r"}, {wait: written, keys: "q"}, {keys: "q"}}}, "assess", "--repo", repo)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	doc, err := os.ReadFile(filepath.Join(dir, "architecture.md"))
	if err != nil {
		t.Fatalf("no architecture.md: %v (%s)", err, stderr)
	}
	for _, want := range []string{"# Architecture of", "## Data", "## Warning signs"} {
		if !strings.Contains(string(doc), want) {
			t.Errorf("the document lacks %q", want)
		}
	}
}

package safefs

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// tree builds a directory with a file inside it, a secret outside it, and links to both.
func tree(t *testing.T) (root, secret string) {
	t.Helper()
	base := t.TempDir()
	root = filepath.Join(base, "repo")
	secret = filepath.Join(base, "secret.txt")
	for name, data := range map[string]string{secret: "top secret", filepath.Join(root, "sub", "in.txt"): "inside"} {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{"abs-out": secret, "rel-out": "../secret.txt", "rel-in": "sub/in.txt", "sub/up-in": "../sub/in.txt", "dangling": "nowhere"} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Skipf("no symlinks here: %v", err)
		}
	}
	return root, secret
}

func TestReadIn(t *testing.T) {
	root, _ := tree(t)
	fifo := filepath.Join(root, "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	for _, tc := range []struct {
		rel, want string // want: the content, or an error's words
		err       error
	}{
		{"sub/in.txt", "inside", nil},
		{"rel-in", "inside", nil},
		{"sub/up-in", "inside", nil},
		{"abs-out", "links outside the analysed directory", ErrOutside},
		{"rel-out", "links outside the analysed directory", ErrOutside},
		{"../secret.txt", "links outside the analysed directory", ErrOutside},
		{"pipe.yaml", "a named pipe, not a regular file", ErrNotRegular},
		{"sub", "a directory, not a regular file", ErrNotRegular},
		{"dangling", "no such file", os.ErrNotExist},
		{"missing", "no such file", os.ErrNotExist},
	} {
		data, err := ReadIn(root, tc.rel, 1<<10)
		switch {
		case tc.err == nil && (err != nil || string(data) != tc.want):
			t.Errorf("%s: %q, %v; want %q", tc.rel, data, err, tc.want)
		case tc.err != nil && (!errors.Is(err, tc.err) || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: error %v, want one saying %q", tc.rel, err, tc.want)
		}
	}
}

func TestLimit(t *testing.T) {
	root, _ := tree(t)
	if _, err := ReadIn(root, "sub/in.txt", 3); !errors.Is(err, ErrTooLarge) || !strings.Contains(Reason(err), "over the") {
		t.Errorf("over the limit: %v", err)
	}
	if data, err := ReadIn(root, "sub/in.txt", 6); err != nil || string(data) != "inside" {
		t.Errorf("at the limit: %q %v", data, err)
	}
	if _, err := ReadFile("/dev/zero", 1<<20); !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "character device") {
		t.Errorf("/dev/zero: %v", err)
	}
	if _, err := ReadIn(filepath.Join(root, "sub", "in.txt"), "x", 10); !errors.Is(err, syscall.ENOTDIR) {
		t.Errorf("a file as root: %v, want ENOTDIR", err)
	}
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "out.md")
	if err := WriteFile(name, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(name, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(name, []byte("two")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(name); string(b) != "two" {
		t.Errorf("content %q", b)
	}
	if fi, _ := os.Stat(name); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v: the file's mode must be kept", fi.Mode())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	if err := WriteFile(dir, []byte("x")); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("a directory: %v", err)
	}
}

// TestWriteFileFollowsLinks: -o through a link writes the link's target and keeps the link.
func TestWriteFileFollowsLinks(t *testing.T) {
	dir := t.TempDir()
	target, link := filepath.Join(dir, "report.md"), filepath.Join(dir, "latest.md")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("report.md", link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	if err := WriteFile(link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Errorf("target holds %q", b)
	}
}

// TestWriteFileKeepsSpecialFiles: -o /dev/null as root must write to the device, not replace
// it with a regular file. A named pipe stands in for the device.
func TestWriteFileKeepsSpecialFiles(t *testing.T) {
	pipe := filepath.Join(t.TempDir(), "null")
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	done := make(chan []byte)
	go func() {
		b, _ := os.ReadFile(pipe)
		done <- b
	}()
	if err := WriteFile(pipe, []byte("report")); err != nil {
		t.Fatal(err)
	}
	if got := <-done; string(got) != "report" {
		t.Errorf("the reader got %q", got)
	}
	if fi, err := os.Lstat(pipe); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the pipe was replaced: %v %v", fi.Mode(), err)
	}
}

// TestWriteIn: the baseline and config cleave writes into a repository stay in it.
func TestWriteIn(t *testing.T) {
	root, secret := tree(t)
	for _, rel := range []string{"abs-out", "rel-out"} {
		if err := WriteIn(root, rel, []byte("pwned")); !errors.Is(err, ErrOutside) {
			t.Errorf("%s: %v, want a refusal", rel, err)
		}
	}
	if b, _ := os.ReadFile(secret); string(b) != "top secret" {
		t.Errorf("the file outside was changed: %q", b)
	}
	if err := WriteIn(root, "rel-in", []byte("new")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(root, "sub", "in.txt")); string(b) != "new" {
		t.Errorf("inside: %q", b)
	}
	if err := WriteIn(root, "fresh.yaml", []byte("x")); err != nil {
		t.Errorf("a new file: %v", err)
	}
}

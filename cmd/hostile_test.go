//go:build linux

package cmd

// The hostile-input suite: each case builds a repository in a temporary directory that
// attacks cleave the way a stranger's pull request could, runs the real binary on it under a
// time bound, and checks that cleave read nothing outside the repository, did not hang,
// crash or run out of memory, wrote nothing into the repository, left special files as they
// were, and named the file it refused.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// cleaveBinary builds cmd/cleave once for the suite; CLEAVE_TEST_BINARY runs another build
// instead (an older one, to see the suite fail).
func cleaveBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		if bin := os.Getenv("CLEAVE_TEST_BINARY"); bin != "" {
			binPath = bin
			return
		}
		dir, err := os.MkdirTemp("", "cleave-hostile-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "cleave")
		out, err := exec.Command("go", "build", "-o", binPath, "github.com/cleave-dev/cleave/cmd/cleave").CombinedOutput()
		if err != nil {
			binErr = fmt.Errorf("%v: %s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// secret is what the files outside the repository hold: it must never reach cleave's output.
const secret = "s3cr3t_outside_table"

// hostileRepo writes a small service repository into base/repo and a directory of secrets
// beside it, base/outside.
func hostileRepo(t *testing.T) (repo, outside string) {
	t.Helper()
	base := t.TempDir()
	repo, outside = filepath.Join(base, "repo"), filepath.Join(base, "outside")
	files := map[string]string{
		"repo/go.mod": "module example.com/hostile\n\ngo 1.22\n",
		"repo/cmd/api/main.go": `package main

import (
	"net/http"

	"example.com/hostile/internal/store"
)

func main() {
	http.HandleFunc("/orders", store.List)
	http.ListenAndServe(":8080", nil)
}
`,
		"repo/internal/store/store.go": `package store

import (
	"database/sql"
	"net/http"
)

var db *sql.DB

func List(w http.ResponseWriter, r *http.Request) {
	db.QueryContext(r.Context(), "SELECT id FROM orders")
}
`,
		"outside/q.sql":         "-- name: Steal :many\nSELECT * FROM " + secret + ";\n",
		"outside/Dockerfile":    "FROM golang\nRUN go build -o /" + secret + " ./cmd/api\n",
		"outside/.cleave.yaml":  "version: 1\nmodules:\n  - name: " + secret + "\n    paths: [internal/**]\n",
		"outside/baseline.yaml": "version: 1\nentries: []\n# " + secret + "\n",
	}
	for name, data := range files {
		write(t, filepath.Join(base, name), data)
	}
	return repo, outside
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func fifo(t *testing.T, name string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(name, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
}

// snapshot describes every entry of a tree without following links or opening files.
func snapshot(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		out[p] = fmt.Sprintf("%v %d %d", fi.Mode(), fi.Size(), fi.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

type cleaveRun struct {
	code           int
	stdout, stderr string
	maxRSS         int64 // KiB
	elapsed        time.Duration
}

// runCleave runs the binary in its own process group; a run past the bound is a hang.
func runCleave(t *testing.T, bound time.Duration, env []string, args ...string) cleaveRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	cmd := exec.CommandContext(ctx, cleaveBinary(t), args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// A memory bound on cleave and what it starts: a blow-up fails this run, not the machine.
	limit := unix.Rlimit{Cur: 4 << 30, Max: 4 << 30}
	if err := unix.Prlimit(cmd.Process.Pid, unix.RLIMIT_AS, &limit, nil); err != nil {
		t.Logf("no memory bound: %v", err)
	}
	err := cmd.Wait()
	r := cleaveRun{stdout: stdout.String(), stderr: stderr.String(), elapsed: time.Since(start)}
	if ctx.Err() != nil {
		t.Fatalf("cleave %s hung: killed after %s\nstderr: %s", strings.Join(args, " "), bound, r.stderr)
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatal(err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.maxRSS = ru.Maxrss
	}
	if r.code < 0 {
		t.Fatalf("cleave %s was killed by a signal (out of memory?): %s", strings.Join(args, " "), cmd.ProcessState)
	}
	for _, crash := range []string{"panic:", "goroutine ", "fatal error", "runtime."} {
		if strings.Contains(r.stderr, crash) {
			t.Fatalf("cleave %s crashed (exit %d):\n%s", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	return r
}

func TestHostileInput(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	const mib = 1 << 20
	big := func(t *testing.T, name string, size int, line string) {
		f, err := os.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		chunk := bytes.Repeat([]byte(line), 64*1024/len(line)+1)
		for n := 0; n < size; n += len(chunk) {
			if _, err := f.Write(chunk); err != nil {
				t.Fatal(err)
			}
		}
	}
	cases := []struct {
		name   string
		setup  func(t *testing.T, repo, outside string)
		args   []string // DIR is appended unless an arg holds "DIR"
		env    []string
		code   int
		want   []string // in stdout or stderr
		writes bool     // the command may write into the repository (init)
		check  func(t *testing.T, repo string, r cleaveRun)
	}{
		{
			name: "control characters in names",
			setup: func(t *testing.T, repo, outside string) {
				write(t, filepath.Join(repo, "deploy\x1b]0;pwned\x07", "Dockerfile"), "FROM golang\nRUN go build ./cmd/api\n")
				write(t, filepath.Join(repo, "internal", "bad\x1b[2J", "x.go"), "package bad\n")
				symlink(t, "/dev/zero", filepath.Join(repo, "deploy\x1b]0;pwned\x07", "compose.yaml"))
			},
			args: []string{"analyze", "-v"},
			want: []string{`deploy\x1b]0;pwned\x07/compose.yaml: skipped`, `internal/bad\x1b[2J`},
			check: func(t *testing.T, repo string, r cleaveRun) {
				if strings.ContainsRune(r.stdout+r.stderr, 0x1b) {
					t.Errorf("a raw escape reached the terminal")
				}
			},
		},
		{
			name:  "go missing from PATH",
			setup: func(t *testing.T, repo, outside string) {},
			args:  []string{"analyze"},
			env:   []string{"PATH=/nonexistent"},
			code:  3,
			want:  []string{"the go command is not on PATH"},
		},
		{
			name: "a bad go.mod",
			setup: func(t *testing.T, repo, outside string) {
				write(t, filepath.Join(repo, "go.mod"), "module example.com/hostile\n\ngo 1.22\n\nretract [v1.0.0\n")
			},
			args: []string{"analyze"},
			code: 3,
			want: []string{"errors parsing go.mod: go.mod:5:"},
		},
		{
			name: "init names that lint accepts",
			setup: func(t *testing.T, repo, outside string) {
				write(t, filepath.Join(repo, "internal", "-dash", "d.go"), "package dash\n")
				write(t, filepath.Join(repo, "internal", "~tilde", "t.go"), "package tilde\n")
			},
			args:   []string{"init"},
			writes: true,
			check: func(t *testing.T, repo string, r cleaveRun) {
				if l := runCleave(t, 60*time.Second, nil, "lint", repo); l.code != 0 {
					t.Errorf("lint on init's own config: exit %d: %s", l.code, l.stderr)
				}
			},
		},
		{
			name: "sqlc queries outside",
			setup: func(t *testing.T, repo, outside string) {
				write(t, filepath.Join(repo, "sqlc.yaml"), "version: \"2\"\nsql:\n  - queries: ../outside/q.sql\n    engine: postgresql\n    gen:\n      go:\n        out: internal/db\n")
			},
			args: []string{"analyze", "--format", "json"},
			want: []string{"sqlc.yaml", "queries ../outside/q.sql: skipped: outside the analysed directory"},
		},
		{
			name: "sqlc queries linked outside",
			setup: func(t *testing.T, repo, outside string) {
				symlink(t, filepath.Join(outside, "q.sql"), filepath.Join(repo, "db", "q.sql"))
				write(t, filepath.Join(repo, "sqlc.yaml"), "version: \"2\"\nsql:\n  - queries: db\n    engine: postgresql\n    gen:\n      go:\n        out: internal/db\n")
			},
			args: []string{"analyze", "--format", "json"},
			want: []string{"db/q.sql", "links outside the analysed directory"},
		},
		{
			name: "Dockerfile linked outside",
			setup: func(t *testing.T, repo, outside string) {
				symlink(t, filepath.Join(outside, "Dockerfile"), filepath.Join(repo, "Dockerfile"))
			},
			args: []string{"analyze", "-v"},
			want: []string{"Dockerfile: skipped: it links outside the analysed directory"},
		},
		{
			name: "config linked outside",
			setup: func(t *testing.T, repo, outside string) {
				symlink(t, "../outside/.cleave.yaml", filepath.Join(repo, ".cleave.yaml"))
			},
			args: []string{"lint"},
			code: 2,
			want: []string{".cleave.yaml: it links outside the analysed directory"},
		},
		{
			name: "baseline linked outside",
			setup: func(t *testing.T, repo, outside string) {
				symlink(t, filepath.Join(outside, "baseline.yaml"), filepath.Join(repo, ".cleave-baseline.yaml"))
			},
			args: []string{"lint"},
			code: 2,
			want: []string{".cleave-baseline.yaml: it links outside the analysed directory"},
		},
		{
			name: "update-baseline through a link outside",
			setup: func(t *testing.T, repo, outside string) {
				symlink(t, filepath.Join(outside, "baseline.yaml"), filepath.Join(repo, ".cleave-baseline.yaml"))
			},
			args: []string{"lint", "--update-baseline"},
			code: 2,
			want: []string{"links outside the analysed directory"},
		},
		{
			name:  "Dockerfile is /dev/zero",
			setup: func(t *testing.T, repo, outside string) { symlink(t, "/dev/zero", filepath.Join(repo, "Dockerfile")) },
			args:  []string{"analyze", "-v"},
			want:  []string{"Dockerfile: skipped: it links outside the analysed directory"},
		},
		{
			name:  "compose is /dev/zero",
			setup: func(t *testing.T, repo, outside string) { symlink(t, "/dev/zero", filepath.Join(repo, "compose.yaml")) },
			args:  []string{"analyze", "-v"},
			want:  []string{"compose.yaml: skipped"},
		},
		{
			name:  "config is /dev/zero",
			setup: func(t *testing.T, repo, outside string) { symlink(t, "/dev/zero", filepath.Join(repo, ".cleave.yaml")) },
			args:  []string{"lint"},
			code:  2,
			want:  []string{".cleave.yaml"},
		},
		{
			name:  "--config /dev/zero",
			setup: func(t *testing.T, repo, outside string) {},
			args:  []string{"lint", "--config", "/dev/zero"},
			code:  2,
			want:  []string{"/dev/zero: a character device, not a regular file"},
		},
		{
			name:  "--baseline /dev/zero",
			setup: func(t *testing.T, repo, outside string) {},
			args:  []string{"lint", "--baseline", "/dev/zero"},
			code:  2,
			want:  []string{"/dev/zero: a character device, not a regular file"},
		},
		{
			name: "FIFOs named like manifests and Go files",
			setup: func(t *testing.T, repo, outside string) {
				for _, f := range []string{"Dockerfile", "compose.yaml", "deploy/k8s.yaml", "internal/store/x.go", "sqlc.yaml", "Makefile", "node_modules/pkg/y.go"} {
					fifo(t, filepath.Join(repo, f))
				}
			},
			args: []string{"analyze", "-v"},
			want: []string{"Dockerfile: skipped: a named pipe, not a regular file", "compose.yaml: skipped", "internal/store/x.go: skipped", "deploy/k8s.yaml: skipped", "sqlc.yaml: skipped", "Makefile: skipped"},
		},
		{
			name:  "FIFO as .cleave.yaml",
			setup: func(t *testing.T, repo, outside string) { fifo(t, filepath.Join(repo, ".cleave.yaml")) },
			args:  []string{"lint"},
			code:  2,
			want:  []string{".cleave.yaml: a named pipe, not a regular file"},
		},
		{
			name: "go.work writes no go.work.sum",
			setup: func(t *testing.T, repo, outside string) {
				write(t, filepath.Join(repo, "go.work"), "go 1.22\n\nuse (\n\t.\n\t./tools\n\t../outside/mod\n)\n")
				// A dependency whose checksum no go.sum holds: go list in workspace mode records it
				// in go.work.sum, beside go.work.
				write(t, filepath.Join(repo, "tools", "go.mod"), "module example.com/tools\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n")
				write(t, filepath.Join(repo, "tools", "t.go"), "package tools\n\nimport _ \"github.com/google/uuid\"\n")
				write(t, filepath.Join(outside, "mod", "go.mod"), "module example.com/"+secret+"\n\ngo 1.22\n")
				write(t, filepath.Join(outside, "mod", "m.go"), "package m\n")
			},
			args: []string{"analyze", "--format", "json"},
			want: []string{`"path": "example.com/tools"`},
		},
		{
			name: "a 50 MB generated Go file",
			setup: func(t *testing.T, repo, outside string) {
				f := filepath.Join(repo, "internal", "store", "zz_generated.go")
				write(t, f, "// Code generated by hand. DO NOT EDIT.\n\npackage store\n\nvar table = []int{\n")
				af, err := os.OpenFile(f, os.O_APPEND|os.O_WRONLY, 0)
				if err != nil {
					t.Fatal(err)
				}
				af.Write(bytes.Repeat([]byte("1, 2, 3, 4, 5, 6, 7, 8,\n"), 50*mib/24))
				af.Write([]byte("}\n"))
				af.Close()
			},
			args: []string{"analyze", "-v"},
			want: []string{"internal/store/zz_generated.go: skipped: 50.0 MB, over the 8.0 MB limit"},
		},
		{
			name: "a 100 MB config",
			setup: func(t *testing.T, repo, outside string) {
				big(t, filepath.Join(repo, ".cleave.yaml"), 100*mib, "# padding padding padding\n")
			},
			args: []string{"lint"},
			code: 2,
			want: []string{".cleave.yaml", "over the 1.0 MB limit"},
		},
		{
			name: "a 100 MB baseline",
			setup: func(t *testing.T, repo, outside string) {
				big(t, filepath.Join(repo, ".cleave-baseline.yaml"), 100*mib, "# padding padding padding\n")
			},
			args: []string{"lint"},
			code: 2,
			want: []string{".cleave-baseline.yaml", "over the 16.0 MB limit"},
		},
		{
			name: "a 5 MB sqlc query file",
			setup: func(t *testing.T, repo, outside string) {
				write(t, filepath.Join(repo, "sqlc.yaml"), "version: \"2\"\nsql:\n  - queries: db/q.sql\n    engine: postgresql\n    gen:\n      go:\n        out: internal/db\n")
				write(t, filepath.Join(repo, "db", "q.sql"), "-- name: All :many\n")
				af, _ := os.OpenFile(filepath.Join(repo, "db", "q.sql"), os.O_APPEND|os.O_WRONLY, 0)
				af.Write(bytes.Repeat([]byte("SELECT id, name FROM invoices WHERE id = $1 UNION\n"), 5*mib/50))
				af.Write([]byte("SELECT 1;\n"))
				af.Close()
			},
			args: []string{"analyze", "--format", "json"},
			want: []string{`"name": "invoices"`},
		},
		{
			name: "20,000 Kubernetes documents",
			setup: func(t *testing.T, repo, outside string) {
				var b strings.Builder
				for i := range 10000 {
					fmt.Fprintf(&b, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api-%d\nspec:\n  template:\n    metadata:\n      labels:\n        app: api-%d\n        tier: web\n    spec:\n      containers:\n        - name: api\n          image: example.com/api:%d\n---\n", i, i, i)
					fmt.Fprintf(&b, "apiVersion: v1\nkind: Service\nmetadata:\n  name: api-%d\nspec:\n  selector:\n    tier: web\n    app: api-%d\n---\n", i, i)
				}
				write(t, filepath.Join(repo, "deploy", "all.yaml"), b.String())
			},
			args: []string{"analyze"}, // BenchmarkExposed shows the matching is linear
		},
		{
			name: "DIR reached through a link",
			setup: func(t *testing.T, repo, outside string) {
				symlink(t, repo, filepath.Join(outside, "link"))
			},
			args: []string{"analyze", "DIR/../outside/link"},
			want: []string{"api"},
		},
		{
			name:  "a file as DIR",
			setup: func(t *testing.T, repo, outside string) {},
			args:  []string{"lint", "DIR/go.mod"},
			code:  3,
			want:  []string{"go.mod is a file: cleave analyses a directory"},
		},
		{
			name:  "-o /dev/null",
			setup: func(t *testing.T, repo, outside string) {},
			args:  []string{"analyze", "-o", "/dev/null"},
			check: func(t *testing.T, repo string, r cleaveRun) {
				if fi, err := os.Lstat("/dev/null"); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
					t.Fatalf("/dev/null is no longer a device: %v %v", fi.Mode(), err)
				}
			},
		},
		{
			name: "-o through a link",
			setup: func(t *testing.T, repo, outside string) {
				write(t, filepath.Join(outside, "report.md"), "old")
				symlink(t, "report.md", filepath.Join(outside, "latest.md"))
			},
			args: []string{"report", "-o", "DIR/../outside/latest.md"},
			check: func(t *testing.T, repo string, r cleaveRun) {
				outside := filepath.Join(filepath.Dir(repo), "outside")
				if fi, err := os.Lstat(filepath.Join(outside, "latest.md")); err != nil || fi.Mode()&os.ModeSymlink == 0 {
					t.Errorf("the link was replaced: %v", err)
				}
				if b, _ := os.ReadFile(filepath.Join(outside, "report.md")); !bytes.Contains(b, []byte("# ")) {
					t.Errorf("the link's target holds %q", b)
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			repo, outside := hostileRepo(t)
			tc.setup(t, repo, outside)
			before := snapshot(t, repo)
			args := slicesWithDir(tc.args, repo)
			r := runCleave(t, 60*time.Second, tc.env, args...)
			if r.code != tc.code {
				t.Errorf("exit %d, want %d\nstderr: %s", r.code, tc.code, r.stderr)
			}
			all := r.stdout + r.stderr
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("output lacks %q\nstderr: %s", w, r.stderr)
				}
			}
			if strings.Contains(all, secret) {
				t.Errorf("a file outside the repository was read: its content is in the output")
			}
			if r.maxRSS > 1<<20 { // KiB: 1 GiB
				t.Errorf("peak memory %d MiB", r.maxRSS>>10)
			}
			if diff := changed(before, snapshot(t, repo)); len(diff) > 0 && !tc.writes {
				t.Errorf("the repository changed: %s", strings.Join(diff, "; "))
			}
			if tc.check != nil {
				tc.check(t, repo, r)
			}
			t.Logf("%s in %s, %d MiB", strings.Join(tc.args, " "), r.elapsed.Round(time.Millisecond), r.maxRSS>>10)
		})
	}
}

// slicesWithDir appends DIR, or substitutes it where an argument names it.
func slicesWithDir(args []string, dir string) []string {
	out := make([]string, 0, len(args)+1)
	named := false
	for _, a := range args {
		if strings.Contains(a, "DIR") {
			a, named = strings.ReplaceAll(a, "DIR", dir), true
		}
		out = append(out, a)
	}
	if !named {
		out = append(out, dir)
	}
	return out
}

// changed lists the entries created, removed or altered between two snapshots.
func changed(before, after map[string]string) []string {
	var out []string
	for k, v := range after {
		switch w, ok := before[k]; {
		case !ok:
			out = append(out, "created "+k)
		case w != v: // a directory's time moves even when a temporary file comes and goes
			out = append(out, "changed "+k)
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			out = append(out, "removed "+k)
		}
	}
	sort.Strings(out)
	return out
}

// TestSIGTERMStopsGoList: a run cancelled while go list waits on the network leaves no go
// process behind.
func TestSIGTERMStopsGoList(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	// A module proxy that accepts connections and never answers keeps go list waiting.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skip(err)
	}
	defer ln.Close()
	var conns []net.Conn
	var mu sync.Mutex
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	defer func() {
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	}()
	repo, _ := hostileRepo(t)
	write(t, filepath.Join(repo, "go.mod"), "module example.com/hostile\n\ngo 1.22\n\nrequire example.com/slow v1.0.0\n")
	write(t, filepath.Join(repo, "go.sum"), "example.com/slow v1.0.0 h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\nexample.com/slow v1.0.0/go.mod h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")
	write(t, filepath.Join(repo, "internal", "slow", "slow.go"), "package slow\n\nimport _ \"example.com/slow\"\n")
	mark := fmt.Sprintf("CLEAVE_SIGTERM_TEST=%d", time.Now().UnixNano())
	cmd := exec.Command(cleaveBinary(t), "analyze", repo)
	cmd.Env = append(os.Environ(), mark, "GOPROXY=http://"+ln.Addr().String(), "GOMODCACHE="+t.TempDir(), "GOFLAGS=-modcacherw", "GONOSUMDB=*", "GOSUMDB=off")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	if !waitFor(10*time.Second, func() bool { return len(marked(mark, cmd.Process.Pid)) > 0 }) {
		t.Fatalf("go list never started; stderr: %s", stderr.String())
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		t.Fatalf("cleave did not stop on SIGTERM; stderr: %s", stderr.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != ExitInterrupted {
		t.Errorf("exit %d, want %d; stderr: %s", code, ExitInterrupted, stderr.String())
	}
	if !waitFor(5*time.Second, func() bool { return len(marked(mark, cmd.Process.Pid)) == 0 }) {
		t.Errorf("processes left running after SIGTERM: %v", marked(mark, cmd.Process.Pid))
	}
}

// marked lists the processes other than cleave itself whose environment holds mark.
func marked(mark string, self int) []int {
	var out []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		var pid int
		if _, err := fmt.Sscanf(e.Name(), "%d", &pid); err != nil || pid == self {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ"))
		if err == nil && bytes.Contains(env, []byte(mark)) {
			out = append(out, pid)
		}
	}
	return out
}

func waitFor(d time.Duration, ok func() bool) bool {
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(50 * time.Millisecond) {
		if ok() {
			return true
		}
	}
	return ok()
}

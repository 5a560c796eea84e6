package cmd

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

// git runs a read-only git command in dir and returns its standard output, trimmed. No hook,
// filter or fsmonitor of the repository's configuration runs: cleave only reads history.
func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := gitCommand(ctx, dir, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return "", fmt.Errorf("the git command is not on PATH")
		}
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("git %s: %s", args[0], msg)
	}
	return strings.TrimSpace(out.String()), nil
}

// gitCommand is git run in dir with nothing of the repository's configuration that runs
// code (hooks, fsmonitor), no prompt and no optional locks.
func gitCommand(ctx context.Context, dir string, args ...string) *exec.Cmd {
	full := append([]string{"-c", "core.fsmonitor=false", "-c", "core.hooksPath=/dev/null", "-C", dir}, args...)
	cmd := exec.CommandContext(ctx, "git", full...)
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0")
	return cmd
}

// gitCommit resolves a revision of the repository holding dir to a commit.
func gitCommit(ctx context.Context, dir, rev string) (string, error) {
	if strings.HasPrefix(rev, "-") {
		return "", fmt.Errorf("%q is no revision", rev)
	}
	c, err := git(ctx, dir, "rev-parse", "--verify", "--quiet", "--end-of-options", rev+"^{commit}")
	if err != nil || c == "" {
		return "", fmt.Errorf("%q is no commit of the repository at %s", rev, dir)
	}
	return c, nil
}

// exportTree writes the tree of commit below sub (a directory of the repository, "" for all of
// it) into dst, read from git's objects: the working tree and the index are never touched.
// Links are kept as links; entries that would land outside dst are refused.
func exportTree(ctx context.Context, top, commit, sub, dst string) error {
	args := []string{"archive", "--format=tar", commit}
	if sub != "" && sub != "." {
		// With the module files of the directories above it: DIR may be a package of a
		// module whose go.mod (or go.work) lies at the repository's root.
		above, err := moduleFilesAbove(ctx, top, commit, sub)
		if err != nil {
			return err
		}
		args = append(append(args, "--", sub), above...)
	}
	cmd := gitCommand(ctx, top, args...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	werr := untar(out, dst)
	if werr != nil {
		_, _ = io.Copy(io.Discard, out)
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git archive: %s", strings.TrimSpace(errb.String()))
	}
	return werr
}

// moduleFiles are the files that make a directory a Go module or workspace.
var moduleFiles = map[string]bool{"go.mod": true, "go.sum": true, "go.work": true, "go.work.sum": true}

// moduleFilesAbove lists the module files that commit holds in the directories above sub,
// the repository's root included.
func moduleFilesAbove(ctx context.Context, top, commit, sub string) ([]string, error) {
	var out []string
	for dir := path.Dir(sub); ; dir = path.Dir(dir) {
		args := []string{"ls-tree", "--name-only", commit}
		if dir != "." {
			args = append(args, "--", dir+"/")
		}
		names, err := git(ctx, top, args...)
		if err != nil {
			return nil, err
		}
		for _, n := range strings.Split(names, "\n") {
			if moduleFiles[path.Base(n)] {
				out = append(out, n)
			}
		}
		if dir == "." {
			return out, nil
		}
	}
}

func untar(r io.Reader, dst string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading git archive: %w", err)
		}
		name := path.Clean(h.Name)
		if name == "." || name == "pax_global_header" {
			continue
		}
		if path.IsAbs(name) || name == ".." || strings.HasPrefix(name, "../") {
			return fmt.Errorf("git archive: entry %q lies outside the tree", h.Name)
		}
		target := filepath.Join(dst, filepath.FromSlash(name))
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			if err != nil {
				return err
			}
			_, err = io.Copy(f, tr)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
		case tar.TypeSymlink:
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			if err := os.Symlink(h.Linkname, target); err != nil {
				return err
			}
		}
	}
}

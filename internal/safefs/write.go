package safefs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// WriteFile writes a file the user named whole or not at all. A link is followed to its target.
// A regular target, or none, gets the data through a temporary file beside it that is renamed
// over it once complete, keeping its mode. A target that is not a regular file (/dev/null, a
// pipe, a terminal) is written straight through and never replaced: cleave often runs as root
// in CI, where replacing /dev/null with a file would break the machine.
func WriteFile(name string, data []byte) error {
	target := name
	if fi, err := os.Lstat(name); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		real, err := filepath.EvalSymlinks(name)
		if err != nil {
			return fmt.Errorf("%s is a link to nothing that exists", name)
		}
		target = real
	}
	fi, err := os.Stat(target)
	switch {
	case err == nil && fi.IsDir():
		return fmt.Errorf("%s is a directory", name)
	case err == nil && !fi.Mode().IsRegular():
		f, err := os.OpenFile(target, os.O_WRONLY|os.O_TRUNC, 0)
		if err != nil {
			return err
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	}
	mode := os.FileMode(0o644)
	if err == nil {
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), mode); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), target)
}

// WriteIn writes rel inside root as WriteFile does, refusing a rel that is, or links to,
// anything outside root: a repository's .cleave-baseline.yaml that links to /etc/passwd must
// not let --update-baseline, run as root, overwrite it.
func WriteIn(root, rel string, data []byte) error {
	name := filepath.Join(root, filepath.FromSlash(rel))
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return err
	}
	target := name
	if _, err := os.Lstat(name); err == nil {
		if target, err = filepath.EvalSymlinks(name); err != nil {
			return fmt.Errorf("%s is a link to nothing that exists", name)
		}
	} else if dir, err := filepath.EvalSymlinks(filepath.Dir(name)); err == nil {
		target = filepath.Join(dir, filepath.Base(name))
	}
	if r, err := filepath.Rel(realRoot, target); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return &Error{Path: name, Err: ErrOutside, Detail: "it links outside the analysed directory"}
	}
	return WriteFile(target, data)
}

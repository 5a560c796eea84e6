// Package safefs reads the files a repository's content names without trusting that content:
// only regular files, never outside the analysed directory once links are resolved, never more
// than a size cap per kind of file. cleave runs in CI on pull requests from strangers, often as
// root; a Dockerfile that links to /dev/zero, a FIFO named compose.yaml or a sqlc.yaml naming
// ../../etc must cost a warning, not memory, a hang or a read of someone else's file.
package safefs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Size caps, by kind of file. Each is far above what a real file of the kind holds.
const (
	GoFile   int64 = 8 << 20  // generated Go files above this are data, not code worth parsing
	Manifest int64 = 8 << 20  // Dockerfiles, Makefiles, compose, Kubernetes, serverless, SAM
	SQL      int64 = 16 << 20 // sqlc query and schema files
	GoMod    int64 = 4 << 20  // go.mod and go.work
	Config   int64 = 1 << 20  // .cleave.yaml, answers files, sqlc.yaml
	Baseline int64 = 16 << 20 // a baseline lists every accepted finding
	Pack     int64 = 4 << 20  // rule packs
)

// Errors a read can fail with besides the operating system's; each is wrapped in an error
// naming the file.
var (
	ErrNotRegular = errors.New("not a regular file")
	ErrOutside    = errors.New("outside the analysed directory")
	ErrTooLarge   = errors.New("too large")
)

// Error is a file cleave would not read, and why.
type Error struct {
	Path   string // as the caller named it
	Err    error  // ErrNotRegular, ErrOutside, ErrTooLarge or the operating system's error
	Detail string // what exactly: "a named pipe", "12.0 MB, over the 8 MB limit"
}

func (e *Error) Error() string {
	if errors.Is(e.Err, ErrNotRegular) {
		return fmt.Sprintf("%s: %s, not a regular file", e.Path, e.Detail)
	}
	if Skipped(e) {
		return fmt.Sprintf("%s: %s", e.Path, e.Detail)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Skipped reports whether err is a file cleave chose not to read (as opposed to one that
// does not exist or could not be opened).
func Skipped(err error) bool {
	return errors.Is(err, ErrNotRegular) || errors.Is(err, ErrOutside) || errors.Is(err, ErrTooLarge)
}

// Reason words why a file was not read, without its name (the caller's warning names it).
func Reason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		if errors.Is(err, ErrNotRegular) {
			return "skipped: " + e.Detail + ", not a regular file"
		}
		if Skipped(err) {
			return "skipped: " + e.Detail
		}
		err = e.Err
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// ReadFile reads a file the user named (a flag's value): it may lie anywhere, but it must be
// a regular file once links are followed, and no larger than limit.
func ReadFile(name string, limit int64) ([]byte, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, err
	}
	if err := check(name, fi, limit); err != nil {
		return nil, err
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAll(name, f, limit)
}

// ReadIn reads rel (slash-separated, relative to root) when it resolves to a regular file
// inside root, links included, of at most limit bytes.
func ReadIn(root, rel string, limit int64) ([]byte, error) {
	r, err := openRoot(root)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return readInRoot(r, rel, limit)
}

// ReadAs is ReadIn whose errors name the file as shown, not as rel.
func ReadAs(root, rel, shown string, limit int64) ([]byte, error) {
	data, err := ReadIn(root, rel, limit)
	var e *Error
	if errors.As(err, &e) {
		e.Path = shown
	}
	return data, err
}

// Root reads many files of one directory, each confined as ReadIn confines it.
type Root struct{ r *os.Root }

// OpenRoot opens dir for confined reads.
func OpenRoot(dir string) (*Root, error) {
	r, err := openRoot(dir)
	if err != nil {
		return nil, err
	}
	return &Root{r}, nil
}

// ReadFile reads rel, relative to the root.
func (r *Root) ReadFile(rel string, limit int64) ([]byte, error) { return readInRoot(r.r, rel, limit) }

// Stat describes rel, following links that stay inside the root.
func (r *Root) Stat(rel string) (fs.FileInfo, error) {
	fi, err := r.r.Stat(filepath.FromSlash(rel))
	if err != nil && escapes(err) {
		return nil, &Error{Path: rel, Err: ErrOutside, Detail: "it links outside the analysed directory"}
	}
	return fi, err
}

// Check reports whether rel is a regular file inside the root, links followed, of at most
// limit bytes (a negative limit: any size); when it is not, the error says why.
func (r *Root) Check(rel string, limit int64) error {
	fi, err := r.Stat(rel)
	if err != nil {
		return err
	}
	return check(rel, fi, limit)
}

// Head reads at most the first n bytes of rel, a regular file inside the root.
func (r *Root) Head(rel string, n int) ([]byte, error) {
	if err := r.Check(rel, -1); err != nil {
		return nil, err
	}
	f, err := r.r.Open(filepath.FromSlash(rel))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return nil, &Error{Path: rel, Err: ErrNotRegular, Detail: "a file replaced while read"}
	}
	buf := make([]byte, n)
	m, err := io.ReadFull(f, buf)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	return buf[:m], nil
}

// ReadDir lists the directory rel, relative to the root.
func (r *Root) ReadDir(rel string) ([]fs.DirEntry, error) {
	if fi, err := r.Stat(rel); err != nil {
		return nil, err
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("%s: not a directory", rel)
	}
	f, err := r.r.Open(filepath.FromSlash(rel))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.ReadDir(-1)
}

// Close releases the root.
func (r *Root) Close() error { return r.r.Close() }

// openRoot is os.OpenRoot whose error for a file says ENOTDIR, as os.Open's would.
func openRoot(dir string) (*os.Root, error) {
	if fi, err := os.Stat(dir); err != nil {
		return nil, err
	} else if !fi.IsDir() {
		return nil, &fs.PathError{Op: "open", Path: dir, Err: syscall.ENOTDIR}
	}
	return os.OpenRoot(dir)
}

func readInRoot(r *os.Root, rel string, limit int64) ([]byte, error) {
	name := filepath.FromSlash(rel)
	fi, err := r.Stat(name)
	if err != nil {
		if escapes(err) {
			return nil, &Error{Path: rel, Err: ErrOutside, Detail: "it links outside the analysed directory"}
		}
		return nil, err
	}
	if err := check(rel, fi, limit); err != nil {
		return nil, err
	}
	f, err := r.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readAll(rel, f, limit)
}

// escapes reports whether an os.Root refused a path for leaving the root.
func escapes(err error) bool {
	return err != nil && strings.Contains(err.Error(), "escapes from parent")
}

// check refuses what is not a regular file, or is larger than limit (a negative limit: any size).
func check(name string, fi fs.FileInfo, limit int64) error {
	if !fi.Mode().IsRegular() {
		return &Error{Path: name, Err: ErrNotRegular, Detail: kind(fi.Mode())}
	}
	if limit >= 0 && fi.Size() > limit {
		return &Error{Path: name, Err: ErrTooLarge, Detail: fmt.Sprintf("%s, over the %s limit for this kind of file", Size(fi.Size()), Size(limit))}
	}
	return nil
}

// readAll reads an open file, stopping one byte past the limit: a file can grow after Stat.
// The buffer is sized from the file's size, as os.ReadFile sizes it.
func readAll(name string, f *os.File, limit int64) ([]byte, error) {
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := check(name, fi, limit); err != nil { // what was opened, not what was looked at
		return nil, err
	}
	data := make([]byte, 0, fi.Size()+512)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if int64(len(data)) > limit {
			return nil, &Error{Path: name, Err: ErrTooLarge, Detail: fmt.Sprintf("over the %s limit for this kind of file", Size(limit))}
		}
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // grow
		}
	}
}

func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}

// Size writes a size for people: 0.5 KB, 41.2 KB, 3.0 MB (binary units).
func Size(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
}

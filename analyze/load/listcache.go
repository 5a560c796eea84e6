package load

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/cleave-dev/cleave/analyze/astutil"
	"github.com/cleave-dev/cleave/analyze/model"
)

// The listing cache keeps what the go command said of a tree's packages, so that a run after
// an edit that cannot change it (a function body, a comment below the imports) does not ask
// again. An entry is found by what the listing depends on besides the files' contents: the
// cleave executable, the go command, the GO* and CGO_* environment, the tree's layout (its
// .go files, its module and workspace files). It holds, besides the listing, each file's
// content digest and the digest of its header (everything up to the end of its imports: the
// build constraints, the package clause, the imports). It serves only if every file whose
// content changed kept its header (a file with a //go:embed directive is all header). Two
// things are assumed not to change in between: the go command's module cache does not lose
// modules, and no file that a //go:embed pattern matches is removed.

// ListCache is the cache's directory; the zero value caches nothing.
type ListCache struct {
	Dir string
	// Listing, when set, is called as the go command is about to list the packages: the cores
	// are idle while it does.
	Listing func()
}

// list runs the go command.
func (c ListCache) list(ctx context.Context, t *Tree, tests bool) (map[string]*listed, []model.Warning) {
	if c.Listing != nil {
		c.Listing()
	}
	return ListPackages(ctx, t, tests)
}

// CacheDir is where cleave caches, given the value of CLEAVE_CACHE_DIR: that directory, or
// cleave/ in the user cache directory when it is empty; "" (no cache) when it is "off" or
// there is no user cache directory.
func CacheDir(env string) string {
	switch env {
	case "off":
		return ""
	case "":
		d, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		return filepath.Join(d, "cleave")
	}
	return env
}

// FileSums gives each file's content digest and header digest, reading it if need be.
type FileSums interface {
	Sum(rel string) (sum string, ok bool)
	Header(rel string) (sum string, ok bool)
}

// listEntry is one cached listing.
type listEntry struct {
	Files    map[string]fileSums `json:"files"` // by slash path relative to the root
	Packages []cachedPackage     `json:"packages"`
	Warnings []model.Warning     `json:"warnings"`
}

type fileSums struct {
	Sum    string `json:"sum"`
	Header string `json:"header"`
}

type cachedPackage struct {
	Path, Name, Dir, GoMod, ModDir string
	Files                          []string // relative to the root, with /
	TestOnly                       bool
}

// maxListEntries bounds the cache: past it, the entries least recently used go.
const maxListEntries = 64

// List returns the listing of the tree from the cache when an entry serves, else from the go
// command, storing it. hit says which.
func (c ListCache) List(ctx context.Context, t *Tree, tests bool, sums FileSums) (byDir map[string]*listed, warns []model.Warning, hit bool) {
	if c.Dir == "" || sums == nil {
		byDir, warns = c.list(ctx, t, tests)
		return byDir, warns, false
	}
	key, err := t.listKey(tests)
	if err != nil {
		byDir, warns = c.list(ctx, t, tests)
		return byDir, warns, false
	}
	file := filepath.Join(c.Dir, "list", key+".json")
	if e, ok := readEntry(file); ok && e.serves(t, sums) {
		now := time.Now()
		_ = os.Chtimes(file, now, now) // most recently used
		return e.listing(t), slices.Clone(e.Warnings), true
	}
	byDir, warns = c.list(ctx, t, tests)
	if ctx.Err() == nil {
		if e, ok := newEntry(t, byDir, warns, sums); ok {
			c.store(file, e)
		}
	}
	return byDir, warns, false
}

// listKey digests what the listing depends on besides the files' contents.
func (t *Tree) listKey(tests bool) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "cleave list cache 1\x00%s\x00%v\x00", t.root, tests)
	if err := ToolStamp(h); err != nil {
		return "", err
	}
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GO") || strings.HasPrefix(kv, "CGO_") {
			env = append(env, kv)
		}
	}
	sort.Strings(env)
	fmt.Fprintf(h, "%q\x00%s\x00%s\x00%q\x00%q\x00", env, t.workFile, t.enclosing, t.ModDirs, t.hidden)
	fmt.Fprintf(h, "%q\x00%q\x00", t.GoFiles, t.listedOnly)
	// The module and workspace files, wherever the go command reads them.
	var meta []string
	for _, d := range t.ModDirs {
		for _, n := range []string{"go.mod", "go.sum", "vendor/modules.txt"} {
			meta = append(meta, filepath.Join(t.root, filepath.FromSlash(d), n))
		}
	}
	if t.workFile != "" {
		meta = append(meta, filepath.Join(t.root, t.workFile), filepath.Join(t.root, t.workFile)+".sum")
	}
	if t.enclosing != "" {
		meta = append(meta, filepath.Join(t.enclosing, "go.mod"), filepath.Join(t.enclosing, "go.sum"))
	}
	for _, p := range meta {
		data, err := os.ReadFile(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			fmt.Fprintf(h, "%s\x00-\x00", p)
		case err != nil:
			return "", err
		default:
			fmt.Fprintf(h, "%s\x00%x\x00", p, sha256.Sum256(data))
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:32], nil
}

// ToolStamp writes into h what identifies the cleave executable and the go command it runs:
// their paths, sizes and modification times.
func ToolStamp(h io.Writer) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	for _, p := range []string{exe, goCommand()} {
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00%d\x00", p, fi.Size(), fi.ModTime().UnixNano())
	}
	return nil
}

// goCommand is the go command cleave runs.
func goCommand() string {
	p, err := exec.LookPath("go")
	if err != nil {
		return "go"
	}
	return p
}

// serves reports whether the entry holds the tree's listing: every file it lists is there,
// and each one whose content changed kept its header.
func (e *listEntry) serves(t *Tree, sums FileSums) bool {
	if len(e.Files) != len(t.GoFiles) {
		return false
	}
	for _, f := range t.GoFiles {
		was, ok := e.Files[f]
		if !ok {
			return false
		}
		sum, ok := sums.Sum(f)
		if !ok {
			return false
		}
		if sum == was.Sum {
			continue
		}
		if h, ok := sums.Header(f); !ok || h != was.Header {
			return false
		}
	}
	return true
}

func (e *listEntry) listing(t *Tree) map[string]*listed {
	out := make(map[string]*listed, len(e.Packages))
	for _, p := range e.Packages {
		l := &listed{path: p.Path, name: p.Name, dir: p.Dir, goMod: p.GoMod, modDir: p.ModDir, testOnly: p.TestOnly}
		for _, f := range p.Files {
			l.files = append(l.files, filepath.Join(t.root, filepath.FromSlash(f)))
		}
		out[p.Dir] = l
	}
	return out
}

func newEntry(t *Tree, byDir map[string]*listed, warns []model.Warning, sums FileSums) (*listEntry, bool) {
	e := &listEntry{Files: make(map[string]fileSums, len(t.GoFiles)), Warnings: slices.Clone(warns)}
	digests := make([]fileSums, len(t.GoFiles))
	failed := make([]bool, len(t.GoFiles))
	astutil.Parallel(len(t.GoFiles), func(i int) { // a header is read by parsing the imports
		sum, ok1 := sums.Sum(t.GoFiles[i])
		head, ok2 := sums.Header(t.GoFiles[i])
		digests[i], failed[i] = fileSums{sum, head}, !ok1 || !ok2
	})
	for i, f := range t.GoFiles {
		if failed[i] {
			return nil, false
		}
		e.Files[f] = digests[i]
	}
	for _, l := range byDir {
		p := cachedPackage{Path: l.path, Name: l.name, Dir: l.dir, GoMod: l.goMod, ModDir: l.modDir, TestOnly: l.testOnly}
		for _, f := range l.files {
			p.Files = append(p.Files, model.RelSlash(t.root, f))
		}
		e.Packages = append(e.Packages, p)
	}
	sort.Slice(e.Packages, func(i, j int) bool { return e.Packages[i].Dir < e.Packages[j].Dir })
	return e, true
}

func readEntry(file string) (*listEntry, bool) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, false
	}
	var e listEntry
	if json.Unmarshal(data, &e) != nil {
		return nil, false // a damaged entry is a miss, and is replaced
	}
	return &e, true
}

// store writes an entry, and keeps the cache within its bounds.
func (c ListCache) store(file string, e *listEntry) {
	if storeJSON(file, e) {
		prune(filepath.Dir(file), maxListEntries)
	}
}

// storeJSON writes v as JSON into file whole (a temporary file renamed over it), and reports
// whether it did. A cache that cannot be written is no error: the next run computes again.
func storeJSON(file string, v any) bool {
	data, err := json.Marshal(v)
	return err == nil && storeFile(file, data)
}

// storeFile writes data into file whole, as storeJSON does.
func storeFile(file string, data []byte) bool {
	dir := filepath.Dir(file)
	if os.MkdirAll(dir, 0o755) != nil {
		return false
	}
	tmp, err := os.CreateTemp(dir, ".entry-*")
	if err != nil {
		return false
	}
	_, werr := tmp.Write(data)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), file) != nil {
		os.Remove(tmp.Name())
		return false
	}
	return true
}

// prune removes the entries least recently used past the first keep.
func prune(dir string, keep int) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	type aged struct {
		name string
		mod  time.Time
	}
	var all []aged
	for _, d := range ents {
		if fi, err := d.Info(); err == nil && fi.Mode().IsRegular() && isEntry(d.Name()) {
			all = append(all, aged{d.Name(), fi.ModTime()})
		}
	}
	if len(all) <= keep {
		return
	}
	sort.Slice(all, func(i, j int) bool { return all[i].mod.After(all[j].mod) })
	for _, a := range all[keep:] {
		os.Remove(filepath.Join(dir, a.name))
	}
}

// CacheStatus says what the cache in dir holds: its entries and their size in bytes. A cache
// not made yet holds nothing; a dir that is no directory is an error.
func CacheStatus(dir string) (entries int, size int64, err error) {
	byKind, size, err := CacheCounts(dir)
	for _, n := range byKind {
		entries += n
	}
	return entries, size, err
}

// CacheCounts is CacheStatus with the entries counted by kind ("list", "facts", "scans").
func CacheCounts(dir string) (byKind map[string]int, size int64, err error) {
	if err := isCacheDir(dir); err != nil {
		return nil, 0, err
	}
	byKind = map[string]int{}
	for _, kind := range cacheKinds {
		ents, err := os.ReadDir(filepath.Join(dir, kind))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, 0, err
		}
		for _, d := range ents {
			if fi, err := d.Info(); err == nil && fi.Mode().IsRegular() && isEntry(d.Name()) {
				byKind[kind]++
				size += fi.Size()
			}
		}
	}
	return byKind, size, nil
}

// cacheKinds are the directories of the cache's kinds of entry: package listings, the facts
// of the typed pass (FactsCache), and the scans of files (ScanCache).
var cacheKinds = []string{"list", "facts", "scans"}

// isEntry reports whether a file of the cache's is an entry: not a temporary file on its way
// to being one.
func isEntry(name string) bool {
	return strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".bin")
}

// CleanCache removes every entry of the cache in dir, and the directories cleave made for them.
func CleanCache(dir string) error {
	if err := isCacheDir(dir); err != nil {
		return err
	}
	for _, kind := range cacheKinds {
		if err := os.RemoveAll(filepath.Join(dir, kind)); err != nil {
			return err
		}
	}
	return nil
}

// isCacheDir reports an error when dir exists and is no directory.
func isCacheDir(dir string) error {
	fi, err := os.Stat(dir)
	if err == nil && !fi.IsDir() {
		return fmt.Errorf("%s is not a directory (CLEAVE_CACHE_DIR names the cache's directory, or off)", dir)
	}
	return nil
}

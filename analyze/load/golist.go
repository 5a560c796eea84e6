package load

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/mod/modfile"
	"golang.org/x/tools/go/packages"

	"github.com/cleave-dev/cleave/analyze/astutil"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/recognize"
	"github.com/cleave-dev/cleave/internal/safefs"
)

// loadGroup is one invocation of the go command: a set of patterns run in one directory.
type loadGroup struct {
	dir      string // absolute
	patterns []string
	env      []string
	subject  string // what a failure is about, for warnings
	// goMod is a single module's go.mod, relative to the root: the one a listing that fails
	// for want of go.sum entries may retry with a completed copy (see completedSums).
	goMod string
}

// groups plans the go command invocations: one for the modules of go.work, one per other module.
// gowork, when set, is the copy of go.work the workspace group uses.
func (t *Tree) groups(env []string, gowork string) ([]loadGroup, []model.Warning) {
	if t.enclosing != "" {
		return []loadGroup{{dir: t.root, patterns: []string{"./..."}, env: env, subject: "."}}, nil
	}
	var warns []model.Warning
	inWork := map[string]bool{}
	var gs []loadGroup
	if t.workFile != "" {
		dirs, err := workspaceDirs(t.root, t.workFile)
		if err != nil {
			warns = append(warns, model.Warning{Subject: t.workFile, Message: "ignored: " + err.Error()})
		} else {
			g := loadGroup{dir: t.root, env: env, subject: t.workFile}
			if gowork != "" {
				g.env = append(env[:len(env):len(env)], "GOWORK="+gowork)
			}
			for _, d := range dirs {
				if !slices.Contains(t.ModDirs, d) {
					continue // a use directive outside the analysed tree
				}
				inWork[d] = true
				g.patterns = append(g.patterns, "./"+path.Join(d, "..."))
			}
			if len(g.patterns) > 0 {
				gs = append(gs, g)
			}
		}
	}
	noWork := append(env[:len(env):len(env)], "GOWORK=off")
	for _, d := range t.ModDirs {
		if inWork[d] {
			continue
		}
		gs = append(gs, loadGroup{dir: filepath.Join(t.root, filepath.FromSlash(d)), patterns: []string{"./..."}, env: noWork,
			subject: d + "/go.mod", goMod: path.Join(d, "go.mod")})
	}
	return gs, warns
}

// goEnv is the environment of the go command: the user's, with GOTOOLCHAIN=local unless
// the user chose otherwise, so that loading never downloads a toolchain, and without a
// GOFLAGS -mod=mod, which would let go list rewrite the repository's go.mod and go.sum.
func goEnv() []string {
	env := os.Environ()
	if _, ok := os.LookupEnv("GOTOOLCHAIN"); !ok {
		env = append(env, "GOTOOLCHAIN=local")
	}
	if flags, ok := os.LookupEnv("GOFLAGS"); ok {
		var kept []string
		for _, f := range strings.Fields(flags) {
			if f != "-mod=mod" && f != "--mod=mod" {
				kept = append(kept, f)
			}
		}
		env = append(env, "GOFLAGS="+strings.Join(kept, " "))
	}
	return env
}

// sandbox holds what keeps the go command from reading or writing what it must not: an
// overlay that hides the .go files that are not regular files (a FIFO would hang go list), and
// a copy of go.work outside the repository, so that go.work.sum is written there and not into
// the analysed tree. Its files live in a temporary directory that cleanup removes.
type sandbox struct {
	dir     string
	flags   []string // -overlay, when files are hidden
	gowork  string   // GOWORK for the workspace group, when there is a go.work
	cleanup func()
}

func (t *Tree) sandbox() (*sandbox, error) {
	sb := &sandbox{cleanup: func() {}}
	if len(t.hidden) == 0 && t.workFile == "" {
		return sb, nil
	}
	dir, err := os.MkdirTemp("", "cleave-golist-")
	if err != nil {
		return nil, err
	}
	sb.dir, sb.cleanup = dir, func() { os.RemoveAll(dir) }
	if len(t.hidden) > 0 {
		replace := map[string]string{}
		for _, f := range t.hidden {
			replace[f] = "" // an empty replacement: the file does not exist
		}
		data, err := json.Marshal(map[string]any{"Replace": replace})
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, "overlay.json"), data, 0o600)
		}
		if err != nil {
			sb.cleanup()
			return nil, err
		}
		sb.flags = []string{"-overlay=" + filepath.Join(dir, "overlay.json")}
	}
	if t.workFile != "" {
		if err := t.copyWork(dir); err != nil {
			sb.cleanup()
			return nil, err
		}
		sb.gowork = filepath.Join(dir, "go.work")
	}
	return sb, nil
}

// sumsMissing reports whether go list failed for want of go.sum entries (or of go.mod lines the
// go command would add): what a copy of the module's files, completed outside the repository,
// can mend.
func sumsMissing(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "missing go.sum entry") || strings.Contains(msg, "updates to go.mod needed")
}

// completedSums copies a module's go.mod and go.sum into a temporary directory and returns the
// flags that have the go command read that copy and complete it there (-modfile, -mod=mod):
// the repository's own files are neither read by the go command nor written.
func (t *Tree) completedSums(goMod string) (flags []string, cleanup func(), err error) {
	data, err := safefs.ReadIn(t.root, goMod, safefs.GoMod)
	if err != nil {
		return nil, nil, err
	}
	dir, err := os.MkdirTemp("", "cleave-gomod-")
	if err != nil {
		return nil, nil, err
	}
	cleanup = func() { os.RemoveAll(dir) }
	copyMod := filepath.Join(dir, "go.mod")
	err = os.WriteFile(copyMod, data, 0o600)
	if sum, serr := safefs.ReadIn(t.root, path.Join(path.Dir(goMod), "go.sum"), safefs.Baseline); err == nil && serr == nil {
		err = os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o600)
	}
	if err != nil {
		cleanup()
		return nil, nil, err
	}
	return []string{"-modfile=" + copyMod, "-mod=mod"}, cleanup, nil
}

// copyWork writes go.work, its relative paths made absolute, and go.work.sum into dir.
func (t *Tree) copyWork(dir string) error {
	data, err := safefs.ReadIn(t.root, t.workFile, safefs.GoMod)
	if err != nil {
		return err
	}
	wf, err := modfile.ParseWork(t.workFile, data, nil)
	if err != nil {
		return err
	}
	abs := func(p string) string {
		if filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(t.root, filepath.FromSlash(p))
	}
	out := &modfile.WorkFile{Syntax: &modfile.FileSyntax{}}
	if wf.Go != nil {
		if err := out.AddGoStmt(wf.Go.Version); err != nil {
			return err
		}
	}
	if wf.Toolchain != nil {
		if err := out.AddToolchainStmt(wf.Toolchain.Name); err != nil {
			return err
		}
	}
	for _, g := range wf.Godebug {
		if err := out.AddGodebug(g.Key, g.Value); err != nil {
			return err
		}
	}
	for _, u := range wf.Use {
		if rel := model.RelSlash(t.root, abs(u.Path)); rel == ".." || strings.HasPrefix(rel, "../") {
			continue // a module outside the analysed tree is not read; go resolves it as a dependency
		}
		if err := out.AddUse(abs(u.Path), u.ModulePath); err != nil {
			return err
		}
	}
	for _, r := range wf.Replace {
		newPath := r.New.Path
		if r.New.Version == "" && modfile.IsDirectoryPath(newPath) {
			newPath = abs(newPath)
		}
		if err := out.AddReplace(r.Old.Path, r.Old.Version, newPath, r.New.Version); err != nil {
			return err
		}
	}
	out.Cleanup()
	if err := os.WriteFile(filepath.Join(dir, "go.work"), modfile.Format(out.Syntax), 0o600); err != nil {
		return err
	}
	sum, err := safefs.ReadIn(t.root, path.Join(path.Dir(t.workFile), "go.work.sum"), safefs.Baseline)
	if err != nil {
		return nil // none yet, or none cleave will read: the go command starts one in dir
	}
	return os.WriteFile(filepath.Join(dir, "go.work.sum"), sum, 0o600)
}

// listed is what go list tells of one package directory, before its files are read.
type listed struct {
	path, name, dir, goMod, modDir string
	files                          []string // absolute
	testOnly                       bool
}

// ListPackages runs the go command for every group, in parallel, and merges what it reports.
// A failing group or package becomes a warning; the rest goes on.
func ListPackages(ctx context.Context, t *Tree, tests bool) (map[string]*listed, []model.Warning) {
	sb, err := t.sandbox()
	if err != nil {
		return nil, []model.Warning{{Subject: ".", Message: "go list not run: " + err.Error()}}
	}
	defer sb.cleanup()
	gs, warns := t.groups(goEnv(), sb.gowork)
	mode := packages.NeedName | packages.NeedFiles | packages.NeedModule
	type out struct {
		pkgs []*packages.Package
		err  error
		// completed: listed with a copy of go.mod and go.sum that the go command completed
		completed bool
	}
	outs := make([]out, len(gs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))
	for i, g := range gs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			cfg := &packages.Config{Context: ctx, Mode: mode, Dir: g.dir, Env: g.env, Tests: tests, BuildFlags: sb.flags}
			outs[i].pkgs, outs[i].err = packages.Load(cfg, g.patterns...)
			if outs[i].err != nil && g.goMod != "" && sumsMissing(outs[i].err) && ctx.Err() == nil {
				flags, cleanup, err := t.completedSums(g.goMod)
				if err != nil {
					return
				}
				defer cleanup()
				cfg.BuildFlags = append(slices.Clip(sb.flags), flags...)
				if pkgs, err := packages.Load(cfg, g.patterns...); err == nil {
					outs[i] = out{pkgs: pkgs, completed: true}
				}
			}
		}()
	}
	wg.Wait()

	byDir := map[string]*listed{}
	for i, o := range outs {
		if o.err != nil {
			warns = append(warns, model.Warning{Subject: gs[i].subject, Message: "go list failed: " + goListMessage(o.err.Error())})
			continue
		}
		if o.completed {
			warns = append(warns, model.Warning{Subject: gs[i].subject, Message: "go.sum lacks entries the go command needs " +
				"(go mod tidy adds them); the packages were listed with copies of go.mod and go.sum, completed " +
				"from the module proxy outside the repository"})
		}
		for _, p := range o.pkgs {
			rel := model.RelSlash(t.root, p.Dir)
			outside := p.Dir == "" || strings.HasPrefix(rel, "../") || rel == ".."
			for _, e := range p.Errors {
				if e.Kind != packages.ListError && e.Kind != packages.ParseError {
					continue
				}
				subject, msg := p.PkgPath, astutil.FirstLine(e.Msg)
				if !outside {
					subject = rel
				}
				if e.Pos != "" && e.Pos != "-" {
					msg = e.Pos + ": " + msg
				}
				warns = append(warns, model.Warning{Subject: subject, Message: msg})
			}
			if outside || len(p.GoFiles) == 0 {
				continue
			}
			test := strings.HasSuffix(p.PkgPath, ".test") || strings.Contains(p.ID, " [")
			l := byDir[rel]
			if l == nil {
				l = &listed{dir: rel, testOnly: true}
				byDir[rel] = l
			}
			if !test || l.path == "" {
				l.path, l.name = strings.TrimSuffix(p.PkgPath, "_test"), p.Name
				if p.Module != nil {
					l.goMod, l.modDir = p.Module.Path, model.RelSlash(t.root, p.Module.Dir)
				}
			}
			if !test && len(p.GoFiles) > 0 {
				l.testOnly = false
			}
			for _, f := range p.GoFiles {
				if filepath.Dir(f) == p.Dir { // not the generated test main in the build cache
					l.files = append(l.files, f)
				}
			}
		}
	}
	for i := range warns { // no absolute paths: output must not depend on where the repository lies
		if sb.dir != "" {
			warns[i].Message = strings.ReplaceAll(warns[i].Message, filepath.Join(sb.dir, "go.work"), t.workFile)
		}
		warns[i].Message = strings.ReplaceAll(warns[i].Message, t.root+string(filepath.Separator), "")
		warns[i].Message = strings.ReplaceAll(warns[i].Message, t.root, ".")
	}
	for _, l := range byDir {
		sort.Strings(l.files)
		l.files = slices.Compact(l.files)
		if t.enclosing != "" && l.modDir == "" {
			l.modDir = model.RelSlash(t.root, t.enclosing)
		}
	}
	return byDir, warns
}

// goListMessage keeps what matters of a go list failure: the go command's own words, which
// go/packages wraps after "stderr: " (or its own, when the go command said nothing), on one
// line; a first line that only announces the next ("go: errors parsing go.mod:") keeps it.
func goListMessage(msg string) string {
	before, after, ok := strings.Cut(msg, "stderr: ")
	if ok && strings.TrimSpace(after) != "" {
		msg = after
	} else if ok {
		msg = strings.TrimSuffix(strings.TrimSpace(before), ":")
	}
	var lines []string
	for _, l := range strings.Split(msg, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	switch {
	case len(lines) == 0:
		return "no reason given"
	case len(lines) > 1 && strings.HasSuffix(lines[0], ":"):
		return lines[0] + " " + lines[1]
	}
	return lines[0]
}

// ReadPackages reads every file of the listed packages, in parallel: imports with their
// positions, and the calls that tell a program's kind.
// Parse errors are reported only for packages that go list found nothing wrong with (listFailed).
//
// sources, when set, holds files already read (a prefetch): they are not read again.
func ReadPackages(root string, byDir map[string]*listed, listFailed map[string]bool, sources Sources) ([]*model.Package, []model.Warning) {
	dirs := make([]string, 0, len(byDir))
	for d := range byDir {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	pkgs := make([]*model.Package, len(dirs))
	type job struct{ pkg, file int }
	var jobs []job
	for i, d := range dirs {
		l := byDir[d]
		pkgs[i] = &model.Package{Path: l.path, Name: l.name, Dir: l.dir, GoModule: l.goMod, ModDir: l.modDir, HasGoFiles: !l.testOnly}
		for j, f := range l.files {
			pkgs[i].Files = append(pkgs[i].Files, model.RelSlash(root, f))
			jobs = append(jobs, job{i, j})
		}
	}
	results := make([]fileResult, len(jobs))
	astutil.Parallel(len(jobs), func(i int) {
		p := pkgs[jobs[i].pkg]
		rel := p.Files[jobs[i].file]
		r, err := readFile(root, rel, p.GoModule, sources)
		if err != nil {
			r.warn = &model.Warning{Subject: rel, Message: safefs.Reason(err)}
		}
		results[i] = r
	})
	var warns []model.Warning
	// A package is generated when every file is, but for files that only declare values
	// beside the generated ones (Kitex's k-consts.go).
	anyGenerated := map[*model.Package]bool{}
	for _, p := range pkgs {
		p.Generated = p.HasGoFiles // until a file written by hand says otherwise
	}
	for i, j := range jobs {
		p := pkgs[j.pkg]
		if !strings.HasSuffix(p.Files[j.file], "_test.go") {
			p.Generated = p.Generated && (results[i].generated || results[i].valuesOnly)
			anyGenerated[p] = anyGenerated[p] || results[i].generated
			p.HasMainFunc = p.HasMainFunc || results[i].mainFunc
			p.Lines += results[i].lines
		}
		p.Imports = append(p.Imports, results[i].imports...)
		p.Hits = append(p.Hits, results[i].hits...)
		p.SQLText = p.SQLText || results[i].sql
		p.Outbound = p.Outbound || results[i].out
		p.MTLS = p.MTLS || results[i].mtls
		if w := results[i].warn; w != nil && !listFailed[p.Dir] {
			warns = append(warns, *w)
		}
	}
	for _, p := range pkgs {
		p.Generated = p.Generated && anyGenerated[p]
	}
	warns = append(warns, apartModules(pkgs)...)
	return pkgs, warns
}

// apartModules keeps apart the Go modules that declare the same module path (copies of one
// service in a tutorial's chapters, an example next to its original): the go command reads
// each on its own, so an import in one means that module's own package. The first of them by
// directory keeps the path; in each of the others, the packages and the imports of that path
// take it with their module's directory: example.com/shop[tutorial/ch2]/store. So no import
// reaches across copies. One warning says so per path.
func apartModules(pkgs []*model.Package) []model.Warning {
	dirs := map[string][]string{} // module path -> its module directories, sorted
	for _, p := range pkgs {
		if p.GoModule != "" && !slices.Contains(dirs[p.GoModule], p.ModDir) {
			dirs[p.GoModule] = append(dirs[p.GoModule], p.ModDir)
		}
	}
	var warns []model.Warning
	for _, mod := range slices.Sorted(maps.Keys(dirs)) {
		ds := dirs[mod]
		if len(ds) < 2 {
			continue
		}
		slices.Sort(ds)
		for _, p := range pkgs {
			if p.GoModule != mod || p.ModDir == ds[0] {
				continue
			}
			p.Path = model.InCopy(mod, p.ModDir, p.Path)
			for i := range p.Imports {
				p.Imports[i].Path = model.InCopy(mod, p.ModDir, p.Imports[i].Path)
			}
		}
		warns = append(warns, model.Warning{Subject: path.Join(ds[1], "go.mod"),
			Message: fmt.Sprintf("module %s is declared by %d Go modules (%s first): each is read on its own, and the packages of all but the first are shown as %s[<module directory>]/…", mod, len(ds), ds[0], mod)})
	}
	return warns
}

// fileResult is what reading one file tells.
// Sources hands over the content of files already read, waiting for it; ok is false for a
// file it does not hold.
type Sources interface {
	Source(rel string) (src []byte, err error, ok bool)
	// Facts returns what Summarize took from the file's text, ok false if it did not.
	Facts(rel string) (facts []byte, ok bool)
	// Parsed returns the file parsed in full into fset, nil if it was not; intact is false
	// when function bodies were dropped from it.
	Parsed(rel string) (f *ast.File, fset *token.FileSet, intact bool)
	// Imports returns the file's import declarations (their paths, positions and whether
	// they are blank) when its header is known to parse, ok false if it is not.
	Imports(rel string) (imports []model.Import, ok bool)
}

// textFacts is what reading a file takes from its text, before it parses it.
type textFacts struct {
	marks               uint8
	generated, mainFunc bool
	// valuesOnly: the file declares no function and no type, only values (Kitex's k-consts.go
	// beside its generated code).
	valuesOnly bool
	lines      int
}

func readText(src []byte) *textFacts {
	return &textFacts{marks: markers(src), generated: isGenerated(src), mainFunc: declaresMain(src),
		valuesOnly: valuesOnly(src), lines: bytes.Count(src, []byte("\n"))}
}

// encode writes the facts in a few bytes, for the reader ahead to keep (see Summarize).
func (tf *textFacts) encode() []byte {
	var flags byte
	for i, b := range []bool{tf.generated, tf.mainFunc, tf.valuesOnly} {
		if b {
			flags |= 1 << i
		}
	}
	return binary.AppendUvarint([]byte{tf.marks, flags}, uint64(tf.lines))
}

// decodeText reads what encode wrote; nil when it does not decode.
func decodeText(b []byte) *textFacts {
	if len(b) < 3 || b[1]&^7 != 0 {
		return nil
	}
	lines, n := binary.Uvarint(b[2:])
	var canon [binary.MaxVarintLen64]byte
	if n <= 0 || 2+n != len(b) || lines > 1<<31 || binary.PutUvarint(canon[:], lines) != n {
		return nil
	}
	return &textFacts{marks: b[0], generated: b[1]&1 != 0, mainFunc: b[1]&2 != 0, valuesOnly: b[1]&4 != 0, lines: int(lines)}
}

// valuesOnly reports whether no line of a file begins a function or type declaration.
func valuesOnly(src []byte) bool {
	return !startsALine(src, "func ") && !startsALine(src, "func(") && !startsALine(src, "type ")
}

// Summarize reads what the listing takes from a file's text, for a reader that reads the files
// ahead of it (Sources): the facts, whether the content suggests that the typed pass will run
// (it may hold SQL, call another service, or use a database library), and whether the listing
// wants the file's whole tree (a call may tell a program's kind).
func Summarize(src []byte) (facts []byte, worth, wantsTree bool) {
	tf := readText(src)
	return tf.encode(), tf.marks&(markSQL|markCall|markDB) != 0, tf.marks&markHit != 0
}

type fileResult struct {
	imports []model.Import
	hits    []model.Hit
	sql     bool // text that looks like SQL
	mtls    bool // asks for client certificates
	out     bool // text that looks like a call to another service or a message
	// generated: the file says it was generated (// Code generated … DO NOT EDIT.)
	generated  bool
	valuesOnly bool // the file declares only values: no function, no type
	mainFunc   bool // the file declares func main()
	lines      int
	warn       *model.Warning
}

// generatedHeader is Go's convention for generated files: the line must appear before the
// package clause (https://go.dev/s/generatedcode).
var generatedHeader = regexp.MustCompile(`(?m)^// Code generated .* DO NOT EDIT\.$`)

// declaresMain reports whether func main is declared at the start of a line: what the
// multi-line pattern ^func main\(\) matches, found by byte search, which runs on every file
// at memory speed where the pattern, anchored at line starts, has no literal prefix to seek.
func declaresMain(src []byte) bool { return startsALine(src, "func main()") }

// startsALine reports whether a line of src begins with prefix.
func startsALine(src []byte, prefix string) bool {
	return bytes.HasPrefix(src, []byte(prefix)) || bytes.Contains(src, []byte("\n"+prefix))
}

// isGenerated reports whether a file's text before its package clause says it was generated.
func isGenerated(src []byte) bool {
	head := src
	if i := bytes.Index(src, []byte("\npackage ")); i >= 0 {
		head = src[:i]
	}
	return generatedHeader.Match(head)
}

// readFile parses one file: only its imports, unless the text holds a call that may tell a
// program's kind, in which case the whole file is parsed to find it.
func readFile(root, rel, modPath string, sources Sources) (r fileResult, err error) {
	// go list named the file and the walk hid every .go file that is not a regular one inside
	// root; the size cap keeps a huge generated file from costing gigabytes.
	// The text comes from the reader ahead while it holds it, else from the disk.
	source := func() ([]byte, error) {
		if sources != nil {
			if src, err, ok := sources.Source(rel); ok {
				return src, err
			}
		}
		return safefs.ReadFile(filepath.Join(root, filepath.FromSlash(rel)), safefs.GoFile)
	}
	var src []byte
	var tf *textFacts
	if sources != nil {
		if b, ok := sources.Facts(rel); ok {
			tf = decodeText(b)
		}
	}
	if tf == nil {
		if src, err = source(); err != nil {
			return r, err
		}
		tf = readText(src)
	}
	marks := tf.marks
	r.sql, r.out, r.generated, r.valuesOnly = marks&markSQL != 0, marks&markCall != 0, tf.generated, tf.valuesOnly
	r.mainFunc = tf.mainFunc
	r.lines = tf.lines
	r.mtls = marks&markMTLS != 0
	full := marks&markHit != 0
	mode := parser.ImportsOnly | parser.SkipObjectResolution
	if full {
		mode = parser.SkipObjectResolution
	}
	test := strings.HasSuffix(rel, "_test.go")
	if sources != nil && !full {
		// Only the imports are wanted, and the reader ahead knows them (its store of file
		// scans does, for a content it has seen): the file is not parsed at all.
		if imps, ok := sources.Imports(rel); ok {
			for _, imp := range imps {
				imp.File, imp.Test = rel, test
				r.imports = append(r.imports, imp)
			}
			return r, nil
		}
	}
	var fset *token.FileSet
	var f *ast.File
	if sources != nil {
		// A file parsed ahead serves for its imports, and for its calls if no body was
		// dropped from it.
		if pf, pfset, intact := sources.Parsed(rel); pf != nil && (intact || !full) {
			f, fset = pf, pfset
		}
	}
	if f == nil {
		if src == nil {
			if src, err = source(); err != nil {
				return r, err
			}
		}
		fset = token.NewFileSet()
		f, err = parser.ParseFile(fset, rel, src, mode)
	}
	if f == nil {
		return r, err
	}
	if err != nil {
		err = fmt.Errorf("parse error, only part of the file was read: %s", astutil.FirstLine(err.Error()))
	}
	for _, spec := range f.Imports {
		p, uerr := strconv.Unquote(spec.Path.Value)
		if uerr != nil {
			continue
		}
		pos := fset.Position(spec.Path.Pos())
		blank := spec.Name != nil && spec.Name.Name == "_"
		r.imports = append(r.imports, model.Import{Path: p, File: rel, Line: pos.Line, Column: pos.Column, Test: test, Blank: blank})
	}
	if full && !test {
		r.hits = findHits(fset, f, rel, modPath)
	}
	return r, err
}

// responseWriter matches what a handler's response writer is usually called: a Serve that
// takes one writes a response, it starts no server.
var responseWriter = regexp.MustCompile(`(?i)^(w|rw|resp|res|writer)$|\.(Response|Writer|ResponseWriter)$`)

// findHits finds the calls in a file that tell what kind of program runs it (kindCalls). The
// evidence is the call as written (srv.ListenAndServe, lambda.Start). A function of the
// repository's own Go module (modPath) that is merely named Serve is no server: the server it
// starts is found where it is.
func findHits(fset *token.FileSet, f *ast.File, rel, modPath string) []model.Hit {
	names := astutil.ImportNames(f) // local name -> import path
	var active []recognize.KindCall
	for _, kc := range recognize.KindCalls {
		if _, ok := recognize.ImportsPrefix(names, kc.Imports); ok {
			active = append(active, kc)
		}
	}
	hits := valueServerStarts(fset, f, rel, names)
	if len(active) == 0 {
		return hits
	}
	selectorCalls(f, func(fd *ast.FuncDecl, call *ast.CallExpr, sel *ast.SelectorExpr) {
		x, _ := sel.X.(*ast.Ident)
		xPath := ""
		if x != nil {
			xPath = names[x.Name]
		}
		own := xPath != "" && modPath != "" && model.PathMatches(xPath, modPath)
		for _, kc := range active {
			if !recognize.NameMatches(kc.Names, sel.Sel.Name) {
				continue
			}
			if own && !kc.AnyPackage || kc.AnyPackage && xPath == "" {
				continue // a function of the repository's own merely named Serve starts no server
			}
			if kc.Qualified && (xPath == "" || !slices.Contains(kc.Imports, xPath)) {
				continue
			}
			if kc.Listener && (len(call.Args) > 3 || len(call.Args) > 0 && responseWriter.MatchString(types.ExprString(call.Args[0]))) {
				continue
			}
			// A method on a chain that starts at another library (spinner.New().Run) is not
			// this library's, whatever its name.
			if root := chainRoot(sel.X); root != "" && names[root] != "" && !model.PathMatches(names[root], kc.Imports...) {
				continue
			}
			h := model.Hit{Kind: kc.Kind, Call: types.ExprString(sel), File: rel, Line: fset.Position(call.Pos()).Line, MainOnly: kc.MainOnly}
			if kc.Kind == model.KindService && strings.HasPrefix(sel.Sel.Name, "ListenAndServe") {
				h.Aux = listenerPurpose(call, sel, xPath, fd)
				if h.Aux == "" {
					h.Aux = handlerPurpose(fd, names, serverHandler(call, sel, xPath, fd))
				}
				if h.Aux == "" && xPath == "net/http" && len(call.Args) == 2 && types.ExprString(call.Args[1]) == "nil" && blankImports(f, "net/http/pprof") {
					h.Aux = "a debug listener" // the default mux, on which the blank import put pprof
				}
			}
			hits = append(hits, h)
			break
		}
	})
	return hits
}

// selectorCalls calls visit for every call of a selector (pkg.F(), v.M()) in a file's
// declarations, with the function declaration that holds it (nil outside one).
func selectorCalls(f *ast.File, visit func(fd *ast.FuncDecl, call *ast.CallExpr, sel *ast.SelectorExpr)) {
	for _, decl := range f.Decls {
		fd, _ := decl.(*ast.FuncDecl)
		ast.Inspect(decl, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
					visit(fd, call, sel)
				}
			}
			return true
		})
	}
}

// valueServerStarts finds, in a file that does not import net/http, the calls of
// ListenAndServe or ListenAndServeTLS on a value (srv.ListenAndServe(), where srv is the
// *http.Server a repository function built): a server started with a value the file cannot
// name the type of. Such a method starts a server whatever library defines it; the hits
// count in a main package only.
func valueServerStarts(fset *token.FileSet, f *ast.File, rel string, names map[string]string) []model.Hit {
	for _, p := range names {
		if p == "net/http" {
			return nil // found with net/http's own calls
		}
	}
	var hits []model.Hit
	selectorCalls(f, func(fd *ast.FuncDecl, call *ast.CallExpr, sel *ast.SelectorExpr) {
		if sel.Sel.Name != "ListenAndServe" && sel.Sel.Name != "ListenAndServeTLS" {
			return
		}
		if id, ok := sel.X.(*ast.Ident); ok && names[id.Name] != "" {
			return // a package's function, not a value's method
		}
		// Only in the main package itself: in a library such a call may start anything (a
		// test cluster's channel), and the library's own servers are found by their calls.
		h := model.Hit{Kind: model.KindService, Call: types.ExprString(sel), File: rel, Line: fset.Position(call.Pos()).Line, MainOnly: true}
		h.Aux = listenerPurpose(call, sel, "", fd)
		hits = append(hits, h)
	})
	return hits
}

// auxWords mark a listener that serves the program's operators, not its users.
var auxWords = []struct {
	re      *regexp.Regexp
	purpose string
}{
	{regexp.MustCompile(`(?i)health|livez|readyz`), "a health-check listener"},
	{regexp.MustCompile(`(?i)metric`), "a metrics listener"},
	{regexp.MustCompile(`(?i)pprof|debug`), "a debug listener"},
	{regexp.MustCompile(`127\.0\.0\.1|(?i)localhost|\[::1\]`), loopback},
}

// loopback is the purpose of a listener on the loopback address.
const loopback = "a listener on the loopback address"

// listenerPurpose tells an auxiliary HTTP listener (health check, metrics, profiling, a local
// callback) from a server for the program's users, by its address and the server's name:
// http.ListenAndServe(addr, …) or the Addr the enclosing function gives srv before
// srv.ListenAndServe(). It returns "" for a server of the program's own.
func listenerPurpose(call *ast.CallExpr, sel *ast.SelectorExpr, xPath string, fd *ast.FuncDecl) string {
	var texts []string
	if xPath == "net/http" {
		if len(call.Args) > 0 {
			texts = append(texts, types.ExprString(call.Args[0]))
		}
	} else if recv, ok := sel.X.(*ast.Ident); ok {
		texts = append(texts, recv.Name)
		if addr := serverAddr(fd, recv.Name); addr != "" {
			texts = append(texts, addr)
		}
	}
	for _, t := range texts {
		for _, w := range auxWords {
			if w.re.MatchString(t) {
				return w.purpose
			}
		}
	}
	return ""
}

// operatorHandlers are the packages whose handlers serve operators: a function that starts a
// server on one of them (promhttp.HandlerFor on its mux) starts a metrics or debug listener,
// whatever its address is called.
var operatorHandlers = []struct {
	path, purpose string
}{
	{"github.com/prometheus/client_golang/prometheus/promhttp", "a metrics listener"},
	{"github.com/VictoriaMetrics/metrics", "a metrics listener"},
	{"expvar", "a debug listener"},
	{"net/http/pprof", "a debug listener"},
	{"google.golang.org/grpc/health", "a health-check listener"},
}

// blankImports reports whether a file imports path for its side effects only (_ "net/http/pprof").
func blankImports(f *ast.File, path string) bool {
	for _, imp := range f.Imports {
		if imp.Name != nil && imp.Name.Name == "_" && strings.Trim(imp.Path.Value, `"`) == path {
			return true
		}
	}
	return false
}

// serverHandler is the handler a listener serves: the second argument of
// http.ListenAndServe(addr, h), or the Handler of the server literal the enclosing function
// gives srv before srv.ListenAndServe(); nil when it cannot be told.
func serverHandler(call *ast.CallExpr, sel *ast.SelectorExpr, xPath string, fd *ast.FuncDecl) ast.Expr {
	if xPath == "net/http" {
		if len(call.Args) == 2 {
			return call.Args[1]
		}
		return nil
	}
	recv, ok := sel.X.(*ast.Ident)
	if !ok || fd == nil || fd.Body == nil {
		return nil
	}
	var h ast.Expr
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, l := range as.Lhs {
			if id, ok := l.(*ast.Ident); ok && id.Name == recv.Name {
				if v := litField(as.Rhs[i], "Handler"); v != nil {
					h = v
				}
			}
		}
		return true
	})
	return h
}

// litField is the value a composite literal (or its address) gives a field, or nil.
func litField(e ast.Expr, field string) ast.Expr {
	if u, ok := e.(*ast.UnaryExpr); ok {
		e = u.X
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil
	}
	for name, v := range astutil.KeyedFields(lit) {
		if name == field {
			return v
		}
	}
	return nil
}

// handlerPurpose says what a listener's handler serves: an operator's handler
// (promhttp.Handler()), or a mux of the enclosing function on which only such handlers are
// registered (mux.Handle("/metrics", promhttp.HandlerFor(…))); "" when it serves anything else
// or cannot be told.
func handlerPurpose(fd *ast.FuncDecl, names map[string]string, h ast.Expr) string {
	if h == nil {
		return ""
	}
	mentions := func(e ast.Node) (string, bool) {
		purpose, other := "", false
		ast.Inspect(e, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && names[id.Name] != "" {
				found := false
				for _, oh := range operatorHandlers {
					if model.PathMatches(names[id.Name], oh.path) {
						purpose, found = oh.purpose, true
					}
				}
				if !found && names[id.Name] != "net/http" {
					other = true // a handler of another package: the listener may serve users
				}
			}
			return true
		})
		return purpose, purpose != "" && !other
	}
	if p, ok := mentions(h); ok {
		return p
	}
	mux, ok := ast.Unparen(h).(*ast.Ident)
	if !ok || fd == nil || fd.Body == nil {
		return ""
	}
	// The mux the handlers are registered on: the variable, or for a nil handler net/http's
	// default mux (http.HandleFunc).
	onMux := func(id *ast.Ident) bool { return id.Name == mux.Name }
	if mux.Name == "nil" {
		onMux = func(id *ast.Ident) bool { return names[id.Name] == "net/http" }
	}
	purpose, registered, mixed := "", false, false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || (sel.Sel.Name != "Handle" && sel.Sel.Name != "HandleFunc") {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); ok && onMux(id) {
			registered = true
			p, ok := mentions(call)
			if !ok {
				p, ok = routePurpose(call)
			}
			if !ok {
				mixed = true
			} else {
				purpose = p
			}
		}
		return true
	})
	if registered && !mixed {
		return purpose
	}
	return ""
}

// routePurpose tells a route that serves operators by its path (/health, /metrics,
// /debug/vars), whatever handles it.
func routePurpose(call *ast.CallExpr) (string, bool) {
	if len(call.Args) == 0 {
		return "", false
	}
	lit, ok := call.Args[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	route, err := strconv.Unquote(lit.Value)
	if err != nil {
		return "", false
	}
	for _, w := range auxWords {
		if w.purpose != loopback && w.re.MatchString(route) {
			return w.purpose, true
		}
	}
	return "", false
}

// serverAddr finds, in a function, the address given to the server variable name: the Addr of
// the composite literal assigned to it, or an assignment to name.Addr.
func serverAddr(fd *ast.FuncDecl, name string) string {
	if fd == nil || fd.Body == nil {
		return ""
	}
	addr := ""
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != len(as.Rhs) {
			return true
		}
		for i, l := range as.Lhs {
			switch l := l.(type) {
			case *ast.Ident:
				if l.Name == name {
					if v := addrField(as.Rhs[i]); v != "" {
						addr = v
					}
				}
			case *ast.SelectorExpr:
				if id, ok := l.X.(*ast.Ident); ok && id.Name == name && l.Sel.Name == "Addr" {
					addr = types.ExprString(as.Rhs[i])
				}
			}
		}
		return true
	})
	return addr
}

// addrField returns the Addr of a server literal (&http.Server{Addr: …} or http.Server{…}).
func addrField(e ast.Expr) string {
	if v := litField(e, "Addr"); v != nil {
		return types.ExprString(v)
	}
	return ""
}

// chainRoot returns the identifier a call chain starts from: spinner in spinner.New().Title(t),
// "" when the receiver is no chain of calls.
func chainRoot(e ast.Expr) string {
	chain := false
	for {
		switch x := e.(type) {
		case *ast.CallExpr:
			e, chain = x.Fun, true
		case *ast.SelectorExpr:
			e = x.X
		case *ast.Ident:
			if chain {
				return x.Name
			}
			return ""
		default:
			return ""
		}
	}
}

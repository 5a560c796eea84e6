package typed

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"sync"

	"github.com/cleave-dev/cleave/analyze/astutil"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/internal/safefs"
)

// TypedRepo is the repository's own code parsed in full and type-checked from source. Every
// import from outside the repository (the standard library included) is an empty package, so
// nothing is compiled or downloaded: expressions of outside types are invalid, while the
// repository's own types, functions, methods and constants are exact. That is what the call
// graph and the database detectors need.
type TypedRepo struct {
	fset   *token.FileSet
	Pkgs   []*typedPkg // sorted by directory
	ByPath map[string]*typedPkg
	// Memo keeps what recognisers read once (gorm's naming strategy, a package's gRPC services).
	Memo sync.Map
	// Values are the configuration libraries' readers of values (viper keys, CLI flags), which
	// the resolver asks before it gives up on an expression.
	Values []ValueReader
	// Fields are the readers of fields of configuration structs a library fills from a file
	// (go-zero's conf.MustLoad(path, &c)), asked where a chain of fields is read from a
	// variable: c.DB.DataSource.
	Fields []FieldReader
	// library reports whether an import is one a recogniser reads; nil keeps every body.
	library   func(path string) bool
	libraries sync.Map  // import path -> whether it is a library's
	pre       *Prefetch // files parsed ahead, into fset
	// Whole lists the files (slash paths relative to the root) whose text the pass read beyond
	// their skeletons (see Prefetch.Skeleton), sorted; only when a library predicate is set.
	Whole []string
	// root is the repository's directory; configs holds the digests of the configuration files
	// recognisers read (ReadConfig), by slash path relative to it.
	root      string
	configsMu sync.Mutex
	configs   map[string]string
}

// ReadConfig reads a configuration file that the repository's code loads (an ini file), by
// its slash path relative to the repository's root, never outside it, and remembers its
// digest: facts taken from it are only as good as it stays (ConfigFiles).
func (tr *TypedRepo) ReadConfig(rel string) ([]byte, error) {
	data, err := safefs.ReadIn(tr.root, rel, safefs.Config)
	sum := "-"
	if err == nil {
		sum = contentSum(data)
	}
	tr.configsMu.Lock()
	defer tr.configsMu.Unlock()
	if tr.configs == nil {
		tr.configs = map[string]string{}
	}
	tr.configs[rel] = sum
	return data, err
}

// ConfigFiles returns the configuration files read so far with their digests ("-" for one
// that could not be read).
func (tr *TypedRepo) ConfigFiles() map[string]string {
	tr.configsMu.Lock()
	defer tr.configsMu.Unlock()
	return maps.Clone(tr.configs)
}

// ConfigSum is the digest ReadConfig records for a file's content.
func ConfigSum(data []byte) string { return contentSum(data) }

// EachFile calls fn for every parsed file of the repository with its import names.
func (tr *TypedRepo) EachFile(fn func(f *ast.File, imports map[string]string)) {
	for _, tp := range tr.Pkgs {
		for _, f := range tp.files {
			fn(f, tp.imports[f])
		}
	}
}

type typedPkg struct {
	Pkg *model.Package
	// bodies is false for a package checked without function bodies: it can reach no
	// database code, so only its declarations matter.
	Bodies bool
	files  []*ast.File
	// imports maps each file to its import names: local name -> import path.
	imports map[*ast.File]map[string]string
	Types   *types.Package
	info    *types.Info
	once    sync.Once
	// bodies are what the function bodies of the package name, until it is settled which
	// matter; fileIndex maps each parsed file to its index in Pkg.Files.
	bodies    []*bodyFacts
	fileIndex []int
	importsMu sync.Mutex
	// lean is set for a package whose bodies are checked but where no recogniser can fire: no
	// body is left and no package-level value names a library or holds a literal. Only its
	// definitions are recorded; the packages that import it see its declarations all the same.
	lean bool
	// fields holds the values the package's code gives struct fields, read once (fieldValues).
	fieldsOnce sync.Once
	fields     map[types.Object]ast.Expr
	// fieldSets holds every value each field is set to in the package, in source order.
	fieldSets map[types.Object][]ast.Expr
	// flags holds the constant defaults of the variables the package's flag calls bind (flagDefaults).
	flagsOnce sync.Once
	flags     map[types.Object]string
}

// typeCheck parses and checks the given packages, dependencies first, on every core; the
// function bodies of those that bodies does not hold are skipped, and so are those of the
// others that cannot matter to a recogniser of a library (see stripBodies), unless library
// is nil.
func typeCheck(root string, pkgs []*model.Package, bodies map[*model.Package]bool, library func(path string) bool, pre *Prefetch) *TypedRepo {
	tr := &TypedRepo{fset: token.NewFileSet(), ByPath: map[string]*typedPkg{}, library: library, root: root}
	if pre != nil && library != nil {
		tr.fset, tr.pre = pre.fset, pre
		pre.Parse() // unless the files were dropped already
	}
	for _, p := range pkgs {
		tp := &typedPkg{Pkg: p, imports: map[*ast.File]map[string]string{}, Bodies: bodies[p]}
		tr.Pkgs = append(tr.Pkgs, tp)
		tr.ByPath[p.Path] = tp
	}
	sort.Slice(tr.Pkgs, func(i, j int) bool { return tr.Pkgs[i].Pkg.Dir < tr.Pkgs[j].Pkg.Dir })
	// Import cycles (broken code) are cut where the depth-first walk meets them.
	deps := map[*typedPkg][]*typedPkg{}
	state := map[*typedPkg]int{} // 1 visiting, 2 done
	var visit func(tp *typedPkg)
	visit = func(tp *typedPkg) {
		state[tp] = 1
		for _, imp := range tp.Pkg.Imports {
			dep := tr.ByPath[imp.Path]
			if dep == nil || dep == tp || imp.Test || state[dep] == 1 || slices.Contains(deps[tp], dep) {
				continue
			}
			if state[dep] == 0 {
				visit(dep)
			}
			deps[tp] = append(deps[tp], dep)
		}
		state[tp] = 2
	}
	for _, tp := range tr.Pkgs {
		if state[tp] == 0 {
			visit(tp)
		}
	}
	if library != nil {
		// Every package is parsed before any is checked: which bodies matter is a question
		// about the whole repository.
		astutil.Parallel(len(tr.Pkgs), func(i int) { tr.parse(root, tr.Pkgs[i]) })
		tr.pre.Wait() // what was parsed ahead for packages not checked here is dropped
		tr.stripBodies(root)
	}
	// One pool of workers: a package is checked as soon as its imports are; while none is
	// ready, idle workers parse packages ahead.
	waiting := map[*typedPkg]int{}
	dependents := map[*typedPkg][]*typedPkg{}
	var ready []*typedPkg
	for _, tp := range tr.Pkgs {
		waiting[tp] = len(deps[tp])
		for _, d := range deps[tp] {
			dependents[d] = append(dependents[d], tp)
		}
		if waiting[tp] == 0 {
			ready = append(ready, tp)
		}
	}
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	left, nextParse := len(tr.Pkgs), 0
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			defer mu.Unlock()
			for {
				for len(ready) == 0 && nextParse >= len(tr.Pkgs) && left > 0 {
					cond.Wait()
				}
				if left == 0 {
					return
				}
				if len(ready) > 0 {
					tp := ready[len(ready)-1]
					ready = ready[:len(ready)-1]
					mu.Unlock()
					tr.parse(root, tp)
					tr.check(tp)
					mu.Lock()
					left--
					for _, d := range dependents[tp] {
						if waiting[d]--; waiting[d] == 0 {
							ready = append(ready, d)
						}
					}
					cond.Broadcast()
					continue
				}
				tp := tr.Pkgs[nextParse]
				nextParse++
				mu.Unlock()
				tr.parse(root, tp)
				mu.Lock()
			}
		}()
	}
	wg.Wait()
	return tr
}

// parse reads a package's files once, whichever worker asks first. Where bodies are checked
// and a library predicate is set, the bodies that cannot matter by themselves are dropped as
// each file is parsed (see stripBodies).
func (tr *TypedRepo) parse(root string, tp *typedPkg) {
	tp.once.Do(func() {
		seen := map[string]bool{}
		for i, file := range tp.Pkg.Files {
			f, bodies := tr.pre.parsedFile(file)
			ahead := f != nil
			if ahead && !tp.Bodies && slices.ContainsFunc(bodies, func(b *bodyFacts) bool { return b.early }) {
				// Bodies dropped ahead, in a package that keeps them all for the
				// recognisers that read its code by its syntax (a TableName method).
				f, ahead = nil, false
			}
			if !ahead {
				f = tr.parseFile(root, file)
			}
			if f != nil && f.Name != nil && f.Name.Name == tp.Pkg.Name {
				tp.files = append(tp.files, f)
				tp.fileIndex = append(tp.fileIndex, i)
				tp.imports[f] = tr.repoNames(tp, f, astutil.ImportNamesUsed(f))
				switch {
				case tr.library == nil || !tp.Bodies:
				case ahead:
					for _, b := range bodies {
						b.file = len(tp.files) - 1
					}
					tp.bodies = append(tp.bodies, bodies...)
				default:
					tr.readBodies(tp, len(tp.files)-1, seen)
				}
			}
		}
	})
}

// repoNames names the imports of the repository's own packages by the names those declare
// (…/user/service/v1 is package v1), not by what their paths suggest; a name the file gives an
// import itself stays. In a copy of a Go module, the paths are its own packages' (CopyImport).
func (tr *TypedRepo) repoNames(tp *typedPkg, f *ast.File, names map[string]string) map[string]string {
	for n, p := range names {
		names[n] = tp.Pkg.CopyImport(p)
	}
	for _, spec := range f.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		p = tp.Pkg.CopyImport(p)
		dep := tr.ByPath[p]
		if err != nil || spec.Name != nil || dep == nil || dep.Pkg.Name == "" {
			continue
		}
		if q, taken := names[dep.Pkg.Name]; taken && q != p {
			continue // another import claims the name: the file cannot use it for this one
		}
		for n, q := range names {
			if q == p {
				delete(names, n)
			}
		}
		names[dep.Pkg.Name] = p
	}
	return names
}

// parseFile parses one file of the repository; nil when it cannot be read.
func (tr *TypedRepo) parseFile(root, file string) *ast.File {
	src, err := safefs.ReadFile(filepath.Join(root, filepath.FromSlash(file)), safefs.GoFile)
	if err != nil {
		return nil
	}
	f, _ := parser.ParseFile(tr.fset, file, src, parser.SkipObjectResolution)
	return f
}

func (tr *TypedRepo) check(tp *typedPkg) {
	stubs := map[string]*types.Package{}
	names := stubNames(tp)
	imp := importerFunc(func(p string) (*types.Package, error) {
		if dep := tr.ByPath[tp.Pkg.CopyImport(p)]; dep != nil && dep.Types != nil {
			return dep.Types, nil
		}
		if s := stubs[p]; s != nil {
			return s, nil
		}
		name, ok := names[p]
		if !ok {
			name = astutil.GuessName(p)
		}
		s := types.NewPackage(p, name)
		s.MarkComplete()
		stubs[p] = s
		return s, nil
	})
	conf := types.Config{Importer: imp, Error: func(error) {}, FakeImportC: true, IgnoreFuncBodies: !tp.Bodies}
	tp.info = &types.Info{Defs: map[*ast.Ident]types.Object{}}
	if !tp.lean {
		tp.info.Types = map[ast.Expr]types.TypeAndValue{}
		tp.info.Uses = map[*ast.Ident]types.Object{}
		tp.info.Selections = map[*ast.SelectorExpr]*types.Selection{}
	}
	tp.Types, _ = conf.Check(tp.Pkg.Path, tr.fset, tp.files, tp.info)
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// stubNames maps each outside package a package's files import without a name of their own
// to the one they qualify it with where that is not the name its path suggests
// (ImportNamesUsed).
func stubNames(tp *typedPkg) map[string]string {
	out := map[string]string{}
	for _, f := range tp.files {
		aliased := map[string]bool{}
		plain := map[string]bool{}
		for _, spec := range f.Imports {
			if p, err := strconv.Unquote(spec.Path.Value); err == nil {
				if spec.Name != nil {
					aliased[spec.Name.Name] = true
				} else {
					plain[p] = true
				}
			}
		}
		for name, p := range tp.imports[f] {
			if _, done := out[p]; !done && plain[p] && !aliased[name] && name != astutil.GuessName(p) {
				out[p] = name
			}
		}
	}
	return out
}

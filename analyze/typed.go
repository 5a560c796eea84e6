package analyze

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
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
)

// typedRepo is the repository's own code parsed in full and type-checked from source. Every
// import from outside the repository (the standard library included) is an empty package, so
// nothing is compiled or downloaded: expressions of outside types are invalid, while the
// repository's own types, functions, methods and constants are exact. That is what the call
// graph and the database detectors need.
type typedRepo struct {
	fset   *token.FileSet
	pkgs   []*typedPkg // sorted by directory
	byPath map[string]*typedPkg
}

type typedPkg struct {
	pkg *Package
	// bodies is false for a package checked without function bodies: it can reach no
	// database code, so only its declarations matter.
	bodies bool
	files  []*ast.File
	// imports maps each file to its import names: local name -> import path.
	imports map[*ast.File]map[string]string
	types   *types.Package
	info    *types.Info
	once    sync.Once
}

// importsAny reports whether the package imports one of the given paths (or a package below one).
func (p *Package) importsAny(prefixes ...string) bool {
	for _, imp := range p.Imports {
		if imp.Test {
			continue
		}
		for _, pre := range prefixes {
			if imp.Path == pre || strings.HasPrefix(imp.Path, pre+"/") {
				return true
			}
		}
	}
	return false
}

// typeCheck parses and checks the given packages, dependencies first, on every core; the
// function bodies of those that bodies does not hold are skipped.
func typeCheck(root string, pkgs []*Package, bodies map[*Package]bool) *typedRepo {
	tr := &typedRepo{fset: token.NewFileSet(), byPath: map[string]*typedPkg{}}
	for _, p := range pkgs {
		tp := &typedPkg{pkg: p, imports: map[*ast.File]map[string]string{}, bodies: bodies[p]}
		tr.pkgs = append(tr.pkgs, tp)
		tr.byPath[p.Path] = tp
	}
	sort.Slice(tr.pkgs, func(i, j int) bool { return tr.pkgs[i].pkg.Dir < tr.pkgs[j].pkg.Dir })
	// Import cycles (broken code) are cut where the depth-first walk meets them.
	deps := map[*typedPkg][]*typedPkg{}
	state := map[*typedPkg]int{} // 1 visiting, 2 done
	var visit func(tp *typedPkg)
	visit = func(tp *typedPkg) {
		state[tp] = 1
		for _, imp := range tp.pkg.Imports {
			dep := tr.byPath[imp.Path]
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
	for _, tp := range tr.pkgs {
		if state[tp] == 0 {
			visit(tp)
		}
	}
	// One pool of workers: a package is checked as soon as its imports are; while none is
	// ready, idle workers parse packages ahead.
	waiting := map[*typedPkg]int{}
	dependents := map[*typedPkg][]*typedPkg{}
	var ready []*typedPkg
	for _, tp := range tr.pkgs {
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
	left, nextParse := len(tr.pkgs), 0
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			defer mu.Unlock()
			for {
				for len(ready) == 0 && nextParse >= len(tr.pkgs) && left > 0 {
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
				tp := tr.pkgs[nextParse]
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

// parse reads a package's files once, whichever worker asks first.
func (tr *typedRepo) parse(root string, tp *typedPkg) {
	tp.once.Do(func() {
		for _, file := range tp.pkg.Files {
			src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
			if err != nil {
				continue
			}
			f, _ := parser.ParseFile(tr.fset, file, src, parser.SkipObjectResolution)
			if f != nil && f.Name != nil && f.Name.Name == tp.pkg.Name {
				tp.files = append(tp.files, f)
				tp.imports[f] = importNames(f)
			}
		}
	})
}

func (tr *typedRepo) check(tp *typedPkg) {
	stubs := map[string]*types.Package{}
	imp := importerFunc(func(p string) (*types.Package, error) {
		if dep := tr.byPath[p]; dep != nil && dep.types != nil {
			return dep.types, nil
		}
		if s := stubs[p]; s != nil {
			return s, nil
		}
		s := types.NewPackage(p, guessName(p))
		s.MarkComplete()
		stubs[p] = s
		return s, nil
	})
	conf := types.Config{Importer: imp, Error: func(error) {}, FakeImportC: true, IgnoreFuncBodies: !tp.bodies}
	tp.info = &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
	}
	tp.types, _ = conf.Check(tp.pkg.Path, tr.fset, tp.files, tp.info)
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

var versionSuffix = regexp.MustCompile(`^v[0-9]+$`)

// guessName guesses a package's name from its import path, as `go doc` would without the source.
func guessName(p string) string {
	base := path.Base(p)
	if versionSuffix.MatchString(base) && path.Dir(p) != "." {
		base = path.Base(path.Dir(p))
	}
	if i := strings.Index(base, ".v"); i > 0 { // gopkg.in/yaml.v3
		base = base[:i]
	}
	base = strings.TrimPrefix(strings.TrimSuffix(base, "-go"), "go-")
	return strings.NewReplacer("-", "_", ".", "_").Replace(base)
}

// importNames maps each import's local name to its path.
func importNames(f *ast.File) map[string]string {
	names := map[string]string{}
	for _, spec := range f.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			continue
		}
		name := guessName(p)
		if spec.Name != nil {
			name = spec.Name.Name
		}
		names[name] = p
	}
	return names
}

// parallel runs fn(0..n-1) on every core.
func parallel(n int, fn func(i int)) {
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < min(n, runtime.GOMAXPROCS(0)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

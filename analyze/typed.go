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
	"sort"
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
	pkg   *Package
	files []*ast.File
	// imports maps each file to its import names: local name -> import path.
	imports map[*ast.File]map[string]string
	types   *types.Package
	info    *types.Info
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

// typeCheck parses and checks the given packages, dependencies first, on every core.
func typeCheck(root string, pkgs []*Package) *typedRepo {
	tr := &typedRepo{fset: token.NewFileSet(), byPath: map[string]*typedPkg{}}
	for _, p := range pkgs {
		tp := &typedPkg{pkg: p, imports: map[*ast.File]map[string]string{}}
		tr.pkgs = append(tr.pkgs, tp)
		tr.byPath[p.Path] = tp
	}
	// Parse every file in parallel.
	type job struct {
		tp   *typedPkg
		i    int
		file string
	}
	var jobs []job
	for _, tp := range tr.pkgs {
		tp.files = make([]*ast.File, len(tp.pkg.Files))
		for i, f := range tp.pkg.Files {
			jobs = append(jobs, job{tp, i, f})
		}
	}
	parallel(len(jobs), func(k int) {
		j := jobs[k]
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(j.file)))
		if err != nil {
			return
		}
		f, _ := parser.ParseFile(tr.fset, j.file, src, parser.SkipObjectResolution)
		j.tp.files[j.i] = f
	})
	for _, tp := range tr.pkgs {
		files := tp.files[:0]
		for _, f := range tp.files {
			if f != nil && f.Name != nil && f.Name.Name == tp.pkg.Name {
				files = append(files, f)
				tp.imports[f] = importNames(f)
			}
		}
		tp.files = files
	}
	// Check level by level: a package's level is one more than its deepest repository import.
	level := map[*typedPkg]int{}
	state := map[*typedPkg]int{} // 1 visiting, 2 done
	var visit func(tp *typedPkg) int
	visit = func(tp *typedPkg) int {
		if state[tp] == 2 {
			return level[tp]
		}
		if state[tp] == 1 {
			return -1 // an import cycle in broken code: the edge is ignored
		}
		state[tp] = 1
		l := 0
		for _, imp := range tp.pkg.Imports {
			if dep := tr.byPath[imp.Path]; dep != nil && dep != tp && !imp.Test {
				l = max(l, visit(dep)+1)
			}
		}
		state[tp], level[tp] = 2, l
		return l
	}
	maxLevel := 0
	for _, tp := range tr.pkgs {
		maxLevel = max(maxLevel, visit(tp))
	}
	byLevel := make([][]*typedPkg, maxLevel+1)
	for _, tp := range tr.pkgs {
		byLevel[level[tp]] = append(byLevel[level[tp]], tp)
	}
	for _, lv := range byLevel {
		parallel(len(lv), func(i int) { tr.check(lv[i]) })
	}
	return tr
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
	conf := types.Config{Importer: imp, Error: func(error) {}, FakeImportC: true}
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
		p := strings.Trim(spec.Path.Value, "`\"")
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

// sortedTyped returns the typed packages in directory order.
func (tr *typedRepo) sorted() []*typedPkg {
	out := append([]*typedPkg{}, tr.pkgs...)
	sort.Slice(out, func(i, j int) bool { return out[i].pkg.Dir < out[j].pkg.Dir })
	return out
}

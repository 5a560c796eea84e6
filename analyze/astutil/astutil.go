// Package astutil holds small helpers for reading Go source that several stages share.
package astutil

import (
	"go/ast"
	"go/token"
	"iter"
	"path"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

var versionSuffix = regexp.MustCompile(`^v[0-9]+$`)

// LastElem returns the last element of an import or module path, skipping a major-version
// suffix: github.com/x/tool/v2 gives tool.
func LastElem(p string) string {
	base := path.Base(p)
	if versionSuffix.MatchString(base) && path.Dir(p) != "." {
		base = path.Base(path.Dir(p))
	}
	return base
}

// GuessName guesses a package's name from its import path, as `go doc` would without the source.
func GuessName(p string) string {
	base := LastElem(p)
	if i := strings.Index(base, ".v"); i > 0 { // gopkg.in/yaml.v3
		base = base[:i]
	}
	base = strings.TrimPrefix(strings.TrimSuffix(base, "-go"), "go-")
	if !strings.ContainsAny(base, "-.") {
		return base // most paths: nothing to replace, nothing to allocate
	}
	return nameReplacer.Replace(base)
}

// nameReplacer turns what an import path's element may hold and an identifier may not into _.
var nameReplacer = strings.NewReplacer("-", "_", ".", "_")

// ImportNames maps each import's local name to its path.
func ImportNames(f *ast.File) map[string]string {
	names := map[string]string{}
	for _, spec := range f.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		if err != nil {
			continue
		}
		name := GuessName(p)
		if spec.Name != nil {
			name = spec.Name.Name
		}
		names[name] = p
	}
	return names
}

// ImportNamesUsed is ImportNames, with the names the file's code shows: an import whose
// guessed name the file never uses as a qualifier takes the one qualifier that the file uses,
// that no other import claims, and that begins its path's last element (pkg.NewClient for
// …/hashicups-client-go, whose package is hashicups; nats.Connect for …/nats.go).
func ImportNamesUsed(f *ast.File) map[string]string {
	names := ImportNames(f)
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok && ast.IsExported(sel.Sel.Name) {
				used[id.Name] = true
			}
		}
		return true
	})
	for _, spec := range f.Imports {
		p, err := strconv.Unquote(spec.Path.Value)
		guess := GuessName(p)
		if err != nil || spec.Name != nil || used[guess] || names[guess] != p {
			continue
		}
		elem := strings.ToLower(strings.NewReplacer("-", "", "_", "", ".", "").Replace(LastElem(p)))
		var pick []string
		for u := range used {
			if _, taken := names[u]; !taken && len(u) >= 3 && strings.HasPrefix(elem, strings.ToLower(u)) {
				pick = append(pick, u)
			}
		}
		if len(pick) == 1 {
			delete(names, guess)
			names[pick[0]] = p
		}
	}
	return names
}

// Parallel runs fn(0..n-1) on every core.
func Parallel(n int, fn func(i int)) {
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

func FirstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// KeyedFields yields the fields a composite literal sets by name (Config{Addr: a}): each
// field's name and its value, in source order; elements without a named key are skipped.
func KeyedFields(lit *ast.CompositeLit) iter.Seq2[string, ast.Expr] {
	return func(yield func(string, ast.Expr) bool) {
		for _, el := range lit.Elts {
			kv, ok := el.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			if k, ok := kv.Key.(*ast.Ident); ok && !yield(k.Name, kv.Value) {
				return
			}
		}
	}
}

// Addressed returns what an expression takes the address of (x for &x, parentheses aside), or
// the expression itself.
func Addressed(e ast.Expr) ast.Expr {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		return ast.Unparen(u.X)
	}
	return e
}

// TypeName returns the name of the type a type expression names: T, *T, pkg.T, T[X].
func TypeName(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.ParenExpr:
			e = t.X
		case *ast.IndexExpr:
			e = t.X
		case *ast.IndexListExpr:
			e = t.X
		case *ast.SelectorExpr:
			return t.Sel.Name
		case *ast.Ident:
			return t.Name
		default:
			return ""
		}
	}
}

package typed

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	xastutil "golang.org/x/tools/go/ast/astutil"
)

// fileAt returns the file of the package that holds pos, or nil.
func (tp *typedPkg) fileAt(pos token.Pos) *ast.File {
	for _, f := range tp.files {
		if f.Pos() <= pos && pos < f.End() {
			return f
		}
	}
	return nil
}

// declaring returns the struct field or value spec (var, const) whose name is declared at pos,
// and the file holding pos; the node is nil when no such declaration names pos. Only the
// nodes that enclose pos are visited, not the whole file.
func (tp *typedPkg) declaring(pos token.Pos) (ast.Node, *ast.File) {
	f := tp.fileAt(pos)
	if f == nil {
		return nil, nil
	}
	path, _ := xastutil.PathEnclosingInterval(f, pos, pos)
	if len(path) < 2 {
		return nil, f
	}
	id, ok := path[0].(*ast.Ident)
	if !ok || id.Pos() != pos {
		return nil, f
	}
	switch n := path[1].(type) {
	case *ast.Field:
		if slices.Contains(n.Names, id) {
			return n, f
		}
	case *ast.ValueSpec:
		if slices.Contains(n.Names, id) {
			return n, f
		}
	}
	return nil, f
}

// enclosingDecl returns the function declaration of the package that holds pos, or nil.
func (tp *typedPkg) enclosingDecl(pos token.Pos) *ast.FuncDecl {
	f := tp.fileAt(pos)
	if f == nil {
		return nil
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Pos() <= pos && pos < fd.End() {
			return fd
		}
	}
	return nil
}

// eachParam calls fn with each parameter name of a function declaration and the parameter's
// index (an unnamed parameter takes an index too), until fn returns false.
func eachParam(fd *ast.FuncDecl, fn func(name *ast.Ident, i int) bool) {
	if fd.Type.Params == nil {
		return
	}
	i := 0
	for _, field := range fd.Type.Params.List {
		for _, n := range field.Names {
			if !fn(n, i) {
				return
			}
			i++
		}
		if len(field.Names) == 0 {
			i++
		}
	}
}

// paramIndex maps the parameters a function declaration defines to their index.
func paramIndex(info *types.Info, fd *ast.FuncDecl) map[types.Object]int {
	out := map[types.Object]int{}
	eachParam(fd, func(n *ast.Ident, i int) bool {
		if obj := info.Defs[n]; obj != nil {
			out[obj] = i
		}
		return true
	})
	return out
}

package deployables

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cleave-dev/cleave/analyze/astutil"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/internal/safefs"
)

// components finds the units a multi-role binary runs on its own: the roles it chooses at run
// time, each running repository code of its own that reaches a server, a consumer or a
// function handler. Roles are the string cases of a switch in the main package (a subcommand,
// -target=…, a role in the config), or the subcommands it declares as cobra or urfave/cli
// commands (in the main package or a command package it imports). They are deployed as so many
// services.
func components(root string, p *model.Package, byPath map[string]*model.Package) []model.Component {
	fset := token.NewFileSet()
	var groups [][]option
	var commands []option
	funcs := map[string]*ast.FuncDecl{}
	type parsed struct {
		f     *ast.File
		names map[string]string
	}
	var files []parsed
	for _, q := range commandPackages(p, byPath) {
		for _, file := range q.Files {
			src, err := safefs.ReadFile(filepath.Join(root, filepath.FromSlash(file)), safefs.GoFile)
			if err != nil {
				continue
			}
			f, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
			if f == nil || err != nil {
				continue
			}
			files = append(files, parsed{f, astutil.ImportNames(f)})
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
					funcs[fd.Name.Name] = fd
				}
			}
		}
	}
	for _, pf := range files {
		ast.Inspect(pf.f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SwitchStmt:
				groups = append(groups, switchOptions(n, pf.names, byPath, fset))
			case *ast.CompositeLit:
				if o, ok := commandOption(n, pf.names, byPath, funcs, fset); ok {
					commands = append(commands, o)
				}
			}
			return true
		})
	}
	groups = append(groups, commands)
	var out []model.Component
	for _, g := range groups {
		if cs := componentsOf(g, byPath); len(cs) >= 2 {
			out = append(out, cs...)
		}
	}
	if len(out) < 2 {
		return nil
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return slices.CompactFunc(out, func(a, b model.Component) bool { return a.Name == b.Name })
}

// option is one role a binary may take: its label, where it is chosen and the repository
// packages it runs.
type option struct {
	label string
	pos   token.Position
	roots []*model.Package
}

// commandPackages are the packages that may declare a binary's roles: the main package, and
// the command packages it imports (named cmd, commands or cli, or under its own directory).
func commandPackages(p *model.Package, byPath map[string]*model.Package) []*model.Package {
	out := []*model.Package{p}
	for _, imp := range p.Imports {
		q := byPath[imp.Path]
		if q == nil || imp.Test || q == p {
			continue
		}
		if q.Name == "cmd" || q.Name == "commands" || q.Name == "cli" || strings.HasPrefix(q.Dir, p.Dir+"/") {
			out = append(out, q)
		}
	}
	return out
}

// switchOptions reads the string cases of one switch.
func switchOptions(sw *ast.SwitchStmt, names map[string]string, byPath map[string]*model.Package, fset *token.FileSet) []option {
	var out []option
	for _, stmt := range sw.Body.List {
		cc, ok := stmt.(*ast.CaseClause)
		if !ok || len(cc.List) == 0 {
			continue
		}
		lit, ok := cc.List[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			continue
		}
		label, _ := strconv.Unquote(lit.Value)
		if label == "" {
			continue
		}
		o := option{label: label, pos: fset.Position(cc.Pos())}
		for _, s := range cc.Body {
			o.roots = addRoots(o.roots, s, names, byPath)
		}
		out = append(out, o)
	}
	return out
}

// commandOption reads a cobra or urfave/cli command literal: its Use or Name, and the packages
// its Run, RunE or Action runs (a function literal, a function of the file's package, or one
// of another package).
func commandOption(lit *ast.CompositeLit, names map[string]string, byPath map[string]*model.Package, funcs map[string]*ast.FuncDecl, fset *token.FileSet) (option, bool) {
	sel, ok := lit.Type.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Command" {
		return option{}, false
	}
	if id, ok := sel.X.(*ast.Ident); !ok || !model.PathMatches(names[id.Name], "github.com/spf13/cobra", "github.com/urfave/cli") {
		return option{}, false
	}
	o := option{pos: fset.Position(lit.Pos())}
	for field, value := range astutil.KeyedFields(lit) {
		switch field {
		case "Use", "Name":
			if b, ok := value.(*ast.BasicLit); ok && b.Kind == token.STRING {
				use, _ := strconv.Unquote(b.Value)
				o.label, _, _ = strings.Cut(use, " ")
			}
		case "Run", "RunE", "Action":
			switch v := value.(type) {
			case *ast.FuncLit:
				o.roots = addRoots(o.roots, v.Body, names, byPath)
			case *ast.Ident:
				if fd := funcs[v.Name]; fd != nil && fd.Body != nil {
					o.roots = addRoots(o.roots, fd.Body, names, byPath)
				}
			default:
				o.roots = addRoots(o.roots, v, names, byPath)
			}
		}
	}
	return o, o.label != ""
}

// addRoots adds the repository packages a piece of code refers to by their package names.
func addRoots(roots []*model.Package, n ast.Node, names map[string]string, byPath map[string]*model.Package) []*model.Package {
	ast.Inspect(n, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				if q := byPath[names[id.Name]]; q != nil && !slices.Contains(roots, q) {
					roots = append(roots, q)
				}
			}
		}
		return true
	})
	return roots
}

// componentsOf makes components of the options that run repository packages of their own
// (those every option shares, a server helper, say, aside) reaching a runtime kind. Options
// that pick a transport for the same code (grpc or http over one set of handlers) share their
// packages and make none.
func componentsOf(opts []option, byPath map[string]*model.Package) []model.Component {
	uses := map[*model.Package]int{}
	for _, o := range opts {
		for _, q := range o.roots {
			uses[q]++
		}
	}
	var out []model.Component
	for _, o := range opts {
		var own []*model.Package
		for _, q := range o.roots {
			if uses[q] == 1 { // this option's alone
				own = append(own, q)
			}
		}
		if len(own) == 0 {
			continue
		}
		kind, ev := reachKind(own, byPath)
		if kind != model.KindService && kind != model.KindWorker && kind != model.KindFunction {
			continue
		}
		var dirs []string
		for _, q := range own {
			dirs = append(dirs, q.Dir)
		}
		sort.Strings(dirs)
		out = append(out, model.Component{Name: o.label, Kind: kind, Packages: dirs,
			Evidence: []string{fmt.Sprintf("%s:%d runs it when chosen: %s", o.pos.Filename, o.pos.Line, ev)}})
	}
	return out
}

// reachKind is the strongest kind the packages reach, breadth-first over their imports, with
// its evidence; auxiliary listeners and main-only calls do not count.
func reachKind(roots []*model.Package, byPath map[string]*model.Package) (string, string) {
	var best *model.Hit
	walkReach(roots, byPath, func(q *model.Package) {
		for i := range q.Hits {
			h := &q.Hits[i]
			if h.MainOnly || h.Aux != "" || h.Kind == model.KindRoutes {
				continue
			}
			if best == nil || kindRank(h.Kind) > kindRank(best.Kind) {
				best = h
			}
		}
	})
	if best == nil {
		return model.KindCLI, ""
	}
	return best.Kind, fmt.Sprintf("%s:%d calls %s", best.File, best.Line, best.Call)
}

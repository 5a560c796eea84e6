package deployables

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/cleave-dev/cleave/analyze/astutil"
	"github.com/cleave-dev/cleave/analyze/model"
)

// components finds the units a multi-role binary runs on its own: a switch in its main package
// whose cases, chosen at run time (a subcommand, -target=…, a role in the config), each reach a
// server, a consumer or a function handler of their own. They are deployed as so many services.
func components(root string, p *model.Package, byPath map[string]*model.Package) []model.Component {
	var out []model.Component
	fset := token.NewFileSet()
	for _, file := range p.Files {
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
		if err != nil {
			continue
		}
		f, err := parser.ParseFile(fset, file, src, parser.SkipObjectResolution)
		if f == nil || err != nil {
			continue
		}
		names := astutil.ImportNames(f)
		ast.Inspect(f, func(n ast.Node) bool {
			sw, ok := n.(*ast.SwitchStmt)
			if !ok {
				return true
			}
			if cs := switchComponents(sw, names, byPath, fset); len(cs) >= 2 {
				out = append(out, cs...)
			}
			return true
		})
	}
	if len(out) < 2 {
		return nil
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return dedupeComponents(out)
}

// switchComponents reads one switch: every case labelled by a string literal that runs
// repository packages of its own (those all cases share, a server helper, say, aside) which
// reach a runtime kind is a component. Cases that pick a transport for the same code (grpc or
// http over one set of handlers) share their packages and make none.
func switchComponents(sw *ast.SwitchStmt, names map[string]string, byPath map[string]*model.Package, fset *token.FileSet) []model.Component {
	type option struct {
		label string
		pos   token.Pos
		roots []*model.Package
	}
	var opts []option
	uses := map[*model.Package]int{}
	for _, stmt := range sw.Body.List {
		cc, ok := stmt.(*ast.CaseClause)
		if !ok || len(cc.List) == 0 {
			continue
		}
		label := ""
		if lit, ok := cc.List[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			label, _ = strconv.Unquote(lit.Value)
		}
		if label == "" {
			continue
		}
		o := option{label: label, pos: cc.Pos()}
		seen := map[*model.Package]bool{}
		for _, s := range cc.Body {
			ast.Inspect(s, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					if id, ok := sel.X.(*ast.Ident); ok {
						if q := byPath[names[id.Name]]; q != nil && !seen[q] {
							seen[q] = true
							o.roots = append(o.roots, q)
							uses[q]++
						}
					}
				}
				return true
			})
		}
		opts = append(opts, o)
	}
	var out []model.Component
	for _, o := range opts {
		var own []*model.Package
		for _, q := range o.roots {
			if uses[q] == 1 { // this case's alone
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
		pos := fset.Position(o.pos)
		out = append(out, model.Component{Name: o.label, Kind: kind, Packages: dirs,
			Evidence: []string{fmt.Sprintf("%s:%d runs it when chosen: %s", pos.Filename, pos.Line, ev)}})
	}
	return out
}

// reachKind is the strongest kind the packages reach, breadth-first over their imports, with
// its evidence; auxiliary listeners and main-only calls do not count.
func reachKind(roots []*model.Package, byPath map[string]*model.Package) (string, string) {
	seen := map[*model.Package]bool{}
	level := append([]*model.Package{}, roots...)
	for _, q := range level {
		seen[q] = true
	}
	var best *model.Hit
	for len(level) > 0 {
		var next []*model.Package
		for _, q := range level {
			for i := range q.Hits {
				h := &q.Hits[i]
				if h.MainOnly || h.Aux != "" || h.Kind == model.KindRoutes {
					continue
				}
				if best == nil || kindRank(h.Kind) > kindRank(best.Kind) {
					best = h
				}
			}
			for _, imp := range q.Imports {
				if r := byPath[imp.Path]; r != nil && !seen[r] && !imp.Test {
					seen[r] = true
					next = append(next, r)
				}
			}
		}
		sort.Slice(next, func(i, j int) bool { return next[i].Dir < next[j].Dir })
		level = next
	}
	if best == nil {
		return model.KindCLI, ""
	}
	return best.Kind, fmt.Sprintf("%s:%d calls %s", best.File, best.Line, best.Call)
}

func dedupeComponents(cs []model.Component) []model.Component {
	var out []model.Component
	for i, c := range cs {
		if i == 0 || c.Name != cs[i-1].Name {
			out = append(out, c)
		}
	}
	return out
}

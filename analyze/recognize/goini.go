package recognize

import (
	"go/ast"
	"go/types"
	"path"
	"reflect"
	"strings"

	"gopkg.in/ini.v1"

	"github.com/cleave-dev/cleave/analyze/typed"
)

var goiniImports = []string{"gopkg.in/ini.v1", "github.com/go-ini/ini"}

// GoIni is go-ini: the values of the ini files the repository loads from a path it names
// (ini.Load("conf/app.ini"), relative to the repository's root), read where the code reads
// them: cfg.Section("database").Key("Host").String(), or a field of a package-level struct
// that Section("database").MapTo fills (the key is the field's name, or its ini tag). The
// section and the struct may come through a helper's parameters (mapTo("database",
// DatabaseSetting)). A file the code names at run time (a flag, an environment variable)
// leaves every value unknown: the repository's own file may not be the one that runs.
//
// The files are parsed by go-ini itself, so that a value is what the program reads.
var GoIni = register(Recogniser{
	Name:    "go-ini",
	Imports: goiniImports,
	Value: func(x *typed.Extractor, e ast.Expr) (string, bool) {
		ix := goiniIndexOf(x)
		if ix.files == nil {
			return "", false
		}
		switch e := ast.Unparen(e).(type) {
		case *ast.CallExpr: // cfg.Section("s").Key("k").String()
			name, _, recv := x.CalleeName(e)
			if name != "String" && name != "Value" || len(e.Args) != 0 {
				return "", false
			}
			key, ok := methodArg(x, recv, "Key")
			if !ok {
				return "", false
			}
			section, ok := methodArg(x, ast.Unparen(recv).(*ast.CallExpr).Fun.(*ast.SelectorExpr).X, "Section")
			if !ok || !onLibrary(x, recv, goiniImports...) {
				return "", false
			}
			return ix.value(section, key)
		case *ast.SelectorExpr: // DatabaseSetting.Host, where MapTo filled DatabaseSetting
			v, ok := x.ObjectOf(e.X).(*types.Var)
			if !ok {
				return "", false
			}
			section, ok := ix.mapped[v]
			if !ok || section == conflicting {
				return "", false
			}
			key, ok := iniKey(v.Type(), e.Sel.Name)
			if !ok {
				return "", false
			}
			return ix.value(section, key)
		}
		return "", false
	},
})

// methodArg reads the constant argument of a call of the named method: recv is Key("k").
func methodArg(x *typed.Extractor, e ast.Expr, method string) (string, bool) {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return "", false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != method {
		return "", false
	}
	return x.ConstString(call.Args[0])
}

// iniKey is the key MapTo fills a struct field from: its ini tag's name, else its own name.
func iniKey(t types.Type, field string) (string, bool) {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return "", false
	}
	for i := 0; i < st.NumFields(); i++ {
		if f := st.Field(i); f.Name() == field {
			name, _, _ := strings.Cut(reflect.StructTag(st.Tag(i)).Get("ini"), ",")
			switch name {
			case "-":
				return "", false
			case "":
				return field, true
			}
			return name, true
		}
	}
	return "", false
}

// goiniIndex is what the repository's ini files hold, and which package-level variables
// MapTo fills from which section.
type goiniIndex struct {
	files  []*ini.File // one per Load call; nil when none can be read, or one is named at run time
	mapped map[*types.Var]string
}

// value is what every loaded file gives the key: the files of different Load calls must agree.
func (ix *goiniIndex) value(section, key string) (string, bool) {
	v, found := "", false
	for _, f := range ix.files {
		sec, err := f.GetSection(section)
		if err != nil {
			return "", false
		}
		k, err := sec.GetKey(key)
		if err != nil {
			return "", false
		}
		if found && k.String() != v {
			return "", false
		}
		v, found = k.String(), true
	}
	return v, found && v != ""
}

func goiniIndexOf(x *typed.Extractor) *goiniIndex {
	return memo(x, "go-ini", func() *goiniIndex {
		ix := &goiniIndex{mapped: map[*types.Var]string{}}
		mapped := map[*types.Var]string{}
		unknown := false
		for _, c := range x.Tr.LibraryCalls(x.G, goiniImports...) {
			switch {
			case c.Pkg != "" && isGoini(c.Pkg):
				var opts ini.LoadOptions
				switch c.Name {
				case "Load":
				case "LooseLoad":
					opts.Loose = true
				case "InsensitiveLoad":
					opts.Insensitive = true
				case "ShadowLoad":
					opts.AllowShadows = true
				default:
					continue
				}
				f, ok := loadIni(c.X, c.Call.Args, opts)
				if !ok {
					unknown = true
					continue
				}
				ix.files = append(ix.files, f)
			case c.Name == "MapTo" && c.Pkg == "" && len(c.Call.Args) == 1:
				sec, ok := ast.Unparen(c.Recv).(*ast.CallExpr)
				if !ok || len(sec.Args) != 1 || !onLibrary(c.X, c.Recv, goiniImports...) {
					continue
				}
				if s, ok := sec.Fun.(*ast.SelectorExpr); !ok || s.Sel.Name != "Section" {
					continue
				}
				for _, m := range mappings(c.X, sec.Args[0], c.Call.Args[0]) {
					settle(mapped, m.v, m.section)
				}
			}
		}
		if unknown {
			ix.files = nil
		}
		ix.mapped = mapped
		return ix
	})
}

func isGoini(pkg string) bool {
	for _, p := range goiniImports {
		if pkg == p {
			return true
		}
	}
	return false
}

// loadIni parses the files a Load call names, in order; ok is false when one is named at run
// time or lies outside the repository. A missing file fails Load, unless it is loose.
func loadIni(x *typed.Extractor, args []ast.Expr, opts ini.LoadOptions) (*ini.File, bool) {
	if len(args) == 0 {
		return nil, false
	}
	var sources []any
	for _, a := range args {
		name, ok := x.ConstString(a)
		if !ok || name == "" || path.IsAbs(name) || strings.HasPrefix(path.Clean(name), "..") || strings.Contains(name, `\`) {
			return nil, false
		}
		data, err := x.Tr.ReadConfig(path.Clean(name))
		if err != nil {
			if opts.Loose {
				continue
			}
			return nil, false
		}
		sources = append(sources, data)
	}
	if len(sources) == 0 {
		return nil, false
	}
	f, err := ini.LoadSources(opts, sources[0], sources[1:]...)
	if err != nil {
		return nil, false
	}
	return f, true
}

type iniMapping struct {
	v       *types.Var
	section string
}

// mappings resolves a Section(section).MapTo(target) call to the package-level variables it
// fills: the section and the target as written, or, for a helper's parameters, as each of
// its callers passes them.
func mappings(x *typed.Extractor, section, target ast.Expr) []iniMapping {
	sObj := paramObj(x, section)
	tObj := paramObj(x, target)
	if sObj == nil && tObj == nil {
		s, ok := x.ConstString(section)
		v := packageVar(x, target)
		if !ok || v == nil {
			return nil
		}
		return []iniMapping{{v, s}}
	}
	var sArgs, tArgs []typed.CallerArg
	if sObj != nil {
		sArgs = x.CallerArgs(sObj)
	}
	if tObj != nil {
		tArgs = x.CallerArgs(tObj)
	}
	n := max(len(sArgs), len(tArgs))
	if sObj != nil && tObj != nil && len(sArgs) != len(tArgs) {
		return nil
	}
	var out []iniMapping
	for i := range n {
		sx, s := x, section
		if sObj != nil {
			sx, s = sArgs[i].X, sArgs[i].Arg
		}
		tx, t := x, target
		if tObj != nil {
			tx, t = tArgs[i].X, tArgs[i].Arg
		}
		name, ok := sx.ConstString(s)
		v := packageVar(tx, t)
		if ok && v != nil {
			out = append(out, iniMapping{v, name})
		}
	}
	return out
}

// paramObj returns the variable an identifier names when it is no package-level variable
// (a parameter, for CallerArgs to follow); nil otherwise.
func paramObj(x *typed.Extractor, e ast.Expr) types.Object {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := x.ObjectOf(id).(*types.Var)
	if !ok || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() {
		return nil
	}
	return v
}

// packageVar returns the package-level variable an expression names: DatabaseSetting,
// &cfg, setting.Database.
func packageVar(x *typed.Extractor, e ast.Expr) *types.Var {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok {
		e = ast.Unparen(u.X)
	}
	switch e.(type) {
	case *ast.Ident, *ast.SelectorExpr:
	default:
		return nil
	}
	v, ok := x.ObjectOf(e).(*types.Var)
	if !ok || v.IsField() || v.Pkg() == nil || v.Parent() != v.Pkg().Scope() {
		return nil
	}
	return v
}

// settle records a variable's section; two sections for one variable leave it unknown.
func settle(m map[*types.Var]string, v *types.Var, section string) {
	if old, ok := m[v]; ok && old != section {
		m[v] = conflicting
		return
	}
	m[v] = section
}

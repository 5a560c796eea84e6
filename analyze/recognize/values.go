package recognize

import (
	"go/ast"
	"go/constant"
	"strings"
	"sync"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// onLibrary reports whether a method call's receiver is a value of a library: declared with
// one of its types (c *cli.Context), set from one of its functions (v := viper.New()), or the
// result of a chain that starts on one (app.Flag(…).Default(…)).
func onLibrary(x *typed.Extractor, recv ast.Expr, prefixes ...string) bool {
	for depth := 0; recv != nil && depth < 8; depth++ {
		for _, l := range x.LibrariesOf(recv) {
			if model.PathMatches(l, prefixes...) {
				return true
			}
		}
		e := ast.Unparen(recv)
		if id, ok := e.(*ast.Ident); ok {
			obj := x.ObjectOf(id)
			if rhs, ok := x.Local[obj]; ok {
				e = ast.Unparen(rhs)
			} else if init, vx := x.VarInit(obj); init != nil { // var k = koanf.New(".")
				x, e = vx, ast.Unparen(init)
			} else {
				return false
			}
		}
		call, ok := e.(*ast.CallExpr)
		if !ok {
			return false
		}
		_, pkg, next := x.CalleeName(call)
		if pkg != "" {
			return model.PathMatches(pkg, prefixes...)
		}
		recv = next
	}
	return false
}

// constText is the text of a constant of any basic kind (viper.SetDefault("port", 8080)).
func constText(x *typed.Extractor, e ast.Expr) (string, bool) {
	if s, ok := x.ConstString(e); ok {
		return s, true
	}
	if tv, ok := x.Info().Types[e]; ok && tv.Value != nil {
		switch tv.Value.Kind() {
		case constant.Int, constant.Float, constant.Bool:
			return tv.Value.ExactString(), true
		}
	}
	return "", false
}

// settled is an index of values by name in which two different values for one name leave it
// unknown: a flag declared twice with different defaults says nothing certain of either.
type settled map[string]string

const conflicting = "\x00"

func (s settled) set(name, value string) {
	if old, ok := s[name]; ok && old != value {
		s[name] = conflicting
		return
	}
	s[name] = value
}

func (s settled) get(name string) string {
	if v := s[name]; v != conflicting {
		return v
	}
	return ""
}

// memo builds an index once per typed repository.
func memo[T any](x *typed.Extractor, key string, build func() T) T {
	type entry struct {
		once sync.Once
		v    T
	}
	e, _ := x.Tr.Memo.LoadOrStore(key, &entry{})
	en := e.(*entry)
	en.once.Do(func() { en.v = build() })
	return en.v
}

// envName keeps a variable name only when a shell can set it.
func envName(s string) string {
	if s == "" || strings.IndexFunc(s, func(r rune) bool {
		return !(r == '_' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) >= 0 {
		return ""
	}
	return s
}

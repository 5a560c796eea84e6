package typed

import (
	"go/ast"
	"go/token"
	"go/types"

	xastutil "golang.org/x/tools/go/ast/astutil"
)

// exchangeEndpoints are the endpoints of an AMQP publish or binding to exchange ex with
// routing key key. Their topic is exchange:key (the key alone on the default exchange, which
// routes by queue name). When both are fields of a publisher or consumer that functional
// options set (Configure(ExchangeName("orders"), BindingKey("created"))), each such call of
// the options is an endpoint of its own, pairing the exchange and the key it sets together, in
// the function that makes it: a shared messaging package serves every deployable, and only
// where it is configured says which exchange each one uses.
func (x *Extractor) exchangeEndpoints(fn FnKey, kind, protocol string, ex, key ast.Expr, pos token.Pos) []Endpoint {
	// Fields that functional options set: what the options say, where they are applied. A
	// default the constructor gives them holds only where no option overrides it, which the
	// code cannot tell, so it is not used.
	fe, fk := x.fieldOf(ex), x.fieldOf(key)
	if fe != nil && fk != nil {
		if setEx := x.optionSetters(fe); len(setEx) > 0 {
			return x.optionEndpoints(kind, protocol, setEx, x.optionSetters(fk))
		}
	}
	// A constant exchange, the default "" included, or one NameValue tells.
	e, ok := x.ConstString(ex)
	if !ok {
		e = x.NameValue(ex)
		ok = e != ""
	}
	if ok {
		var out []Endpoint
		for _, k := range x.topics(key) {
			out = append(out, x.endpoint(fn, kind, protocol, exchangeTopic(e, k), pos))
		}
		return out
	}
	// The exchange cannot be told: as before, the key alone, which is right on the default
	// exchange.
	return x.topicEndpoints(fn, kind, protocol, key, pos)
}

// optionEndpoints pairs, in each call that applies options (Configure(ExchangeName("e"),
// BindingKey("k"))), the exchange and the key set together: an endpoint at that call.
func (x *Extractor) optionEndpoints(kind, protocol string, setEx, setKey map[*types.Func]int) []Endpoint {
	var out []Endpoint
	for setter, idx := range setEx {
		for _, site := range x.G.callers[setter] {
			if idx >= len(site.call.Args) || site.tp.Pkg.TestSupport {
				continue
			}
			sx := x.atSite(site)
			e, ok := sx.ConstString(site.call.Args[idx])
			if !ok {
				continue
			}
			parent := site.tp.enclosingCall(site.call)
			if parent == nil {
				continue
			}
			for _, arg := range parent.Args {
				call, ok := ast.Unparen(arg).(*ast.CallExpr)
				if !ok {
					continue
				}
				f, _ := sx.ObjectOf(call.Fun).(*types.Func)
				ki, ok := setKey[f]
				if !ok || ki >= len(call.Args) {
					continue
				}
				if k, ok := sx.ConstString(call.Args[ki]); ok {
					out = append(out, sx.endpoint(site.caller, kind, protocol, exchangeTopic(e, k), parent.Pos()))
				}
			}
		}
	}
	return out
}

func exchangeTopic(exchange, key string) string {
	if exchange == "" {
		return key
	}
	return exchange + ":" + key
}

// fieldOf returns the struct field a selector (p.exchangeName) reads, or nil.
func (x *Extractor) fieldOf(e ast.Expr) *types.Var {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	if v, ok := x.ObjectOf(sel).(*types.Var); ok && v.IsField() {
		return v
	}
	return nil
}

// optionSetters finds the functional options that set a field: functions of the field's
// package whose returned closure assigns a parameter to it (func ExchangeName(n string) Option
// { return func(p *publisher) { p.exchangeName = n } }), with that parameter's index.
func (x *Extractor) optionSetters(field *types.Var) map[*types.Func]int {
	out := map[*types.Func]int{}
	if field.Pkg() == nil {
		return out
	}
	tp := x.Tr.ByPath[field.Pkg().Path()]
	if tp == nil {
		return out
	}
	for _, f := range tp.files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			params := paramIndex(tp.info, fd)
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				lit, ok := n.(*ast.FuncLit)
				if !ok {
					return true
				}
				ast.Inspect(lit.Body, func(n ast.Node) bool {
					as, ok := n.(*ast.AssignStmt)
					if !ok || len(as.Lhs) != len(as.Rhs) {
						return true
					}
					for j, l := range as.Lhs {
						sel, ok := l.(*ast.SelectorExpr)
						if !ok || tp.info.Uses[sel.Sel] != field {
							continue
						}
						if id, ok := ast.Unparen(as.Rhs[j]).(*ast.Ident); ok {
							if pi, ok := params[tp.info.Uses[id]]; ok {
								if fn, ok := tp.info.Defs[fd.Name].(*types.Func); ok {
									out[fn] = pi
								}
							}
						}
					}
					return true
				})
				return false
			})
		}
	}
	return out
}

// enclosingCall is the call that takes call as one of its arguments (Configure(ExchangeName(…),
// …) for ExchangeName(…)), or nil.
func (tp *typedPkg) enclosingCall(call *ast.CallExpr) *ast.CallExpr {
	f := tp.fileAt(call.Pos())
	if f == nil {
		return nil
	}
	path, _ := xastutil.PathEnclosingInterval(f, call.Pos(), call.End())
	for _, n := range path[1:] {
		if c, ok := n.(*ast.CallExpr); ok {
			for _, a := range c.Args {
				if ast.Unparen(a) == call {
					return c
				}
			}
			return nil
		}
	}
	return nil
}

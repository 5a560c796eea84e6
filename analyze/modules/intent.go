package modules

import (
	"path"
	"strings"

	"github.com/cleave-dev/cleave/analyze/model"
)

// implNames mark a module's implementation: its storage and adapters. Another module that
// imports one reaches past the module's API into how it keeps its data.
var implNames = map[string]bool{
	"store": true, "stores": true, "repository": true, "repositories": true, "persistence": true,
	"dao": true, "db": true, "datastore": true, "sqlstore": true, "adapters": true, "adapter": true,
	"infrastructure": true, "infra": true,
}

// kernelNames name the shared kernels of a codebase: open modules whose every package, its
// database access included, is there to be shared.
var kernelNames = map[string]bool{
	"platform": true, "shared": true, "common": true, "core": true, "kernel": true, "foundation": true,
	"lib": true, "libs": true, "util": true, "utils": true, "base": true, "support": true, "sdk": true,
}

// Inferred reports whether the modules were inferred, no .cleave.yaml declaring any: then a
// module's API is a convention cleave reads from the code, not a rule the team wrote down.
func (ms *ModuleSet) Inferred() bool { return ms.cfg == nil || len(ms.cfg.Modules) == 0 }

// Private reports whether importing p from another module crosses that module's boundary;
// importers counts the other modules that import p. With declared modules the declaration
// decides. Inferred, a package is public when it is generated (a contract), the module's root
// or API package, part of an open module, or imported by two or more other modules (a de facto
// library); a package of the module's storage or adapters is private all the same, unless the
// module is a shared kernel.
func (ms *ModuleSet) Private(p *model.Package, importers int) bool {
	if p == nil || ms.ByName[p.Module] == nil {
		return false
	}
	if !ms.Inferred() {
		return !ms.Public(p)
	}
	switch {
	case p.Generated:
		return false
	case ms.defaultPublic(p):
		return false
	case ms.implementation(p) && !ms.kernel(p.Module):
		return true
	case ms.ByName[p.Module].Open, importers >= 2:
		return false
	}
	return true
}

// kernel reports whether a module is a shared kernel: open, and named like one.
func (ms *ModuleSet) kernel(name string) bool {
	m := ms.ByName[name]
	if m == nil || !m.Open {
		return false
	}
	for _, b := range m.Bases {
		if kernelNames[path.Base(b)] {
			return true
		}
	}
	return false
}

// defaultPublic: the module's root package or a sub-package named like an API.
func (ms *ModuleSet) defaultPublic(p *model.Package) bool {
	rest, ok := ms.within(p)
	return ok && (rest == "" || publicNames[strings.SplitN(rest, "/", 2)[0]])
}

// implementation: a package below the module's root in a storage or adapter directory.
func (ms *ModuleSet) implementation(p *model.Package) bool {
	rest, ok := ms.within(p)
	if !ok {
		return false
	}
	for _, s := range model.Segments(rest) {
		if implNames[s] {
			return true
		}
	}
	return false
}

// within returns a package's directory below the root of its module ("" for the root itself).
func (ms *ModuleSet) within(p *model.Package) (string, bool) {
	for r := range ms.ByName[p.Module].roots {
		if p.Dir == r {
			return "", true
		}
		if r == "." {
			return p.Dir, true
		}
		if rest, ok := strings.CutPrefix(p.Dir, r+"/"); ok {
			return rest, true
		}
	}
	return "", false
}

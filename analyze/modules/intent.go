package modules

import (
	"path"
	"slices"
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

// libraryReach is how many of a module's packages other modules must import for the module to
// read as a library of packages (prometheus' tsdb, promql) rather than one API over its insides.
const libraryReach = 3

// Private reports whether importing p from another module crosses that module's boundary. With
// declared modules the declaration decides. Inferred, a package is public when it is generated
// (a contract), the module's root or API package, part of an open module, imported by two or
// more other modules (a de facto library), or part of a module other modules use as a library
// (three or more of its packages imported from outside); a package of the module's storage or
// adapters is private all the same, unless the module is a shared kernel.
func (ms *ModuleSet) Private(p *model.Package, u Usage) bool {
	if p == nil || ms.ByName[p.Module] == nil {
		return false
	}
	if !ms.Inferred() {
		return !ms.Public(p)
	}
	if p.Generated || ms.contract(p) || ms.defaultPublic(p) {
		return false
	}
	return ms.Implementation(p) || ms.privateByUse(p, u)
}

// Implementation reports whether an inferred module keeps p to itself by its name alone: a
// package of its storage or adapters, in a module that is no shared kernel.
func (ms *ModuleSet) Implementation(p *model.Package) bool {
	return ms.implementation(p) && !ms.kernel(p.Module)
}

// PrivateByUse reports whether p is private by how the code uses it, whatever its name says:
// what Private decides for a storage or adapter package the module offers no API over.
func (ms *ModuleSet) PrivateByUse(p *model.Package, u Usage) bool {
	if !ms.Private(p, u) {
		return false
	}
	return !ms.Inferred() || ms.privateByUse(p, u)
}

func (ms *ModuleSet) privateByUse(p *model.Package, u Usage) bool {
	return !ms.ByName[p.Module].Open && u.Importers[p.Dir] < 2 && u.Reached[p.Module] < libraryReach
}

// contract reports whether a package lies in a directory named for generated protocol code:
// proto, protobuf, gen, genproto, pb, or a name ending in pb (prompb, orderpb).
func (ms *ModuleSet) contract(p *model.Package) bool {
	rest, ok := ms.within(p)
	if !ok {
		return false
	}
	for _, s := range append(model.Segments(rest), path.Base(ms.ByName[p.Module].name)) {
		switch {
		case s == "proto", s == "protobuf", s == "gen", s == "genproto", strings.HasSuffix(s, "pb"):
			return true
		}
	}
	return false
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

// defaultPublic: the module's root package or a sub-package named like an API, below any of
// its roots.
func (ms *ModuleSet) defaultPublic(p *model.Package) bool {
	for r := range ms.ByName[p.Module].roots {
		if rest, ok := below(p.Dir, r); ok && (rest == "" || publicNames[strings.SplitN(rest, "/", 2)[0]]) {
			return true
		}
	}
	return false
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
// An inferred module has one root.
func (ms *ModuleSet) within(p *model.Package) (string, bool) {
	for r := range ms.ByName[p.Module].roots {
		if rest, ok := below(p.Dir, r); ok {
			return rest, true
		}
	}
	return "", false
}

// below returns dir relative to root ("" for root itself), if dir is root or inside it.
func below(dir, root string) (string, bool) {
	switch {
	case dir == root:
		return "", true
	case root == ".":
		return dir, true
	}
	return strings.CutPrefix(dir, root+"/")
}

// wiring marks the packages that assemble modules where the directory layout does not say so:
// with inferred modules, every main package wires its program wherever it lies
// (api/services/sales), and so does a package that only such packages import and that imports
// two or more other modules (a dependency-injection container, an app or server package). What
// they import is no private-import finding; their imports stay in the module graph. A package
// that only tests import is test support (util/teststorage): what it imports says nothing of the
// architecture either.
func (a *assigner) wiring(pkgs []*model.Package) {
	byPath := map[string]*model.Package{}
	importers := map[*model.Package][]*model.Package{}
	testImported := map[*model.Package]bool{}
	for _, p := range pkgs {
		byPath[p.Path] = p
	}
	for _, p := range pkgs {
		if p.IsMain() && !p.Root {
			p.Wiring = true // a main at the repository's root belongs to no module, and wires all the same
		}
		for _, imp := range p.Imports {
			q := byPath[imp.Path]
			switch {
			case q == nil || q == p:
			case imp.Test:
				testImported[q] = true
			default:
				importers[q] = append(importers[q], p)
			}
		}
	}
	// Test support: a package only tests import, or only other test support.
	for changed := true; changed; {
		changed = false
		for _, p := range pkgs {
			if p.TestSupport || p.IsMain() || p.Module == "" {
				continue
			}
			only := testImported[p] || len(importers[p]) > 0 || TestNamed(p.Dir) || testDouble(p)
			for _, q := range importers[p] {
				only = only && q.TestSupport
			}
			if only {
				p.TestSupport, changed = true, true
			}
		}
	}
	for changed := true; changed; {
		changed = false
		for _, p := range pkgs {
			if p.Root || p.Wiring || p.Module == "" || len(importers[p]) == 0 || otherModules(p, byPath) < 2 {
				continue
			}
			// A server package that the mains start and a test harness starts too
			// (integrationtests) wires all the same; only mains count for that, or the
			// harness would make wiring of every package the server imports.
			onlyWiring, direct, started := true, true, false
			for _, q := range importers[p] {
				onlyWiring = onlyWiring && (q.Root || q.Wiring)
				direct = direct && (q.IsMain() || q.TestSupport)
				started = started || q.IsMain()
			}
			if onlyWiring || direct && started {
				p.Wiring, changed = true, true
			}
		}
	}
}

// otherModules counts the modules other than its own whose packages p imports.
func otherModules(p *model.Package, byPath map[string]*model.Package) int {
	seen := map[string]bool{}
	for _, imp := range p.Imports {
		if q := byPath[imp.Path]; q != nil && !imp.Test && q.Module != "" && q.Module != p.Module {
			seen[q.Module] = true
		}
	}
	return len(seen)
}

// TestNamed reports whether a package lies in a directory named as test support, itself or
// below one (testing/pkg/scan, internal/mocks/store): no public API of its module, whoever
// imports it.
func TestNamed(dir string) bool {
	return slices.ContainsFunc(model.Segments(dir), testName)
}

// testName reports whether a directory is named as test support: apitest, teststorage,
// testutil, mocks, fakes.
func testName(base string) bool {
	base = strings.ToLower(base)
	switch {
	case strings.HasPrefix(base, "test"), base == "e2e", strings.HasPrefix(base, "mock"), base == "fake", base == "fakes":
		return true
	}
	// apitest, integrationtests, e2e_tests: a kind of tests, not any word that ends so
	// (latest, contests); after a separator, any name's tests (persistence-tests, store_test)
	for _, suffix := range []string{"tests", "test"} {
		if kind, ok := strings.CutSuffix(base, suffix); ok {
			if trimmed := strings.TrimRight(kind, "_-"); trimmed != kind {
				return true
			}
			return kind == "" || testKinds[kind]
		}
	}
	return false
}

// testDouble reports whether a package imports a testing library outside its tests: a mock
// (mockery's, gomock's) or a helper that takes a *testing.T serves tests, whoever else may
// import it in tests cleave does not read.
func testDouble(p *model.Package) bool {
	return !p.IsMain() && p.ImportsAny(testLibraries...)
}

// testLibraries are what test code imports: the testing package, assertion and mocking
// libraries.
var testLibraries = []string{"testing", "github.com/stretchr/testify", "github.com/golang/mock",
	"go.uber.org/mock", "github.com/onsi/ginkgo", "github.com/onsi/gomega", "gotest.tools",
	"github.com/DATA-DOG/go-sqlmock", "github.com/vektra/mockery"}

// testKinds are the kinds of tests a directory of them is named after.
var testKinds = map[string]bool{"go": true, "int": true, "sys": true, "integration": true, "e2e": true, "api": true, "unit": true, "system": true,
	"acceptance": true, "functional": true, "smoke": true, "load": true, "regression": true, "end2end": true,
	"component": true, "contract": true}

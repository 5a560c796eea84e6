package rules

import (
	"errors"
	"strings"
	"testing"
)

func TestParseConfigValid(t *testing.T) {
	src := `version: 1
modules:
  orders:
    paths: [internal/orders]            # directories; globs allowed
    public: [internal/orders, internal/orders/api]
    dependsOn: [platform, customers]
  customers:
    paths: [internal/customers, "services/*/customers"]
  platform:
    paths: [internal/platform]
    open: true
tables:
  orders: orders
compositionRoots: [cmd, functions]
exclude: [tools]
rules:
  calls/sync-chain: {severity: warning, minDeployables: 4}
  boundary/private-import: {severity: error}
  db/shared-dsn: off
  boundary/module-cycle: warning
`
	cfg, err := ParseConfig(".cleave.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Modules) != 3 || cfg.Modules[0].Name != "customers" {
		t.Fatalf("modules not sorted by name: %+v", cfg.Modules)
	}
	o := cfg.Module("orders")
	if len(o.Public) != 2 || strings.Join(o.DependsOn, ",") != "platform,customers" {
		t.Errorf("orders = %+v", o)
	}
	if p := cfg.Module("platform"); p.Open == nil || !*p.Open || p.DependsOn != nil {
		t.Errorf("platform = %+v", p)
	}
	if cfg.Tables["orders"] != "orders" || len(cfg.CompositionRoots) != 2 || len(cfg.Exclude) != 1 {
		t.Errorf("tables/roots/exclude = %v %v %v", cfg.Tables, cfg.CompositionRoots, cfg.Exclude)
	}
	if got := cfg.Option(SyncChain, "minDeployables"); got != 4 {
		t.Errorf("minDeployables = %d", got)
	}
	if _, on := cfg.Severity(SharedDSN); on {
		t.Error("db/shared-dsn should be off")
	}
	if sev, _ := cfg.Severity(ModuleCycle); sev != Warning {
		t.Errorf("module-cycle severity = %v", sev)
	}
	if sev, on := cfg.Severity(ForbiddenDependency); !on || sev != Error {
		t.Errorf("default severity = %v %v", sev, on)
	}
}

func TestParseConfigLayers(t *testing.T) {
	src := "version: 1\nmodules:\n  a:\n    paths: [a]\n    dependsOn: [b]\n  b:\n    paths: [b]\nlayers:\n  - {name: top, modules: [a]}\n  - {name: low, modules: [b], closed: true}\nrequireOwnership: true\n"
	cfg, err := ParseConfig("c.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Layers) != 2 || cfg.Layers[0].Name != "top" || !cfg.Layers[1].Closed || cfg.Layers[1].Modules[0] != "b" || !cfg.RequireOwnership {
		t.Errorf("layers %+v, requireOwnership %v", cfg.Layers, cfg.RequireOwnership)
	}
	if a := cfg.Module("a"); len(a.DependsOnPos) != 1 || a.DependsOnPos[0].Line != 5 || a.DependsOnPos[0].Col != 17 {
		t.Errorf("dependsOn positions %+v", a.DependsOnPos)
	}
}

func TestParseConfigErrors(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string // each "line:col: text"
	}{
		{"empty", "", []string{"1:1: empty file"}},
		{"not a mapping", "- a\n- b\n", []string{"1:1: expected a mapping"}},
		{"no version", "modules: {}\n", []string{"1:1: missing `version: 1`"}},
		{"bad version", "version: 2\n", []string{"1:10: unsupported version 2"}},
		{"version string", "version: one\n", []string{"1:10: expected a whole number"}},
		{"unknown key", "version: 1\nmodule: {}\n", []string{`2:1: unknown key "module"`}},
		{"bad yaml", "version: 1\nmodules: [\n", []string{"invalid YAML"}},
		{"unclosed flow list", "version: 1\nmodules:\n  a:\n    paths: [internal/a/**, \"b\"\n  b:\n    paths: [x]\n", []string{"4:12: invalid YAML: did not find expected ',' or ']'; the collection opened here is not closed"}},
		{"unclosed flow mapping", "version: 1\nrules: {boundary/module-cycle: off\n", []string{"2:8: invalid YAML: did not find expected ',' or '}'"}},
		{"bad indentation", "version: 1\nrules:\n  a: 1\n b: 2\n", []string{"4:2: invalid YAML: did not find expected key"}},
		{"scanner error", "version: 1\nrules: x: y\n", []string{"2:1: invalid YAML: mapping values are not allowed"}},
		{"second document", "version: 1\n---\nversion: 2\n", []string{"2:1: a second YAML document starts here"}},
		{"unknown module key", "version: 1\nmodules:\n  a:\n    paths: [x]\n    publc: [x]\n", []string{`5:5: module a: unknown key "publc"`}},
		{"missing paths", "version: 1\nmodules:\n  a:\n    open: true\n", []string{"3:3: module a: missing paths"}},
		{"empty paths", "version: 1\nmodules:\n  a:\n    paths: []\n", []string{"4:12: module a: paths is empty"}},
		{"paths not a list", "version: 1\nmodules:\n  a:\n    paths: internal/a\n", []string{"4:12: expected a list"}},
		{"unknown dependsOn", "version: 1\nmodules:\n  a:\n    paths: [a]\n    dependsOn: [b]\n", []string{`5:17: module a: dependsOn names unknown module "b"`}},
		{"unknown dependsOn after a non-string entry", "version: 1\nmodules:\n  a:\n    paths: [a]\n    dependsOn: [{x: 1}, b]\n", []string{"5:17: expected a string", `5:25: module a: dependsOn names unknown module "b"`}},
		{"self dependency", "version: 1\nmodules:\n  a:\n    paths: [a]\n    dependsOn: [a]\n", []string{"5:17: module a: a module cannot depend on itself"}},
		{"overlap", "version: 1\nmodules:\n  a:\n    paths: [internal/a]\n  b:\n    paths: [internal/a/b]\n", []string{"5:3: modules a and b overlap"}},
		{"same path", "version: 1\nmodules:\n  a:\n    paths: [x]\n  b:\n    paths: [x]\n", []string{"5:3: modules a and b overlap"}},
		{"bad glob", "version: 1\nmodules:\n  a:\n    paths: [\"internal/[a\"]\n", []string{`4:13: path "internal/[a": bad pattern`}},
		{"dotdot", "version: 1\nmodules:\n  a:\n    paths: [../x]\n", []string{"4:13: path \"../x\": must stay inside"}},
		{"absolute", "version: 1\nexclude: [/tmp]\n", []string{"2:11: path \"/tmp\": must be relative"}},
		{"partial doublestar", "version: 1\nexclude: [a/**b]\n", []string{"** must be a whole path segment"}},
		{"public outside", "version: 1\nmodules:\n  a:\n    paths: [internal/a]\n    public: [internal/b]\n", []string{`3:3: module a: public path "internal/b" is outside`}},
		{"unknown table owner", "version: 1\nmodules:\n  a:\n    paths: [a]\ntables:\n  users: b\n", []string{`6:10: table "users": unknown module "b" (modules: a)`}},
		{"unknown rule", "version: 1\nrules:\n  boundary/nope: off\n", []string{`3:3: unknown rule "boundary/nope"`}},
		{"unknown option", "version: 1\nrules:\n  boundary/module-cycle: {depth: 2}\n", []string{`3:27: rule boundary/module-cycle: unknown option "depth"`}},
		{"bad severity", "version: 1\nrules:\n  boundary/module-cycle: {severity: fatal}\n", []string{`3:37: rule boundary/module-cycle: unknown severity "fatal"`}},
		{"bad rule value", "version: 1\nrules:\n  boundary/module-cycle: maybe\n", []string{"3:26: rule boundary/module-cycle: expected off, on"}},
		{"option too small", "version: 1\nrules:\n  calls/sync-chain: {minDeployables: 0}\n", []string{"3:38: rule calls/sync-chain: minDeployables must be at least 1"}},
		{"duplicate key", "version: 1\nmodules:\n  a:\n    paths: [a]\n    paths: [b]\n", []string{`5:5: module a: duplicate key "paths"`}},
		{"bad module name", "version: 1\nmodules:\n  \"a b\":\n    paths: [a]\n", []string{`3:3: module name "a b"`}},
		{"open not bool", "version: 1\nmodules:\n  a:\n    paths: [a]\n    open: sometimes\n", []string{"5:11: expected true or false"}},
		{"layers not a list", "version: 1\nlayers: {a: b}\n", []string{"2:9: layers: expected a list of layers"}},
		{"layer unknown key", "version: 1\nmodules:\n  a:\n    paths: [a]\nlayers:\n  - {name: top, modules: [a], open: true}\n", []string{`6:31: layer: unknown key "open"`}},
		{"layer unknown module", "version: 1\nmodules:\n  a:\n    paths: [a]\nlayers:\n  - {name: top, modules: [a, b]}\n", []string{`6:30: layer top: unknown module "b" (modules: a)`}},
		{"layer without modules", "version: 1\nlayers:\n  - {name: top}\n", []string{"3:5: layer: a name and at least one module are required"}},
		{"module in two layers", "version: 1\nmodules:\n  a:\n    paths: [a]\nlayers:\n  - {name: top, modules: [a]}\n  - {name: low, modules: [a]}\n", []string{"7:27: layer low: module a is already in layer top"}},
		{"layer twice", "version: 1\nmodules:\n  a:\n    paths: [a]\n  b:\n    paths: [b]\nlayers:\n  - {name: top, modules: [a]}\n  - {name: top, modules: [b]}\n", []string{`9:5: layer "top" is declared twice`}},
		{"closed not bool", "version: 1\nmodules:\n  a:\n    paths: [a]\nlayers:\n  - {name: top, modules: [a], closed: yes please}\n", []string{"6:39: expected true or false"}},
		{"requireOwnership not bool", "version: 1\nrequireOwnership: always\n", []string{"2:19: expected true or false"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseConfig("c.yaml", []byte(c.src))
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("err = %v, want an ErrorList", err)
			}
			msg := err.Error()
			for _, w := range c.want {
				if !strings.Contains(msg, "c.yaml:"+w) && !strings.Contains(msg, w) {
					t.Errorf("error %q lacks %q", msg, w)
				}
			}
			for _, e := range list {
				if e.File != "c.yaml" || e.Line < 1 || e.Col < 1 {
					t.Errorf("error without a position: %+v", e)
				}
			}
		})
	}
}

func TestGlob(t *testing.T) {
	cases := []struct {
		pat, dir        string
		match, contains bool
	}{
		{"internal/orders", "internal/orders", true, true},
		{"internal/orders", "internal/orders/store", false, true},
		{"internal/orders", "internal/ordersx", false, false},
		{"internal/*", "internal/orders/store", false, true},
		{"services/*/api", "services/billing/api", true, true},
		{"**/api", "a/b/api", true, true},
		{"**/api", "api", true, true},
		{"internal/**", "internal", true, true},
		{".", "anything/at/all", false, true},
		{".", ".", true, true},
	}
	for _, c := range cases {
		g, err := ParseGlob(c.pat)
		if err != nil {
			t.Fatal(err)
		}
		if got := g.Match(c.dir); got != c.match {
			t.Errorf("%q.Match(%q) = %v", c.pat, c.dir, got)
		}
		if got := g.Contains(c.dir); got != c.contains {
			t.Errorf("%q.Contains(%q) = %v", c.pat, c.dir, got)
		}
	}
}

func TestDraftRoundTrip(t *testing.T) {
	d := &Draft{
		Header: []string{"test"},
		Modules: []DraftModule{
			{Name: "orders", Paths: []string{"internal/orders"}, Public: []string{"internal/orders"}, DependsOn: []string{"platform"}},
			{Name: "platform", Paths: []string{"internal/platform"}, Open: true},
			{Name: "on", Paths: []string{"weird dir/x", "123"}},
		},
		CompositionRoots: DefaultCompositionRoots,
	}
	cfg, err := ParseConfig("draft", d.YAML())
	if err != nil {
		t.Fatalf("%v\n%s", err, d.YAML())
	}
	if m := cfg.Module("on"); m == nil || m.Paths[0].String() != "weird dir/x" || m.Paths[1].String() != "123" {
		t.Errorf("quoted names did not survive: %+v", m)
	}
	if m := cfg.Module("orders"); m.Public != nil || len(m.DependsOn) != 1 {
		t.Errorf("orders = %+v", m)
	}
	if m := cfg.Module("platform"); m.Open == nil || !*m.Open || m.DependsOn == nil || len(m.DependsOn) != 0 {
		t.Errorf("platform = %+v", m)
	}
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("version: 1\nmodules:\n  a:\n    paths: [a]\n    dependsOn: [b]\n  b:\n    paths: [b/**]\n    open: true\n"))
	f.Add([]byte("version: 1\nrules:\n  calls/sync-chain: {severity: warning, minDeployables: 3}\n  db/shared-dsn: off\n"))
	f.Add([]byte("version: 1\ntables:\n  t: a\nexclude: [x]\ncompositionRoots: []\n"))
	f.Add([]byte("version: 1\nmodules:\n  a:\n    paths: [a]\nlayers:\n  - {name: top, modules: [a], closed: true}\nrequireOwnership: true\n"))
	f.Add([]byte("&a [*a]"))
	f.Add([]byte("version: 1\nmodules: &m {a: *m}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig("f.yaml", data)
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error is not a positioned list: %v", err)
			}
			for _, e := range list {
				if e.Line < 1 || e.Col < 1 || e.Msg == "" {
					t.Fatalf("bad position or message: %+v", e)
				}
			}
			return
		}
		if cfg.Version != 1 {
			t.Fatalf("accepted version %d", cfg.Version)
		}
		for _, m := range cfg.Modules {
			for _, d := range m.DependsOn {
				if cfg.Module(d) == nil {
					t.Fatalf("accepted unknown dependency %q", d)
				}
			}
		}
	})
}

func TestBaselineRoundTrip(t *testing.T) {
	fs := []*Finding{
		{Rule: ModuleCycle, File: "b.go", Message: "modules a → b → a form a cycle: \"quoted\"", Fingerprint: "ff"},
		{Rule: PrivateImport, File: "a.go", Message: "x imports y: private", Fingerprint: "aa"},
		{Rule: PrivateImport, File: "a.go", Message: "dup", Fingerprint: "aa"},
	}
	b := NewBaseline(fs)
	got, err := ParseBaseline("base.yaml", b.YAML())
	if err != nil {
		t.Fatalf("%v\n%s", err, b.YAML())
	}
	if len(got.Entries) != 2 || got.Entries[0].Rule != ModuleCycle || got.Entries[1].Description != "x imports y: private" {
		t.Errorf("entries = %+v", got.Entries)
	}
	if !got.Has("aa") || got.Has("zz") {
		t.Error("Has")
	}
	for src, want := range map[string]string{
		"version: 1\nfindings:\n  - rule: boundary/module-cycle\n":    "3:5: a baseline entry needs a fingerprint",
		"version: 1\nfindings:\n  - fingerprint: x\n    line: 3\n":    `4:5: unknown key "line"`,
		"version: 1\nfindings:\n  - fingerprint: x\n    rule: nope\n": `4:11: unknown rule "nope"`,
		"findings: []\n":             "missing `version: 1`",
		"version: 1\nfindings: {}\n": "findings: expected a list",
	} {
		_, err := ParseBaseline("b.yaml", []byte(src))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseBaseline(%q) = %v, want %q", src, err, want)
		}
	}
}

// TestBaselineOneDocument: a second document would be silently ignored by a plain decode,
// and with it every entry it holds.
func TestBaselineOneDocument(t *testing.T) {
	src := "version: 1\nentries: []\n---\nversion: 1\nentries: []\n"
	if _, err := ParseBaseline("b.yaml", []byte(src)); err == nil || !strings.Contains(err.Error(), "b.yaml:3:1: a second YAML document starts here") {
		t.Errorf("err = %v", err)
	}
}

func FuzzParseBaseline(f *testing.F) {
	f.Add([]byte("version: 1\nfindings:\n  - fingerprint: a\n    rule: boundary/module-cycle\n    file: x.go\n    description: d\n"))
	f.Add([]byte("version: 1\nfindings: []\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseBaseline("f.yaml", data)
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("not a positioned error: %v", err)
			}
			return
		}
		for _, e := range b.Entries {
			if e.Fingerprint == "" {
				t.Fatal("entry without fingerprint accepted")
			}
		}
	})
}

func TestBaselineApply(t *testing.T) {
	a := &Finding{Rule: PrivateImport, Fingerprint: "a"}
	b := &Finding{Rule: PrivateImport, Fingerprint: "b"}
	base := &Baseline{Entries: []BaselineEntry{{Fingerprint: "a"}, {Fingerprint: "gone"}}}
	all, fresh, stale := base.Apply([]*Finding{a, b})
	if len(all) != 2 || !all[0].Baselined || all[1].Baselined {
		t.Errorf("all: %+v %+v", all[0], all[1])
	}
	if len(fresh) != 1 || fresh[0].Fingerprint != "b" || len(stale) != 1 || stale[0].Fingerprint != "gone" {
		t.Errorf("fresh %v, stale %v", fresh, stale)
	}
	if a.Baselined {
		t.Error("Apply changed the finding it was given")
	}
	var none *Baseline
	if all, fresh, stale := none.Apply([]*Finding{a}); len(all) != 1 || len(fresh) != 1 || stale != nil {
		t.Errorf("a nil baseline: %v %v %v", all, fresh, stale)
	}
}

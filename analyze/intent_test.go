package analyze

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/rules"
)

// TestInferredIntent: with no .cleave.yaml, the boundary findings are the two faults the intent
// fixture plants, as warnings that say they were inferred, and none of the imports that only
// look like faults to a naive reading of "a module's root package is its API".
func TestInferredIntent(t *testing.T) {
	res, err := Run(context.Background(), Options{Dir: filepath.Join("..", "testdata", "fixtures", "intent")})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range res.Findings {
		if !strings.HasPrefix(f.Rule, "boundary/") {
			continue
		}
		if f.Severity != rules.Warning || !strings.Contains(f.Message, "inferred") {
			t.Errorf("%s: an inferred boundary is a warning that says so", f.Text())
		}
		got = append(got, f.Rule+" "+f.File)
	}
	want := []string{
		"boundary/module-cycle internal/billing/ledger/ledger.go",  // shipping → billing → shipping, cut at billing → shipping
		"boundary/private-import internal/shipping/rates/rates.go", // shipping reaches into orders' store
	}
	if !slices.Equal(got, want) {
		t.Errorf("boundary findings\n got %q\nwant %q", got, want)
	}
	// Not findings, each for its reason.
	for file, why := range map[string]string{
		"internal/billing/billing.go":               "imports a generated protobuf package (protoc-gen-go output)",
		"internal/orders/store/store.go":            "imports util/retry, a utility library",
		"internal/app/app.go":                       "assembles the modules, and only cmd/shop imports it",
		"internal/plugins/plugins.go":               "imports for side effects only",
		"internal/testkit/testkit.go":               "serves tests only",
		"internal/ops/opsd/main.go":                 "is a main package: it wires its program",
		"internal/reports/reports.go":               "names the store's records, which the orders API hands out, and a domain package named repository that no module wraps",
		"internal/testing/fakeorders/fakeorders.go": "lies below a directory of test support",
		"internal/checks/checks.go":                 "takes a *testing.T: only tests can use it",
	} {
		for _, f := range res.Findings {
			if f.File == file {
				t.Errorf("%s %s, yet: %s", file, why, f.Text())
			}
		}
	}
	if len(res.CycleCut) != 1 || res.CycleCut[0].From != "billing" || res.CycleCut[0].To != "shipping" {
		t.Errorf("cycle cut %+v, want billing → shipping", res.CycleCut)
	}
}

// A package main with no func main (a file of go:generate lines at the root) is no program.
func TestPackageMainWithoutFuncMain(t *testing.T) {
	res, err := Run(context.Background(), Options{Dir: filepath.Join("..", "testdata", "fixtures", "shipping")})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Deployables {
		if d.Dir == "." {
			t.Errorf("the root's gen.go made a deployable: %+v", d)
		}
	}
	if len(res.Deployables) != 6 {
		t.Errorf("%d deployables, want 6", len(res.Deployables))
	}
}

// A multi-role binary: the roles chosen at run time that run code of their own are components;
// the role that runs only a migration, and the shared runtime package, are not.
func TestMultiRoleComponents(t *testing.T) {
	res, err := Run(context.Background(), Options{Dir: filepath.Join("..", "testdata", "fixtures", "multirole")})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, d := range res.Deployables {
		for _, c := range d.Components {
			got[d.Name] = append(got[d.Name], c.Name+" "+c.Kind+" "+strings.Join(c.Packages, ","))
		}
	}
	want := map[string][]string{
		"platform": {"api service internal/api", "indexer worker internal/indexer"},   // a switch on the first argument
		"ctl":      {"gateway service internal/gateway", "jobs worker internal/jobs"}, // cobra subcommands; version is none
	}
	for name, w := range want {
		if !slices.Equal(got[name], w) {
			t.Errorf("%s components %q, want %q", name, got[name], w)
		}
	}
	if res.Signals.Services != 2 || res.Signals.Workers != 2 || res.Signals.Components != 4 || res.Architecture.Current != "microservices" {
		t.Errorf("signals %+v, architecture %s", res.Signals, res.Architecture.Current)
	}
}

// A bundle runs other deployables' entry code in one process: it is listed on them, and what it
// reaches through them is neither sharing nor a call.
func TestBundle(t *testing.T) {
	res, err := Run(context.Background(), Options{Dir: filepath.Join("..", "testdata", "fixtures", "allinone")})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Deployables {
		if want := d.Name == "all-in-one"; d.IsBundle() != want || want && !slices.Equal(d.Bundles, []string{"collector", "query"}) {
			t.Errorf("%s bundles %v", d.Name, d.Bundles)
		}
	}
	for _, f := range res.Findings {
		if slices.Contains(f.Deployables, "all-in-one") || strings.HasPrefix(f.File, "cmd/all-in-one") {
			t.Errorf("a finding on the bundle: %s", f.Text())
		}
	}
	for _, c := range res.Calls {
		if c.From == "all-in-one" || c.To == "all-in-one" {
			t.Errorf("a call of the bundle: %+v", c)
		}
	}
	if len(res.Calls) != 1 || res.Signals.Services != 2 || res.Signals.Bundles != 1 || res.Signals.SharedTables != 1 {
		t.Errorf("calls %v, signals %+v", res.Calls, res.Signals)
	}
}

// Schema migrations keep the tables: the module that runs them shares none.
func TestMigrationsShareNothing(t *testing.T) {
	res, err := Run(context.Background(), Options{Dir: filepath.Join("..", "testdata", "fixtures", "migrations")})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		t.Errorf("unexpected finding: %s", f.Text())
	}
	var migration int
	for _, tb := range res.Tables {
		for _, a := range tb.Accesses {
			if a.Migration {
				migration++
			}
		}
	}
	if migration != 1 {
		t.Errorf("%d accesses marked as migrations, want 1", migration)
	}
}

// A repository with no program says so plainly, and speaks of a library, never of a deployable.
func TestLibraryShipsNothing(t *testing.T) {
	res := analyzeFiles(t, map[string]string{
		"go.mod":           "module example.com/lib\n\ngo 1.24\n",
		"lib.go":           "package lib\n\n// Add adds.\nfunc Add(a, b int) int { return a + b }\n",
		"internal/x/x.go":  "package x\n\n// X is x.\nconst X = 1\n",
		"tools/gen/gen.go": "package main\n\nfunc main() {}\n",
	})
	ev := strings.Join(res.Architecture.Evidence, "\n")
	if !strings.Contains(ev, "ships no program") || strings.Contains(ev, "one deployable") {
		t.Errorf("evidence:\n%s", ev)
	}
}

// A program organised by layer (controller, usecase, repo) is a layered monolith, however clean
// the imports between its layers; one organised by domain is a modular monolith.
func TestLayersAreNotModules(t *testing.T) {
	build := func(mods []string, generated ...string) *model.Result {
		files := map[string]string{"go.mod": "module example.com/app\n\ngo 1.24\n"}
		main := "package main\n\nimport (\n"
		for _, m := range mods {
			header := ""
			if slices.Contains(generated, m) {
				header = "// Code generated by protoc-gen-go. DO NOT EDIT.\n\n"
			}
			for _, sub := range []string{"a", "b"} {
				files["internal/"+m+"/"+sub+"/"+sub+".go"] = header + "package " + sub + "\n\n// F is f.\nfunc F() int { return 1 }\n"
				main += "\t_ \"example.com/app/internal/" + m + "/" + sub + "\"\n"
			}
		}
		files["cmd/app/main.go"] = main + ")\n\nfunc main() {}\n"
		return analyzeFiles(t, files)
	}
	res := build([]string{"controller", "usecase", "repo", "entity"})
	if res.Architecture.Current != "monolith" || !strings.Contains(strings.Join(res.Architecture.Evidence, " "), "layered monolith") {
		t.Errorf("layers: %s %v", res.Architecture.Current, res.Architecture.Evidence)
	}
	res = build([]string{"orders", "billing", "shipping", "platform"})
	if res.Architecture.Current != "modular-monolith" {
		t.Errorf("domain modules: %s %v", res.Architecture.Current, res.Architecture.Evidence)
	}
	// An identity server: a server, its storage and its connectors to identity providers are
	// layers and adapters; one helper module (expressions) is the only other, and the API's
	// generated stubs are a contract, neither.
	res = build([]string{"server", "storage", "connector", "expr", "apistubs"}, "apistubs")
	if res.Architecture.Current != "monolith" || !strings.Contains(strings.Join(res.Architecture.Evidence, " "), "layered monolith") {
		t.Errorf("adapters and a contract: %s %v", res.Architecture.Current, res.Architecture.Evidence)
	}
	// A comment engine: its REST layer, store, notification senders, page templates and
	// importers are what its code is, not what it is about.
	res = build([]string{"rest", "store", "notify", "templates", "migrator"})
	if res.Architecture.Current != "monolith" || !strings.Contains(strings.Join(res.Architecture.Evidence, " "), "layered monolith") {
		t.Errorf("presentation and senders: %s %v", res.Architecture.Current, res.Architecture.Evidence)
	}
}

// A Serve that writes one response (fsys.Serve(w, r, key, name)) starts no server; one on a
// listener does.
func TestServeOnAListenerOnly(t *testing.T) {
	kindOf := func(body string) string {
		files := map[string]string{
			"go.mod": "module example.com/dl\n\ngo 1.24\n",
			"main.go": `package main

import (
	"net"
	"net/http"
)

type files struct{}

func (files) Serve(w http.ResponseWriter, r *http.Request, key, name string) {}

func download(w http.ResponseWriter, r *http.Request) { files{}.Serve(w, r, "k", "n") }

var _ = net.Listen

func main() {
	` + body + `
}
`}
		res := analyzeFiles(t, files)
		if len(res.Deployables) != 1 {
			t.Fatalf("%d deployables", len(res.Deployables))
		}
		return res.Deployables[0].Kind
	}
	if k := kindOf(`download(nil, nil)`); k != "cli" {
		t.Errorf("a download handler's Serve made a %s", k)
	}
	if k := kindOf(`l, _ := net.Listen("tcp", ":8080"); http.Serve(l, nil)`); k != "service" {
		t.Errorf("http.Serve on a listener made a %s", k)
	}
}

// analyzeFiles writes a repository of the given files (path to content) into a temporary
// directory and analyses it.
func analyzeFiles(t *testing.T, files map[string]string) *model.Result {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Run(context.Background(), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// DIR a directory inside a module: the module's go.mod above it is read where it is, with no
// warning, as the go command reads it.
func TestDirInsideAModule(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"go.mod":                      "module example.com/mono\n\ngo 1.24\n",
		"services/orders/orders.go":   "package orders\n\n// N is n.\nconst N = 1\n",
		"services/orders/cmd/main.go": "package main\n\nimport _ \"example.com/mono/services/orders\"\n\nfunc main() {}\n",
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := Run(context.Background(), Options{Dir: filepath.Join(dir, "services", "orders")})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 0 || len(res.GoModules) != 1 || res.GoModules[0].Path != "example.com/mono" || res.GoModules[0].Dir != "../.." {
		t.Errorf("warnings %v, modules %v", res.Warnings, res.GoModules)
	}
	if len(res.Packages) != 2 {
		t.Errorf("%d packages, want 2", len(res.Packages))
	}
}

package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cleave-dev/cleave/analyze"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/system"
	"github.com/cleave-dev/cleave/rules"
)

var shopSystem = filepath.Join(fixtures, "shopsystem", "system.yaml")

func init() { runSystem = systemOnce }

// systemOnce analyses each system of the bundled fixtures once and hands every command the
// same result, as analyzeOnce does for one repository.
func systemOnce(ctx context.Context, spec *system.Spec, opts analyze.Options, config func(string) (*rules.Config, error)) (*model.Result, error) {
	if ctx.Value(freshKey{}) != nil {
		return analyze.RunSystem(ctx, spec, opts, config)
	}
	return shared(fmt.Sprintf("system|%+v|%v", *spec, opts.Tests), func() (*model.Result, error) { return analyze.RunSystem(ctx, spec, opts, config) })
}

// The shop system in every format matches its golden files, byte for byte, run after run.
func TestSystemGolden(t *testing.T) {
	first, stderr, code := run(t, "analyze", "--format", "json", "--system", shopSystem)
	if code != 0 {
		t.Fatalf("analyze exit %d: %s", code, stderr)
	}
	if second, _, _ := runFresh(t, "analyze", "--format", "json", "--system", shopSystem); second != first {
		t.Fatal("analyze --system --format json is not byte-identical across runs")
	}
	golden(t, "shopsystem.analyze.json", first)
	for _, c := range []struct {
		args []string
		name string
	}{
		{[]string{"analyze"}, "shopsystem.analyze.txt"},
		{[]string{"analyze", "--format", "markdown"}, "shopsystem.analyze.md"},
		{[]string{"lint"}, "shopsystem.lint.txt"},
		{[]string{"lint", "--format", "json"}, "shopsystem.lint.json"},
		{[]string{"lint", "--format", "sarif"}, "shopsystem.lint.sarif"},
		{[]string{"lint", "--format", "github"}, "shopsystem.lint.github.txt"},
		{[]string{"lint", "--format", "markdown"}, "shopsystem.lint.md"},
		{[]string{"report", "--date", "2026-11-25"}, "shopsystem.report.md"},
		{[]string{"report", "--date", "2026-11-25", "--format", "adr"}, "shopsystem.report.adr.md"},
		{[]string{"report", "--date", "2026-11-25", "--format", "json"}, "shopsystem.report.json"},
	} {
		out, stderr, code := run(t, append(c.args, "--system", shopSystem)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", c.args, code, stderr)
		}
		golden(t, c.name, out)
	}
}

// What the system shows: the calls, the table and the database that cross its repositories,
// each with evidence in both, and names prefixed only where two repositories share one.
func TestSystemCouplings(t *testing.T) {
	out, stderr, code := run(t, "analyze", "--format", "json", "--system", shopSystem)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res model.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, d := range res.Deployables {
		names[d.Name] = d.Repository
	}
	for name, repo := range map[string]string{"orders": "orders", "billing": "orders", "inventory": "inventory", "dispatch": "inventory", "orders/migrate": "orders", "inventory/migrate": "inventory"} {
		if names[name] != repo {
			t.Errorf("deployable %s: repository %q, want %q (all: %v)", name, names[name], repo, names)
		}
	}
	var kinds []string
	for _, c := range res.Couplings {
		kinds = append(kinds, c.What)
		repos := map[string]bool{}
		for _, e := range c.Evidence {
			repos[strings.SplitN(e.File, "/", 2)[0]] = true
		}
		if c.Kind != model.CouplingCall && len(repos) < 2 {
			t.Errorf("%s %s: evidence in %v, want both repositories", c.Kind, c.What, repos)
		}
	}
	want := []string{"inventory → billing over http", "orders → dispatch over kafka", "orders → inventory over http", "table orders", "database postgres:5432/shop"}
	if strings.Join(kinds, "; ") != strings.Join(want, "; ") {
		t.Errorf("couplings %q, want %q", kinds, want)
	}
	rulesFound := map[string]int{}
	for _, f := range res.Findings {
		if strings.Contains(f.Message, "across repositories") {
			rulesFound[f.Rule]++
		}
	}
	for _, r := range []string{rules.SharedTable, rules.SharedDSN, rules.SyncChain} {
		if rulesFound[r] != 1 {
			t.Errorf("%s across repositories: %d findings, want 1 (%v)", r, rulesFound[r], rulesFound)
		}
	}
	// orders calls inventory through the inventory repository's client library: where it
	// builds the client, and where it makes the request.
	for _, c := range res.Couplings {
		if c.What == "orders → inventory over http" {
			var sites []string
			for _, e := range c.Evidence {
				sites = append(sites, fmt.Sprintf("%s:%d", e.File, e.Line))
			}
			if strings.Join(sites, " ") != "orders/cmd/orders/main.go:24 orders/internal/orders/orders.go:59" {
				t.Errorf("orders → inventory at %v, want the client's construction and its Reserve request", sites)
			}
		}
	}
	// The billing database is its own: billing shares no DSN with the others.
	for _, c := range res.Couplings {
		if c.Kind == model.CouplingDatabase && strings.Contains(strings.Join(c.Deployables, ","), "billing") {
			t.Errorf("billing reaches database billing, yet shares %s", c.What)
		}
	}
}

// Directories on the command line make the same system as the file, named after them.
func TestSystemFromDirs(t *testing.T) {
	dir := filepath.Join(fixtures, "shopsystem")
	out, stderr, code := run(t, "analyze", "--format", "json", filepath.Join(dir, "orders"), filepath.Join(dir, "inventory"), filepath.Join(dir, "deploy"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	fromFile, _, _ := run(t, "analyze", "--format", "json", "--system", shopSystem)
	var a, b model.Result
	if json.Unmarshal([]byte(out), &a) != nil || json.Unmarshal([]byte(fromFile), &b) != nil {
		t.Fatal("bad JSON")
	}
	if len(a.Calls) != len(b.Calls) || len(a.Findings) != len(b.Findings) || len(a.Couplings) != len(b.Couplings) || a.System != "" {
		t.Errorf("from directories: %d calls, %d findings, %d couplings, system %q; from the file: %d, %d, %d",
			len(a.Calls), len(a.Findings), len(a.Couplings), a.System, len(b.Calls), len(b.Findings), len(b.Couplings))
	}
	if a.Repositories[2].Role != model.RoleDeployment {
		t.Errorf("deploy, which holds no go.mod: role %q", a.Repositories[2].Role)
	}
	// assess reads the system too, and takes what the code shows as answers.
	out, stderr, code = run(t, "assess", "--format", "json", "--repo", filepath.Join(dir, "orders")+","+filepath.Join(dir, "inventory"), "--repo", filepath.Join(dir, "deploy"))
	if code != 0 || !strings.Contains(out, `"shared_database"`) {
		t.Fatalf("assess --repo a,b --repo c: exit %d: %s%s", code, stderr, out)
	}
}

// Bad usage of a system is exit 2 with a message that names what is wrong and where.
func TestSystemUsageErrors(t *testing.T) {
	tmp := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	dir := filepath.Join(fixtures, "shopsystem")
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown key", []string{"analyze", "--system", write("a.yaml", "name: x\nrepos:\n  - path: .\n")}, 2, `a.yaml:2: unknown key "repos"`},
		{"no such repository", []string{"analyze", "--system", write("b.yaml", "repositories:\n  - path: nowhere\n")}, 2, "b.yaml:2: nowhere: no such directory"},
		{"two of one name", []string{"analyze", "--system", write("c.yaml", "repositories:\n  - path: "+filepath.ToSlash(abs)+"/orders\n  - path: "+filepath.ToSlash(abs)+"/inventory\n    name: orders\n")}, 2, `repository name "orders" is taken`},
		{"bad name", []string{"analyze", "--system", write("d.yaml", "repositories:\n  - path: .\n    name: a/b\n")}, 2, `d.yaml:2: repository name "a/b"`},
		{"not yaml", []string{"analyze", "--system", write("e.yaml", "repositories: [\n")}, 2, "e.yaml"},
		{"empty", []string{"analyze", "--system", write("f.yaml", "")}, 2, "f.yaml: empty"},
		{"file and dirs", []string{"analyze", "--system", shopSystem, dir}, 2, "give no directory beside it"},
		{"config", []string{"analyze", "--config", write(".cleave.yaml", "version: 1\n"), filepath.Join(dir, "orders"), filepath.Join(dir, "inventory")}, 2, "each repository of a system"},
		{"new-from-rev", []string{"lint", "--new-from-rev", "HEAD", "--system", shopSystem}, 2, "one repository with a revision"},
		{"baseline from dirs", []string{"lint", "--update-baseline", filepath.Join(dir, "orders"), filepath.Join(dir, "inventory")}, 2, "--baseline FILE"},
		{"no Go at all", []string{"analyze", filepath.Join(dir, "deploy"), tmp}, 3, "no repository of the system holds a Go module"},
		{"dir twice", []string{"analyze", filepath.Join(dir, "orders"), filepath.Join(dir, "orders") + "/"}, 3, "is listed already"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, stderr, code := run(t, c.args...)
			if code != c.code || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, c.code, c.want)
			}
			if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
				t.Errorf("a stack trace: %s", stderr)
			}
		})
	}
}

// A repository with Go code but no go.mod is no code repository: a warning says its code is
// not analysed, and the rest of the system is.
func TestSystemGoWithoutModule(t *testing.T) {
	old := t.TempDir()
	if err := os.WriteFile(filepath.Join(old, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := run(t, "analyze", "--format", "json", filepath.Join(fixtures, "shopsystem", "orders"), old)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var res model.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range res.Warnings {
		found = found || strings.Contains(w.Message, "1 .go file but no go.mod")
	}
	if !found || res.Repositories[1].Role != model.RoleOther || len(res.Deployables) != 3 {
		t.Errorf("warnings %+v, repositories %+v, %d deployables", res.Warnings, res.Repositories, len(res.Deployables))
	}
}

// Each repository's findings are graded by its own .cleave.yaml; the system's by the rules'
// defaults: a repository that turns db/shared-dsn off loses its own finding, not the system's.
func TestSystemRepositoryConfig(t *testing.T) {
	dir := copyTree(t, filepath.Join(fixtures, "shopsystem"))
	if err := os.WriteFile(filepath.Join(dir, "orders", ".cleave.yaml"), []byte("version: 1\nrules:\n  db/shared-dsn: off\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := run(t, "lint", "--format", "json", "--system", filepath.Join(dir, "system.yaml"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var own, system int
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "connect to a database through the same") {
			if strings.Contains(line, "across repositories") {
				system++
			} else if strings.Contains(line, "orders/migrate") {
				own++
			}
		}
	}
	if own != 0 || system != 1 {
		t.Errorf("orders' own shared-dsn findings %d (want 0: its config turns the rule off), the system's %d (want 1)\n%s", own, system, out)
	}
}

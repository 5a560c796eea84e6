package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/cleave-dev/cleave/analyze"
	"github.com/cleave-dev/cleave/analyze/detect"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const fixtures = "../testdata/fixtures"

// run executes cleave with args and returns stdout, stderr and the exit code.
func run(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	return runWithEnv(t, nil, args...)
}

// runFresh runs cleave with an analysis of its own rather than the result the tests share.
func runFresh(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	ios := &IO{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }}
	code := Execute(context.WithValue(context.Background(), freshKey{}, true), ios, args)
	return out.String(), errOut.String(), code
}

// freshKey marks a context whose command must not use the shared analysis.
type freshKey struct{}

func golden(t *testing.T, name, got string) {
	t.Helper()
	file := filepath.Join("..", "testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file:\n%s", name, diff(string(want), got))
	}
}

// diff shows the first differing lines of two texts.
func diff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n- " + w + "\n+ " + g
		}
	}
	return "(same lines, different endings)"
}

// Every fixture: analyze JSON and lint text match their golden files, byte for byte, run after run.
func TestFixturesGolden(t *testing.T) {
	cases := []struct {
		fixture  string
		lintCode int
	}{
		{"modmono", 0},
		{"tangled", 0},
		{"configured", 1},
		{"workspace", 0},
		{"broken", 0},
		{"multiservice", 0},
		{"sharedb", 1},
		{"bunshop", 0},
		{"intent", 0},
		{"layered", 1},
		{"shipping", 0},
		{"multirole", 0},
		{"allinone", 0},
		{"framework", 0},
		{"stubcopies", 0},
		{"ddbstream", 0},
		{"ormnames", 0},
		{"migrations", 0},
		{"daoshared", 1},
		{"ownedtables", 0},
		{"distmono", 1},
		{"eventdriven", 0},
		{"serverless", 0},
		{"sqlcgen", 0},
		{"entshop", 0},
		{"confprefix", 0},
		{"namedsql", 0},
		{"firestoreshop", 0},
		{"rolecalls", 0},
		{"polyglot", 0},
		{"configlibs", 0},
		{"buswrapper", 0},
		{"gopgshop", 0},
		{"dsnconfig", 0},
		{"gatewayshop", 0},
		{"amqpoptions", 0},
		{"adminimport", 0},
		{"rpcledger", 0},
		{"gozeroshop", 0},
		{"gormv1blog", 0},
		{"gormv1ini", 0},
		{"gormtwonames", 1},
		{"desktopvariant", 0},
		{"cloudwegoshop", 0},
		{"kratosshop", 0},
		{"tutorialcopies", 0},
		{"sqlcchecked", 0},
		{"dbxalbums", 0},
		{"routesgen", 0},
		{"beegoregistry", 0},
		{"interfacereach", 0},
		{"tracestore", 0},
		{"boltnotes", 0},
		{"flagcommands", 0},
		{"envclient", 0},
		{"helpermains", 0},
		{"yamlconfig", 0},
		{"viperkafka", 0},
		{"httphelpers", 0},
		{"managerbundle", 0},
	}
	for _, c := range cases {
		t.Run(c.fixture, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(fixtures, c.fixture)
			first, stderr, code := run(t, "analyze", "--format", "json", dir)
			if code != 0 {
				t.Fatalf("analyze exit %d: %s", code, stderr)
			}
			// A second analysis of its own, past the shared result: the same bytes.
			second, _, _ := runFresh(t, "analyze", "--format", "json", dir)
			if first != second {
				t.Fatalf("analyze --format json is not byte-identical across runs")
			}
			golden(t, c.fixture+".analyze.json", first)

			text, _, code := run(t, "analyze", dir)
			if code != 0 {
				t.Fatalf("analyze (text) exit %d", code)
			}
			golden(t, c.fixture+".analyze.txt", text)

			lint, stderr, code := run(t, "lint", dir)
			if code != c.lintCode {
				t.Fatalf("lint exit %d, want %d\n%s%s", code, c.lintCode, lint, stderr)
			}
			golden(t, c.fixture+".lint.txt", lint)
		})
	}
}

func TestCleanModularMonolithHasNoFindings(t *testing.T) {
	out, stderr, code := run(t, "lint", "--fail-on", "warning", filepath.Join(fixtures, "modmono"))
	if code != 0 || out != "" {
		t.Fatalf("exit %d, output %q, stderr %q; want exit 0 and no findings", code, out, stderr)
	}
	if !strings.Contains(stderr, "no findings") {
		t.Errorf("stderr %q does not say there are no findings", stderr)
	}
}

func TestTestsFlagIncludesTestImports(t *testing.T) {
	out, _, code := run(t, "lint", "--tests", "--fail-on", "warning", filepath.Join(fixtures, "modmono"))
	if code != 1 || !strings.Contains(out, "internal/billing/billing_test.go:6:2: warning:") {
		t.Fatalf("exit %d, output %q; want the test file's private import", code, out)
	}
}

func TestBadConfigExit2NamesLines(t *testing.T) {
	out, stderr, code := run(t, "lint", filepath.Join(fixtures, "badconfig"))
	if code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if out != "" {
		t.Errorf("stdout should be empty on a config error, got %q", out)
	}
	for _, want := range []string{
		".cleave.yaml:5:5: module core: unknown key \"dependson\"",
		".cleave.yaml:6:3: modules core and web overlap",
		".cleave.yaml:9:10: table \"users\": unknown module \"identity\"",
		".cleave.yaml:11:3: unknown rule \"boundary/privat-import\"",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestExitCodes(t *testing.T) {
	empty := t.TempDir()
	cases := []struct {
		name string
		args []string
		code int
		err  string
	}{
		{"unknown flag", []string{"lint", "--nope"}, 2, "unknown flag: --nope"},
		{"unknown format", []string{"lint", "--format", "xml", filepath.Join(fixtures, "modmono")}, 2, `unknown format "xml"`},
		{"bad fail-on", []string{"lint", "--fail-on", "sometimes", filepath.Join(fixtures, "modmono")}, 2, "--fail-on"},
		{"missing config", []string{"lint", "--config", filepath.Join(empty, "none.yaml"), filepath.Join(fixtures, "modmono")}, 2, "none.yaml"},
		{"no module", []string{"analyze", empty}, 3, "no Go module"},
		{"missing dir", []string{"analyze", filepath.Join(empty, "missing")}, 3, "missing: no such directory"},
		{"file as dir", []string{"lint", filepath.Join(fixtures, "modmono", "go.mod")}, 3, "go.mod is a file: cleave analyses a directory"},
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"fail on warning", []string{"lint", "--fail-on", "warning", filepath.Join(fixtures, "tangled")}, 1, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, stderr, code := run(t, c.args...)
			if code != c.code {
				t.Fatalf("exit %d, want %d (stderr %q)", code, c.code, stderr)
			}
			if !strings.Contains(stderr, c.err) {
				t.Errorf("stderr %q lacks %q", stderr, c.err)
			}
		})
	}
}

// copyTree copies a fixture so that a test may write into it.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if fi.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// init writes a config that describes the code as it is: linting with it finds what
// linting without it found, and no forbidden dependency.
// declaredView is lint's text output as it reads once the inferred boundaries are declared.
func declaredView(out string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(out, "\n") {
		if strings.Contains(line, detect.InferredNote) {
			line = strings.Replace(strings.Replace(line, detect.InferredNote, "", 1), ": warning: ", ": error: ", 1)
		}
		b.WriteString(line)
	}
	return b.String()
}

func TestInitRoundTrip(t *testing.T) {
	for _, fixture := range []string{"modmono", "tangled", "multiservice", "workspace"} {
		t.Run(fixture, func(t *testing.T) {
			dir := copyTree(t, filepath.Join(fixtures, fixture))
			before, _, _ := run(t, "lint", dir)
			if _, stderr, code := run(t, "init", dir); code != 0 {
				t.Fatalf("init exit %d: %s", code, stderr)
			}
			cfg, err := os.ReadFile(filepath.Join(dir, ".cleave.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			after, stderr, code := run(t, "lint", dir)
			// Declared, the same boundaries give the same findings, as errors and without the
			// note that they were inferred.
			if code == 2 || after != declaredView(before) {
				t.Fatalf("lint with the written config (exit %d, %s) differs:\nbefore:\n%s\nafter:\n%s\nconfig:\n%s", code, stderr, before, after, cfg)
			}
			_, stderr, code = run(t, "init", dir)
			if code != 2 || !strings.Contains(stderr, "--force") {
				t.Fatalf("second init: exit %d, %q; want a refusal naming --force", code, stderr)
			}
			if _, _, code := run(t, "init", "--force", dir); code != 0 {
				t.Fatalf("init --force exit %d", code)
			}
		})
	}
}

func TestInitGolden(t *testing.T) {
	dir := copyTree(t, filepath.Join(fixtures, "tangled"))
	if _, stderr, code := run(t, "init", dir); code != 0 {
		t.Fatalf("init exit %d: %s", code, stderr)
	}
	data, err := os.ReadFile(filepath.Join(dir, ".cleave.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "tangled.init.yaml", string(data))
}

func TestOutputFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "a.json")
	stdout, _, code := run(t, "analyze", "--format", "json", "-o", out, filepath.Join(fixtures, "modmono"))
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	data, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(data, []byte("{\n  \"schemaVersion\": 1,")) {
		t.Fatalf("output file: %v %q", err, data)
	}
	// A failing run leaves no file behind.
	bad := filepath.Join(t.TempDir(), "b.json")
	if _, _, code := run(t, "analyze", "--format", "json", "-o", bad, t.TempDir()); code != 3 {
		t.Fatalf("exit %d, want 3", code)
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Errorf("a failed run left %s behind", bad)
	}
}

func TestRulesCommand(t *testing.T) {
	out, _, code := run(t, "rules")
	if code != 0 || !strings.Contains(out, "boundary/module-cycle") || !strings.Contains(out, "boundary/private-import") {
		t.Fatalf("exit %d, %q", code, out)
	}
	out, _, code = run(t, "rules", "boundary/private-import")
	if code != 0 || !strings.Contains(out, "How to fix it") || !strings.Contains(out, "Guide:") {
		t.Fatalf("exit %d, %q", code, out)
	}
	if _, stderr, code := run(t, "rules", "no/such"); code != 2 || !strings.Contains(stderr, "unknown rule") {
		t.Fatalf("exit %d, %q", code, stderr)
	}
}

func TestVersion(t *testing.T) {
	out, _, code := run(t, "version")
	if code != 0 || !strings.HasPrefix(out, "cleave ") || !strings.Contains(out, "commit:") {
		t.Fatalf("exit %d, %q", code, out)
	}
}

func TestMain(m *testing.M) {
	version = "test" // golden files must not depend on how the test binary was stamped
	runAnalysis = analyzeOnce
	cache, err := os.MkdirTemp("", "cleave-cache-")
	if err != nil {
		panic(err)
	}
	cacheDirFor = func(*IO) string { return cache } // never the user's own cache
	code := m.Run()
	os.RemoveAll(cache)
	os.Exit(code)
}

// analyzeOnce analyses each bundled fixture once per configuration and hands every command the
// same result: commands render it and never change it. Copies in temporary directories, which
// tests edit between runs, are analysed afresh every time.
func analyzeOnce(ctx context.Context, opts analyze.Options) (*model.Result, error) {
	abs, err := filepath.Abs(opts.Dir)
	if err != nil || !strings.Contains(filepath.ToSlash(abs), "/testdata/fixtures/") || ctx.Value(freshKey{}) != nil {
		return analyze.Run(ctx, opts)
	}
	cfgFile := ""
	if opts.Config != nil {
		cfgFile = opts.Config.File
	}
	return shared(fmt.Sprintf("%s|%s|%v", abs, cfgFile, opts.Tests), func() (*model.Result, error) { return analyze.Run(ctx, opts) })
}

// shared runs an analysis once per key and hands every caller its result.
func shared(key string, run func() (*model.Result, error)) (*model.Result, error) {
	analysesMu.Lock()
	e := analyses[key]
	if e == nil {
		e = &analysis{}
		analyses[key] = e
	}
	analysesMu.Unlock()
	e.once.Do(func() { e.res, e.err = run() })
	return e.res, e.err
}

type analysis struct {
	once sync.Once
	res  *model.Result
	err  error
}

var (
	analysesMu sync.Mutex
	analyses   = map[string]*analysis{}
)

// Every lint format on the fixtures matches its golden file.
func TestLintFormatsGolden(t *testing.T) {
	for fixture, want := range map[string]int{"tangled": 0, "distmono": 1, "sharedb": 1} { // tangled's boundaries are inferred: warnings
		for _, format := range []string{"sarif", "github", "markdown", "json"} {
			out, stderr, code := run(t, "lint", "--format", format, filepath.Join(fixtures, fixture))
			if code != want {
				t.Fatalf("%s %s: exit %d: %s", fixture, format, code, stderr)
			}
			ext := map[string]string{"sarif": "sarif", "github": "github.txt", "markdown": "md", "json": "json"}[format]
			golden(t, fixture+".lint."+ext, out)
		}
	}
}

// A repository with violations adopts the gate: baselined → exit 0; a new violation → exit 1
// naming only it; a fixed one → reported stale, and a failure with --strict-baseline.
func TestBaselineAdoption(t *testing.T) {
	dir := copyTree(t, filepath.Join(fixtures, "tangled"))
	// A team adopts the gate: it declares the boundaries as they are, then baselines the debt.
	if _, stderr, code := run(t, "init", dir); code != 0 {
		t.Fatalf("init: exit %d, %s", code, stderr)
	}
	if _, stderr, code := run(t, "lint", "--update-baseline", dir); code != 0 || !strings.Contains(stderr, "wrote") {
		t.Fatalf("update-baseline: exit %d, %s", code, stderr)
	}
	base, err := os.ReadFile(filepath.Join(dir, ".cleave-baseline.yaml"))
	if err != nil || !bytes.Contains(base, []byte("fingerprint:")) || bytes.Contains(base, []byte("\n    line:")) {
		t.Fatalf("baseline: %v\n%s", err, base)
	}
	out, stderr, code := run(t, "lint", dir)
	if code != 0 || out != "" || !strings.Contains(stderr, "4 findings baselined") {
		t.Fatalf("with baseline: exit %d, out %q, stderr %q", code, out, stderr)
	}
	// A new private import.
	newFile := filepath.Join(dir, "internal", "shipping", "rates.go")
	if err := os.WriteFile(newFile, []byte("package shipping\n\nimport \"example.com/tangled/internal/billing/invoice\"\n\nvar _ = invoice.Issue\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code = run(t, "lint", dir)
	if code != 1 || strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, "internal/shipping/rates.go:3:8: error:") {
		t.Fatalf("new violation: exit %d, out %q", code, out)
	}
	js, _, _ := run(t, "lint", "--format", "json", dir)
	if !strings.Contains(js, `"baselined": true`) || !strings.Contains(js, `"baselined": 4`) {
		t.Errorf("JSON does not mark baselined findings:\n%s", js)
	}
	// Fix one baselined violation: its entry goes stale.
	if err := os.Remove(newFile); err != nil {
		t.Fatal(err)
	}
	inv := filepath.Join(dir, "internal", "billing", "invoice", "invoice.go")
	if err := os.WriteFile(inv, []byte("package invoice\n\nimport \"example.com/tangled/pkg/money\"\n\ntype Invoice struct{ Order string; Total money.Amount }\n\nfunc Issue(order string) Invoice { return Invoice{Order: order} }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code = run(t, "lint", dir)
	if code != 0 || !strings.Contains(stderr, "stale baseline entry") {
		t.Fatalf("fixed violation: exit %d, stderr %q", code, stderr)
	}
	if _, _, code := run(t, "lint", "--strict-baseline", dir); code != 1 {
		t.Fatalf("--strict-baseline with stale entries: exit %d, want 1", code)
	}
	// A broken baseline is bad input.
	if err := os.WriteFile(filepath.Join(dir, ".cleave-baseline.yaml"), []byte("version: 1\nfindings:\n  - rule: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := run(t, "lint", dir); code != 2 || !strings.Contains(stderr, ".cleave-baseline.yaml:3:5") {
		t.Fatalf("broken baseline: exit %d, %q", code, stderr)
	}
}

func TestGitHubStepSummary(t *testing.T) {
	summary := filepath.Join(t.TempDir(), "summary.md")
	var out, errOut bytes.Buffer
	ios := &IO{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Getenv: func(k string) string {
		if k == "GITHUB_STEP_SUMMARY" {
			return summary
		}
		return ""
	}}
	if code := Execute(context.Background(), ios, []string{"lint", "--format", "github", "--fail-on", "warning", filepath.Join(fixtures, "tangled")}); code != 1 {
		t.Fatalf("exit %d", code)
	}
	if !strings.HasPrefix(out.String(), "::warning file=internal/billing/invoice/invoice.go,line=4,col=2,title=cleave boundary/module-cycle::") {
		t.Errorf("workflow commands: %q", out.String())
	}
	data, err := os.ReadFile(summary)
	if err != nil || !strings.Contains(string(data), "## cleave lint") {
		t.Errorf("step summary: %v %q", err, data)
	}
}

func TestAssessHeadless(t *testing.T) {
	answers := filepath.Join("..", "testdata", "answers", "premature-microservices.yaml")
	out, stderr, code := run(t, "assess", "--answers", answers, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	golden(t, "assess-premature-microservices.cli.json", out)
	md, _, _ := run(t, "assess", "--answers", answers, "--format", "markdown")
	golden(t, "assess-premature-microservices.md", md)
	text, _, _ := run(t, "assess", "--answers", answers)
	golden(t, "assess-premature-microservices.txt", text)
	// No single answer tips the large organisation: the combinations and the plan, in text.
	large, _, _ := run(t, "assess", "--answers", filepath.Join("..", "testdata", "answers", "large-organisation.yaml"))
	golden(t, "assess-large-organisation.txt", large)
	if _, _, code := run(t, "assess", "--answers", answers, "--fail-on", "high"); code != 1 {
		t.Errorf("--fail-on high with high warnings: exit %d, want 1", code)
	}
	if _, _, code := run(t, "assess", "--answers", filepath.Join("..", "testdata", "answers", "early-startup.yaml"), "--fail-on", "medium"); code != 0 {
		t.Errorf("--fail-on medium without warnings: exit %d, want 0", code)
	}
	for _, c := range []struct {
		args []string
		err  string
	}{
		{[]string{"assess"}, "--answers FILE or --set id=value"},
		{[]string{"assess", "--set", "team_size=lots"}, "team_size: expected a whole number"},
		{[]string{"assess", "--set", "nope=1"}, `unknown question "nope"`},
		{[]string{"assess", "--set", "team_size"}, "expected id=value"},
		{[]string{"assess", "--set", "team_size=3", "--fail-on", "low"}, "--fail-on"},
		{[]string{"assess", "--answers", filepath.Join(fixtures, "badconfig", ".cleave.yaml")}, `unknown key "modules"`},
	} {
		if _, stderr, code := run(t, c.args...); code != 2 || !strings.Contains(stderr, c.err) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args, code, stderr, c.err)
		}
	}
}

// --repo fills in what the code shows, with evidence; the saved answers keep it, and a person's
// answer wins over the code's.
func TestAssessRepo(t *testing.T) {
	saved := filepath.Join(t.TempDir(), "answers.yaml")
	out, stderr, code := run(t, "assess", "--repo", filepath.Join(fixtures, "sharedb"), "--set", "team_size=12",
		"--set", "sync_chains=yes", "--save-answers", saved, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{`"shared_database": {`, `"source": "code"`, "2 tables are used by two or more deployables", `"existing": {`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if !strings.Contains(out, `"sync_chains": {
      "value": "yes",
      "source": "answer"`) {
		t.Errorf("a person's answer did not win over the code's:\n%s", out)
	}
	data, err := os.ReadFile(saved)
	if err != nil || !strings.Contains(string(data), "shared_database: \"yes\"    # from the code:") {
		t.Fatalf("saved answers: %v\n%s", err, data)
	}
	again, _, code := run(t, "assess", "--answers", saved, "--format", "json")
	if code != 0 || !strings.Contains(again, `"architecture": "modular-monolith"`) {
		t.Errorf("re-reading the saved answers: exit %d\n%s", code, again)
	}
}

// The report in every format on the fixtures matches its golden file; the Mermaid blocks are
// checked by mermaid's own parser in .ci/validate-mermaid.
func TestReportGolden(t *testing.T) {
	answers := filepath.Join("..", "testdata", "answers", "premature-microservices.yaml")
	for _, c := range []struct {
		fixture string
		args    []string
		name    string
	}{
		{"distmono", nil, "distmono.report"},
		{"sharedb", []string{"--answers", answers}, "sharedb.report"},
		{"tangled", nil, "tangled.report"},
		{"eventdriven", nil, "eventdriven.report"},
		{"serverless", nil, "serverless.report"},
	} {
		for _, format := range []string{"markdown", "adr", "json"} {
			args := append([]string{"report", "--format", format, "--date", "2026-11-25", filepath.Join(fixtures, c.fixture)}, c.args...)
			out, stderr, code := run(t, args...)
			if code != 0 {
				t.Fatalf("%s %s: exit %d: %s", c.fixture, format, code, stderr)
			}
			ext := map[string]string{"markdown": "md", "adr": "adr.md", "json": "json"}[format]
			golden(t, c.name+"."+ext, out)
		}
	}
	if _, stderr, code := run(t, "report", "--date", "25/11/2026", filepath.Join(fixtures, "modmono")); code != 2 || !strings.Contains(stderr, "--date") {
		t.Errorf("bad --date: exit %d, %q", code, stderr)
	}
}

func TestLinkPrefix(t *testing.T) {
	dir := t.TempDir()
	for out, want := range map[string]string{
		"":                                      "",
		filepath.Join(dir, "docs", "arch.md"):   "../",
		filepath.Join(dir, "arch.md"):           "",
		filepath.Join(dir, "a", "b", "arch.md"): "../../",
	} {
		if got := linkPrefix(dir, out); got != want {
			t.Errorf("linkPrefix(%q) = %q, want %q", out, got, want)
		}
	}
}

// A Go module the local toolchain cannot load is a warning; the rest is analysed. When nothing
// can be loaded, the analysis cannot run: exit 3.
func TestModuleNeedsNewerGo(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "future/go.mod"), "module example.com/future\n\ngo 1.99\n")
	write(t, filepath.Join(dir, "future/f.go"), "package future\n")
	write(t, filepath.Join(dir, "app/go.mod"), "module example.com/app\n\ngo 1.22\n")
	write(t, filepath.Join(dir, "app/main.go"), "package main\n\nfunc main() {}\n")
	out, stderr, code := run(t, "analyze", "--format", "json", dir)
	if code != 0 || !strings.Contains(out, `"subject": "future/go.mod"`) || !strings.Contains(out, "requires go >= 1.99") {
		t.Fatalf("exit %d, stderr %q, out:\n%s", code, stderr, out)
	}
	if err := os.RemoveAll(filepath.Join(dir, "app")); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := run(t, "lint", dir); code != 3 || !strings.Contains(stderr, "no Go packages could be loaded") {
		t.Fatalf("exit %d, %q; want 3", code, stderr)
	}
}

// TestOneDecision is the regression test for a document with two verdicts: whatever pack and
// answers a command is given, the analysis it writes carries the assessment's recommendation.
func TestOneDecision(t *testing.T) {
	for _, args := range [][]string{
		{"report", "../testdata/fixtures/distmono", "--rules", "../rules/pack.yaml", "--format", "json",
			"--set", "team_size=200", "--set", "teams=12", "--set", "ops_maturity=high", "--set", "domain_clarity=clear"},
		{"report", "../testdata/fixtures/sharedb", "--answers", "../testdata/answers/premature-microservices.yaml", "--format", "json"},
	} {
		out, stderr, code := run(t, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr)
		}
		var doc struct {
			Analysis   struct{ Recommendation rules.Recommendation } `json:"analysis"`
			Assessment struct{ Recommendation rules.Recommendation } `json:"assessment"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		a, b := doc.Analysis.Recommendation, doc.Assessment.Recommendation
		if a.Architecture == "" || a.Architecture != b.Architecture || a.Confidence != b.Confidence {
			t.Errorf("%v: analysis recommends %s (%.2f), assessment %s (%.2f)", args[1], a.Architecture, a.Confidence, b.Architecture, b.Confidence)
		}
	}
}

// The run functions are the commands without cobra: options in, exit status out.
func TestRunLintWithoutCobra(t *testing.T) {
	var out, errOut bytes.Buffer
	ios := &IO{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }}
	g := &global{format: "text"}
	err := runLint(context.Background(), ios, g, &lintOptions{dir: filepath.Join(fixtures, "tangled"), failOn: "warning"})
	var ee *ExitError
	if !errors.As(err, &ee) || ee.Code != ExitFindings {
		t.Fatalf("runLint on tangled: %v, want exit %d", err, ExitFindings)
	}
	if !strings.Contains(out.String(), "(boundary/private-import)") || !strings.Contains(errOut.String(), "cleave lint:") {
		t.Errorf("out %q\nerr %q", out.String(), errOut.String())
	}
	if err := runLint(context.Background(), ios, &global{format: "text"}, &lintOptions{dir: filepath.Join(fixtures, "modmono"), failOn: "error"}); err != nil {
		t.Errorf("runLint on modmono: %v", err)
	}
}

// TestAssessContradictions: an answer that disagrees with the code counts, and the assessment
// says so with the code's evidence, in JSON and in text.
func TestAssessContradictions(t *testing.T) {
	dir := filepath.Join(fixtures, "multiservice")
	out, stderr, code := run(t, "assess", "--repo", dir, "--set", "sync_chains=yes", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var as struct {
		Answers        map[string]struct{ Value any }
		Contradictions []struct {
			Question, Answer, Code string
			Evidence               []string
		}
	}
	if err := json.Unmarshal([]byte(out), &as); err != nil {
		t.Fatal(err)
	}
	if as.Answers["sync_chains"].Value != "yes" {
		t.Errorf("the person's answer must count: sync_chains = %v", as.Answers["sync_chains"].Value)
	}
	if len(as.Contradictions) != 1 || as.Contradictions[0].Question != "sync_chains" || as.Contradictions[0].Code != "no" || len(as.Contradictions[0].Evidence) == 0 {
		t.Fatalf("contradictions = %+v, want sync_chains yes against the code's no, with evidence", as.Contradictions)
	}
	text, _, _ := run(t, "assess", "--repo", dir, "--set", "sync_chains=yes")
	if !strings.Contains(text, "sync_chains: you said yes, the code shows no") {
		t.Errorf("the text lacks the contradiction:\n%s", text)
	}
	agree, _, _ := run(t, "assess", "--repo", dir, "--set", "team_size=12", "--format", "json")
	if !strings.Contains(agree, `"contradictions": []`) {
		t.Errorf("the code's own answers contradict nothing, yet: %s", agree)
	}
}

// TestADRDirectory: -o naming a directory of records writes the next NNNN-title.md in it, in
// MADR 4's layout (front matter, Confirmation).
func TestADRDirectory(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"0001-record-architecture-decisions.md", "0012-use-postgres.md", "notes.md"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	_, stderr, code := run(t, "report", "--format", "adr", "--date", "2026-01-02", "-o", dir, filepath.Join(fixtures, "modmono"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "0013-adopt-a-modular-monolith-architecture.md"))
	if err != nil {
		t.Fatalf("the next record was not written: %v (stderr %s)", err, stderr)
	}
	for _, want := range []string{"---\nstatus: proposed\ndate: 2026-01-02\n", "### Confirmation", "`boundary/module-cycle`"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the record lacks %q", want)
		}
	}
}

func TestVersionJSON(t *testing.T) {
	out, stderr, code := run(t, "version", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var v VersionInfo
	if err := json.Unmarshal([]byte(out), &v); err != nil || v.Version == "" || v.Go == "" || v.OS == "" || v.Arch == "" {
		t.Errorf("version JSON %q: %v", out, err)
	}
	if _, _, code := run(t, "version", "--format", "xml"); code != 2 {
		t.Errorf("an unknown format: exit %d, want 2", code)
	}
}

// TestLintPaths: paths as the reader resolves them; JSON keeps the contract's, relative to DIR.
func TestLintPaths(t *testing.T) {
	base := t.TempDir()
	if got := prefixFrom(base, filepath.Join(base, "services", "orders")); got != "services/orders/" {
		t.Errorf("below: %q", got)
	}
	if got := prefixFrom(filepath.Join(base, "a"), filepath.Join(base, "b")); got != "" {
		t.Errorf("beside: %q, want none", got)
	}
	if got := prefixFrom(base, base); got != "" {
		t.Errorf("the same directory: %q, want none", got)
	}
	dir := filepath.Join(fixtures, "configured")
	text, _, _ := run(t, "lint", "--path-prefix", "svc/configured", dir)
	gh, _, _ := run(t, "lint", "--format", "github", "--path-prefix", "svc/configured", dir)
	js, _, _ := run(t, "lint", "--format", "json", "--path-prefix", "svc/configured", dir)
	if !strings.Contains(text, "\nsvc/configured/") && !strings.HasPrefix(text, "svc/configured/") {
		t.Errorf("text paths lack the prefix:\n%s", text)
	}
	if !strings.Contains(gh, "file=svc/configured/") {
		t.Errorf("annotations lack the prefix:\n%s", gh)
	}
	if strings.Contains(js, "svc/configured/") {
		t.Errorf("JSON paths must stay relative to DIR")
	}
	// The SARIF of a fixture in this repository is relative to the repository's root.
	sarif, _, _ := run(t, "lint", "--format", "sarif", dir)
	if !strings.Contains(sarif, `"uri": "testdata/fixtures/configured/`) {
		t.Errorf("SARIF paths are not relative to the repository root")
	}
}

// TestCacheCommands: status says where the cache is and what it holds, clean empties it, and
// an analysis served by the cached listing and typed facts says what an analysis without them
// says.
func TestCacheCommands(t *testing.T) {
	dir := copyTree(t, filepath.Join(fixtures, "multiservice"))
	first, stderr, code := runFresh(t, "analyze", "-v", "--format", "json", dir)
	if code != 0 || strings.Contains(stderr, "from the cache") {
		t.Fatalf("analyze exit %d, the first run's listing from the cache: %s", code, stderr)
	}
	cached, stderr, _ := runFresh(t, "analyze", "-v", "--format", "json", dir)
	if cached != first {
		t.Fatalf("the analysis served by the cached listing differs")
	}
	if !strings.Contains(stderr, "(the package listing and the typed facts from the cache)") {
		t.Errorf("-v does not say the listing and the typed facts came from the cache: %s", stderr)
	}
	nocache, _, _ := runFresh(t, "analyze", "--no-cache", "--format", "json", dir)
	if nocache != first {
		t.Fatalf("--no-cache changes the analysis")
	}
	out, _, code := runFresh(t, "cache", "status", "--format", "json")
	var info CacheInfo
	if code != 0 || json.Unmarshal([]byte(out), &info) != nil || info.Dir == "" || info.Entries == 0 || info.Bytes == 0 || info.Listings == 0 || info.Facts == 0 || info.Scans == 0 || info.Listings+info.Facts+info.Scans != info.Entries {
		t.Fatalf("cache status: exit %d, %q", code, out)
	}
	if text, _, _ := runFresh(t, "cache", "status"); !strings.Contains(text, "cache:   "+info.Dir) || !strings.Contains(text, "entries: ") || !strings.Contains(text, " of file scans") {
		t.Errorf("cache status text: %q", text)
	}
	if _, stderr, code := runFresh(t, "cache", "clean"); code != 0 || !strings.Contains(stderr, "removed") {
		t.Fatalf("cache clean: exit %d, %q", code, stderr)
	}
	out, _, _ = runFresh(t, "cache", "status", "--format", "json")
	if json.Unmarshal([]byte(out), &info) != nil || info.Entries != 0 {
		t.Errorf("entries left after clean: %q", out)
	}
}

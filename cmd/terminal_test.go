package cmd

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestColorWanted(t *testing.T) {
	cases := []struct {
		name   string
		flag   string
		noCol  bool
		output string
		tty    bool
		env    map[string]string
		want   bool
	}{
		{"terminal", "auto", false, "", true, nil, true},
		{"pipe", "auto", false, "", false, nil, false},
		{"NO_COLOR on a terminal", "auto", false, "", true, map[string]string{"NO_COLOR": "1"}, false},
		{"CLICOLOR_FORCE on a pipe", "auto", false, "", false, map[string]string{"CLICOLOR_FORCE": "1"}, true},
		{"CLICOLOR_FORCE=0", "auto", false, "", false, map[string]string{"CLICOLOR_FORCE": "0"}, false},
		{"NO_COLOR beats CLICOLOR_FORCE", "auto", false, "", false, map[string]string{"NO_COLOR": "1", "CLICOLOR_FORCE": "1"}, false},
		{"TERM=dumb", "auto", false, "", true, map[string]string{"TERM": "dumb"}, false},
		{"-o FILE", "auto", false, "out.txt", true, nil, false},
		{"-o -", "auto", false, "-", true, nil, true},
		{"always on a pipe", "always", false, "", false, map[string]string{"NO_COLOR": "1"}, true},
		{"always into a file", "always", false, "out.txt", false, nil, true},
		{"never on a terminal", "never", false, "", true, map[string]string{"CLICOLOR_FORCE": "1"}, false},
		{"--no-color", "auto", true, "", true, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := &global{color: c.flag, noColor: c.noCol, output: c.output}
			ios := &IO{OutTTY: c.tty, Getenv: func(k string) string { return c.env[k] }}
			if got := g.colorWanted(ios); got != c.want {
				t.Errorf("colorWanted = %v, want %v", got, c.want)
			}
		})
	}
}

// runWithEnv runs cleave with an environment of its own.
func runWithEnv(t *testing.T, env map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	ios := &IO{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Getenv: func(k string) string { return env[k] }}
	code := Execute(context.Background(), ios, args)
	return out.String(), errOut.String(), code
}

func TestColorFlag(t *testing.T) {
	dir := filepath.Join(fixtures, "tangled")
	plain, _, _ := run(t, "lint", dir)
	if strings.Contains(plain, "\x1b[") || strings.Contains(plain, `\x1b`) {
		t.Fatalf("uncoloured output holds escape sequences: %q", plain)
	}
	forced, stderr, code := runWithEnv(t, map[string]string{"CLICOLOR_FORCE": "1"}, "lint", dir)
	if code != 0 || !strings.Contains(forced, "\x1b[") {
		t.Fatalf("CLICOLOR_FORCE: exit %d, no colour in %q (%s)", code, forced, stderr)
	}
	always, _, _ := run(t, "lint", "--color", "always", dir)
	if always != forced {
		t.Errorf("--color always and CLICOLOR_FORCE differ:\n%q\n%q", always, forced)
	}
	if strings.Contains(always, `\x1b`) {
		t.Errorf("colour sequences were escaped: %q", always)
	}
	never, _, _ := runWithEnv(t, map[string]string{"CLICOLOR_FORCE": "1"}, "lint", "--color", "never", dir)
	if never != plain {
		t.Errorf("--color never is coloured: %q", never)
	}
	_, stderr, code = run(t, "lint", "--color", "sometimes", dir)
	if code != 2 || !strings.Contains(stderr, `--color: unknown mode "sometimes" (want auto, always, never)`) {
		t.Errorf("bad mode: exit %d, %q", code, stderr)
	}
}

// TestAssessRepoHeadless: with --repo and no terminal, assess answers from the code alone and
// asks nothing, as CI needs.
func TestAssessRepoHeadless(t *testing.T) {
	out, stderr, code := run(t, "assess", "--repo", filepath.Join(fixtures, "sharedb"), "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{`"recommendation"`, `"shared_database"`} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %s:\n%.600s", want, out)
		}
	}
	// Without --repo or answers there is nothing to go on: it says so rather than wait.
	if _, stderr, code := run(t, "assess"); code != 2 || !strings.Contains(stderr, "needs a terminal") {
		t.Errorf("bare assess without a terminal: exit %d, %q", code, stderr)
	}
}

// TestDumbTerminalAsksLineByLine: TERM=dumb cannot draw the full-screen questionnaire, so
// assess asks line by line on it.
func TestDumbTerminalAsksLineByLine(t *testing.T) {
	var out, errOut bytes.Buffer
	ios := &IO{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, InTTY: true, OutTTY: true,
		Getenv: func(k string) string { return map[string]string{"TERM": "dumb"}[k] }}
	code := Execute(context.Background(), ios, []string{"assess"})
	if !strings.Contains(errOut.String(), "Question 1 of ") {
		t.Fatalf("exit %d; no line-by-line question on stderr:\nstdout %q\nstderr %q", code, out.String(), errOut.String())
	}
	if strings.Contains(out.String()+errOut.String(), "\x1b[?1049h") {
		t.Errorf("the alternate screen was opened on a dumb terminal")
	}
}

func TestDidYouMean(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"rules", "boundary/module-cycel"}, `unknown rule "boundary/module-cycel" (did you mean "boundary/module-cycle"?`},
		{[]string{"rules", "shared-table"}, `(did you mean "db/shared-table"?`},
		{[]string{"assess", "--set", "teamsize=4"}, `unknown question "teamsize" (did you mean "team_size"?)`},
		{[]string{"assess", "--set", "domain_clarity=emergin"}, `found "emergin" (did you mean "emerging"?)`},
	} {
		_, stderr, code := run(t, c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %q", c.args, code, stderr, c.want)
		}
	}
}

// TestConfigAboveDir: with no .cleave.yaml in DIR, the one of a directory above it in the same
// repository applies, its paths read from DIR; -v names the config and the baseline.
func TestConfigAboveDir(t *testing.T) {
	src := filepath.Join(fixtures, "configured")
	want, _, wantCode := run(t, "lint", src)

	repo := t.TempDir()
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	tree := copyTree(t, src)
	dir := filepath.Join(repo, "services", "configured")
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tree, dir); err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile(filepath.Join(dir, ".cleave.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, ".cleave.yaml"))
	rooted := strings.ReplaceAll(string(cfg), "paths: [internal/", "paths: [services/configured/internal/")
	rooted = strings.ReplaceAll(rooted, "public: [internal/", "public: [services/configured/internal/")
	rooted = strings.ReplaceAll(rooted, ", internal/", ", services/configured/internal/")
	// A module whose code lies outside DIR, which reports may depend on and which depends on
	// payments: seen from DIR neither dependsOn can be judged, so neither is stale.
	rooted = strings.Replace(rooted, "modules:\n", "modules:\n  other:\n    paths: [services/payments/internal]\n    dependsOn: [payments]\n", 1)
	rooted = strings.Replace(rooted, "    dependsOn: [accounts]\n", "    dependsOn: [accounts, other]\n", 1)
	write(t, filepath.Join(repo, ".cleave.yaml"), rooted)

	got, stderr, code := run(t, "lint", "-v", dir)
	// The finding on the config itself names the file it is in, the root's, two lines down,
	// relative to DIR like every path when DIR does not lie below the working directory.
	cfgFinding := "../../.cleave.yaml:12:27: warning: module payments may depend on shared"
	if !strings.HasPrefix(got, cfgFinding) {
		t.Errorf("the stale dependsOn is not reported on the root's config:\n%s", got)
	}
	got = got[strings.IndexByte(got, '\n')+1:]
	want = want[strings.IndexByte(want, '\n')+1:]
	if code != wantCode || got != want {
		t.Fatalf("exit %d, want %d; findings differ from the fixture's own config:\n%s\nwant:\n%s\n%s", code, wantCode, got, want, stderr)
	}
	for _, w := range []string{"cleave: config " + filepath.Join(repo, ".cleave.yaml") + ", its paths read from services/configured",
		"cleave: no baseline (" + filepath.Join(dir, ".cleave-baseline.yaml") + " is absent)"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("-v does not say %q:\n%s", w, stderr)
		}
	}
	// From the repository's root, the config's finding is on .cleave.yaml and the others below
	// services/configured/, as the reader's directory sees them.
	t.Chdir(repo)
	fromRoot, _, _ := run(t, "lint", filepath.Join("services", "configured"))
	lines := strings.Split(strings.TrimSpace(fromRoot), "\n")
	if !strings.HasPrefix(lines[0], ".cleave.yaml:12:27: warning:") || len(lines) != 4 || !strings.HasPrefix(lines[1], "services/configured/internal/") {
		t.Errorf("from the root:\n%s", fromRoot)
	}
	// The search stops at the repository's root: a config above it is not the repository's.
	outside := t.TempDir()
	write(t, filepath.Join(outside, ".cleave.yaml"), "version: 1\nmodules: [\n")
	inner := filepath.Join(outside, "repo")
	if err := os.Rename(repo, inner); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(inner, ".cleave.yaml"))
	if _, stderr, code := run(t, "lint", "-v", filepath.Join(inner, "services", "configured")); code == 2 || !strings.Contains(stderr, "cleave: no config") {
		t.Errorf("a config above the repository's root was read: exit %d\n%s", code, stderr)
	}
}

func TestCompletions(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
		not  []string
	}{
		{[]string{"__complete", "lint", "--format", ""}, []string{"sarif\tSARIF 2.1.0", "github\t"}, []string{"adr"}},
		{[]string{"__complete", "report", "--format", ""}, []string{"adr\t"}, []string{"sarif"}},
		{[]string{"__complete", "cache", "status", "--format", ""}, []string{"text\t", "json\t"}, []string{"sarif"}},
		{[]string{"__complete", "cache", ""}, []string{"status\t", "clean\t"}, nil},
		{[]string{"__complete", "lint", "--fail-on", ""}, []string{"error\t", "warning\t"}, nil},
		{[]string{"__complete", "assess", "--fail-on", ""}, []string{"high\t", "medium\t"}, nil},
		{[]string{"__complete", "lint", "--color", ""}, []string{"auto\t", "always\t", "never\t"}, nil},
		{[]string{"__complete", "rules", ""}, []string{"db/shared-table\t", "team-small\t", "small-team\t"}, nil},
		{[]string{"__complete", "assess", "--set", ""}, []string{"team_size=\tHow many engineers"}, nil},
		{[]string{"__complete", "assess", "--set", "workload="}, []string{"workload=batch\t", "workload=unknown\t"}, []string{"team_size="}},
		// Flag descriptions without the backticks that name their values in --help.
		{[]string{"__complete", "lint", "--fail"}, []string{"--fail-on\tlowest severity that fails the run"}, []string{"`"}},
	} {
		out, _, _ := run(t, c.args...)
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: no %q in\n%s", c.args, w, out)
			}
		}
		for _, n := range c.not {
			if strings.Contains(out, n) {
				t.Errorf("%v: %q should not be offered:\n%s", c.args, n, out)
			}
		}
	}
}

func TestSchemaCommand(t *testing.T) {
	list, _, code := run(t, "schema")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, n := range []string{"config", "answers", "analysis", "lint", "assessment", "report"} {
		if !strings.Contains(list, n+" ") {
			t.Errorf("the list lacks %s:\n%s", n, list)
		}
		out, _, code := run(t, "schema", n)
		want, err := os.ReadFile(filepath.Join("..", "schemas", n+".schema.json"))
		if code != 0 || err != nil || out != string(want) {
			t.Errorf("schema %s: exit %d, %v; not the file's bytes", n, code, err)
		}
	}
	if _, stderr, code := run(t, "schema", "confg"); code != 2 || !strings.Contains(stderr, `did you mean "config"?`) {
		t.Errorf("unknown schema: exit %d, %q", code, stderr)
	}
}

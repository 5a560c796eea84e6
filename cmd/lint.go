package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cleave-dev/cleave/analyze"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/internal/safefs"
	"github.com/cleave-dev/cleave/reports"
	"github.com/cleave-dev/cleave/rules"
)

type lintOptions struct {
	dir            string // one directory, when args name none
	args           []string
	system         string
	tests          bool
	failOn         string
	baseline       string
	updateBaseline bool
	strictBaseline bool
	pathPrefix     string
	prefixSet      bool
	newFromRev     string
	newFromBase    string
}

func newLintCmd(ios *IO, g *global) *cobra.Command {
	o := &lintOptions{}
	c := &cobra.Command{
		Use:   "lint [DIR...]",
		Short: "Check boundaries, shared tables and call chains: the CI gate",
		Long: `lint runs the checks of .cleave.yaml (or the inferred boundaries when there is none) and
prints one line per finding, path:line:col: severity: message (rule), as go vet does.

Exit status: 0 when nothing reaches --fail-on, 1 when something does, 2 for bad usage or
a bad .cleave.yaml, 3 when the code could not be analysed.

A baseline (.cleave-baseline.yaml beside .cleave.yaml, or --baseline FILE) lists findings
accepted as existing debt: they are reported as baselined and never fail the run, so a large
codebase can adopt the gate on day one. --update-baseline writes it from the current findings.
Entries that no longer match are reported as stale; --strict-baseline fails on them.

--new-from-rev REV reports and fails only on what a change introduces: the findings whose
fingerprints REV's tree does not have. That tree is read from git (git archive into a
temporary directory), so the working tree, the index and the checkout are never touched.
--new-from-merge-base BRANCH compares with the merge base of HEAD and BRANCH, the usual
choice for a pull request. The baseline still applies beside either.

Several directories, or --system FILE, lint a system of repositories: each repository's
findings, graded by its own .cleave.yaml, and the system's (shared databases and tables,
call chains and cycles across repositories), every path beginning with its repository's
name. The baseline of a system file lies beside it; with directories, name it with
--baseline. --new-from-rev applies to one repository only.

Formats: text (default), json, sarif (SARIF 2.1.0 for GitHub code scanning), github
(workflow commands; with $GITHUB_STEP_SUMMARY set, a Markdown summary is appended there too),
markdown (for a pull request comment).`,
		Example: `  cleave lint
  cleave lint --fail-on warning
  cleave lint --update-baseline
  cleave lint --format sarif -o cleave.sarif
  cleave lint ./repo --format json -o findings.json
  cleave lint --new-from-merge-base origin/main --format github
  cleave lint --system system.yaml --format sarif -o cleave.sarif`,
		RunE: func(c *cobra.Command, args []string) error {
			o.args = args
			return runLint(c.Context(), ios, g, o)
		},
	}
	c.Flags().BoolVar(&o.tests, "tests", false, "include _test.go files")
	c.Flags().StringVar(&o.failOn, "fail-on", "error", "lowest `severity` that fails the run: error or warning")
	c.Flags().StringVar(&o.baseline, "baseline", "", "baseline `FILE` (default DIR/"+rules.BaselineFile+" when present)")
	c.Flags().BoolVar(&o.updateBaseline, "update-baseline", false, "write the baseline from the current findings and exit 0")
	c.Flags().BoolVar(&o.strictBaseline, "strict-baseline", false, "fail when the baseline has entries that no longer match")
	c.Flags().StringVar(&o.pathPrefix, "path-prefix", "", "put `PREFIX` before every path of text, github, markdown and sarif output")
	c.Flags().StringVar(&o.newFromRev, "new-from-rev", "", "report and fail only on findings that git revision `REV` does not have")
	c.Flags().StringVar(&o.newFromBase, "new-from-merge-base", "", "report and fail only on findings that the merge base of HEAD and `BRANCH` does not have")
	c.MarkFlagsMutuallyExclusive("new-from-rev", "new-from-merge-base")
	c.MarkFlagsMutuallyExclusive("new-from-rev", "update-baseline")
	c.MarkFlagsMutuallyExclusive("new-from-merge-base", "update-baseline")
	c.PreRun = func(c *cobra.Command, _ []string) { o.prefixSet = c.Flags().Changed("path-prefix") }
	systemFlag(c, &o.system)
	return c
}

func runLint(ctx context.Context, ios *IO, g *global, o *lintOptions) error {
	if err := g.checkFormat("lint"); err != nil {
		return err
	}
	var failAt rules.Severity
	switch o.failOn {
	case "error":
		failAt = rules.Error
	case "warning":
		failAt = rules.Warning
	default:
		return usageErr("--fail-on: unknown severity %q (want error or warning)", o.failOn)
	}
	args := o.args
	if len(args) == 0 && o.dir != "" {
		args = []string{o.dir}
	}
	t, err := g.targetOf(args, o.system)
	if err != nil {
		return err
	}
	o.dir = t.dir
	var cfg *rules.Config
	if t.spec == nil {
		if cfg, err = g.loadConfig(o.dir); err != nil {
			return err
		}
	}
	baseFile, explicit := o.baseline, o.baseline != ""
	if !explicit {
		baseFile = joinPath(o.dir, rules.BaselineFile)
	}
	noBaseline := t.spec != nil && o.system == "" && !explicit // directories: no place of their own for one
	switch {
	case t.spec != nil && (o.newFromRev != "" || o.newFromBase != ""):
		return usageErr("--new-from-rev and --new-from-merge-base compare one repository with a revision of it: lint each repository of the system on its own")
	case noBaseline && o.updateBaseline:
		return usageErr("--update-baseline: the repositories given as directories have no place for a system's baseline; name one with --baseline FILE, or use --system FILE")
	}
	var base *rules.Baseline
	if !o.updateBaseline && !noBaseline {
		if base, err = loadBaseline(o.dir, baseFile, explicit); err != nil {
			return err
		}
		if g.verbose {
			if base != nil {
				fmt.Fprintf(ios.ErrOut, "cleave: baseline %s (%s)\n", baseFile, reports.Plural(len(base.Entries), "entry"))
			} else {
				fmt.Fprintf(ios.ErrOut, "cleave: no baseline (%s is absent)\n", baseFile)
			}
		}
	}
	// The old tree first: a revision that is not there fails before the long analysis.
	var old map[string]bool
	var rev string
	if o.newFromRev != "" || o.newFromBase != "" {
		if old, rev, err = g.fingerprintsAt(ctx, ios, o, cfg); err != nil {
			return err
		}
	}
	var res *model.Result
	if t.spec == nil {
		res, err = g.analyzeDir(ctx, ios, o.dir, cfg, o.tests, false)
	} else {
		res, err = g.analyze(ctx, ios, t, o.tests, false)
	}
	if err != nil {
		return err
	}
	if o.updateBaseline {
		return writeBaseline(ios, g, baseFile, o.dir, explicit, res.Findings)
	}
	findings, fresh, stale := base.Apply(res.Findings)
	if old != nil {
		isNew := func(f *rules.Finding) bool { return !old[f.Fingerprint] }
		all := len(findings)
		findings, fresh = filterFindings(findings, isNew), filterFindings(fresh, isNew)
		if !g.quiet {
			fmt.Fprintf(ios.ErrOut, "cleave lint: %s new since %s (%d in all)\n", reports.Plural(len(findings), "finding"), rev, all)
		}
	}
	style := g.style(ios)
	// Paths as a reader of the output resolves them: from the working directory (as go vet
	// prints them) for text, annotations and Markdown; from the repository root for SARIF. JSON
	// keeps the contract's paths, relative to DIR.
	local, fromRoot := o.pathPrefix, o.pathPrefix
	if !o.prefixSet && t.spec == nil { // a system's paths begin with their repository's name
		local, fromRoot = cwdPrefix(o.dir), repoPrefix(o.dir)
	}
	shown, shownFresh, inSarif := rebase(findings, local), rebase(fresh, local), rebase(findings, fromRoot)
	err = g.render(ios, renderers{
		"text":     func(w io.Writer) error { return reports.Lint(w, shownFresh, style) },
		"json":     func(w io.Writer) error { return reports.JSON(w, reports.NewLintResult(res, findings, stale)) },
		"sarif":    func(w io.Writer) error { return reports.SARIF(w, res.Tool.Version, inSarif, checkedRules()) },
		"github":   func(w io.Writer) error { return reports.GitHub(w, shown) },
		"markdown": func(w io.Writer) error { return reports.LintMarkdown(w, shown, stale) },
	})
	if err != nil {
		return err
	}
	if g.format == "github" {
		if summary := ios.Getenv("GITHUB_STEP_SUMMARY"); summary != "" {
			if err := appendFile(summary, func(w io.Writer) error { return reports.LintMarkdown(w, shown, stale) }); err != nil {
				fmt.Fprintf(ios.ErrOut, "cleave: writing the step summary: %v\n", err)
			}
		}
	}
	failing := 0
	for _, f := range fresh {
		if f.Severity >= failAt {
			failing++
		}
	}
	if !g.quiet {
		summarize(ios, findings, fresh, stale)
	}
	if failing > 0 || o.strictBaseline && len(stale) > 0 {
		return &ExitError{Code: ExitFindings}
	}
	return nil
}

// fingerprintsAt analyses DIR as it is in a git revision (--new-from-rev, or the merge base of
// HEAD and --new-from-merge-base) with the same configuration, and returns the fingerprints of
// its findings and the revision as the user named it. A DIR that did not exist there has none.
func (g *global) fingerprintsAt(ctx context.Context, ios *IO, o *lintOptions, cfg *rules.Config) (map[string]bool, string, error) {
	flag, rev := "--new-from-rev", o.newFromRev
	if o.newFromBase != "" {
		flag, rev = "--new-from-merge-base", o.newFromBase
	}
	fail := func(err error) (map[string]bool, string, error) {
		return nil, "", &ExitError{ExitUsage, fmt.Errorf("%s: %w", flag, err)}
	}
	top, err := git(ctx, o.dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return fail(fmt.Errorf("%s is not in a git repository", o.dir))
	}
	commit, err := gitCommit(ctx, o.dir, rev)
	if err != nil {
		return fail(err)
	}
	if o.newFromBase != "" {
		if commit, err = git(ctx, o.dir, "merge-base", "HEAD", commit); err != nil || commit == "" {
			return fail(fmt.Errorf("HEAD and %s have no merge base", rev))
		}
		rev = "the merge base with " + rev
	}
	abs, err := realDir(o.dir)
	if err != nil {
		return fail(err)
	}
	if real, err := realDir(top); err == nil {
		top = real
	}
	sub, err := filepath.Rel(top, abs)
	if err != nil || strings.HasPrefix(sub, "..") {
		return fail(fmt.Errorf("%s is not inside the repository at %s", o.dir, top))
	}
	tmp, err := os.MkdirTemp("", "cleave-rev-")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(tmp)
	if err := exportTree(ctx, top, commit, filepath.ToSlash(sub), tmp); err != nil {
		return fail(err)
	}
	old := map[string]bool{}
	at := filepath.Join(tmp, sub)
	if _, err := os.Stat(at); err != nil {
		return old, rev, nil // DIR is new since rev: every finding is
	}
	// A tree exported for one run is never listed again: caching its listing would only
	// fill the cache.
	noCache := g.noCache
	g.noCache = true
	res, err := g.analyzeDir(ctx, ios, at, cfg, o.tests, true)
	g.noCache = noCache
	if errors.Is(err, analyze.ErrNoModule) {
		if !g.quiet {
			fmt.Fprintf(ios.ErrOut, "cleave: %s holds no Go module at %s: every finding is new\n", o.dir, rev)
		}
		return old, rev, nil // the code was not Go yet, or not there
	}
	if err != nil {
		var ee *ExitError
		if errors.As(err, &ee) && ee.Err != nil {
			return nil, "", &ExitError{ee.Code, fmt.Errorf("%s: analysing %s at %s: %w", flag, o.dir, rev, ee.Err)}
		}
		return nil, "", err
	}
	for _, f := range res.Findings {
		old[f.Fingerprint] = true
	}
	return old, rev, nil
}

// filterFindings keeps the findings keep accepts, in order.
func filterFindings(fs []*rules.Finding, keep func(*rules.Finding) bool) []*rules.Finding {
	out := []*rules.Finding{}
	for _, f := range fs {
		if keep(f) {
			out = append(out, f)
		}
	}
	return out
}

// loadBaseline reads the baseline; a missing default one is no baseline.
// The default one is read only if it is a regular file inside DIR.
func loadBaseline(dir, file string, explicit bool) (*rules.Baseline, error) {
	var base *rules.Baseline
	data, err := readInput(dir, rules.BaselineFile, file, explicit, safefs.Baseline)
	if err == nil {
		base, err = rules.ParseBaseline(file, data)
	}
	switch {
	case err == nil:
		return base, nil
	case absent(err) && !explicit:
		return nil, nil
	}
	return nil, &ExitError{ExitUsage, err}
}

// writeBaseline accepts every current finding as debt.
// The default one lies in DIR and is written only inside it; one the user named may lie anywhere.
func writeBaseline(ios *IO, g *global, file, dir string, explicit bool, findings []*rules.Finding) error {
	b := rules.NewBaseline(findings)
	write := func() error { return safefs.WriteIn(dir, rules.BaselineFile, b.YAML()) }
	if explicit {
		write = func() error { return safefs.WriteFile(file, b.YAML()) }
	}
	if err := write(); err != nil {
		return &ExitError{ExitUsage, fmt.Errorf("writing %s: %w", file, err)}
	}
	if !g.quiet {
		fmt.Fprintf(ios.ErrOut, "cleave lint: wrote %s with %s\n", file, reports.Plural(len(b.Entries), "entry"))
	}
	return nil
}

// summarize tells on standard error what lint found, what the baseline accepted and which of
// its entries are stale.
func summarize(ios *IO, findings, fresh []*rules.Finding, stale []rules.BaselineEntry) {
	msg := reports.Summary(fresh)
	if n := len(findings) - len(fresh); n > 0 {
		msg += fmt.Sprintf("; %s baselined", reports.Plural(n, "finding"))
	}
	fmt.Fprintf(ios.ErrOut, "cleave lint: %s\n", msg)
	for _, e := range stale {
		fmt.Fprintf(ios.ErrOut, "cleave lint: stale baseline entry %s (%s, %s): %s\n", e.Fingerprint, e.Rule, e.File, e.Description)
	}
}

// appendFile appends a rendered document to a file, creating it if need be.
func appendFile(name string, render func(io.Writer) error) error {
	f, err := os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if err := render(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// cwdPrefix is DIR as seen from the working directory, with a trailing slash, when DIR lies
// below it ("services/orders/" for `cleave lint services/orders`); "" otherwise.
func cwdPrefix(dir string) string {
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	return prefixFrom(wd, dir)
}

// repoPrefix is DIR as seen from the root of the repository that holds it (the nearest
// directory above with a .git), or "" when there is none: SARIF locations are relative to it.
func repoPrefix(dir string) string {
	abs, err := realDir(dir)
	if err != nil {
		return ""
	}
	if root := repoRoot(abs); root != "" {
		return prefixFrom(root, abs)
	}
	return ""
}

// realDir is dir made absolute, with its links resolved when they can be (a CI workspace,
// macOS's /tmp), as the analysis sees it.
func realDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	return abs, nil
}

// repoRoot is the root of the repository that holds the absolute directory abs: the nearest
// directory at or above it with a .git; "" outside a repository.
func repoRoot(abs string) string {
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if d == filepath.Dir(d) {
			return ""
		}
	}
}

// prefixFrom is dir relative to base, with a trailing slash, when dir lies at or below it.
func prefixFrom(base, dir string) string {
	abs, err := realDir(dir)
	if err != nil {
		return ""
	}
	if rb, err := filepath.EvalSymlinks(base); err == nil {
		base = rb
	}
	rel, err := filepath.Rel(base, abs)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return ""
	}
	return filepath.ToSlash(rel) + "/"
}

// rebase returns copies of the findings with prefix before every path.
func rebase(findings []*rules.Finding, prefix string) []*rules.Finding {
	if prefix == "" {
		return findings
	}
	if !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	// prefix and path joined and cleaned: a config found above DIR (../.cleave.yaml) lands on
	// its own path, as the reader's directory sees it.
	join := func(file string) string {
		if file == "" || path.IsAbs(file) {
			return file
		}
		return path.Clean(prefix + file)
	}
	out := make([]*rules.Finding, len(findings))
	for i, f := range findings {
		c := *f
		c.File = join(c.File)
		c.Related = make([]rules.Location, len(f.Related))
		for j, r := range f.Related {
			r.File = join(r.File)
			c.Related[j] = r
		}
		out[i] = &c
	}
	return out
}

package cmd

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/cleave-dev/cleave/reports"
	"github.com/cleave-dev/cleave/rules"
)

type lintOptions struct {
	dir    string
	tests  bool
	failOn string
}

func newLintCmd(ios *IO, g *global) *cobra.Command {
	o := &lintOptions{}
	c := &cobra.Command{
		Use:   "lint [DIR]",
		Short: "Check module boundaries: the CI gate",
		Long: `lint runs the checks of .cleave.yaml (or the inferred boundaries when there is none) and
prints one line per finding, path:line:col: severity: message (rule), as go vet does.

Exit status: 0 when nothing reaches --fail-on, 1 when something does, 2 for bad usage or
a bad .cleave.yaml, 3 when the code could not be analysed.

Formats: text (default), json.`,
		Example: `  cleave lint
  cleave lint --fail-on warning
  cleave lint ./repo --format json -o findings.json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.dir = dirArg(args)
			return runLint(c, ios, g, o)
		},
	}
	c.Flags().BoolVar(&o.tests, "tests", false, "include _test.go files")
	c.Flags().StringVar(&o.failOn, "fail-on", "error", "lowest `severity` that fails the run: error or warning")
	return c
}

func runLint(c *cobra.Command, ios *IO, g *global, o *lintOptions) error {
	if err := g.checkFormat("lint", "text", "json"); err != nil {
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
	cfg, err := g.loadConfig(o.dir)
	if err != nil {
		return err
	}
	res, err := g.analyzeDir(c.Context(), ios, o.dir, cfg, o.tests, false)
	if err != nil {
		return err
	}
	findings := res.Findings
	style := g.style(ios)
	err = g.write(ios, func(w io.Writer) error {
		if g.format == "json" {
			return reports.JSON(w, reports.NewLintResult(res, findings))
		}
		return reports.Lint(w, findings, style)
	})
	if err != nil {
		return err
	}
	failing := 0
	for _, f := range findings {
		if f.Severity >= failAt {
			failing++
		}
	}
	if !g.quiet {
		fmt.Fprintf(ios.ErrOut, "cleave lint: %s\n", reports.Summary(findings))
	}
	if failing > 0 {
		return &ExitError{Code: ExitFindings}
	}
	return nil
}

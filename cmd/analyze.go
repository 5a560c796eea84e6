package cmd

import (
	"context"
	"io"

	"github.com/spf13/cobra"

	"github.com/cleave-dev/cleave/assess"
	"github.com/cleave-dev/cleave/reports"
	"github.com/cleave-dev/cleave/rules"
)

type analyzeOptions struct {
	args      []string
	system    string
	tests     bool
	rulesFile string
}

func newAnalyzeCmd(ios *IO, g *global) *cobra.Command {
	o := &analyzeOptions{}
	c := &cobra.Command{
		Use:   "analyze [DIR...]",
		Short: "Show what a Go repository is made of: deployables, modules, tables, calls, findings",
		Long: `analyze loads every Go module under DIR (default: the current directory) and reports
the deployables (main packages, with their kind), the logical modules with their fan-in and
fan-out, the tables each module reads and writes, the calls between deployables, the
architecture the code has today and the findings. It never fails on findings; use
'cleave lint' for a gate.

Several directories, or --system FILE, are analysed as one system of repositories: each
repository on its own, then merged, with the calls, shared databases and tables, and call
chains that cross repositories. Every path then begins with its repository's name.

Formats: text (default), json, markdown (the architecture document of 'cleave report',
assessed from the code alone).`,
		Example: `  cleave analyze
  cleave analyze ./services --format json -o analysis.json
  cleave analyze ../orders ../inventory ../deploy
  cleave analyze --system system.yaml --format markdown`,
		RunE: func(c *cobra.Command, args []string) error {
			o.args = args
			return runAnalyze(c.Context(), ios, g, o)
		},
	}
	c.Flags().BoolVar(&o.tests, "tests", false, "include _test.go files")
	c.Flags().StringVar(&o.rulesFile, "rules", "", "decide with the rule pack in `FILE` instead of the built-in one")
	systemFlag(c, &o.system)
	return c
}

func runAnalyze(ctx context.Context, ios *IO, g *global, o *analyzeOptions) error {
	if err := g.checkFormat("analyze"); err != nil {
		return err
	}
	pack, err := rules.LoadPack(o.rulesFile)
	if err != nil {
		return &ExitError{ExitUsage, err}
	}
	t, err := g.targetOf(o.args, o.system)
	if err != nil {
		return err
	}
	res, err := g.analyze(ctx, ios, t, o.tests, g.format == "text")
	if err != nil {
		return err
	}
	res, as := decide(res, assess.NewSession(pack, res.CodeAnswers()))
	style := g.style(ios)
	return g.render(ios, renderers{
		"text": func(w io.Writer) error { return reports.AnalysisText(w, res, style) },
		"json": func(w io.Writer) error { return reports.JSON(w, res) },
		"markdown": func(w io.Writer) error {
			return reports.ArchitectureMarkdown(w, newReport(res, as, false, t.dir, g.output))
		},
	})
}

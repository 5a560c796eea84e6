package cmd

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/reports"
	"github.com/cleave-dev/cleave/rules"
)

type reportOptions struct {
	args      []string
	system    string
	answers   string
	sets      []string
	rulesFile string
	date      string
	failOn    string
}

func newReportCmd(ios *IO, g *global) *cobra.Command {
	o := &reportOptions{}
	c := &cobra.Command{
		Use:   "report [DIR...]",
		Short: "Write the architecture document: verdict, warning signs, diagrams, readiness, ADR",
		Long: `report analyses the repository at DIR, assesses it (with --answers FILE and --set when the
team has answered, else from the code alone) and writes one document:

  markdown  the architecture document a team commits as docs/architecture.md: the verdict,
            the warning signs with their evidence, Mermaid diagrams of modules, calls and
            data, the table-ownership matrix, extraction readiness, the practices and what
            the code shows of them, the findings with links, and the trace of the verdict
  json      the analysis and the assessment together
  adr       an Architecture Decision Record in the MADR layout

Several directories, or --system FILE, make the document of a system of repositories: it
gains a diagram of the repositories and a table of what couples them.`,
		Example: `  cleave report -o docs/architecture.md
  cleave report --answers architecture/answers.yaml --format adr -o docs/adr/0001-architecture.md`,
		RunE: func(c *cobra.Command, args []string) error {
			o.args = args
			return runReport(c.Context(), ios, g, o)
		},
	}
	f := c.Flags()
	f.StringVar(&o.answers, "answers", "", "the team's answers `FILE` (see cleave assess)")
	f.StringArrayVar(&o.sets, "set", nil, "answer a question: `id=value` (repeatable)")
	f.StringVar(&o.rulesFile, "rules", "", "use the rule pack in `FILE` instead of the built-in one")
	f.StringVar(&o.date, "date", "", "the date written into an ADR (default today), `YYYY-MM-DD`")
	f.StringVar(&o.failOn, "fail-on", "", "exit 1 when a warning at or above `level` fires: high or medium")
	systemFlag(c, &o.system)
	return c
}

func runReport(ctx context.Context, ios *IO, g *global, o *reportOptions) error {
	if err := g.checkFormat("report"); err != nil {
		return err
	}
	if err := checkFailOn(o.failOn); err != nil {
		return err
	}
	if o.date == "" {
		o.date = time.Now().Format("2006-01-02")
	} else if _, err := time.Parse("2006-01-02", o.date); err != nil {
		return usageErr("--date: expected YYYY-MM-DD, found %q", o.date)
	}
	pack, err := rules.LoadPack(o.rulesFile)
	if err != nil {
		return &ExitError{ExitUsage, err}
	}
	t, err := g.targetOf(o.args, o.system)
	if err != nil {
		return err
	}
	res, err := g.analyze(ctx, ios, t, false, false)
	if err != nil {
		return err
	}
	code := res.CodeAnswers()
	s, err := session(pack, maps.Clone(code), o.answers, o.sets)
	if err != nil {
		return err
	}
	s.Code = code
	res, as := decide(res, s)
	if g.format == "adr" && g.output != "" && g.output != "-" {
		if fi, err := os.Stat(g.output); err == nil && fi.IsDir() {
			g.output = nextADR(g.output, "adopt-a-"+as.Recommendation.Architecture+"-architecture")
			if !g.quiet {
				fmt.Fprintf(ios.ErrOut, "cleave: writing %s\n", g.output)
			}
		}
	}
	rep := newReport(res, as, o.answers != "" || len(o.sets) > 0, t.dir, g.output)
	err = g.render(ios, renderers{
		"markdown": func(w io.Writer) error { return reports.ArchitectureMarkdown(w, rep) },
		"json":     func(w io.Writer) error { return reports.JSON(w, rep) },
		"adr":      func(w io.Writer) error { return reports.ADR(w, rep, o.date) },
	})
	if err != nil {
		return err
	}
	if o.failOn != "" && as.HasWarning(o.failOn) {
		return &ExitError{Code: ExitFindings}
	}
	return nil
}

// title names the system after its Go module.
func title(res *model.Result) string {
	if len(res.Repositories) > 0 {
		names := make([]string, len(res.Repositories))
		for i, r := range res.Repositories {
			names[i] = r.Name
		}
		if res.System != "" {
			return "the " + res.System + " system"
		}
		return "the system of " + strings.Join(names, ", ")
	}
	paths := res.ModulePaths()
	if len(paths) == 0 {
		return "this repository"
	}
	return paths[0]
}

// linkPrefix makes links in a report written inside the repository point at the files: a
// report in docs/ links to ../internal/x.go.
func linkPrefix(dir, output string) string {
	if output == "" {
		return ""
	}
	absDir, err1 := filepath.Abs(dir)
	absOut, err2 := filepath.Abs(filepath.Dir(output))
	if err1 != nil || err2 != nil {
		return ""
	}
	rel, err := filepath.Rel(absOut, absDir)
	if err != nil || strings.HasPrefix(filepath.ToSlash(rel), "../..") && !strings.HasPrefix(filepath.ToSlash(absOut), filepath.ToSlash(absDir)) {
		return ""
	}
	if rel == "." {
		return ""
	}
	return path.Clean(filepath.ToSlash(rel)) + "/"
}

// newReport assembles what the report renderers read.
func newReport(res *model.Result, as *rules.Assessment, assessed bool, dir, output string) *reports.Report {
	return &reports.Report{SchemaVersion: 1, Analysis: res, Assessment: as, Readiness: res.Readiness,
		Assessed: assessed, Title: title(res), LinkPrefix: linkPrefix(dir, output)}
}

var adrNumber = regexp.MustCompile(`^(\d{4})-.*\.md$`)

// nextADR names the next record of an ADR directory as ADR tools do (adr-tools, log4brains):
// NNNN-title.md, one past the highest number there.
func nextADR(dir, slug string) string {
	next := 1
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if m := adrNumber.FindStringSubmatch(e.Name()); m != nil {
			if n, _ := strconv.Atoi(m[1]); n >= next {
				next = n + 1
			}
		}
	}
	return filepath.Join(dir, fmt.Sprintf("%04d-%s.md", next, slug))
}

package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/assess"
	"github.com/cleave-dev/cleave/internal/safefs"
	"github.com/cleave-dev/cleave/reports"
	"github.com/cleave-dev/cleave/rules"
)

type assessOptions struct {
	answers     string
	sets        []string
	repos       []string
	system      string
	repoDir     string // where the repository (or the system) analysed is read from
	accessible  bool
	saveAnswers string
	rulesFile   string
	failOn      string
}

func newAssessCmd(ios *IO, g *global) *cobra.Command {
	o := &assessOptions{}
	c := &cobra.Command{
		Use:   "assess",
		Short: "Answer a few questions and get a recommended architecture, with its reasons",
		Long: `assess applies the decision framework of the architecture guide to your answers and
recommends monolith, modular monolith, microservices or serverless. It shows every rule
that fired with its weight, the confidence, the warning signs with what to do about them,
and the single answers that would change the verdict.

On a terminal it is a full-screen questionnaire with live scores. --answers FILE and
--set id=value answer without prompting (for CI), --accessible asks line by line, and
--repo DIR reads the code first and fills in what it shows (shared tables, call chains,
what exists today) as answers you can still change. Several --repo directories (or
--repo a,b), or --system FILE, read a system of repositories as one.

Formats: text (default), markdown, json.`,
		Example: `  cleave assess
  cleave assess --repo . --save-answers architecture/answers.yaml
  cleave assess --answers architecture/answers.yaml --format json --fail-on high
  cleave assess --set team_size=12 --set domain_clarity=emerging`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runAssess(c.Context(), ios, g, o) },
	}
	f := c.Flags()
	f.StringVar(&o.answers, "answers", "", "read answers from `FILE`")
	f.StringArrayVar(&o.sets, "set", nil, "answer a question: `id=value` (repeatable)")
	f.StringSliceVar(&o.repos, "repo", nil, "analyse the Go repository at `DIR` first and pre-fill what the code shows (several: one system)")
	systemFlag(c, &o.system)
	f.BoolVar(&o.accessible, "accessible", false, "ask line by line instead of a full-screen interface")
	f.StringVar(&o.saveAnswers, "save-answers", "", "write the answers to `FILE`")
	f.StringVar(&o.rulesFile, "rules", "", "use the rule pack in `FILE` instead of the built-in one")
	f.StringVar(&o.failOn, "fail-on", "", "exit 1 when a warning at or above `level` fires: high or medium")
	return c
}

func runAssess(ctx context.Context, ios *IO, g *global, o *assessOptions) error {
	if err := g.checkFormat("assess"); err != nil {
		return err
	}
	if err := checkFailOn(o.failOn); err != nil {
		return err
	}
	pack, err := rules.LoadPack(o.rulesFile)
	if err != nil {
		return &ExitError{ExitUsage, err}
	}
	answers := map[string]rules.Answer{}
	var res *model.Result
	if len(o.repos) > 0 || o.system != "" {
		t, err := g.targetOf(o.repos, o.system)
		if err != nil {
			return err
		}
		o.repoDir = t.dir
		if res, err = g.analyze(ctx, ios, t, false, false); err != nil {
			return err
		}
		answers = res.CodeAnswers()
	}
	code := maps.Clone(answers)
	s, err := session(pack, answers, o.answers, o.sets)
	if err != nil {
		return err
	}
	s.Code = code

	// Answers given, or the code read with no terminal to ask on (CI): nothing is asked, and
	// what neither says stays unknown.
	headless := o.answers != "" || len(o.sets) > 0 || res != nil && !(ios.InTTY && ios.OutTTY)
	switch {
	case o.accessible, !headless && ios.InTTY && dumbTerminal(ios): // TERM=dumb draws no full screen
		if err := assess.Accessible(ios.In, ios.ErrOut, s); err != nil {
			return err
		}
	case !headless && ios.InTTY && ios.OutTTY:
		done, err := runTUI(ios, g, o, s, res)
		if err != nil {
			return err
		}
		if !done {
			// Quit before the result: keep what was answered when asked to, and end as a
			// cancelled command does (130, as gh and shells report it).
			if err := saveAnswers(ios, g, o, s); err != nil {
				return err
			}
			return &ExitError{Code: ExitInterrupted}
		}
	case !headless:
		return usageErr("assess needs a terminal to ask its questions; without one, answer with --answers FILE or --set id=value, or use --accessible to be asked line by line")
	}
	if err := saveAnswers(ios, g, o, s); err != nil {
		return err
	}
	_, as := decide(nil, s)
	style := g.style(ios)
	err = g.render(ios, renderers{
		"text": func(w io.Writer) error {
			if width := terminalWidth(ios); width > 0 && (g.output == "" || g.output == "-") {
				// On a terminal, the text wraps at words to its width, as the screen did.
				var b bytes.Buffer
				if err := reports.AssessmentText(&b, as, style); err != nil {
					return err
				}
				_, err := io.WriteString(w, assess.Wrap(b.String(), width-1))
				return err
			}
			return reports.AssessmentText(w, as, style)
		},
		"markdown": func(w io.Writer) error { return reports.AssessmentMarkdown(w, as) },
		"json":     func(w io.Writer) error { return reports.JSON(w, as) },
	})
	if err != nil {
		return err
	}
	if o.failOn != "" && as.HasWarning(o.failOn) {
		return &ExitError{Code: ExitFindings}
	}
	return nil
}

func saveAnswers(ios *IO, g *global, o *assessOptions, s *assess.Session) error {
	if o.saveAnswers == "" {
		return nil
	}
	if err := safefs.WriteFile(o.saveAnswers, rules.FormatAnswers(s.Pack, s.Answers)); err != nil {
		return &ExitError{ExitUsage, fmt.Errorf("writing %s: %w", o.saveAnswers, err)}
	}
	if !g.quiet {
		fmt.Fprintf(ios.ErrOut, "cleave: wrote %s\n", o.saveAnswers)
	}
	return nil
}

// runTUI runs the full-screen questionnaire; it reports whether the person reached the result.
func runTUI(ios *IO, g *global, o *assessOptions, s *assess.Session, res *model.Result) (bool, error) {
	color := g.colorWanted(ios)
	if !color {
		lipgloss.SetColorProfile(termenv.Ascii)
	}
	answersFile := o.saveAnswers
	if answersFile == "" || answersFile == "-" {
		answersFile = "cleave-answers.yaml"
	}
	reportFile := g.output
	if reportFile == "" || reportFile == "-" {
		reportFile = "cleave-assessment.md"
		if res != nil {
			reportFile = "architecture.md"
		}
	}
	files := &assess.Files{
		Default: map[string]string{"answers": answersFile, "report": reportFile},
		Write: func(kind, path string, overwrite bool, s *assess.Session) error {
			if !overwrite {
				if _, err := os.Lstat(path); err == nil {
					return fs.ErrExist
				}
			}
			if kind == "answers" {
				return safefs.WriteFile(path, rules.FormatAnswers(s.Pack, s.Answers))
			}
			var b bytes.Buffer
			var err error
			if res != nil { // with --repo: the whole architecture document, as cleave report writes it
				r, as := decide(res, s)
				err = reports.ArchitectureMarkdown(&b, newReport(r, as, true, o.repoDir, path))
			} else {
				err = reports.AssessmentMarkdown(&b, s.Assessment())
			}
			if err != nil {
				return err
			}
			return safefs.WriteFile(path, b.Bytes())
		},
	}
	m := assess.NewModel(s, color, files)
	p := tea.NewProgram(m, tea.WithAltScreen(), tea.WithInput(ios.In), tea.WithOutput(ios.Screen()))
	final, err := p.Run()
	if err != nil {
		return false, err
	}
	fm, ok := final.(assess.Model)
	if !ok {
		return false, errors.New("the questionnaire ended unexpectedly")
	}
	return fm.Done, nil
}

// terminalWidth is the width of standard output when it is a terminal, else 0.
func terminalWidth(ios *IO) int {
	if !ios.OutTTY {
		return 0
	}
	if f, ok := ios.Screen().(*os.File); ok {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil {
			return w
		}
	}
	return 0
}

func stdinIsTerminal() bool { return term.IsTerminal(int(os.Stdin.Fd())) }

func checkFailOn(level string) error {
	if level != "" && level != "high" && level != "medium" {
		return usageErr("--fail-on: unknown level %q (want high or medium)", level)
	}
	return nil
}

// session starts an assessment from answers the code gave, then the answers file, then each
// --set: a person's answer wins over the code's.
func session(pack *rules.Pack, answers map[string]rules.Answer, file string, sets []string) (*assess.Session, error) {
	if file != "" {
		fromFile, err := rules.LoadAnswers(file, pack)
		if err != nil {
			return nil, &ExitError{ExitUsage, err}
		}
		for id, a := range fromFile {
			answers[id] = a
		}
	}
	s := assess.NewSession(pack, answers)
	for _, set := range sets {
		id, value, err := assess.ParseSet(set)
		if err == nil {
			err = s.Set(id, value)
		}
		if err != nil {
			return nil, usageErr("--set: %v", err)
		}
	}
	return s, nil
}

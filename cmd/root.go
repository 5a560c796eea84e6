// Package cmd holds cleave's commands. Each command fills an options struct from its flags
// and calls a run function that the tests call directly.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/cleave-dev/cleave/analyze"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/internal/safefs"
	"github.com/cleave-dev/cleave/reports"
	"github.com/cleave-dev/cleave/rules"
)

// Exit codes of the contract.
const (
	ExitOK       = 0
	ExitFindings = 1
	ExitUsage    = 2
	ExitNoRun    = 3
	// ExitInterrupted is a run cancelled by a signal or by the user, as shells report SIGINT.
	ExitInterrupted = 130
)

// ExitError carries an exit code out of a command.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

func usageErr(format string, args ...any) error {
	return &ExitError{ExitUsage, fmt.Errorf(format, args...)}
}

// IO is where a command reads and writes, and what it knows about the terminal.
type IO struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	// OutTTY is true when Out is a terminal; InTTY when In is; ErrTTY when ErrOut is.
	OutTTY bool
	InTTY  bool
	ErrTTY bool
	Getenv func(string) string
	// screen is Out before escaping: the questionnaire draws on the terminal itself.
	screen io.Writer
	// sgr lets colour sequences through the escaping of Out; the flags settle it (--color).
	sgr *bool
	// errScreen is ErrOut before escaping: the progress line redraws itself there.
	errScreen io.Writer
}

// Screen is where the questionnaire draws: the terminal, unescaped.
func (ios *IO) Screen() io.Writer {
	if ios.screen != nil {
		return ios.screen
	}
	return ios.Out
}

// System returns the process's standard streams.
func System() *IO {
	return &IO{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		OutTTY: term.IsTerminal(int(os.Stdout.Fd())), InTTY: stdinIsTerminal(), ErrTTY: term.IsTerminal(int(os.Stderr.Fd())), Getenv: os.Getenv}
}

// global holds the flags every command shares.
type global struct {
	format  string
	output  string
	config  string
	noColor bool
	color   string
	quiet   bool
	verbose bool
	profile string
	noCache bool
	errOut  io.Writer // where -v tells what was used
}

// colorModes are the values of --color.
var colorModes = []string{"auto", "always", "never"}

// colorWanted settles whether output is coloured, in the order users expect of a command-line
// tool: --color always or never (--no-color is never); else NO_COLOR (any value) turns colour
// off, CLICOLOR_FORCE (any value but 0) turns it on, TERM=dumb turns it off; else only a
// terminal is coloured. A file written with -o is coloured only with --color always.
func (g *global) colorWanted(ios *IO) bool {
	getenv := ios.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	mode := g.color
	if g.noColor {
		mode = "never"
	}
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if g.output != "" && g.output != "-" {
		return false
	}
	switch {
	case getenv("NO_COLOR") != "":
		return false
	case getenv("CLICOLOR_FORCE") != "" && getenv("CLICOLOR_FORCE") != "0":
		return true
	case getenv("TERM") == "dumb":
		return false
	}
	return ios.OutTTY
}

// dumbTerminal reports a terminal that cannot draw a full-screen interface (TERM=dumb).
func dumbTerminal(ios *IO) bool { return ios.Getenv != nil && ios.Getenv("TERM") == "dumb" }

// style says how to colour output (colorWanted).
func (g *global) style(ios *IO) reports.Style {
	return reports.Style{Color: g.colorWanted(ios)}
}

// checkFormat rejects a format the command does not write.
func (g *global) checkFormat(cmd string) error {
	formats := commandFormats[cmd]
	if g.format == "" {
		g.format = formats[0]
	}
	for _, f := range formats {
		if g.format == f {
			return nil
		}
	}
	return usageErr("%s: unknown format %q (want %s)", cmd, g.format, strings.Join(formats, ", "))
}

// renderers maps each format a command writes to its renderer: one table per command instead
// of a switch in each.
type renderers map[string]func(w io.Writer) error

// render writes the output in the format checkFormat settled on.
func (g *global) render(ios *IO, r renderers) error {
	render, ok := r[g.format]
	if !ok {
		return usageErr("unknown format %q", g.format) // checkFormat and the table disagree: a bug
	}
	return g.write(ios, render)
}

// write sends a rendered document to -o FILE (whole or not at all) or to standard output
// (no -o, or -o -).
func (g *global) write(ios *IO, render func(w io.Writer) error) error {
	if g.output == "" || g.output == "-" {
		return render(ios.Out)
	}
	var b strings.Builder
	if err := render(escaping(&b, false)); err != nil {
		return err
	}
	if err := safefs.WriteFile(g.output, []byte(b.String())); err != nil {
		return &ExitError{ExitUsage, fmt.Errorf("writing %s: %w", g.output, err)}
	}
	return nil
}

// loadConfig reads --config, or DIR/.cleave.yaml when it exists. A bad file is exit 2.
func (g *global) loadConfig(dir string) (*rules.Config, error) {
	file, explicit := g.config, g.config != ""
	if !explicit {
		file = joinPath(dir, rules.ConfigFile)
	}
	var cfg *rules.Config
	data, err := readInput(dir, rules.ConfigFile, file, explicit, safefs.Config)
	rel := ""
	if !explicit && absent(err) {
		// None in DIR: the one of a directory above it, up to the repository's root, with its
		// paths rebased onto DIR (cleave lint services/orders under a root .cleave.yaml).
		if above, r := findConfigAbove(dir); above != "" {
			file, rel = shownPath(above), r
			data, err = safefs.ReadFile(above, safefs.Config)
		}
	}
	if err == nil {
		cfg, err = rules.ParseConfig(file, data)
	}
	switch {
	case err == nil:
		if g.verbose {
			msg := "cleave: config " + file
			if rel != "" && rel != "." {
				msg += ", its paths read from " + rel
			}
			fmt.Fprintln(g.errOut, msg)
		}
		return cfg.Under(rel), nil
	case !explicit && absent(err):
		if g.verbose {
			fmt.Fprintf(g.errOut, "cleave: no config (no %s in %s or above it in its repository): modules are inferred\n", rules.ConfigFile, dir)
		}
		return nil, nil
	}
	var list rules.ErrorList
	if errors.As(err, &list) {
		return nil, &ExitError{ExitUsage, err}
	}
	return nil, &ExitError{ExitUsage, fmt.Errorf("reading config: %w", err)}
}

// findConfigAbove finds the .cleave.yaml of the nearest directory above dir, stopping at the
// root of the repository that holds dir (the nearest directory with a .git); outside a
// repository, or with dir its root, there is nothing above to look in. It returns the file and
// dir relative to the file's directory, with slashes.
func findConfigAbove(dir string) (string, string) {
	abs, err := realDir(dir)
	if err != nil {
		return "", ""
	}
	root := repoRoot(abs)
	if root == "" {
		return "", ""
	}
	for d := abs; d != root; {
		d = filepath.Dir(d)
		f := filepath.Join(d, rules.ConfigFile)
		if st, err := os.Lstat(f); err == nil && st.Mode().IsRegular() {
			rel, err := filepath.Rel(d, abs)
			if err != nil {
				return "", ""
			}
			return f, filepath.ToSlash(rel)
		}
	}
	return "", ""
}

// shownPath is a file's path as the user would type it: relative to the working directory
// when it lies below it, else as given.
func shownPath(file string) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, file); err == nil && !strings.HasPrefix(rel, "..") {
			return filepath.ToSlash(rel)
		}
	}
	return file
}

// readInput reads a file cleave takes in: one the user named (explicit), wherever it lies, or
// the repository's own rel, only when it is a regular file inside DIR (shown as file).
func readInput(dir, rel, file string, explicit bool, limit int64) ([]byte, error) {
	if explicit {
		return safefs.ReadFile(file, limit)
	}
	return safefs.ReadAs(dir, rel, file, limit)
}

// absent reports whether a file DIR may hold is not there; a DIR that is no directory holds
// none either, and is the analysis's to report.
func absent(err error) bool {
	return rules.IsNotExist(err) || errors.Is(err, syscall.ENOTDIR)
}

func joinPath(dir, name string) string {
	if dir == "" || dir == "." {
		return name
	}
	return strings.TrimSuffix(dir, "/") + "/" + name
}

// cacheDirFor is where the listing cache lives for a run: CLEAVE_CACHE_DIR's say, else the
// user cache directory's cleave/. Tests point it at a directory of their own.
var cacheDirFor = func(ios *IO) string { return analyze.CacheDir(ios.Getenv("CLEAVE_CACHE_DIR")) }

// analyzeDir runs the analysis, turning its errors into exit codes and its warnings into lines on stderr.
// Warnings go to stderr unless the output itself lists them (shown).
func (g *global) analyzeDir(ctx context.Context, ios *IO, dir string, cfg *rules.Config, tests, shown bool) (*model.Result, error) {
	return g.analyzeWith(ctx, ios, tests, shown, func(opts analyze.Options) (*model.Result, error) {
		opts.Dir, opts.Config = dir, cfg
		return runAnalysis(ctx, opts)
	})
}

// analyzeWith runs an analysis with the options every command shares, and turns its errors
// into exit codes and its warnings into lines on stderr.
func (g *global) analyzeWith(ctx context.Context, ios *IO, tests, shown bool, run func(analyze.Options) (*model.Result, error)) (*model.Result, error) {
	start := time.Now()
	opts := analyze.Options{Tests: tests, Version: Version()}
	if !g.noCache {
		opts.CacheDir = cacheDirFor(ios)
	}
	var p *progress
	if ios.ErrTTY && ios.errScreen != nil && !g.quiet && !dumbTerminal(ios) {
		p = startProgress(ios.errScreen, progressDelay)
		opts.Progress = p.Stage
	}
	res, err := run(opts)
	if p != nil {
		p.Stop() // before anything else is printed
	}
	if err == nil && g.verbose {
		var cached []string
		if res.ListingCached {
			cached = append(cached, "the package listing")
		}
		if res.FactsCached {
			cached = append(cached, "the typed facts")
		}
		listing := ""
		if len(cached) > 0 {
			listing = " (" + strings.Join(cached, " and ") + " from the cache)"
		}
		of := ""
		if len(res.Repositories) > 0 {
			of = " of " + reports.Plural(len(res.Repositories), "repository")
		}
		fmt.Fprintf(ios.ErrOut, "cleave: analysed %s in %s%s in %.2fs%s\n", reports.Plural(len(res.Packages), "package"),
			reports.Plural(len(res.GoModules), "Go module"), of, time.Since(start).Seconds(), listing)
	}
	if err != nil {
		var list rules.ErrorList
		var le *analyze.LoadError
		var exit *ExitError
		switch {
		case errors.As(err, &exit): // a repository's configuration, read for a system
			return nil, exit
		case errors.As(err, &list):
			return nil, &ExitError{ExitUsage, err}
		case errors.As(err, &le):
			return nil, &ExitError{ExitNoRun, err}
		}
		return nil, &ExitError{ExitNoRun, err}
	}
	if !g.quiet && !shown && len(res.Warnings) > 0 {
		if g.verbose {
			for _, w := range res.Warnings {
				fmt.Fprintf(ios.ErrOut, "cleave: warning: %s: %s\n", w.Subject, w.Message)
			}
		} else {
			fmt.Fprintf(ios.ErrOut, "cleave: %s could not be read in full (-v lists them); the rest was analysed\n", reports.Plural(len(res.Warnings), "part"))
		}
	}
	return res, nil
}

// runAnalysis is the analysis every command runs; the tests share one result per fixture.
var runAnalysis = analyze.Run

func dirArg(args []string) string {
	if len(args) == 0 {
		return "."
	}
	return args[0]
}

// NewRoot builds the cleave command tree.
func NewRoot(ios *IO) *cobra.Command {
	g := &global{errOut: ios.ErrOut}
	root := &cobra.Command{
		Use:   "cleave",
		Short: "Decide, and then keep, the right architecture for a Go system",
		Long: `cleave reads a Go repository and tells what its architecture is today: the programs it
ships, the logical modules inside and where their boundaries leak, the database tables each
one touches, and which programs call which. It gates CI on the boundaries you declare in
.cleave.yaml.

Start with 'cleave assess --repo .' to decide which architecture fits, 'cleave analyze'
to see the code as it is, 'cleave init' to write the boundaries it found, 'cleave lint'
in CI to keep them, and 'cleave report' for the architecture document.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version(),
		CompletionOptions: cobra.CompletionOptions{
			HiddenDefaultCmd: false,
		},
	}
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	pf := root.PersistentFlags()
	pf.StringVar(&g.format, "format", "", "output format (see each command)")
	pf.StringVarP(&g.output, "output", "o", "", "write the output to `FILE` instead of standard output")
	pf.StringVar(&g.config, "config", "", "configuration `FILE` (default DIR/.cleave.yaml when present)")
	pf.StringVar(&g.color, "color", "auto", "colour the output: `auto` (on a terminal; NO_COLOR, CLICOLOR_FORCE and TERM=dumb count), always or never")
	pf.BoolVar(&g.noColor, "no-color", false, "never colour the output (--color never)")
	pf.BoolVarP(&g.quiet, "quiet", "q", false, "print nothing but the output itself")
	pf.BoolVarP(&g.verbose, "verbose", "v", false, "list every warning and how long the analysis took")
	pf.BoolVar(&g.noCache, "no-cache", false, "read nothing from the cache and write nothing to it: list the packages with the go command and run the typed pass")
	pf.StringVar(&g.profile, "cpuprofile", "", "write a CPU profile of the run to `FILE`")
	_ = pf.MarkHidden("cpuprofile")
	var stopProfile func()
	root.PersistentPreRunE = func(*cobra.Command, []string) error {
		if !slices.Contains(colorModes, g.color) {
			return usageErr("--color: unknown mode %q (want %s)", g.color, strings.Join(colorModes, ", "))
		}
		if ios.sgr != nil {
			*ios.sgr = g.colorWanted(ios)
		}
		if g.profile == "" {
			return nil
		}
		f, err := os.Create(g.profile)
		if err != nil {
			return usageErr("--cpuprofile: %v", err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return usageErr("--cpuprofile: %v", err)
		}
		stopProfile = func() { pprof.StopCPUProfile(); f.Close() }
		return nil
	}
	root.PersistentPostRun = func(*cobra.Command, []string) {
		if stopProfile != nil {
			stopProfile()
		}
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &ExitError{ExitUsage, fmt.Errorf("%w (see '%s --help')", err, c.CommandPath())}
	})
	root.AddCommand(newAssessCmd(ios, g), newAnalyzeCmd(ios, g), newLintCmd(ios, g), newReportCmd(ios, g), newInitCmd(ios, g), newRulesCmd(ios, g), newSchemaCmd(ios, g), newVersionCmd(ios, g), newCacheCmd(ios, g))
	registerCompletions(root)
	return root
}

// Main runs cleave with the process's arguments and returns its exit code.
func Main() int {
	// SIGINT and SIGTERM cancel the run: the go command it started is interrupted and waited
	// for (never left running), nothing half-written is left behind, and the exit code is the
	// shell's for the signal.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() { <-ctx.Done(); stop() }() // a second signal kills at once
	code := Execute(ctx, System(), os.Args[1:])
	if ctx.Err() != nil && code != ExitOK {
		return ExitInterrupted
	}
	return code
}

// Execute runs cleave with the given arguments and returns the exit code.
func Execute(ctx context.Context, ios *IO, args []string) int {
	escaped := *ios         // names and text from the analysed repository never act on the terminal
	escaped.sgr = new(bool) // no colour until the flags say so (PersistentPreRunE)
	escaped.screen, escaped.errScreen = ios.Screen(), ios.ErrOut
	escaped.Out, escaped.ErrOut = escapingWith(ios.Out, escaped.sgr), escaping(ios.ErrOut, false)
	if len(args) > 0 && strings.HasPrefix(args[0], "__complete") {
		escaped.Out = unquoting{escaped.Out} // completion descriptions come from flag usages
	}
	ios = &escaped
	root := NewRoot(ios)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		fmt.Fprintln(ios.ErrOut, "cleave: interrupted")
		return ExitInterrupted
	}
	if errors.As(err, &ee) {
		if ee.Err != nil {
			fmt.Fprintf(ios.ErrOut, "cleave: %v\n", ee.Err)
		}
		return ee.Code
	}
	// Cobra's own errors (unknown command, wrong argument count) are usage errors.
	fmt.Fprintf(ios.ErrOut, "cleave: %v\n", err)
	return ExitUsage
}

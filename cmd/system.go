package cmd

import (
	"context"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/cleave-dev/cleave/analyze"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/system"
	"github.com/cleave-dev/cleave/internal/safefs"
	"github.com/cleave-dev/cleave/rules"
)

// target is what a command analyses: one directory, or a system of several repositories.
type target struct {
	dir string // the one directory; for a system, where its paths are read from (links)
	// spec is the system, nil for one directory.
	spec *system.Spec
}

// systemFlag adds --system to a command that analyses code.
func systemFlag(c *cobra.Command, file *string) {
	c.Flags().StringVar(file, "system", "", "analyse the repositories the system `FILE` lists as one system")
}

// targetOf reads the arguments: several directories, or --system FILE, make a system; one
// directory (default .) is analysed alone.
func (g *global) targetOf(args []string, systemFile string) (target, error) {
	switch {
	case systemFile != "" && len(args) > 0:
		return target{}, usageErr("--system %s lists the repositories: give no directory beside it", systemFile)
	case systemFile != "":
		data, err := safefs.ReadFile(systemFile, safefs.Config)
		if err != nil {
			return target{}, usageErr("--system: %v", err)
		}
		spec, err := system.ParseSpec(systemFile, data)
		if err != nil {
			return target{}, &ExitError{ExitUsage, err}
		}
		return g.systemTarget(target{dir: filepath.Dir(systemFile), spec: spec})
	case len(args) > 1:
		spec, err := system.FromDirs(args)
		if err != nil {
			return target{}, &ExitError{ExitNoRun, err}
		}
		return g.systemTarget(target{dir: ".", spec: spec})
	}
	return target{dir: dirArg(args)}, nil
}

func (g *global) systemTarget(t target) (target, error) {
	if g.config != "" {
		return target{}, usageErr("--config names one repository's %s; each repository of a system is read with its own", rules.ConfigFile)
	}
	return t, nil
}

// runSystem is the analysis of a system; the tests may share results.
var runSystem = analyze.RunSystem

// analyze runs the analysis of the target: one directory with its configuration, or each
// repository of a system with its own.
func (g *global) analyze(ctx context.Context, ios *IO, t target, tests, shown bool) (*model.Result, error) {
	if t.spec == nil {
		cfg, err := g.loadConfig(t.dir)
		if err != nil {
			return nil, err
		}
		return g.analyzeDir(ctx, ios, t.dir, cfg, tests, shown)
	}
	return g.analyzeWith(ctx, ios, tests, shown, func(opts analyze.Options) (*model.Result, error) {
		return runSystem(ctx, t.spec, opts, g.loadConfig)
	})
}

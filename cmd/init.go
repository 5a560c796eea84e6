package cmd

import (
	"context"
	"fmt"
	"os"
	"sort"

	"github.com/spf13/cobra"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/internal/safefs"
	"github.com/cleave-dev/cleave/reports"
	"github.com/cleave-dev/cleave/rules"
)

type initOptions struct {
	dir   string
	force bool
}

func newInitCmd(ios *IO, g *global) *cobra.Command {
	o := &initOptions{}
	c := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Write a starter .cleave.yaml from the structure the code has today",
		Long: `init infers the modules of the repository at DIR and writes them, with the dependencies
they have today, to DIR/.cleave.yaml (or to -o FILE). From then on 'cleave lint' fails on
any new dependency between modules that the file does not allow. An existing file is
never overwritten without --force.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			o.dir = dirArg(args)
			return runInit(c.Context(), ios, g, o)
		},
	}
	c.Flags().BoolVar(&o.force, "force", false, "overwrite an existing configuration file")
	return c
}

func runInit(ctx context.Context, ios *IO, g *global, o *initOptions) error {
	target, inRepo := g.output, g.output == ""
	if inRepo {
		target = joinPath(o.dir, rules.ConfigFile)
	}
	if _, err := os.Stat(target); err == nil && !o.force && target != "-" {
		return usageErr("%s exists; pass --force to overwrite it", target)
	}
	res, err := g.analyzeDir(ctx, ios, o.dir, nil, false, false)
	if err != nil {
		return err
	}
	draft := Draft(res)
	if target == "-" {
		_, err := ios.Out.Write(draft.YAML())
		return err
	}
	write := func() error { return safefs.WriteFile(target, draft.YAML()) }
	if inRepo { // the one file init may write into the repository, and only inside it
		write = func() error { return safefs.WriteIn(o.dir, rules.ConfigFile, draft.YAML()) }
	}
	if err := write(); err != nil {
		return &ExitError{ExitUsage, fmt.Errorf("writing %s: %w", target, err)}
	}
	if !g.quiet {
		fmt.Fprintf(ios.ErrOut, "cleave: wrote %s: %s; run 'cleave lint' to check them\n", target, reports.Plural(len(draft.Modules), "module"))
	}
	return nil
}

// Draft turns an analysis into the configuration that describes it as it is.
func Draft(res *model.Result) *rules.Draft {
	d := &rules.Draft{
		Header: []string{
			"cleave configuration: the module boundaries of this repository.",
			"Written by `cleave init` from the code as it was; edit it to the architecture you want.",
		},
		CompositionRoots: rules.DefaultCompositionRoots,
	}
	for _, m := range res.Modules {
		d.Modules = append(d.Modules, rules.DraftModule{
			Name: m.Name, Paths: m.Paths, Public: m.Public, DependsOn: m.DependsOn, Open: m.Open, Declare: !m.Conventional,
		})
	}
	seen := map[string]bool{}
	for _, t := range res.Tables {
		if seen[t.Name] {
			continue // the same name in two stores: ownership is per name
		}
		seen[t.Name] = true
		writers := map[string]bool{}
		for _, a := range t.Accesses {
			if a.Op == "write" && a.Module != "" {
				writers[a.Module] = true
			}
		}
		if len(writers) == 0 {
			continue
		}
		dt := rules.DraftTable{Name: t.Name}
		for w := range writers {
			dt.Writers = append(dt.Writers, w)
		}
		sort.Strings(dt.Writers)
		if len(dt.Writers) == 1 {
			dt.Owner = dt.Writers[0]
		}
		d.Tables = append(d.Tables, dt)
	}
	return d
}

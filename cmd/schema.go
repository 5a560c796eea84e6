package cmd

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/cleave-dev/cleave/rules"
	"github.com/cleave-dev/cleave/schemas"
)

func newSchemaCmd(ios *IO, g *global) *cobra.Command {
	return &cobra.Command{
		Use:   "schema [NAME]",
		Short: "Print the JSON Schema of .cleave.yaml, the answers file or an output",
		Long: `schema prints a JSON Schema (draft 2020-12): config for .cleave.yaml, answers for the
answers file of assess, and analysis, lint, assessment and report for the JSON of those
commands. Without NAME it lists them. Editors that speak the YAML language server validate as
you type with a first line such as

  # yaml-language-server: $schema=https://raw.githubusercontent.com/cleave-dev/cleave/main/schemas/config.schema.json

and the files are also in the repository's schemas/ directory.`,
		Example: `  cleave schema
  cleave schema config -o .vscode/cleave.schema.json
  cleave schema analysis`,
		Args: cobra.MaximumNArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			var out []cobra.Completion
			for _, n := range schemas.Names() {
				out = append(out, cobra.CompletionWithDesc(n, schemas.Describe[n]))
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return g.write(ios, func(w io.Writer) error {
					tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
					for _, n := range schemas.Names() {
						fmt.Fprintf(tw, "%s\t%s\t%s\n", n, schemas.Describe[n], schemas.ID(n))
					}
					return tw.Flush()
				})
			}
			b, ok := schemas.Get(args[0])
			if !ok {
				if hint := rules.Suggest(args[0], schemas.Names()); hint != "" {
					return usageErr("unknown schema %q (did you mean %q?)", args[0], hint)
				}
				return usageErr("unknown schema %q (want one of %v)", args[0], schemas.Names())
			}
			return g.write(ios, func(w io.Writer) error {
				_, err := w.Write(b)
				return err
			})
		},
	}
}

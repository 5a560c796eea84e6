package cmd

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/cleave-dev/cleave/analyze"
	"github.com/cleave-dev/cleave/reports"
	"github.com/cleave-dev/cleave/rules"
)

func newRulesCmd(ios *IO, g *global) *cobra.Command {
	return &cobra.Command{
		Use:   "rules [ID]",
		Short: "List the finding rules, or explain one",
		Long: `rules lists every finding rule cleave checks, with its default severity. With an ID it
explains the rule: what it reports, why it matters, how to fix it, and the section of the
architecture guide it rests on.

Formats: text (default), json.`,
		Example: `  cleave rules
  cleave rules boundary/module-cycle`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if err := g.checkFormat("rules", "text", "json"); err != nil {
				return err
			}
			list := checkedRules()
			if len(args) == 1 {
				r, ok := rules.Lookup(args[0])
				if !ok || !slices.Contains(list, r) {
					ids := make([]string, len(list))
					for i, r := range list {
						ids[i] = r.ID
					}
					return usageErr("unknown rule %q (rules: %s)", args[0], strings.Join(ids, ", "))
				}
				list = []*rules.Rule{r}
			}
			return g.write(ios, func(w io.Writer) error {
				if g.format == "json" {
					return reports.JSON(w, ruleDocs(list))
				}
				if len(args) == 1 {
					return explainRule(w, list[0], g.style(ios))
				}
				return listRules(w, list)
			})
		},
	}
}

// checkedRules returns the rules that some detector checks, sorted by id.
func checkedRules() []*rules.Rule {
	var out []*rules.Rule
	for _, d := range analyze.Detectors {
		if r, ok := rules.Lookup(d.Rule); ok {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

type ruleDoc struct {
	ID       string         `json:"id"`
	Severity string         `json:"severity"`
	Title    string         `json:"title"`
	What     string         `json:"what"`
	Why      string         `json:"why"`
	Fix      string         `json:"fix"`
	Guide    string         `json:"guide"`
	Options  map[string]int `json:"options,omitempty"`
}

func ruleDocs(list []*rules.Rule) []ruleDoc {
	out := make([]ruleDoc, len(list))
	for i, r := range list {
		out[i] = ruleDoc{r.ID, r.Severity.String(), r.Title, r.What, r.Why, r.Fix, r.Guide, r.Options}
	}
	return out
}

func listRules(w io.Writer, list []*rules.Rule) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, r := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.ID, r.Severity, r.Title)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "\nRun 'cleave rules ID' for what a rule reports, why it matters and how to fix it.")
	return err
}

func explainRule(w io.Writer, r *rules.Rule, s reports.Style) error {
	_, err := fmt.Fprintf(w, "%s %s\n%s\n\n%s\n  %s\n\n%s\n  %s\n\n%s\n  %s\n\n%s %s\n",
		s.Bold(r.ID), s.Faint("("+r.Severity.String()+" by default)"), r.Title,
		s.Bold("What it reports"), r.What,
		s.Bold("Why it matters"), r.Why,
		s.Bold("How to fix it"), r.Fix,
		s.Bold("Guide:"), r.Guide)
	return err
}

package cmd

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/cleave-dev/cleave/analyze/detect"
	"github.com/cleave-dev/cleave/reports"
	"github.com/cleave-dev/cleave/rules"
)

func newRulesCmd(ios *IO, g *global) *cobra.Command {
	var packFile string
	c := &cobra.Command{
		Use:   "rules [ID]",
		Short: "List the finding rules and decision rules, or explain one",
		Long: `rules lists every finding rule cleave checks in code, with its default severity, and every
decision rule of the assessment, with the weights it gives each architecture, and the
warning signs. With an ID it explains one: what it reports or when it fires, why it
matters, what to do, and the section of the architecture guide it rests on.

Formats: text (default), json.`,
		Example: `  cleave rules
  cleave rules boundary/module-cycle
  cleave rules team-small
  cleave rules small-team`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			if err := g.checkFormat("rules"); err != nil {
				return err
			}
			pack, err := rules.LoadPack(packFile)
			if err != nil {
				return &ExitError{ExitUsage, err}
			}
			doc := catalog(pack)
			if len(args) == 1 {
				ids := doc.ids()
				if !doc.only(args[0]) {
					if hint := rules.Suggest(args[0], ids); hint != "" {
						return usageErr("unknown rule %q (did you mean %q? run 'cleave rules' for the list)", args[0], hint)
					}
					return usageErr("unknown rule %q (run 'cleave rules' for the list)", args[0])
				}
			}
			return g.write(ios, func(w io.Writer) error {
				if g.format == "json" {
					return reports.JSON(w, doc)
				}
				if len(args) == 1 {
					return explain(w, doc, g.style(ios))
				}
				return listAll(w, doc)
			})
		},
	}
	c.Flags().StringVar(&packFile, "rules", "", "use the rule pack in `FILE` instead of the built-in one")
	return c
}

// checkedRules returns the finding rules that some detector checks, sorted by id.
func checkedRules() []*rules.Rule {
	var out []*rules.Rule
	for _, d := range detect.Detectors {
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

type decisionDoc struct {
	ID      string         `json:"id"`
	When    string         `json:"when"`
	Effects map[string]int `json:"effects"`
	Note    string         `json:"note"`
	Guide   string         `json:"guide"`
}

type warningDoc struct {
	ID         string `json:"id"`
	Severity   string `json:"severity"`
	When       string `json:"when"`
	Title      string `json:"title"`
	Detail     string `json:"detail"`
	Mitigation string `json:"mitigation"`
	Guide      string `json:"guide"`
}

type catalogDoc struct {
	FindingRules  []ruleDoc     `json:"findingRules"`
	DecisionRules []decisionDoc `json:"decisionRules"`
	Warnings      []warningDoc  `json:"warnings"`
	archs         []string
}

func catalog(pack *rules.Pack) *catalogDoc {
	d := &catalogDoc{FindingRules: []ruleDoc{}, DecisionRules: []decisionDoc{}, Warnings: []warningDoc{}, archs: pack.Architectures}
	for _, r := range checkedRules() {
		d.FindingRules = append(d.FindingRules, ruleDoc{r.ID, r.Severity.String(), r.Title, r.What, r.Why, r.Fix, r.Guide, r.Options})
	}
	for _, r := range pack.Rules {
		d.DecisionRules = append(d.DecisionRules, decisionDoc{r.ID, r.When, r.Effects, r.Note, r.Guide})
	}
	for _, w := range pack.Warnings {
		d.Warnings = append(d.Warnings, warningDoc{w.ID, w.Severity, w.When, w.Title, w.Detail, w.Mitigation, w.Guide})
	}
	return d
}

// ids lists every id the catalog holds: finding rules, decision rules, warning signs.
func (d *catalogDoc) ids() []string {
	var ids []string
	for _, r := range d.FindingRules {
		ids = append(ids, r.ID)
	}
	for _, r := range d.DecisionRules {
		ids = append(ids, r.ID)
	}
	for _, w := range d.Warnings {
		ids = append(ids, w.ID)
	}
	return ids
}

// only keeps the one rule with the id; false when there is none.
func (d *catalogDoc) only(id string) bool {
	f := slices.DeleteFunc(d.FindingRules, func(r ruleDoc) bool { return r.ID != id })
	r := slices.DeleteFunc(d.DecisionRules, func(r decisionDoc) bool { return r.ID != id })
	w := slices.DeleteFunc(d.Warnings, func(r warningDoc) bool { return r.ID != id })
	d.FindingRules, d.DecisionRules, d.Warnings = f, r, w
	return len(f)+len(r)+len(w) > 0
}

func (d *catalogDoc) weights(e map[string]int) string {
	var parts []string
	for _, a := range d.archs {
		if w, ok := e[a]; ok {
			parts = append(parts, fmt.Sprintf("%s %+d", a, w))
		}
	}
	return strings.Join(parts, ", ")
}

func listAll(w io.Writer, d *catalogDoc) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Finding rules (cleave analyze, lint)")
	for _, r := range d.FindingRules {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", r.ID, r.Severity, r.Title)
	}
	fmt.Fprintln(tw, "\nDecision rules (cleave assess): when the condition holds, the weights move the scores")
	for _, r := range d.DecisionRules {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", r.ID, r.When, d.weights(r.Effects))
	}
	fmt.Fprintln(tw, "\nWarning signs (cleave assess)")
	for _, r := range d.Warnings {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", r.ID, r.Severity, r.Title)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "\nRun 'cleave rules ID' for what a rule reports, why it matters and what to do.")
	return err
}

func explain(w io.Writer, d *catalogDoc, s reports.Style) error {
	switch {
	case len(d.FindingRules) == 1:
		r := d.FindingRules[0]
		_, err := fmt.Fprintf(w, "%s %s\n%s\n\n%s\n  %s\n\n%s\n  %s\n\n%s\n  %s\n\n%s %s\n",
			s.Bold(r.ID), s.Faint("(finding rule, "+r.Severity+" by default)"), r.Title,
			s.Bold("What it reports"), r.What, s.Bold("Why it matters"), r.Why, s.Bold("How to fix it"), r.Fix, s.Bold("Guide:"), r.Guide)
		return err
	case len(d.DecisionRules) == 1:
		r := d.DecisionRules[0]
		_, err := fmt.Fprintf(w, "%s %s\n%s\n\n%s\n  %s\n\n%s\n  %s\n\n%s %s\n",
			s.Bold(r.ID), s.Faint("(decision rule)"), r.Note, s.Bold("Fires when"), r.When, s.Bold("Weights"), d.weights(r.Effects), s.Bold("Guide:"), r.Guide)
		return err
	default:
		r := d.Warnings[0]
		_, err := fmt.Fprintf(w, "%s %s\n%s\n\n%s\n  %s\n\n%s\n  %s\n\n%s\n  %s\n\n%s %s\n",
			s.Bold(r.ID), s.Faint("(warning sign, "+r.Severity+")"), r.Title, s.Bold("Fires when"), r.When,
			s.Bold("Why it matters"), r.Detail, s.Bold("What to do"), r.Mitigation, s.Bold("Guide:"), r.Guide)
		return err
	}
}

package cmd

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cleave-dev/cleave/rules"
)

// commandFormats are the formats each command writes, its default first: what --format
// accepts and what completion offers.
var commandFormats = map[string][]string{
	"analyze": {"text", "json", "markdown"},
	"assess":  {"text", "markdown", "json"},
	"cache":   {"text", "json"},
	"lint":    {"text", "json", "sarif", "github", "markdown"},
	"report":  {"markdown", "json", "adr"},
	"rules":   {"text", "json"},
	"version": {"text", "json"},
}

// formatHelp describes each format for completion.
var formatHelp = map[string]string{
	"text":     "for people, on a terminal",
	"json":     "the contract's JSON",
	"markdown": "Markdown with Mermaid diagrams",
	"sarif":    "SARIF 2.1.0 for code scanning",
	"github":   "GitHub workflow annotations and step summary",
	"adr":      "an architecture decision record (MADR 4)",
}

// fixed completes a flag from a fixed list of "value\tdescription" entries.
func fixed(values ...string) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

// registerCompletions teaches shell completion the values of cleave's flags and arguments:
// formats per command, severities, colour modes, rule ids for 'cleave rules', question ids
// and their answers for --set.
func registerCompletions(root *cobra.Command) {
	_ = root.RegisterFlagCompletionFunc("format", func(c *cobra.Command, _ []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
		var out []cobra.Completion
		name := c.Name()
		if c.HasParent() && c.Parent().HasParent() { // cache status: its parent's formats
			name = c.Parent().Name()
		}
		for _, f := range commandFormats[name] {
			out = append(out, cobra.CompletionWithDesc(f, formatHelp[f]))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
	_ = root.RegisterFlagCompletionFunc("color", fixed("auto\ton a terminal, unless NO_COLOR or TERM=dumb", "always\talso on a pipe or into a file", "never\tplain text"))
	for _, c := range root.Commands() {
		switch c.Name() {
		case "lint":
			_ = c.RegisterFlagCompletionFunc("fail-on", fixed("error\tfail on errors only", "warning\tfail on warnings and errors"))
		case "assess":
			_ = c.RegisterFlagCompletionFunc("fail-on", fixed("high\tfail on high warning signs", "medium\tfail on medium and high warning signs"))
			_ = c.RegisterFlagCompletionFunc("set", completeSet)
		case "rules":
			c.ValidArgsFunction = completeRuleIDs
		}
	}
}

// completeRuleIDs offers every finding rule, decision rule and warning sign, with its title.
func completeRuleIDs(c *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	pack, err := rules.LoadPack("")
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	var out []cobra.Completion
	for _, r := range checkedRules() {
		out = append(out, cobra.CompletionWithDesc(r.ID, r.Title))
	}
	for _, r := range pack.Rules {
		out = append(out, cobra.CompletionWithDesc(r.ID, firstLine(r.Note)))
	}
	for _, w := range pack.Warnings {
		out = append(out, cobra.CompletionWithDesc(w.ID, w.Title))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// completeSet offers question ids (id=) and, once the id is typed, its answers.
func completeSet(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	pack, err := rules.LoadPack("")
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	if id, _, ok := strings.Cut(toComplete, "="); ok {
		q := pack.Question(id)
		if q == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		for _, o := range q.Options {
			out = append(out, cobra.CompletionWithDesc(fmt.Sprintf("%s=%v", id, o.Value), o.Label))
		}
		out = append(out, cobra.CompletionWithDesc(id+"="+rules.Unknown, "not known yet"))
		return out, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, q := range pack.Questions {
		out = append(out, cobra.CompletionWithDesc(q.ID+"=", q.Prompt))
	}
	return out, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// unquoting drops the backticks that mark a flag's value name in its usage (`FILE`): help
// shows them as the placeholder, but in a completion's description they are noise.
type unquoting struct{ w io.Writer }

func (u unquoting) Write(p []byte) (int, error) {
	if _, err := u.w.Write(bytes.ReplaceAll(p, []byte("`"), nil)); err != nil {
		return 0, err
	}
	return len(p), nil
}

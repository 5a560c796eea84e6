// Package reports renders analysis results. It only reads the models it is given.
package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/rules"
)

// JSON writes v as indented JSON with a final newline. HTML characters are not escaped,
// so messages read as written.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// LintResult is the JSON document of `cleave lint --format json`.
type LintResult struct {
	SchemaVersion int              `json:"schemaVersion"`
	Tool          model.Tool       `json:"tool"`
	Findings      []*rules.Finding `json:"findings"`
	Stale         []StaleEntry     `json:"stale"`
	Warnings      []model.Warning  `json:"warnings"`
	// Summary counts the findings outside the baseline by severity, and the baselined ones.
	Summary map[string]int `json:"summary"`
}

// StaleEntry is a baseline entry that matches no finding any more.
type StaleEntry struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	File        string `json:"file"`
	Description string `json:"description"`
}

// NewLintResult builds the lint document from an analysis.
func NewLintResult(res *model.Result, findings []*rules.Finding, stale []rules.BaselineEntry) *LintResult {
	sum := map[string]int{"error": 0, "warning": 0, "info": 0, "baselined": 0}
	for _, f := range findings {
		if f.Baselined {
			sum["baselined"]++
		} else {
			sum[f.Severity.String()]++
		}
	}
	st := []StaleEntry{}
	for _, e := range stale {
		st = append(st, StaleEntry(e))
	}
	return &LintResult{SchemaVersion: res.SchemaVersion, Tool: res.Tool, Findings: findings, Stale: st, Warnings: res.Warnings, Summary: sum}
}

// Style colours text for a terminal; the zero value leaves text plain.
type Style struct{ Color bool }

func (s Style) wrap(code, text string) string {
	if !s.Color {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

// Bold sets a heading apart.
func (s Style) Bold(t string) string { return s.wrap("1", t) }

// Faint is for what matters less.
func (s Style) Faint(t string) string { return s.wrap("2", t) }

// Severity colours a severity's name.
func (s Style) Severity(sev rules.Severity) string {
	switch sev {
	case rules.Error:
		return s.wrap("31", sev.String())
	case rules.Warning:
		return s.wrap("33", sev.String())
	}
	return s.wrap("36", sev.String())
}

// FindingLine renders a finding as path:line:col: severity: message (rule).
func (s Style) FindingLine(f *rules.Finding) string {
	return fmt.Sprintf("%s:%d:%d: %s: %s %s", f.File, f.Line, f.Column, s.Severity(f.Severity), f.Message, s.Faint("("+f.Rule+")"))
}

// Lint writes one line per finding.
func Lint(w io.Writer, findings []*rules.Finding, s Style) error {
	var b bytes.Buffer
	for _, f := range findings {
		b.WriteString(s.FindingLine(f))
		b.WriteByte('\n')
	}
	_, err := w.Write(b.Bytes())
	return err
}

// Summary counts findings by severity: "3 findings (1 error, 2 warnings)".
func Summary(findings []*rules.Finding) string {
	if len(findings) == 0 {
		return "no findings"
	}
	c := map[rules.Severity]int{}
	for _, f := range findings {
		c[f.Severity]++
	}
	var parts []string
	for _, sev := range []rules.Severity{rules.Error, rules.Warning, rules.Info} {
		if n := c[sev]; n > 0 {
			parts = append(parts, Plural(n, sev.String()))
		}
	}
	return Plural(len(findings), "finding") + " (" + strings.Join(parts, ", ") + ")"
}

// Plural counts things: "1 finding", "3 findings", "2 entries".
func Plural(n int, word string) string { return model.Plural(n, word) }

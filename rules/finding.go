// Package rules owns what cleave judges by: the catalog of finding rules,
// the .cleave.yaml configuration and the findings themselves.
package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// Severity ranks a finding. The zero value is invalid.
type Severity int

// Severities, from least to most severe.
const (
	Info Severity = iota + 1
	Warning
	Error
)

var severityNames = map[Severity]string{Info: "info", Warning: "warning", Error: "error"}

func (s Severity) String() string {
	if n, ok := severityNames[s]; ok {
		return n
	}
	return fmt.Sprintf("Severity(%d)", int(s))
}

// ParseSeverity reads "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	for sev, name := range severityNames {
		if name == s {
			return sev, nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Location is a place in the analysed repository; File is relative to its root, with '/'.
type Location struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message,omitempty"`
}

func (l Location) String() string { return fmt.Sprintf("%s:%d:%d", l.File, l.Line, l.Column) }

// Finding is one problem a detector reports. Lists are never nil so that JSON shows [].
type Finding struct {
	Rule        string   `json:"rule"`
	Severity    Severity `json:"severity"`
	Message     string   `json:"message"`
	File        string   `json:"file"`
	Line        int      `json:"line"`
	Column      int      `json:"column"`
	Modules     []string `json:"modules"`
	Deployables []string `json:"deployables"`
	Tables      []string `json:"tables"`
	// Related lists the other places that make up the finding (the imports that close a cycle, …).
	Related []Location `json:"related"`
	// Fingerprint identifies the finding across edits: it is built from the rule and
	// line-free facts (files, packages, modules), never from line numbers.
	Fingerprint string `json:"fingerprint"`
	// Baselined is set by lint for a finding that the baseline accepts.
	Baselined bool `json:"baselined"`
}

// Fingerprint hashes the rule and the given line-free keys into a short stable id.
func Fingerprint(rule string, keys ...string) string {
	h := sha256.New()
	h.Write([]byte(rule))
	for _, k := range keys {
		h.Write([]byte{0})
		h.Write([]byte(k))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Normalize replaces nil lists with empty ones, so JSON output is uniform.
func (f *Finding) Normalize() {
	if f.Modules == nil {
		f.Modules = []string{}
	}
	if f.Deployables == nil {
		f.Deployables = []string{}
	}
	if f.Tables == nil {
		f.Tables = []string{}
	}
	if f.Related == nil {
		f.Related = []Location{}
	}
}

// Less orders findings by file, position, rule and message: the order of every output.
func Less(a, b *Finding) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	if a.Column != b.Column {
		return a.Column < b.Column
	}
	if a.Rule != b.Rule {
		return a.Rule < b.Rule
	}
	if a.Message != b.Message {
		return a.Message < b.Message
	}
	return a.Fingerprint < b.Fingerprint
}

// Text renders a finding as one go vet style line: path:line:col: severity: message (rule).
func (f *Finding) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d:%d: %s: %s (%s)", f.File, f.Line, f.Column, f.Severity, f.Message, f.Rule)
	return b.String()
}

// Package detect turns facts into findings, one detector per finding rule, in the manner of
// go/analysis: each detector is a small value with the rule it reports, and never prints. The
// configuration grades what the detectors return (off, severity, baseline) and changes nothing
// else.
package detect

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cleave-dev/cleave/analyze/facts"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/rules"
)

// A Detector reports one finding rule from the facts, at the rule's default severity unless it
// grades its findings itself (db/shared-table).
type Detector struct {
	Rule string
	Run  func(in *Input) []*rules.Finding
}

// Detectors is every detector cleave runs, one per rule.
var Detectors = []Detector{
	PrivateImport, ForbiddenDependency, ModuleCycle, Layer, Unowned, StaleDependency,
	SharedTable, ForeignTable, SharedDSN,
	SyncChain, CallCycle,
}

// Input is what detectors read: the facts, and what the messages and options need.
type Input struct {
	Facts  *facts.Facts
	Result *model.Result
	// Config holds the rules' options and the declared table owners; nil when there is none.
	Config *rules.Config
	// PublicDirs lists the public packages of a module, for messages.
	PublicDirs func(module string) []string
}

// Run runs every detector the configuration leaves on and grades what they return.
func Run(in *Input) []*rules.Finding {
	cfg := in.Config
	out := []*rules.Finding{}
	for _, d := range Detectors {
		sev, on := cfg.Severity(d.Rule)
		if !on {
			continue
		}
		explicit := cfg != nil && cfg.Rules[d.Rule].Severity != 0
		for _, f := range d.Run(in) {
			if explicit || f.Severity == 0 {
				f.Severity = sev // a detector may grade its findings (db/shared-table); the config has the last word
			}
			f.Normalize()
			out = append(out, f)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return rules.Less(out[i], out[j]) })
	return out
}

func finding(rule string) *rules.Finding {
	r, _ := rules.Lookup(rule)
	return &rules.Finding{Rule: rule, Severity: r.Severity}
}

func listShort(items []string, most int) string {
	if len(items) > most {
		return strings.Join(items[:most], ", ") + fmt.Sprintf(" and %d more", len(items)-most)
	}
	return strings.Join(items, ", ")
}

func andList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// OrNone returns s, or ["none"] for an empty list: a list in a message.
func OrNone(s []string) []string {
	if len(s) == 0 {
		return []string{"none"}
	}
	return s
}

// InferredNote ends the message of a finding that rests on boundaries cleave inferred.
const InferredNote = " (an inferred boundary: declare the modules in .cleave.yaml, 'cleave init' writes them, to make it an error)"

// inferred grades a boundary finding that rests on inferred modules: at most a warning, and
// the message says so.
func inferred(f *rules.Finding, in *Input) {
	if !in.Facts.Inferred {
		return
	}
	f.Severity = min(f.Severity, rules.Warning)
	f.Message += InferredNote
}

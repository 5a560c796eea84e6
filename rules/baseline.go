package rules

import (
	"bytes"
	"fmt"
	"sort"

	"github.com/cleave-dev/cleave/internal/safefs"
	"gopkg.in/yaml.v3"
)

// BaselineFile is the name of the baseline cleave looks for beside .cleave.yaml.
const BaselineFile = ".cleave-baseline.yaml"

// Baseline is the accepted debt: findings, by fingerprint, that lint does not fail on.
type Baseline struct {
	File    string
	Entries []BaselineEntry
}

// BaselineEntry is one accepted finding. Fingerprints carry no line numbers, so an entry
// survives edits that move the code.
type BaselineEntry struct {
	Fingerprint string `yaml:"fingerprint"`
	Rule        string `yaml:"rule"`
	File        string `yaml:"file"`
	Description string `yaml:"description"`
}

// Has reports whether a fingerprint is in the baseline.
func (b *Baseline) Has(fp string) bool {
	if b == nil {
		return false
	}
	for _, e := range b.Entries {
		if e.Fingerprint == fp {
			return true
		}
	}
	return false
}

// Apply grades findings against the baseline. It returns every finding (copies, with Baselined
// set for those the baseline accepts), the fresh ones the baseline does not accept, and the
// entries that match no finding any more. A nil baseline accepts nothing.
func (b *Baseline) Apply(findings []*Finding) (all, fresh []*Finding, stale []BaselineEntry) {
	accepted, current := map[string]bool{}, map[string]bool{}
	if b != nil {
		for _, e := range b.Entries {
			accepted[e.Fingerprint] = true
		}
	}
	all = make([]*Finding, 0, len(findings))
	for _, f := range findings {
		c := *f
		c.Baselined = accepted[f.Fingerprint]
		current[f.Fingerprint] = true
		all = append(all, &c)
		if !c.Baselined {
			fresh = append(fresh, &c)
		}
	}
	if b != nil {
		for _, e := range b.Entries {
			if !current[e.Fingerprint] {
				stale = append(stale, e)
			}
		}
	}
	return all, fresh, stale
}

// NewBaseline accepts every finding given, sorted by rule, file and fingerprint.
func NewBaseline(findings []*Finding) *Baseline {
	b := &Baseline{}
	seen := map[string]bool{}
	for _, f := range findings {
		if seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		b.Entries = append(b.Entries, BaselineEntry{Fingerprint: f.Fingerprint, Rule: f.Rule, File: f.File, Description: f.Message})
	}
	sort.Slice(b.Entries, func(i, j int) bool {
		x, y := b.Entries[i], b.Entries[j]
		if x.Rule != y.Rule {
			return x.Rule < y.Rule
		}
		if x.File != y.File {
			return x.File < y.File
		}
		return x.Fingerprint < y.Fingerprint
	})
	return b
}

// YAML renders the baseline.
func (b *Baseline) YAML() []byte {
	var buf bytes.Buffer
	buf.WriteString("# cleave baseline: findings accepted as existing debt. `cleave lint` fails only on findings\n")
	buf.WriteString("# that are not listed here, and reports entries that no longer match as stale.\n")
	buf.WriteString("# Written by `cleave lint --update-baseline`; entries are keyed by fingerprint, without line numbers.\n")
	buf.WriteString("version: 1\n")
	if len(b.Entries) == 0 {
		buf.WriteString("findings: []\n")
		return buf.Bytes()
	}
	buf.WriteString("findings:\n")
	for _, e := range b.Entries {
		fmt.Fprintf(&buf, "  - fingerprint: %s\n    rule: %s\n    file: %s\n    description: %s\n",
			yamlString(e.Fingerprint), yamlString(e.Rule), yamlString(e.File), yamlQuoted(e.Description))
	}
	return buf.Bytes()
}

func yamlQuoted(s string) string {
	out, _ := yaml.Marshal(s)
	return string(bytes.TrimRight(out, "\n"))
}

// LoadBaseline reads a baseline file strictly: unknown keys and missing fields are errors
// with their position.
func LoadBaseline(file string) (*Baseline, error) {
	data, err := safefs.ReadFile(file, safefs.Baseline)
	if err != nil {
		return nil, err
	}
	return ParseBaseline(file, data)
}

// ParseBaseline parses a baseline.
func ParseBaseline(file string, data []byte) (*Baseline, error) {
	p := &parser{file: file}
	root, err := p.document(data)
	if err != nil {
		return nil, err
	}
	b := &Baseline{File: file}
	p.mapping(root, "the baseline", func(key, val *yaml.Node) {
		switch key.Value {
		case "version":
			if v, ok := p.integer(val); ok && v != 1 {
				p.errorf(val, "unsupported baseline version %d; this cleave reads version 1", v)
			}
		case "findings":
			if val.Kind != yaml.SequenceNode {
				p.errorf(val, "findings: expected a list, found %s", kindName(val))
				return
			}
			for _, item := range val.Content {
				var e BaselineEntry
				p.mapping(item, "a baseline entry", func(k, v *yaml.Node) {
					s, ok := p.scalar(v, "a string")
					if !ok {
						return
					}
					switch k.Value {
					case "fingerprint":
						e.Fingerprint = s
					case "rule":
						if _, known := Lookup(s); !known {
							p.errorf(v, "unknown rule %q%s", s, didYouMean(s, RuleIDs()))
						}
						e.Rule = s
					case "file":
						e.File = s
					case "description":
						e.Description = s
					default:
						p.errorf(k, "unknown key %q (want fingerprint, rule, file or description)", k.Value)
					}
				})
				if item.Kind == yaml.MappingNode && e.Fingerprint == "" {
					p.errorf(item, "a baseline entry needs a fingerprint")
				}
				b.Entries = append(b.Entries, e)
			}
		default:
			p.errorf(key, "unknown key %q (want version or findings)", key.Value)
		}
	})
	if !p.has(root, "version") {
		p.errorf(root, "missing `version: 1`")
	}
	if len(p.errs) > 0 {
		return nil, p.errs
	}
	return b, nil
}

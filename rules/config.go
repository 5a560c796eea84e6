package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/cleave-dev/cleave/internal/safefs"
	"gopkg.in/yaml.v3"
)

// ConfigFile is the name of the configuration file cleave looks for in the analysed directory.
const ConfigFile = ".cleave.yaml"

// Default composition roots: directories at a Go module's root whose main packages wire modules together.
var DefaultCompositionRoots = []string{"cmd", "functions", "lambda"}

// Config is a parsed and validated .cleave.yaml (version 1).
type Config struct {
	File    string
	Version int
	// Modules, sorted by name. Empty when the file declares none: modules are then inferred.
	Modules []*ModuleConfig
	// Tables maps a table to its owner module.
	Tables map[string]string
	// CompositionRoots are directory patterns; nil means DefaultCompositionRoots.
	// A pattern without '/' is matched at the root of every Go module.
	CompositionRoots []string
	Exclude          []Glob
	Rules            map[string]RuleSetting
	// Layers are the declared layers, top first: a module may import the modules of its own
	// layer and of the layers below, never those above; a closed layer may not be skipped.
	Layers []*LayerConfig
	// RequireOwnership makes code outside every declared module a finding.
	RequireOwnership bool
}

// LayerConfig is one entry of `layers:`.
type LayerConfig struct {
	Name    string
	Modules []string
	// Closed: the layers above may reach the layers below it only through it.
	Closed bool
	Pos    Pos
	// modulePos are the positions of the module names, for errors.
	modulePos []Pos
}

// ModuleConfig is one entry of `modules:`.
type ModuleConfig struct {
	Name      string
	Paths     []Glob
	Public    []Glob   // nil: the default public API (root package and api-like sub-packages)
	DependsOn []string // nil: any module; empty: none
	Open      *bool    // nil: inferred (no Go files in the module's root directory)
	Pos       Pos
	// DependsOnPos are the positions of the dependsOn entries, in order.
	DependsOnPos []Pos
}

// RuleSetting is one entry of `rules:`.
type RuleSetting struct {
	Off      bool
	Severity Severity // zero: the rule's default
	Options  map[string]int
}

// Pos is a position in a configuration file.
type Pos struct {
	File      string
	Line, Col int
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col) }

// PosError is an error at a position of an input file: it prints as file:line:col: message.
type PosError struct {
	Pos
	Msg string
}

func (e *PosError) Error() string { return e.Pos.String() + ": " + e.Msg }

// ErrorList is every error found in one input file, sorted by position.
type ErrorList []*PosError

func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Severity returns the effective severity of a rule and whether it is enabled.
func (c *Config) Severity(rule string) (Severity, bool) {
	r, ok := Lookup(rule)
	if !ok {
		return 0, false
	}
	if c == nil {
		return r.Severity, true
	}
	s, ok := c.Rules[rule]
	if !ok {
		return r.Severity, true
	}
	if s.Off {
		return 0, false
	}
	if s.Severity != 0 {
		return s.Severity, true
	}
	return r.Severity, true
}

// Option returns an integer option of a rule, or the rule's default.
func (c *Config) Option(rule, name string) int {
	if c != nil {
		if v, ok := c.Rules[rule].Options[name]; ok {
			return v
		}
	}
	if r, ok := Lookup(rule); ok {
		return r.Options[name]
	}
	return 0
}

// Module returns the configured module with the given name, or nil.
func (c *Config) Module(name string) *ModuleConfig {
	if c == nil {
		return nil
	}
	for _, m := range c.Modules {
		if m.Name == name {
			return m
		}
	}
	return nil
}

// LoadConfig reads and validates a configuration file.
func LoadConfig(file string) (*Config, error) {
	data, err := safefs.ReadFile(file, safefs.Config)
	if err != nil {
		return nil, err
	}
	return ParseConfig(file, data)
}

var moduleName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// ParseConfig parses and validates a .cleave.yaml. Every problem is reported with its
// file:line:col; the returned error is then an ErrorList.
func ParseConfig(file string, data []byte) (*Config, error) {
	p := &parser{file: file}
	root, err := p.document(data)
	if err != nil {
		return nil, err
	}
	cfg := &Config{File: file, Tables: map[string]string{}, Rules: map[string]RuleSetting{}}
	var tablesNode *yaml.Node
	p.mapping(root, "the configuration", func(key, val *yaml.Node) {
		switch key.Value {
		case "version":
			v, ok := p.integer(val)
			if ok && v != 1 {
				p.errorf(val, "unsupported version %d; this cleave reads version 1", v)
			}
			cfg.Version = v
		case "modules":
			p.mapping(val, "modules", func(k, v *yaml.Node) {
				if m := p.module(k, v); m != nil {
					cfg.Modules = append(cfg.Modules, m)
				}
			})
		case "tables":
			tablesNode = val
		case "compositionRoots":
			for _, g := range p.globs(val) {
				cfg.CompositionRoots = append(cfg.CompositionRoots, g.String())
			}
			if cfg.CompositionRoots == nil {
				cfg.CompositionRoots = []string{}
			}
		case "exclude":
			cfg.Exclude = p.globs(val)
		case "rules":
			p.mapping(val, "rules", func(k, v *yaml.Node) {
				p.rule(cfg, k, v)
			})
		case "layers":
			cfg.Layers = p.layers(val)
		case "requireOwnership":
			cfg.RequireOwnership, _ = p.boolean(val)
		default:
			p.errorf(key, "unknown key %q (want version, modules, tables, compositionRoots, exclude, layers, requireOwnership or rules)", key.Value)
		}
	})
	if cfg.Version == 0 && !p.has(root, "version") {
		p.errorf(root, "missing `version: 1`")
	}
	sort.Slice(cfg.Modules, func(i, j int) bool { return cfg.Modules[i].Name < cfg.Modules[j].Name })
	p.checkModules(cfg)
	p.checkLayers(cfg)
	if tablesNode != nil {
		p.mapping(tablesNode, "tables", func(k, v *yaml.Node) {
			owner, ok := p.scalar(v, "a module name")
			if !ok {
				return
			}
			if cfg.Module(owner) == nil {
				p.errorf(v, "table %q: unknown module %q%s", k.Value, owner, p.known(cfg))
				return
			}
			cfg.Tables[k.Value] = owner
		})
	}
	if len(p.errs) > 0 {
		sort.SliceStable(p.errs, func(i, j int) bool {
			a, b := p.errs[i], p.errs[j]
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			return a.Col < b.Col
		})
		return nil, p.errs
	}
	return cfg, nil
}

type parser struct {
	file string
	errs ErrorList
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	p.errorAt(Pos{p.file, n.Line, n.Column}, format, args...)
}

func (p *parser) errorAt(pos Pos, format string, args ...any) {
	p.errs = append(p.errs, &PosError{pos, fmt.Sprintf(format, args...)})
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func (p *parser) document(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		return nil, ErrorList{yamlError(p.file, data, err)}
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == io.EOF:
	case err != nil:
		return nil, ErrorList{yamlError(p.file, data, err)}
	default:
		line := next.Line
		if len(next.Content) > 0 {
			line = next.Content[0].Line
		}
		return nil, ErrorList{{Pos{p.file, max(line-1, 1), 1}, "a second YAML document starts here; the file must hold one"}}
	}
	if len(doc.Content) == 0 {
		return nil, ErrorList{{Pos{p.file, 1, 1}, "empty file; expected a mapping starting with `version: 1`"}}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, ErrorList{{Pos{p.file, root.Line, root.Column}, "expected a mapping starting with `version: 1`"}}
	}
	return root, nil
}

// yamlParserError matches the errors of yaml.v3's parser (not its scanner), whose lines it
// reports 0-based.
var yamlParserError = regexp.MustCompile(`^did not find expected (node content|key|'-' indicator|',' or|<document start>)`)

// yamlError places a YAML syntax error. yaml.v3 reports a parser error one line early (an
// unclosed collection at the line before the one that opens it) and gives no column: the
// error goes on the right line, at the bracket of an unclosed flow collection.
func yamlError(file string, data []byte, err error) *PosError {
	line, msg := 1, strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	col := 1
	if yamlParserError.MatchString(msg) {
		lines := bytes.Split(data, []byte("\n"))
		if line < len(lines) {
			line++
		}
		text := lines[line-1]
		col = len(text) - len(bytes.TrimLeft(text, " \t")) + 1
		for _, closer := range []struct{ open, close string }{{"[", "']'"}, {"{", "'}'"}} {
			if strings.Contains(msg, closer.close) {
				if i := bytes.Index(text, []byte(closer.open)); i >= 0 {
					col = i + 1
					msg += "; the collection opened here is not closed"
				}
			}
		}
	}
	return &PosError{Pos{file, line, col}, "invalid YAML: " + msg}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if n.Tag == "!!null" {
		return "nothing"
	}
	return fmt.Sprintf("%q", n.Value)
}

// mapping calls fn for each key of a mapping node, rejecting duplicate and non-scalar keys.
func (p *parser) mapping(n *yaml.Node, what string, fn func(key, val *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s: expected a mapping, found %s", what, kindName(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			p.errorf(k, "%s: expected a name as key, found %s", what, kindName(k))
			continue
		}
		if seen[k.Value] {
			p.errorf(k, "%s: duplicate key %q", what, k.Value)
			continue
		}
		seen[k.Value] = true
		fn(k, v)
	}
}

func (p *parser) has(n *yaml.Node, key string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

func (p *parser) scalar(n *yaml.Node, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		p.errorf(n, "expected %s, found %s", want, kindName(n))
		return "", false
	}
	return n.Value, true
}

func (p *parser) integer(n *yaml.Node) (int, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		p.errorf(n, "expected a whole number, found %s", kindName(n))
		return 0, false
	}
	v, err := strconv.Atoi(n.Value)
	if err != nil {
		p.errorf(n, "expected a whole number, found %q", n.Value)
		return 0, false
	}
	return v, true
}

func (p *parser) boolean(n *yaml.Node) (bool, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		p.errorf(n, "expected true or false, found %s", kindName(n))
		return false, false
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		p.errorf(n, "expected true or false, found %q", n.Value)
		return false, false
	}
	return b, true
}

// strings reads a list of strings. It never returns nil for a list, so that [] stays distinct from absent.
func (p *parser) strings(n *yaml.Node) ([]string, []*yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "expected a list, found %s", kindName(n))
		return nil, nil
	}
	out, nodes := []string{}, []*yaml.Node{}
	for _, item := range n.Content {
		if s, ok := p.scalar(item, "a string"); ok {
			out = append(out, s)
			nodes = append(nodes, item)
		}
	}
	return out, nodes
}

func (p *parser) globs(n *yaml.Node) []Glob {
	ss, nodes := p.strings(n)
	if ss == nil {
		return nil
	}
	out := []Glob{}
	for i, s := range ss {
		g, err := ParseGlob(s)
		if err != nil {
			p.errorf(nodes[i], "%v", err)
			continue
		}
		out = append(out, g)
	}
	return out
}

func (p *parser) module(k, v *yaml.Node) *ModuleConfig {
	m := &ModuleConfig{Name: k.Value, Pos: Pos{p.file, k.Line, k.Column}}
	if !moduleName.MatchString(m.Name) {
		p.errorf(k, "module name %q: start with a letter or digit, then use letters, digits, '.', '_' and '-'", m.Name)
	}
	p.mapping(v, "module "+m.Name, func(key, val *yaml.Node) {
		switch key.Value {
		case "paths":
			m.Paths = p.globs(val)
			if m.Paths != nil && len(m.Paths) == 0 {
				p.errorf(val, "module %s: paths is empty; list at least one directory", m.Name)
			}
		case "public":
			m.Public = p.globs(val)
		case "dependsOn":
			deps, nodes := p.strings(val)
			m.DependsOn = deps
			for _, n := range nodes {
				m.DependsOnPos = append(m.DependsOnPos, Pos{p.file, n.Line, n.Column})
			}
		case "open":
			if b, ok := p.boolean(val); ok {
				m.Open = &b
			}
		default:
			p.errorf(key, "module %s: unknown key %q (want paths, public, dependsOn or open)", m.Name, key.Value)
		}
	})
	if v.Kind == yaml.MappingNode && !p.has(v, "paths") {
		p.errorf(k, "module %s: missing paths (the directories that make up the module)", m.Name)
	}
	return m
}

// layers reads `layers:`, a list of {name, modules, closed}, top layer first.
func (p *parser) layers(n *yaml.Node) []*LayerConfig {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "layers: expected a list of layers, top first, found %s", kindName(n))
		return nil
	}
	out := []*LayerConfig{}
	for _, item := range n.Content {
		l := &LayerConfig{Pos: Pos{p.file, item.Line, item.Column}}
		p.mapping(item, "a layer", func(key, val *yaml.Node) {
			switch key.Value {
			case "name":
				l.Name, _ = p.scalar(val, "a layer name")
			case "modules":
				var nodes []*yaml.Node
				l.Modules, nodes = p.strings(val)
				for _, m := range nodes {
					l.modulePos = append(l.modulePos, Pos{p.file, m.Line, m.Column})
				}
			case "closed":
				l.Closed, _ = p.boolean(val)
			default:
				p.errorf(key, "layer: unknown key %q (want name, modules or closed)", key.Value)
			}
		})
		if item.Kind == yaml.MappingNode && (l.Name == "" || len(l.Modules) == 0) {
			p.errorf(item, "layer: a name and at least one module are required")
		}
		out = append(out, l)
	}
	return out
}

// checkLayers: every layer names declared modules, each module is in one layer at most, and
// layer names are unique.
func (p *parser) checkLayers(cfg *Config) {
	layerOf := map[string]string{}
	names := map[string]bool{}
	for _, l := range cfg.Layers {
		if l.Name != "" && names[l.Name] {
			p.errorAt(l.Pos, "layer %q is declared twice", l.Name)
		}
		names[l.Name] = true
		for i, m := range l.Modules {
			pos := l.Pos
			if i < len(l.modulePos) {
				pos = l.modulePos[i]
			}
			switch {
			case cfg.Module(m) == nil:
				p.errorAt(pos, "layer %s: unknown module %q%s", l.Name, m, p.known(cfg))
			case layerOf[m] != "":
				p.errorAt(pos, "layer %s: module %s is already in layer %s", l.Name, m, layerOf[m])
			default:
				layerOf[m] = l.Name
			}
		}
	}
}

func (p *parser) known(cfg *Config) string {
	names := make([]string, len(cfg.Modules))
	for i, m := range cfg.Modules {
		names[i] = m.Name
	}
	if len(names) == 0 {
		return " (no modules are declared)"
	}
	return " (modules: " + strings.Join(names, ", ") + ")"
}

// checkModules validates what needs every module: dependsOn names, overlapping paths,
// public paths inside the module.
func (p *parser) checkModules(cfg *Config) {
	for _, m := range cfg.Modules {
		for i, d := range m.DependsOn {
			if cfg.Module(d) == nil {
				p.errorAt(m.DependsOnPos[i], "module %s: dependsOn names unknown module %q%s", m.Name, d, p.known(cfg))
			} else if d == m.Name {
				p.errorAt(m.DependsOnPos[i], "module %s: a module cannot depend on itself", m.Name)
			}
		}
		for _, pub := range m.Public {
			inside := false
			for _, path := range m.Paths {
				if !pub.Literal() || !path.Literal() || path.Contains(pub.String()) {
					inside = true
					break
				}
			}
			if !inside {
				p.errorAt(m.Pos, "module %s: public path %q is outside the module's paths", m.Name, pub)
			}
		}
	}
	// Literal paths must not overlap; overlaps of globs are caught when packages are assigned.
	for i, a := range cfg.Modules {
		for _, b := range cfg.Modules[i+1:] {
			for _, pa := range a.Paths {
				for _, pb := range b.Paths {
					if pa.Literal() && pb.Literal() && literalOverlap(pa, pb) {
						pos := a.Pos
						if b.Pos.Line > pos.Line {
							pos = b.Pos
						}
						p.errorAt(pos, "modules %s and %s overlap: %q and %q claim the same directories", a.Name, b.Name, pa, pb)
					}
				}
			}
		}
	}
}

func (p *parser) rule(cfg *Config, k, v *yaml.Node) {
	r, ok := Lookup(k.Value)
	if !ok {
		p.errorf(k, "%s", UnknownRule(k.Value))
		return
	}
	var s RuleSetting
	switch {
	case v.Kind == yaml.ScalarNode && (v.Value == "off" || v.Value == "false"):
		s.Off = true
	case v.Kind == yaml.ScalarNode && (v.Value == "on" || v.Value == "true"):
	case v.Kind == yaml.ScalarNode:
		sev, err := ParseSeverity(v.Value)
		if err != nil {
			p.errorf(v, "rule %s: expected off, on, a severity or a mapping, found %q", r.ID, v.Value)
			return
		}
		s.Severity = sev
	default:
		p.mapping(v, "rule "+r.ID, func(key, val *yaml.Node) {
			if key.Value == "severity" {
				str, ok := p.scalar(val, "error, warning, info or off")
				if !ok {
					return
				}
				if str == "off" {
					s.Off = true
					return
				}
				sev, err := ParseSeverity(str)
				if err != nil {
					p.errorf(val, "rule %s: %v", r.ID, err)
					return
				}
				s.Severity = sev
				return
			}
			if _, ok := r.Options[key.Value]; !ok {
				p.errorf(key, "rule %s: unknown option %q%s", r.ID, key.Value, optionNames(r))
				return
			}
			n, ok := p.integer(val)
			if !ok {
				return
			}
			if n < 1 {
				p.errorf(val, "rule %s: %s must be at least 1", r.ID, key.Value)
				return
			}
			if s.Options == nil {
				s.Options = map[string]int{}
			}
			s.Options[key.Value] = n
		})
	}
	cfg.Rules[r.ID] = s
}

func optionNames(r *Rule) string {
	names := []string{"severity"}
	for n := range r.Options {
		names = append(names, n)
	}
	sort.Strings(names[1:])
	return " (want " + strings.Join(names, ", ") + ")"
}

// IsNotExist reports whether err says a config file does not exist.
func IsNotExist(err error) bool { return errors.Is(err, os.ErrNotExist) }

// Under is the configuration as it applies to rel, a subdirectory of the directory the file
// describes (a .cleave.yaml at the repository root, with cleave run on services/orders): every
// path is rebased onto rel, and the paths outside it are dropped. Modules keep their names, so
// dependsOn, layers and table owners still refer to them; a module with no path left in rel
// claims nothing there, and what it may depend on, or what depends on it, is not judged from
// rel.
func (c *Config) Under(rel string) *Config {
	if c == nil || rel == "" || rel == "." {
		return c
	}
	out := *c
	out.Exclude = globsUnder(c.Exclude, rel)
	out.Modules = make([]*ModuleConfig, len(c.Modules))
	present := map[string]bool{}
	for i, m := range c.Modules {
		mc := *m
		mc.Paths = globsUnder(m.Paths, rel)
		mc.Public = globsUnder(m.Public, rel)
		out.Modules[i] = &mc
		present[m.Name] = len(mc.Paths) > 0
	}
	// What a module may import is judged by its code and the code it imports: a module with
	// no code in rel has nothing to judge, and a dependency on one is invisible from rel (a
	// stale dependsOn there would be an invented finding).
	for _, mc := range out.Modules {
		if !present[mc.Name] {
			mc.DependsOn, mc.DependsOnPos = nil, nil
			continue
		}
		if mc.DependsOn == nil {
			continue
		}
		deps, pos := []string{}, []Pos{}
		for i, d := range mc.DependsOn {
			if present[d] {
				deps = append(deps, d)
				if i < len(mc.DependsOnPos) {
					pos = append(pos, mc.DependsOnPos[i])
				}
			}
		}
		mc.DependsOn, mc.DependsOnPos = deps, pos
	}
	if c.CompositionRoots != nil {
		out.CompositionRoots = []string{}
		for _, r := range c.CompositionRoots {
			if !strings.Contains(r, "/") { // matched at every Go module's root: the same inside rel
				out.CompositionRoots = append(out.CompositionRoots, r)
				continue
			}
			if g, err := ParseGlob(r); err == nil {
				if u, ok := g.Under(rel); ok {
					out.CompositionRoots = append(out.CompositionRoots, u.String())
				}
			}
		}
	}
	return &out
}

package reports

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/rules"
)

// maxNodes caps a diagram: past it, the busiest nodes are kept and a note says so.
const maxNodes = 40

var unsafeID = regexp.MustCompile(`[^A-Za-z0-9_]`)

func nodeID(prefix, name string) string { return prefix + "_" + unsafeID.ReplaceAllString(name, "_") }

func label(s string) string { return `"` + strings.ReplaceAll(s, `"`, "#quot;") + `"` }

// Mermaid's own limits are 500 edges and 50,000 characters of text by default; a diagram
// past a fraction of them is also past what a reader can follow.
// Past legibleEdges a flowchart is a hairball: then only the edges with a finding are drawn
// (or, with none, the heaviest), with the nodes they join.
const (
	maxEdges     = 200
	maxChars     = 30000
	legibleEdges = 60
)

// mermaidBlock collects a flowchart: its head (the direction and the classes), its nodes, and
// its edges with the ones to highlight and a weight that says which to keep when there are too
// many.
type mermaidBlock struct {
	b       strings.Builder // the head and the nodes
	lines   []edgeLine
	classes map[string][]string
	// omitted counts the edges left out to stay legible, and onlyMarked says that only the
	// highlighted ones are drawn; String fills them.
	omitted    int
	onlyMarked bool
}

// nodeLine matches a node's line in a flowchart, for its id.
var nodeLine = regexp.MustCompile(`^  ([A-Za-z0-9_]+)[\[\(\{>]`)

type edgeLine struct {
	line   string
	mark   bool
	weight int
}

func (m *mermaidBlock) edge(line string, mark bool) { m.weighted(line, mark, 0) }

func (m *mermaidBlock) weighted(line string, mark bool, weight int) {
	m.lines = append(m.lines, edgeLine{line, mark, weight})
}

// kept chooses the edges to draw: every one when they are few, else the highlighted ones first
// (they are why the diagram is read), then the heaviest, in their original order.
func (m *mermaidBlock) kept(limit int) []edgeLine {
	if len(m.lines) > legibleEdges {
		var marked []edgeLine
		for _, e := range m.lines {
			if e.mark {
				marked = append(marked, e)
			}
		}
		if len(marked) > 0 && len(marked) <= limit {
			return marked
		}
		limit = min(limit, legibleEdges)
	}
	if len(m.lines) <= limit {
		return m.lines
	}
	idx := make([]int, len(m.lines))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ea, eb := m.lines[idx[a]], m.lines[idx[b]]
		if ea.mark != eb.mark {
			return ea.mark
		}
		return ea.weight > eb.weight
	})
	keep := idx[:limit]
	sort.Ints(keep)
	out := make([]edgeLine, 0, limit)
	for _, i := range keep {
		out = append(out, m.lines[i])
	}
	return out
}

// String renders the block within the limits, halving the edges drawn until it fits.
func (m *mermaidBlock) String() string {
	limit := maxEdges
	for {
		edges := m.kept(limit)
		reduced := len(edges) < len(m.lines)
		used := map[string]bool{}
		for _, e := range edges {
			f := strings.Fields(e.line)
			used[f[0]], used[f[len(f)-1]] = true, true
		}
		var b strings.Builder
		for _, line := range strings.SplitAfter(m.b.String(), "\n") {
			if id := nodeLine.FindStringSubmatch(line); reduced && id != nil && !used[id[1]] {
				continue // a node none of the drawn edges joins
			}
			b.WriteString(line)
		}
		for _, e := range edges {
			b.WriteString("  " + e.line + "\n")
		}
		for i, e := range edges {
			if e.mark {
				fmt.Fprintf(&b, "  linkStyle %d stroke:#d33,stroke-width:2px\n", i)
			}
		}
		var names []string
		for c := range m.classes {
			names = append(names, c)
		}
		sort.Strings(names)
		for _, c := range names {
			var ids []string
			for _, id := range m.classes[c] {
				if !reduced || used[id] {
					ids = append(ids, id)
				}
			}
			if len(ids) > 0 {
				fmt.Fprintf(&b, "  class %s %s\n", strings.Join(ids, ","), c)
			}
		}
		if b.Len() <= maxChars || limit <= 10 {
			m.omitted = len(m.lines) - len(edges)
			m.onlyMarked = reduced && len(edges) > 0 && !slices.ContainsFunc(edges, func(e edgeLine) bool { return !e.mark })
			return "```mermaid\n" + b.String() + "```\n"
		}
		limit /= 2
	}
}

// render returns the diagram and the note on what it leaves out, or no diagram at all when it
// would have no edge (then the note says so): an empty picture under a caption about arrows
// helps nobody.
func (m *mermaidBlock) render(what string, droppedNodes int, nodes, none string) (string, string) {
	if len(m.lines) == 0 {
		return "", none
	}
	g := m.String()
	var notes []string
	if droppedNodes > 0 {
		left := fmt.Sprintf("%d more are", droppedNodes)
		if droppedNodes == 1 {
			left = "1 more is"
		}
		notes = append(notes, fmt.Sprintf("The %d busiest %s are drawn; %s left out.", maxNodes, nodes, left))
	}
	if m.omitted > 0 {
		drawn := len(m.lines) - m.omitted
		if m.onlyMarked {
			red := fmt.Sprintf("the %d red ones, which carry a finding, are", drawn)
			if drawn == 1 {
				red = "the red one, which carries a finding, is"
			}
			notes = append(notes, fmt.Sprintf("Of the %d %s, only %s drawn, with the nodes they join; the tables below list them all.", len(m.lines), what, red))
		} else {
			notes = append(notes, fmt.Sprintf("%d of the %d %s are drawn, the highlighted and the heaviest first; the tables below list them all.", drawn, len(m.lines), what))
		}
	}
	return g, strings.Join(notes, " ")
}

// Class definitions set the fill and the text colour together, so that a node reads the same
// on a light and a dark theme.
const (
	classOpen     = "  classDef open fill:#eef2ff,stroke:#6674a8,stroke-dasharray:4 3,color:#111\n"
	classExternal = "  classDef external fill:#f1f1f1,stroke:#888,stroke-dasharray:4 3,color:#111\n"
	classShared   = "  classDef shared fill:#fdd,stroke:#d33,color:#111\n"
)

// busiest keeps the n names with the most edges, and reports how many it dropped.
func busiest(degree map[string]int, n int) (map[string]bool, int) {
	names := make([]string, 0, len(degree))
	for k := range degree {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		if degree[names[i]] != degree[names[j]] {
			return degree[names[i]] > degree[names[j]]
		}
		return names[i] < names[j]
	})
	keep := map[string]bool{}
	for i, name := range names {
		if i < n {
			keep[name] = true
		}
	}
	return keep, max(0, len(names)-n)
}

// ModuleGraph draws the module dependencies; edges with a boundary finding on them are red.
func ModuleGraph(res *model.Result) (string, string) {
	bad := map[[2]string]bool{}
	for _, f := range res.Findings {
		switch f.Rule {
		case rules.PrivateImport, rules.ForbiddenDependency:
			if len(f.Modules) == 2 {
				bad[[2]string{f.Modules[0], f.Modules[1]}] = true
			}
		case rules.ModuleCycle:
			for i := range f.Modules {
				bad[[2]string{f.Modules[i], f.Modules[(i+1)%len(f.Modules)]}] = true
			}
		}
	}
	degree := map[string]int{}
	for _, m := range res.Modules {
		degree[m.Name] = m.FanIn + m.FanOut
	}
	keep, dropped := busiest(degree, maxNodes)
	mb := &mermaidBlock{classes: map[string][]string{}}
	mb.b.WriteString("flowchart LR\n" + classOpen)
	for _, m := range res.Modules {
		if !keep[m.Name] {
			continue
		}
		mb.b.WriteString(fmt.Sprintf("  %s[%s]\n", nodeID("m", m.Name), label(m.Name)))
		if m.Open {
			mb.classes["open"] = append(mb.classes["open"], nodeID("m", m.Name))
		}
	}
	for _, d := range res.Dependencies {
		if keep[d.From] && keep[d.To] {
			mb.weighted(fmt.Sprintf("%s -->|%d| %s", nodeID("m", d.From), len(d.Imports), nodeID("m", d.To)), bad[[2]string{d.From, d.To}], len(d.Imports))
		}
	}
	return mb.render("imports between modules", dropped, "modules", "No module imports another.")
}

// ServiceGraph draws the deployables and their calls: solid arrows are synchronous, dotted
// ones asynchronous; the calls of a synchronous chain or cycle are red.
func ServiceGraph(res *model.Result) (string, string) {
	marked := map[[2]string]bool{}
	for _, f := range res.Findings {
		if f.Rule == rules.SyncChain || f.Rule == rules.CallCycle {
			for i := 0; i+1 < len(f.Deployables); i++ {
				marked[[2]string{f.Deployables[i], f.Deployables[i+1]}] = true
			}
			if f.Rule == rules.CallCycle && len(f.Deployables) > 1 {
				marked[[2]string{f.Deployables[len(f.Deployables)-1], f.Deployables[0]}] = true
			}
		}
	}
	degree := map[string]int{}
	for _, d := range res.Deployables {
		if d.Kind != model.KindTool {
			degree[d.Name] += 0
		}
	}
	for _, c := range res.Calls {
		degree[c.From]++
		degree[c.To]++
	}
	keep, dropped := busiest(degree, maxNodes)
	mb := &mermaidBlock{classes: map[string][]string{}}
	mb.b.WriteString("flowchart LR\n")
	if len(res.ExternalServices) > 0 {
		mb.b.WriteString(classExternal)
	}
	for _, d := range res.Deployables {
		if !keep[d.Name] {
			continue
		}
		id, l := nodeID("d", d.Name), label(d.Name+" ("+d.Kind+")")
		switch d.Kind {
		case model.KindWorker:
			mb.b.WriteString(fmt.Sprintf("  %s([%s])\n", id, l))
		case model.KindFunction:
			mb.b.WriteString(fmt.Sprintf("  %s{{%s}}\n", id, l))
		case model.KindCLI:
			mb.b.WriteString(fmt.Sprintf("  %s>%s]\n", id, l))
		default:
			mb.b.WriteString(fmt.Sprintf("  %s[%s]\n", id, l))
		}
	}
	for _, x := range res.ExternalServices { // deployed here, not built from Go: dashed
		if keep[x.Name] && degree[x.Name] > 0 {
			mb.b.WriteString(fmt.Sprintf("  %s[%s]\n", nodeID("d", x.Name), label(x.Name+" (not Go)")))
			mb.classes["external"] = append(mb.classes["external"], nodeID("d", x.Name))
		}
	}
	seen := map[string]bool{}
	for _, c := range res.Calls {
		k := c.From + ">" + c.To + ">" + c.Protocol
		if seen[k] || !keep[c.From] || !keep[c.To] {
			continue
		}
		seen[k] = true
		arrow := "-->"
		if !c.Sync {
			arrow = "-.->"
		}
		mb.edge(fmt.Sprintf("%s %s|%s| %s", nodeID("d", c.From), arrow, c.Protocol, nodeID("d", c.To)), marked[[2]string{c.From, c.To}])
	}
	return mb.render("calls", dropped, "deployables", "No deployable calls another.")
}

// TableGraph draws which module reads and writes which table; tables used by several modules
// are red.
func TableGraph(res *model.Result) (string, string) {
	degree := map[string]int{}
	for _, t := range res.Tables {
		degree[t.Name] = len(t.Accesses)
	}
	keep, dropped := busiest(degree, maxNodes)
	mb := &mermaidBlock{classes: map[string][]string{}}
	mb.b.WriteString("flowchart LR\n" + classShared)
	mods := map[string]bool{}
	for _, t := range res.Tables {
		if !keep[t.Name] {
			continue
		}
		ops := tableOps(t)
		tid := nodeID("t", t.Store+"_"+t.Name)
		mb.b.WriteString(fmt.Sprintf("  %s[(%s)]\n", tid, label(t.Name)))
		if len(ops) > 1 {
			mb.classes["shared"] = append(mb.classes["shared"], tid)
		}
		var ms []string
		for m := range ops {
			ms = append(ms, m)
		}
		sort.Strings(ms)
		for _, m := range ms {
			if !mods[m] {
				mods[m] = true
				mb.b.WriteString(fmt.Sprintf("  %s[%s]\n", nodeID("m", m), label(m)))
			}
			mb.edge(fmt.Sprintf("%s -->|%s| %s", nodeID("m", m), ops[m], tid), len(ops) > 1)
		}
	}
	return mb.render("accesses", dropped, "tables", "No module reads or writes a table.")
}

// SystemGraph draws a system of repositories: each repository a group of its deployables, the
// services it deploys without Go code outside them, the calls between them, and the tables
// that repositories share. What crosses a repository is red.
func SystemGraph(res *model.Result) (string, string) {
	repoOf := map[string]string{}
	for _, d := range res.Deployables {
		repoOf[d.Name] = d.Repository
	}
	for _, x := range res.ExternalServices {
		repoOf[x.Name] = x.Repository
	}
	used := map[string]bool{}
	for _, c := range res.Calls {
		used[c.From], used[c.To] = true, true
	}
	mb := &mermaidBlock{classes: map[string][]string{}}
	mb.b.WriteString("flowchart LR\n")
	if len(res.ExternalServices) > 0 {
		mb.b.WriteString(classExternal)
	}
	mb.b.WriteString(classShared)
	for _, r := range res.Repositories {
		var nodes []string
		for _, d := range res.Deployables {
			if d.Repository == r.Name && d.Kind != model.KindTool {
				nodes = append(nodes, fmt.Sprintf("    %s[%s]\n", nodeID("d", d.Name), label(d.Name+" ("+d.Kind+")")))
			}
		}
		for _, x := range res.ExternalServices {
			if x.Repository == r.Name && used[x.Name] {
				nodes = append(nodes, fmt.Sprintf("    %s[%s]\n", nodeID("d", x.Name), label(x.Name+" (not Go)")))
				mb.classes["external"] = append(mb.classes["external"], nodeID("d", x.Name))
			}
		}
		if len(nodes) == 0 {
			continue
		}
		mb.b.WriteString(fmt.Sprintf("  subgraph %s[%s]\n", nodeID("r", r.Name), label(r.Name)))
		for _, n := range nodes {
			mb.b.WriteString(n)
		}
		mb.b.WriteString("  end\n")
	}
	for _, x := range res.ExternalServices {
		if used[x.Name] && x.Repository == "" {
			mb.b.WriteString(fmt.Sprintf("  %s[%s]\n", nodeID("d", x.Name), label(x.Name+" (not Go)")))
			mb.classes["external"] = append(mb.classes["external"], nodeID("d", x.Name))
		}
	}
	seen := map[string]bool{}
	for _, c := range res.Calls {
		k := c.From + ">" + c.To + ">" + c.Protocol
		if seen[k] {
			continue
		}
		seen[k] = true
		arrow := "-->"
		if !c.Sync {
			arrow = "-.->"
		}
		cross := repoOf[c.From] != repoOf[c.To]
		mb.weighted(fmt.Sprintf("%s %s|%s| %s", nodeID("d", c.From), arrow, c.Protocol, nodeID("d", c.To)), cross, 1)
	}
	for _, cp := range res.Couplings {
		if cp.Kind != model.CouplingTable {
			continue
		}
		name := strings.TrimPrefix(cp.What, "table ")
		id := nodeID("t", name)
		mb.b.WriteString(fmt.Sprintf("  %s[(%s)]\n", id, label(name)))
		mb.classes["shared"] = append(mb.classes["shared"], id)
		for _, d := range cp.Deployables {
			mb.edge(fmt.Sprintf("%s --- %s", nodeID("d", d), id), true)
		}
	}
	return mb.render("calls and shared tables", 0, "deployables", "No deployable of one repository calls another, and no table is shared.")
}

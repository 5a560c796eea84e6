package reports

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/rules"
)

// bigResult is a repository of n modules in which every module imports the next few, and one
// pair carries a private-import finding.
func bigResult(n, fanOut int) *model.Result {
	res := &model.Result{}
	for i := range n {
		res.Modules = append(res.Modules, model.Module{Name: fmt.Sprintf("mod%03d", i), FanIn: fanOut, FanOut: fanOut})
	}
	for i := range n {
		for j := 1; j <= fanOut; j++ {
			to := (i + j) % n
			imports := make([]model.ImportEdge, 1+(i*j)%5)
			res.Dependencies = append(res.Dependencies, model.Dependency{From: res.Modules[i].Name, To: res.Modules[to].Name, Imports: imports})
		}
	}
	res.Findings = []*rules.Finding{{Rule: rules.PrivateImport, Modules: []string{"mod007", "mod008"}}}
	return res
}

var edgeRE = regexp.MustCompile(`(?m)^  \S+ (-->|-\.->)`)

// A large graph stays well inside mermaid's limits, keeps the edges with a finding, and says
// what it left out.
func TestLargeGraphStaysLegible(t *testing.T) {
	res := bigResult(120, 30)
	g, note := ModuleGraph(res)
	edges := len(edgeRE.FindAllString(g, -1))
	if edges == 0 || edges > maxEdges || len(g) > 50000 {
		t.Fatalf("%d edges, %d characters", edges, len(g))
	}
	if !strings.Contains(g, "m_mod007 -->|") || !strings.Contains(g, "linkStyle") {
		t.Errorf("the edge with a finding was dropped")
	}
	if edges != 1 || !strings.Contains(note, "busiest modules are drawn") || !strings.Contains(note, "only the red one, which carries a finding, is drawn") {
		t.Errorf("%d edges; note: %q", edges, note)
	}
	if nodes := strings.Count(g, `["mod`); nodes != 2 {
		t.Errorf("%d nodes drawn for one edge", nodes)
	}
	// Without a finding, the heaviest edges are drawn, as many as a reader can follow.
	clean := bigResult(120, 30)
	clean.Findings = nil
	g, note = ModuleGraph(clean)
	if edges := len(edgeRE.FindAllString(g, -1)); edges != legibleEdges || !strings.Contains(note, "the highlighted and the heaviest first") {
		t.Errorf("%d edges, note %q", edges, note)
	}
	// A small one is drawn whole, with no note.
	g, note = ModuleGraph(bigResult(5, 2))
	if edges := len(edgeRE.FindAllString(g, -1)); edges != 10 || note != "" {
		t.Errorf("small graph: %d edges, note %q", edges, note)
	}
}

// No diagram without an edge: the note says why instead.
func TestNoEmptyDiagram(t *testing.T) {
	res := &model.Result{Modules: []model.Module{{Name: "a"}, {Name: "b"}}}
	g, note := ModuleGraph(res)
	if g != "" || note != "No module imports another." {
		t.Errorf("graph %q, note %q", g, note)
	}
}

// Every class sets its text colour with its fill, so nodes read on light and dark themes.
func TestClassDefsSetTextColour(t *testing.T) {
	for _, c := range []string{classOpen, classExternal, classShared} {
		if !strings.Contains(c, "color:") || !strings.Contains(c, "fill:") {
			t.Errorf("%q lacks a text colour or a fill", c)
		}
	}
}

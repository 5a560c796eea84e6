package typed

import (
	"slices"
	"testing"

	"github.com/cleave-dev/cleave/analyze/model"
)

// TestRunners: a function some program reaches is attributed to those programs only; a
// package none of whose functions any program reaches falls back to the programs that link
// it, and says so; a package the graph sees into but whose function nobody reaches has no
// runners at all (a test helper in a non-test file, dead code).
func TestRunners(t *testing.T) {
	store := &model.Package{Path: "example.com/app/store"}
	plugin := &model.Package{Path: "example.com/app/plugin"}
	ta := &TypedAnalysis{Reaches: []reachOf{
		{Name: "api", reached: map[FnKey]bool{"store.Save": true}, Linked: map[*model.Package]bool{store: true, plugin: true}},
		{Name: "worker", reached: map[FnKey]bool{}, Linked: map[*model.Package]bool{store: true, plugin: true}},
		{Name: "cli", reached: map[FnKey]bool{}, Linked: map[*model.Package]bool{store: true}},
	}}
	ta.understood = map[*model.Package]bool{store: true}
	cases := []struct {
		fn         FnKey
		pkg        *model.Package
		want       []string
		wantLinked bool
	}{
		{"store.Save", store, []string{"api"}, false},
		{"store.seedForTests", store, []string{}, false},
		{"plugin.Handle", plugin, []string{"api", "worker"}, true},
	}
	for _, c := range cases {
		got, linked := ta.Runners(c.fn, c.pkg)
		if !slices.Equal(got, c.want) || linked != c.wantLinked {
			t.Errorf("Runners(%v) = %v, linked %v; want %v, linked %v", c.fn, got, linked, c.want, c.wantLinked)
		}
	}
}

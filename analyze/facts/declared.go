package facts

import (
	"path/filepath"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/rules"
)

// LayerViolation is an import against the declared layers: upwards, or past a closed layer.
type LayerViolation struct {
	Edge
	FromLayer, ToLayer string
	// Skipped is the closed layer the import goes past ("" for an import upwards).
	Skipped string
}

// Unowned is a package outside every declared module, with requireOwnership.
type Unowned struct {
	Dir, File string
}

// StaleDependency is a dependsOn entry that no import uses.
type StaleDependency struct {
	Module, Dep string
	Pos         rules.Pos
}

// layerViolations checks every module dependency against the declared layers, top first.
func layerViolations(cfg *rules.Config, deps []model.Dependency) []LayerViolation {
	if cfg == nil || len(cfg.Layers) == 0 {
		return nil
	}
	index := map[string]int{}
	for i, l := range cfg.Layers {
		for _, m := range l.Modules {
			index[m] = i
		}
	}
	var out []LayerViolation
	for _, d := range deps {
		from, ok1 := index[d.From]
		to, ok2 := index[d.To]
		if !ok1 || !ok2 || from == to {
			continue
		}
		skipped := ""
		if to > from {
			for k := from + 1; k < to; k++ {
				if cfg.Layers[k].Closed {
					skipped = cfg.Layers[k].Name
					break
				}
			}
			if skipped == "" {
				continue // downwards, through open layers: allowed
			}
		}
		for _, e := range d.Imports {
			out = append(out, LayerViolation{Edge: Edge{From: d.From, To: d.To, Import: e},
				FromLayer: cfg.Layers[from].Name, ToLayer: cfg.Layers[to].Name, Skipped: skipped})
		}
	}
	return out
}

// unowned lists, with requireOwnership, the packages no declared module covers.
func unowned(cfg *rules.Config, pkgs []*model.Package) []Unowned {
	if cfg == nil || !cfg.RequireOwnership || len(cfg.Modules) == 0 {
		return nil
	}
	var out []Unowned
	for _, p := range pkgs {
		if p.Module != "" || p.Root || !p.HasGoFiles || model.InToolDir(p.Dir) || len(p.Files) == 0 {
			continue
		}
		out = append(out, Unowned{Dir: p.Dir, File: p.Files[0]})
	}
	return out
}

// staleDependencies lists the declared dependsOn entries no import uses.
func staleDependencies(cfg *rules.Config, deps []model.Dependency) []StaleDependency {
	if cfg == nil {
		return nil
	}
	used := map[[2]string]bool{}
	for _, d := range deps {
		used[[2]string{d.From, d.To}] = true
	}
	var out []StaleDependency
	for _, m := range cfg.Modules {
		for i, dep := range m.DependsOn {
			if used[[2]string{m.Name, dep}] {
				continue
			}
			pos := m.Pos
			if i < len(m.DependsOnPos) {
				pos = m.DependsOnPos[i]
			}
			out = append(out, StaleDependency{Module: m.Name, Dep: dep, Pos: pos})
		}
	}
	return out
}

// relFile makes a configuration position's file relative to the analysed root.
func relFile(root, file string) string {
	abs, err := filepath.Abs(file)
	if err != nil {
		return filepath.ToSlash(file)
	}
	// Relative to the analysed root, like every other path of the result: a configuration
	// found above it (../.cleave.yaml) too.
	return model.RelSlash(root, abs)
}

package modules

import (
	"fmt"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/rules"
)

// UnmatchedPaths warns about configured module paths that match no package: often a typo.
func UnmatchedPaths(cfg *rules.Config, ms *ModuleSet) []model.Warning {
	var out []model.Warning
	for _, mc := range cfg.Modules {
		for _, g := range mc.Paths {
			found := false
			for _, p := range ms.ByName[mc.Name].Pkgs {
				if g.Contains(p.Dir) {
					found = true
					break
				}
			}
			if !found {
				out = append(out, model.Warning{Subject: cfg.File, Message: fmt.Sprintf("module %s: path %q matches no package", mc.Name, g)})
			}
		}
	}
	return out
}

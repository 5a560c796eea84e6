package facts

import (
	"fmt"
	"sort"

	"github.com/cleave-dev/cleave/analyze/model"
)

// Readiness scores every module for extraction: a module that owns its data, has few
// dependents, sits on no cycle and is entered only through its API is the cheapest to split out.
func Readiness(res *model.Result, f *Facts) []model.ModuleReadiness {
	inCycle := map[string]bool{}
	violations := map[string]int{}
	for _, c := range f.ModuleCycles {
		for _, m := range c.Modules {
			inCycle[m] = true
		}
	}
	for _, e := range f.Private {
		violations[e.To]++
	}
	for _, e := range f.Forbidden {
		violations[e.To]++
	}
	owned, shared := map[string]int{}, map[string][]string{}
	for _, t := range res.Tables {
		mods := map[string]bool{}
		for _, a := range t.Accesses {
			mods[a.Module] = true // code outside every module counts as one more user
		}
		for m := range mods {
			if len(mods) == 1 {
				owned[m]++
			} else {
				shared[m] = append(shared[m], t.Name)
			}
		}
	}
	out := []model.ModuleReadiness{}
	for _, m := range res.Modules {
		if m.Packages < 2 && len(m.Public) == 0 { // a composition root, not a part of the domain
			continue
		}
		r := model.ModuleReadiness{Module: m.Name, FanIn: m.FanIn, InCycle: inCycle[m.Name], Violations: violations[m.Name], Open: m.Open}
		switch {
		case len(shared[m.Name]) > 0:
			sort.Strings(shared[m.Name])
			r.OwnsTables = "no: shares " + model.ListShort(shared[m.Name], 3)
		case owned[m.Name] > 0:
			r.OwnsTables = fmt.Sprintf("yes (%d)", owned[m.Name])
		default:
			r.OwnsTables = "none"
		}
		score := 100 - min(45, 15*len(shared[m.Name])) - min(30, 5*m.FanIn) - min(25, 5*r.Violations)
		if r.InCycle {
			score -= 30
		}
		if m.Open {
			score -= 20 // a shared kernel is depended on by design, not a service in waiting
		}
		r.Score = max(0, score)
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].Module < out[j].Module
	})
	return out
}

package detect

import (
	"sort"

	"github.com/cleave-dev/cleave/rules"
)

func RunDetectors(m *Input, cfg *rules.Config) []*rules.Finding {
	out := []*rules.Finding{}
	for _, d := range Detectors {
		sev, on := cfg.Severity(d.Rule)
		if !on {
			continue
		}
		explicit := cfg != nil && cfg.Rules[d.Rule].Severity != 0
		for _, f := range d.Run(m) {
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

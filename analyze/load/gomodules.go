package load

import (
	"path"

	"golang.org/x/mod/modfile"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/internal/safefs"
)

func GoModules(t *Tree) ([]model.GoModule, []model.Warning) {
	var warns []model.Warning
	var dirs []string
	if t.enclosing != "" {
		dirs = []string{model.RelSlash(t.root, t.enclosing)}
	} else {
		dirs = t.ModDirs
	}
	out := []model.GoModule{}
	for _, d := range dirs {
		file := path.Join(d, "go.mod")
		data, err := safefs.ReadIn(t.root, file, safefs.GoMod)
		if err != nil {
			warns = append(warns, model.Warning{Subject: file, Message: safefs.Reason(err)})
			continue
		}
		mp := modfile.ModulePath(data)
		if mp == "" {
			warns = append(warns, model.Warning{Subject: file, Message: "no module directive"})
		}
		out = append(out, model.GoModule{Path: mp, Dir: d})
	}
	return out, warns
}

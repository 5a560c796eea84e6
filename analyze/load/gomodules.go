package load

import (
	"os"
	"path"
	"path/filepath"

	"golang.org/x/mod/modfile"

	"github.com/cleave-dev/cleave/analyze/model"
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
		data, err := os.ReadFile(filepath.Join(t.root, filepath.FromSlash(file)))
		if err != nil {
			warns = append(warns, model.Warning{Subject: file, Message: err.Error()})
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

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
		read := func() ([]byte, error) { return safefs.ReadIn(t.root, file, safefs.GoMod) }
		if t.enclosing != "" {
			// DIR is a directory of a module whose go.mod lies above it: that go.mod is the
			// module's, as the go command reads it, read where it is.
			read = func() ([]byte, error) { return safefs.ReadIn(t.enclosing, "go.mod", safefs.GoMod) }
		}
		data, err := read()
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

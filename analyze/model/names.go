package model

import (
	"path"
	"regexp"
	"strings"
)

var majorVersion = regexp.MustCompile(`^v[0-9]+$`)

// ModuleBaseName names a program at the root of a Go module after the module path:
// github.com/x/tool is tool, miniflux.app/v2 is miniflux.
func ModuleBaseName(modPath string) string {
	if modPath == "" {
		return "main"
	}
	base := path.Base(modPath)
	if majorVersion.MatchString(base) && path.Dir(modPath) != "." {
		base = path.Base(path.Dir(modPath))
	}
	if i := strings.IndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	return base
}

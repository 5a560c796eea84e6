package model

import (
	"strings"

	"github.com/cleave-dev/cleave/analyze/astutil"
)

// ModuleBaseName names a program at the root of a Go module after the module path:
// github.com/x/tool is tool, miniflux.app/v2 is miniflux.
func ModuleBaseName(modPath string) string {
	if modPath == "" {
		return "main"
	}
	base := astutil.LastElem(modPath)
	if i := strings.IndexByte(base, '.'); i > 0 {
		base = base[:i]
	}
	return base
}

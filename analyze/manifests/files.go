package manifests

import (
	"os"
	"path/filepath"

	"github.com/cleave-dev/cleave/analyze/model"
)

// forEachFile reads each file the walk found (relative to root) and hands it to fn; a file that
// cannot be read becomes a warning naming it.
func forEachFile(root string, files []string, fn func(rel string, data []byte)) []model.Warning {
	var warns []model.Warning
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			warns = append(warns, model.Warning{Subject: f, Message: err.Error()})
			continue
		}
		fn(f, data)
	}
	return warns
}

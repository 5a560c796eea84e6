package manifests

import (
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/internal/safefs"
)

// forEachFile reads each file the walk found (relative to root) and hands it to fn; a file that
// cannot be read, or that cleave will not read (not a regular file, linked outside root, over
// the size cap for manifests), becomes a warning naming it.
func forEachFile(root string, files []string, fn func(rel string, data []byte)) []model.Warning {
	return forEachFileLimit(root, files, safefs.Manifest, fn)
}

func forEachFileLimit(root string, files []string, limit int64, fn func(rel string, data []byte)) []model.Warning {
	var warns []model.Warning
	r, err := safefs.OpenRoot(root)
	if err != nil {
		return []model.Warning{{Subject: ".", Message: err.Error()}}
	}
	defer r.Close()
	for _, f := range files {
		data, err := r.ReadFile(f, limit)
		if err != nil {
			warns = append(warns, readWarning(f, err))
			continue
		}
		fn(f, data)
	}
	return warns
}

// readWarning words a file that was not read: the subject names the file, so the message does not.
func readWarning(rel string, err error) model.Warning {
	return model.Warning{Subject: rel, Message: safefs.Reason(err)}
}

package recognize

import (
	"github.com/cleave-dev/cleave/analyze/model"
)

// usesDatabase reports whether a package may touch a database.
func UsesDatabase(p *model.Package) bool {
	return p.SQLText || p.ImportsAny(DbLibraries...) || p.ImportsAny("gorm.io/driver", "github.com/redis/go-redis")
}

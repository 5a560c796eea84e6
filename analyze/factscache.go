package analyze

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"

	"github.com/cleave-dev/cleave/analyze/astutil"
	"github.com/cleave-dev/cleave/analyze/data"
	"github.com/cleave-dev/cleave/analyze/load"
	"github.com/cleave-dev/cleave/analyze/manifests"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
	"github.com/cleave-dev/cleave/internal/digest"
	"github.com/cleave-dev/cleave/internal/safefs"
)

// The facts of the typed pass are cached. Parsing and type-checking the repository is most of
// a run, and most edits leave what it reads as it was: the pass reads a function body only
// where a recogniser can fire in it or on a call path to one (see typed's stripBodies), and
// a run after an edit to any other body (a computation, a format, a validation) finds the
// same tables, connections and calls. So the facts that the pass and its readers give (what
// dataAndCalls sets) are kept by a digest of all they were computed from:
//   - the model so far (packages with their imports and calls, deployables, modules,
//     manifests, the sqlc configuration), field by field;
//   - each Go file's skeleton: its text, with each body that cannot matter by itself reduced
//     to the names it mentions and its lines (Prefetch.Skeleton), or its whole content;
//   - the content of the .sql files, and cleave's executable.
//
// The pass may read more of a file than its skeleton (a body kept because it lies on a call
// path, a package read by its syntax): the entry lists those files with their contents'
// digests, and serves only while they are unchanged. An edit that changes what the pass can
// read reruns it whole; the facts of the other packages are not kept apart.

// typedFacts is one entry: what dataAndCalls set, and the files read whole.
type typedFacts struct {
	Deployables      []model.Deployable      `json:"deployables"`
	Tables           []model.Table           `json:"tables"`
	Connections      []model.Connection      `json:"connections"`
	ExternalServices []model.ExternalService `json:"externalServices"`
	Calls            []model.Call            `json:"calls"`
	Open             *model.OpenEnds         `json:"open"`
	Db               *data.DbModel           `json:"db"`
	Whole            map[string]string       `json:"whole"`   // file -> content digest
	Configs          map[string]string       `json:"configs"` // configuration file read -> digest, "-" unreadable
}

// factsKey digests what the facts are computed from; "" when the run caches nothing or some
// file has no digest.
func (r *run) factsKey(ev *evidence, res *model.Result, sqlcPkgs []manifests.SqlcPackage) string {
	if r.opts.CacheDir == "" {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "cleave facts cache 1\x00%s\x00%v\x00%v\x00", ev.root, r.opts.Tests, r.opts.Open)
	if load.ToolStamp(h) != nil {
		return ""
	}
	model := *res
	model.ListingCached = false // how the listing came does not matter, only what it is
	model.FactsCached = false
	model.Packages = nil
	digest.Write(h, &model)
	digest.Write(h, []any{ev.services, ev.ships, ev.decls, ev.names, sqlcPkgs, ev.tree.SQLFiles})
	// The packages, with their files' skeletons, are digested on every core, each apart.
	sums := make([][]byte, len(res.Packages))
	astutil.Parallel(len(res.Packages), func(i int) {
		p := res.Packages[i]
		ph := sha256.New()
		digest.Write(ph, p)
		for _, f := range p.Files {
			sum, ok := ev.pre.Skeleton(f)
			if !ok {
				if sum, ok = ev.pre.Sum(f); !ok {
					return
				}
				sum = "=" + sum
			}
			fmt.Fprintf(ph, "%s\x00%s\x00", f, sum)
		}
		sums[i] = ph.Sum(nil)
	})
	for _, sum := range sums {
		if sum == nil {
			return "" // a file with no digest
		}
		h.Write(sum)
	}
	sqlFile := func(rel string) {
		data, err := safefs.ReadIn(ev.root, rel, safefs.SQL)
		if err != nil {
			fmt.Fprintf(h, "%s\x00-\x00", rel)
			return
		}
		fmt.Fprintf(h, "%s\x00%x\x00", rel, sha256.Sum256(data))
	}
	for _, f := range ev.tree.SQLFiles {
		sqlFile(f)
	}
	for _, sp := range sqlcPkgs {
		for _, q := range sp.Queries {
			sqlFile(q)
		}
	}
	return hexSum(h)
}

func hexSum(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil))[:32] }

// cachedFacts returns the entry of key when one serves: every file it read whole, and every
// configuration file a recogniser read, is as it was.
func (r *run) cachedFacts(key string, ev *evidence) (*typedFacts, bool) {
	var f typedFacts
	if key == "" || !(load.FactsCache{Dir: r.opts.CacheDir}).Get(key, &f) {
		return nil, false
	}
	for file, was := range f.Whole {
		if sum, ok := ev.pre.Sum(file); !ok || sum != was {
			return nil, false
		}
	}
	for file, was := range f.Configs {
		sum := "-"
		if data, err := safefs.ReadIn(ev.root, file, safefs.Config); err == nil {
			sum = typed.ConfigSum(data)
		}
		if sum != was {
			return nil, false
		}
	}
	return &f, true
}

// storeFacts keeps what dataAndCalls set, with the digests of the files the typed pass read
// whole.
func (r *run) storeFacts(key string, ev *evidence, res *model.Result, db *data.DbModel, whole []string, configs map[string]string) {
	if key == "" {
		return
	}
	f := &typedFacts{Deployables: res.Deployables, Tables: res.Tables, Connections: res.Connections,
		ExternalServices: res.ExternalServices, Calls: res.Calls, Open: res.Open, Db: db, Whole: map[string]string{}, Configs: configs}
	for _, file := range whole {
		sum, ok := ev.pre.Sum(file)
		if !ok {
			return
		}
		f.Whole[file] = sum
	}
	load.FactsCache{Dir: r.opts.CacheDir}.Put(key, f)
}

// apply sets what the entry holds.
func (f *typedFacts) apply(res *model.Result) *data.DbModel {
	res.Deployables, res.Tables, res.Connections = f.Deployables, f.Tables, f.Connections
	res.ExternalServices, res.Calls, res.Open = f.ExternalServices, f.Calls, f.Open
	res.FactsCached = true
	return f.Db
}

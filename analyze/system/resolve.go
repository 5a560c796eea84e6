package system

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/cleave-dev/cleave/analyze/calls"
	"github.com/cleave-dev/cleave/analyze/data"
	"github.com/cleave-dev/cleave/analyze/detect"
	"github.com/cleave-dev/cleave/analyze/facts"
	"github.com/cleave-dev/cleave/analyze/manifests"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/sqltables"
	"github.com/cleave-dev/cleave/analyze/typed"
	"github.com/cleave-dev/cleave/rules"
)

// Merge makes one result of a system's repositories: theirs, qualified, with what only the
// whole shows: the calls resolved across repositories, the tables and databases they share,
// the chains and cycles of calls through several of them, and the findings of those.
func Merge(spec *Spec, repos []Repo, version string) *model.Result {
	sys := &model.Result{SchemaVersion: 1, Tool: model.Tool{Name: "cleave", Version: version}, System: spec.Name,
		GoModules: []model.GoModule{}, Deployables: []model.Deployable{}, Modules: []model.Module{}, Dependencies: []model.Dependency{},
		CycleCut: []model.Dependency{}, Tables: []model.Table{}, Connections: []model.Connection{}, Calls: []model.Call{},
		ExternalServices: []model.ExternalService{}, Practices: []model.PracticeEvidence{}, Findings: []*rules.Finding{}, Warnings: []model.Warning{}}
	n := newNamer(repos)
	qs := map[string]qualifier{}
	for _, r := range repos {
		q := qualifier{repo: r.Name, n: n}
		qs[r.Name] = q
		if r.Res != nil {
			q.add(sys, r.Res)
			if sys.SchemaVersion < r.Res.SchemaVersion {
				sys.SchemaVersion = r.Res.SchemaVersion
			}
		}
	}
	pl := place(sys, repos)
	m := &merger{sys: sys, repos: repos, qs: qs, pl: pl, repoOf: map[string]string{}, seen: map[string]bool{}, system: map[string]bool{}}
	for i, d := range sys.Deployables {
		m.repoOf[d.Name] = d.Repository
		sys.Deployables[i].Evidence = append(slices.Clone(d.Evidence), pl.evidence[d.Name]...)
	}
	m.externals()
	m.calls()
	cross := m.databases()
	m.findings(cross)
	sortAll(sys)
	m.couplings(cross)
	for _, r := range repos {
		role := model.RoleCode
		switch {
		case r.Res != nil:
		case r.Deployment || r.Deploy != nil && (len(r.Deploy.Services) > 0 || len(r.Deploy.Files) > 0):
			role = model.RoleDeployment
		default:
			role = model.RoleOther // no Go and no manifest: read for nothing
		}
		rep := model.Repository{Name: r.Name, Path: r.Path, Role: role}
		for _, d := range sys.Deployables {
			if d.Repository == r.Name {
				rep.Deployables++
			}
		}
		for _, f := range sys.Findings {
			if strings.HasPrefix(f.File, r.Name+"/") {
				rep.Findings++
			}
		}
		if r.Res == nil && r.Deploy != nil && r.Deploy.GoFiles > 0 && !r.Deploy.GoModule {
			sys.Warnings = append(sys.Warnings, model.Warning{Subject: r.Name, Message: fmt.Sprintf(
				"holds %s but no go.mod: its code is not analysed (cleave lists packages with the go command, which needs a module; 'go mod init' makes one), only its manifests are read",
				model.Plural(r.Deploy.GoFiles, ".go file"))})
		}
		if r.Res == nil && r.Deploy != nil { // a code repository's own analysis warned already
			for _, w := range r.Deploy.Warnings {
				sys.Warnings = append(sys.Warnings, model.Warning{Subject: r.Name + "/" + w.Subject, Message: w.Message})
			}
		}
		sys.Repositories = append(sys.Repositories, rep)
	}
	sortAll(sys)
	return sys
}

type merger struct {
	sys    *model.Result
	repos  []Repo
	qs     map[string]qualifier
	pl     *placement
	repoOf map[string]string // deployable -> repository
	index  map[string]string // folded host name -> deployable or external service
	ext    map[string]bool   // the external services
	seen   map[string]bool   // call keys
	// system marks the calls the system resolved, which no repository saw alone.
	system map[string]bool
}

// externals merges the services deployed without Go code: those of the repositories, less
// the ones another repository builds (then a call to one is a call to that deployable), and
// those of the deployment repositories.
func (m *merger) externals() {
	m.index, m.ext = map[string]string{}, map[string]bool{}
	known := m.pl.known
	maps.Copy(m.index, known)
	for k, dep := range m.pl.aliases {
		if _, taken := m.index[k]; !taken {
			m.index[k] = dep
		}
	}
	for _, d := range m.sys.Deployables {
		if k := manifests.NormName(d.Module); d.Module != "" && d.Kind != model.KindTool && !d.IsBundle() {
			if _, taken := m.index[k]; !taken {
				m.index[k] = d.Name
			}
		}
	}
	var set model.ExternalSet
	addExt := func(x model.ExternalService, repo string) {
		for _, n := range append([]string{x.Name}, x.Aliases...) {
			if dep, ok := known[manifests.NormName(n)]; ok {
				// Built by a repository of the system: calls to it reach that deployable.
				for i, c := range m.sys.Calls {
					if c.External && c.To == x.Name && m.repoOf[c.From] == repo {
						m.sys.Calls[i].To, m.sys.Calls[i].External = dep, false
						m.system[calls.CallKey(m.sys.Calls[i])] = true
					}
				}
				return
			}
		}
		set.Add(x.Name, "", "")
		for _, a := range x.Aliases {
			set.Add(x.Name, a, "")
		}
		for _, e := range x.Evidence {
			set.Add(x.Name, "", e)
		}
	}
	for _, r := range m.repos {
		if r.Res != nil {
			for _, x := range r.Res.ExternalServices {
				ev := make([]string, len(x.Evidence))
				for i, e := range x.Evidence {
					ev[i] = r.Name + "/" + e
				}
				addExt(model.ExternalService{Name: x.Name, Aliases: x.Aliases, Evidence: ev}, r.Name)
			}
		}
	}
	for _, x := range m.pl.externals {
		addExt(x, "")
	}
	other := map[string]string{} // folded name -> a repository without Go code
	for _, r := range m.repos {
		if r.Res == nil {
			other[manifests.NormName(langAffix(r.Name))] = r.Name
		}
	}
	for _, x := range set.List() {
		if r, ok := other[manifests.NormName(x.Name)]; ok {
			x.Repository = r
			m.repoOf[x.Name] = r
		}
		m.sys.ExternalServices = append(m.sys.ExternalServices, x)
		m.ext[x.Name] = true
		for _, n := range append([]string{x.Name}, x.Aliases...) {
			if _, taken := m.index[manifests.NormName(n)]; !taken {
				m.index[manifests.NormName(n)] = x.Name
			}
		}
	}
	for _, c := range m.sys.Calls {
		m.seen[calls.CallKey(c)] = true
	}
}

func (m *merger) emit(c model.Call) {
	if c.From == "" || c.To == "" || c.From == c.To || m.ext[c.From] {
		return
	}
	c.External = m.ext[c.To]
	if k := calls.CallKey(c); !m.seen[k] {
		m.seen[k] = true
		m.system[k] = true
		m.sys.Calls = append(m.sys.Calls, c)
	}
}

// envs are the environments the deployment gives a deployable, one per manifest that runs it;
// one empty environment (defaults only) when none does.
func (m *merger) envs(dep string) []runs {
	if rs := m.pl.runs[dep]; len(rs) > 0 {
		return rs
	}
	return []runs{{}}
}

// calls resolves what each repository's calls left open: an HTTP host named by the
// deployment's environment or the call's own defaults, a gRPC service another repository
// serves, a topic another repository consumes.
func (m *merger) calls() {
	serves := map[string][]string{}
	for _, r := range m.repos {
		if r.Res == nil || r.Res.Open == nil {
			continue
		}
		q := m.qs[r.Name]
		for _, d := range slices.Sorted(maps.Keys(r.Res.Open.Serves)) {
			for _, what := range r.Res.Open.Serves[d] {
				serves[what] = appendNew(serves[what], q.dep(d))
			}
		}
	}
	for _, r := range m.repos {
		if r.Res == nil || r.Res.Open == nil {
			continue
		}
		q := m.qs[r.Name]
		for _, oc := range r.Res.Open.Calls {
			from, file := q.dep(oc.From), q.path(oc.File)
			switch oc.Kind {
			case "http":
				for _, run := range m.envs(from) {
					hosts, via, urls := calls.HostCandidates(oc.Target, run.env, run.where)
					for i, h := range hosts {
						to, ok := m.index[manifests.NormName(h)]
						if !ok || to == from {
							continue
						}
						m.emit(model.Call{From: from, To: to, Protocol: "http", Sync: true, File: file, Line: oc.Line, Via: via[i], Purpose: calls.Purpose(urls[i])})
						break
					}
				}
			case "grpc-client":
				servers := serves[oc.Protocol+":"+oc.Target]
				if slices.Contains(servers, from) {
					continue // it serves what it calls: which way the calls go cannot be told
				}
				for _, to := range servers {
					m.emit(model.Call{From: from, To: to, Protocol: oc.Protocol, Sync: true, File: file, Line: oc.Line, Via: calls.RPCVia(oc.Protocol, oc.Target)})
				}
				if len(servers) == 0 && oc.Protocol == "grpc" {
					short := oc.Target[strings.LastIndexByte(oc.Target, '.')+1:]
					for _, n := range []string{short, strings.TrimSuffix(short, "Service")} {
						if to, ok := m.index[manifests.NormName(n)]; ok && m.ext[to] {
							m.emit(model.Call{From: from, To: to, Protocol: "grpc", Sync: true, File: file, Line: oc.Line,
								Via: "gRPC service " + oc.Target + ", served by no Go code of the system: " + to + " is deployed"})
							break
						}
					}
				}
			case "produce":
				for _, to := range serves[oc.Protocol+":"+manifests.NormName(oc.Target)] {
					m.emit(model.Call{From: from, To: to, Protocol: oc.Protocol, File: file, Line: oc.Line, Via: oc.Protocol + " " + oc.Target})
				}
			}
		}
	}
}

// dbIdentity names the database a DSN reaches: host, port and database, folded. It is ""
// where that cannot be told, and for a database of the process's own host (localhost, a
// socket, a file): two containers that each reach their localhost reach two databases.
func dbIdentity(dsn string) string {
	if dsn == "" || strings.Contains(dsn, "${") {
		return ""
	}
	var host, port, db, scheme string
	switch {
	case strings.Contains(dsn, "://"):
		u, err := url.Parse(dsn)
		if err != nil {
			return ""
		}
		scheme, host, port, db = u.Scheme, u.Hostname(), u.Port(), strings.TrimPrefix(u.Path, "/")
	case strings.Contains(dsn, "@tcp("): // mysql: user:pass@tcp(host:port)/db
		_, rest, _ := strings.Cut(dsn, "@tcp(")
		addr, tail, _ := strings.Cut(rest, ")")
		host, port, _ = strings.Cut(addr, ":")
		db, _, _ = strings.Cut(strings.TrimPrefix(tail, "/"), "?")
		scheme = "mysql"
	case strings.Contains(dsn, "="): // key=value: host=db port=5432 dbname=shop
		for _, kv := range strings.Fields(dsn) {
			k, v, _ := strings.Cut(kv, "=")
			v = strings.Trim(v, `'"`)
			switch strings.ToLower(k) {
			case "host":
				host = v
			case "port":
				port = v
			case "dbname", "database":
				db = v
			}
		}
		scheme = "postgres"
	default:
		return ""
	}
	host = strings.ToLower(host)
	switch {
	case host == "", db == "", host == "localhost", strings.HasPrefix(host, "127."), host == "::1", strings.HasPrefix(host, "/"):
		return ""
	}
	if port == "" {
		port = map[string]string{"postgres": "5432", "postgresql": "5432", "pgx": "5432", "mysql": "3306", "mongodb": "27017"}[scheme]
	}
	return host + ":" + port + "/" + db
}

// reach is one deployable's connection to a database, as the system resolves it.
type reach struct {
	dep, repo, shown, via string
	site                  model.Connection
}

// databases finds what the deployment's environment says each deployable connects to, and
// returns the facts that only the whole shows: databases reached from two or more
// repositories, and the tables of those that repositories share.
func (m *merger) databases() *facts.Facts {
	byDB := map[string][]reach{}
	ids := map[string][]string{} // deployable -> the databases it reaches
	for _, c := range m.sys.Connections {
		for _, dep := range c.Deployables {
			for _, run := range m.envs(dep) {
				dsn, via := "", ""
				if name, ok := strings.CutPrefix(c.Setting, "env:"); ok {
					if k, v, ok := typed.LookupEnv(run.env, name); ok {
						dsn, via = v, fmt.Sprintf("%s sets %s for %s", run.where, k, dep)
					}
				} else if tmpl, ok := strings.CutPrefix(c.Setting, "dsn:"); ok {
					if v, ok := typed.ExpandEnv(tmpl, run.env); ok {
						dsn = v
						if strings.Contains(tmpl, "${") && run.where != "" {
							via = fmt.Sprintf("%s gives %s the settings the DSN is assembled from", run.where, dep)
						}
					}
				}
				id := dbIdentity(dsn)
				if id == "" {
					continue
				}
				ids[dep] = appendNew(ids[dep], id)
				byDB[id] = append(byDB[id], reach{dep: dep, repo: m.repoOf[dep], shown: typed.RedactDSN(dsn), via: via, site: model.Connection{Setting: c.Setting, Deployables: []string{dep}, File: c.File, Line: c.Line}})
			}
		}
	}
	f := &facts.Facts{} // the call facts are the findings' to add
	for _, id := range slices.Sorted(maps.Keys(byDB)) {
		rs := byDB[id]
		repos := map[string]bool{}
		gr := data.ConnGroup{Setting: "dsn:" + rs[0].shown}
		seen := map[string]bool{}
		for _, r := range rs {
			repos[r.repo] = true
			gr.Deployables = appendNew(gr.Deployables, r.dep)
			if k := fmt.Sprintf("%s|%s|%d", r.dep, r.site.File, r.site.Line); !seen[k] {
				seen[k] = true
				gr.Sites = append(gr.Sites, r.site)
			}
			if r.via != "" && !strings.Contains(gr.Via, r.via) {
				gr.Via = strings.TrimPrefix(gr.Via+"; "+r.via, "; ")
			}
		}
		if len(repos) >= 2 {
			sort.Strings(gr.Deployables)
			f.SharedSettings = append(f.SharedSettings, gr)
		}
	}
	f.SharedTables = m.sharedTables(ids)
	return f
}

// sharedTables joins the tables of one name that repositories reach in one database into one
// table, and returns those that deployables of two or more repositories use.
func (m *merger) sharedTables(ids map[string][]string) []facts.SharedTable {
	type group struct {
		idx int // into m.sys.Tables
		dbs []string
	}
	byName := map[string][]*group{}
	var keys []string
	for i, t := range m.sys.Tables {
		g := &group{idx: i}
		for _, a := range t.Accesses {
			for _, d := range a.Deployables {
				for _, id := range ids[d] {
					g.dbs = appendNew(g.dbs, id)
				}
			}
		}
		k := t.Store + "\x00" + t.Name
		if byName[k] == nil {
			keys = append(keys, k)
		}
		byName[k] = append(byName[k], g)
	}
	drop := map[int]bool{}
	var out []facts.SharedTable
	for _, k := range keys {
		gs := byName[k]
		for i := 0; i < len(gs); i++ {
			for j := i + 1; j < len(gs); j++ {
				if gs[j] == nil || gs[i] == nil || !slices.ContainsFunc(gs[i].dbs, func(id string) bool { return slices.Contains(gs[j].dbs, id) }) {
					continue
				}
				t := &m.sys.Tables[gs[i].idx]
				t.Accesses = append(t.Accesses, m.sys.Tables[gs[j].idx].Accesses...)
				for _, id := range gs[j].dbs {
					gs[i].dbs = appendNew(gs[i].dbs, id)
				}
				drop[gs[j].idx] = true
				gs[j] = nil
				j = i // what joined may join others now
			}
		}
		for _, g := range gs {
			if g == nil {
				continue
			}
			t := m.sys.Tables[g.idx]
			slices.SortStableFunc(t.Accesses, func(a, b model.TableAccess) int {
				if a.File != b.File {
					return strings.Compare(a.File, b.File)
				}
				return a.Line - b.Line
			})
			if st, ok := m.crossShared(t); ok {
				out = append(out, st)
			}
		}
	}
	kept := m.sys.Tables[:0]
	for i, t := range m.sys.Tables {
		if !drop[i] {
			kept = append(kept, t)
		}
	}
	m.sys.Tables = kept
	return out
}

// crossShared is the shared-table fact of a table that deployables of two or more
// repositories use, migrations aside.
func (m *merger) crossShared(t model.Table) (facts.SharedTable, bool) {
	deps, writers, mods, repos := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	bundle := map[string]bool{}
	for _, d := range m.sys.Deployables {
		bundle[d.Name] = d.IsBundle()
	}
	for _, a := range t.Accesses {
		if a.Migration {
			continue
		}
		if a.Module != "" {
			mods[a.Module] = true
		}
		for _, d := range a.Deployables {
			if bundle[d] {
				continue
			}
			deps[d], repos[m.repoOf[d]] = true, true
			writers[d] = writers[d] || a.Op == string(sqltables.Write)
		}
	}
	if len(repos) < 2 {
		return facts.SharedTable{}, false
	}
	st := facts.SharedTable{Table: t, By: "deployables", Deployables: facts.SortedKeys(deps, nil), Modules: facts.SortedKeys(mods, nil)}
	st.Group, st.Writers = st.Deployables, facts.SortedKeys(writers, writers)
	return st, true
}

// findings adds the system's own findings: shared databases and tables across repositories,
// and the chains and cycles of synchronous calls that cross one. It sets the signals and the
// architecture of the whole.
func (m *merger) findings(cross *facts.Facts) {
	adj, first := facts.SyncGraph(m.sys.Calls)
	cross.FirstCall = first
	crosses := func(path []string, closed bool) bool {
		for i := 0; i+1 < len(path) || closed && i < len(path); i++ {
			if c, ok := first[[2]string{path[i], path[(i+1)%len(path)]}]; ok && m.system[calls.CallKey(c)] {
				return true
			}
		}
		return false
	}
	allChains := facts.SyncChains(m.sys.Calls)
	for _, c := range allChains {
		if crosses(c, false) {
			cross.SyncChains = append(cross.SyncChains, c)
		}
	}
	nodes := slices.Sorted(maps.Keys(adj))
	allCycles := facts.ElementaryCycles(nodes, adj)
	for _, c := range allCycles {
		if crosses(c, true) {
			cross.CallCycles = append(cross.CallCycles, c)
		}
	}
	found := detect.Run(&detect.Input{Facts: cross, Result: m.sys})
	for _, f := range found {
		var repos []string
		for _, d := range f.Deployables {
			if r := m.repoOf[d]; r != "" && !slices.Contains(repos, r) {
				repos = append(repos, r)
			}
		}
		sort.Strings(repos)
		if len(repos) >= 2 {
			f.Message += " (across repositories " + strings.Join(repos[:len(repos)-1], ", ") + " and " + repos[len(repos)-1] + ")"
		}
	}
	// A repository's chain that the system extends is the system's chain now.
	m.sys.Findings = slices.DeleteFunc(m.sys.Findings, func(f *rules.Finding) bool {
		if f.Rule != rules.SyncChain {
			return false
		}
		for _, c := range cross.SyncChains {
			if within(f.Deployables, c) {
				return true
			}
		}
		return false
	})
	m.sys.Findings = append(m.sys.Findings, found...)
	// The facts of the whole: each repository's, and the system's.
	all := &facts.Facts{FirstCall: first, SyncChains: allChains, CallCycles: allCycles}
	for _, r := range m.repos {
		if r.Facts == nil {
			continue
		}
		q := m.qs[r.Name]
		all.Inferred = all.Inferred || r.Facts.Inferred
		all.Private = append(all.Private, r.Facts.Private...)
		all.Forbidden = append(all.Forbidden, r.Facts.Forbidden...)
		all.ModuleCycles = append(all.ModuleCycles, r.Facts.ModuleCycles...)
		all.Layers = append(all.Layers, r.Facts.Layers...)
		all.Unowned = append(all.Unowned, r.Facts.Unowned...)
		all.Stale = append(all.Stale, r.Facts.Stale...)
		for _, st := range r.Facts.SharedTables {
			st.Deployables, st.Group, st.Writers = q.deps(st.Deployables), q.deps(st.Group), q.deps(st.Writers)
			all.SharedTables = append(all.SharedTables, st)
		}
		for _, g := range r.Facts.SharedSettings {
			g.Deployables = q.deps(g.Deployables)
			all.SharedSettings = append(all.SharedSettings, g)
		}
	}
	all.SharedTables = append(all.SharedTables, cross.SharedTables...)
	all.SharedSettings = append(all.SharedSettings, cross.SharedSettings...)
	m.sys.Signals = facts.Signals(m.sys, all)
	m.sys.Architecture = facts.Architecture(m.sys, m.sys.Signals, all)
}

// within reports whether chain a runs along chain b: its deployables, in order, one after
// another in b.
func within(a, b []string) bool {
	for i := 0; i+len(a) <= len(b); i++ {
		if slices.Equal(a, b[i:i+len(a)]) {
			return true
		}
	}
	return false
}

// couplings lists what ties the repositories together: the calls between deployables of two
// repositories, by caller, callee and protocol, and the tables and databases they share.
func (m *merger) couplings(cross *facts.Facts) {
	out := []model.Coupling{}
	byEdge := map[string]int{}
	for _, c := range m.sys.Calls { // sorted
		from, to := m.repoOf[c.From], m.repoOf[c.To]
		if from == "" || to == "" || from == to {
			continue
		}
		k := c.From + "|" + c.To + "|" + c.Protocol
		i, ok := byEdge[k]
		if !ok {
			i = len(out)
			byEdge[k] = i
			out = append(out, model.Coupling{Kind: model.CouplingCall, Repositories: []string{from, to},
				What: fmt.Sprintf("%s → %s over %s", c.From, c.To, c.Protocol), Deployables: []string{c.From, c.To}})
		}
		out[i].Evidence = append(out[i].Evidence, rules.Location{File: c.File, Line: c.Line, Column: 1, Message: c.Via})
	}
	repos := func(deps []string) []string {
		var rs []string
		for _, d := range deps {
			if r := m.repoOf[d]; r != "" && !slices.Contains(rs, r) {
				rs = append(rs, r)
			}
		}
		sort.Strings(rs)
		return rs
	}
	for _, st := range cross.SharedTables {
		c := model.Coupling{Kind: model.CouplingTable, Repositories: repos(st.Deployables), What: "table " + st.Table.Name, Deployables: st.Deployables}
		for _, a := range st.Table.Accesses {
			if !a.Migration {
				c.Evidence = append(c.Evidence, rules.Location{File: a.File, Line: a.Line, Column: 1,
					Message: fmt.Sprintf("%ss %s (%s)", a.Op, st.Table.Name, strings.Join(detect.OrNone(a.Deployables), ", "))})
			}
		}
		out = append(out, c)
	}
	for _, g := range cross.SharedSettings {
		c := model.Coupling{Kind: model.CouplingDatabase, Repositories: repos(g.Deployables),
			What: "database " + dbIdentity(strings.TrimPrefix(g.Setting, "dsn:")), Deployables: g.Deployables}
		for _, s := range g.Sites {
			c.Evidence = append(c.Evidence, rules.Location{File: s.File, Line: s.Line, Column: 1, Message: s.Deployables[0] + " connects through " + s.Setting})
		}
		out = append(out, c)
	}
	m.sys.Couplings = out
}

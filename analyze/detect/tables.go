package detect

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/sqltables"
	"github.com/cleave-dev/cleave/rules"
)

func sharedTables(m *Input) []*rules.Finding {
	var out []*rules.Finding
	for _, tb := range m.Res.Tables {
		modules, writerMods := set(), set()
		deps, writerDeps := set(), set()
		for _, a := range tb.Accesses {
			if a.Module != "" {
				modules.add(a.Module)
				if a.Op == string(sqltables.Write) {
					writerMods.add(a.Module)
				}
			}
			for _, d := range a.Deployables {
				deps.add(d)
				if a.Op == string(sqltables.Write) {
					writerDeps.add(d)
				}
			}
		}
		var by string
		var group, writers strset
		switch {
		case len(modules) >= 2:
			by, group, writers = "modules", modules, writerMods
		case len(deps) >= 2:
			by, group, writers = "deployables", deps, writerDeps
		default:
			continue
		}
		f := m.finding(rules.SharedTable)
		f.Severity = rules.Warning
		if len(writers) >= 2 {
			f.Severity = rules.Error
		}
		readers := set()
		for _, x := range group.sorted() {
			if !writers[x] {
				readers.add(x)
			}
		}
		// "written by modules a and b and read by c", "read by deployables x and y"
		var parts []string
		noun := func(n int) string {
			if n == 1 {
				return strings.TrimSuffix(by, "s")
			}
			return by
		}
		if len(writers) > 0 {
			parts = append(parts, "written by "+noun(len(writers))+" "+andList(writers.sorted()))
		}
		if len(readers) > 0 {
			if len(writers) > 0 {
				parts = append(parts, "and read by "+andList(readers.sorted()))
			} else {
				parts = append(parts, "read by "+noun(len(readers))+" "+andList(readers.sorted()))
			}
		}
		kind := "table"
		if tb.Store == "mongo" {
			kind = "collection"
		}
		f.Message = fmt.Sprintf("%s %s is %s; give it one owner and let the others go through its API or events", kind, tb.Name, strings.Join(parts, " "))
		first := tb.Accesses[0]
		for _, a := range tb.Accesses {
			if a.Op == string(sqltables.Write) {
				first = a
				break
			}
		}
		f.File, f.Line, f.Column = first.File, first.Line, 1
		f.Modules, f.Deployables, f.Tables = modules.sorted(), deps.sorted(), []string{tb.Name}
		for _, a := range tb.Accesses {
			who := a.Module
			if who == "" {
				who = "(no module)"
			}
			f.Related = append(f.Related, rules.Location{File: a.File, Line: a.Line, Column: 1,
				Message: fmt.Sprintf("%s %ss %s (deployables: %s)", who, a.Op, tb.Name, strings.Join(orNone(a.Deployables), ", "))})
		}
		f.Fingerprint = rules.Fingerprint(f.Rule, tb.Store, tb.Name)
		out = append(out, f)
	}
	return out
}

func foreignTables(m *Input) []*rules.Finding {
	if m.Cfg == nil || len(m.Cfg.Tables) == 0 {
		return nil
	}
	var out []*rules.Finding
	for _, tb := range m.Res.Tables {
		owner, ok := m.Cfg.Tables[tb.Name]
		if !ok {
			continue
		}
		byModule := map[string][]model.TableAccess{}
		var mods []string
		for _, a := range tb.Accesses {
			if a.Module == "" || a.Module == owner {
				continue
			}
			if byModule[a.Module] == nil {
				mods = append(mods, a.Module)
			}
			byModule[a.Module] = append(byModule[a.Module], a)
		}
		sort.Strings(mods)
		for _, mod := range mods {
			as := byModule[mod]
			f := m.finding(rules.ForeignTable)
			f.Message = fmt.Sprintf("module %s %s table %s, which .cleave.yaml gives to module %s; go through the API or events of %s instead",
				mod, opVerb(as), tb.Name, owner, owner)
			f.File, f.Line, f.Column = as[0].File, as[0].Line, 1
			f.Modules, f.Tables = []string{mod, owner}, []string{tb.Name}
			for _, a := range as {
				f.Related = append(f.Related, rules.Location{File: a.File, Line: a.Line, Column: 1, Message: a.Op + " " + tb.Name})
			}
			f.Fingerprint = rules.Fingerprint(f.Rule, tb.Name, mod)
			out = append(out, f)
		}
	}
	return out
}

func opVerb(as []model.TableAccess) string {
	r, w := false, false
	for _, a := range as {
		if a.Op == string(sqltables.Write) {
			w = true
		} else {
			r = true
		}
	}
	switch {
	case r && w:
		return "reads and writes"
	case w:
		return "writes"
	}
	return "reads"
}

func sharedDSNs(m *Input) []*rules.Finding {
	var out []*rules.Finding
	for _, gr := range m.Db.Conns {
		if len(gr.Deployables) < 2 {
			continue
		}
		f := m.finding(rules.SharedDSN)
		what := strings.Replace(strings.Replace(gr.Setting, "env:", "environment variable ", 1), "dsn:", "DSN ", 1)
		f.Message = fmt.Sprintf("deployables %s connect to a database through the same %s", andList(gr.Deployables), what)
		if gr.Via != "" {
			f.Message += " (" + gr.Via + ")"
		}
		sort.Slice(gr.Sites, func(i, j int) bool {
			if gr.Sites[i].File != gr.Sites[j].File {
				return gr.Sites[i].File < gr.Sites[j].File
			}
			return gr.Sites[i].Line < gr.Sites[j].Line
		})
		f.File, f.Line, f.Column = gr.Sites[0].File, gr.Sites[0].Line, 1
		f.Deployables = gr.Deployables
		for _, s := range gr.Sites {
			f.Related = append(f.Related, rules.Location{File: s.File, Line: s.Line, Column: 1,
				Message: fmt.Sprintf("%s connects through %s", s.Deployables[0], s.Setting)})
		}
		f.Fingerprint = rules.Fingerprint(f.Rule, gr.Setting)
		out = append(out, f)
	}
	return out
}

type strset map[string]bool

func set() strset { return strset{} }

func (s strset) add(x string) { s[x] = true }

func (s strset) sorted() []string {
	out := make([]string, 0, len(s))
	for x := range s {
		out = append(out, x)
	}
	sort.Strings(out)
	return out
}

func andList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func orNone(s []string) []string {
	if len(s) == 0 {
		return []string{"none"}
	}
	return s
}

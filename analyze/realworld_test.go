package analyze

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/rules"
)

// truth is one file of testdata/realworld: facts established by reading a repository before
// cleave ran on it (see testdata/realworld/README.md).
type truth struct {
	Repo        string `yaml:"repo"`
	Commit      string `yaml:"commit"`
	Shape       string `yaml:"shape"`
	Summary     string `yaml:"summary"`
	Deployables []struct {
		Dir  string `yaml:"dir"`
		Kind string `yaml:"kind"`
		Why  string `yaml:"why"`
	} `yaml:"deployables"`
	Boundaries struct {
		Violations    []truthImport `yaml:"violations"`
		NonViolations []truthImport `yaml:"nonViolations"`
	} `yaml:"boundaries"`
	Tables []struct {
		Name   string `yaml:"name"`
		Store  string `yaml:"store"`
		Access []struct {
			Dir  string `yaml:"dir"`
			Op   string `yaml:"op"`
			File string `yaml:"file"`
		} `yaml:"access"`
	} `yaml:"tables"`
	Calls []struct {
		From     string `yaml:"from"`
		To       string `yaml:"to"`
		Protocol string `yaml:"protocol"`
		File     string `yaml:"file"`
		Why      string `yaml:"why"`
	} `yaml:"calls"`
	Notes string `yaml:"notes"`
	// SharedTables and SharedSettings: tables that two or more shipping deployables read or
	// write, and connection settings that two or more connect through (absent: not established).
	SharedTables   []sharedFact `yaml:"sharedTables"`
	SharedSettings []sharedFact `yaml:"sharedSettings"`
	SharedNotes    string       `yaml:"sharedNotes"`
	// Audited holds what cleave found that the truth above does not list, each checked later
	// by opening the cited line: the truth stays as it was written, before cleave ran.
	Audited struct {
		Tables []struct {
			Name  string `yaml:"name"`
			Store string `yaml:"store"`
			Real  bool   `yaml:"real"`
			File  string `yaml:"file"`
			Line  int    `yaml:"line"`
			Why   string `yaml:"why"`
		} `yaml:"tables"`
	} `yaml:"audited"`
}

// sharedFact is a table (Name, Store) or a setting (Setting) and the deployables that share it.
type sharedFact struct {
	Name        string   `yaml:"name"`
	Store       string   `yaml:"store"`
	Setting     string   `yaml:"setting"`
	Deployables []string `yaml:"deployables"`
	Evidence    []struct {
		Deployable string `yaml:"deployable"`
		File       string `yaml:"file"`
		Line       int    `yaml:"line"`
	} `yaml:"evidence"`
	Why string `yaml:"why"`
}

type truthImport struct {
	From string `yaml:"from"`
	To   string `yaml:"to"`
	File string `yaml:"file"`
	Why  string `yaml:"why"`
}

func loadTruths(t *testing.T) map[string]*truth {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "realworld", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no scorecard files: %v", err)
	}
	out := map[string]*truth{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var tr truth
		dec := yaml.NewDecoder(strings.NewReader(string(data)))
		dec.KnownFields(true)
		if err := dec.Decode(&tr); err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		if want := strings.Replace(tr.Repo, "/", "__", 1); want != name {
			t.Errorf("%s: repo %s should be in %s.yaml", f, tr.Repo, want)
		}
		if len(tr.Commit) != 40 || tr.Shape == "" || len(tr.Deployables) == 0 || len(tr.Boundaries.NonViolations) < 5 {
			t.Errorf("%s: incomplete: a full commit, a shape, the deployables and five non-violations are required", f)
		}
		out[name] = &tr
	}
	return out
}

// factTypes are the fact types the scorecard scores, in the order it prints them.
var factTypes = []string{"deployables", "kinds", "boundary", "tables", "table names real", "calls", "shared tables", "shared settings"}

// count is what one fact type scored: found true, found false, expected and missed.
type count struct{ truePos, falsePos, missed int }

func (c count) String() string {
	p, r := "-", "-"
	if c.truePos+c.falsePos > 0 {
		p = fmt.Sprintf("%.2f", float64(c.truePos)/float64(c.truePos+c.falsePos))
	}
	if c.truePos+c.missed > 0 {
		r = fmt.Sprintf("%.2f", float64(c.truePos)/float64(c.truePos+c.missed))
	}
	return fmt.Sprintf("precision %s recall %s (tp %d, fp %d, fn %d)", p, r, c.truePos, c.falsePos, c.missed)
}

func (c *count) add(o count) { c.truePos += o.truePos; c.falsePos += o.falsePos; c.missed += o.missed }

// TestRealWorld scores cleave, with no configuration, against the scorecard. Without
// CLEAVE_REALWORLD it only checks that every scorecard file parses and is complete; with it,
// CLEAVE_REALWORLD/<file name> must be a checkout of the file's commit.
func TestRealWorld(t *testing.T) {
	truths := loadTruths(t)
	dir := os.Getenv("CLEAVE_REALWORLD")
	if dir == "" {
		t.Skip("set CLEAVE_REALWORLD=DIR to score cleave against checkouts in DIR")
	}
	names := make([]string, 0, len(truths))
	for n := range truths {
		names = append(names, n)
	}
	sort.Strings(names)
	total := map[string]*count{}
	scored, wrongVerdicts := 0, 0
	for _, name := range names {
		tr := truths[name]
		res, err := Run(context.Background(), Options{Dir: filepath.Join(dir, name), Version: "scorecard"})
		if err != nil && strings.Contains(err.Error(), "requires go >=") {
			t.Logf("%s: skipped, it needs a newer Go than this machine's: %v", name, err)
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		scores := scoreRepo(t, name, tr, res)
		var line []string
		for _, k := range factTypes {
			if total[k] == nil {
				total[k] = &count{}
			}
			total[k].add(scores[k])
			line = append(line, k+" "+scores[k].String())
		}
		verdict := "right"
		if !shapeMatches(tr.Shape, res.Architecture.Current) {
			verdict = "wrong"
			wrongVerdicts++
		}
		t.Logf("%s: %d boundary findings; shape %s, cleave says %s (%s)\n\t%s", name, boundaryFindings(res), tr.Shape,
			res.Architecture.Current, verdict, strings.Join(line, "\n\t"))
		scored++
	}
	t.Logf("all: verdict right on %d of %d repositories", scored-wrongVerdicts, scored)
	for _, k := range factTypes {
		t.Logf("all: %-16s %s", k, total[k])
	}
}

func boundaryFindings(res *model.Result) int {
	n := 0
	for _, f := range res.Findings {
		if strings.HasPrefix(f.Rule, "boundary/") {
			n++
		}
	}
	return n
}

func scoreRepo(t *testing.T, name string, tr *truth, res *model.Result) map[string]count {
	out := map[string]count{}
	// Deployables by directory, and the kinds of those found.
	got := map[string]string{}
	for _, d := range res.Deployables {
		got[d.Dir] = d.Kind
	}
	var dep, kind count
	want := map[string]bool{}
	for _, d := range tr.Deployables {
		want[d.Dir] = true
		k, ok := got[d.Dir]
		if !ok {
			dep.missed++
			t.Logf("%s: missed deployable %s (%s)", name, d.Dir, d.Kind)
			continue
		}
		dep.truePos++
		if k == d.Kind {
			kind.truePos++
		} else {
			kind.falsePos++
			kind.missed++
			t.Logf("%s: %s is a %s, cleave says %s", name, d.Dir, d.Kind, k)
		}
	}
	for d := range got {
		if !want[d] {
			dep.falsePos++
			t.Logf("%s: deployable %s is not in the scorecard", name, d)
		}
	}
	out["deployables"], out["kinds"] = dep, kind
	out["boundary"] = scoreBoundaries(t, name, tr, res)
	out["tables"], out["table names real"] = scoreTables(t, name, tr, res)
	out["calls"] = scoreCalls(t, name, tr, res)
	out["shared tables"], out["shared settings"] = scoreShared(t, name, tr, res)
	return out
}

// scoreShared scores what two or more shipping deployables share: a table by its name and
// store, a connection setting by the deployables that connect through it; either is true when
// cleave names the same deployables. Tools and bundles share nothing.
func scoreShared(t *testing.T, name string, tr *truth, res *model.Result) (tables, settings count) {
	dirOf := map[string]string{}
	for _, d := range res.Deployables {
		if d.Kind != model.KindTool && !d.IsBundle() {
			dirOf[d.Name] = d.Dir
		}
	}
	dirs := func(names []string) string {
		var ds []string
		for _, n := range names {
			if d, ok := dirOf[n]; ok && !slices.Contains(ds, d) {
				ds = append(ds, d)
			}
		}
		sort.Strings(ds)
		return strings.Join(ds, ",")
	}
	score := func(kind string, want []sharedFact, got map[string]string) count {
		var c count
		wanted := map[string]bool{}
		for _, f := range want {
			ds := slices.Sorted(slices.Values(f.Deployables))
			k := strings.Join(ds, ",")
			if kind == "table" {
				k = strings.ToLower(f.Name) + "|" + f.Store + "|" + k
			}
			wanted[k] = true
		}
		for _, k := range slices.Sorted(maps.Keys(got)) {
			if wanted[k] {
				c.truePos++
				continue
			}
			c.falsePos++
			t.Logf("%s: shared %s %s (%s) is not in the scorecard", name, kind, k, got[k])
		}
		for _, k := range slices.Sorted(maps.Keys(wanted)) {
			if _, ok := got[k]; !ok {
				c.missed++
				t.Logf("%s: missed shared %s %s", name, kind, k)
			}
		}
		return c
	}
	if tr.SharedTables != nil {
		got := map[string]string{}
		for _, tb := range res.Tables {
			var names []string
			for _, a := range tb.Accesses {
				for _, d := range a.Deployables {
					if !slices.Contains(a.Chosen, d) { // used only as configured
						names = append(names, d)
					}
				}
			}
			if ds := dirs(names); strings.Contains(ds, ",") {
				got[strings.ToLower(tb.Name)+"|"+tb.Store+"|"+ds] = tb.Name
			}
		}
		tables = score("table", tr.SharedTables, got)
	}
	if tr.SharedSettings != nil {
		bySetting := map[string][]string{}
		for _, c := range res.Connections {
			bySetting[c.Setting] = append(bySetting[c.Setting], c.Deployables...)
		}
		got := map[string]string{}
		for setting, names := range bySetting {
			if ds := dirs(names); strings.Contains(ds, ",") {
				got[ds] = setting
			}
		}
		settings = score("setting", tr.SharedSettings, got)
	}
	return tables, settings
}

// scoreBoundaries: a finding on a known violation is true, on a known non-violation false; a
// finding on neither is listed for a person to judge and counted as false until judged.
func scoreBoundaries(t *testing.T, name string, tr *truth, res *model.Result) count {
	var c count
	key := func(file, to string) string { return file + " -> " + to }
	viol, fine := map[string]bool{}, map[string]bool{}
	for _, v := range tr.Boundaries.Violations {
		viol[key(v.File, v.To)] = true
	}
	for _, v := range tr.Boundaries.NonViolations {
		fine[key(v.File, v.To)] = true
	}
	hit := map[string]bool{}
	for _, f := range res.Findings {
		if f.Rule != rules.PrivateImport && f.Rule != rules.ForbiddenDependency {
			continue
		}
		to := importedDir(f, res)
		k := key(f.File, to)
		switch {
		case viol[k]:
			c.truePos++
			hit[k] = true
		case fine[k]:
			c.falsePos++
			t.Logf("%s: false boundary finding on a known non-violation: %s", name, f.Text())
		default:
			c.falsePos++
			t.Logf("%s: unjudged boundary finding: %s", name, f.Text())
		}
	}
	for k := range viol {
		if !hit[k] {
			c.missed++
			t.Logf("%s: missed boundary violation %s", name, k)
		}
	}
	return c
}

// importedDir is the directory of the package a boundary finding's import names.
func importedDir(f *rules.Finding, res *model.Result) string {
	for _, d := range res.Dependencies {
		for _, e := range d.Imports {
			if e.File == f.File && e.Line == f.Line && e.Column == f.Column {
				return e.Imports
			}
		}
	}
	return ""
}

// scoreTables scores table names: a table cleave reports that the scorecard lists is true.
// named counts, besides, the tables the scorecard's audit found real on opening the code: a
// name the truth left out (a legacy table a migration still reads) is no invented name.
func scoreTables(t *testing.T, name string, tr *truth, res *model.Result) (c, named count) {
	if tr.Tables == nil {
		return c, named
	}
	want := map[string]bool{}
	for _, tb := range tr.Tables {
		want[strings.ToLower(tb.Name)] = true
	}
	audited := map[string]string{}
	for _, a := range tr.Audited.Tables {
		verdict := "invented"
		if a.Real {
			verdict = "real"
		}
		audited[strings.ToLower(a.Name)] = fmt.Sprintf("%s (%s:%d)", verdict, a.File, a.Line)
	}
	got := map[string]bool{}
	for _, tb := range res.Tables {
		n := strings.ToLower(tb.Name)
		got[n] = true
		if want[n] {
			c.truePos++
			named.truePos++
			continue
		}
		c.falsePos++
		if v, ok := audited[n]; ok {
			if strings.HasPrefix(v, "real") {
				named.truePos++
			} else {
				named.falsePos++
			}
			t.Logf("%s: table %s (%s) is not in the scorecard; audited %s", name, tb.Name, tb.Store, v)
			continue
		}
		named.falsePos++
		t.Logf("%s: table %s (%s) is not in the scorecard, nor audited", name, tb.Name, tb.Store)
	}
	for _, n := range slices.Sorted(maps.Keys(want)) {
		if !got[n] {
			c.missed++
			named.missed++
			t.Logf("%s: missed table %s", name, n)
		}
	}
	return c, named
}

// scoreCalls scores calls between deployables by their directories.
func scoreCalls(t *testing.T, name string, tr *truth, res *model.Result) count {
	var c count
	if tr.Calls == nil {
		return c
	}
	dirOf := map[string]string{}
	for _, d := range res.Deployables {
		dirOf[d.Name] = d.Dir
	}
	want := map[string]bool{}
	for _, call := range tr.Calls {
		want[call.From+" -> "+call.To] = true
	}
	got := map[string]bool{}
	for _, call := range res.Calls {
		if call.External {
			// The truth files cover calls between Go deployables; a call to a service in another
			// language is checked by hand against their notes.
			t.Logf("%s: external call %s -> %s (%s, %s:%d), outside the scorecard", name, dirOf[call.From], call.To, call.Protocol, call.File, call.Line)
			continue
		}
		k := dirOf[call.From] + " -> " + dirOf[call.To]
		if got[k] {
			continue
		}
		got[k] = true
		if want[k] {
			c.truePos++
		} else {
			c.falsePos++
			t.Logf("%s: call %s (%s, %s:%d) is not in the scorecard", name, k, call.Protocol, call.File, call.Line)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(want)) {
		if !got[k] {
			c.missed++
			t.Logf("%s: missed call %s", name, k)
		}
	}
	return c
}

// shapeMatches reports whether cleave's architecture today fits a scorecard shape: "services"
// is any architecture of several runtime deployables (microservices, or a distributed monolith
// when they share data or chain calls).
func shapeMatches(shape, current string) bool {
	switch shape {
	case "services":
		return current == "microservices" || current == "distributed-monolith" || current == "hybrid"
	case "serverless":
		return current == "serverless"
	}
	return shape == current
}

package analyze

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/cleave-dev/cleave/analyze/manifests"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/system"
	"github.com/cleave-dev/cleave/rules"
)

// systemTruth is one file of testdata/realworld/systems: the facts of a system of several
// repositories, established by reading them before cleave ran on them.
type systemTruth struct {
	System       string `yaml:"system"`
	Repositories []struct {
		Repo     string `yaml:"repo"`
		Commit   string `yaml:"commit"`
		Role     string `yaml:"role"`
		Language string `yaml:"language"`
	} `yaml:"repositories"`
	Deployables []struct {
		Repo     string  `yaml:"repo"`
		Dir      string  `yaml:"dir"`
		Kind     string  `yaml:"kind"`
		Language string  `yaml:"language"`
		Name     *string `yaml:"name"`
	} `yaml:"deployables"`
	CrossRepoCalls []struct {
		FromRepo string `yaml:"fromRepo"`
		ToRepo   string `yaml:"toRepo"`
		Protocol string `yaml:"protocol"`
		File     string `yaml:"file"`
		Line     int    `yaml:"line"`
	} `yaml:"crossRepoCalls"`
	SharedDatabases []struct {
		Repos []string `yaml:"repos"`
	} `yaml:"sharedDatabases"`
}

// short is a repository's name in the system: owner/name is name.
func short(repo string) string { return repo[strings.LastIndexByte(repo, '/')+1:] }

// TestRealWorldSystems scores the system view against testdata/realworld/systems. Without
// CLEAVE_REALWORLD_SYSTEMS it checks that each file parses; with it, each repository of a
// system must be checked out at its commit in CLEAVE_REALWORLD_SYSTEMS/<system>/<name>
// (repositories not checked out are left out of the system and of the score).
func TestRealWorldSystems(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "realworld", "systems", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no system truth files: %v", err)
	}
	root := os.Getenv("CLEAVE_REALWORLD_SYSTEMS")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var tr systemTruth
		if err := yaml.Unmarshal(data, &tr); err != nil || tr.System == "" || len(tr.Repositories) < 2 {
			t.Fatalf("%s: %v (a system needs its name and two or more repositories)", f, err)
		}
		if root == "" {
			continue
		}
		spec := &system.Spec{Name: tr.System}
		present := map[string]bool{}
		for _, r := range tr.Repositories {
			dir := filepath.Join(root, tr.System, short(r.Repo))
			if _, err := os.Stat(dir); err != nil {
				t.Logf("%s: %s not checked out: left out", tr.System, r.Repo)
				continue
			}
			present[short(r.Repo)] = true
			spec.Repos = append(spec.Repos, system.RepoSpec{Name: short(r.Repo), Path: short(r.Repo), Dir: dir, Deployment: r.Role == "deployment"})
		}
		res, err := RunSystem(context.Background(), spec, Options{}, func(string) (*rules.Config, error) { return nil, nil })
		if err != nil {
			t.Fatalf("%s: %v", tr.System, err)
		}
		scoreSystem(t, &tr, res, present)
	}
}

func scoreSystem(t *testing.T, tr *systemTruth, res *model.Result, present map[string]bool) {
	// Services: a Go deployable by repository, directory and kind; one in another language by
	// its name among the services the system deploys without Go.
	var deps, services count
	found := map[string]bool{}
	for _, d := range res.Deployables {
		found[d.Repository+"|"+strings.TrimPrefix(strings.TrimPrefix(d.Dir, d.Repository), "/")+"|"+d.Kind] = true
	}
	external := map[string]bool{}
	for _, x := range res.ExternalServices {
		external[manifests.NormName(x.Name)] = true
	}
	want := map[string]bool{}
	for _, d := range tr.Deployables {
		if !present[short(d.Repo)] {
			continue
		}
		dir := strings.TrimPrefix(d.Dir, ".")
		if d.Language == "go" {
			k := short(d.Repo) + "|" + dir + "|" + d.Kind
			want[k] = true
			if found[k] {
				deps.truePos++
			} else {
				deps.missed++
				t.Logf("%s: missed deployable %s", tr.System, k)
			}
			continue
		}
		if d.Name != nil {
			if external[manifests.NormName(*d.Name)] {
				services.truePos++
			} else {
				services.missed++
				t.Logf("%s: missed service %s (%s), deployed but not Go", tr.System, *d.Name, d.Language)
			}
		}
	}
	for k := range found {
		if !want[k] {
			deps.falsePos++
			t.Logf("%s: deployable %s is not in the truth", tr.System, k)
		}
	}
	// Calls across repositories, from Go code: by caller's repository, file and line (two lines
	// either way: a call spread over lines), and callee's repository.
	repoOf := map[string]string{}
	for _, d := range res.Deployables {
		repoOf[d.Name] = d.Repository
	}
	for _, x := range res.ExternalServices {
		repoOf[x.Name] = x.Repository
	}
	var calls count
	matched := map[int]bool{}
	for _, c := range tr.CrossRepoCalls {
		from := short(c.FromRepo)
		if !present[from] || !present[short(c.ToRepo)] || res.Repositories == nil || !isCode(res, from) {
			continue
		}
		hit := -1
		for i, rc := range res.Calls {
			file := strings.TrimPrefix(rc.File, from+"/")
			if repoOf[rc.From] == from && repoOf[rc.To] == short(c.ToRepo) && file == c.File && rc.Line >= c.Line-2 && rc.Line <= c.Line+2 {
				hit = i
			}
		}
		if hit >= 0 {
			calls.truePos++
			matched[hit] = true
		} else {
			calls.missed++
			t.Logf("%s: missed call %s %s:%d -> %s (%s)", tr.System, from, c.File, c.Line, short(c.ToRepo), c.Protocol)
		}
	}
	for i, rc := range res.Calls {
		if repoOf[rc.From] != repoOf[rc.To] && repoOf[rc.To] != "" && !matched[i] {
			calls.falsePos++
			t.Logf("%s: call %s -> %s at %s:%d is not in the truth", tr.System, rc.From, rc.To, rc.File, rc.Line)
		}
	}
	// Shared databases: by the repositories they tie.
	var dbs count
	have := map[string]bool{}
	for _, c := range res.Couplings {
		if c.Kind == model.CouplingDatabase {
			have[strings.Join(c.Repositories, ",")] = true
		}
	}
	for _, s := range tr.SharedDatabases {
		var rs []string
		for _, r := range s.Repos {
			rs = append(rs, short(r))
		}
		slices.Sort(rs)
		k := strings.Join(rs, ",")
		if have[k] {
			dbs.truePos++
			delete(have, k)
		} else {
			dbs.missed++
			t.Logf("%s: missed shared database of %s", tr.System, k)
		}
	}
	dbs.falsePos += len(have)
	t.Logf("%s: go deployables   %s", tr.System, deps)
	t.Logf("%s: other services   %s", tr.System, services)
	t.Logf("%s: calls across     %s", tr.System, calls)
	t.Logf("%s: shared databases %s", tr.System, dbs)
}

func isCode(res *model.Result, repo string) bool {
	for _, r := range res.Repositories {
		if r.Name == repo {
			return r.Role == model.RoleCode
		}
	}
	return false
}

// splits are scorecard repositories whose services each have a module of their own: analysed as
// a system of their directories, they must show the same service graph and findings as
// analysed whole.
var splits = map[string][]string{
	"GoogleCloudPlatform__microservices-demo": {"src/frontend", "src/checkoutservice", "src/productcatalogservice", "src/shippingservice",
		"src/adservice", "src/cartservice", "src/currencyservice", "src/emailservice", "src/paymentservice", "src/recommendationservice",
		"kubernetes-manifests"},
}

// TestRealWorldSplit: with CLEAVE_REALWORLD set, each repository of splits analysed as a system
// of its directories has the service graph it has whole.
func TestRealWorldSplit(t *testing.T) {
	root := os.Getenv("CLEAVE_REALWORLD")
	if root == "" {
		t.Skip("CLEAVE_REALWORLD names no checkouts")
	}
	for name, dirs := range splits {
		whole, err := Run(context.Background(), Options{Dir: filepath.Join(root, name)})
		if err != nil {
			t.Fatal(err)
		}
		var paths []string
		for _, d := range dirs {
			paths = append(paths, filepath.Join(root, name, d))
		}
		spec, err := system.FromDirs(paths)
		if err != nil {
			t.Fatal(err)
		}
		sys, err := RunSystem(context.Background(), spec, Options{}, func(string) (*rules.Config, error) { return nil, nil })
		if err != nil {
			t.Fatal(err)
		}
		edges := func(res *model.Result) []string {
			var out []string
			for _, c := range res.Calls {
				if e := c.From + " → " + c.To + " " + c.Protocol; !slices.Contains(out, e) {
					out = append(out, e)
				}
			}
			slices.Sort(out)
			return out
		}
		rulesOf := func(res *model.Result) []string {
			var out []string
			for _, f := range res.Findings {
				out = append(out, f.Rule+" "+strings.Join(f.Deployables, ","))
			}
			slices.Sort(out)
			return out
		}
		if a, b := edges(whole), edges(sys); !slices.Equal(a, b) {
			t.Errorf("%s: whole, calls %q; as a system, %q", name, a, b)
		}
		if a, b := rulesOf(whole), rulesOf(sys); !slices.Equal(a, b) {
			t.Errorf("%s: whole, findings %q; as a system, %q", name, a, b)
		}
		t.Logf("%s: %d call edges and %d findings, the same whole and split into %d repositories", name, len(edges(sys)), len(sys.Findings), len(dirs))
	}
}

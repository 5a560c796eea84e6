package system

import (
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/cleave-dev/cleave/analyze/load"
	"github.com/cleave-dev/cleave/analyze/manifests"
	"github.com/cleave-dev/cleave/analyze/model"
)

// Deployment is what a deployment repository holds: its docker-compose services and its
// Kubernetes and serverless files, read against the deployables of the whole system.
type Deployment struct {
	Root     string
	Services []manifests.ComposeService
	// Files are its Kubernetes and serverless files, relative to Root.
	Files    []string
	Warnings []model.Warning
	// GoFiles counts its .go files: Go code without a go.mod, which is not analysed.
	GoFiles int
	// GoModule is set when a go.mod lies under Root: a code repository.
	GoModule bool
}

// ReadDeployment walks a repository once and reads its manifests: a deployment repository's,
// or a code repository's own (which may run the other repositories' programs too).
func ReadDeployment(dir string) (*Deployment, error) {
	t, err := load.Walk(dir, nil)
	if err != nil && !errors.Is(err, load.ErrNoModule) {
		return nil, err
	}
	d := &Deployment{Root: dir, Files: t.Deploy, Warnings: t.Warnings, GoFiles: len(t.GoFiles), GoModule: err == nil && len(t.ModDirs) > 0}
	var warns []model.Warning
	d.Services, warns = manifests.ReadCompose(dir, t.Compose)
	d.Warnings = append(d.Warnings, warns...)
	return d, nil
}

// proxyImages are reverse proxies and gateways: infrastructure in front of the services,
// no service of the system themselves.
var proxyImages = regexp.MustCompile(`(?i)(^|/)(nginx|traefik|envoy|haproxy|caddy|httpd)([-:/_.]|$)`)

// runs is one way a deployment runs a deployable: a docker-compose service, a Kubernetes
// workload, with the environment it sets.
type runs struct {
	env   map[string]string
	where string // the manifest, qualified by its repository
}

// placement is what the deployment repositories say of the deployables: how each is run,
// the host names that reach it, and the services they run that no repository builds.
type placement struct {
	runs      map[string][]runs // deployable -> the manifests that run it
	aliases   map[string]string // folded host name -> deployable
	externals []model.ExternalService
	evidence  map[string][]string // deployable -> "deploy/docker-compose.yaml runs it as service x"
	// known maps the folded names the deployables answer to (names) to them.
	known map[string]string
}

// langAffix strips what names a repository's language rather than its service: product-api-go
// builds product-api.
func langAffix(s string) string {
	l := strings.ToLower(s)
	for _, suf := range []string{"-golang", "_golang", "-go", "_go", ".go"} {
		if t, ok := strings.CutSuffix(l, suf); ok && t != "" {
			return s[:len(t)]
		}
	}
	if t, ok := strings.CutPrefix(l, "go-"); ok && t != "" {
		return s[3:]
	}
	return s
}

// imageName is an image's name without registry, owner or tag: ghcr.io/acme/orders:1.2 is
// orders.
func imageName(image string) string {
	if i := strings.LastIndexByte(image, '@'); i >= 0 {
		image = image[:i]
	}
	if i := strings.LastIndexByte(image, ':'); i > strings.LastIndexByte(image, '/') {
		image = image[:i]
	}
	return path.Base(image)
}

// names lists what each shipping deployable of the system answers to in a deployment
// manifest, folded: its own name, and its repository's (less a language affix) where the
// repository ships that one deployable. A folded name two deployables answer to is neither's.
func names(sys *model.Result, repos []Repo) map[string]string {
	byNorm := map[string][]string{}
	add := func(n, dep string) {
		k := manifests.NormName(n)
		if k != "" && !slices.Contains(byNorm[k], dep) {
			byNorm[k] = append(byNorm[k], dep)
		}
	}
	perRepo := map[string][]string{}
	for _, d := range sys.Deployables {
		if d.Kind == model.KindTool || d.IsBundle() {
			continue
		}
		perRepo[d.Repository] = append(perRepo[d.Repository], d.Name)
		add(d.Name, d.Name)
		if local, ok := strings.CutPrefix(d.Name, d.Repository+"/"); ok {
			add(local, d.Name)
		}
	}
	for _, r := range repos {
		if ds := perRepo[r.Name]; len(ds) == 1 {
			add(r.Name, ds[0])
			add(langAffix(r.Name), ds[0])
		}
	}
	out := map[string]string{}
	for k, ds := range byNorm {
		if len(ds) == 1 {
			out[k] = ds[0]
		}
	}
	return out
}

// place matches what the deployment repositories run to the deployables of the system: a
// docker-compose service by its build context, else by its name or its image's; a Kubernetes
// workload by its name, its containers' or their images'.
func place(sys *model.Result, repos []Repo) *placement {
	known := names(sys, repos)
	pl := &placement{runs: map[string][]runs{}, aliases: map[string]string{}, evidence: map[string][]string{}, known: known}
	byDir, dirOf := map[string]string{}, map[string]string{}
	for _, d := range sys.Deployables {
		if d.Kind != model.KindTool && !d.IsBundle() {
			byDir[d.Dir], dirOf[d.Name] = d.Name, d.Dir
		}
	}
	byName := map[string][]string{} // what ReadDeployFor matches workloads by
	for k, dep := range known {
		byName[k] = []string{dirOf[dep]}
	}
	var ext model.ExternalSet
	// run records a manifest that runs dep with env, and a host name that reaches it; a
	// Kubernetes Service (isRun false) only names it.
	run := func(dep string, env map[string]string, where, alias string, isRun bool) {
		if isRun {
			pl.runs[dep] = append(pl.runs[dep], runs{env: env, where: where})
		}
		if k := manifests.NormName(alias); k != "" {
			if _, taken := pl.aliases[k]; !taken {
				pl.aliases[k] = dep
			}
		}
	}
	for _, r := range repos {
		if r.Deploy == nil {
			continue
		}
		for _, s := range r.Deploy.Services {
			where := r.Name + "/" + s.File
			dep := ""
			if ctx := s.Context(); ctx != "" {
				dep = builtBy(filepath.Join(r.Deploy.Root, filepath.FromSlash(ctx)), repos, byDir, known)
			}
			for _, n := range []string{s.Name, imageName(s.Image)} {
				if dep == "" && n != "" {
					dep = known[manifests.NormName(n)]
				}
			}
			switch {
			case dep != "":
				run(dep, s.Env, where, s.Name, true)
				pl.evidence[dep] = appendNew(pl.evidence[dep], fmt.Sprintf("%s runs it as service %s", where, s.Name))
			case s.Image != "" && !manifests.InfraImage(s.Image) && !proxyImages.MatchString(s.Image) && !proxyImages.MatchString(s.Name):
				ext.Add(s.Name, "", fmt.Sprintf("%s runs service %s (image %s), which no repository of the system builds", where, s.Name, s.Image))
			}
		}
		decls, warns := manifests.ReadDeployFor(r.Deploy.Root, r.Deploy.Files, byName)
		r.Deploy.Warnings = append(r.Deploy.Warnings, warns...)
		for _, dc := range decls {
			by := r.Name + "/" + dc.By
			switch {
			case dc.External != "" && !proxyImages.MatchString(dc.External): // a workload running a proxy is none
				ext.Add(dc.External, dc.Alias, by)
			case dc.Dir != "" && byDir[dc.Dir] != "":
				dep := byDir[dc.Dir]
				run(dep, dc.Vars, by, dc.Alias, dc.Alias == "")
				pl.evidence[dep] = appendNew(pl.evidence[dep], by)
			}
		}
	}
	pl.externals = ext.List()
	slices.SortFunc(pl.externals, func(a, b model.ExternalService) int { return strings.Compare(a.Name, b.Name) })
	return pl
}

// builtBy returns the deployable a build context builds: the one in that directory of a
// repository, or the repository's only one when the context is the repository itself.
func builtBy(abs string, repos []Repo, byDir map[string]string, known map[string]string) string {
	for _, r := range repos {
		if r.Res == nil {
			continue
		}
		rel, err := filepath.Rel(r.Dir, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		qd := r.Name
		if rel != "." {
			qd += "/" + filepath.ToSlash(rel)
		}
		if dep := byDir[qd]; dep != "" {
			return dep
		}
		if rel == "." {
			return known[manifests.NormName(r.Name)]
		}
	}
	return ""
}

func appendNew(s []string, x string) []string {
	if slices.Contains(s, x) {
		return s
	}
	return append(s, x)
}

package manifests

import (
	"maps"
	"path"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/cleave-dev/cleave/analyze/astutil"
	"github.com/cleave-dev/cleave/analyze/model"
)

// ComposeService is one service of a docker-compose file.
type ComposeService struct {
	Name       string
	File       string
	built      bool   // the service has a build section: it is built from this repository
	contextArg string // the build context as written in the file
	context    string // build context, relative to the analysed root
	dockerfile string // relative to the analysed root
	Env        map[string]string
	// Image is the image the service runs, as written ("" when none).
	Image string
}

// Context returns the service's build context, relative to the analysed root ("" when the
// service is not built).
func (s ComposeService) Context() string { return s.context }

func IsCompose(name string) bool {
	if !strings.HasSuffix(name, ".yml") && !strings.HasSuffix(name, ".yaml") {
		return false
	}
	// docker_compose.yaml and docker-compose-dev.yml are spelled so as often as the canonical names.
	base := strings.ReplaceAll(strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(name, ".yml"), ".yaml")), "_", "-")
	return base == "compose" || base == "docker-compose" || strings.HasPrefix(base, "docker-compose.") ||
		strings.HasPrefix(base, "docker-compose-") || strings.HasPrefix(base, "compose.")
}

// ReadCompose reads the services of the docker-compose files found by the walk.
func ReadCompose(root string, files []string) ([]ComposeService, []model.Warning) {
	var out []ComposeService
	var warns []model.Warning
	readErrs := forEachFile(root, files, func(f string, data []byte) {
		var doc struct {
			Services map[string]struct {
				Build       yaml.Node `yaml:"build"`
				Environment yaml.Node `yaml:"environment"`
				Image       yaml.Node `yaml:"image"`
			} `yaml:"services"`
		}
		if err := yaml.Unmarshal(data, &doc); err != nil {
			warns = append(warns, model.Warning{Subject: f, Message: "not read: " + astutil.FirstLine(err.Error())})
			return
		}
		dir := path.Dir(f)
		for name, svc := range doc.Services {
			cs := ComposeService{Name: name, File: f, Env: map[string]string{}}
			if svc.Image.Kind == yaml.ScalarNode {
				cs.Image = svc.Image.Value
			}
			cs.built = svc.Build.Kind != 0
			switch svc.Build.Kind {
			case yaml.ScalarNode:
				cs.contextArg = svc.Build.Value
				cs.context = path.Join(dir, svc.Build.Value)
			case yaml.MappingNode:
				var b struct {
					Context    string `yaml:"context"`
					Dockerfile string `yaml:"dockerfile"`
				}
				if svc.Build.Decode(&b) == nil {
					cs.contextArg = b.Context
					cs.context = path.Join(dir, b.Context)
					if b.Dockerfile != "" {
						cs.dockerfile = path.Join(cs.context, b.Dockerfile)
					}
				}
			}
			if cs.context != "" && cs.dockerfile == "" {
				cs.dockerfile = path.Join(cs.context, "Dockerfile")
			}
			switch svc.Environment.Kind {
			case yaml.MappingNode:
				var m map[string]any
				if svc.Environment.Decode(&m) == nil {
					for k, v := range m {
						if v != nil {
							cs.Env[k] = strings.TrimSpace(yamlScalar(v))
						}
					}
				}
			case yaml.SequenceNode:
				var l []string
				if svc.Environment.Decode(&l) == nil {
					for _, kv := range l {
						if k, v, ok := strings.Cut(kv, "="); ok {
							cs.Env[k] = v
						}
					}
				}
			}
			out = append(out, cs)
		}
	})
	warns = append(warns, readErrs...)
	sort.Slice(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		return out[i].Name < out[j].Name
	})
	return out, warns
}

func yamlScalar(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case bool:
		if v {
			return "true"
		}
		return "false"
	}
	b, _ := yaml.Marshal(v)
	return strings.TrimSpace(string(b))
}

// ComposeEnv is the environment docker-compose gives a deployable: every variable of the
// services that run it (ComposeFor), the later service's value winning.
func ComposeEnv(d model.Deployable, services []ComposeService, ships *Shipping) map[string]string {
	env := map[string]string{}
	for _, s := range ComposeFor(d, services, ships) {
		maps.Copy(env, s.Env)
	}
	return env
}

// ComposeFor returns the compose services that run a deployable: by name, by build context,
// or by a Dockerfile that builds it.
func ComposeFor(d model.Deployable, services []ComposeService, ships *Shipping) []ComposeService {
	var out []ComposeService
	for _, s := range services {
		switch {
		case s.Name == d.Name, s.context != "" && s.context == d.Dir:
			out = append(out, s)
		case s.dockerfile != "" && slices.Contains(ships.byManifest[s.dockerfile], d.Dir):
			out = append(out, s)
		}
	}
	return out
}

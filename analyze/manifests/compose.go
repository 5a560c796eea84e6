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
	"github.com/cleave-dev/cleave/internal/safefs"
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
				EnvFile     yaml.Node `yaml:"env_file"`
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
			for _, ef := range envFiles(svc.EnvFile) { // the environment below overrides them
				rel := path.Join(dir, ef)
				if path.IsAbs(ef) || rel == ".." || strings.HasPrefix(rel, "../") {
					continue // outside the analysed directory: never read
				}
				if data, err := safefs.ReadIn(root, rel, safefs.Manifest); err == nil {
					maps.Copy(cs.Env, ParseEnvFile(data))
				} // an absent .env (kept out of git) tells nothing, and is no warning
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

// envFiles lists the files of a service's env_file: a path, a list of paths, or a list of
// {path, required} mappings.
func envFiles(n yaml.Node) []string {
	switch n.Kind {
	case yaml.ScalarNode:
		return []string{n.Value}
	case yaml.SequenceNode:
		var out []string
		for _, e := range n.Content {
			switch e.Kind {
			case yaml.ScalarNode:
				out = append(out, e.Value)
			case yaml.MappingNode:
				var m struct {
					Path string `yaml:"path"`
				}
				if e.Decode(&m) == nil && m.Path != "" {
					out = append(out, m.Path)
				}
			}
		}
		return out
	}
	return nil
}

// ParseEnvFile reads a .env file as docker-compose does: NAME=value lines, with # comments,
// blank lines, an optional export, and values in single or double quotes.
func ParseEnvFile(data []byte) map[string]string {
	env := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			continue
		}
		v = strings.TrimSpace(v)
		switch {
		case len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\''):
			v = v[1 : len(v)-1]
		case strings.Contains(v, " #"):
			v = strings.TrimSpace(v[:strings.Index(v, " #")])
		}
		env[k] = v
	}
	return env
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

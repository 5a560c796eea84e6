package manifests

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/internal/safefs"
)

func IsServerless(name string) bool { return name == "serverless.yml" || name == "serverless.yaml" }

func IsSAM(name string) bool { return name == "template.yaml" || name == "template.yml" }

// yamlDocs parses every document of a YAML file; a file that does not parse yields none.
func yamlDocs(data []byte) []*yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var out []*yaml.Node
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			return out
		}
		if len(n.Content) > 0 {
			out = append(out, n.Content[0])
		}
	}
}

// get walks a mapping node by keys.
func get(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
				break
			}
		}
		n = next
	}
	return n
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// NormName folds a name for matching: lower case, no separators, no -service/-svc suffix.
func NormName(s string) string {
	s = strings.ToLower(s)
	for _, suf := range []string{"-service", "_service", "service", "-svc", "_svc", "-server", "_server", "-api", "_api"} {
		if t := strings.TrimSuffix(s, suf); t != "" && t != s {
			s = t
			break
		}
	}
	return strings.NewReplacer("-", "", "_", "", ".", "").Replace(s)
}

// Declared is a deployment declaration matched to a main package.
type Declared struct {
	Dir, By  string
	Function bool
	// consumes are the topics the function is subscribed to: "sqs:orders", "eventbridge:ordercreated".
	Consumes []string
	// alias is a host name that reaches the deployable: a Kubernetes Service selecting its pods.
	Alias string
	// zeroTrust marks a service-mesh policy (Istio PeerAuthentication, AuthorizationPolicy); dir is empty.
	ZeroTrust bool
	// External names a service the repository deploys that no Go main package here builds (a
	// cart service in C#): dir is empty; Alias, when set, is a host name that reaches it.
	External string
	// Env are the environment variables a template gives the function that name a resource of
	// the template (TABLE: !Ref Table): variable -> the resource's logical name.
	Env map[string]string
	// Stack is the template (serverless.yml, SAM) that declares the function: functions of one
	// stack are one application, deployed together.
	Stack string
	// Vars are the environment variables a Kubernetes workload's containers set to a literal
	// value (PRODUCT_API_URI: http://products-api:9090).
	Vars map[string]string
}

// k8sWorkload and k8sService are what Service resolution needs of a manifest.
type k8sWorkload struct {
	labels   map[string]string
	dirs     []string
	external string // the workload's name, when it runs no Go main package of the repository
}

// infraImages are images of databases, brokers and observability back ends: a workload running
// one is infrastructure, not a service of the system, and never an external node.
var infraImages = regexp.MustCompile(`(?i)(^|/)(postgres|postgis|mysql|mariadb|mongo|redis|valkey|memcached|elasticsearch|opensearch|cassandra|scylla|clickhouse|cockroach|couchdb|influxdb|dynamodb-local|localstack|minio|kafka|zookeeper|redpanda|rabbitmq|nats|pulsar|etcd|consul|vault|jaeger|zipkin|otel|opentelemetry|prometheus|grafana|loki|tempo|alertmanager|busybox|alpine|curl)([-:/_.]|$)`)

// InfraImage reports whether an image runs infrastructure (a database, a broker, an
// observability back end) rather than a service of the system.
func InfraImage(image string) bool { return infraImages.MatchString(image) }

type k8sService struct {
	name, file string
	selector   map[string]string
}

func stringMap(n *yaml.Node) map[string]string {
	out := map[string]string{}
	if n != nil && n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			out[n.Content[i].Value] = n.Content[i+1].Value
		}
	}
	return out
}

// serverlessEvents reads a serverless.yml function's events into topics.
func serverlessEvents(fn *yaml.Node) []string {
	var out []string
	evs := get(fn, "events")
	if evs == nil || evs.Kind != yaml.SequenceNode {
		return nil
	}
	for _, ev := range evs.Content {
		for _, kind := range []string{"sqs", "sns", "kafka", "eventBridge"} {
			e := get(ev, kind)
			if e == nil {
				continue
			}
			var names []string
			switch kind {
			case "eventBridge":
				if src := get(e, "pattern", "source"); src != nil {
					for _, n := range src.Content {
						names = append(names, n.Value)
					}
				}
			case "kafka":
				names = append(names, scalar(get(e, "topic")))
			default:
				names = append(names, scalar(e), scalar(get(e, "arn")), scalar(get(e, "topicName")))
			}
			for _, n := range names {
				if n != "" {
					out = append(out, strings.ToLower(kind)+":"+NormName(TopicName(n)))
				}
			}
		}
	}
	return out
}

// ReadDeployManifests reads serverless.yml, SAM templates, docker-compose builds and Kubernetes
// workloads, and pins each declared function, service or workload to a main package.
func ReadDeployManifests(root string, files []string, services []ComposeService, mains []*model.Package, names map[string]string) ([]Declared, []model.Warning) {
	byName := map[string][]string{}
	for dir, name := range names {
		byName[NormName(name)] = append(byName[NormName(name)], dir)
	}
	return readDeploy(root, files, services, mains, byName)
}

// ReadDeployFor reads the serverless templates and Kubernetes manifests of a repository that
// deploys programs built elsewhere (the deployment repository of a system): byName maps the
// folded names a program answers to (NormName) to the directories that build it.
func ReadDeployFor(root string, files []string, byName map[string][]string) ([]Declared, []model.Warning) {
	return readDeploy(root, files, nil, nil, byName)
}

func readDeploy(root string, files []string, services []ComposeService, mains []*model.Package, byName map[string][]string) ([]Declared, []model.Warning) {
	r := &deployReader{mains: mains, byName: byName}
	warns := forEachFile(root, files, func(f string, data []byte) {
		for _, doc := range yamlDocs(data) {
			switch base := path.Base(f); {
			case IsServerless(base):
				r.serverless(f, doc)
			case IsSAM(base):
				r.sam(f, doc)
			default:
				r.kubernetes(f, doc)
			}
		}
	})
	r.fillFromMaps()
	r.compose(services)
	r.exposed()
	sort.Slice(r.out, func(i, j int) bool {
		if r.out[i].Dir != r.out[j].Dir {
			return r.out[i].Dir < r.out[j].Dir
		}
		return r.out[i].By < r.out[j].By
	})
	return r.out, warns
}

// deployReader pins what deployment manifests declare to main packages.
type deployReader struct {
	mains     []*model.Package
	byName    map[string][]string // folded deployable name -> main dirs
	workloads []k8sWorkload
	services  []k8sService
	out       []Declared
	// configMaps holds each ConfigMap's data by name; fromMaps the container variables that
	// take their values from one, filled once every file is read.
	configMaps map[string]map[string]string
	fromMaps   []fromMap
}

// fromMap is a container's variable (or, with key "", every key) taken from a ConfigMap.
type fromMap struct {
	vars          map[string]string
	configMap     string
	key, variable string
}

// fillFromMaps gives the containers the values of the ConfigMaps they read (envFrom,
// valueFrom.configMapKeyRef); a value the container sets itself stays.
func (r *deployReader) fillFromMaps() {
	for _, fm := range r.fromMaps {
		data := r.configMaps[fm.configMap]
		if fm.key == "" {
			for k, v := range data {
				if _, set := fm.vars[k]; !set {
					fm.vars[k] = v
				}
			}
		} else if v, ok := data[fm.key]; ok {
			fm.vars[fm.variable] = v
		}
	}
}

func (r *deployReader) match(candidate string) []string {
	return r.byName[NormName(path.Base(strings.TrimSuffix(candidate, ".zip")))]
}

// serverless reads a serverless.yml's functions, by name, handler or artifact.
func (r *deployReader) serverless(f string, doc *yaml.Node) {
	fns := get(doc, "functions")
	if fns == nil || fns.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(fns.Content); i += 2 {
		name, fn := fns.Content[i].Value, fns.Content[i+1]
		var dirs []string
		for _, c := range []string{name, scalar(get(fn, "handler")), scalar(get(fn, "package", "artifact"))} {
			if c != "" && c != "bootstrap" && len(dirs) == 0 {
				dirs = r.match(c)
			}
		}
		for _, d := range dirs {
			r.out = append(r.out, Declared{Dir: d, By: f + " declares function " + name, Function: true, Consumes: serverlessEvents(fn), Stack: f})
		}
	}
}

// sam reads a SAM or CloudFormation template's functions, by CodeUri or name.
func (r *deployReader) sam(f string, doc *yaml.Node) {
	res := get(doc, "Resources")
	if res == nil || res.Kind != yaml.MappingNode {
		return
	}
	globals := refVars(get(doc, "Globals", "Function", "Environment", "Variables"))
	for i := 0; i+1 < len(res.Content); i += 2 {
		name, fn := res.Content[i].Value, res.Content[i+1]
		if t := scalar(get(fn, "Type")); t != "AWS::Serverless::Function" && t != "AWS::Lambda::Function" {
			continue
		}
		var dirs []string
		if code := scalar(get(fn, "Properties", "CodeUri")); code != "" {
			cu := path.Clean(path.Join(path.Dir(f), code))
			for _, m := range r.mains {
				if model.PathMatches(m.Dir, cu) {
					dirs = append(dirs, m.Dir)
				}
			}
		}
		if len(dirs) == 0 {
			dirs = r.match(name)
		}
		env := map[string]string{}
		for k, v := range globals {
			env[k] = v
		}
		for k, v := range refVars(get(fn, "Properties", "Environment", "Variables")) {
			env[k] = v
		}
		for _, d := range dirs {
			r.out = append(r.out, Declared{Dir: d, By: f + " declares function " + name, Function: true, Env: env,
				Consumes: samStreams(get(fn, "Properties", "Events")), Stack: f})
		}
	}
}

// refVars reads environment variables whose value names a template resource: !Ref X, or
// {Ref: X}.
func refVars(vars *yaml.Node) map[string]string {
	out := map[string]string{}
	if vars == nil || vars.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(vars.Content); i += 2 {
		if ref := resourceRef(vars.Content[i+1]); ref != "" {
			out[vars.Content[i].Value] = ref
		}
	}
	return out
}

// resourceRef names the resource a value refers to: !Ref X, {Ref: X}, !GetAtt X.Attr,
// {Fn::GetAtt: [X, Attr]}.
func resourceRef(n *yaml.Node) string {
	switch {
	case n == nil:
		return ""
	case n.Kind == yaml.ScalarNode && (n.Tag == "!Ref" || n.Tag == "!GetAtt"):
		name, _, _ := strings.Cut(n.Value, ".")
		return name
	case n.Kind == yaml.MappingNode:
		if ref := scalar(get(n, "Ref")); ref != "" {
			return ref
		}
		if att := get(n, "Fn::GetAtt"); att != nil && att.Kind == yaml.SequenceNode && len(att.Content) > 0 {
			return scalar(att.Content[0])
		}
	}
	return ""
}

// samStreams reads a SAM function's DynamoDB stream events into topics: the table whose
// stream feeds the function.
func samStreams(events *yaml.Node) []string {
	var out []string
	if events == nil || events.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(events.Content); i += 2 {
		ev := events.Content[i+1]
		if scalar(get(ev, "Type")) != "DynamoDB" {
			continue
		}
		if table := resourceRef(get(ev, "Properties", "Stream")); table != "" {
			out = append(out, "dynamodb-stream:"+NormName(table))
		}
	}
	return out
}

// kubernetes reads Kubernetes and Helm documents: workloads whose name or container names a
// deployable, Services (matched to workloads later), and Istio's zero-trust policies.
func (r *deployReader) kubernetes(f string, doc *yaml.Node) {
	kind := scalar(get(doc, "kind"))
	switch kind {
	case "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Rollout":
	case "PeerAuthentication", "AuthorizationPolicy":
		r.out = append(r.out, Declared{By: f + " declares " + kind + " " + scalar(get(doc, "metadata", "name")), ZeroTrust: true})
		return
	case "ConfigMap":
		if name := scalar(get(doc, "metadata", "name")); name != "" {
			if r.configMaps == nil {
				r.configMaps = map[string]map[string]string{}
			}
			r.configMaps[name] = stringMap(get(doc, "data"))
		}
		return
	case "Service":
		sel := stringMap(get(doc, "spec", "selector"))
		if name := scalar(get(doc, "metadata", "name")); name != "" && len(sel) > 0 {
			r.services = append(r.services, k8sService{name: name, file: f, selector: sel})
		}
		return
	default:
		return
	}
	wl := k8sWorkload{labels: stringMap(get(doc, "spec", "template", "metadata", "labels"))}
	spec := get(doc, "spec", "template", "spec")
	if kind == "CronJob" {
		spec = get(doc, "spec", "jobTemplate", "spec", "template", "spec")
	}
	name := scalar(get(doc, "metadata", "name"))
	cands := []string{name}
	var images []string
	vars := map[string]string{}
	if cs := get(spec, "containers"); cs != nil && cs.Kind == yaml.SequenceNode {
		for _, c := range cs.Content {
			if env := get(c, "env"); env != nil && env.Kind == yaml.SequenceNode {
				for _, e := range env.Content {
					k := scalar(get(e, "name"))
					if v := get(e, "value"); k != "" && v != nil && v.Kind == yaml.ScalarNode {
						vars[k] = v.Value
					} else if ref := get(e, "valueFrom", "configMapKeyRef"); k != "" && ref != nil {
						r.fromMaps = append(r.fromMaps, fromMap{vars: vars, configMap: scalar(get(ref, "name")), key: scalar(get(ref, "key")), variable: k})
					}
				}
			}
			if from := get(c, "envFrom"); from != nil && from.Kind == yaml.SequenceNode {
				for _, e := range from.Content {
					if ref := get(e, "configMapRef"); ref != nil && scalar(get(e, "prefix")) == "" {
						r.fromMaps = append(r.fromMaps, fromMap{vars: vars, configMap: scalar(get(ref, "name"))})
					}
				}
			}
			img := scalar(get(c, "image"))
			images = append(images, img)
			if i := strings.LastIndexByte(img, ':'); i > strings.LastIndexByte(img, '/') {
				img = img[:i]
			}
			cands = append(cands, scalar(get(c, "name")), img)
		}
	}
	// Every container of the pod runs a program: a sidecar (metrics, a proxy) ships too.
	for _, c := range cands {
		if c == "" || strings.Contains(c, "{{") {
			continue
		}
		for _, d := range r.match(c) {
			if !slices.Contains(wl.dirs, d) {
				dc := Declared{Dir: d, By: f + " runs " + kind + " " + scalar(get(doc, "metadata", "name")), Vars: vars}
				r.out = append(r.out, dc)
				wl.dirs = append(wl.dirs, d)
			}
		}
	}
	if len(wl.dirs) == 0 && name != "" && !strings.Contains(name, "{{") && kind != "Job" && kind != "CronJob" &&
		len(images) > 0 && !slices.ContainsFunc(images, infraImages.MatchString) {
		wl.external = name
		r.out = append(r.out, Declared{External: name, By: fmt.Sprintf("%s runs %s %s (image %s), which no Go main package here builds", f, kind, name, strings.Join(images, ", "))})
	}
	r.workloads = append(r.workloads, wl)
}

// compose pins the docker-compose services built from this repository: by their build
// context, else by name.
func (r *deployReader) compose(services []ComposeService) {
	for _, cs := range services {
		if !cs.built {
			continue // an image from elsewhere: postgres, kafka
		}
		var dirs []string
		if cs.contextArg != "" && cs.contextArg != "." {
			for _, m := range r.mains {
				if m.Dir == cs.context {
					dirs = append(dirs, m.Dir)
				}
			}
		}
		if len(dirs) == 0 {
			dirs = r.match(cs.Name)
		}
		for _, d := range dirs {
			r.out = append(r.out, Declared{Dir: d, By: cs.File + " builds service " + cs.Name})
		}
	}
}

// exposed: a Service reaches the deployables of the workloads whose pod labels its selector
// matches. Only workloads that run a deployable can matter, and a Service is checked only
// against those carrying the rarest of its selector's labels, so that thousands of manifests
// cost no more than their number; a Service without a selector selects nothing.
func (r *deployReader) exposed() {
	byLabel := map[string][]int{}
	for i, wl := range r.workloads {
		if len(wl.dirs) == 0 && wl.external == "" {
			continue
		}
		for k, v := range wl.labels {
			byLabel[k+"="+v] = append(byLabel[k+"="+v], i)
		}
	}
	for _, svc := range r.services {
		var cands []int
		first := true
		for k, v := range svc.selector {
			if c := byLabel[k+"="+v]; first || len(c) < len(cands) {
				cands, first = c, false
			}
		}
		for _, i := range cands {
			wl := r.workloads[i]
			if !subset(svc.selector, wl.labels) {
				continue
			}
			for _, d := range wl.dirs {
				r.out = append(r.out, Declared{Dir: d, By: svc.file + " exposes it as Service " + svc.name, Alias: svc.name})
			}
			if wl.external != "" {
				r.out = append(r.out, Declared{External: wl.external, By: svc.file + " exposes it as Service " + svc.name, Alias: svc.name})
			}
		}
	}
}

func subset(sel, labels map[string]string) bool {
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// IsK8s reports whether a YAML file of the root may hold Kubernetes manifests, by its first bytes.
func IsK8s(r *safefs.Root, rel string) bool {
	head, err := r.Head(rel, 4096)
	if err != nil {
		return false
	}
	return bytes.Contains(head, []byte("apiVersion:")) && bytes.Contains(head, []byte("kind:"))
}

// TopicName reduces a queue URL or an ARN to the queue's or topic's name.
func TopicName(s string) string {
	if strings.HasPrefix(s, "arn:") {
		parts := strings.Split(s, ":")
		return parts[len(parts)-1]
	}
	if u, err := url.Parse(s); err == nil && u.Scheme != "" && u.Host != "" {
		return strings.TrimPrefix(u.Path[strings.LastIndexByte(u.Path, '/')+1:], "/")
	}
	return s
}

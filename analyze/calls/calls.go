package calls

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/types"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/cleave-dev/cleave/analyze/manifests"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/recognize"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// findEndpoints reads every typed package that may call out.
func findEndpoints(ta *typed.TypedAnalysis) []typed.Endpoint {
	var out []typed.Endpoint
	clients := recognize.Clients()
	for _, tp := range ta.Tr.Pkgs {
		if tp.Types == nil || !tp.Bodies || !tp.Pkg.Outbound && !recognize.CallsThroughClients(ta.Tr, ta.G, tp.Pkg) {
			continue
		}
		x := typed.NewExtractor(ta.Tr, ta.G, tp, typed.Hooks{})
		x.Transports, x.Clients = recognize.Transports, clients
		x.BindFields()
		x.EachFunc(func(obj *types.Func, fd *ast.FuncDecl) {
			out = append(out, x.Endpoints(obj, fd.Body)...)
		})
	}
	return out
}

// HostCandidates lists the names a URL text may point at: its host, and for an environment
// variable its name less _URL, _ADDR… and its default's host, and what env gives it; envFrom
// names where env was read (docker-compose, a manifest) for the via.
// urls holds, for each name, the URL text it was read from.
func HostCandidates(text string, env map[string]string, envFrom string) (names, via, urls []string) {
	rest := typed.Placeholder.ReplaceAllString(text, "") // what follows the placeholders: /debug/vars
	for _, m := range typed.Placeholder.FindAllStringSubmatch(text, -1) {
		name := m[1]
		if k, v, ok := typed.LookupEnv(env, name); ok {
			if h := hostOf(v); h != "" {
				names = append(names, h)
				via = append(via, fmt.Sprintf("%s=%s (%s)", k, v, envFrom))
				urls = append(urls, v+rest)
			}
		}
		name = strings.TrimPrefix(name, "*_")
		if m[2] != "" {
			if h := hostOf(m[2]); h != "" {
				names = append(names, h)
				via = append(via, fmt.Sprintf("%s defaults to %s", name, m[2]))
				urls = append(urls, m[2]+rest)
			}
		}
		base := strings.ToLower(name)
		for _, suf := range []string{"_service_url", "_base_url", "_api_url", "_url", "_addr", "_address", "_host", "_endpoint", "_uri", "_svc"} {
			if t, ok := strings.CutSuffix(base, suf); ok {
				names = append(names, t)
				via = append(via, "environment variable "+name)
				urls = append(urls, rest)
				break
			}
		}
	}
	if !strings.HasPrefix(text, "${") {
		if h := hostOf(rest); h != "" {
			names = append(names, h)
			via = append(via, "host "+h)
			urls = append(urls, rest)
		}
	}
	return names, via, urls
}

// operatorPath matches the paths a program serves its operators on: health checks, metrics,
// expvar and pprof, Prometheus' /-/healthy, Spring Boot's /actuator.
var operatorPath = regexp.MustCompile(`^/(debug|metrics|healthz?|livez|readyz|actuator|-/(healthy|ready))(/|$|\?)`)

// Purpose tells a call to an operator endpoint (a scrape, a probe) from a request: it is a
// call, but no request waits on what it reaches, so it extends no synchronous chain.
func Purpose(url string) string {
	if _, rest, ok := strings.Cut(url, "://"); ok {
		url = rest
	}
	if i := strings.IndexByte(url, '/'); i >= 0 && operatorPath.MatchString(url[i:]) {
		return model.PurposeOperator
	}
	return ""
}

// hostOf returns the host name of a URL or host:port, without the port. A cluster-internal
// name (orders.shop.svc.cluster.local, orders.internal) is reduced to its first label, the
// Service's name.
func hostOf(s string) string {
	if !strings.Contains(s, "://") {
		s = "http://" + s
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	h := u.Hostname()
	if first, _, ok := strings.Cut(h, "."); ok && (strings.Contains(h, ".svc") || strings.HasSuffix(h, ".local") || strings.HasSuffix(h, ".internal")) {
		return first
	}
	return h
}

// BuildCalls matches endpoints to deployables and returns the edges of the service graph.
// aliases maps host names (Kubernetes Services) to deployables; consumes maps topics to the
// functions that serverless.yml subscribes to them.
// It also returns the calls between the components of multi-role binaries, by deployable and
// component.
// externals are the services the repository deploys without a Go main package: calls to them
// are marked external.
// With open set, it also returns what no deployable here matched, for a system to resolve.
func BuildCalls(ta *typed.TypedAnalysis, res *model.Result, services []manifests.ComposeService, ships *manifests.Shipping, consumes map[string][]string, aliases map[string]string, externals []model.ExternalService, open bool) ([]model.Call, map[string]map[string][]model.ComponentCall, *model.OpenEnds) {
	m := &matcher{ta: ta, services: services, ships: ships, deps: map[string]model.Deployable{}, byNorm: map[string]string{},
		out: []model.Call{}, seen: map[string]bool{}, bundle: map[string]bool{}, external: map[string]bool{}}
	if open {
		m.open = &model.OpenEnds{Serves: map[string][]string{}}
	}
	for _, d := range res.Deployables {
		m.bundle[d.Name] = d.IsBundle()
	}
	m.names(res.Deployables, aliases)
	for _, x := range externals { // after the deployables: a name they answer to stays theirs
		for _, n := range append([]string{x.Name}, x.Aliases...) {
			if _, taken := m.byNorm[manifests.NormName(n)]; !taken {
				m.byNorm[manifests.NormName(n)] = x.Name
				m.external[x.Name] = true
			}
		}
	}
	eps := findEndpoints(ta)
	m.syncCalls(eps)
	m.asyncCalls(eps, consumes)
	SortCalls(m.out)
	m.open.Sort()
	return m.out, componentCalls(ta, res.Deployables, eps), m.open
}

// componentCalls finds the calls between the components of each multi-role binary: a gRPC
// client in one component's packages of a service whose server another component of the same
// binary registers, or an HTTP call to a host named after another component. The result maps
// a deployable and a component to its calls, sorted.
func componentCalls(ta *typed.TypedAnalysis, deps []model.Deployable, eps []typed.Endpoint) map[string]map[string][]model.ComponentCall {
	out := map[string]map[string][]model.ComponentCall{}
	var runs [][]string // the deployables that run each endpoint, asked once
	for _, d := range deps {
		if len(d.Components) < 2 {
			continue
		}
		if runs == nil {
			runs = make([][]string, len(eps))
			for i, ep := range eps {
				runs[i] = ta.DeployablesOf(ep.Fn, ep.Pkg)
			}
		}
		servers := map[string][]string{} // proto service -> components serving it
		byName := map[string]string{}    // folded component name -> component
		for _, c := range d.Components {
			byName[manifests.NormName(c.Name)] = c.Name
		}
		for i, ep := range eps {
			if ep.Kind == "grpc-server" && slices.Contains(runs[i], d.Name) {
				if c := d.ComponentOf(ep.Pkg.Dir); c != "" && !slices.Contains(servers[RPCKey(ep.Protocol, ep.Target)], c) {
					servers[RPCKey(ep.Protocol, ep.Target)] = append(servers[RPCKey(ep.Protocol, ep.Target)], c)
				}
			}
		}
		calls := map[string][]model.ComponentCall{}
		seen := map[string]bool{}
		add := func(from string, c model.ComponentCall) {
			k := fmt.Sprintf("%s|%s|%s|%s|%d", from, c.To, c.Protocol, c.File, c.Line)
			if from != "" && c.To != from && !seen[k] {
				seen[k] = true
				calls[from] = append(calls[from], c)
			}
		}
		for i, ep := range eps {
			from := d.ComponentOf(ep.Pkg.Dir)
			if from == "" || !slices.Contains(runs[i], d.Name) {
				continue
			}
			switch ep.Kind {
			case "grpc-client":
				for _, to := range servers[RPCKey(ep.Protocol, ep.Target)] {
					add(from, model.ComponentCall{To: to, Protocol: ep.Protocol, File: ep.File, Line: ep.Line, Via: RPCVia(ep.Protocol, ep.Target)})
				}
			case "http":
				hosts, via, _ := HostCandidates(ep.Target, nil, "")
				for j, h := range hosts {
					if to, ok := byName[manifests.NormName(h)]; ok {
						add(from, model.ComponentCall{To: to, Protocol: "http", File: ep.File, Line: ep.Line, Via: via[j]})
						break
					}
				}
			}
		}
		for _, cs := range calls { // sorted in place
			slices.SortFunc(cs, func(a, b model.ComponentCall) int {
				return cmp.Or(cmp.Compare(a.To, b.To), cmp.Compare(a.Protocol, b.Protocol), cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
			})
		}
		if len(calls) > 0 {
			out[d.Name] = calls
		}
	}
	return out
}

// matcher matches the endpoints of the code to the deployables they reach.
type matcher struct {
	ta       *typed.TypedAnalysis
	services []manifests.ComposeService
	ships    *manifests.Shipping
	deps     map[string]model.Deployable // shipping deployables by name
	byNorm   map[string]string           // folded names a deployable answers to -> deployable
	out      []model.Call
	seen     map[string]bool
	// bundle marks the deployables that package others: their calls are their parts'.
	bundle map[string]bool
	// external marks the names of services deployed here but not built from Go.
	external map[string]bool
	// open, when set, gathers what no deployable here matched.
	open *model.OpenEnds
}

// leave records a call no deployable here answers, for a system to resolve.
func (m *matcher) leave(from string, ep typed.Endpoint) {
	if m.open == nil || from == "" || m.bundle[from] || m.external[from] {
		return
	}
	m.open.Calls = append(m.open.Calls, model.OpenCall{From: from, Kind: ep.Kind, Protocol: ep.Protocol, Target: ep.Target, File: ep.File, Line: ep.Line})
}

// serve records what a deployable serves or consumes, for a system to resolve calls to it.
func (m *matcher) serve(deps []string, what string) {
	if m.open == nil {
		return
	}
	for _, d := range deps {
		if !m.bundle[d] && !slices.Contains(m.open.Serves[d], what) {
			m.open.Serves[d] = append(m.open.Serves[d], what)
		}
	}
}

// names records what each shipping deployable answers to: its name, its module's, its
// docker-compose services' and its Kubernetes Services'.
func (m *matcher) names(deployables []model.Deployable, aliases map[string]string) {
	for _, d := range deployables {
		if d.Kind == model.KindTool || d.IsBundle() {
			continue
		}
		m.deps[d.Name] = d
		m.byNorm[manifests.NormName(d.Name)] = d.Name
		if _, taken := m.byNorm[manifests.NormName(d.Module)]; !taken && d.Module != "" {
			m.byNorm[manifests.NormName(d.Module)] = d.Name // services/orders/cmd/api answers to "orders"
		}
		for _, s := range manifests.ComposeFor(d, m.services, m.ships) {
			m.byNorm[manifests.NormName(s.Name)] = d.Name
		}
	}
	for alias, dep := range aliases {
		if _, taken := m.byNorm[manifests.NormName(alias)]; !taken {
			m.byNorm[manifests.NormName(alias)] = dep
		}
	}
}

func (m *matcher) emit(c model.Call) {
	if c.From == c.To || c.From == "" || c.To == "" || m.bundle[c.From] || m.bundle[c.To] {
		return
	}
	if m.external[c.From] {
		return // no code of it is read: it calls nothing
	}
	c.External = m.external[c.To]
	if k := CallKey(c); !m.seen[k] {
		m.seen[k] = true
		m.out = append(m.out, c)
	}
}

// CallKey identifies a call: two calls with the same key are one edge at one site.
func CallKey(c model.Call) string {
	return fmt.Sprintf("%s|%s|%s|%s|%d", c.From, c.To, c.Protocol, c.File, c.Line)
}

// SortCalls puts calls in the order of every output: by caller, callee, protocol and site.
// Calls are deduplicated by CallKey, so no two compare equal.
func SortCalls(calls []model.Call) {
	slices.SortFunc(calls, func(a, b model.Call) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To), cmp.Compare(a.Protocol, b.Protocol),
			cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
}

// syncCalls matches HTTP calls by host and gRPC clients to the servers of their service.
func (m *matcher) syncCalls(eps []typed.Endpoint) {
	grpcServers := map[string][]string{}
	for _, ep := range eps {
		if ep.Kind == "grpc-server" {
			k := RPCKey(ep.Protocol, ep.Target)
			grpcServers[k] = append(grpcServers[k], m.ta.DeployablesOf(ep.Fn, ep.Pkg)...)
			m.serve(m.ta.DeployablesOf(ep.Fn, ep.Pkg), ep.Protocol+":"+ep.Target)
		}
	}
	for _, ep := range eps {
		from := m.ta.DeployablesOf(ep.Fn, ep.Pkg)
		switch ep.Kind {
		case "http":
			for _, f := range from {
				if !m.httpCall(f, ep) {
					m.leave(f, ep)
				}
			}
		case "grpc-client":
			for _, f := range from {
				if ep.Via != nil && !m.ta.CallsInterface(f, ep.Via) {
					continue // it builds the client and never calls a method of it
				}
				servers := grpcServers[RPCKey(ep.Protocol, ep.Target)]
				if slices.Contains(servers, f) {
					// It serves the service it calls: a proxy or a peer of its own kind, or a
					// package of both sides linked into each. Which way the calls go cannot be
					// told, and an edge each way would be an invented cycle.
					continue
				}
				for _, to := range servers {
					m.emit(model.Call{From: f, To: to, Protocol: ep.Protocol, Sync: true, File: ep.File, Line: ep.Line, Via: RPCVia(ep.Protocol, ep.Target),
						Purpose: grpcPurpose(ep.Target)})
				}
				if len(servers) == 0 && ep.Protocol == "grpc" { // no Go server: a service the repository deploys otherwise
					if to, via := m.externalFor(ep.Target); to != "" {
						m.emit(model.Call{From: f, To: to, Protocol: "grpc", Sync: true, File: ep.File, Line: ep.Line, Via: via})
					} else {
						m.leave(f, ep)
					}
				}
			}
		}
	}
}

// RPCKey is what a client of an RPC service and its servers meet on: the gRPC service, or
// the protocol and the service for another RPC framework (Kitex).
func RPCKey(protocol, service string) string {
	if protocol == "grpc" {
		return service
	}
	return protocol + ":" + service
}

// RPCVia says which RPC service a call is made through.
func RPCVia(protocol, service string) string {
	if protocol == "kitex" {
		return "Kitex service " + service
	}
	return "gRPC service " + service
}

// grpcOperatorService matches gRPC's own services for operators: health checking, server
// reflection, channelz.
var grpcOperatorService = regexp.MustCompile(`(grpc_health_v1|grpc\.health\.v1)\.Health$|[Rr]eflection|channelz`)

// grpcPurpose marks a call to gRPC's health, reflection or channelz service as an operator call:
// a probe, which extends no chain.
func grpcPurpose(service string) string {
	if grpcOperatorService.MatchString(service) {
		return model.PurposeOperator
	}
	return ""
}

// externalFor finds the external service that serves a proto service no Go code serves, by its
// name: hipstershop.CartService is served by the workload cartservice (or cart).
func (m *matcher) externalFor(service string) (string, string) {
	short := service[strings.LastIndexByte(service, '.')+1:]
	for _, n := range []string{short, strings.TrimSuffix(short, "Service")} {
		if to, ok := m.byNorm[manifests.NormName(n)]; ok && m.external[to] {
			return to, "gRPC service " + service + ", served by no Go code here: " + to + " is deployed"
		}
	}
	return "", ""
}

// httpCall resolves the host of an HTTP call made by deployable f, with the environment
// docker-compose gives f; false when no name of the repository is its host.
func (m *matcher) httpCall(f string, ep typed.Endpoint) bool {
	names, via, urls := HostCandidates(ep.Target, manifests.ComposeEnv(m.deps[f], m.services, m.ships), "docker-compose")
	for i, n := range names {
		if to, ok := m.byNorm[manifests.NormName(n)]; ok {
			m.emit(model.Call{From: f, To: to, Protocol: "http", Sync: true, File: ep.File, Line: ep.Line, Via: via[i], Purpose: Purpose(urls[i])})
			return true
		}
	}
	return false
}

// asyncCalls links the producers of a topic to its consumers.
func (m *matcher) asyncCalls(eps []typed.Endpoint, consumes map[string][]string) {
	producers := map[string][]typed.Endpoint{}
	consumers := map[string][]string{}
	for topic, fns := range consumes {
		consumers[topic] = append(consumers[topic], fns...)
	}
	for _, ep := range eps {
		k := ep.Protocol + ":" + manifests.NormName(ep.Target)
		switch ep.Kind {
		case "produce":
			producers[k] = append(producers[k], ep)
		case "consume":
			consumers[k] = append(consumers[k], m.ta.DeployablesOf(ep.Fn, ep.Pkg)...)
			m.serve(m.ta.DeployablesOf(ep.Fn, ep.Pkg), k)
		}
	}
	for k, ps := range producers {
		for _, p := range ps {
			for _, f := range m.ta.DeployablesOf(p.Fn, p.Pkg) {
				if len(consumers[k]) == 0 {
					m.leave(f, p)
				}
				for _, to := range consumers[k] {
					m.emit(model.Call{From: f, To: to, Protocol: p.Protocol, Sync: false, File: p.File, Line: p.Line, Via: p.Protocol + " " + p.Target})
				}
			}
		}
	}
}

// Streams adds the calls that a table's change stream carries: every deployable that writes
// a table calls, asynchronously, the functions its stream feeds (consumes maps
// "dynamodb-stream:<table>" to them).
func Streams(calls []model.Call, tables []model.Table, consumes map[string][]string) []model.Call {
	seen := map[string]bool{}
	for _, c := range calls {
		seen[CallKey(c)] = true
	}
	for _, t := range tables {
		if t.Store != "dynamodb" {
			continue
		}
		to := consumes["dynamodb-stream:"+manifests.NormName(t.Name)]
		for _, a := range t.Accesses {
			if a.Op != "write" {
				continue
			}
			for _, from := range a.Deployables {
				for _, fn := range to {
					c := model.Call{From: from, To: fn, Protocol: "dynamodb-stream", Sync: false,
						File: a.File, Line: a.Line, Via: "the change stream of table " + t.Name}
					if k := CallKey(c); from != fn && !seen[k] {
						seen[k] = true
						calls = append(calls, c)
					}
				}
			}
		}
	}
	SortCalls(calls)
	return calls
}

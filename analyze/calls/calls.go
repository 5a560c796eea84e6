package calls

import (
	"fmt"
	"go/ast"
	"go/types"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/cleave-dev/cleave/analyze/manifests"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/recognize"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// findEndpoints reads every typed package that may call out.
func findEndpoints(ta *typed.TypedAnalysis) []typed.Endpoint {
	var out []typed.Endpoint
	for _, tp := range ta.Tr.Pkgs {
		if tp.Types == nil || !tp.Bodies || !tp.Pkg.Outbound {
			continue
		}
		x := typed.NewExtractor(ta.Tr, ta.G, tp, typed.Hooks{})
		x.Transports = recognize.Transports
		x.BindFields()
		x.EachFunc(func(obj *types.Func, fd *ast.FuncDecl) {
			out = append(out, x.Endpoints(obj, fd.Body)...)
		})
	}
	return out
}

var placeholder = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}`)

// hostCandidates lists the names a URL text may point at: its host, and for an environment
// variable its name less _URL, _ADDR… and its default's host, and what docker-compose gives it.
func hostCandidates(text string, env map[string]string) (names []string, via []string) {
	for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
		name := m[1]
		if v, ok := env[name]; ok {
			if h := hostOf(v); h != "" {
				names = append(names, h)
				via = append(via, fmt.Sprintf("%s=%s (docker-compose)", name, v))
			}
		}
		if m[2] != "" {
			if h := hostOf(m[2]); h != "" {
				names = append(names, h)
				via = append(via, fmt.Sprintf("%s defaults to %s", name, m[2]))
			}
		}
		base := strings.ToLower(name)
		for _, suf := range []string{"_service_url", "_base_url", "_api_url", "_url", "_addr", "_address", "_host", "_endpoint", "_uri", "_svc"} {
			if t, ok := strings.CutSuffix(base, suf); ok {
				names = append(names, t)
				via = append(via, "environment variable "+name)
				break
			}
		}
	}
	if !strings.HasPrefix(text, "${") {
		if h := hostOf(placeholder.ReplaceAllString(text, "")); h != "" {
			names = append(names, h)
			via = append(via, "host "+h)
		}
	}
	return names, via
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
// aliases maps host names (Kubernetes Services) to deployables.
func BuildCalls(ta *typed.TypedAnalysis, res *model.Result, services []manifests.ComposeService, ships *manifests.Shipping, consumes map[string][]string, aliases map[string]string) []model.Call {
	eps := findEndpoints(ta)
	deps := map[string]model.Deployable{}
	byNorm := map[string]string{}
	for _, d := range res.Deployables {
		if d.Kind == model.KindTool {
			continue
		}
		deps[d.Name] = d
		byNorm[manifests.NormName(d.Name)] = d.Name
		if _, taken := byNorm[manifests.NormName(d.Module)]; !taken && d.Module != "" {
			byNorm[manifests.NormName(d.Module)] = d.Name // services/orders/cmd/api answers to "orders"
		}
		for _, s := range manifests.ComposeFor(d, services, ships) {
			byNorm[manifests.NormName(s.Name)] = d.Name
		}
	}
	for alias, dep := range aliases {
		if _, taken := byNorm[manifests.NormName(alias)]; !taken {
			byNorm[manifests.NormName(alias)] = dep
		}
	}
	resolve := func(name string) string {
		if d, ok := byNorm[manifests.NormName(name)]; ok {
			return d
		}
		return ""
	}
	out := []model.Call{}
	seen := map[string]bool{}
	emit := func(c model.Call) {
		if c.From == c.To || c.From == "" || c.To == "" {
			return
		}
		k := fmt.Sprintf("%s|%s|%s|%s|%d", c.From, c.To, c.Protocol, c.File, c.Line)
		if !seen[k] {
			seen[k] = true
			out = append(out, c)
		}
	}
	grpcServers := map[string][]string{}
	producers := map[string][]typed.Endpoint{}
	consumers := map[string][]string{}
	for topic, fns := range consumes { // functions subscribed in serverless.yml
		consumers[topic] = append(consumers[topic], fns...)
	}
	for _, ep := range eps {
		switch ep.Kind {
		case "grpc-server":
			grpcServers[ep.Target] = append(grpcServers[ep.Target], ta.DeployablesOf(ep.Fn, ep.Pkg)...)
		case "produce":
			producers[ep.Protocol+":"+manifests.NormName(ep.Target)] = append(producers[ep.Protocol+":"+manifests.NormName(ep.Target)], ep)
		case "consume":
			k := ep.Protocol + ":" + manifests.NormName(ep.Target)
			consumers[k] = append(consumers[k], ta.DeployablesOf(ep.Fn, ep.Pkg)...)
		}
	}
	for _, ep := range eps {
		from := ta.DeployablesOf(ep.Fn, ep.Pkg)
		switch ep.Kind {
		case "http":
			for _, f := range from {
				env := map[string]string{}
				for _, s := range manifests.ComposeFor(deps[f], services, ships) {
					for k, v := range s.Env {
						env[k] = v
					}
				}
				names, via := hostCandidates(ep.Target, env)
				for i, n := range names {
					if to := resolve(n); to != "" {
						emit(model.Call{From: f, To: to, Protocol: "http", Sync: true, File: ep.File, Line: ep.Line, Via: via[i]})
						break
					}
				}
			}
		case "grpc-client":
			for _, f := range from {
				for _, to := range grpcServers[ep.Target] {
					emit(model.Call{From: f, To: to, Protocol: "grpc", Sync: true, File: ep.File, Line: ep.Line, Via: "gRPC service " + ep.Target})
				}
			}
		}
	}
	for k, ps := range producers {
		for _, p := range ps {
			for _, f := range ta.DeployablesOf(p.Fn, p.Pkg) {
				for _, to := range consumers[k] {
					emit(model.Call{From: f, To: to, Protocol: p.Protocol, Sync: false, File: p.File, Line: p.Line, Via: p.Protocol + " " + p.Target})
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.From != b.From {
			return a.From < b.From
		}
		if a.To != b.To {
			return a.To < b.To
		}
		if a.Protocol != b.Protocol {
			return a.Protocol < b.Protocol
		}
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return out
}

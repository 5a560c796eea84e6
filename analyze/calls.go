package analyze

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// Call is an edge of the service graph: one deployable calls or sends to another.
type Call struct {
	From     string `json:"from"`
	To       string `json:"to"`
	Protocol string `json:"protocol"`
	Sync     bool   `json:"sync"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	// Via says how the target was recognised: a host, an environment variable, a topic.
	Via string `json:"via"`
}

// endpoint is one outbound site in the code, before it is matched to deployables.
type endpoint struct {
	kind     string // "http", "grpc-client", "grpc-server", "produce", "consume"
	protocol string // http, grpc, kafka, nats, amqp, sqs, sns, eventbridge, pubsub
	target   string // for http: resolved URL text with ${ENV} placeholders; for grpc: service; for async: topic
	file     string
	line     int
	fn       fnKey
	pkg      *Package
}

// asyncKinds: for each transport, the composite literal types and calls that publish or consume.
type asyncRule struct {
	imports  []string
	protocol string
	// lits: composite literal type name -> field holding the topic, and whether it produces.
	lits map[string]litTopic
	// calls: method or function name -> index of the topic argument, and whether it produces.
	calls map[string]callTopic
}

type litTopic struct {
	field   string
	produce bool
}

type callTopic struct {
	arg     int
	produce bool
}

var asyncRules = []asyncRule{
	{[]string{"github.com/IBM/sarama", "github.com/Shopify/sarama"}, "kafka",
		map[string]litTopic{"ProducerMessage": {"Topic", true}},
		map[string]callTopic{"ConsumePartition": {0, false}, "Consume": {1, false}}},
	{[]string{"github.com/segmentio/kafka-go"}, "kafka",
		map[string]litTopic{"Writer": {"Topic", true}, "WriterConfig": {"Topic", true}, "Message": {"Topic", true}, "ReaderConfig": {"Topic", false}},
		nil},
	{[]string{"github.com/twmb/franz-go"}, "kafka",
		map[string]litTopic{"Record": {"Topic", true}},
		map[string]callTopic{"ConsumeTopics": {0, false}, "DefaultProduceTopic": {0, true}}},
	{[]string{"github.com/nats-io/nats.go"}, "nats", nil,
		map[string]callTopic{"Publish": {0, true}, "PublishMsg": {-1, true}, "Request": {0, true}, "Subscribe": {0, false},
			"QueueSubscribe": {0, false}, "ChanSubscribe": {0, false}, "SubscribeSync": {0, false}, "QueueSubscribeSync": {0, false}}},
	{[]string{"github.com/rabbitmq/amqp091-go", "github.com/streadway/amqp"}, "amqp", nil,
		map[string]callTopic{"Publish": {1, true}, "PublishWithContext": {2, true}, "Consume": {0, false}}},
	{[]string{"github.com/aws/aws-sdk-go-v2/service/sqs", "github.com/aws/aws-sdk-go/service/sqs"}, "sqs",
		map[string]litTopic{"SendMessageInput": {"QueueUrl", true}, "SendMessageBatchInput": {"QueueUrl", true}, "ReceiveMessageInput": {"QueueUrl", false}},
		nil},
	{[]string{"github.com/aws/aws-sdk-go-v2/service/sns", "github.com/aws/aws-sdk-go/service/sns"}, "sns",
		map[string]litTopic{"PublishInput": {"TopicArn", true}}, nil},
	{[]string{"github.com/aws/aws-sdk-go-v2/service/eventbridge", "github.com/aws/aws-sdk-go/service/eventbridge"}, "eventbridge",
		map[string]litTopic{"PutEventsRequestEntry": {"Source", true}}, nil},
	{[]string{"cloud.google.com/go/pubsub"}, "pubsub", nil,
		map[string]callTopic{"Topic": {0, true}, "Subscription": {0, false}}},
}

// findEndpoints reads every typed package that may call out.
func findEndpoints(ta *typedAnalysis) []endpoint {
	var out []endpoint
	for _, tp := range ta.tr.pkgs {
		if tp.types == nil || !tp.bodies || !tp.pkg.Outbound {
			continue
		}
		x := &extractor{tr: ta.tr, tp: tp, g: ta.g, local: map[types.Object]ast.Expr{}}
		x.bindFields()
		x.eachFunc(func(obj *types.Func, fd *ast.FuncDecl) {
			out = append(out, x.endpoints(obj, fd.Body)...)
		})
	}
	return out
}

// bindFields remembers, package-wide, what struct fields are set from (Config{URL: os.Getenv(…)},
// c.base = …), so that a URL built from a field resolves.
func (x *extractor) bindFields() {
	for _, f := range x.tp.files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok {
					if v, ok := x.tp.info.Uses[id].(*types.Var); ok && v.IsField() {
						x.local[v] = n.Value
					}
				}
			case *ast.AssignStmt:
				if len(n.Lhs) == len(n.Rhs) {
					for i, l := range n.Lhs {
						if sel, ok := l.(*ast.SelectorExpr); ok {
							if v, ok := x.tp.info.Uses[sel.Sel].(*types.Var); ok && v.IsField() {
								x.local[v] = n.Rhs[i]
							}
						}
					}
				}
			}
			return true
		})
	}
}

var grpcClient = regexp.MustCompile(`^New(\w+)Client$`)
var grpcServer = regexp.MustCompile(`^Register(\w+)Server$`)

func (x *extractor) endpoints(fn fnKey, body *ast.BlockStmt) []endpoint {
	var out []endpoint
	var walk func(cur fnKey, root ast.Node)
	walk = func(cur fnKey, root ast.Node) {
		// add records an outbound site of the function being walked (a function literal is one of its own).
		add := func(kind, protocol, target string, pos token.Pos) {
			if target == "" {
				return
			}
			p := x.tr.fset.Position(pos)
			out = append(out, endpoint{kind: kind, protocol: protocol, target: target, file: p.Filename, line: p.Line, fn: cur, pkg: x.tp.pkg})
		}
		ast.Inspect(root, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				if n != root {
					walk(n, n.Body)
					return false
				}
			case *ast.AssignStmt:
				x.assign(n)
			case *ast.CallExpr:
				name, pkg, recv := x.calleeName(n)
				switch {
				case pkg == "net/http" && (name == "Get" || name == "Head" || name == "Post" || name == "PostForm") && len(n.Args) > 0:
					add("http", "http", x.urlText(n.Args[0], 0), n.Pos())
				case pkg == "net/http" && name == "NewRequest" && len(n.Args) > 1:
					add("http", "http", x.urlText(n.Args[1], 0), n.Pos())
				case pkg == "net/http" && name == "NewRequestWithContext" && len(n.Args) > 2:
					add("http", "http", x.urlText(n.Args[2], 0), n.Pos())
				case recv != nil && x.fileImports("github.com/go-resty/resty") && len(n.Args) > 0 &&
					(name == "Get" || name == "Post" || name == "Put" || name == "Patch" || name == "Delete" || name == "SetBaseURL"):
					add("http", "http", x.urlText(n.Args[0], 0), n.Pos())
				case pkg != "" && grpcClient.MatchString(name):
					add("grpc-client", "grpc", pkg+"."+grpcClient.FindStringSubmatch(name)[1], n.Pos())
				case pkg != "" && grpcServer.MatchString(name):
					add("grpc-server", "grpc", pkg+"."+grpcServer.FindStringSubmatch(name)[1], n.Pos())
				}
				for _, r := range asyncRules {
					ct, ok := r.calls[name]
					if !ok || ct.arg < 0 || ct.arg >= len(n.Args) || !x.fileImports(r.imports...) {
						continue
					}
					kind := "consume"
					if ct.produce {
						kind = "produce"
					}
					for _, t := range x.topics(n.Args[ct.arg]) {
						add(kind, r.protocol, t, n.Pos())
					}
				}
			case *ast.CompositeLit:
				sel, ok := n.Type.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				for _, r := range asyncRules {
					lt, ok := r.lits[sel.Sel.Name]
					if !ok || !x.fileImports(r.imports...) {
						continue
					}
					kind := "consume"
					if lt.produce {
						kind = "produce"
					}
					for _, el := range n.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok {
							if k, ok := kv.Key.(*ast.Ident); ok && (k.Name == lt.field || k.Name == "GroupTopics" && !lt.produce) {
								for _, t := range x.topics(kv.Value) {
									add(kind, r.protocol, t, n.Pos())
								}
							}
						}
					}
				}
			}
			return true
		})
	}
	walk(fn, body)
	return out
}

// topics reads topic names: a constant, aws.String(c), a []string{…} of them, several string
// arguments; an environment variable becomes $NAME.
func (x *extractor) topics(e ast.Expr) []string {
	e = ast.Unparen(e)
	if lit, ok := e.(*ast.CompositeLit); ok {
		var out []string
		for _, el := range lit.Elts {
			out = append(out, x.topics(el)...)
		}
		return out
	}
	if t := x.nameValue(e); t != "" {
		return []string{topicName(t)}
	}
	return nil
}

// topicName reduces a queue URL or an ARN to the queue's or topic's name.
func topicName(s string) string {
	if strings.HasPrefix(s, "arn:") {
		parts := strings.Split(s, ":")
		return parts[len(parts)-1]
	}
	if u, err := url.Parse(s); err == nil && u.Scheme != "" && u.Host != "" {
		return strings.TrimPrefix(u.Path[strings.LastIndexByte(u.Path, '/')+1:], "/")
	}
	return s
}

// urlText renders a URL expression as text: constants as they are, environment variables as
// ${NAME} or ${NAME:-default}, anything unknown as ${?}.
func (x *extractor) urlText(e ast.Expr, depth int) string {
	if depth > 5 {
		return "${?}"
	}
	e = ast.Unparen(e)
	if s, ok := x.constString(e); ok {
		return s
	}
	switch e := e.(type) {
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			return x.urlText(e.X, depth+1) + x.urlText(e.Y, depth+1)
		}
	case *ast.CallExpr:
		name, pkg, _ := x.calleeName(e)
		switch {
		case pkg == "os" && (name == "Getenv" || name == "LookupEnv") && len(e.Args) == 1:
			if v, ok := x.constString(e.Args[0]); ok {
				return "${" + v + "}"
			}
		case pkg == "fmt" && name == "Sprintf" && len(e.Args) > 0:
			format, ok := x.constString(e.Args[0])
			if !ok {
				return "${?}"
			}
			var args []any
			for _, a := range e.Args[1:] {
				args = append(args, x.urlText(a, depth+1))
			}
			return fmt.Sprintf(format, args...)
		case strings.Contains(strings.ToLower(name), "env") && len(e.Args) >= 1:
			// A helper such as getenv("INVENTORY_URL", "http://inventory:8080").
			if v, ok := x.constString(e.Args[0]); ok {
				if len(e.Args) > 1 {
					if d, ok := x.constString(e.Args[1]); ok {
						return "${" + v + ":-" + d + "}"
					}
				}
				return "${" + v + "}"
			}
		case (name == "JoinPath" || name == "String" || name == "Parse") && len(e.Args) > 0:
			return x.urlText(e.Args[0], depth+1)
		}
	case *ast.Ident, *ast.SelectorExpr:
		obj := x.objectOf(e)
		if obj != nil {
			if rhs, ok := x.local[obj]; ok {
				return x.urlText(rhs, depth+1)
			}
			if v, ok := obj.(*types.Var); ok && v.IsField() {
				if m := envTag.FindStringSubmatch(fieldTag(x.tr, v)); m != nil {
					return "${" + m[1] + "}"
				}
			}
		}
	}
	return "${?}"
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

// buildCalls matches endpoints to deployables and returns the edges of the service graph.
// aliases maps host names (Kubernetes Services) to deployables.
func buildCalls(ta *typedAnalysis, res *Result, services []composeService, ships *shipping, consumes map[string][]string, aliases map[string]string) []Call {
	eps := findEndpoints(ta)
	deps := map[string]Deployable{}
	byNorm := map[string]string{}
	for _, d := range res.Deployables {
		if d.Kind == KindTool {
			continue
		}
		deps[d.Name] = d
		byNorm[normName(d.Name)] = d.Name
		if _, taken := byNorm[normName(d.Module)]; !taken && d.Module != "" {
			byNorm[normName(d.Module)] = d.Name // services/orders/cmd/api answers to "orders"
		}
		for _, s := range composeFor(d, services, ships) {
			byNorm[normName(s.name)] = d.Name
		}
	}
	for alias, dep := range aliases {
		if _, taken := byNorm[normName(alias)]; !taken {
			byNorm[normName(alias)] = dep
		}
	}
	resolve := func(name string) string {
		if d, ok := byNorm[normName(name)]; ok {
			return d
		}
		return ""
	}
	out := []Call{}
	seen := map[string]bool{}
	emit := func(c Call) {
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
	producers := map[string][]endpoint{}
	consumers := map[string][]string{}
	for topic, fns := range consumes { // functions subscribed in serverless.yml
		consumers[topic] = append(consumers[topic], fns...)
	}
	for _, ep := range eps {
		switch ep.kind {
		case "grpc-server":
			grpcServers[ep.target] = append(grpcServers[ep.target], ta.deployablesOf(ep.fn, ep.pkg)...)
		case "produce":
			producers[ep.protocol+":"+normName(ep.target)] = append(producers[ep.protocol+":"+normName(ep.target)], ep)
		case "consume":
			k := ep.protocol + ":" + normName(ep.target)
			consumers[k] = append(consumers[k], ta.deployablesOf(ep.fn, ep.pkg)...)
		}
	}
	for _, ep := range eps {
		from := ta.deployablesOf(ep.fn, ep.pkg)
		switch ep.kind {
		case "http":
			for _, f := range from {
				env := map[string]string{}
				for _, s := range composeFor(deps[f], services, ships) {
					for k, v := range s.env {
						env[k] = v
					}
				}
				names, via := hostCandidates(ep.target, env)
				for i, n := range names {
					if to := resolve(n); to != "" {
						emit(Call{From: f, To: to, Protocol: "http", Sync: true, File: ep.file, Line: ep.line, Via: via[i]})
						break
					}
				}
			}
		case "grpc-client":
			for _, f := range from {
				for _, to := range grpcServers[ep.target] {
					emit(Call{From: f, To: to, Protocol: "grpc", Sync: true, File: ep.file, Line: ep.line, Via: "gRPC service " + ep.target})
				}
			}
		}
	}
	for k, ps := range producers {
		for _, p := range ps {
			for _, f := range ta.deployablesOf(p.fn, p.pkg) {
				for _, to := range consumers[k] {
					emit(Call{From: f, To: to, Protocol: p.protocol, Sync: false, File: p.file, Line: p.line, Via: p.protocol + " " + p.target})
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

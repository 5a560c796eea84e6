package typed

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"regexp"
	"strings"

	"github.com/cleave-dev/cleave/analyze/manifests"
	"github.com/cleave-dev/cleave/analyze/model"
)

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

// bindFields remembers, package-wide, what struct fields are set from (Config{URL: os.Getenv(…)},
// c.base = …), so that a URL built from a field resolves.
func (x *Extractor) BindFields() {
	for _, f := range x.Tp.files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok {
					if v, ok := x.Tp.info.Uses[id].(*types.Var); ok && v.IsField() {
						x.Local[v] = n.Value
					}
				}
			case *ast.AssignStmt:
				if len(n.Lhs) == len(n.Rhs) {
					for i, l := range n.Lhs {
						if sel, ok := l.(*ast.SelectorExpr); ok {
							if v, ok := x.Tp.info.Uses[sel.Sel].(*types.Var); ok && v.IsField() {
								x.Local[v] = n.Rhs[i]
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

func (x *Extractor) Endpoints(fn FnKey, body *ast.BlockStmt) []Endpoint {
	var out []Endpoint
	var walk func(cur FnKey, root ast.Node)
	walk = func(cur FnKey, root ast.Node) {
		// add records an outbound site of the function being walked (a function literal is one of its own).
		add := func(kind, protocol, target string, pos token.Pos) {
			if target == "" {
				return
			}
			p := x.Tr.fset.Position(pos)
			out = append(out, Endpoint{Kind: kind, Protocol: protocol, Target: target, File: p.Filename, Line: p.Line, Fn: cur, Pkg: x.Tp.Pkg})
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
func (x *Extractor) topics(e ast.Expr) []string {
	e = ast.Unparen(e)
	if lit, ok := e.(*ast.CompositeLit); ok {
		var out []string
		for _, el := range lit.Elts {
			out = append(out, x.topics(el)...)
		}
		return out
	}
	if t := x.nameValue(e); t != "" {
		return []string{manifests.TopicName(t)}
	}
	return nil
}

// urlText renders a URL expression as text: constants as they are, environment variables as
// ${NAME} or ${NAME:-default}, anything unknown as ${?}.
func (x *Extractor) urlText(e ast.Expr, depth int) string {
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
			if rhs, ok := x.Local[obj]; ok {
				return x.urlText(rhs, depth+1)
			}
			if v, ok := obj.(*types.Var); ok && v.IsField() {
				if m := envTag.FindStringSubmatch(fieldTag(x.Tr, v)); m != nil {
					return "${" + m[1] + "}"
				}
			}
		}
	}
	return "${?}"
}

// endpoint is one outbound site in the code, before it is matched to deployables.
type Endpoint struct {
	Kind     string // "http", "grpc-client", "grpc-server", "produce", "consume"
	Protocol string // http, grpc, kafka, nats, amqp, sqs, sns, eventbridge, pubsub
	Target   string // for http: resolved URL text with ${ENV} placeholders; for grpc: service; for async: topic
	File     string
	Line     int
	Fn       FnKey
	Pkg      *model.Package
}

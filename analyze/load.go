package analyze

import (
	"bytes"
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/tools/go/packages"
)

// loadGroup is one invocation of the go command: a set of patterns run in one directory.
type loadGroup struct {
	dir      string // absolute
	patterns []string
	env      []string
	subject  string // what a failure is about, for warnings
}

// groups plans the go command invocations: one for the modules of go.work, one per other module.
func (t *tree) groups(env []string) ([]loadGroup, []Warning) {
	if t.enclosing != "" {
		return []loadGroup{{dir: t.root, patterns: []string{"./..."}, env: env, subject: "."}}, nil
	}
	var warns []Warning
	inWork := map[string]bool{}
	var gs []loadGroup
	if t.workFile != "" {
		dirs, err := workspaceDirs(t.root, t.workFile)
		if err != nil {
			warns = append(warns, Warning{Subject: t.workFile, Message: "ignored: " + err.Error()})
		} else {
			g := loadGroup{dir: t.root, env: env, subject: t.workFile}
			for _, d := range dirs {
				if !slices.Contains(t.modDirs, d) {
					continue // a use directive outside the analysed tree
				}
				inWork[d] = true
				g.patterns = append(g.patterns, "./"+path.Join(d, "..."))
			}
			if len(g.patterns) > 0 {
				gs = append(gs, g)
			}
		}
	}
	noWork := append(env[:len(env):len(env)], "GOWORK=off")
	for _, d := range t.modDirs {
		if inWork[d] {
			continue
		}
		gs = append(gs, loadGroup{dir: filepath.Join(t.root, filepath.FromSlash(d)), patterns: []string{"./..."}, env: noWork, subject: d + "/go.mod"})
	}
	return gs, warns
}

// goEnv is the environment of the go command: the user's, with GOTOOLCHAIN=local unless
// the user chose otherwise, so that loading never downloads a toolchain.
func goEnv() []string {
	env := os.Environ()
	if _, ok := os.LookupEnv("GOTOOLCHAIN"); !ok {
		env = append(env, "GOTOOLCHAIN=local")
	}
	return env
}

// listed is what go list tells of one package directory, before its files are read.
type listed struct {
	path, name, dir, goMod, modDir string
	files                          []string // absolute
	testOnly                       bool
}

// listPackages runs the go command for every group, in parallel, and merges what it reports.
// A failing group or package becomes a warning; the rest goes on.
func listPackages(ctx context.Context, t *tree, tests bool) (map[string]*listed, []Warning) {
	gs, warns := t.groups(goEnv())
	mode := packages.NeedName | packages.NeedFiles | packages.NeedModule
	type out struct {
		pkgs []*packages.Package
		err  error
	}
	outs := make([]out, len(gs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))
	for i, g := range gs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			cfg := &packages.Config{Context: ctx, Mode: mode, Dir: g.dir, Env: g.env, Tests: tests}
			outs[i].pkgs, outs[i].err = packages.Load(cfg, g.patterns...)
		}()
	}
	wg.Wait()

	byDir := map[string]*listed{}
	for i, o := range outs {
		if o.err != nil {
			msg := o.err.Error()
			if _, after, ok := strings.Cut(msg, "stderr: "); ok { // go/packages wraps the go command's own words
				msg = after
			}
			warns = append(warns, Warning{Subject: gs[i].subject, Message: "go list failed: " + firstLine(msg)})
			continue
		}
		for _, p := range o.pkgs {
			rel := relSlash(t.root, p.Dir)
			outside := p.Dir == "" || strings.HasPrefix(rel, "../") || rel == ".."
			for _, e := range p.Errors {
				if e.Kind != packages.ListError && e.Kind != packages.ParseError {
					continue
				}
				subject, msg := p.PkgPath, firstLine(e.Msg)
				if !outside {
					subject = rel
				}
				if e.Pos != "" && e.Pos != "-" {
					msg = e.Pos + ": " + msg
				}
				warns = append(warns, Warning{Subject: subject, Message: msg})
			}
			if outside || len(p.GoFiles) == 0 {
				continue
			}
			test := strings.HasSuffix(p.PkgPath, ".test") || strings.Contains(p.ID, " [")
			l := byDir[rel]
			if l == nil {
				l = &listed{dir: rel, testOnly: true}
				byDir[rel] = l
			}
			if !test || l.path == "" {
				l.path, l.name = strings.TrimSuffix(p.PkgPath, "_test"), p.Name
				if p.Module != nil {
					l.goMod, l.modDir = p.Module.Path, relSlash(t.root, p.Module.Dir)
				}
			}
			if !test && len(p.GoFiles) > 0 {
				l.testOnly = false
			}
			for _, f := range p.GoFiles {
				if filepath.Dir(f) == p.Dir { // not the generated test main in the build cache
					l.files = append(l.files, f)
				}
			}
		}
	}
	for i := range warns { // no absolute paths: output must not depend on where the repository lies
		warns[i].Message = strings.ReplaceAll(warns[i].Message, t.root+string(filepath.Separator), "")
		warns[i].Message = strings.ReplaceAll(warns[i].Message, t.root, ".")
	}
	for _, l := range byDir {
		sort.Strings(l.files)
		l.files = dedupe(l.files)
		if t.enclosing != "" && l.modDir == "" {
			l.modDir = relSlash(t.root, t.enclosing)
		}
	}
	return byDir, warns
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// readPackages reads every file of the listed packages, in parallel: imports with their
// positions, and the calls that tell a program's kind.
// Parse errors are reported only for packages that go list found nothing wrong with (listFailed).
func readPackages(root string, byDir map[string]*listed, listFailed map[string]bool) ([]*Package, []Warning) {
	dirs := make([]string, 0, len(byDir))
	for d := range byDir {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	pkgs := make([]*Package, len(dirs))
	type job struct{ pkg, file int }
	var jobs []job
	for i, d := range dirs {
		l := byDir[d]
		pkgs[i] = &Package{Path: l.path, Name: l.name, Dir: l.dir, GoModule: l.goMod, ModDir: l.modDir, HasGoFiles: !l.testOnly}
		for j, f := range l.files {
			pkgs[i].Files = append(pkgs[i].Files, relSlash(root, f))
			jobs = append(jobs, job{i, j})
		}
	}
	results := make([]fileResult, len(jobs))
	parallel(len(jobs), func(i int) {
		p := pkgs[jobs[i].pkg]
		rel := p.Files[jobs[i].file]
		r, err := readFile(root, rel, p.GoModule)
		if err != nil {
			r.warn = &Warning{Subject: rel, Message: err.Error()}
		}
		results[i] = r
	})
	var warns []Warning
	for i, j := range jobs {
		p := pkgs[j.pkg]
		p.Imports = append(p.Imports, results[i].imports...)
		p.Hits = append(p.Hits, results[i].hits...)
		p.SQLText = p.SQLText || results[i].sql
		p.Outbound = p.Outbound || results[i].out
		p.MTLS = p.MTLS || results[i].mtls
		if w := results[i].warn; w != nil && !listFailed[p.Dir] {
			warns = append(warns, *w)
		}
	}
	return pkgs, warns
}

// fileResult is what reading one file tells.
type fileResult struct {
	imports []Import
	hits    []Hit
	sql     bool // text that looks like SQL
	mtls    bool // asks for client certificates
	out     bool // text that looks like a call to another service or a message
	warn    *Warning
}

// readFile parses one file: only its imports, unless the text holds a call that may tell a
// program's kind, in which case the whole file is parsed to find it.
func readFile(root, rel, modPath string) (r fileResult, err error) {
	src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return r, err
	}
	r.sql, r.out = looksLikeSQL(src), mayCall(src)
	r.mtls = bytes.Contains(src, []byte("RequireAndVerifyClientCert")) || bytes.Contains(src, []byte("VerifyClientCertIfGiven"))
	full := mayHit(src)
	mode := parser.ImportsOnly | parser.SkipObjectResolution
	if full {
		mode = parser.SkipObjectResolution
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, rel, src, mode)
	if f == nil {
		return r, err
	}
	if err != nil {
		err = fmt.Errorf("parse error, only part of the file was read: %s", firstLine(err.Error()))
	}
	test := strings.HasSuffix(rel, "_test.go")
	for _, spec := range f.Imports {
		p, uerr := strconv.Unquote(spec.Path.Value)
		if uerr != nil {
			continue
		}
		pos := fset.Position(spec.Path.Pos())
		r.imports = append(r.imports, Import{Path: p, File: rel, Line: pos.Line, Column: pos.Column, Test: test})
	}
	if full && !test {
		r.hits = findHits(fset, f, rel, modPath)
	}
	return r, err
}

// callMarkers are words that a file calling another service, or publishing or consuming a
// message, must hold: a cheap test that spares the typed analysis where nothing calls out.
var callMarkers = [][]byte{
	[]byte("http.Get("), []byte("http.Post("), []byte("http.Head("), []byte("http.PostForm("), []byte("NewRequest"),
	[]byte("go-resty"), []byte("Client("), []byte("Server("), []byte("Publish"), []byte("Produce"), []byte("SendMessage"),
	[]byte("PutEvents"), []byte("WriteMessages"), []byte("Subscribe"), []byte("Consume"), []byte("ReceiveMessage"),
	[]byte("Receive("), []byte("ReaderConfig"), []byte("WriterConfig"), []byte("kafka.Writer"), []byte("Topic"),
}

func mayCall(src []byte) bool {
	for _, m := range callMarkers {
		if bytes.Contains(src, m) {
			return true
		}
	}
	return false
}

var sqlMarkers = [][]byte{[]byte("SELECT "), []byte("INSERT "), []byte("UPDATE "), []byte("DELETE "),
	[]byte("select "), []byte("insert "), []byte("update "), []byte("delete ")}

// looksLikeSQL is a cheap test for files that may hold SQL text.
func looksLikeSQL(src []byte) bool {
	for _, m := range sqlMarkers {
		if bytes.Contains(src, m) {
			return true
		}
	}
	return false
}

// kindCall is a call that tells what kind of program reaches it.
type kindCall struct {
	kind string
	// imports: the file must import one of these (an import path or a prefix of one).
	imports []string
	// names the function or method must have (a trailing * matches a prefix).
	names []string
	// qualified: the call must be pkg.Name on the imported package itself (lambda.Start),
	// not a method on a value.
	qualified bool
	// mainOnly: the call counts only in the main package itself. A clock loop deep in a library
	// (a ticker in a storage engine) says nothing of the program that links it.
	mainOnly bool
}

// kindCalls is every call that tells a program's kind; adding a library is adding a line.
var kindCalls = []kindCall{
	{KindFunction, []string{"github.com/aws/aws-lambda-go/lambda"}, []string{"Start*"}, true, false},
	{KindFunction, []string{"github.com/GoogleCloudPlatform/functions-framework-go/functions"}, []string{"HTTP", "CloudEvent"}, true, false},
	{KindFunction, []string{"github.com/GoogleCloudPlatform/functions-framework-go/funcframework"}, []string{"Register*", "Start*"}, true, false},
	// Servers: net/http and gRPC (also through helpers such as exporter-toolkit's ServeMultiple).
	{KindService, []string{"net/http", "google.golang.org/grpc"}, []string{"ListenAndServe*", "Serve", "ServeTLS", "ServeMultiple", "ServeListener", "ServeQUIC"}, false, false},
	{KindService, []string{"github.com/gin-gonic/gin"}, []string{"Run", "RunTLS", "RunListener"}, false, false},
	{KindService, []string{"github.com/labstack/echo"}, []string{"Start", "StartTLS", "StartAutoTLS", "StartServer", "StartH2CServer"}, false, false},
	{KindService, []string{"github.com/gofiber/fiber"}, []string{"Listen", "ListenTLS", "Listener"}, false, false},
	{KindService, []string{"go-micro.dev", "github.com/micro/go-micro", "github.com/asim/go-micro"}, []string{"Run"}, false, false},
	// Workers: consumers of queues and streams.
	{KindWorker, []string{"github.com/IBM/sarama", "github.com/Shopify/sarama"}, []string{"ConsumePartition", "Consume"}, false, false},
	{KindWorker, []string{"github.com/segmentio/kafka-go"}, []string{"ReadMessage", "FetchMessage"}, false, false},
	{KindWorker, []string{"github.com/twmb/franz-go"}, []string{"PollFetches", "PollRecords"}, false, false},
	{KindWorker, []string{"github.com/confluentinc/confluent-kafka-go"}, []string{"ReadMessage", "SubscribeTopics", "Poll"}, false, false},
	{KindWorker, []string{"github.com/nats-io/nats.go"}, []string{"Subscribe", "QueueSubscribe", "ChanSubscribe", "SubscribeSync", "QueueSubscribeSync", "Consume", "Fetch"}, false, false},
	{KindWorker, []string{"github.com/rabbitmq/amqp091-go", "github.com/streadway/amqp"}, []string{"Consume"}, false, false},
	{KindWorker, []string{"github.com/aws/aws-sdk-go-v2/service/sqs", "github.com/aws/aws-sdk-go/service/sqs"}, []string{"ReceiveMessage", "ReceiveMessageWithContext"}, false, false},
	{KindWorker, []string{"cloud.google.com/go/pubsub"}, []string{"Receive"}, false, false},
	// Workers that loop on a clock.
	{KindWorker, []string{"time"}, []string{"Tick", "NewTicker"}, true, true},
	{KindWorker, []string{"github.com/robfig/cron", "github.com/go-co-op/gocron"}, []string{"AddFunc", "AddJob", "Every", "NewJob"}, false, true},
}

var hitMarkers = func() [][]byte {
	ms := [][]byte{[]byte("ListenAndServe"), []byte(".Serve"), []byte("time.Tick"), []byte("time.NewTicker")}
	seen := map[string]bool{}
	for _, kc := range kindCalls {
		for _, imp := range kc.imports {
			if imp != "net/http" && imp != "google.golang.org/grpc" && imp != "time" && !seen[imp] {
				seen[imp] = true
				ms = append(ms, []byte(`"`+imp))
			}
		}
	}
	return ms
}()

func mayHit(src []byte) bool {
	for _, m := range hitMarkers {
		if bytes.Contains(src, m) {
			return true
		}
	}
	return false
}

func nameMatches(patterns []string, name string) bool {
	for _, p := range patterns {
		if pre, ok := strings.CutSuffix(p, "*"); ok && strings.HasPrefix(name, pre) || p == name {
			return true
		}
	}
	return false
}

func importsPrefix(names map[string]string, prefixes []string) (string, bool) {
	for local, p := range names {
		for _, pre := range prefixes {
			if p == pre || strings.HasPrefix(p, pre+"/") || strings.HasPrefix(p, pre) && strings.Contains(pre, ".") && !strings.Contains(pre, "/") {
				return local, true
			}
		}
	}
	return "", false
}

// findHits finds the calls in a file that tell what kind of program runs it (kindCalls). The
// evidence is the call as written (srv.ListenAndServe, lambda.Start). A function of the
// repository's own Go module (modPath) that is merely named Serve is no server: the server it
// starts is found where it is.
func findHits(fset *token.FileSet, f *ast.File, rel, modPath string) []Hit {
	names := importNames(f) // local name -> import path
	var active []kindCall
	for _, kc := range kindCalls {
		if _, ok := importsPrefix(names, kc.imports); ok {
			active = append(active, kc)
		}
	}
	if len(active) == 0 {
		return nil
	}
	var hits []Hit
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		x, _ := sel.X.(*ast.Ident)
		xPath := ""
		if x != nil {
			xPath = names[x.Name]
		}
		if xPath != "" && modPath != "" && (xPath == modPath || strings.HasPrefix(xPath, modPath+"/")) {
			return true
		}
		for _, kc := range active {
			if !nameMatches(kc.names, sel.Sel.Name) {
				continue
			}
			if kc.qualified {
				if xPath == "" || !slices.Contains(kc.imports, xPath) {
					continue
				}
			}
			hits = append(hits, Hit{Kind: kc.kind, Call: types.ExprString(sel), File: rel, Line: fset.Position(call.Pos()).Line, MainOnly: kc.mainOnly})
			break
		}
		return true
	})
	return hits
}

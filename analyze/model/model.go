package model

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/cleave-dev/cleave/rules"
)

// Deployable kinds.
const (
	KindService  = "service"
	KindWorker   = "worker"
	KindFunction = "function"
	KindCLI      = "cli"
	KindTool     = "tool"
	// KindRoutes marks a call that registers handlers (mux.HandleFunc, pb.RegisterXServer):
	// evidence of serving when no server start is found, never a deployable's kind itself.
	KindRoutes = "routes"
)

// Result is the outcome of one analysis: the repository model and its findings.
// It is what every renderer reads; field order is the JSON order of the contract.
type Result struct {
	SchemaVersion int  `json:"schemaVersion"`
	Tool          Tool `json:"tool"`
	// System names the system of several repositories analysed as one; "" for one repository.
	System string `json:"system,omitempty"`
	// Repositories are the repositories of a system, in the order given; absent for one
	// repository. Every path of a system's result begins with its repository's name.
	Repositories []Repository `json:"repositories,omitempty"`
	// Couplings are what ties the repositories of a system together: calls between their
	// deployables, tables and databases they share. Absent for one repository.
	Couplings   []Coupling   `json:"couplings,omitempty"`
	GoModules   []GoModule   `json:"goModules"`
	Deployables []Deployable `json:"deployables"`
	Modules     []Module     `json:"modules"`
	// Dependencies are the edges of the module graph, each with the imports behind it.
	Dependencies []Dependency `json:"dependencies"`
	// CycleCut is a smallest set of module dependencies found whose removal leaves the module
	// graph acyclic, each with its imports: where to break the module cycles.
	CycleCut []Dependency `json:"cycleCut"`
	// Tables are the database tables (collections) the code touches, with every access.
	Tables []Table `json:"tables"`
	// Connections are the places where deployables open a database, and through which setting.
	Connections []Connection `json:"connections"`
	// Calls are the edges of the service graph: HTTP and gRPC calls, messages sent.
	Calls []Call `json:"calls"`
	// ExternalServices are the services the repository deploys that no Go main package here
	// builds (written in another language), which calls can reach: nodes of the service graph
	// that are not deployables.
	ExternalServices []ExternalService `json:"externalServices"`
	// Practices says what the code shows of the guide's practices: API contracts, contract
	// tests, OpenTelemetry, mutual TLS, enforced module boundaries.
	Practices []PracticeEvidence `json:"practices"`
	Findings  []*rules.Finding   `json:"findings"`
	// Architecture is what the code is today; Signals are the counts behind it, which the
	// decision engine reads.
	Architecture Architecture `json:"architecture"`
	Signals      Signals      `json:"signals"`
	// Recommendation is the decision: the decision engine's verdict with the rule pack in use,
	// made once per command (never by the analysis itself) and set with WithRecommendation.
	Recommendation rules.Recommendation `json:"recommendation"`
	// Warnings name what could not be analysed (a package that failed to load, a manifest that
	// could not be read); the rest of the result stands.
	Warnings []Warning `json:"warnings"`

	// Readiness scores every module for extraction; the report's extractionReadiness.
	Readiness []ModuleReadiness `json:"-"`

	// Packages is the repository's own packages, sorted by directory. Not part of the JSON.
	Packages []*Package `json:"-"`
	// Root is the absolute directory analysed.
	Root string `json:"-"`
	// ListingCached is set when the package listing came from the cache instead of the go
	// command. Not part of the JSON: the result is the same either way.
	ListingCached bool `json:"-"`
	// FactsCached is set when the facts of the typed pass (tables, connections, calls, the
	// kinds it decided) came from the cache. Not part of the JSON, for the same reason.
	FactsCached bool `json:"-"`
	// Open are the calls and served endpoints no deployable of the repository matched, kept
	// when the analysis is one repository of a system: the system resolves them. Not part of
	// the JSON.
	Open *OpenEnds `json:"-"`
}

// Repository is one repository of a system.
type Repository struct {
	Name string `json:"name"`
	// Path is the repository's directory as given (on the command line, or in the system
	// file, relative to it), with '/'.
	Path string `json:"path"`
	// Role is "code" for a repository of Go modules, "deployment" for one holding only
	// manifests (docker-compose, Kubernetes) for the others, "other" for one with neither (a
	// service in another language, which the deployment names).
	Role string `json:"role"`
	// Deployables counts the repository's deployables; Findings its own findings.
	Deployables int `json:"deployables"`
	Findings    int `json:"findings"`
}

// Coupling is one thing that ties two or more repositories of a system together.
type Coupling struct {
	// Kind is "call", "table" or "database".
	Kind string `json:"kind"`
	// Repositories are the repositories it ties: caller then callee for a call, else sorted.
	Repositories []string `json:"repositories"`
	// What names it: "orders → inventory over http", "table orders", "database postgres:5432/shop".
	What        string   `json:"what"`
	Deployables []string `json:"deployables"`
	// Evidence are the places that make it, in each repository, qualified by it.
	Evidence []rules.Location `json:"evidence"`
}

// Coupling kinds.
const (
	CouplingCall     = "call"
	CouplingTable    = "table"
	CouplingDatabase = "database"
)

// Repository roles.
const (
	RoleCode       = "code"
	RoleDeployment = "deployment"
	RoleOther      = "other"
)

// OpenEnds are what one repository's calls leave to the system: the endpoints no deployable
// of the repository answered, and what its deployables serve and consume.
type OpenEnds struct {
	// Calls are the calls whose target nothing in the repository is: a host, a gRPC service,
	// a topic.
	Calls []OpenCall
	// Serves maps a deployable to what it serves: "grpc:<service>", or "<protocol>:<topic>"
	// for a topic it consumes.
	Serves map[string][]string
}

// OpenCall is a call made by a deployable whose target is outside its repository.
type OpenCall struct {
	From string
	// Kind is "http", "grpc-client" or "produce"; Protocol as in Call.
	Kind, Protocol string
	// Target is the URL text (with ${ENV} placeholders), the gRPC service, or the topic.
	Target string
	File   string
	Line   int
}

// Tool names the program that wrote the result.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// GoModule is one go.mod under the analysed directory.
type GoModule struct {
	Path string `json:"path"`
	Dir  string `json:"dir"`
}

// Deployable is a main package: something that can be built into a binary and run.
type Deployable struct {
	Name string `json:"name"`
	// Repository names the repository of a system that builds it; "" for one repository.
	Repository string `json:"repository,omitempty"`
	Package    string `json:"package"`
	Dir        string `json:"dir"`
	Kind       string `json:"kind"`
	// Module is the logical module the main package belongs to ("" when none).
	Module string `json:"module"`
	// Evidence says why the deployable has its kind.
	Evidence []string `json:"evidence"`
	// Components are the units a multi-role binary runs on its own, chosen at run time (a
	// subcommand, a -target flag, a role): deployed as several services. Empty for most.
	Components []Component `json:"components"`
	// Bundles names the deployables this one packages into one process (an all-in-one or lite
	// build that runs their entry code): tables and settings it shares with them, and calls
	// between them, are no coupling.
	Bundles []string `json:"bundles"`
}

// IsBundle reports whether the deployable packages others.
func (d Deployable) IsBundle() bool { return len(d.Bundles) > 0 }

// Component is one unit of a multi-role binary.
type Component struct {
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Packages []string `json:"packages"` // the repository packages the case runs
	Evidence []string `json:"evidence"`
	// Calls are the calls this component makes to another component of the same binary
	// (started as another process with another role): kept apart from the calls between
	// deployables, which they are not.
	Calls []ComponentCall `json:"calls,omitempty"`
	// Tables are the tables the component's code reads or writes (migrations aside), sorted.
	Tables []string `json:"tables,omitempty"`
}

// ComponentCall is a call from one component of a binary to another of the same binary.
type ComponentCall struct {
	To       string `json:"to"`
	Protocol string `json:"protocol"`
	File     string `json:"file"`
	Line     int    `json:"line"`
	Via      string `json:"via"`
}

// ComponentOf returns the component of d whose packages hold dir (a package directory), or "".
func (d Deployable) ComponentOf(dir string) string {
	for _, c := range d.Components {
		for _, p := range c.Packages {
			if dir == p || strings.HasPrefix(dir, p+"/") {
				return c.Name
			}
		}
	}
	return ""
}

// Module is a logical module: a part of the code with a public API and dependencies.
type Module struct {
	Name   string   `json:"name"`
	Dirs   []string `json:"dirs"`
	Public []string `json:"public"`
	Open   bool     `json:"open"`
	// Packages counts the Go packages of the module.
	Packages  int      `json:"packages"`
	DependsOn []string `json:"dependsOn"`
	// DependedOnBy lists the modules that import this one.
	DependedOnBy []string `json:"dependedOnBy"`
	FanIn        int      `json:"fanIn"`
	FanOut       int      `json:"fanOut"`

	// Paths are the directories that define the module in a .cleave.yaml (Dirs less the
	// composition roots, which join modules on their own).
	Paths []string `json:"-"`
	// Conventional is set when Public is what the default convention gives (the root package,
	// sub-packages named like an API, everything in an open module).
	Conventional bool `json:"-"`
}

// Dependency is an edge of the module graph: From imports To.
type Dependency struct {
	From    string       `json:"from"`
	To      string       `json:"to"`
	Imports []ImportEdge `json:"imports"`
}

// ImportEdge is one import statement behind a module dependency.
type ImportEdge struct {
	Package string `json:"package"` // directory of the importing package
	Imports string `json:"imports"` // directory of the imported package
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	// Blank is set for an import for side effects only.
	Blank bool `json:"-"`
}

// Table is a database table, collection or DynamoDB table, with every access to it.
type Table struct {
	Name     string        `json:"name"`
	Store    string        `json:"store"`
	Accesses []TableAccess `json:"accesses"`
}

// TableAccess is one place in the code that reads or writes a table.
type TableAccess struct {
	Module      string   `json:"module"`
	Deployables []string `json:"deployables"`
	Op          string   `json:"op"`
	File        string   `json:"file"`
	Line        int      `json:"line"`
	// Migration is set for an access in schema migrations (a migrations file or directory): it
	// keeps the schema, and makes no module or deployable a user of the table.
	Migration bool `json:"migration"`
	// Components are the components of multi-role binaries that can run the access, each as
	// "deployable/component".
	Components []string `json:"components,omitempty"`
	// Linked is set when no call path from a main reaches the access and its deployables are
	// those that link its package: the call graph cannot see into the package (reflection,
	// plugins, registration by name), so linking it stands in for calling it.
	Linked bool `json:"linked,omitempty"`
	// Chosen are those of Deployables that run the access only if their configuration picks
	// it: they reach it through one arm of a switch over alternatives (one storage backend of
	// several), and by no other path. They use the table only as configured; two such do not
	// share it.
	Chosen []string `json:"chosen,omitempty"`
}

// IsMigration reports whether a file holds schema migrations: a migrations or migrate file or
// directory (internal/database/migrations.go, db/migrate/, store/migration/024_x.go).
func IsMigration(file string) bool {
	for _, s := range Segments(file) {
		s = strings.ToLower(s)
		if strings.HasPrefix(s, "migration") || strings.HasPrefix(s, "migrate") {
			return true
		}
	}
	return false
}

// PracticeEvidence is what the code shows of one of the guide's practices.
type PracticeEvidence struct {
	ID       string   `json:"id"`
	Found    bool     `json:"found"`
	Evidence []string `json:"evidence"`
}

// Warning is a problem that limited the analysis without stopping it.
type Warning struct {
	// Subject is what the warning is about: a package path, a Go module, a file.
	Subject string `json:"subject"`
	Message string `json:"message"`
}

// Package is one Go package of the repository.
type Package struct {
	Path     string // import path
	Name     string // package name
	Dir      string // relative to the root, with '/'; "." for the root
	GoModule string // module path of its go.mod
	ModDir   string // directory of its go.mod, relative to the root
	Files    []string
	Imports  []Import
	// Hits are the calls in the package that tell what kind of program runs it.
	Hits []Hit
	// HasGoFiles is false for a directory whose only Go files are tests.
	HasGoFiles bool
	// Lines counts the lines of the package's non-test files.
	Lines int
	// HasMainFunc is set when a file declares func main: a package main without one (a file
	// that only holds go:generate lines) is no program.
	HasMainFunc bool
	// SQLText is set when a file holds text that looks like a SQL statement.
	SQLText bool
	// MTLS is set when a file asks for client certificates (mutual TLS).
	MTLS bool
	// Outbound is set when a file may call another service or publish or consume a message.
	Outbound bool
	// Generated is set when every file of the package says it was generated (protobuf and
	// gRPC stubs, sqlc, ent): a contract meant to be imported, not a module's inside.
	Generated bool

	// Module is the logical module the package belongs to ("" for none).
	Module string
	// Root is true for a main package that wires modules together: one in a composition
	// root, or a tool. Its imports are exempt from boundary rules.
	Root bool
	// Wiring is true, with inferred modules, for a package that assembles modules without being
	// a composition root by name: its imports are no private-import findings.
	Wiring bool
	// TestSupport is true, with inferred modules, for a package only tests import.
	TestSupport bool
}

// ImportsAny reports whether the package imports one of the given paths (or a package below
// one), outside its tests.
func (p *Package) ImportsAny(prefixes ...string) bool {
	for _, imp := range p.Imports {
		if imp.Test {
			continue
		}
		if PathMatches(imp.Path, prefixes...) {
			return true
		}
	}
	return false
}

// PathMatches reports whether an import path is one of the prefixes or lies below one: the one
// import matcher of the analysis ("github.com/jackc/pgx" matches ".../pgx/v5", not ".../pgxpool").
func PathMatches(path string, prefixes ...string) bool {
	for _, pre := range prefixes {
		if strings.HasPrefix(path, pre) && (len(path) == len(pre) || path[len(pre)] == '/') {
			return true
		}
	}
	return false
}

// IsMain reports whether the package is a program.
func (p *Package) IsMain() bool { return p.Name == "main" && p.HasGoFiles && p.HasMainFunc }

// Import is one import declaration in a file of a package.
type Import struct {
	Path   string
	File   string // relative to the root
	Line   int
	Column int
	Test   bool // the file is a _test.go file
	// Blank is set for an import for side effects only (import _ "…"): it links the package,
	// to run its registrations, and uses none of its API.
	Blank bool
}

// Hit is a call that tells the kind of a program: lambda.Start makes a function, ListenAndServe a service.
type Hit struct {
	Kind string
	Call string
	File string
	Line int
	// MainOnly hits count only in a main package itself.
	MainOnly bool
	// Aux names the purpose of a listener that serves operators, not users (a health check,
	// metrics, profiling, a loopback callback): it makes no service.
	Aux string
}

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
	// External is set when To is one of ExternalServices, not a deployable.
	External bool `json:"external,omitempty"`
	// Purpose is PurposeOperator for a call to an endpoint that serves operators (health,
	// metrics, expvar, pprof): a scrape or a probe, which extends no synchronous chain.
	Purpose string `json:"purpose,omitempty"`
}

// ExternalService is a service the repository deploys without building it from Go here.
type ExternalService struct {
	Name string `json:"name"`
	// Repository names the repository of a system that holds its code, in another language
	// (a repository named after it with no Go module); "" when none does.
	Repository string   `json:"repository,omitempty"`
	Aliases    []string `json:"aliases"` // host names that reach it (Kubernetes Services)
	Evidence   []string `json:"evidence"`
}

// ExternalSet gathers services deployed without Go code by name, with each host name that
// reaches one and each piece of evidence once.
type ExternalSet struct {
	byName map[string]*ExternalService
	order  []string
}

// Add records that the service name is deployed (by says where), reached also as alias.
func (s *ExternalSet) Add(name, alias, by string) *ExternalService {
	x := s.byName[name]
	if x == nil {
		if s.byName == nil {
			s.byName = map[string]*ExternalService{}
		}
		x = &ExternalService{Name: name, Aliases: []string{}}
		s.byName[name] = x
		s.order = append(s.order, name)
	}
	if alias != "" && alias != name && !slices.Contains(x.Aliases, alias) {
		x.Aliases = append(x.Aliases, alias)
	}
	if by != "" && !slices.Contains(x.Evidence, by) {
		x.Evidence = append(x.Evidence, by)
	}
	return x
}

// List returns the services in the order they were first added, their aliases and evidence
// sorted.
func (s *ExternalSet) List() []ExternalService {
	out := []ExternalService{}
	for _, name := range s.order {
		x := *s.byName[name]
		x.Aliases, x.Evidence = NonNil(slices.Sorted(slices.Values(x.Aliases))), NonNil(slices.Sorted(slices.Values(x.Evidence)))
		out = append(out, x)
	}
	return out
}

// PurposeOperator marks a call to an operator endpoint.
const PurposeOperator = "operator"

// Connection is a place where a deployable connects to a database, and through which setting.
type Connection struct {
	// Setting is "env:NAME" for an environment variable, "dsn:…" for a literal (password hidden).
	Setting     string   `json:"setting"`
	Deployables []string `json:"deployables"`
	File        string   `json:"file"`
	Line        int      `json:"line"`
}

// Architecture is what the code is today, with the evidence for it.
type Architecture struct {
	Current  string   `json:"current"`
	Evidence []string `json:"evidence"`
}

// Signals are the counts of facts behind the architecture, which the decision engine reads.
// They count facts, never findings: the configuration grades findings and cannot change them.
// Fields are in the order of their JSON keys.
type Signals struct {
	AsyncCalls                int `json:"async_calls"`
	BoundaryFindings          int `json:"boundary_findings"`
	Bundles                   int `json:"bundles"`
	CallCycles                int `json:"call_cycles"`
	CLIs                      int `json:"clis"`
	Components                int `json:"components"`
	Deployables               int `json:"deployables"`
	ForbiddenDependencies     int `json:"forbidden_dependencies"`
	Functions                 int `json:"functions"`
	ModuleCycles              int `json:"module_cycles"`
	ModuleImports             int `json:"module_imports"`
	Modules                   int `json:"modules"`
	PrivateImports            int `json:"private_imports"`
	Services                  int `json:"services"`
	SharedDSNs                int `json:"shared_dsns"`
	SharedTables              int `json:"shared_tables"`
	SyncCalls                 int `json:"sync_calls"`
	SyncChainDepth            int `json:"sync_chain_depth"`
	SyncChains                int `json:"sync_chains"`
	Tables                    int `json:"tables"`
	TablesSharedByDeployables int `json:"tables_shared_by_deployables"`
	Tools                     int `json:"tools"`
	Workers                   int `json:"workers"`
}

// Count counts one deployable, or one component of a multi-role binary, by its kind.
func (s *Signals) Count(kind string) {
	switch kind {
	case KindService:
		s.Services++
	case KindWorker:
		s.Workers++
	case KindFunction:
		s.Functions++
	case KindCLI:
		s.CLIs++
	case KindTool:
		s.Tools++
	}
}

// Runtime counts the deployables that run on their own: services, workers and functions.
func (s Signals) Runtime() int { return s.Services + s.Workers + s.Functions }

// WithRecommendation returns a copy of the result that carries the decision.
func (r *Result) WithRecommendation(rec rules.Recommendation) *Result {
	c := *r
	c.Recommendation = rec
	return &c
}

// ModulePaths returns the module paths of the Go modules analysed.
func (r *Result) ModulePaths() []string {
	out := make([]string, 0, len(r.GoModules))
	for _, gm := range r.GoModules {
		out = append(out, gm.Path)
	}
	return out
}

// Segments splits a slash-separated directory; "." and "" have none.
func Segments(dir string) []string {
	if dir == "" || dir == "." {
		return nil
	}
	return strings.Split(dir, "/")
}

// ListShort joins the first most items with commas and counts the rest (a, b, c +2); "-" for
// none.
func ListShort(items []string, most int) string {
	if len(items) == 0 {
		return "-"
	}
	if len(items) > most {
		return strings.Join(items[:most], ", ") + fmt.Sprintf(" +%d", len(items)-most)
	}
	return strings.Join(items, ", ")
}

// NonNil returns s, or an empty list for nil, so that JSON shows [].
func NonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// ToolDirs mark main packages that do not ship, wherever they appear in the path.
var ToolDirs = map[string]bool{
	"examples": true, "example": true, "_examples": true, "hack": true, "tools": true,
	"scripts": true, "test": true, "tests": true, "e2e": true, "integration": true,
}

// InToolDir reports whether a directory lies under examples/, tools/, hack/, test/, … anywhere.
func InToolDir(dir string) bool {
	for _, s := range Segments(dir) {
		if ToolDirs[s] {
			return true
		}
	}
	return false
}

// SharedModulePaths returns the module paths that several Go modules among pkgs declare:
// copies of one module (see InCopy).
func SharedModulePaths(pkgs []*Package) map[string]bool {
	dirs := map[string]map[string]bool{}
	for _, p := range pkgs {
		if p.GoModule == "" {
			continue
		}
		if dirs[p.GoModule] == nil {
			dirs[p.GoModule] = map[string]bool{}
		}
		dirs[p.GoModule][p.ModDir] = true
	}
	out := map[string]bool{}
	for m, ds := range dirs {
		if len(ds) >= 2 {
			out[m] = true
		}
	}
	return out
}

// InCopy returns the path by which a package of a copy of a Go module means an import path:
// where several Go modules declare the module path mod, every one but the first by directory
// (modDir) names its own packages mod[modDir]/…, so that no import reaches across copies.
func InCopy(mod, modDir, path string) string {
	if rest, ok := strings.CutPrefix(path, mod); ok && mod != "" && (rest == "" || rest[0] == '/') {
		return mod + "[" + modDir + "]" + rest
	}
	return path
}

// CopyImport is InCopy for an import written in the files of p: its own module's packages
// when p lies in such a copy, else the path as written.
func (p *Package) CopyImport(path string) string {
	if p.GoModule == "" || !strings.HasPrefix(p.Path, p.GoModule+"[") {
		return path
	}
	return InCopy(p.GoModule, p.ModDir, path)
}

// RelSlash returns target relative to base with '/' separators; "." for base itself.
func RelSlash(base, target string) string {
	r, err := filepath.Rel(base, target)
	if err != nil {
		return filepath.ToSlash(target)
	}
	return filepath.ToSlash(r)
}

// ModuleReadiness says how ready a module is to become a service of its own.
type ModuleReadiness struct {
	Module     string `json:"module"`
	OwnsTables string `json:"ownsTables"` // "yes (3)", "no: shares orders", "none"
	FanIn      int    `json:"fanIn"`
	InCycle    bool   `json:"inCycle"`
	// Violations counts the private imports and forbidden dependencies into the module.
	Violations int `json:"violations"`
	Score      int `json:"score"`
	// Open modules are shared kernels: depended on by design, never the first to extract.
	Open bool `json:"open"`
}

// Sort puts the open ends in a stable order: calls by caller and site, served names sorted.
// A nil OpenEnds stays nil.
func (o *OpenEnds) Sort() {
	if o == nil {
		return
	}
	sort.Slice(o.Calls, func(i, j int) bool {
		a, b := o.Calls[i], o.Calls[j]
		if a.From != b.From {
			return a.From < b.From
		}
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Target < b.Target
	})
	for _, s := range o.Serves {
		sort.Strings(s)
	}
}

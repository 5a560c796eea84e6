// Package analyze loads a Go repository and builds cleave's model of it: the Go modules,
// packages and their imports, the deployables, the logical modules and the dependencies
// between them. Detectors run over the finished model and return findings.
package analyze

import "github.com/cleave-dev/cleave/rules"

// Deployable kinds.
const (
	KindService  = "service"
	KindWorker   = "worker"
	KindFunction = "function"
	KindCLI      = "cli"
	KindTool     = "tool"
)

// Result is the outcome of one analysis: the repository model and its findings.
// It is what every renderer reads; field order is the JSON order of the contract.
type Result struct {
	SchemaVersion int          `json:"schemaVersion"`
	Tool          Tool         `json:"tool"`
	GoModules     []GoModule   `json:"goModules"`
	Deployables   []Deployable `json:"deployables"`
	Modules       []Module     `json:"modules"`
	// Dependencies are the edges of the module graph, each with the imports behind it.
	Dependencies []Dependency `json:"dependencies"`
	// Tables are the database tables (collections) the code touches, with every access.
	Tables []Table `json:"tables"`
	// Connections are the places where deployables open a database, and through which setting.
	Connections []Connection `json:"connections"`
	// Calls are the edges of the service graph: HTTP and gRPC calls, messages sent.
	Calls []Call `json:"calls"`
	// Practices says what the code shows of the guide's practices: API contracts, contract
	// tests, OpenTelemetry, mutual TLS, enforced module boundaries.
	Practices []PracticeEvidence `json:"practices"`
	Findings  []*rules.Finding   `json:"findings"`
	// Architecture is what the code is today; Signals are the counts behind it, which the
	// decision engine reads.
	Architecture Architecture   `json:"architecture"`
	Signals      map[string]int `json:"signals"`
	// Recommendation is the decision engine's verdict from what the code alone shows (shared
	// tables, call chains, what exists); with few answers its confidence is low. `cleave assess
	// --repo` adds the answers only people can give.
	Recommendation rules.Recommendation `json:"recommendation"`
	// Warnings name what could not be analysed (a package that failed to load, a manifest that
	// could not be read); the rest of the result stands.
	Warnings []Warning `json:"warnings"`

	// Packages is the repository's own packages, sorted by directory. Not part of the JSON.
	Packages []*Package `json:"-"`
	// Root is the absolute directory analysed.
	Root string `json:"-"`
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
	Name    string `json:"name"`
	Package string `json:"package"`
	Dir     string `json:"dir"`
	Kind    string `json:"kind"`
	// Module is the logical module the main package belongs to ("" when none).
	Module string `json:"module"`
	// Evidence says why the deployable has its kind.
	Evidence []string `json:"evidence"`
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
	// SQLText is set when a file holds text that looks like a SQL statement.
	SQLText bool
	// MTLS is set when a file asks for client certificates (mutual TLS).
	MTLS bool
	// Outbound is set when a file may call another service or publish or consume a message.
	Outbound bool

	// Set by module assignment.
	Module string
	// Root is true for a main package that wires modules together: one in a composition
	// root, or a tool. Its imports are exempt from boundary rules.
	Root bool
}

// IsMain reports whether the package is a program.
func (p *Package) IsMain() bool { return p.Name == "main" && p.HasGoFiles }

// Import is one import declaration in a file of a package.
type Import struct {
	Path   string
	File   string // relative to the root
	Line   int
	Column int
	Test   bool // the file is a _test.go file
}

// Hit is a call that tells the kind of a program: lambda.Start makes a function, ListenAndServe a service.
type Hit struct {
	Kind string
	Call string
	File string
	Line int
	// MainOnly hits count only in a main package itself.
	MainOnly bool
}

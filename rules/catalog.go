package rules

import "sort"

// Rule documents one finding rule: what it reports, why it matters, how to fix it.
// `cleave rules ID` prints it; SARIF and Markdown reports link to it.
type Rule struct {
	ID       string
	Severity Severity // default; .cleave.yaml may change it
	Title    string
	What     string
	Why      string
	Fix      string
	Guide    string // the section of the architecture guide the rule rests on
	// Options lists the integer options the rule takes in .cleave.yaml, with their defaults.
	Options map[string]int
}

// Rule ids of the v1 contract.
const (
	PrivateImport       = "boundary/private-import"
	ForbiddenDependency = "boundary/forbidden-dependency"
	ModuleCycle         = "boundary/module-cycle"
	SharedTable         = "db/shared-table"
	ForeignTable        = "db/foreign-table"
	SharedDSN           = "db/shared-dsn"
	SyncChain           = "calls/sync-chain"
	CallCycle           = "calls/cycle"
)

// Rule ids added since v1.
const (
	Layer           = "boundary/layer"
	Unowned         = "boundary/unowned"
	StaleDependency = "boundary/stale-dependency"
)

var catalog = map[string]*Rule{
	PrivateImport: {
		ID: PrivateImport, Severity: Error,
		Title: "Import of another module's private package",
		What: "A package of one module imports a package of another module that is not part of that module's public API " +
			"(its root package, sub-packages named api, client, contract, events, public, spi, or the `public` list of .cleave.yaml). " +
			"With no modules declared, cleave infers the API and reports a warning that says so: generated packages are contracts, " +
			"a package two or more modules import is a library, a module three or more of whose packages others import is a library of " +
			"packages, while a module's storage and adapter packages (store, repository, db, dao, adapters, …) stay private; " +
			"the imports of main packages, of cmd/, of packages that only assemble modules, of test support and for side effects are exempt.",
		Why: "A module is only replaceable, testable and extractable while others reach it through its API. Every import of its " +
			"insides is a hidden contract that breaks on refactoring and makes a later split into services far harder.",
		Fix: "Call the module through its public package instead; if the API lacks what you need, add it there. " +
			"If the package really is API, list it under the module's `public` in .cleave.yaml.",
		Guide: "The Modular Monolith: A Pragmatic Alternative",
	},
	ForbiddenDependency: {
		ID: ForbiddenDependency, Severity: Error,
		Title: "Dependency not allowed by .cleave.yaml",
		What:  "A module imports a module that its `dependsOn` list in .cleave.yaml does not name.",
		Why: "The allowed dependencies are the architecture the team agreed on. An edge outside them couples two parts of " +
			"the domain that were meant to stay apart, and such edges pile up silently unless a gate stops them.",
		Fix: "Remove the dependency (invert it with an interface or an event owned by the lower module), " +
			"or, if the team agrees the edge is right, add the module to `dependsOn`.",
		Guide: "Domain-Driven Design: The Foundation",
	},
	ModuleCycle: {
		ID: ModuleCycle, Severity: Error,
		Title: "Modules that depend on each other in a cycle",
		What: "Modules import each other in a cycle. cleave finds a smallest set of module dependencies whose removal leaves the module " +
			"graph acyclic (greedily, cheapest first, then pruned so that none in it can be kept) and reports one finding per dependency " +
			"in that set, at its imports, with the shortest cycle it closes in cycle order. `cycleCut` in the JSON lists the set.",
		Why: "Modules in a cycle cannot be understood, tested, released or extracted apart: they are one module with several names. " +
			"A cycle is the first thing that turns a modular monolith into a tangled one.",
		Fix: "Cut the dependency the finding names: move the shared type to the lower module, " +
			"depend on an interface declared by the caller, or publish an event instead of calling back.",
		Guide: "The Modular Monolith: A Pragmatic Alternative",
	},
	SharedTable: {
		ID: SharedTable, Severity: Error,
		Title: "A table used by several modules or deployables",
		What: "A database table is accessed from the code of two or more modules, or reached by two or more shipping deployables. " +
			"Error when two or more of them write it, warning when one writes and others read. " +
			"Migrations do not count as users, and the functions of one serverless template share its tables by design.",
		Why:   "Several services hitting the same database is the guide's sign of a poor decomposition: no owner can change the schema alone.",
		Fix:   "Give the table one owner module; let the others go through its API or consume its events, or move the code that needs it into the owner.",
		Guide: "Warning Signs: Premature Microservices (shared database coupling)",
	},
	ForeignTable: {
		ID: ForeignTable, Severity: Error,
		Title: "A module touches a table that another module owns",
		What:  "A module accesses a table that the `tables` section of .cleave.yaml gives to another module.",
		Why:   "Table ownership is what keeps a module's data its own; a foreign access is shared-database coupling in the making.",
		Fix:   "Ask the owner module through its API or events, or change the owner in .cleave.yaml if the table has moved.",
		Guide: "Warning Signs: Premature Microservices (shared database coupling)",
	},
	SharedDSN: {
		ID: SharedDSN, Severity: Warning,
		Title: "Deployables connecting through the same database setting",
		What:  "Two or more deployables connect to a database through the same connection setting (environment variable or DSN).",
		Why:   "Deployables that share a connection share a database, and with it the schema and its migrations.",
		Fix:   "Give each deployable its own database (or at least its own schema and credentials) and exchange data through APIs or events.",
		Guide: "Warning Signs: Premature Microservices (shared database coupling)",
	},
	SyncChain: {
		ID: SyncChain, Severity: Warning,
		Title: "A chain of synchronous calls across deployables",
		What:  "A chain of synchronous calls (HTTP, gRPC) spans `minDeployables` or more deployables.",
		Why: "When services must call each other synchronously for a request, their availability and latency multiply: " +
			"the guide calls this a distributed monolith.",
		Fix:     "Shorten the chain: merge the services, cache or replicate the data the caller needs, or replace a call with an event.",
		Guide:   "Warning Signs: Premature Microservices (synchronous chains)",
		Options: map[string]int{"minDeployables": 3},
	},
	Layer: {
		ID: Layer, Severity: Error,
		Title: "An import against the declared layers",
		What: "A module imports a module of a layer above its own, or skips a closed layer: `layers` in .cleave.yaml lists the " +
			"layers top first, and a module may import its own layer and the layers below; below a closed layer only through it.",
		Why: "Layers keep the parts that change often (delivery, adapters) apart from the parts that should not (the domain). An import " +
			"upwards ties the stable part to the volatile one, and skipping a closed layer bypasses the rules it enforces.",
		Fix: "Invert the dependency (the lower layer declares an interface, the upper implements it), move the code to the right " +
			"layer, or go through the closed layer's API.",
		Guide: "Characteristics of a Well-Designed Modular Monolith",
	},
	Unowned: {
		ID: Unowned, Severity: Error,
		Title: "Code outside every declared module",
		What:  "With `requireOwnership: true` in .cleave.yaml, a package that no declared module's paths cover (composition roots and tools aside).",
		Why:   "Code that belongs to no module escapes every boundary rule; new packages drift into it unnoticed.",
		Fix:   "Add the package's directory to the `paths` of the module that owns it, or declare a new module for it.",
		Guide: "Characteristics of a Well-Designed Modular Monolith",
	},
	StaleDependency: {
		ID: StaleDependency, Severity: Warning,
		Title: "A declared dependency no import uses",
		What:  "A module's `dependsOn` in .cleave.yaml names a module that no import of the module uses.",
		Why:   "Allowed dependencies that nothing uses are stale configuration: they let a new coupling in without review.",
		Fix:   "Remove the module from `dependsOn`; add it back when an import needs it.",
		Guide: "Domain-Driven Design: The Foundation",
	},
	CallCycle: {
		ID: CallCycle, Severity: Error,
		Title: "Deployables that call each other in a cycle",
		What:  "Deployables call each other synchronously in a cycle.",
		Why:   "A call cycle means neither service can be deployed, scaled or fail on its own; it is a distributed monolith at its tightest.",
		Fix:   "Break the cycle with an event in one direction, or merge the services.",
		Guide: "Warning Signs: Premature Microservices (synchronous chains)",
	},
}

// Lookup returns the rule with the given id.
func Lookup(id string) (*Rule, bool) {
	r, ok := catalog[id]
	return r, ok
}

// All returns every finding rule, sorted by id.
func All() []*Rule {
	out := make([]*Rule, 0, len(catalog))
	for _, r := range catalog {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

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

var catalog = map[string]*Rule{
	PrivateImport: {
		ID: PrivateImport, Severity: Error,
		Title: "Import of another module's private package",
		What: "A package of one module imports a package of another module that is not part of that module's public API " +
			"(its root package, sub-packages named api, client, contract, events, public, spi, or the `public` list of .cleave.yaml).",
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
		What:  "Modules import each other in a cycle. One finding per cycle, modules in cycle order, with the imports of the edge that is cheapest to cut.",
		Why: "Modules in a cycle cannot be understood, tested, released or extracted apart: they are one module with several names. " +
			"A cycle is the first thing that turns a modular monolith into a tangled one.",
		Fix: "Cut the cheapest edge the finding names: move the shared type to the lower module, " +
			"depend on an interface declared by the caller, or publish an event instead of calling back.",
		Guide: "The Modular Monolith: A Pragmatic Alternative",
	},
	SharedTable: {
		ID: SharedTable, Severity: Error,
		Title: "A table used by several modules or deployables",
		What: "A database table is accessed from the code of two or more modules, or reached by two or more shipping deployables. " +
			"Error when two or more of them write it, warning when one writes and others read.",
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

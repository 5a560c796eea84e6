package model

import (
	"fmt"

	"github.com/cleave-dev/cleave/rules"
)

// CodeAnswers turns what the code shows into answers for the assessment, each with its
// evidence: whether deployables share tables, whether they call each other in chains, and what
// exists today. A person can still change them.
func (r *Result) CodeAnswers() map[string]rules.Answer {
	out := map[string]rules.Answer{}
	sig := r.Signals
	code := func(id, value string, evidence ...string) {
		out[id] = rules.Answer{Value: value, Source: "code", Evidence: evidence}
	}
	runtime := sig["services"] + sig["workers"] + sig["functions"]
	switch {
	case sig["tables_shared_by_deployables"] > 0:
		code("shared_database", "yes", fmt.Sprintf("%d tables are used by two or more deployables (db/shared-table)", sig["tables_shared_by_deployables"]))
	case sig["shared_tables"] > 0 || sig["shared_dsns"] > 0:
		code("shared_database", "partly", fmt.Sprintf("%d tables are used by two or more modules, %d connection settings are shared", sig["shared_tables"], sig["shared_dsns"]))
	case sig["tables"] > 0:
		code("shared_database", "no", fmt.Sprintf("each of the %d tables found is used by one module", sig["tables"]))
	}
	switch {
	case sig["sync_chain_depth"] >= 3 || sig["call_cycles"] > 0:
		code("sync_chains", "yes", fmt.Sprintf("the longest synchronous chain spans %d deployables; %d call cycles", sig["sync_chain_depth"], sig["call_cycles"]))
	case runtime <= 1:
		code("sync_chains", "no", "one runtime deployable: there are no services to chain")
	case sig["sync_calls"]+sig["async_calls"] > 0 || runtime >= 2:
		code("sync_chains", "no", fmt.Sprintf("the longest synchronous chain spans %d deployables", sig["sync_chain_depth"]))
	}
	ev := append([]string{"the code is a " + r.Architecture.Current}, r.Architecture.Evidence...)
	switch r.Architecture.Current {
	case "monolith", "modular-monolith":
		code("existing", "monolith", ev...)
	case "microservices", "distributed-monolith", "hybrid", "serverless":
		code("existing", "services", ev...)
	}
	return out
}

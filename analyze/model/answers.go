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
	runtime := sig.Runtime()
	switch {
	case sig.TablesSharedByDeployables > 0:
		code("shared_database", "yes", fmt.Sprintf("%d tables are used by two or more deployables (db/shared-table)", sig.TablesSharedByDeployables))
	case sig.SharedTables > 0 || sig.SharedDSNs > 0:
		code("shared_database", "partly", fmt.Sprintf("%d tables are used by two or more modules, %d connection settings are shared", sig.SharedTables, sig.SharedDSNs))
	case sig.Tables > 0:
		code("shared_database", "no", fmt.Sprintf("each of the %d tables found is used by one module", sig.Tables))
	}
	switch {
	case sig.SyncChainDepth >= 3 || sig.CallCycles > 0:
		code("sync_chains", "yes", fmt.Sprintf("the longest synchronous chain spans %d deployables; %d call cycles", sig.SyncChainDepth, sig.CallCycles))
	case runtime <= 1:
		code("sync_chains", "no", "one runtime deployable: there are no services to chain")
	case sig.SyncCalls+sig.AsyncCalls > 0 || runtime >= 2:
		code("sync_chains", "no", fmt.Sprintf("the longest synchronous chain spans %d deployables", sig.SyncChainDepth))
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

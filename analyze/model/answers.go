package model

import (
	"fmt"
	"strings"

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
		code("shared_database", "yes", fmt.Sprintf("%s used by two or more deployables (db/shared-table)", isAre(sig.TablesSharedByDeployables, "table")))
	case sig.SharedTables > 0 || sig.SharedDSNs > 0:
		code("shared_database", "partly", fmt.Sprintf("%s used by two or more modules, %s shared", isAre(sig.SharedTables, "table"), isAre(sig.SharedDSNs, "connection setting")))
	case sig.Tables > 0:
		code("shared_database", "no", fmt.Sprintf("%s found: each is used by one module", Plural(sig.Tables, "table")))
	}
	switch {
	case sig.SyncChainDepth >= 3 || sig.CallCycles > 0:
		ev := []string{}
		if sig.SyncChainDepth >= 3 {
			ev = append(ev, fmt.Sprintf("the longest synchronous chain spans %d deployables", sig.SyncChainDepth))
		}
		if sig.CallCycles > 0 {
			ev = append(ev, Plural(sig.CallCycles, "synchronous call cycle"))
		}
		code("sync_chains", "yes", ev...)
	case runtime <= 1:
		code("sync_chains", "no", "one runtime deployable: there are no services to chain")
	case sig.SyncCalls == 0:
		code("sync_chains", "no", fmt.Sprintf("no synchronous calls between the %d runtime deployables", runtime))
	default:
		code("sync_chains", "no", fmt.Sprintf("%s, none in a chain of three or more deployables", Plural(sig.SyncCalls, "synchronous call")))
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

// isAre counts things with their verb: "1 table is", "2 tables are".
func isAre(n int, word string) string {
	if n == 1 {
		return Plural(n, word) + " is"
	}
	return Plural(n, word) + " are"
}

// Plural counts things: "1 finding", "3 findings", "2 entries".
func Plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if stem, ok := strings.CutSuffix(word, "y"); ok && !strings.HasSuffix(stem, "a") && !strings.HasSuffix(stem, "e") && !strings.HasSuffix(stem, "o") {
		return fmt.Sprintf("%d %sies", n, stem)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

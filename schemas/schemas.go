// Package schemas holds the JSON Schemas of what cleave reads and writes: .cleave.yaml, the
// answers file, and the JSON of analyze, lint, assess and report. Editors validate the YAML
// files as they are typed (yaml-language-server: $schema=…), and 'cleave schema NAME' prints
// each. The files are generated from the code (go test ./schemas -update), so they cannot
// drift from it: the test fails when one is out of date.
package schemas

import (
	"embed"
	"slices"
	"strings"
)

//go:embed *.schema.json
var files embed.FS

// Names lists the schemas, sorted.
func Names() []string {
	entries, _ := files.ReadDir(".")
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".schema.json"))
	}
	slices.Sort(out)
	return out
}

// Get returns the schema of that name, and whether there is one.
func Get(name string) ([]byte, bool) {
	b, err := files.ReadFile(name + ".schema.json")
	return b, err == nil
}

// Describe says what each schema validates.
var Describe = map[string]string{
	"config":     ".cleave.yaml",
	"answers":    "the answers file of cleave assess (--answers, --save-answers)",
	"analysis":   "cleave analyze --format json",
	"lint":       "cleave lint --format json",
	"assessment": "cleave assess --format json",
	"report":     "cleave report --format json",
}

// ID is the $id of a schema: where the repository publishes it.
func ID(name string) string {
	return "https://raw.githubusercontent.com/cleave-dev/cleave/main/schemas/" + name + ".schema.json"
}

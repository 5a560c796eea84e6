package rules

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"

	"github.com/cleave-dev/cleave/schemas"
)

// Draft is a configuration to write out, as `cleave init` does: the inferred structure with
// short comments that say what each part means.
type Draft struct {
	Header           []string
	Modules          []DraftModule
	CompositionRoots []string
	// Tables are the tables the code touches, with the module that owns each when one module
	// alone writes it.
	Tables []DraftTable
}

// DraftTable is a table of a draft; Owner is empty when no single module writes it.
type DraftTable struct {
	Name    string
	Owner   string
	Writers []string
}

// DraftModule is one module of a draft.
type DraftModule struct {
	Name      string
	Paths     []string
	Public    []string // the public packages today (the root package aside)
	DependsOn []string
	Open      bool
	// Declare is set when the public packages today are not what the default convention gives
	// (a generated contract, a package other modules use as a library, a private store in an
	// open module): then they are written as `public`, so the file keeps what the code shows.
	Declare bool
}

var bareYAML = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_./*-]*$`)

// yamlString writes s bare when YAML reads it back as the same string, else double-quoted.
func yamlString(s string) string {
	switch strings.ToLower(s) {
	case "", "true", "false", "yes", "no", "on", "off", "null", "y", "n", "~":
		return strconv.Quote(s)
	}
	if bareYAML.MatchString(s) && !regexp.MustCompile(`^[0-9.+-]+$`).MatchString(s) {
		return s
	}
	return strconv.Quote(s)
}

func yamlList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = yamlString(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// YAML renders the draft as a .cleave.yaml that ParseConfig accepts.
func (d *Draft) YAML() []byte {
	var b bytes.Buffer
	b.WriteString("# yaml-language-server: $schema=" + schemas.ID("config") + "\n")
	for _, h := range d.Header {
		b.WriteString("# " + h + "\n")
	}
	b.WriteString("version: 1\n\n")
	b.WriteString("# Each module: the directories it owns (with everything below them), whether every package\n")
	b.WriteString("# is public (open: a shared kernel), and the modules it may import (dependsOn; omit it to allow any).\n")
	b.WriteString("# A module's public API is its root package and sub-packages named api, client, contract, events,\n")
	b.WriteString("# public or spi, unless `public` lists the packages.\n")
	if len(d.Modules) == 0 {
		b.WriteString("modules: {}\n")
	} else {
		b.WriteString("modules:\n")
	}
	for _, m := range d.Modules {
		b.WriteString("  " + yamlString(m.Name) + ":\n")
		b.WriteString("    paths: " + yamlList(m.Paths) + "\n")
		switch {
		case m.Declare:
			b.WriteString("    public: " + yamlList(m.Public) + "\n")
		case m.Open:
			b.WriteString("    open: true\n")
		case len(m.Public) > 0:
			b.WriteString("    # public today: " + strings.Join(m.Public, ", ") + "\n")
		}
		deps := m.DependsOn
		if deps == nil {
			deps = []string{}
		}
		b.WriteString("    dependsOn: " + yamlList(deps) + "\n")
	}
	if len(d.Tables) > 0 {
		// Commented out: enforcing ownership turns today's reads into errors, a step the team takes on purpose.
		b.WriteString("\n# The owner of each table, as the code suggests (the module that alone writes it). Uncomment to make\n")
		b.WriteString("# every other module's access an error (db/foreign-table).\n")
		b.WriteString("# tables:\n")
		for _, t := range d.Tables {
			if t.Owner != "" {
				b.WriteString("#   " + yamlString(t.Name) + ": " + yamlString(t.Owner) + "\n")
			} else {
				b.WriteString("#   " + yamlString(t.Name) + ": ?    written by " + strings.Join(t.Writers, ", ") + "; choose one owner\n")
			}
		}
	}
	if len(d.CompositionRoots) > 0 {
		b.WriteString("\n# Directories whose main packages wire the modules together; they are exempt from boundary rules.\n")
		b.WriteString("compositionRoots: " + yamlList(d.CompositionRoots) + "\n")
	}
	b.WriteString("\n# Rules can be switched off or given another severity, e.g.\n")
	b.WriteString("# rules:\n#   boundary/module-cycle: {severity: warning}\n")
	return b.Bytes()
}

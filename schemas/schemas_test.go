package schemas_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/invopop/jsonschema"
	sj "github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/reports"
	"github.com/cleave-dev/cleave/rules"
	"github.com/cleave-dev/cleave/schemas"
)

var update = flag.Bool("update", false, "rewrite the schema files")

// generate builds every schema from the code: the output documents from the Go types they
// are encoded from, .cleave.yaml from the rule catalog, the answers file from the rule pack.
func generate(t *testing.T) map[string][]byte {
	t.Helper()
	pack, err := rules.LoadPack("")
	if err != nil {
		t.Fatal(err)
	}
	r := newReflector(t)
	docs := map[string]any{
		"config":     configSchema(),
		"answers":    answersSchema(pack),
		"analysis":   reflectType(r, &model.Result{}, "The JSON of cleave analyze --format json (the contract's analysis)."),
		"lint":       reflectType(r, &reports.LintResult{}, "The JSON of cleave lint --format json."),
		"assessment": reflectType(r, &rules.Assessment{}, "The JSON of cleave assess --format json."),
		"report":     reflectType(r, &reports.Report{}, "The JSON of cleave report --format json."),
	}
	roots := map[string]reflect.Type{"analysis": reflect.TypeFor[model.Result](), "lint": reflect.TypeFor[reports.LintResult](),
		"assessment": reflect.TypeFor[rules.Assessment](), "report": reflect.TypeFor[reports.Report]()}
	out := map[string][]byte{}
	for name, doc := range docs {
		var m map[string]any
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		if root, ok := roots[name]; ok {
			nullablePointers(m, root, map[reflect.Type]bool{})
		}
		m["$schema"] = "https://json-schema.org/draft/2020-12/schema"
		m["$id"] = schemas.ID(name)
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(m); err != nil {
			t.Fatal(err)
		}
		out[name] = buf.Bytes()
	}
	return out
}

// newReflector is the reflector of the output schemas, with the Go comments of the types and
// fields read once as their descriptions, for editors.
func newReflector(t *testing.T) *jsonschema.Reflector {
	r := &jsonschema.Reflector{
		// A field is required unless it may be left out (omitempty): what the encoder does.
		RequiredFromJSONSchemaTags: false,
		AllowAdditionalProperties:  false,
		Mapper: func(t reflect.Type) *jsonschema.Schema {
			if t == reflect.TypeFor[rules.Severity]() {
				return &jsonschema.Schema{Type: "string", Enum: []any{"info", "warning", "error"}}
			}
			return nil
		},
	}
	wd, _ := os.Getwd()
	if err := os.Chdir(".."); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"./analyze/model", "./rules", "./reports"} {
		if err := r.AddGoComments("github.com/cleave-dev/cleave", dir); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chdir(wd); err != nil {
		t.Fatal(err)
	}
	return r
}

func reflectType(r *jsonschema.Reflector, v any, description string) *jsonschema.Schema {
	s := r.Reflect(v)
	s.Description = description
	s.Version = ""
	s.ID = ""
	return s
}

// nullablePointers lets every pointer field that is encoded even when nil (no omitempty) be
// null, as encoding/json writes it: the reflector takes a pointer for its element.
func nullablePointers(schema map[string]any, t reflect.Type, seen map[reflect.Type]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return
	}
	seen[t] = true
	defs, _ := schema["$defs"].(map[string]any)
	def, _ := defs[t.Name()].(map[string]any)
	props, _ := def["properties"].(map[string]any)
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		if f.Anonymous && f.Tag.Get("json") == "" {
			nullablePointers(schema, f.Type, seen)
			continue
		}
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if f.Type.Kind() == reflect.Pointer && !strings.Contains(opts, "omitempty") && props != nil {
			if p, ok := props[name]; ok {
				props[name] = map[string]any{"anyOf": []any{p, map[string]any{"type": "null"}}}
			}
		}
		nullablePointers(schema, f.Type, seen)
	}
}

// obj is a JSON object schema with the given properties and no others.
func obj(description string, props map[string]any, required ...string) map[string]any {
	m := map[string]any{"type": "object", "additionalProperties": false, "properties": props}
	if description != "" {
		m["description"] = description
	}
	if len(required) > 0 {
		m["required"] = required
	}
	return m
}

func stringList(description string) map[string]any {
	return map[string]any{"type": "array", "items": map[string]any{"type": "string", "minLength": 1}, "description": description}
}

// configSchema describes .cleave.yaml version 1, with the rule ids and their options from
// the catalog.
func configSchema() map[string]any {
	severity := map[string]any{"enum": []any{"off", "on", "info", "warning", "error", true, false}}
	ruleProps := map[string]any{}
	for _, r := range rules.All() {
		opts := map[string]any{"severity": map[string]any{"enum": []any{"off", "info", "warning", "error"}}}
		for name, def := range r.Options {
			opts[name] = map[string]any{"type": "integer", "minimum": 1, "default": def}
		}
		ruleProps[r.ID] = map[string]any{
			"description": r.Title,
			"oneOf":       []any{severity, obj("", opts)},
		}
	}
	module := obj("A module: the directories it owns, its public API and what it may depend on.", map[string]any{
		"paths":     stringList("Directories the module owns, each with everything below it; * and ** patterns allowed."),
		"public":    stringList("The packages other modules may import; omitted: the default public API."),
		"dependsOn": stringList("The modules it may import; omitted: any module; []: none."),
		"open":      map[string]any{"type": "boolean", "description": "Every package is public."},
	}, "paths")
	layer := obj("A layer: its modules may import their own layer's and those below.", map[string]any{
		"name":    map[string]any{"type": "string", "minLength": 1},
		"modules": stringList("The modules of the layer."),
		"closed":  map[string]any{"type": "boolean", "description": "The layers above reach those below only through this one."},
	}, "name", "modules")
	s := obj("cleave's configuration, .cleave.yaml (version 1).", map[string]any{
		"version":          map[string]any{"const": 1},
		"modules":          map[string]any{"type": "object", "additionalProperties": module, "description": "Modules by name."},
		"tables":           map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}, "description": "Table name to its owner module."},
		"layers":           map[string]any{"type": "array", "items": layer, "description": "Layers, top first."},
		"requireOwnership": map[string]any{"type": "boolean", "description": "A package outside every module is a finding."},
		"compositionRoots": stringList("Directory patterns of the main packages that wire modules together; a bare name is looked for at every Go module's root."),
		"exclude":          stringList("Directory patterns never analysed."),
		"rules":            obj("Rule settings: off, on, a severity, or a mapping with severity and options.", ruleProps),
	}, "version")
	return s
}

// answersSchema describes the answers file: each question of the pack takes its options'
// values, or unknown.
func answersSchema(pack *rules.Pack) map[string]any {
	props := map[string]any{}
	for _, q := range pack.Questions {
		var values []any
		for _, o := range q.Options {
			values = append(values, o.Value)
		}
		values = append(values, rules.Unknown)
		if q.Integer() {
			props[q.ID] = map[string]any{"description": q.Prompt, "oneOf": []any{map[string]any{"type": "integer", "minimum": 0}, map[string]any{"const": rules.Unknown}}}
			continue
		}
		props[q.ID] = map[string]any{"description": q.Prompt, "enum": values}
	}
	return obj("The answers file of cleave assess.", map[string]any{
		"version": map[string]any{"const": 1},
		"answers": obj("Answers by question id.", props),
	}, "version")
}

// TestSchemasUpToDate: the committed schemas are what the code generates.
func TestSchemasUpToDate(t *testing.T) {
	gen := generate(t)
	for name, b := range gen {
		file := name + ".schema.json"
		if *update {
			if err := os.WriteFile(file, b, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		have, ok := schemas.Get(name)
		if !ok || !bytes.Equal(have, b) {
			t.Errorf("%s is out of date: run go test ./schemas -update", file)
		}
	}
	if !*update && !slices.Equal(schemas.Names(), slices.Sorted(func(yield func(string) bool) {
		for n := range gen {
			if !yield(n) {
				return
			}
		}
	})) {
		t.Errorf("schemas %v, generated %v", schemas.Names(), gen)
	}
}

func compile(t *testing.T, name string) *sj.Schema {
	t.Helper()
	b, ok := schemas.Get(name)
	if !ok {
		t.Fatalf("no schema %s", name)
	}
	doc, err := sj.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	c := sj.NewCompiler()
	if err := c.AddResource(schemas.ID(name), doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(schemas.ID(name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

func yamlDoc(t *testing.T, file string) any {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(v)
	doc, err := sj.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestSchemasValidate: every configuration, answers file and JSON golden of the repository
// validates against its schema, and the broken ones do not.
func TestSchemasValidate(t *testing.T) {
	config, answers := compile(t, "config"), compile(t, "answers")
	configs, _ := filepath.Glob("../testdata/fixtures/*/.cleave.yaml")
	if len(configs) < 3 {
		t.Fatalf("only %d fixture configs", len(configs))
	}
	for _, f := range configs {
		err := config.Validate(yamlDoc(t, f))
		bad := strings.Contains(f, "badconfig")
		if bad != (err != nil) {
			t.Errorf("%s: validation %v", f, err)
		}
	}
	files, _ := filepath.Glob("../testdata/answers/*.yaml")
	for _, f := range files {
		if err := answers.Validate(yamlDoc(t, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	for name, glob := range map[string]string{"analysis": "*.analyze.json", "lint": "*.lint.json", "assessment": "assess-*.json", "report": "*.report.json"} {
		s := compile(t, name)
		goldens, _ := filepath.Glob(filepath.Join("..", "testdata", "golden", glob))
		for _, f := range goldens {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := sj.UnmarshalJSON(bytes.NewReader(data))
			if err != nil {
				t.Errorf("%s: %v", f, err)
				continue
			}
			if err := s.Validate(doc); err != nil {
				t.Errorf("%s against %s: %v", f, name, err)
			}
		}
		t.Logf("%s: %d goldens validated", name, len(goldens))
	}
}

// TestSchemasReject: the schemas are strict, as cleave's parsers are: an unknown key, a
// wrong type or an unknown rule or answer fails.
func TestSchemasReject(t *testing.T) {
	for _, c := range []struct{ schema, doc string }{
		{"config", `{"version": 1, "modules": {"a": {"paths": ["x"], "dependson": []}}}`},
		{"config", `{"version": 2}`},
		{"config", `{"version": 1, "rules": {"boundary/privat-import": "error"}}`},
		{"config", `{"version": 1, "rules": {"calls/sync-chain": {"minDeployables": 0}}}`},
		{"config", `{"version": 1, "rules": {"calls/sync-chain": "loud"}}`},
		{"answers", `{"version": 1, "answers": {"team_size": "many"}}`},
		{"answers", `{"version": 1, "answers": {"teamsize": 4}}`},
		{"analysis", `{"schemaVersion": 1}`},
		{"lint", `{"schemaVersion": 1, "tool": {"name": "cleave", "version": "x"}, "findings": [], "stale": [], "warnings": [], "summary": {}, "extra": 1}`},
	} {
		doc, err := sj.UnmarshalJSON(strings.NewReader(c.doc))
		if err != nil {
			t.Fatal(err)
		}
		if err := compile(t, c.schema).Validate(doc); err == nil {
			t.Errorf("%s accepts %s", c.schema, c.doc)
		}
	}
	ok, _ := sj.UnmarshalJSON(strings.NewReader(`{"version": 1, "answers": {"team_size": 12, "domain_clarity": "emerging", "traffic": "unknown"}}`))
	if err := compile(t, "answers").Validate(ok); err != nil {
		t.Errorf("a good answers file is refused: %v", err)
	}
}

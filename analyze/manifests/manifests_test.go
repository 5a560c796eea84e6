package manifests

import (
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cleave-dev/cleave/analyze/model"
)

func TestDockerTargets(t *testing.T) {
	src := `# syntax=docker/dockerfile:1
FROM golang:1.24 AS build
WORKDIR /src
COPY . .
RUN go mod download
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags "-s -w -X main.v=1" -o /out/api ./cmd/api && \
    go build -o /out/worker ./cmd/worker; go install github.com/x/tool@v1.2.3
WORKDIR /src/services/billing
RUN go build -o /out/billing .
RUN go test ./... && go vet ./...
RUN go build -C services/orders -o /out/orders ./cmd/orders
`
	var got []string
	for _, tg := range dockerTargets([]byte(src)) {
		got = append(got, tg.arg+"@"+tg.workdir)
	}
	want := []string{"./cmd/api@/src", "./cmd/worker@/src", ".@/src/services/billing", "./cmd/orders@/src/services/billing/services/orders"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("targets = %q\nwant %q", got, want)
	}
}

func TestResolveTargets(t *testing.T) {
	mains := []*model.Package{
		{Dir: "cmd/api", Path: "example.com/x/cmd/api"},
		{Dir: "cmd/worker", Path: "example.com/x/cmd/worker"},
		{Dir: "services/billing", Path: "example.com/x/services/billing"},
		{Dir: ".", Path: "example.com/x"},
	}
	cases := []struct {
		target      buildTarget
		manifestDir string
		want        []string
	}{
		{buildTarget{arg: "./cmd/api"}, ".", []string{"cmd/api"}},
		{buildTarget{arg: "cmd/api/main.go"}, ".", []string{"cmd/api"}},
		{buildTarget{arg: "example.com/x/cmd/worker"}, ".", []string{"cmd/worker"}},
		{buildTarget{arg: "./cmd/..."}, ".", []string{"cmd/api", "cmd/worker"}},
		{buildTarget{arg: ".", workdir: "/src/services/billing"}, ".", []string{"services/billing"}},
		{buildTarget{arg: ".", workdir: "/app"}, ".", []string{"."}},
		{buildTarget{arg: "./api"}, "cmd", []string{"cmd/api"}}, // relative to the manifest's directory
		{buildTarget{arg: "./{{ .Env.MAIN }}"}, ".", nil},
		{buildTarget{arg: "./nowhere"}, ".", nil},
	}
	for _, c := range cases {
		got := c.target.resolve(c.manifestDir, mains)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("resolve(%+v) = %q, want %q", c.target, got, c.want)
		}
	}
}

func TestGoreleaserTargets(t *testing.T) {
	ts, err := goreleaserTargets([]byte("builds:\n  - main: ./cmd/a\n  - dir: tools\n    main: ./b\n  - main: ./c\n    skip: true\n  - builder: prebuilt\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, t := range ts {
		got = append(got, t.arg)
	}
	if want := []string{"./cmd/a", "./tools/b"}; !reflect.DeepEqual(got, want) {
		t.Errorf("targets = %q, want %q", got, want)
	}
	ts, _ = goreleaserTargets([]byte("project_name: x\n"))
	if len(ts) != 1 || ts[0].arg != "." {
		t.Errorf("default build = %+v, want the root package", ts)
	}
	if _, err := goreleaserTargets([]byte("builds: [")); err == nil {
		t.Error("bad YAML accepted")
	}
}

func FuzzDockerfile(f *testing.F) {
	f.Add([]byte("FROM golang\nWORKDIR /src\nRUN go build -o x ./cmd/a && go install ./cmd/b\n"))
	f.Add([]byte("RUN \"go\" build -C 'a b' \\\n ./x; VAR=1 go build\n"))
	f.Add([]byte("RUN go build -o"))
	f.Fuzz(func(t *testing.T, data []byte) {
		mains := []*model.Package{{Dir: "cmd/a", Path: "m/cmd/a"}, {Dir: ".", Path: "m"}}
		for _, tg := range dockerTargets(data) {
			for _, d := range tg.resolve(".", mains) {
				if d != "cmd/a" && d != "." {
					t.Fatalf("resolved to a directory that is no main package: %q", d)
				}
			}
		}
	})
}

func TestSplitShell(t *testing.T) {
	got := splitShell(`a "b c" 'd;e' && f|g; h`)
	want := [][]string{{"a", "b c", "d;e"}, {"f"}, {"g"}, {"h"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("splitShell = %q", got)
	}
	if strings.Join(splitShell(`go build -ldflags "-X a=b" ./x`)[0], "|") != "go|build|-ldflags|-X a=b|./x" {
		t.Error("quoted flag value split")
	}
}

// env_file: its variables, under the service's environment; a file outside the directory is
// never read, and an absent one tells nothing.
func TestComposeEnvFile(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("repo/deploy/.env", "# shared\nexport DATABASE_URL=postgres://shop@db:5432/shop\nINVENTORY_URL=\"http://inventory:8080\"\nLEVEL=debug # a comment\nbad line\n")
	write("repo/deploy/orders.env", "INVENTORY_URL=http://stock:8080\n")
	write("outside.env", "SECRET=1\n")
	write("repo/deploy/docker-compose.yml", `services:
  orders:
    image: orders
    env_file: [.env, orders.env, missing.env, ../../outside.env, /etc/passwd]
    environment:
      LEVEL: info
  billing:
    image: billing
    env_file:
      - path: .env
        required: false
`)
	services, warns := ReadCompose(filepath.Join(dir, "repo"), []string{"deploy/docker-compose.yml"})
	if len(warns) > 0 {
		t.Fatalf("warnings %v", warns)
	}
	got := map[string]map[string]string{}
	for _, s := range services {
		got[s.Name] = s.Env
	}
	want := map[string]map[string]string{
		"orders":  {"DATABASE_URL": "postgres://shop@db:5432/shop", "INVENTORY_URL": "http://stock:8080", "LEVEL": "info"},
		"billing": {"DATABASE_URL": "postgres://shop@db:5432/shop", "INVENTORY_URL": "http://inventory:8080", "LEVEL": "debug"},
	}
	// ../../outside.env lies outside the analysed directory, /etc/passwd too: neither is read.
	for name, env := range want {
		if !maps.Equal(got[name], env) {
			t.Errorf("%s: env %v, want %v", name, got[name], env)
		}
	}
}

// FuzzParseEnvFile: any text gives variables with names free of blanks and '='; never a panic.
func FuzzParseEnvFile(f *testing.F) {
	for _, s := range []string{"A=1\n", "export B='x y'\n# c\n", "C=\"q\" # d\r\n", "=\n", "D\n", "E= #\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for k := range ParseEnvFile(data) {
			if k == "" || strings.ContainsAny(k, " \t=") {
				t.Fatalf("variable %q", k)
			}
		}
	})
}

// A Kubernetes container's variables: its own values, a ConfigMap's keys it takes one by one
// (valueFrom.configMapKeyRef) or all (envFrom), declared in any file of the set.
func TestKubernetesVars(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"k8s/orders.yaml": `apiVersion: apps/v1
kind: Deployment
metadata: {name: orders}
spec:
  template:
    metadata: {labels: {app: orders}}
    spec:
      containers:
        - name: orders
          image: ghcr.io/acme/orders:1.0
          envFrom:
            - configMapRef: {name: shop-config}
          env:
            - name: LEVEL
              value: info
            - name: DATABASE_URL
              valueFrom:
                configMapKeyRef: {name: orders-db, key: url}
            - name: TOKEN
              valueFrom:
                secretKeyRef: {name: s, key: t}
`,
		"k8s/config.yaml": `apiVersion: v1
kind: ConfigMap
metadata: {name: shop-config}
data:
  INVENTORY_URL: http://inventory:8080
  LEVEL: debug
---
apiVersion: v1
kind: ConfigMap
metadata: {name: orders-db}
data:
  url: postgres://orders@db:5432/orders
`,
	}
	var names []string
	for rel, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, rel)
	}
	decls, warns := ReadDeployFor(dir, names, map[string][]string{"orders": {"cmd/orders"}})
	if len(warns) > 0 || len(decls) != 1 {
		t.Fatalf("decls %+v, warnings %v", decls, warns)
	}
	want := map[string]string{"INVENTORY_URL": "http://inventory:8080", "LEVEL": "info", "DATABASE_URL": "postgres://orders@db:5432/orders"}
	if !maps.Equal(decls[0].Vars, want) {
		t.Errorf("vars %v, want %v", decls[0].Vars, want)
	}
}

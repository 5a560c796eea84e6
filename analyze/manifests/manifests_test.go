package manifests

import (
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

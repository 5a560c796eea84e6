package system

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cleave-dev/cleave/analyze/manifests"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/rules"
)

func TestParseSpec(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"orders", "inventory", "deploy"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(dir, "system.yaml")
	for _, c := range []struct {
		name, text string
		want       string // the repositories as name=path[:deployment], or the error's text
	}{
		{"full", "name: shop\nrepositories:\n  - path: orders\n  - path: inventory\n    name: stock\ndeployment: deploy\n", "orders=orders stock=inventory deploy=deploy:deployment"},
		{"deployment as a mapping", "repositories: [{path: orders}]\ndeployment: {path: deploy, name: ops}\n", "orders=orders ops=deploy:deployment"},
		{"unknown key", "repositories: [{path: orders}]\nowner: me\n", `system.yaml:2: unknown key "owner"`},
		{"unknown repository key", "repositories:\n  - path: orders\n    url: x\n", `system.yaml:3: unknown key "url" in a repository`},
		{"no path", "repositories:\n  - name: orders\n", "system.yaml:2: a repository needs a path"},
		{"not a list", "repositories: orders\n", "system.yaml:1: repositories: expected a list"},
		{"none", "name: shop\n", "no repositories"},
		{"missing", "repositories: [{path: gone}]\n", "system.yaml:1: gone: no such directory"},
		{"listed twice", "repositories: [{path: orders}, {path: ./orders, name: again}]\n", "is listed already"},
		{"name taken", "repositories: [{path: orders}, {path: inventory, name: orders}]\n", `repository name "orders" is taken`},
		{"bad name", "repositories: [{path: orders, name: \"../x\"}]\n", `repository name "../x"`},
		{"a sequence", "- path: orders\n", "expected a mapping"},
		{"a nested value", "repositories: [{path: [orders]}]\n", "path: expected a string"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := ParseSpec(file, []byte(c.text))
			got := ""
			if err != nil {
				got = err.Error()
				if !strings.HasPrefix(got, file) {
					t.Errorf("error %q does not name the file", got)
				}
			} else {
				var parts []string
				for _, r := range s.Repos {
					p := r.Name + "=" + r.Path
					if r.Deployment {
						p += ":deployment"
					}
					if r.Dir != filepath.Join(dir, filepath.FromSlash(r.Path)) {
						t.Errorf("%s: dir %s, not under the file's directory", r.Name, r.Dir)
					}
					parts = append(parts, p)
				}
				got = strings.Join(parts, " ")
			}
			if !strings.Contains(got, c.want) {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

// FuzzParseSpec: any input is a system or an error naming the file; never a panic.
func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{"name: shop\nrepositories:\n  - path: .\n", "deployment: .\n", "repositories: [{path: ., name: x}]", "- a\n", "{", "repositories: [[1]]"} {
		f.Add(s)
	}
	dir := f.TempDir()
	file := filepath.Join(dir, "system.yaml")
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseSpec(file, []byte(text))
		if err != nil {
			if !strings.HasPrefix(err.Error(), file) {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if len(s.Repos) == 0 {
			t.Fatal("a system with no repository")
		}
		for _, r := range s.Repos {
			if !validName.MatchString(r.Name) || r.Dir == "" {
				t.Fatalf("repository %+v", r)
			}
		}
	})
}

func TestDBIdentity(t *testing.T) {
	for dsn, want := range map[string]string{
		"postgres://shop:secret@Postgres:5432/shop?sslmode=disable": "postgres:5432/shop",
		"postgres://inventory@postgres/shop":                        "postgres:5432/shop",
		"host=db port=5432 user=postgres dbname=products":           "db:5432/products",
		"host='db' dbname=products":                                 "db:5432/products",
		"app:pw@tcp(mysql:3306)/orders?parseTime=true":              "mysql:3306/orders",
		"mongodb://mongo:27017/catalog":                             "mongo:27017/catalog",
		"postgres://localhost:5432/shop":                            "", // each container's own
		"host=127.0.0.1 dbname=shop":                                "",
		"host=/var/run/postgresql dbname=shop":                      "",
		"postgres://postgres:5432":                                  "", // which database is not said
		"${DATABASE_URL}":                                           "",
		"file:app.db":                                               "",
		"":                                                          "",
	} {
		if got := dbIdentity(dsn); got != want {
			t.Errorf("dbIdentity(%q) = %q, want %q", dsn, got, want)
		}
	}
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{"product-api-go": "product-api", "go-orders": "orders", "orders": "orders", "go": "go", "billing_golang": "billing"} {
		if got := langAffix(in); got != want {
			t.Errorf("langAffix(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"ghcr.io/acme/orders:1.2": "orders", "orders": "orders", "localhost:5000/inv@sha256:abc": "inv", "": "."} {
		if got := imageName(in); got != want {
			t.Errorf("imageName(%q) = %q, want %q", in, got, want)
		}
	}
	for _, c := range [][4]string{
		{"deployables api and migrate connect", "migrate", "orders/migrate", "deployables api and orders/migrate connect"},
		{"deployables migrate, api", "migrate", "x/migrate", "deployables x/migrate, api"},
		{"migrated and remigrate", "migrate", "o/migrate", "migrated and remigrate"},
	} {
		if got := renameWord(c[0], c[1], c[2]); got != c[3] {
			t.Errorf("renameWord(%q) = %q, want %q", c[0], got, c[3])
		}
	}
}

// A gRPC client in one repository reaches the server another registers; a service both serve
// is no call either way; a topic one produces reaches the consumer of another.
func TestMergeResolvesGRPCAndTopics(t *testing.T) {
	dep := func(name, dir string) model.Deployable {
		return model.Deployable{Name: name, Dir: dir, Kind: model.KindService, Package: "example.com/" + name}
	}
	a := &model.Result{Deployables: []model.Deployable{dep("checkout", "cmd/checkout")}, Open: &model.OpenEnds{
		Calls: []model.OpenCall{
			{From: "checkout", Kind: "grpc-client", Protocol: "grpc", Target: "shop.v1.CartService", File: "cart.go", Line: 7},
			{From: "checkout", Kind: "grpc-client", Protocol: "grpc", Target: "shop.v1.Peer", File: "peer.go", Line: 3},
			{From: "checkout", Kind: "produce", Protocol: "kafka", Target: "Orders-Placed", File: "pub.go", Line: 9},
		},
		Serves: map[string][]string{"checkout": {"grpc:shop.v1.Peer"}},
	}}
	b := &model.Result{Deployables: []model.Deployable{dep("cart", "cmd/cart"), dep("mailer", "cmd/mailer")}, Open: &model.OpenEnds{
		Serves: map[string][]string{"cart": {"grpc:shop.v1.CartService", "grpc:shop.v1.Peer"}, "mailer": {"kafka:" + manifests.NormName("orders-placed")}},
	}}
	res := Merge(&Spec{Name: "shop"}, []Repo{{RepoSpec: RepoSpec{Name: "a"}, Res: a}, {RepoSpec: RepoSpec{Name: "b"}, Res: b}}, "test")
	var got []string
	for _, c := range res.Calls {
		got = append(got, fmt.Sprintf("%s>%s %s %v %s:%d", c.From, c.To, c.Protocol, c.Sync, c.File, c.Line))
	}
	want := []string{"checkout>cart grpc true a/cart.go:7", "checkout>mailer kafka false a/pub.go:9"}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("calls %q, want %q", got, want)
	}
	if len(res.Couplings) != 2 || res.Couplings[0].Repositories[0] != "a" || res.Couplings[0].Repositories[1] != "b" {
		t.Errorf("couplings %+v", res.Couplings)
	}
}

// Two repositories whose services call each other make a cycle that neither shows alone: a
// calls/cycle finding with a site in each.
func TestMergeFindsCycleAcrossRepositories(t *testing.T) {
	dep := func(name string) model.Deployable {
		return model.Deployable{Name: name, Dir: "cmd/" + name, Kind: model.KindService, Package: "example.com/" + name}
	}
	a := &model.Result{Deployables: []model.Deployable{dep("checkout")}, Open: &model.OpenEnds{
		Calls: []model.OpenCall{{From: "checkout", Kind: "http", Protocol: "http", Target: "${CART_URL:-http://cart:8080}/items", File: "cart.go", Line: 7}}}}
	b := &model.Result{Deployables: []model.Deployable{dep("cart")}, Open: &model.OpenEnds{
		Calls: []model.OpenCall{{From: "cart", Kind: "http", Protocol: "http", Target: "http://checkout/prices", File: "prices.go", Line: 12}}}}
	res := Merge(&Spec{}, []Repo{{RepoSpec: RepoSpec{Name: "a"}, Res: a}, {RepoSpec: RepoSpec{Name: "b"}, Res: b}}, "test")
	var cycles []string
	for _, f := range res.Findings {
		if f.Rule == rules.CallCycle {
			var sites []string
			for _, r := range f.Related {
				sites = append(sites, r.File)
			}
			cycles = append(cycles, strings.Join(f.Deployables, ">")+" "+strings.Join(sites, ","))
			if !strings.Contains(f.Message, "across repositories a and b") {
				t.Errorf("message %q does not say it crosses repositories", f.Message)
			}
		}
	}
	if len(cycles) != 1 || cycles[0] != "cart>checkout b/prices.go,a/cart.go" {
		t.Errorf("cycles %q, want one through both repositories", cycles)
	}
	if res.Signals.CallCycles != 1 || res.Architecture.Current != "distributed-monolith" {
		t.Errorf("signals %+v, architecture %s", res.Signals, res.Architecture.Current)
	}
}

// A Kubernetes workload's env values resolve its calls, and a Service selecting its pods is a
// host name that reaches it.
func TestMergeReadsKubernetes(t *testing.T) {
	d, err := ReadDeployment(filepath.Join("..", "..", "testdata", "fixtures", "shopsystem", "deploy"))
	if err != nil {
		t.Fatal(err)
	}
	d.Services = nil // the Kubernetes manifests alone
	dep := func(name string) model.Deployable {
		return model.Deployable{Name: name, Dir: "cmd/" + name, Kind: model.KindService, Package: "example.com/" + name}
	}
	inv := &model.Result{Deployables: []model.Deployable{dep("inventory")}, Open: &model.OpenEnds{
		Calls: []model.OpenCall{{From: "inventory", Kind: "http", Protocol: "http", Target: "${BILLING_URL}/invoices", File: "bill.go", Line: 4}}}}
	ord := &model.Result{Deployables: []model.Deployable{dep("billing"), dep("orders")}, Open: &model.OpenEnds{
		Calls: []model.OpenCall{{From: "orders", Kind: "http", Protocol: "http", Target: "http://stock:8080/reservations", File: "reserve.go", Line: 9}}}}
	res := Merge(&Spec{}, []Repo{{RepoSpec: RepoSpec{Name: "inventory"}, Res: inv}, {RepoSpec: RepoSpec{Name: "orders"}, Res: ord},
		{RepoSpec: RepoSpec{Name: "deploy", Deployment: true}, Deploy: d}}, "test")
	var got []string
	for _, c := range res.Calls {
		got = append(got, c.From+">"+c.To+" "+c.Via)
	}
	want := []string{
		"inventory>billing BILLING_URL=http://billing-svc.shop.svc.cluster.local:8081 (deploy/k8s/inventory.yaml runs Deployment inventory)",
		"orders>inventory host stock",
	}
	if strings.Join(got, "; ") != strings.Join(want, "; ") {
		t.Errorf("calls\n%q\nwant\n%q", got, want)
	}
}

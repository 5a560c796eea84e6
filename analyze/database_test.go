package analyze

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// Each fixture lists every table access a person finds reading its code: table, op, module,
// deployables and place. The test reports precision and recall and holds them to the mark.
func TestTableAccessPrecisionRecall(t *testing.T) {
	cases := []struct {
		fixture   string
		want      []string // "table op module [deployables] file:line"
		minRecall float64
	}{
		{"gozeroshop", []string{ // goctl's models: fmt.Sprintf over a table field and a column list built at run time
			"order_item read order [mq] app/order/model/ordermodel_gen.go:46",
			"order_item read order [] app/order/model/ordermodel_gen.go:53",    // FindByOrder: nothing calls it
			"order_item write order [mq] app/order/model/ordermodel_gen.go:59", // through domain.Close, checked without bodies
			"user write user [api] app/user/model/usermodel_gen.go:57",
			// mq links the user model for its ErrNotFound only: var _ UserModel = (*customUserModel)(nil) builds nothing
			"user read user [api rpc] app/user/model/usermodel_gen.go:66",
			"user write user [] app/user/model/usermodel_gen.go:82", // Update: nothing calls it
		}, 1},
		{"gormv1blog", []string{ // gorm v1: SingularTable(true), a DefaultTableNameHandler with a constant prefix
			"blog_comment write store [blog] internal/store/store.go:69",
			"blog_comment read store [blog] internal/store/store.go:74", // Model(&Comment{}) with a read model
			"blog_post write store [blog] internal/store/store.go:59",
			"blog_post read store [blog] internal/store/store.go:64",
			"blog_site_settings read store [blog] internal/store/store.go:81", // the handler prefixes TableName too
		}, 1},
		{"gormv1conf", []string{ // the prefix is read from a file at run time: no name from the model
			"shared_tags read models [gormv1conf] models/models.go:57",
		}, 1},
		{"gormv1ini", []string{ // the prefix from the ini file the code loads, through MapTo and a helper's parameters
			"wiki_page read models [gormv1ini] models/models.go:45",
			"wiki_revision write models [gormv1ini] models/models.go:50",
		}, 1},
		{"dbxalbums", []string{ // ozzo-dbx: builder calls name tables, models name theirs, From and SQL win over the rows' type
			"album read album [server] internal/album/repository.go:23",  // Select().Model(id, &album)
			"album write album [server] internal/album/repository.go:29", // Model(&album).Insert()
			"album write album [server] internal/album/repository.go:34", // Model(&album).Delete()
			"album read album [server] internal/album/repository.go:40",  // Select()….All(&albums), no From
			"album write album [server] internal/album/repository.go:60", // the builder's Update("album", …)
			"album read album [server] internal/album/repository.go:67",  // NewQuery's SQL; Summary names no table
			"album_summaries read album [server] internal/album/repository.go:54",
			"tracks read album [server] internal/album/repository.go:47", // TrackListing's TableName
			// a query function's From; the report's rows (PlayCount) name no table
			"plays read album [server] internal/album/repository.go:72",
		}, 1},
		{"beegoregistry", []string{ // beego's ORM, reached through a wrapper as harbor's stores reach it
			"artifact write artifact [registry] internal/artifact/artifact.go:41", // o.Insert(a): TableName
			"artifact read artifact [registry] internal/artifact/artifact.go:51",  // o.Read(a)
			// qs.All(&out) after the wrapper's QueryTable; the console's beego controller, handed
			// to web.Router, lists artifacts too
			"artifact read artifact [console registry] internal/artifact/artifact.go:64",
			"artifact read artifact [registry] internal/artifact/artifact.go:80",            // QueryTable("artifact")….Count()
			"artifact_reference write artifact [registry] internal/artifact/artifact.go:74", // beego's snake case
			"audit_log write audit [registry] internal/audit/audit.go:28",                   // a package that does not import beego
			"schedule write schedule [registry] internal/schedule/schedule.go:43",
			// Count on the wrapper's QuerySeter: the model went in as an argument of the
			// wrapper, which cleave does not follow. The DAO interface's Count(ctx, query)
			// names no table.
			"schedule read schedule [registry] internal/schedule/schedule.go:35",
		}, 0.87},
		{"interfacereach", []string{ // which program runs a method called through an interface
			// the exporter's keys.Provider.Get has another shape than Store.Get: the policy
			// store's Get is the api's alone
			"policies read store [api] internal/store/store.go:34",
			"policies write store [api] internal/store/store.go:39",
			// a collector handed over as a prometheus.Collector: Prometheus calls its Collect
			"blobs read store [exporter] internal/store/store.go:46",
			"settings read store [exporter] internal/store/store.go:53",
		}, 1},
		{"tracestore", []string{ // a backend of several, chosen by configuration; Cassandra behind an interface
			// CQL through the repository's cassandra.Session, whose implementation uses gocql
			"traces write storage [collector] internal/storage/cassandra/spanstore/spanstore.go:24",
			"traces read storage [query] internal/storage/cassandra/spanstore/spanstore.go:29",
			"spans write storage [collector] internal/storage/sqlstore/sqlstore.go:33",
			"spans read storage [query] internal/storage/sqlstore/sqlstore.go:40",
			"sampling_settings read settings [collector query] internal/settings/settings.go:12",
		}, 1},
		{"boltnotes", []string{ // bbolt: top-level buckets with constant names; one inside another is none
			"notes read notes [notes] internal/notes/notes.go:40",
			"notes write notes [notes] internal/notes/notes.go:41", // a bucket created inside it
			"meta read notes [notes] internal/notes/notes.go:48",
			"meta write notes [notes] internal/notes/notes.go:48", // NextSequence
			"meta read notes [notes] internal/notes/notes.go:49",
			"meta write notes [notes] internal/notes/notes.go:49", // Put
			"notes read notes [notes] internal/notes/notes.go:56",
		}, 1},
		{"gormtwonames", []string{ // two mains set different naming strategies: only TableName's constant
			"audit_log write store [billing crm] internal/store/store.go:31",
		}, 1},
		{"sharedb", []string{
			"billing_payments write billing [billing] internal/billing/billing.go:41",
			"billing_payments read billing [billing] internal/billing/billing.go:51", // the Model(&Payment{}) subquery
			"billing_refunds write billing [billing] internal/billing/refund.go:7",   // TableName in a package without database code
			"customers read customers [customers] internal/customers/customers.go:26",
			"customers write customers [customers] internal/customers/customers.go:32",
			"customers read orders [orders] internal/orders/orders.go:34",
			"customers read reports [reports] internal/reports/reports.go:22",
			"invoices write billing [billing] internal/billing/billing.go:38",
			"invoices read billing [billing] internal/billing/billing.go:51",
			"orders write billing [billing] internal/billing/billing.go:44",
			"orders read customers [customers] internal/customers/customers.go:39",
			"orders write orders [orders] internal/orders/orders.go:21",
			"orders read orders [orders] internal/orders/orders.go:34",
			"orders read reports [reports] internal/reports/reports.go:22",
			"report_rows write reports [reports] internal/reports/reports.go:35",
		}, 1},
		{"bunshop", []string{
			"line_items write orders [] internal/orders/orders.go:40", // bun's name for an untagged model; Place is never called
			"products read catalog [shop] internal/catalog/catalog.go:28",
			"products write catalog [] internal/catalog/catalog.go:34",
			"shop_orders write orders [] internal/orders/orders.go:37", // the table of the BaseModel tag
			"shop_orders read orders [shop] internal/orders/orders.go:47",
			"shop_orders write orders [] internal/orders/orders.go:53", // (*Order)(nil) in a NewDelete; NewCreateTable is no access
			"shop_orders read reports [reporter] internal/reports/reports.go:13",
		}, 1},
		{"migrations", []string{
			"orders write orders [api] internal/orders/orders.go:11",
			"orders write platform [api] internal/platform/migrations/migrations.go:12", // a migration: no second user
		}, 1},
		{"ormnames", []string{
			"app_account write accounts [app] internal/accounts/accounts.go:29", // gorm, SingularTable and TablePrefix
			"app_account read accounts [app] internal/accounts/accounts.go:35",
			// TableName in a package checked without bodies, returning another package's constant
			"billing_invoices write accounts [app] internal/accounts/accounts.go:40",
			"audit_trail write legacy [app] internal/legacy/legacy.go:42", // xorm, TableName()
			// Table(AuditLog{}.TableName()) with a read model; a session declared with Table;
			// a Table named at run time names none (not the model's)
			"audit_trail read legacy [app] internal/legacy/legacy.go:55",
			"order_item read legacy [app] internal/legacy/legacy.go:70",
			"order_item write legacy [app] internal/legacy/legacy.go:30", // xorm's singular mapper, through an Engine interface
			"order_item read legacy [app] internal/legacy/legacy.go:37",
		}, 1},
		{"ddbstream", []string{
			"OrdersTable write store [put-order] store/store.go:25", // the name from the template, through New and a field
			"OrdersTable read store [get-order] store/store.go:34",
		}, 1},
		{"daoshared", []string{
			"audit_log write store [] internal/store/store.go:52", // dead code: no program calls it
			"customers read store [orders] internal/store/store.go:34",
			"invoices write store [billing] internal/store/store.go:40",
			"orders write store [orders] internal/store/store.go:19",
			"orders read store [orders] internal/store/store.go:28",
			"orders write store [billing] internal/store/store.go:46",
		}, 1},
		{"ownedtables", []string{ // SQL with a CTE, mongo, DynamoDB, squirrel, goqu
			"notifications write notify [shop] internal/notify/notify.go:22",
			"notifications read notify [shop] internal/notify/notify.go:34",
			"order_lines write orders [shop] internal/orders/orders.go:27",
			"order_lines read orders [shop] internal/orders/orders.go:39",
			// a helper puts a CTE (archived) in front of the query it is handed: no table
			"order_archive read orders [] internal/orders/orders.go:55",
			"order_archive write orders [] internal/orders/orders.go:59",
			"orders write orders [shop] internal/orders/orders.go:24",
			"orders read orders [shop] internal/orders/orders.go:39",
			"products write catalog [shop] internal/catalog/catalog.go:23",
			"products read catalog [shop] internal/catalog/catalog.go:30",
			"ratings read ratings [shop] internal/ratings/ratings.go:13", // goqu
			"ratings write ratings [shop] internal/ratings/ratings.go:18",
			"reviews write reviews [shop] internal/reviews/reviews.go:19", // squirrel
			"reviews read reviews [shop] internal/reviews/reviews.go:26",
		}, 1},
		{"sqlcgen", []string{ // sqlc queries read from .sql files: the generated Go is not checked in
			"accounts read ledger [ledger] internal/ledger/queries/accounts.sql:1",
			"entries write ledger [ledger] internal/ledger/queries/accounts.sql:5",
			"accounts read ledger [ledger] internal/ledger/queries/report.sql:1",
			"entries read ledger [ledger] internal/ledger/queries/report.sql:1",
		}, 1},
		{"entshop", []string{ // ent's generated clients; table names from the generated constants
			"shop_orders write checkout [checkout] internal/checkout/checkout.go:22",
			"shop_orders read checkout [checkout] internal/checkout/checkout.go:27",
			"users write accounts [accounts] internal/accounts/accounts.go:18",
			"users write accounts [accounts] internal/accounts/accounts.go:23",
			"users read checkout [checkout] internal/checkout/checkout.go:18",
		}, 1},
	}
	for _, c := range cases {
		t.Run(c.fixture, func(t *testing.T) {
			t.Parallel()
			res, err := Run(context.Background(), Options{Dir: filepath.Join("..", "testdata", "fixtures", c.fixture)})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, tb := range res.Tables {
				for _, a := range tb.Accesses {
					got[fmt.Sprintf("%s %s %s [%s] %s:%d", tb.Name, a.Op, a.Module, strings.Join(a.Deployables, " "), a.File, a.Line)] = true
				}
			}
			want := map[string]bool{}
			hit := 0
			for _, w := range c.want {
				want[w] = true
				if got[w] {
					hit++
				}
			}
			var phantom, missed []string
			for g := range got {
				if !want[g] {
					phantom = append(phantom, g)
				}
			}
			for w := range want {
				if !got[w] {
					missed = append(missed, w)
				}
			}
			sort.Strings(phantom)
			sort.Strings(missed)
			precision := float64(hit) / float64(max(1, len(got)))
			recall := float64(hit) / float64(len(want))
			t.Logf("%s: %d accesses found, %d expected; precision %.2f, recall %.2f", c.fixture, len(got), len(want), precision, recall)
			if precision < 1 {
				t.Errorf("phantom accesses:\n%s", strings.Join(phantom, "\n"))
			}
			if recall < c.minRecall {
				t.Errorf("recall %.2f below %.2f; missed:\n%s", recall, c.minRecall, strings.Join(missed, "\n"))
			}
		})
	}
}

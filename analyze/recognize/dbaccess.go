package recognize

// dbLibraries are the import paths that make a package worth reading for database access.
var DbLibraries = []string{
	"database/sql", "github.com/jmoiron/sqlx", "github.com/jackc/pgx", "github.com/lib/pq",
	"gorm.io/gorm", "github.com/jinzhu/gorm", "github.com/uptrace/bun", "github.com/Masterminds/squirrel",
	"github.com/doug-martin/goqu", "go.mongodb.org/mongo-driver", "github.com/aws/aws-sdk-go-v2/service/dynamodb",
	"github.com/aws/aws-sdk-go/service/dynamodb", "entgo.io/ent", "github.com/go-sql-driver/mysql",
	"github.com/gobuffalo/pop", "github.com/ory/pop",
}

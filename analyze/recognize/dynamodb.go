package recognize

import (
	"go/ast"
	"strings"

	"github.com/cleave-dev/cleave/analyze/astutil"
	"github.com/cleave-dev/cleave/analyze/sqltables"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// dynamoInputs are the AWS SDK's DynamoDB request types with a TableName field.
var dynamoInputs = map[string]sqltables.Op{
	"PutItemInput": sqltables.Write, "UpdateItemInput": sqltables.Write, "DeleteItemInput": sqltables.Write,
	"GetItemInput": sqltables.Read, "QueryInput": sqltables.Read, "ScanInput": sqltables.Read,
	"Put": sqltables.Write, "Update": sqltables.Write, "Delete": sqltables.Write, "Get": sqltables.Read, "ConditionCheck": sqltables.Read,
}

// DynamoDB is the AWS SDK's DynamoDB client (v1 and v2): requests name their table.
var DynamoDB = register(Recogniser{
	Name:    "dynamodb",
	Imports: []string{"github.com/aws/aws-sdk-go-v2/service/dynamodb", "github.com/aws/aws-sdk-go/service/dynamodb"},
	Store:   "dynamodb",
	// dynamodb.PutItemInput{TableName: aws.String("orders")}
	Lit: func(x *typed.Extractor, lit *ast.CompositeLit) {
		t, ok := lit.Type.(*ast.SelectorExpr)
		if !ok {
			return
		}
		id, ok := t.X.(*ast.Ident)
		if !ok {
			return
		}
		if p := x.ImportOf(id.Name); !strings.HasSuffix(p, "/service/dynamodb") && !strings.HasSuffix(p, "/service/dynamodb/types") {
			return
		}
		op, ok := dynamoInputs[t.Sel.Name]
		if !ok {
			return
		}
		for field, v := range astutil.KeyedFields(lit) {
			if field == "TableName" {
				if name := x.NameValue(v); name != "" {
					x.Add(name, "dynamodb", op, lit.Pos())
				}
			}
		}
	},
})

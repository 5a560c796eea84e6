package recognize

import "github.com/cleave-dev/cleave/analyze/model"

// Lambda is aws-lambda-go: lambda.Start makes a function.
var Lambda = register(Recogniser{
	Name:    "aws-lambda-go",
	Imports: []string{"github.com/aws/aws-lambda-go/lambda"},
	Kinds:   []KindCall{{Kind: model.KindFunction, Names: []string{"Start*"}, Qualified: true}},
})

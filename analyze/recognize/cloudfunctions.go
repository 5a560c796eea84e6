package recognize

import "github.com/cleave-dev/cleave/analyze/model"

// CloudFunctions is Google's Functions Framework for Go.
var CloudFunctions = register(Recogniser{
	Name:    "functions-framework-go",
	Imports: []string{"github.com/GoogleCloudPlatform/functions-framework-go"},
	Kinds: []KindCall{
		{Kind: model.KindFunction, Imports: []string{"github.com/GoogleCloudPlatform/functions-framework-go/functions"}, Names: []string{"HTTP", "CloudEvent"}, Qualified: true},
		{Kind: model.KindFunction, Imports: []string{"github.com/GoogleCloudPlatform/functions-framework-go/funcframework"}, Names: []string{"Register*", "Start*"}, Qualified: true},
	},
})

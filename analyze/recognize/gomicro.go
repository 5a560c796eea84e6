package recognize

import "github.com/cleave-dev/cleave/analyze/model"

// GoMicro is go-micro under its three module paths.
var GoMicro = register(Recogniser{
	Name:    "go-micro",
	Imports: []string{"go-micro.dev", "github.com/micro/go-micro", "github.com/asim/go-micro"},
	Kinds:   []KindCall{{Kind: model.KindService, Names: []string{"Run"}}},
})

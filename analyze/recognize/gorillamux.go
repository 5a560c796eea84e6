package recognize

import "github.com/cleave-dev/cleave/analyze/model"

// GorillaMux is gorilla/mux: routes on its router are handlers the program serves.
var GorillaMux = register(Recogniser{
	Name:    "gorilla/mux",
	Imports: []string{"github.com/gorilla/mux"},
	Kinds:   []KindCall{{Kind: model.KindRoutes, Names: []string{"HandleFunc", "Handle", "PathPrefix"}}},
})

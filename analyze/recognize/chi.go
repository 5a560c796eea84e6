package recognize

import "github.com/cleave-dev/cleave/analyze/model"

// Chi is go-chi/chi: routes on its router are handlers the program serves.
var Chi = register(Recogniser{
	Name:    "chi",
	Imports: []string{"github.com/go-chi/chi"},
	Kinds:   []KindCall{{Kind: model.KindRoutes, Names: []string{"Get", "Post", "Put", "Patch", "Delete", "Route", "Mount", "HandleFunc"}}},
})

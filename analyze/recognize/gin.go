package recognize

import "github.com/cleave-dev/cleave/analyze/model"

// Gin is gin-gonic/gin.
var Gin = register(Recogniser{
	Name:    "gin",
	Imports: []string{"github.com/gin-gonic/gin"},
	Kinds:   []KindCall{{Kind: model.KindService, Names: []string{"Run", "RunTLS", "RunListener"}}, {Kind: model.KindRoutes, Names: []string{"GET", "POST", "PUT", "PATCH", "DELETE", "Any"}}},
})

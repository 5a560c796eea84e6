package recognize

import "github.com/cleave-dev/cleave/analyze/model"

// Echo is labstack/echo.
var Echo = register(Recogniser{
	Name:    "echo",
	Imports: []string{"github.com/labstack/echo"},
	Kinds:   []KindCall{{Kind: model.KindService, Names: []string{"Start", "StartTLS", "StartAutoTLS", "StartServer", "StartH2CServer"}}, {Kind: model.KindRoutes, Names: []string{"GET", "POST", "PUT", "PATCH", "DELETE", "Any"}}},
})

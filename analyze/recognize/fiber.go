package recognize

import "github.com/cleave-dev/cleave/analyze/model"

// Fiber is gofiber/fiber.
var Fiber = register(Recogniser{
	Name:    "fiber",
	Imports: []string{"github.com/gofiber/fiber"},
	Kinds:   []KindCall{{Kind: model.KindService, Names: []string{"Listen", "ListenTLS", "Listener"}}},
})

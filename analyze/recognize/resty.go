package recognize

// Resty is go-resty, an HTTP client.
var Resty = register(Recogniser{
	Name:    "resty",
	Imports: []string{"github.com/go-resty/resty"},
	Markers: []string{"go-resty"},
})

package recognize

import "github.com/cleave-dev/cleave/analyze/model"

// NetHTTP is net/http, and gRPC's server: a program that serves is a service (also through
// helpers such as exporter-toolkit's ServeMultiple). Its client calls are read by the calls stage.
var NetHTTP = register(Recogniser{
	Name:    "net/http",
	Imports: []string{"net/http", "google.golang.org/grpc"},
	Kinds: []KindCall{{Kind: model.KindService,
		Names: []string{"ListenAndServe*", "Serve", "ServeTLS", "ServeMultiple", "ServeListener", "ServeQUIC"}}},
	KindMarkers: []string{"ListenAndServe", ".Serve"},
	Markers:     []string{"http.Get(", "http.Post(", "http.Head(", "http.PostForm(", "NewRequest"},
})

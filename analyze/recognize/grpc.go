package recognize

// GRPC is grpc-go's generated clients and servers (NewXClient, RegisterXServer); its server
// kind is net/http's line.
var GRPC = register(Recogniser{
	Name:    "grpc",
	Imports: []string{"google.golang.org/grpc"},
	Markers: []string{"Client(", "Server("},
})

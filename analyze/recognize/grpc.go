package recognize

import (
	"go/ast"
	"regexp"

	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

const goKitGRPC = "github.com/go-kit/kit/transport/grpc"

var (
	grpcClient = regexp.MustCompile(`^New(\w+)Client$`)
	grpcServer = regexp.MustCompile(`^Register(\w+)Server$`)
	// grpcGateway is grpc-gateway's registration of a service's HTTP handlers that forward to
	// the service over gRPC: from an endpoint, a connection or a client. RegisterXHandlerServer
	// calls an implementation in the same process and is no call.
	grpcGateway = regexp.MustCompile(`^Register(\w+)Handler(FromEndpoint|Client)?$`)
)

// GRPC is grpc-go's generated clients and servers: NewXClient and RegisterXServer of a generated
// package name service X of that package, in a file that uses grpc-go or a transport built on
// it (go-kit's, kratos'). Its server kind is net/http's line.
var GRPC = register(Recogniser{
	Name:    "grpc",
	Imports: []string{"google.golang.org/grpc", goKitGRPC, kratosGRPC},
	Markers: []string{"Client(", "Server(", "Handler(", "HandlerFromEndpoint("},
	// A service implementation registered with a gRPC server: the program serves it.
	Kinds: []KindCall{{Kind: model.KindRoutes, Names: []string{"Register*Server"}, AnyPackage: true}},
	Client: func(x *typed.Extractor, call *ast.CallExpr, name, pkg string, recv ast.Expr) (string, string, string) {
		if pkg == "" {
			return "", "", ""
		}
		// go-kit's gRPC transport names the proto service itself: NewClient(conn, "pb.Add", "Sum", …).
		if pkg == goKitGRPC && name == "NewClient" && len(call.Args) >= 2 {
			if service, ok := x.ConstString(call.Args[1]); ok && service != "" {
				return "grpc-client", "grpc", service
			}
			return "", "", ""
		}
		if m := grpcClient.FindStringSubmatch(name); m != nil {
			return "grpc-client", "grpc", grpcService(x, pkg, m[1])
		}
		if m := grpcServer.FindStringSubmatch(name); m != nil {
			return "grpc-server", "grpc", grpcService(x, pkg, m[1])
		}
		if m := grpcGateway.FindStringSubmatch(name); m != nil {
			return "grpc-client", "grpc", grpcService(x, pkg, m[1])
		}
		return "", "", ""
	},
})

// grpcService names a gRPC service by its proto full name when the generated code in the
// repository declares it (hipstershop.CartService), whatever Go package holds the stubs; else
// by the stubs' import path.
func grpcService(x *typed.Extractor, pkg, service string) string {
	if full := x.ProtoService(pkg, service); full != "" {
		return full
	}
	return pkg + "." + service
}

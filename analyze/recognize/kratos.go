package recognize

import "github.com/cleave-dev/cleave/analyze/model"

const kratosGRPC = "github.com/go-kratos/kratos/v2/transport/grpc"

// Kratos is go-kratos's transports: an HTTP or gRPC server made with NewServer is started by
// the kratos application that holds it (app.Run). Its gRPC transport carries grpc-go's
// generated clients and servers (see GRPC).
var Kratos = register(Recogniser{
	Name:    "kratos",
	Imports: []string{"github.com/go-kratos/kratos/v2/transport/http", kratosGRPC},
	Kinds:   []KindCall{{Kind: model.KindService, Names: []string{"NewServer"}, Qualified: true}},
})

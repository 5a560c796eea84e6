package recognize

import "github.com/cleave-dev/cleave/analyze/model"

// beegoWebImports are beego's web framework: v1's root package, v2's server/web, and v2's
// adapter that keeps v1's API.
var beegoWebImports = []string{"github.com/astaxie/beego", "github.com/beego/beego/v2/server/web",
	"github.com/beego/beego/v2/adapter", "github.com/beego/beego/server/web"}

// BeegoWeb is beego's web framework: beego.Run() (web.Run() in v2) starts the server the
// routes are registered on.
var BeegoWeb = register(Recogniser{
	Name:    "beego",
	Imports: beegoWebImports,
	Kinds: []KindCall{
		{Kind: model.KindService, Names: []string{"Run", "RunWithMiddleWares"}, Qualified: true},
		// Not Get or Post: the imports match beego's sub-packages too, and httplib.Get is a client.
		{Kind: model.KindRoutes, Names: []string{"Router", "AutoRouter", "AutoPrefix", "Include", "AddNamespace"}, Qualified: true},
	},
})

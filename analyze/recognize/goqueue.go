package recognize

import "github.com/cleave-dev/cleave/analyze/model"

// GoQueue is zeromicro/go-queue's Kafka queue (kq): a program that builds a consuming queue
// runs it, in a go-zero service group.
var GoQueue = register(Recogniser{
	Name:    "go-queue",
	Imports: []string{"github.com/zeromicro/go-queue/kq"},
	Kinds:   []KindCall{{Kind: model.KindWorker, Names: []string{"MustNewQueue", "NewQueue"}, Qualified: true}},
})

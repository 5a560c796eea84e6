package recognize

import (
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// GoQueue is zeromicro/go-queue's Kafka queue (kq): a program that builds a consuming queue
// runs it, in a go-zero service group. kq.NewPusher(brokers, topic) publishes to its topic;
// kq.MustNewQueue(c.SomeConf, handler) consumes the Topic of its kq.KqConf, which go-zero's
// conf.MustLoad fills from the service's file (see GoZeroConf).
var GoQueue = register(Recogniser{
	Name:    "go-queue",
	Imports: []string{"github.com/zeromicro/go-queue/kq"},
	Kinds:   []KindCall{{Kind: model.KindWorker, Names: []string{"MustNewQueue", "NewQueue"}, Qualified: true}},
	Transport: &typed.Transport{Protocol: "kafka", Calls: map[string]typed.CallTopic{
		"NewPusher":    {Arg: 1, Produce: true},
		"MustNewQueue": {Arg: 0, Field: "Topic"},
		"NewQueue":     {Arg: 0, Field: "Topic"},
	}},
	Markers: []string{`"github.com/zeromicro/go-queue/kq`},
})

package recognize

import (
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// NATS is nats.go.
var NATS = register(Recogniser{
	Name:    "nats",
	Imports: []string{"github.com/nats-io/nats.go"},
	Kinds: []KindCall{{Kind: model.KindWorker,
		Names: []string{"Subscribe", "QueueSubscribe", "ChanSubscribe", "SubscribeSync", "QueueSubscribeSync", "Consume", "Fetch"}}},
	Transport: &typed.Transport{Protocol: "nats",
		Calls: map[string]typed.CallTopic{"Publish": {Arg: 0, Produce: true}, "PublishMsg": {Arg: -1, Produce: true},
			"Request": {Arg: 0, Produce: true}, "Subscribe": {Arg: 0}, "QueueSubscribe": {Arg: 0}, "ChanSubscribe": {Arg: 0},
			"SubscribeSync": {Arg: 0}, "QueueSubscribeSync": {Arg: 0}}},
	Markers: []string{"Publish", "Subscribe", "Consume"},
})

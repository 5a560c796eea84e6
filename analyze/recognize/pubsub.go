package recognize

import (
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// PubSub is Google Cloud Pub/Sub.
var PubSub = register(Recogniser{
	Name:    "pubsub",
	Imports: []string{"cloud.google.com/go/pubsub"},
	Kinds:   []KindCall{{Kind: model.KindWorker, Names: []string{"Receive"}}},
	Transport: &typed.Transport{Protocol: "pubsub",
		Calls: map[string]typed.CallTopic{"Topic": {Arg: 0, Produce: true}, "Subscription": {Arg: 0}}},
	Markers: []string{"Publish", "Receive(", "Topic"},
})

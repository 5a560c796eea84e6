package recognize

import (
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// Franz is twmb/franz-go.
var Franz = register(Recogniser{
	Name:    "franz-go",
	Imports: []string{"github.com/twmb/franz-go"},
	Kinds:   []KindCall{{Kind: model.KindWorker, Names: []string{"PollFetches", "PollRecords"}}},
	Transport: &typed.Transport{Protocol: "kafka",
		Lits:  map[string]typed.LitTopic{"Record": {Fields: []string{"Topic"}, Produce: true}},
		Calls: map[string]typed.CallTopic{"ConsumeTopics": {Arg: 0}, "DefaultProduceTopic": {Arg: 0, Produce: true}}},
	Markers: []string{"Produce", "Consume", "Topic"},
})

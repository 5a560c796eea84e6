package recognize

import (
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// Sarama is IBM/sarama (formerly Shopify's), a Kafka client.
var Sarama = register(Recogniser{
	Name:    "sarama",
	Imports: []string{"github.com/IBM/sarama", "github.com/Shopify/sarama"},
	Kinds:   []KindCall{{Kind: model.KindWorker, Names: []string{"ConsumePartition", "Consume"}}},
	Transport: &typed.Transport{Protocol: "kafka",
		Lits:  map[string]typed.LitTopic{"ProducerMessage": {Fields: []string{"Topic"}, Produce: true}},
		Calls: map[string]typed.CallTopic{"ConsumePartition": {Arg: 0}, "Consume": {Arg: 1}}},
	Markers: []string{"Produce", "Consume", "Topic"},
})

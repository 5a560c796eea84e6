package recognize

import (
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// AMQP is RabbitMQ's amqp091-go and streadway/amqp before it.
var AMQP = register(Recogniser{
	Name:    "amqp",
	Imports: []string{"github.com/rabbitmq/amqp091-go", "github.com/streadway/amqp"},
	Kinds:   []KindCall{{Kind: model.KindWorker, Names: []string{"Consume"}}},
	Transport: &typed.Transport{Protocol: "amqp",
		Calls: map[string]typed.CallTopic{"Publish": {Arg: 1, Produce: true}, "PublishWithContext": {Arg: 2, Produce: true}, "Consume": {Arg: 0}}},
	Markers: []string{"Publish", "Consume"},
})

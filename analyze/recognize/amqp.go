package recognize

import (
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// AMQP is RabbitMQ's amqp091-go and streadway/amqp before it: a publish goes to an exchange
// with a routing key, and a queue bound to that exchange with that key receives it (exchange
// "" routes to the queue named by the key).
var AMQP = register(Recogniser{
	Name:    "amqp",
	Imports: []string{"github.com/rabbitmq/amqp091-go", "github.com/streadway/amqp"},
	Kinds:   []KindCall{{Kind: model.KindWorker, Names: []string{"Consume"}}},
	Transport: &typed.Transport{Protocol: "amqp",
		Calls: map[string]typed.CallTopic{
			"Publish":            {Arg: 1, Produce: true, HasExchange: true, Exchange: 0},
			"PublishWithContext": {Arg: 2, Produce: true, HasExchange: true, Exchange: 1},
			// A queue bound to an exchange receives what is published there with the key.
			"QueueBind": {Arg: 1, HasExchange: true, Exchange: 2},
			"Consume":   {Arg: 0}}},
	Markers: []string{"Publish", "Consume"},
})

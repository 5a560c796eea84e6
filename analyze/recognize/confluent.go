package recognize

import "github.com/cleave-dev/cleave/analyze/model"

// Confluent is confluent-kafka-go: a consumer makes a worker.
var Confluent = register(Recogniser{
	Name:    "confluent-kafka-go",
	Imports: []string{"github.com/confluentinc/confluent-kafka-go"},
	Kinds:   []KindCall{{Kind: model.KindWorker, Names: []string{"ReadMessage", "SubscribeTopics", "Poll"}}},
})

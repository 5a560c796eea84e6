package recognize

import (
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// KafkaGo is segmentio/kafka-go.
var KafkaGo = register(Recogniser{
	Name:    "kafka-go",
	Imports: []string{"github.com/segmentio/kafka-go"},
	Kinds:   []KindCall{{Kind: model.KindWorker, Names: []string{"ReadMessage", "FetchMessage"}}},
	Transport: &typed.Transport{Protocol: "kafka",
		Lits: map[string]typed.LitTopic{"Writer": {Fields: []string{"Topic"}, Produce: true}, "WriterConfig": {Fields: []string{"Topic"}, Produce: true},
			"Message": {Fields: []string{"Topic"}, Produce: true}, "ReaderConfig": {Fields: []string{"Topic", "GroupTopics"}}}},
	Markers: []string{"WriteMessages", "ReaderConfig", "WriterConfig", "kafka.Writer", "Topic"},
})

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
		Lits: map[string]typed.LitTopic{"Writer": {Field: "Topic", Produce: true}, "WriterConfig": {Field: "Topic", Produce: true},
			"Message": {Field: "Topic", Produce: true}, "ReaderConfig": {Field: "Topic"}}},
	Markers: []string{"WriteMessages", "ReaderConfig", "WriterConfig", "kafka.Writer", "Topic"},
})

package recognize

import (
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// SQS is the AWS SDK's SQS client (v1 and v2); queues are named by their URL.
var SQS = register(Recogniser{
	Name:    "sqs",
	Imports: []string{"github.com/aws/aws-sdk-go-v2/service/sqs", "github.com/aws/aws-sdk-go/service/sqs"},
	Kinds:   []KindCall{{Kind: model.KindWorker, Names: []string{"ReceiveMessage", "ReceiveMessageWithContext"}}},
	Transport: &typed.Transport{Protocol: "sqs",
		Lits: map[string]typed.LitTopic{"SendMessageInput": {Fields: []string{"QueueUrl"}, Produce: true},
			"SendMessageBatchInput": {Fields: []string{"QueueUrl"}, Produce: true}, "ReceiveMessageInput": {Fields: []string{"QueueUrl"}}}},
	Markers: []string{"SendMessage", "ReceiveMessage"},
})

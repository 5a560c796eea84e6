package recognize

import "github.com/cleave-dev/cleave/analyze/typed"

// EventBridge is the AWS SDK's EventBridge client (v1 and v2); events are named by their source.
var EventBridge = register(Recogniser{
	Name:      "eventbridge",
	Imports:   []string{"github.com/aws/aws-sdk-go-v2/service/eventbridge", "github.com/aws/aws-sdk-go/service/eventbridge"},
	Transport: &typed.Transport{Protocol: "eventbridge", Lits: map[string]typed.LitTopic{"PutEventsRequestEntry": {Fields: []string{"Source"}, Produce: true}}},
	Markers:   []string{"PutEvents"},
})

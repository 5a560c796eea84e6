package recognize

import "github.com/cleave-dev/cleave/analyze/typed"

// SNS is the AWS SDK's SNS client (v1 and v2); topics are named by their ARN.
var SNS = register(Recogniser{
	Name:      "sns",
	Imports:   []string{"github.com/aws/aws-sdk-go-v2/service/sns", "github.com/aws/aws-sdk-go/service/sns"},
	Transport: &typed.Transport{Protocol: "sns", Lits: map[string]typed.LitTopic{"PublishInput": {Fields: []string{"TopicArn"}, Produce: true}}},
	Markers:   []string{"Publish"},
})

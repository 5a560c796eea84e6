package recognize

import (
	"strings"

	"github.com/cleave-dev/cleave/analyze/model"
)

// callMarkers are words that a file calling another service, or publishing or consuming a
// message, must hold: a cheap test that spares the typed analysis where nothing calls out.
var CallMarkers = [][]byte{
	[]byte("http.Get("), []byte("http.Post("), []byte("http.Head("), []byte("http.PostForm("), []byte("NewRequest"),
	[]byte("go-resty"), []byte("Client("), []byte("Server("), []byte("Publish"), []byte("Produce"), []byte("SendMessage"),
	[]byte("PutEvents"), []byte("WriteMessages"), []byte("Subscribe"), []byte("Consume"), []byte("ReceiveMessage"),
	[]byte("Receive("), []byte("ReaderConfig"), []byte("WriterConfig"), []byte("kafka.Writer"), []byte("Topic"),
}

var SqlMarkers = [][]byte{[]byte("SELECT "), []byte("INSERT "), []byte("UPDATE "), []byte("DELETE "),
	[]byte("select "), []byte("insert "), []byte("update "), []byte("delete ")}

// kindCall is a call that tells what kind of program reaches it.
type KindCall struct {
	Kind string
	// imports: the file must import one of these (an import path or a prefix of one).
	Imports []string
	// names the function or method must have (a trailing * matches a prefix).
	Names []string
	// qualified: the call must be pkg.Name on the imported package itself (lambda.Start),
	// not a method on a value.
	Qualified bool
	// mainOnly: the call counts only in the main package itself. A clock loop deep in a library
	// (a ticker in a storage engine) says nothing of the program that links it.
	MainOnly bool
}

// kindCalls is every call that tells a program's kind; adding a library is adding a line.
var KindCalls = []KindCall{
	{model.KindFunction, []string{"github.com/aws/aws-lambda-go/lambda"}, []string{"Start*"}, true, false},
	{model.KindFunction, []string{"github.com/GoogleCloudPlatform/functions-framework-go/functions"}, []string{"HTTP", "CloudEvent"}, true, false},
	{model.KindFunction, []string{"github.com/GoogleCloudPlatform/functions-framework-go/funcframework"}, []string{"Register*", "Start*"}, true, false},
	// Servers: net/http and gRPC (also through helpers such as exporter-toolkit's ServeMultiple).
	{model.KindService, []string{"net/http", "google.golang.org/grpc"}, []string{"ListenAndServe*", "Serve", "ServeTLS", "ServeMultiple", "ServeListener", "ServeQUIC"}, false, false},
	{model.KindService, []string{"github.com/gin-gonic/gin"}, []string{"Run", "RunTLS", "RunListener"}, false, false},
	{model.KindService, []string{"github.com/labstack/echo"}, []string{"Start", "StartTLS", "StartAutoTLS", "StartServer", "StartH2CServer"}, false, false},
	{model.KindService, []string{"github.com/gofiber/fiber"}, []string{"Listen", "ListenTLS", "Listener"}, false, false},
	{model.KindService, []string{"go-micro.dev", "github.com/micro/go-micro", "github.com/asim/go-micro"}, []string{"Run"}, false, false},
	// Workers: consumers of queues and streams.
	{model.KindWorker, []string{"github.com/IBM/sarama", "github.com/Shopify/sarama"}, []string{"ConsumePartition", "Consume"}, false, false},
	{model.KindWorker, []string{"github.com/segmentio/kafka-go"}, []string{"ReadMessage", "FetchMessage"}, false, false},
	{model.KindWorker, []string{"github.com/twmb/franz-go"}, []string{"PollFetches", "PollRecords"}, false, false},
	{model.KindWorker, []string{"github.com/confluentinc/confluent-kafka-go"}, []string{"ReadMessage", "SubscribeTopics", "Poll"}, false, false},
	{model.KindWorker, []string{"github.com/nats-io/nats.go"}, []string{"Subscribe", "QueueSubscribe", "ChanSubscribe", "SubscribeSync", "QueueSubscribeSync", "Consume", "Fetch"}, false, false},
	{model.KindWorker, []string{"github.com/rabbitmq/amqp091-go", "github.com/streadway/amqp"}, []string{"Consume"}, false, false},
	{model.KindWorker, []string{"github.com/aws/aws-sdk-go-v2/service/sqs", "github.com/aws/aws-sdk-go/service/sqs"}, []string{"ReceiveMessage", "ReceiveMessageWithContext"}, false, false},
	{model.KindWorker, []string{"cloud.google.com/go/pubsub"}, []string{"Receive"}, false, false},
	// Workers that loop on a clock.
	{model.KindWorker, []string{"time"}, []string{"Tick", "NewTicker"}, true, true},
	{model.KindWorker, []string{"github.com/robfig/cron", "github.com/go-co-op/gocron"}, []string{"AddFunc", "AddJob", "Every", "NewJob"}, false, true},
}

var HitMarkers = func() [][]byte {
	ms := [][]byte{[]byte("ListenAndServe"), []byte(".Serve"), []byte("time.Tick"), []byte("time.NewTicker")}
	seen := map[string]bool{}
	for _, kc := range KindCalls {
		for _, imp := range kc.Imports {
			if imp != "net/http" && imp != "google.golang.org/grpc" && imp != "time" && !seen[imp] {
				seen[imp] = true
				ms = append(ms, []byte(`"`+imp))
			}
		}
	}
	return ms
}()

func NameMatches(patterns []string, name string) bool {
	for _, p := range patterns {
		if pre, ok := strings.CutSuffix(p, "*"); ok && strings.HasPrefix(name, pre) || p == name {
			return true
		}
	}
	return false
}

func ImportsPrefix(names map[string]string, prefixes []string) (string, bool) {
	for local, p := range names {
		for _, pre := range prefixes {
			if p == pre || strings.HasPrefix(p, pre+"/") || strings.HasPrefix(p, pre) && strings.Contains(pre, ".") && !strings.Contains(pre, "/") {
				return local, true
			}
		}
	}
	return "", false
}

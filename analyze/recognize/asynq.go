package recognize

import (
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// Asynq is hibiken/asynq, a task queue on Redis: a program that builds its server (which runs
// the task handlers) or its scheduler (which enqueues periodic tasks) runs them; building one
// is done for nothing else, and its Run often lies where the import does not. A task's type
// is its topic: NewTask makes one to enqueue, a ServeMux handles it.
var Asynq = register(Recogniser{
	Name:    "asynq",
	Imports: []string{"github.com/hibiken/asynq"},
	Kinds:   []KindCall{{Kind: model.KindWorker, Names: []string{"NewServer", "NewScheduler"}, Qualified: true}},
	Transport: &typed.Transport{Protocol: "asynq",
		Calls: map[string]typed.CallTopic{"NewTask": {Arg: 0, Produce: true},
			"Handle": {Arg: 0, Recv: true}, "HandleFunc": {Arg: 0, Recv: true}}},
	// Its calls are too commonly named (Handle) to tell a file by: its import does.
	Markers: []string{`"github.com/hibiken/asynq`},
})

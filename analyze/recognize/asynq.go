package recognize

import "github.com/cleave-dev/cleave/analyze/model"

// Asynq is hibiken/asynq, a task queue on Redis: a program that builds its server (which runs
// the task handlers) or its scheduler (which enqueues periodic tasks) runs them; building one
// is done for nothing else, and its Run often lies where the import does not.
var Asynq = register(Recogniser{
	Name:    "asynq",
	Imports: []string{"github.com/hibiken/asynq"},
	Kinds:   []KindCall{{Kind: model.KindWorker, Names: []string{"NewServer", "NewScheduler"}, Qualified: true}},
})

package recognize

import "github.com/cleave-dev/cleave/analyze/model"

// Clock is a loop on a clock in the main package itself: time.Tick and NewTicker. A ticker deep
// in a library (a storage engine's) says nothing of the program that links it.
var Clock = register(Recogniser{
	Name:        "time",
	Imports:     []string{"time"},
	Kinds:       []KindCall{{Kind: model.KindWorker, Names: []string{"Tick", "NewTicker"}, Qualified: true, MainOnly: true}},
	KindMarkers: []string{"time.Tick", "time.NewTicker"},
})

// Cron is robfig/cron and go-co-op/gocron, in the main package.
var Cron = register(Recogniser{
	Name:    "cron",
	Imports: []string{"github.com/robfig/cron", "github.com/go-co-op/gocron"},
	Kinds:   []KindCall{{Kind: model.KindWorker, Names: []string{"AddFunc", "AddJob", "Every", "NewJob"}, MainOnly: true}},
})

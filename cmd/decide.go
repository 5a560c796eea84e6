package cmd

import (
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/assess"
	"github.com/cleave-dev/cleave/rules"
)

// decide makes the one decision a command renders: the assessment of the session's answers with
// its rule pack, and the analysis carrying that same recommendation. No other code asks the
// decision engine, so a document never holds two verdicts.
func decide(res *model.Result, s *assess.Session) (*model.Result, *rules.Assessment) {
	as := s.Assessment()
	if res == nil {
		return nil, as
	}
	return res.WithRecommendation(as.Recommendation), as
}

package reports

import (
	"io"
	"strings"

	"github.com/cleave-dev/cleave/rules"
)

// SARIF 2.1.0, the subset GitHub code scanning reads. Paths are relative to the repository
// root through the %SRCROOT% base, so the file never holds a machine's absolute path.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifact `json:"originalUriBaseIds"`
	Results            []sarifResult            `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name"`
	ShortDescription     sarifText         `json:"shortDescription"`
	FullDescription      sarifText         `json:"fullDescription"`
	Help                 sarifText         `json:"help"`
	HelpURI              string            `json:"helpUri"`
	DefaultConfiguration map[string]string `json:"defaultConfiguration"`
	Properties           map[string]any    `json:"properties"`
}

type sarifArtifact struct {
	URI         string     `json:"uri,omitempty"`
	URIBaseID   string     `json:"uriBaseId,omitempty"`
	Description *sarifText `json:"description,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifLocation struct {
	ID               *int          `json:"id,omitempty"`
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	Message          *sarifText    `json:"message,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	BaselineState       string            `json:"baselineState"`
}

// RuleDocURI is where a rule's documentation lives.
func RuleDocURI(id string) string {
	return "https://github.com/cleave-dev/cleave/blob/main/README.md#finding-rules"
}

func sarifLevel(s rules.Severity) string {
	switch s {
	case rules.Error:
		return "error"
	case rules.Warning:
		return "warning"
	}
	return "note"
}

func physical(file string, line, col int) sarifPhysical {
	return sarifPhysical{ArtifactLocation: sarifArtifact{URI: file, URIBaseID: "%SRCROOT%"}, Region: sarifRegion{StartLine: max(line, 1), StartColumn: col}}
}

// SARIF writes findings as a SARIF 2.1.0 log. Every rule that could fire is described, so code
// scanning can show the help of a rule before it first fires.
func SARIF(w io.Writer, version string, findings []*rules.Finding, ruleList []*rules.Rule) error {
	index := map[string]int{}
	var srules []sarifRule
	for i, r := range ruleList {
		index[r.ID] = i
		srules = append(srules, sarifRule{
			ID: r.ID, Name: ruleName(r.ID), ShortDescription: sarifText{Text: r.Title}, FullDescription: sarifText{Text: r.What},
			Help: sarifText{
				Text:     r.What + "\n\nWhy it matters: " + r.Why + "\n\nHow to fix it: " + r.Fix + "\n\nGuide: " + r.Guide,
				Markdown: "**" + r.Title + "**\n\n" + r.What + "\n\n**Why it matters.** " + r.Why + "\n\n**How to fix it.** " + r.Fix + "\n\n*Guide: " + r.Guide + "*",
			},
			HelpURI:              RuleDocURI(r.ID),
			DefaultConfiguration: map[string]string{"level": sarifLevel(r.Severity)},
			Properties:           map[string]any{"tags": []string{"architecture", "maintainability"}},
		})
	}
	results := []sarifResult{}
	for _, f := range findings {
		res := sarifResult{
			RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity),
			Message:             sarifText{Text: f.Message},
			Locations:           []sarifLocation{{PhysicalLocation: physical(f.File, f.Line, f.Column)}},
			PartialFingerprints: map[string]string{"cleave/v1": f.Fingerprint},
			BaselineState:       "new",
		}
		if f.Baselined {
			res.BaselineState = "unchanged"
		}
		for i, r := range f.Related {
			id := i + 1
			res.RelatedLocations = append(res.RelatedLocations, sarifLocation{ID: &id, PhysicalLocation: physical(r.File, r.Line, r.Column), Message: &sarifText{Text: r.Message}})
		}
		results = append(results, res)
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs: []sarifRun{{
			Tool:               sarifTool{Driver: sarifDriver{Name: "cleave", Version: numericVersion(version), InformationURI: "https://github.com/cleave-dev/cleave", Rules: srules}},
			OriginalURIBaseIDs: map[string]sarifArtifact{"%SRCROOT%": {Description: &sarifText{Text: "The root of the analysed repository."}}},
			Results:            results,
		}},
	}
	return JSON(w, log)
}

// ruleName is the readable name SARIF wants beside the id: boundary/private-import is BoundaryPrivateImport.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '/' || r == '-' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// numericVersion makes a version start with a digit, as SARIF viewers compare versions: v1.2.0 is
// 1.2.0, a development build 0.0.0-devel.
func numericVersion(v string) string {
	v = strings.TrimPrefix(v, "v")
	if v == "" || v[0] < '0' || v[0] > '9' {
		return "0.0.0-" + v
	}
	return v
}

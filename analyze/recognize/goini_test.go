package recognize

import (
	"testing"

	"gopkg.in/ini.v1"
)

func TestGoiniValue(t *testing.T) {
	load := func(src string) *ini.File {
		f, err := ini.LoadSources(ini.LoadOptions{}, []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	a := load("[database]\nPrefix = blog_\nHost = db:3306\n[empty]\nKey =\n")
	b := load("[database]\nPrefix = news_\nHost = db:3306\n")
	for _, c := range []struct {
		files        []*ini.File
		section, key string
		want         string
		ok           bool
	}{
		{[]*ini.File{a}, "database", "Prefix", "blog_", true},
		{[]*ini.File{a}, "database", "prefix", "", false}, // keys are case-sensitive unless loaded insensitive
		{[]*ini.File{a}, "server", "Prefix", "", false},
		{[]*ini.File{a}, "empty", "Key", "", false}, // an empty value tells nothing
		{[]*ini.File{a, b}, "database", "Host", "db:3306", true},
		{[]*ini.File{a, b}, "database", "Prefix", "", false}, // two loads that disagree
		{nil, "database", "Prefix", "", false},
	} {
		ix := &goiniIndex{files: c.files}
		if got, ok := ix.value(c.section, c.key); got != c.want || ok != c.ok {
			t.Errorf("value(%q, %q) over %d files = %q, %v; want %q, %v", c.section, c.key, len(c.files), got, ok, c.want, c.ok)
		}
	}
}

// FuzzGoiniValue: whatever an ini file holds, reading it costs an error, never a panic.
func FuzzGoiniValue(f *testing.F) {
	f.Add([]byte("[database]\nPrefix = blog_\n"))
	f.Add([]byte("Prefix = %(Name)s_\nName = x\n[a.b]\nk = \"\"\"multi\nline\"\"\"\n"))
	f.Add([]byte("[s]\nk = v \\\n continued\n; comment\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, opts := range []ini.LoadOptions{{}, {Insensitive: true}, {AllowShadows: true}} {
			file, err := ini.LoadSources(opts, data)
			if err != nil {
				continue
			}
			ix := &goiniIndex{files: []*ini.File{file}}
			for _, s := range file.SectionStrings() {
				for _, k := range file.Section(s).KeyStrings() {
					ix.value(s, k)
				}
			}
		}
	})
}

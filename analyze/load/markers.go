package load

import (
	"bytes"
	"sync"

	"github.com/cleave-dev/cleave/analyze/recognize"
)

// The cheap tests a file's text is put to before it is parsed look for some seventy words
// (SQL keywords, calls out, calls that tell a program's kind, client certificates). Looking
// for each in turn reads the file seventy times; markers reads it once, checking the words
// that start with each pair of bytes where the pair occurs.

// Marker groups: what a file's text may hold.
const (
	markSQL  = 1 << iota // SQL text
	markCall             // a call to another service or a message
	markHit              // a call that tells a program's kind
	markMTLS             // a server asking for client certificates
	markDB               // a database library's import path
	markAll  = markSQL | markCall | markHit | markMTLS | markDB
)

type marker struct {
	word  []byte
	group uint8
}

// markerIndex maps the first two bytes of every marker word to the markers.
var markerIndex = sync.OnceValue(func() *[1 << 16][]marker {
	var idx [1 << 16][]marker
	add := func(group uint8, words ...[]byte) {
		for _, w := range words {
			k := uint16(w[0])<<8 | uint16(w[1])
			idx[k] = append(idx[k], marker{w, group})
		}
	}
	add(markSQL, recognize.SQLMarkers...)
	add(markCall, recognize.CallMarkers...)
	add(markHit, recognize.HitMarkers...)
	add(markMTLS, []byte("RequireAndVerifyClientCert"), []byte("VerifyClientCertIfGiven"))
	for _, lib := range recognize.DbLibraries {
		add(markDB, []byte(`"`+lib))
	}
	return &idx
})

// markers returns the groups whose words a file's text holds, reading it once.
func markers(src []byte) uint8 {
	idx := markerIndex()
	var found uint8
	for i := 0; i+1 < len(src); i++ {
		ms := idx[uint16(src[i])<<8|uint16(src[i+1])]
		for _, m := range ms {
			if found&m.group == 0 && bytes.HasPrefix(src[i:], m.word) {
				found |= m.group
				if found == markAll {
					return found
				}
			}
		}
	}
	return found
}

package recognize

import (
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/analyze/typed"
)

// The gate lists of the analysis, derived from the recognisers. They are filled by init, which
// runs after every file's registration.
var (
	// DbLibraries are the imports that make a package worth reading for database access.
	DbLibraries []string
	// ConnectCalls are every call that opens a database connection.
	ConnectCalls []typed.ConnectCall
	// Transports are every message transport.
	Transports []typed.Transport
	// KindCalls are every call that tells a program's kind.
	KindCalls []KindCall
	// HitMarkers are words a file holding such a call must contain.
	HitMarkers [][]byte
	// CallMarkers are words a file that calls another service or sends a message must contain.
	CallMarkers [][]byte
	// QueryFileLoaders are the imports of libraries that load named queries from .sql files.
	QueryFileLoaders []string
	// ConfigLibraries are the imports of configuration libraries: a package that uses one is read
	// in full, since the values it sets up (defaults, bound variables) resolve addresses elsewhere.
	ConfigLibraries []string
	// Libraries are the imports of every library a recogniser reads, the standard library's
	// included (net/http, database/sql).
	Libraries []string
)

func init() {
	seen := map[string]bool{}
	once := func(s string) bool {
		if seen[s] {
			return false
		}
		seen[s] = true
		return true
	}
	for _, r := range All {
		if r.Store != "" {
			for _, imp := range r.Imports {
				if once("db " + imp) {
					DbLibraries = append(DbLibraries, imp)
				}
			}
		}
		if r.Value != nil || r.Field != nil {
			ConfigLibraries = append(ConfigLibraries, r.Imports...)
		}
		if r.QueryFiles {
			QueryFileLoaders = append(QueryFileLoaders, r.Imports...)
		}
		for _, imp := range r.Imports {
			if once("lib " + imp) {
				Libraries = append(Libraries, imp)
			}
		}
		for _, c := range r.Connect {
			if once("lib " + c.Pkg) {
				Libraries = append(Libraries, c.Pkg)
			}
		}
		for _, k := range r.Kinds {
			for _, imp := range k.Imports {
				if once("lib " + imp) {
					Libraries = append(Libraries, imp)
				}
			}
		}
		if r.Transport != nil {
			for _, imp := range r.Transport.Imports {
				if once("lib " + imp) {
					Libraries = append(Libraries, imp)
				}
			}
		}
		ConnectCalls = append(ConnectCalls, r.Connect...)
		if r.Transport != nil {
			Transports = append(Transports, *r.Transport)
		}
		KindCalls = append(KindCalls, r.Kinds...)
		for _, m := range r.hitMarkers() {
			if once("hit " + m) {
				HitMarkers = append(HitMarkers, []byte(m))
			}
		}
		for _, m := range r.Markers {
			if once("call " + m) {
				CallMarkers = append(CallMarkers, []byte(m))
			}
		}
	}
}

// hitMarkers: a library's own import, or for the standard library and gRPC, whose imports are
// everywhere, the calls themselves.
func (r *Recogniser) hitMarkers() []string {
	if len(r.Kinds) == 0 {
		return nil
	}
	if r.KindMarkers != nil {
		return r.KindMarkers
	}
	var out []string
	for _, k := range r.Kinds {
		for _, imp := range k.Imports {
			out = append(out, `"`+imp)
		}
	}
	return out
}

// Library reports whether an import path is one of Libraries (a path under one, or on a host
// that one names alone, as go-micro.dev).
func Library(path string) bool {
	_, ok := ImportsPrefix(map[string]string{"": path}, Libraries)
	return ok
}

// UsesDatabase reports whether a package may touch a database: it holds SQL text, or may
// open a connection or use a database library.
func UsesDatabase(p *model.Package) bool { return p.SQLText || Connects(p) }

// SQLMarkers are words a file holding SQL text must contain.
var SQLMarkers = [][]byte{[]byte("SELECT "), []byte("INSERT "), []byte("UPDATE "), []byte("DELETE "),
	[]byte("select "), []byte("insert "), []byte("update "), []byte("delete ")}

package typed

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cleave-dev/cleave/analyze/astutil"
	"github.com/cleave-dev/cleave/analyze/model"
	"github.com/cleave-dev/cleave/internal/safefs"
)

// Prefetch reads the repository's Go files while the go command lists its packages, which
// leaves the cores idle otherwise. When one of them suggests that the typed pass will run
// (worth), the files are parsed in full too, and their bodies read as the typed pass would
// (see stripBodies); the listing and the typed pass then take what they need instead of
// reading and parsing again. The files are those the walk found, a superset of what the go
// command will list; a file it lists that was not prefetched is read as usual.
type Prefetch struct {
	root  string
	fset  *token.FileSet
	files map[string]*prefile // by slash path relative to the root; the map is read-only
	tr    *TypedRepo          // only for its library predicate and cache
	// gate opens once it is known whether the files are to be parsed in full (parse): at
	// once when the go command lists the packages, else only when the typed pass runs,
	// which the cache of its facts may spare.
	gate     chan struct{}
	gateOnce sync.Once
	parse    bool
	// store keeps the files' scans between runs (nil: none); old is what it held, by content
	// digest; saveOnce saves what this run knows once it is done.
	ctx      context.Context
	store    ScanStore
	old      map[string][]byte
	saveOnce sync.Once
	saved    chan struct{} // closed once saved
	done     chan struct{} // closed once the prefetch is over
	// leaveOut names the functions whose declarations are left out of the trees altogether
	// (see unnamed), once every file is scanned.
	leaveOut map[string]bool
}

type prefile struct {
	read, scanned, parsed chan struct{}
	err                   error
	f                     *ast.File
	bodies                []*bodyFacts
	taken                 bool
	// What the tokens say of the file, once scanned: its package name, its top-level
	// functions (nil when the tokens cannot be trusted with its bodies) and its skeleton's
	// digest (see skeleton), "" when it has none.
	pkgName string
	scans   []funcScan
	outside []string // the identifiers it names outside its functions (see scanFuncs)
	// imports are its import declarations as its header reads them (see Imports), once
	// scanned, or once read where the store's record holds them (headKnown); headerOK is set
	// when the header parsed without an error.
	imports             []model.Import
	headerOK, headKnown bool
	skeleton            string
	// rec is the file's record for the store (see ScanStore): the one it held for this
	// content, or a fresh one.
	rec   []byte
	fresh bool
	// What the reader of the listing takes from the text (see Summarize), once read.
	facts            []byte
	worth, wantsTree bool
	// src is the content, until the parse is done with it and the listing has taken it, or
	// needs it no more (it has the facts, and the tree serves it); sum and header are its
	// digests, once asked (the header at once where digests are wanted).
	mu                  sync.Mutex
	sum, header         string
	src                 []byte
	srcTaken, parseDone bool
	spared              bool
}

// release drops the content once nothing needs it any more; mu is held.
func (pf *prefile) release() {
	if (pf.srcTaken || pf.spared) && pf.parseDone {
		pf.src = nil
	}
}

// Summarize reads what the reader of the listing wants of a file's text as soon as it is read,
// so that the text need not be held for it: facts (the reader's own, in its own encoding),
// whether the typed pass is likely to run (worth: the file may hold SQL or a call out, or use
// a database library), and whether the reader wants the file's tree with all its bodies
// (wantsTree). All three follow from the content alone: the store keeps them with the
// file's scan, and a content it has seen is not summarized again.
type Summarize func(src []byte) (facts []byte, worth, wantsTree bool)

// StartPrefetch starts reading files (slash paths relative to root) on every core. Test
// files are read but never parsed unless tests is set. library is what stripBodies takes.
// When ctx is done, what is left is skipped. Once read, the files are summarized, and their
// headers digested if digests is set; then they are scanned, and their skeletons digested if
// digests is set (see Skeleton); they are parsed in full once Parse is called. A file whose
// tree serves the reader of the listing is dropped as soon as it is parsed. Where digests
// are set, store (if not nil) gives the headers and scans of the files whose content it has
// seen, and keeps this run's when Wait is called.
func StartPrefetch(ctx context.Context, root string, files []string, tests, digests bool, store ScanStore, library func(path string) bool, summarize Summarize) *Prefetch {
	p := &Prefetch{root: root, fset: token.NewFileSet(), files: make(map[string]*prefile, len(files)),
		gate: make(chan struct{}), saved: make(chan struct{}), done: make(chan struct{}), ctx: ctx}
	p.tr = &TypedRepo{library: library, fset: p.fset}
	if digests {
		p.store = store
	}
	for _, f := range files {
		p.files[f] = &prefile{read: make(chan struct{}), scanned: make(chan struct{}), parsed: make(chan struct{})}
	}
	go func() {
		if p.store != nil {
			p.old = decodeStore(p.store.Load())
		}
		var anyWorth atomic.Bool
		astutil.Parallel(len(files), func(i int) {
			pf := p.files[files[i]]
			defer close(pf.read)
			if pf.err = ctx.Err(); pf.err != nil {
				return
			}
			pf.src, pf.err = safefs.ReadFile(filepath.Join(root, filepath.FromSlash(files[i])), safefs.GoFile)
			if pf.err != nil {
				return
			}
			summed := false
			if p.store != nil {
				pf.sum = contentSum(pf.src)
				if rec, ok := p.old[pf.sum]; ok {
					if head, ok := recordHead(rec); ok {
						pf.header, pf.rec = head.header, rec
						sum := head.summary
						pf.facts, pf.worth, pf.wantsTree, summed = sum.facts, sum.worth, sum.wantsTree, true
						if head.scanned { // the imports are known before any file is scanned
							pf.imports, pf.headerOK, pf.headKnown = head.imports, head.pkgName != "", true
						}
					}
				}
			}
			if !summed {
				pf.facts, pf.worth, pf.wantsTree = summarize(pf.src)
			}
			if pf.worth && !anyWorth.Load() {
				anyWorth.Store(true)
			}
			if digests && pf.header == "" {
				pf.header = headerSum(pf.src)
			}
		})
		wanted := func(i int) bool {
			pf := p.files[files[i]]
			return anyWorth.Load() && pf.err == nil && ctx.Err() == nil && (tests || !strings.HasSuffix(files[i], "_test.go"))
		}
		// A file is parsed right after its scan once the gate is open (the go command is
		// listing the packages); the files scanned before it opens are parsed after.
		finish := func(i int) {
			pf := p.files[files[i]]
			if p.parse && wanted(i) && pf.pkgName != "" {
				pf.mu.Lock()
				src := pf.src
				pf.mu.Unlock()
				p.parseFull(files[i], pf, src, p.leaveOut)
			}
			pf.mu.Lock()
			pf.parseDone = true
			pf.spared = pf.f != nil && (!pf.wantsTree || unblanked(pf.bodies))
			pf.release()
			pf.mu.Unlock()
			close(pf.parsed)
		}
		finished := make([]bool, len(files))
		astutil.Parallel(len(files), func(i int) {
			pf := p.files[files[i]]
			if wanted(i) {
				pf.mu.Lock()
				src := pf.src
				pf.mu.Unlock()
				if !p.scanned(pf, len(src)) {
					p.scan(files[i], pf, src, digests)
					p.record(pf, true)
				}
			} else if pf.err == nil && pf.rec == nil {
				p.record(pf, false)
			}
			close(pf.scanned)
			if wanted(i) && mayLeaveOut(pf) {
				return // parsed once every file is scanned: see unnamed
			}
			select {
			case <-p.gate:
				finish(i)
				finished[i] = true
			default:
			}
		})
		p.leaveOut = p.unnamed(files, wanted)
		<-p.gate
		astutil.Parallel(len(files), func(i int) {
			if !finished[i] {
				finish(i)
			}
		})
		close(p.done)
	}()
	return p
}

// scanned takes a file's scan from the store's record of its content; false when it holds
// none.
func (p *Prefetch) scanned(pf *prefile, size int) bool {
	if pf.rec == nil {
		return false
	}
	r, ok := decodeRecord(pf.rec, size)
	if !ok || !r.scanned {
		return false
	}
	pf.pkgName, pf.scans, pf.outside, pf.skeleton = r.pkgName, r.scans, r.outside, r.skeleton
	if !pf.headKnown {
		pf.imports, pf.headerOK = r.imports, r.pkgName != ""
	}
	return true
}

// record makes a file's record for the store, with its scan if it was scanned.
func (p *Prefetch) record(pf *prefile, scanned bool) {
	if p.store == nil {
		return
	}
	pf.rec = encodeRecord(scanRecord{header: pf.header, summary: summary{pf.facts, pf.worth, pf.wantsTree}, skeleton: pf.skeleton, pkgName: pf.pkgName,
		scanned: scanned, trusted: pf.scans != nil, scans: pf.scans, outside: pf.outside, imports: pf.imports})
	pf.fresh = true
}

// save keeps what this run knows of its files' content in the store, where it knows more
// than the store held, or the store held files that are gone.
func (p *Prefetch) save() {
	if p.store == nil || p.ctx.Err() != nil {
		return
	}
	recs := map[string][]byte{}
	dirty := false
	for _, pf := range p.files {
		if pf.err == nil && pf.rec != nil {
			recs[pf.sum] = pf.rec
			dirty = dirty || pf.fresh
		}
		pf.rec = nil
	}
	if dirty || len(recs) != len(p.old) {
		p.store.Save(encodeStore(recs))
	}
	p.old = nil
}

// Parse lets the files be parsed in full, unless Wait came first: the go command is listing
// the packages, leaving the cores idle, or the typed pass is about to run.
func (p *Prefetch) Parse() { p.open(true) }

func (p *Prefetch) open(parse bool) {
	if p != nil {
		p.gateOnce.Do(func() { p.parse = parse; close(p.gate) })
	}
}

// scan reads a file's package clause, imports and function bodies by its tokens, and digests
// its skeleton if asked.
func (p *Prefetch) scan(rel string, pf *prefile, src []byte, skeletons bool) {
	fset := token.NewFileSet()
	head, err := parser.ParseFile(fset, rel, src, parser.ImportsOnly|parser.SkipObjectResolution)
	if err != nil || head.Name == nil {
		return // the typed pass parses it again, as it always did
	}
	pf.pkgName = head.Name.Name
	if !pf.headKnown { // else taken from the store's record as the file was read
		pf.headerOK = true
		for _, spec := range head.Imports {
			if path, err := strconv.Unquote(spec.Path.Value); err == nil {
				pos := fset.Position(spec.Path.Pos())
				pf.imports = append(pf.imports, model.Import{Path: path, Line: pos.Line, Column: pos.Column,
					Blank: spec.Name != nil && spec.Name.Name == "_"})
			}
		}
	}
	// A line directive in a blanked body would move every position after it.
	if bytes.Contains(src, []byte("//line ")) || bytes.Contains(src, []byte("/*line ")) {
		return
	}
	libs := p.tr.libraryNames(astutil.ImportNames(head))
	scans, outside, ok := scanFuncs(src, libs)
	if !ok {
		return
	}
	pf.outside = outside
	for i := range scans {
		if fs := &scans[i]; fs.lbrace >= 0 && alwaysKept(pf.pkgName, fs.name, fs.method) {
			fs.matters = true
		}
	}
	pf.scans = scans
	if skeletons {
		pf.skeleton = skeleton(src, scans)
	}
}

// parseFull parses a file in full and reads its bodies, dropping the inert ones at once.
// Where the tokens say that most bodies of the file are inert, those are not even parsed:
// their text is cut but for its newlines before parsing (see compact), and so is the whole
// declaration of each function leaveOut names (see unnamed), with the comments before it.
func (p *Prefetch) parseFull(rel string, pf *prefile, src []byte, leaveOut map[string]bool) {
	scans := pf.scans
	blanked := false
	out := func(fs *funcScan) bool {
		return blanked && leftOutable(fs) && leaveOut[fs.name] && pf.pkgName != "main"
	}
	var at offsets
	if scans != nil && inertFile(scans) {
		blanked = true
		var cuts [][2]int
		for i := range scans {
			switch fs := &scans[i]; {
			case fs.lbrace < 0 || fs.matters:
			case out(fs):
				cuts = append(cuts, [2]int{fs.lead, fs.rbrace + 1})
			default:
				cuts = append(cuts, [2]int{fs.lbrace + 1, fs.rbrace})
			}
		}
		src, at = compact(src, cuts)
	}
	f, err := parser.ParseFile(p.fset, rel, src, parser.SkipObjectResolution)
	if err != nil || f == nil || f.Name == nil {
		return
	}
	tp := &typedPkg{Pkg: &model.Package{Name: f.Name.Name}, files: []*ast.File{f},
		imports: map[*ast.File]map[string]string{f: astutil.ImportNames(f)}}
	if scans == nil {
		p.tr.readBodies(tp, 0, map[string]bool{})
		pf.f, pf.bodies = f, tp.bodies
		return
	}
	byBrace := map[int]*funcScan{}
	for i := range scans {
		if scans[i].lbrace >= 0 {
			byBrace[scans[i].lbrace] = &scans[i]
		}
	}
	tf := p.fset.File(f.Pos())
	byStart := map[int]*bodyFacts{}
	for di, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		fs := byBrace[at.real(tf.Offset(fd.Body.Lbrace))]
		if fs == nil || out(fs) { // the tokens and the tree disagree: read the file as it is
			if blanked {
				return
			}
			p.tr.readBodies(tp, 0, map[string]bool{})
			pf.f, pf.bodies = f, tp.bodies
			return
		}
		b := &bodyFacts{decl: di, start: fs.start, name: fd.Name.Name, recv: recvName(fd), kept: fs.matters, skeletal: !fs.matters}
		if !b.kept {
			b.names = fs.names
		}
		if blanked && !b.kept {
			fd.Body, b.early = nil, true
		}
		byStart[fs.start] = b
	}
	var bodies []*bodyFacts // in the order of the file
	for i := range scans {
		fs := &scans[i]
		switch b := byStart[fs.start]; {
		case b != nil:
			bodies = append(bodies, b)
		case fs.lbrace >= 0 && out(fs):
			bodies = append(bodies, &bodyFacts{decl: -1, start: fs.start, name: fs.name, names: fs.names, sig: fs.names[:fs.sig],
				skeletal: true, early: true, absent: true})
		}
	}
	pf.f, pf.bodies = f, bodies
}

// offsets maps the offsets of a compacted text to those of the text it was cut from: from
// cut[i] in the compacted text on, the offset in the other is was[i] more. Empty, it maps an
// offset to itself.
type offsets struct{ cut, was []int }

func (o offsets) real(c int) int {
	i := sort.SearchInts(o.cut, c+1) - 1
	if i < 0 {
		return c
	}
	return c + o.was[i]
}

// compact returns src without the text of the cuts (sorted ranges [from, to) that do not
// overlap), but for their newlines: every line keeps its number, and the parser has no space
// to scan through. Offsets into the result map back through the offsets returned; columns
// move only on the lines a cut ends on, where nothing the typed pass reports lies (a body's
// closing brace, or the end of a declaration left out).
func compact(src []byte, cuts [][2]int) ([]byte, offsets) {
	out := make([]byte, 0, len(src)/4)
	var at offsets
	from := 0
	for _, c := range cuts {
		if c[0] < from || c[1] < c[0] || c[1] > len(src) {
			continue // a record of the store that disagrees with the text: the tree will too
		}
		out = append(out, src[from:c[0]]...)
		for range bytes.Count(src[c[0]:c[1]], newline) {
			out = append(out, '\n')
		}
		from = c[1]
		at.cut = append(at.cut, len(out))
		at.was = append(at.was, from-len(out))
	}
	return append(out, src[from:]...), at
}

var newline = []byte("\n")

// inertFile reports whether the tokens say that most bodies of a file are inert (see
// mostlyInert).
func inertFile(scans []funcScan) bool {
	n, kept := 0, 0
	for _, fs := range scans {
		if fs.lbrace >= 0 {
			n++
			if fs.matters {
				kept++
			}
		}
	}
	return mostlyInert(kept, n)
}

// leftOutable reports whether the declaration of a function may be left out of its file's
// tree: it has an inert body and is no method (methods make up method sets), and its
// signature names no package's identifier (what the file uses of its imports stays as it is).
func leftOutable(fs *funcScan) bool {
	return fs.lbrace >= 0 && !fs.matters && !fs.method && !fs.qualified
}

// mayLeaveOut reports whether a scanned file may have declarations left out of its tree.
func mayLeaveOut(pf *prefile) bool {
	if pf.scans == nil || pf.pkgName == "main" || !inertFile(pf.scans) {
		return false
	}
	return slices.ContainsFunc(pf.scans, func(fs funcScan) bool { return leftOutable(&fs) })
}

// unnamed returns the names of the functions whose declarations are left out of the trees of
// their files: stripBodies would drop their bodies, and dropUnnamed their declarations, for
// nothing the scans see names them (another file's code outside its functions, a signature,
// a body that matters by itself). Parsing their signatures is most of parsing such files.
// What the whole repository decides may name one after all (a body kept for being on a call
// path): its file is parsed again then (see dropUnnamed), as a dropped body's is.
func (p *Prefetch) unnamed(files []string, wanted func(i int) bool) map[string]bool {
	cands := map[string]bool{}
	for i, f := range files {
		if pf := p.files[f]; wanted(i) && mayLeaveOut(pf) {
			for j := range pf.scans {
				if leftOutable(&pf.scans[j]) {
					cands[pf.scans[j].name] = true
				}
			}
		}
	}
	if len(cands) == 0 {
		return nil
	}
	hits := make([][]string, len(files))
	astutil.Parallel(len(files), func(i int) {
		pf := p.files[files[i]]
		if !wanted(i) {
			return
		}
		note := func(names []string) {
			for _, n := range names {
				if cands[n] {
					hits[i] = append(hits[i], n)
				}
			}
		}
		note(pf.outside)
		for _, fs := range pf.scans {
			if fs.matters {
				note(fs.names)
			} else {
				note(fs.names[:fs.sig])
			}
		}
	})
	for _, h := range hits {
		for _, n := range h {
			delete(cands, n)
		}
	}
	return cands
}

// skeleton digests what of a file the typed pass can read without reading it whole: its text,
// with each body that the tokens say cannot matter by itself (see readBody) reduced to the
// names it mentions, its count of lines and where its closing brace stands on its line. So
// an edit to such a body that keeps its names and its lines (a changed computation, a comment)
// keeps the skeleton, and so does every position outside the bodies. A body that turns out to
// matter after all is read whole: the typed pass then names its file (TypedRepo.Whole).
func skeleton(src []byte, scans []funcScan) string {
	h := sha256.New()
	at := 0
	for _, fs := range scans {
		if fs.lbrace < 0 || fs.matters {
			continue
		}
		h.Write(src[at : fs.lbrace+1])
		body := src[fs.lbrace+1 : fs.rbrace]
		last := bytes.LastIndexByte(body, '\n')
		names := slices.Clone(fs.names)
		slices.Sort(names)
		fmt.Fprintf(h, "\x00%d\x00%d\x00%s\x00", bytes.Count(body, []byte("\n")), len(body)-last-1, strings.Join(slices.Compact(names), " "))
		at = fs.rbrace
	}
	h.Write(src[at:])
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// file returns what the prefetch holds of a file, nil for a file it does not (or no prefetch).
func (p *Prefetch) file(rel string) *prefile {
	if p == nil {
		return nil
	}
	return p.files[rel]
}

// Source returns a file's content, waiting for it to be read; ok is false for a file not
// prefetched, or whose content was dropped already (see Summarize). The content is handed
// over once: the caller keeps it if it needs it again. Nobody may change it.
func (p *Prefetch) Source(rel string) (src []byte, err error, ok bool) {
	pf := p.file(rel)
	if pf == nil {
		return nil, nil, false
	}
	<-pf.read
	pf.mu.Lock()
	defer pf.mu.Unlock()
	src, err = pf.src, pf.err
	if src == nil && err == nil {
		return nil, nil, false
	}
	pf.srcTaken = true
	pf.release()
	return src, err, true
}

// Sum returns a file's content digest, waiting for it to be read; ok is false for a file not
// prefetched or not readable.
func (p *Prefetch) Sum(rel string) (string, bool) {
	return p.digest(rel, func(pf *prefile) *string { return &pf.sum }, contentSum)
}

// Header returns the digest of a file's header (see headerSum).
func (p *Prefetch) Header(rel string) (string, bool) {
	return p.digest(rel, func(pf *prefile) *string { return &pf.header }, headerSum)
}

// digest returns a digest of a file, computed once (only the listing cache asks) from its
// content, read again if it was already handed over.
func (p *Prefetch) digest(rel string, field func(*prefile) *string, of func([]byte) string) (string, bool) {
	pf := p.file(rel)
	if pf == nil {
		return "", false
	}
	<-pf.read
	if pf.err != nil {
		return "", false
	}
	pf.mu.Lock()
	defer pf.mu.Unlock()
	if d := field(pf); *d == "" {
		src := pf.src
		if src == nil {
			var err error
			if src, err = safefs.ReadFile(filepath.Join(p.root, filepath.FromSlash(rel)), safefs.GoFile); err != nil {
				return "", false
			}
		}
		*d = of(src)
	}
	return *field(pf), true
}

// Parsed returns a file parsed ahead, without handing it over, waiting for the parse: nil
// when it was not parsed, or is not being parsed (Parse was not called). intact is false when bodies were dropped from it.
func (p *Prefetch) Parsed(rel string) (f *ast.File, fset *token.FileSet, intact bool) {
	pf := p.file(rel)
	if pf == nil {
		return nil, nil, false
	}
	select {
	case <-p.gate:
	default:
		return nil, nil, false // no file is parsed in full yet, and none may be
	}
	<-pf.parsed
	pf.mu.Lock()
	defer pf.mu.Unlock()
	if pf.f == nil || pf.taken {
		return nil, nil, false
	}
	return pf.f, p.fset, unblanked(pf.bodies)
}

// unblanked reports whether no body was dropped from a file as it was parsed.
func unblanked(bodies []*bodyFacts) bool {
	return !slices.ContainsFunc(bodies, func(b *bodyFacts) bool { return b.early })
}

// Facts returns what the reader of the listing took from a file's text when it was read (see
// Summarize), waiting for the read; ok is false for a file not prefetched or not readable.
func (p *Prefetch) Facts(rel string) (facts []byte, ok bool) {
	pf := p.file(rel)
	if pf == nil {
		return nil, false
	}
	<-pf.read
	return pf.facts, pf.err == nil && pf.facts != nil
}

// parsedFile returns a file parsed in full and what its bodies name, waiting for the parse;
// nil when it was not parsed. Each file is handed over once.
func (p *Prefetch) parsedFile(rel string) (*ast.File, []*bodyFacts) {
	pf := p.file(rel)
	if pf == nil {
		return nil, nil
	}
	<-pf.parsed
	pf.mu.Lock()
	defer pf.mu.Unlock()
	if pf.taken {
		return nil, nil
	}
	pf.taken = true
	f, bodies := pf.f, pf.bodies
	pf.f, pf.bodies = nil, nil
	return f, bodies
}

// Wait waits for the prefetch to finish and drops what nothing took; what it knows of the
// files is kept in the store in the background (see Close).
func (p *Prefetch) Wait() {
	if p == nil {
		return
	}
	p.open(false) // what is not parsed yet is not to be
	<-p.done      // every file is parsed or spared, and unnamed has read every scan
	for _, pf := range p.files {
		pf.mu.Lock()
		pf.src, pf.f, pf.bodies, pf.scans, pf.outside = nil, nil, nil, nil, nil
		pf.mu.Unlock()
	}
	p.saveOnce.Do(func() {
		go func() {
			defer close(p.saved)
			p.save()
		}()
	})
}

// Close waits for the prefetch to finish, and for the store to be saved.
func (p *Prefetch) Close() {
	if p == nil {
		return
	}
	p.Wait()
	<-p.saved
}

// Imports returns a file's import declarations as its header reads them (path, line, column,
// and whether it is blank): as soon as it is read where the store knew its content, else once
// it is scanned. ok is false for a file not scanned, or whose header does not parse.
func (p *Prefetch) Imports(rel string) (imports []model.Import, ok bool) {
	pf := p.file(rel)
	if pf == nil {
		return nil, false
	}
	<-pf.read
	if !pf.headKnown {
		<-pf.scanned
	}
	return pf.imports, pf.headerOK
}

// Skeleton returns the digest of a file's skeleton (see skeleton), waiting for its scan; ok
// is false for a file with none: not prefetched, not scanned, or whose tokens cannot be
// trusted with its bodies.
func (p *Prefetch) Skeleton(rel string) (string, bool) {
	pf := p.file(rel)
	if pf == nil {
		return "", false
	}
	<-pf.scanned
	return pf.skeleton, pf.skeleton != ""
}

// headerSum digests a Go file's header: everything up to the end of its imports (its build
// constraints, package clause and imports), which is all of it that the go command's listing
// depends on. A file that does not parse is digested whole, and so is one with a //go:embed
// directive, whose patterns the go command checks too.
func headerSum(src []byte) string {
	end := len(src)
	if bytes.Contains(src, []byte("//go:embed")) {
		s := sha256.Sum256(src)
		return hex.EncodeToString(s[:16])
	}
	if f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.ImportsOnly|parser.ParseComments); err == nil && f.Name != nil {
		end = int(f.Name.End()) - 1
		for _, d := range f.Decls {
			end = max(end, int(d.End())-1)
		}
		end = min(end, len(src))
	}
	s := sha256.Sum256(src[:end])
	return hex.EncodeToString(s[:16])
}

// contentSum digests a file's content.
func contentSum(src []byte) string {
	s := sha256.Sum256(src)
	return hex.EncodeToString(s[:16])
}

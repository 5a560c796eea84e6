package typed

import (
	"encoding/binary"
	"sort"

	"github.com/cleave-dev/cleave/analyze/model"
)

// ScanStore keeps, from one run to the next, what the prefetch read of each file by its
// tokens: its header's digest, its package name, its top-level functions and its skeleton's
// digest. All of it follows from the file's content alone (and from cleave itself, which the
// store's key names), so a run takes it by the content's digest instead of scanning the file
// again: most files of a repository are as they were the run before. Load returns what Save
// stored last, nil when nothing; the prefetch trusts nothing in it that does not decode.
type ScanStore interface {
	Load() []byte
	Save(data []byte)
}

// scanMagic opens the store's encoding; a change to what a record holds changes it.
const scanMagic = "cleave scans 5\n"

// scanRecord is what the store holds of one file.
type scanRecord struct {
	header            string
	summary           summary
	skeleton, pkgName string
	scanned           bool // the file was scanned: the rest is known
	trusted           bool // its tokens read as Go, with its bodies, and it has functions (scans is set)
	scans             []funcScan
	outside           []string // what the file names outside its functions (see scanFuncs)
	imports           []model.Import
}

// decodeStore reads a store's index: each record's bytes by its file's content digest. A
// store that does not decode is empty; a record is decoded when its file is met.
func decodeStore(data []byte) map[string][]byte {
	if len(data) < len(scanMagic) || string(data[:len(scanMagic)]) != scanMagic {
		return nil
	}
	d := decoder{b: data[len(scanMagic):]}
	n := d.uint()
	out := make(map[string][]byte, min(n, uint64(len(d.b))))
	for i := uint64(0); i < n && !d.bad; i++ {
		sum := d.str()
		rec := d.bytes()
		if !d.bad {
			out[sum] = rec
		}
	}
	if d.bad || len(d.b) != 0 {
		return nil
	}
	return out
}

// encodeStore writes records by content digest, in the digests' order.
func encodeStore(recs map[string][]byte) []byte {
	sums := make([]string, 0, len(recs))
	size := len(scanMagic) + 10
	for s, r := range recs {
		sums = append(sums, s)
		size += len(s) + len(r) + 20
	}
	sort.Strings(sums)
	out := make([]byte, 0, size)
	out = append(out, scanMagic...)
	out = binary.AppendUvarint(out, uint64(len(sums)))
	for _, s := range sums {
		out = appendStr(out, s)
		out = appendBytes(out, recs[s])
	}
	return out
}

// summary is what Summarize said of a file.
type summary struct {
	facts            []byte
	worth, wantsTree bool
}

// encodeRecord writes one file's record. The names of a file's bodies are written once each
// and referred to by their index.
func encodeRecord(r scanRecord) []byte {
	out := appendStr(nil, r.header)
	var sf byte
	if r.summary.worth {
		sf |= 1
	}
	if r.summary.wantsTree {
		sf |= 2
	}
	out = appendBytes(append(out, sf), r.summary.facts)
	if !r.scanned {
		return append(out, 0)
	}
	flags := byte(1)
	if r.trusted {
		flags |= 2
	}
	out = append(out, flags)
	out = appendStr(out, r.skeleton)
	out = appendStr(out, r.pkgName)
	out = binary.AppendUvarint(out, uint64(len(r.imports)))
	for _, imp := range r.imports {
		out = appendStr(out, imp.Path)
		out = binary.AppendUvarint(out, uint64(imp.Line))
		out = binary.AppendUvarint(out, uint64(imp.Column))
		blank := byte(0)
		if imp.Blank {
			blank = 1
		}
		out = append(out, blank)
	}
	if !r.trusted { // a file without functions still names what it names
		out = binary.AppendUvarint(out, uint64(len(r.outside)))
		for _, n := range r.outside {
			out = appendStr(out, n)
		}
		return out
	}
	index := map[string]uint64{}
	var table []string
	add := func(names []string) {
		for _, n := range names {
			if _, ok := index[n]; !ok {
				index[n] = uint64(len(table))
				table = append(table, n)
			}
		}
	}
	add(r.outside)
	for _, fs := range r.scans {
		add(fs.names)
	}
	out = binary.AppendUvarint(out, uint64(len(table)))
	for _, n := range table {
		out = appendStr(out, n)
	}
	out = binary.AppendUvarint(out, uint64(len(r.outside)))
	for _, n := range r.outside {
		out = binary.AppendUvarint(out, index[n])
	}
	out = binary.AppendUvarint(out, uint64(len(r.scans)))
	for _, fs := range r.scans {
		out = appendStr(out, fs.name)
		var f byte
		if fs.method {
			f |= 1
		}
		if fs.matters {
			f |= 2
		}
		if fs.names != nil {
			f |= 4
		}
		if fs.qualified {
			f |= 8
		}
		out = append(out, f)
		out = binary.AppendVarint(out, int64(fs.lead))
		out = binary.AppendVarint(out, int64(fs.start))
		out = binary.AppendVarint(out, int64(fs.lbrace))
		out = binary.AppendVarint(out, int64(fs.rbrace))
		out = binary.AppendUvarint(out, uint64(fs.sig))
		out = binary.AppendUvarint(out, uint64(len(fs.names)))
		for _, n := range fs.names {
			out = binary.AppendUvarint(out, index[n])
		}
	}
	return out
}

// recordHead reads a record up to its imports: its header's digest, its summary and, for a
// file that was scanned, its skeleton's digest, package name and imports.
func recordHead(data []byte) (r scanRecord, ok bool) {
	d := decoder{b: data}
	return r, d.head(&r)
}

// head reads the head of a record (see recordHead) into r.
func (d *decoder) head(r *scanRecord) bool {
	r.header, r.summary = d.str(), d.summary()
	flags := d.byte()
	if d.bad || flags&^3 != 0 {
		return false
	}
	if r.scanned = flags&1 != 0; !r.scanned {
		return true
	}
	r.trusted = flags&2 != 0
	r.skeleton, r.pkgName = d.str(), d.str()
	if imports := d.uint(); imports > 0 && imports <= uint64(len(d.b)) {
		r.imports = make([]model.Import, imports)
		for i := range r.imports {
			imp := &r.imports[i]
			imp.Path = d.str()
			imp.Line, imp.Column = int(d.uint()), int(d.uint())
			switch d.byte() {
			case 0:
			case 1:
				imp.Blank = true
			default:
				d.fail()
			}
		}
	} else if imports > 0 {
		return false
	}
	return !d.bad
}

// summary reads what Summarize said; facts is nil where it gave none.
func (d *decoder) summary() (s summary) {
	f := d.byte()
	if f&^3 != 0 {
		d.fail()
	}
	s.worth, s.wantsTree = f&1 != 0, f&2 != 0
	if s.facts = d.bytes(); len(s.facts) == 0 {
		s.facts = nil
	}
	return s
}

// decodeRecord reads one file's record; ok is false when it does not decode, or says what no
// scan can have said of a file of size n (a brace past its end).
func decodeRecord(data []byte, n int) (r scanRecord, ok bool) {
	d := decoder{b: data}
	if !d.head(&r) {
		return r, false
	}
	if !r.scanned {
		return r, len(d.b) == 0
	}
	if !r.trusted {
		if n := d.uint(); n > 0 && n <= uint64(len(d.b)) {
			r.outside = make([]string, n)
			for i := range r.outside {
				r.outside[i] = d.str()
			}
		} else if n > 0 {
			return r, false
		}
		return r, !d.bad && len(d.b) == 0
	}
	table := make([]string, min(d.uint(), uint64(len(d.b))))
	for i := range table {
		table[i] = d.str()
	}
	if outside := d.uint(); outside > uint64(len(d.b)) {
		return r, false
	} else if outside > 0 {
		r.outside = make([]string, outside)
		for i := range r.outside {
			k := d.uint()
			if k >= uint64(len(table)) {
				return r, false
			}
			r.outside[i] = table[k]
		}
	}
	count := d.uint()
	if d.bad || count > uint64(len(d.b)) {
		return r, false
	}
	if count > 0 {
		r.scans = make([]funcScan, count)
	}
	for i := range r.scans {
		fs := &r.scans[i]
		fs.name = d.str()
		f := d.byte()
		fs.method, fs.matters, fs.qualified = f&1 != 0, f&2 != 0, f&8 != 0
		fs.lead, fs.start, fs.lbrace, fs.rbrace = int(d.int()), int(d.int()), int(d.int()), int(d.int())
		sig, names := d.uint(), d.uint()
		if d.bad || f&^15 != 0 || names > uint64(len(d.b)) || sig > names || fs.lbrace < -1 || fs.lbrace >= n || fs.rbrace > n ||
			fs.lbrace >= 0 && (fs.rbrace <= fs.lbrace || fs.lead < 0 || fs.lead > fs.start || fs.start >= fs.lbrace) {
			return r, false
		}
		fs.sig = int(sig)
		if f&4 != 0 {
			fs.names = make([]string, names)
		} else if names != 0 {
			return r, false
		}
		for j := range fs.names {
			k := d.uint()
			if k >= uint64(len(table)) {
				return r, false
			}
			fs.names[j] = table[k]
		}
	}
	return r, !d.bad && len(d.b) == 0
}

func appendStr(out []byte, s string) []byte {
	out = binary.AppendUvarint(out, uint64(len(s)))
	return append(out, s...)
}

func appendBytes(out, b []byte) []byte {
	out = binary.AppendUvarint(out, uint64(len(b)))
	return append(out, b...)
}

// decoder reads what the store wrote; bad turns true, for good, at the first thing that
// does not decode.
type decoder struct {
	b   []byte
	bad bool
}

func (d *decoder) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.fail()
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) bytes() []byte {
	n := d.uint()
	if n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	b := d.b[:n:n]
	d.b = d.b[n:]
	return b
}

func (d *decoder) str() string { return string(d.bytes()) }

func (d *decoder) fail() { d.bad, d.b = true, nil }

// Package digest writes a canonical encoding of a Go value into a hash, for cache keys: the
// same value gives the same bytes in every run, whatever the order of its maps, and two
// different values different bytes. Every field counts, exported or not, whatever its JSON
// tags say, so that a cache key cannot miss a field added later.
package digest

import (
	"fmt"
	"io"
	"math"
	"reflect"
	"slices"
	"strconv"
)

// Write writes the encoding of v into w (a hash.Hash, which never fails). Pointers are
// followed; a pointer met again (a shared or cyclic value) is written as a reference to the
// first meeting. Functions and channels are written as whether they are nil.
func Write(w io.Writer, v any) {
	e := &encoder{w: w, seen: map[uintptr]int{}}
	e.value(reflect.ValueOf(v))
}

type encoder struct {
	w io.Writer
	// seen numbers the pointers met; an encoder of a map's entry (sub) adds to its own, so
	// that the numbering never depends on the order in which a map's entries come.
	seen   map[uintptr]int
	parent *encoder
	base   int // how many pointers the parents had met
	buf    []byte
}

func (e *encoder) lookup(p uintptr) (int, bool) {
	for ; e != nil; e = e.parent {
		if n, ok := e.seen[p]; ok {
			return n, true
		}
	}
	return 0, false
}

func (e *encoder) str(s string) {
	e.buf = strconv.AppendInt(e.buf[:0], int64(len(s)), 10)
	e.buf = append(e.buf, ':')
	e.w.Write(e.buf)
	io.WriteString(e.w, s)
}

func (e *encoder) tag(t string) { io.WriteString(e.w, t) }

func (e *encoder) value(v reflect.Value) {
	if !v.IsValid() {
		e.tag("~")
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		if v.Bool() {
			e.tag("T")
		} else {
			e.tag("F")
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.tag("i")
		e.str(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.tag("u")
		e.str(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32, reflect.Float64:
		e.tag("f")
		e.str(strconv.FormatUint(math.Float64bits(v.Float()), 16))
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		e.tag("c")
		e.str(strconv.FormatUint(math.Float64bits(real(c)), 16) + "," + strconv.FormatUint(math.Float64bits(imag(c)), 16))
	case reflect.String:
		e.tag("s")
		e.str(v.String())
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			e.tag("n")
			return
		}
		e.tag("[")
		e.str(strconv.Itoa(v.Len()))
		for i := range v.Len() {
			e.value(v.Index(i))
		}
		e.tag("]")
	case reflect.Map:
		if v.IsNil() {
			e.tag("n")
			return
		}
		// Each entry is encoded on its own, and the entries are written in the order of
		// their keys' encodings.
		type entry struct{ k, v string }
		var entries []entry
		for it := v.MapRange(); it.Next(); {
			entries = append(entries, entry{e.sub(it.Key()), e.sub(it.Value())})
		}
		slices.SortFunc(entries, func(a, b entry) int {
			switch {
			case a.k < b.k:
				return -1
			case a.k > b.k:
				return 1
			}
			return 0
		})
		e.tag("{")
		e.str(strconv.Itoa(len(entries)))
		for _, en := range entries {
			e.str(en.k)
			e.str(en.v)
		}
		e.tag("}")
	case reflect.Struct:
		t := v.Type()
		e.tag("(")
		e.str(t.String())
		for i := range v.NumField() {
			e.str(t.Field(i).Name)
			e.value(v.Field(i))
		}
		e.tag(")")
	case reflect.Pointer:
		if v.IsNil() {
			e.tag("n")
			return
		}
		if n, ok := e.lookup(v.Pointer()); ok {
			e.tag("@")
			e.str(strconv.Itoa(n))
			return
		}
		e.seen[v.Pointer()] = e.base + len(e.seen)
		e.tag("*")
		e.value(v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			e.tag("n")
			return
		}
		e.tag("I")
		e.str(v.Elem().Type().String())
		e.value(v.Elem())
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		fmt.Fprintf(e.w, "%s%v", v.Kind(), v.IsNil())
	}
}

// sub encodes a value on its own, knowing the pointers met so far.
func (e *encoder) sub(v reflect.Value) string {
	var b stringWriter
	inner := &encoder{w: &b, seen: map[uintptr]int{}, parent: e, base: e.base + len(e.seen)}
	inner.value(v)
	return string(b)
}

type stringWriter []byte

func (b *stringWriter) Write(p []byte) (int, error) { *b = append(*b, p...); return len(p), nil }

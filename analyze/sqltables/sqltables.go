// Package sqltables finds the tables a SQL statement reads and writes. It is a tolerant,
// dialect-agnostic lexer, not a parser: it knows where SQL names tables (after FROM, JOIN,
// INTO, UPDATE, DELETE FROM, MERGE INTO, TRUNCATE, USING) and skips everything else, so
// fragments, placeholders and vendor syntax do not stop it. Names of common table
// expressions are never reported as tables, nor are aliases, columns or functions.
package sqltables

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Op is what a statement does to a table.
type Op string

// Ops.
const (
	Read  Op = "read"
	Write Op = "write"
)

// Access is one table a statement touches.
type Access struct {
	Table string
	Op    Op
}

type kind int

const (
	tIdent  kind = iota // a bare word: keyword or name
	tQuoted             // "name", `name`, [name]
	tString             // 'text'
	tNumber
	tParam // $1, ?, :name, @name
	tPunct // ( ) , . ; * = …
)

type token struct {
	kind kind
	text string // for tIdent: upper-cased; tQuoted: the name inside the quotes
	raw  string // as written
}

func (t token) is(words ...string) bool {
	if t.kind != tIdent {
		return false
	}
	for _, w := range words {
		if t.text == w {
			return true
		}
	}
	return false
}

func (t token) punct(p string) bool { return t.kind == tPunct && t.text == p }

// lex splits SQL into tokens, dropping comments and whitespace.
func lex(s string) []token {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			i++
		case c == '-' && i+1 < len(s) && s[i+1] == '-':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(s) && s[i+1] == '*':
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return toks
			}
			i += end + 4
		case c == '\'':
			j := i + 1
			for j < len(s) {
				if s[j] == '\'' {
					if j+1 < len(s) && s[j+1] == '\'' {
						j += 2
						continue
					}
					break
				}
				if s[j] == '\\' {
					j++
				}
				j++
			}
			toks = append(toks, token{kind: tString, raw: s[i:min(j+1, len(s))]})
			i = j + 1
		case c == '"' || c == '`' || c == '[':
			closer := c
			if c == '[' {
				closer = ']'
			}
			j := strings.IndexByte(s[i+1:], closer)
			if j < 0 {
				return toks
			}
			name := s[i+1 : i+1+j]
			toks = append(toks, token{kind: tQuoted, text: name, raw: s[i : i+2+j]})
			i += j + 2
		case c == '$' || c == '?' || c == ':' || c == '@':
			j := i + 1
			if c == ':' && j < len(s) && s[j] == ':' { // a Postgres cast, ::type
				toks = append(toks, token{kind: tPunct, text: "::", raw: "::"})
				i += 2
				continue
			}
			for j < len(s) && isWordByte(s[j]) {
				j++
			}
			toks = append(toks, token{kind: tParam, raw: s[i:j]})
			i = j
		case c >= '0' && c <= '9':
			j := i
			for j < len(s) && (isWordByte(s[j]) || s[j] == '.') {
				j++
			}
			toks = append(toks, token{kind: tNumber, raw: s[i:j]})
			i = j
		case isWordByte(c) || c >= utf8.RuneSelf:
			j := i
			for j < len(s) {
				r, n := utf8.DecodeRuneInString(s[j:])
				if !(r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
					break
				}
				j += n
			}
			if j == i { // a byte that is no letter
				i++
				continue
			}
			toks = append(toks, token{kind: tIdent, text: strings.ToUpper(s[i:j]), raw: s[i:j]})
			i = j
		default:
			toks = append(toks, token{kind: tPunct, text: string(c), raw: string(c)})
			i++
		}
	}
	return toks
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// reserved words never name a table where a table may stand.
var reserved = map[string]bool{
	"SELECT": true, "FROM": true, "WHERE": true, "JOIN": true, "ON": true, "USING": true, "AS": true,
	"INNER": true, "LEFT": true, "RIGHT": true, "FULL": true, "OUTER": true, "CROSS": true, "NATURAL": true,
	"LATERAL": true, "ONLY": true, "GROUP": true, "ORDER": true, "BY": true, "HAVING": true, "LIMIT": true,
	"OFFSET": true, "UNION": true, "INTERSECT": true, "EXCEPT": true, "VALUES": true, "SET": true,
	"INTO": true, "UPDATE": true, "DELETE": true, "INSERT": true, "WITH": true, "RETURNING": true,
	"FOR": true, "WINDOW": true, "AND": true, "OR": true, "NOT": true, "NULL": true, "CASE": true,
	"WHEN": true, "THEN": true, "ELSE": true, "END": true, "IN": true, "EXISTS": true, "DEFAULT": true,
	"TABLE": true, "IGNORE": true, "LOW_PRIORITY": true, "QUICK": true, "DISTINCT": true, "ALL": true,
	"MERGE": true, "MATCHED": true, "TRUNCATE": true, "FETCH": true, "DUAL": true, "IF": true,
	"OUTPUT": true, "TOP": true, "OVERWRITE": true, "STRAIGHT_JOIN": true, "TABLESAMPLE": true,
	"ROWS": true, "RANGE": true, "PARTITION": true, "CONFLICT": true, "DO": true, "NOTHING": true,
	"DUPLICATE": true, "KEY": true, "RESTART": true, "IDENTITY": true, "CASCADE": true, "RESTRICT": true,
}

// Parse returns the tables the SQL reads and writes, sorted by table and op, without
// duplicates. Text that holds no statement cleave recognises yields nothing.
func Parse(sql string) []Access {
	p := &parser{toks: lex(sql), ctes: map[string]bool{}}
	p.run()
	return p.result()
}

// CTEs returns the names of the common table expressions a text declares (WITH a AS (…)), in
// lower case: a query elsewhere that the text is put in front of reads them, not tables.
func CTEs(sql string) map[string]bool {
	p := &parser{toks: lex(sql), ctes: map[string]bool{}}
	p.run()
	return p.ctes
}

// Starts reports whether s starts with a SQL statement's first word, in any case: the test for
// a string handed to a database call, where data (names, HTML, JSON) also travels.
func Starts(s string) bool {
	toks := lex(s)
	for len(toks) > 0 && toks[0].punct("(") {
		toks = toks[1:]
	}
	if len(toks) < 2 {
		return false
	}
	if toks[0].is("SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "MERGE", "TRUNCATE", "REPLACE", "UPSERT") {
		return true
	}
	// A migration script may open with DDL; in capitals it is SQL, not prose ("Create a list").
	return toks[0].is("ALTER", "CREATE", "DROP", "BEGIN", "DO", "DECLARE") && toks[0].raw == toks[0].text
}

// Statement reports whether s starts like a SQL statement that names tables: a cheap test
// for strings that are not known to reach a database.
func Statement(s string) bool {
	toks := lex(s)
	for len(toks) > 0 && toks[0].punct("(") {
		toks = toks[1:]
	}
	if len(toks) < 2 || toks[0].kind != tIdent {
		return false
	}
	switch toks[0].text {
	case "SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "MERGE", "TRUNCATE", "REPLACE", "UPSERT":
		return toks[0].raw == toks[0].text // written in capitals, as code writes SQL
	}
	return false
}

type parser struct {
	toks []token
	pos  int
	ctes map[string]bool
	out  []Access
	// parens holds, for each open parenthesis, the word before it.
	parens []string
	// stmt is the first word of the current statement.
	stmt string
}

// textFunctions take FROM inside their parentheses without naming a table.
var textFunctions = map[string]bool{"EXTRACT": true, "SUBSTRING": true, "SUBSTR": true, "TRIM": true, "OVERLAY": true, "POSITION": true}

func (p *parser) inFunction() bool {
	return len(p.parens) > 0 && textFunctions[p.parens[len(p.parens)-1]]
}

func (p *parser) peek(k int) token {
	if p.pos+k < len(p.toks) {
		return p.toks[p.pos+k]
	}
	return token{kind: tPunct, text: ""}
}

func (p *parser) done() bool { return p.pos >= len(p.toks) }

// systemSchemas hold the database's own catalog, not the application's data.
var systemSchemas = []string{"information_schema.", "pg_catalog.", "sys.", "mysql.", "performance_schema."}

func (p *parser) add(name string, op Op) {
	if name == "" || p.ctes[strings.ToLower(name)] {
		return
	}
	lower := strings.ToLower(name)
	for _, s := range systemSchemas {
		if strings.HasPrefix(lower, s) {
			return
		}
	}
	// pg_class, pg_stat_…; SQLite reserves every name that starts sqlite_ (sqlite_schema,
	// sqlite_sequence, sqlite_stat1) for its own.
	if strings.HasPrefix(lower, "pg_") || strings.HasPrefix(lower, "sqlite_") {
		return
	}
	// A format verb or a template placeholder (FROM "%s", FROM `{{.Table}}`) is a table the
	// code fills in at run time: its name is not in the text.
	if strings.ContainsAny(name, "%{}$?") {
		return
	}
	p.out = append(p.out, Access{Table: name, Op: op})
}

// run walks the tokens: every keyword that introduces a table hands over to table().
func (p *parser) run() {
	for !p.done() {
		t := p.peek(0)
		switch {
		case t.punct(";"):
			p.stmt = ""
			p.pos++
		case p.stmt == "" && t.kind == tIdent:
			p.stmt = t.text // the statement's first word decides what some words mean
		case t.is("FROM") && (p.stmt == "FETCH" || p.stmt == "MOVE"):
			p.pos++ // FETCH NEXT FROM a cursor
		case t.punct("("):
			opener := ""
			if p.pos > 0 {
				opener = p.toks[p.pos-1].text
			}
			p.parens = append(p.parens, opener)
			p.pos++
		case t.punct(")"):
			if len(p.parens) > 0 {
				p.parens = p.parens[:len(p.parens)-1]
			}
			p.pos++
		case t.is("FROM") && (p.prev("DISTINCT") || p.inFunction()):
			p.pos++ // IS DISTINCT FROM, EXTRACT(YEAR FROM ts), TRIM(x FROM y)
		case t.is("WITH"):
			p.pos++
			p.with()
		case t.is("FROM"):
			p.pos++
			p.tableList(Read)
		case t.is("JOIN", "STRAIGHT_JOIN"):
			p.pos++
			p.table(Read)
		case t.is("INTO"):
			p.pos++
			p.table(Write)
		case t.is("UPDATE") && !p.prev("FOR", "KEY", "NO", "DO", "ON"):
			p.pos++
			p.skip("ONLY", "LOW_PRIORITY", "IGNORE")
			p.tableList(Write)
		case t.is("DELETE"):
			p.pos++
			p.skip("LOW_PRIORITY", "QUICK", "IGNORE")
			if p.peek(0).is("FROM") {
				p.pos++
				p.skip("ONLY")
				p.tableList(Write)
			}
		case t.is("TRUNCATE"):
			p.pos++
			p.skip("TABLE", "ONLY")
			p.tableList(Write)
		case t.is("USING") && (p.stmt == "DELETE" || p.stmt == "MERGE") && !p.peek(1).punct("("):
			p.pos++
			p.table(Read)
		case t.is("MERGE"):
			p.pos++
			if p.peek(0).is("INTO") {
				p.pos++
			}
			p.table(Write)
		default:
			p.pos++
		}
	}
}

// prev reports whether the token before the current one is one of words (lock clauses: FOR UPDATE).
func (p *parser) prev(words ...string) bool {
	if p.pos == 0 {
		return false
	}
	return p.toks[p.pos-1].is(words...)
}

func (p *parser) skip(words ...string) {
	for p.peek(0).is(words...) {
		p.pos++
	}
}

// with reads the names of common table expressions: WITH [RECURSIVE] a [(cols)] AS (...), b AS (...).
func (p *parser) with() {
	p.skip("RECURSIVE")
	for !p.done() {
		t := p.peek(0)
		if t.kind != tIdent && t.kind != tQuoted {
			return
		}
		if n := strings.ToLower(name(t)); n != "" {
			p.ctes[n] = true
		}
		p.pos++
		if p.peek(0).punct("(") { // column list
			p.skipParens()
		}
		if !p.peek(0).is("AS") {
			return
		}
		p.pos++
		p.skip("NOT", "MATERIALIZED")
		if !p.peek(0).punct("(") {
			return
		}
		p.pos++ // the body is walked by run() as the tokens come
		depth := 1
		start := p.pos
		for !p.done() && depth > 0 {
			if p.peek(0).punct("(") {
				depth++
			} else if p.peek(0).punct(")") {
				depth--
			}
			p.pos++
		}
		inner := &parser{toks: p.toks[start:max(start, p.pos-1)], ctes: p.ctes}
		inner.run()
		p.out = append(p.out, inner.out...)
		if !p.peek(0).punct(",") {
			return
		}
		p.pos++
	}
}

func (p *parser) skipParens() {
	depth := 0
	for !p.done() {
		t := p.peek(0)
		p.pos++
		if t.punct("(") {
			depth++
		} else if t.punct(")") {
			depth--
			if depth <= 0 {
				return
			}
		}
	}
}

func name(t token) string {
	if t.kind == tQuoted {
		return t.text
	}
	return strings.ToLower(t.raw)
}

// qualifiedName reads name(.name)* at the current position, or "" with the position unchanged.
// A name followed by a parenthesis is a function call, unless the name is a write target,
// where the parenthesis opens a column list.
func (p *parser) qualifiedName(target bool) string {
	t := p.peek(0)
	if t.kind == tQuoted || t.kind == tIdent && !reserved[t.text] {
		parts := []string{name(t)}
		p.pos++
		for p.peek(0).punct(".") && (p.peek(1).kind == tIdent || p.peek(1).kind == tQuoted) {
			parts = append(parts, name(p.peek(1)))
			p.pos += 2
		}
		if !target && p.peek(0).punct("(") { // a function: generate_series(...), unnest(...)
			return ""
		}
		if len(parts) > 1 && (parts[0] == "public" || parts[0] == "dbo") {
			parts = parts[1:] // the default schema
		}
		return strings.Join(parts, ".")
	}
	return ""
}

// table reads one table reference (not a subquery or a function) and its alias.
func (p *parser) table(op Op) {
	p.skip("ONLY", "LATERAL", "TABLE")
	if p.peek(0).punct("(") { // a subquery: run() walks into it
		return
	}
	if n := p.qualifiedName(op == Write); n != "" {
		p.add(n, op)
		p.alias()
	}
}

// tableList reads a comma-separated list of table references (FROM a x, b y).
func (p *parser) tableList(op Op) {
	for {
		p.table(op)
		if !p.peek(0).punct(",") || !(p.peek(1).kind == tIdent && !reserved[p.peek(1).text] || p.peek(1).kind == tQuoted) {
			return
		}
		p.pos++
	}
}

func (p *parser) alias() {
	if p.peek(0).is("AS") {
		p.pos++
		if t := p.peek(0); t.kind == tIdent || t.kind == tQuoted {
			p.pos++
		}
		return
	}
	if t := p.peek(0); t.kind == tQuoted || t.kind == tIdent && !reserved[t.text] && !clauseWord[t.text] {
		p.pos++
	}
}

// clauseWord are words that may follow a table but are no alias.
var clauseWord = map[string]bool{"USE": true, "FORCE": true, "PARTITION": true, "NATURAL": true}

func (p *parser) result() []Access {
	sort.Slice(p.out, func(i, j int) bool {
		if p.out[i].Table != p.out[j].Table {
			return p.out[i].Table < p.out[j].Table
		}
		return p.out[i].Op < p.out[j].Op
	})
	var out []Access
	for i, a := range p.out {
		if i == 0 || a != p.out[i-1] {
			out = append(out, a)
		}
	}
	return out
}

package typed

import (
	"go/token"
)

// funcScan is what the tokens of one top-level function declaration say, read without
// parsing: where its body lies and what the declaration names. matters is set on any sign
// that the body may matter by itself (see readBody), read generously: any string, any
// colon (a keyed literal, but also a label or a case), a selector before an assignment, a
// body that starts with return, a library's name. Generous is safe: a body kept for nothing
// costs time, never a fact.
type funcScan struct {
	name           string
	method         bool
	start          int // offset of the func keyword
	lead           int // offset of the space and comments before it: where the token before ends
	lbrace, rbrace int // offsets of the body's braces; lbrace < 0 for a function with no body
	names          []string
	// sig counts the names that the receiver and signature name (the first of names); qualified
	// is set when the signature names an identifier of a package (x.T).
	sig       int
	qualified bool
	matters   bool
}

// scanFuncs reads the top-level function declarations of a Go file by its tokens. libs are
// the local names the file gives the imports of libraries. outside holds, once each, the
// identifiers the file names outside its function declarations (its package clause and
// imports included). ok is false when the tokens do not read as Go: the caller then reads
// the file's syntax tree instead.
func scanFuncs(src []byte, libs map[string]bool) (out []funcScan, outside []string, ok bool) {
	l := &lexer{src: src}
	intern := map[string]string{} // each identifier's text, allocated once a file
	depth := 0                    // of (), [] and {} outside function bodies
	prev := token.SEMICOLON       // the token before, at depth 0
	seen := map[string]bool{}
	end := 0 // of the token before
	for {
		tok, a, b := l.next()
		lead := end
		end = b
		switch tok {
		case token.EOF:
			return out, outside, true
		case token.ILLEGAL:
			return nil, nil, false
		case token.IDENT:
			if n := src[a:b]; !seen[string(n)] {
				seen[string(n)] = true
				outside = append(outside, string(n))
			}
		case token.LPAREN, token.LBRACK, token.LBRACE:
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		case token.FUNC:
			// A declaration starts a statement of the file; func after = or ( is a literal.
			if depth != 0 || prev != token.SEMICOLON {
				break
			}
			fs, done := scanFunc(l, libs, intern)
			if !done {
				return nil, nil, false
			}
			fs.start, fs.lead = a, lead
			end = fs.rbrace + 1
			if fs.lbrace < 0 {
				end = l.pos
			}
			out = append(out, fs)
			tok = token.SEMICOLON // the declaration ends a statement
		}
		if depth == 0 {
			prev = tok
		}
	}
}

// scanFunc reads one function declaration from just after its func keyword to the end of its
// body, or to the semicolon that ends a declaration without one.
func scanFunc(l *lexer, libs map[string]bool, intern map[string]string) (fs funcScan, ok bool) {
	fs.lbrace = -1
	note := func(name []byte) {
		if libs[string(name)] {
			fs.matters = true
		}
		for _, n := range fs.names { // a function names a few identifiers, many times each
			if n == string(name) {
				return
			}
		}
		n, ok := intern[string(name)]
		if !ok {
			n = string(name)
			intern[n] = n
		}
		fs.names = append(fs.names, n)
	}
	// The signature: (), [] and {} nest; a brace right after struct or interface is a type's;
	// the first other brace at depth 0 opens the body. The name is the first identifier at
	// depth 0, after the receiver of a method.
	depth, prev, named := 0, token.FUNC, false
	for {
		tok, a, b := l.next()
		switch tok {
		case token.EOF, token.ILLEGAL:
			return fs, false
		case token.IDENT:
			if depth == 0 && !named {
				fs.name, named = string(l.src[a:b]), true
			} else {
				note(l.src[a:b])
			}
		case token.PERIOD:
			fs.qualified = true
		case token.LPAREN:
			if prev == token.FUNC && !named {
				fs.method = true // the receiver
			}
			depth++
		case token.LBRACK:
			depth++
		case token.LBRACE:
			if depth == 0 && prev != token.STRUCT && prev != token.INTERFACE {
				fs.lbrace, fs.sig = a, len(fs.names)
				ok := scanBody(l, &fs, note)
				return fs, ok
			}
			depth++
		case token.RPAREN, token.RBRACK, token.RBRACE:
			depth--
		case token.SEMICOLON:
			if depth == 0 {
				fs.sig = len(fs.names)
				return fs, true // no body
			}
		case token.STRING:
			fs.matters = true
		}
		prev = tok
	}
}

// scanBody reads a body from just after its opening brace to its closing one into fs, which
// note writes too.
func scanBody(l *lexer, fs *funcScan, note func([]byte)) bool {
	depth := 1
	var last [2]token.Token // the two tokens before the current one
	statements, firstTok := 0, token.ILLEGAL
	for {
		tok, a, b := l.next()
		if firstTok == token.ILLEGAL {
			firstTok = tok
		}
		switch tok {
		case token.EOF, token.ILLEGAL:
			return false
		case token.LBRACE, token.LPAREN, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACK:
			depth--
		case token.RBRACE:
			depth--
			if depth == 0 {
				fs.rbrace = a
				// A body that is one return statement (a getter) matters.
				if firstTok == token.RETURN && statements <= 1 {
					fs.matters = true
				}
				return true
			}
		case token.IDENT:
			note(l.src[a:b])
		case token.STRING, token.COLON:
			fs.matters = true
		case token.SEMICOLON:
			if depth == 1 {
				statements++
			}
		case token.ASSIGN, token.ADD_ASSIGN, token.SUB_ASSIGN, token.MUL_ASSIGN, token.QUO_ASSIGN,
			token.REM_ASSIGN, token.AND_ASSIGN, token.OR_ASSIGN, token.XOR_ASSIGN, token.SHL_ASSIGN,
			token.SHR_ASSIGN, token.AND_NOT_ASSIGN, token.INC, token.DEC, token.COMMA:
			// x.f = …, x.f += …, x.f++, x.f, y = …: a field may be set.
			if last[1] == token.IDENT && last[0] == token.PERIOD || last[1] == token.RPAREN {
				fs.matters = true
			}
		}
		last[0], last[1] = last[1], tok
	}
}

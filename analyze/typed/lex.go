package typed

import "go/token"

// lexer is a Go tokenizer for scanFuncs that allocates nothing: it reports each token's kind
// and the byte range of its text, leaves numbers' and operators' exact spelling aside, and
// inserts the semicolons the language inserts at line ends. Where it cannot read the input
// (an unterminated string or comment) it reports ILLEGAL and stops; scanFuncs then lets the
// syntax tree decide, as it does for go/scanner's errors.
type lexer struct {
	src  []byte
	pos  int
	semi bool // a newline here ends a statement
}

var goKeywords = func() map[string]token.Token {
	m := map[string]token.Token{}
	for t := token.BREAK; t <= token.VAR; t++ {
		m[t.String()] = t
	}
	return m
}()

// next returns the next token and the offsets of its text.
func (l *lexer) next() (tok token.Token, start, end int) {
	for {
		if l.pos >= len(l.src) {
			if l.semi {
				l.semi = false
				return token.SEMICOLON, l.pos, l.pos
			}
			return token.EOF, l.pos, l.pos
		}
		c := l.src[l.pos]
		switch {
		case c == '\n':
			l.pos++
			if l.semi {
				l.semi = false
				return token.SEMICOLON, l.pos - 1, l.pos
			}
			continue
		case c == ' ' || c == '\t' || c == '\r':
			l.pos++
			continue
		case c == '/' && l.pos+1 < len(l.src) && l.src[l.pos+1] == '/':
			// A line comment ends where the line does: the newline may end a statement.
			for l.pos < len(l.src) && l.src[l.pos] != '\n' {
				l.pos++
			}
			continue
		case c == '/' && l.pos+1 < len(l.src) && l.src[l.pos+1] == '*':
			end := indexFrom(l.src, l.pos+2, "*/")
			if end < 0 {
				return token.ILLEGAL, l.pos, len(l.src)
			}
			newline := false
			for _, b := range l.src[l.pos:end] {
				if b == '\n' {
					newline = true
					break
				}
			}
			l.pos = end + 2
			if newline && l.semi { // a comment spanning lines counts as a newline
				l.semi = false
				return token.SEMICOLON, l.pos, l.pos
			}
			continue
		}
		start = l.pos
		switch {
		case isLetter(c) || c >= 0x80: // a letter of any script begins an identifier
			for l.pos < len(l.src) && (isLetter(l.src[l.pos]) || isDigit(l.src[l.pos]) || l.src[l.pos] >= 0x80) {
				l.pos++
			}
			tok = token.IDENT
			if kw, ok := goKeywords[string(l.src[start:l.pos])]; ok {
				tok = kw
			}
			l.semi = tok == token.IDENT || tok == token.BREAK || tok == token.CONTINUE || tok == token.FALLTHROUGH || tok == token.RETURN
			return tok, start, l.pos
		case isDigit(c) || c == '.' && l.pos+1 < len(l.src) && isDigit(l.src[l.pos+1]):
			// A number: its exponent's sign follows e or E, or p or P in hexadecimal.
			hex := c == '0' && l.pos+1 < len(l.src) && (l.src[l.pos+1] == 'x' || l.src[l.pos+1] == 'X')
			for l.pos < len(l.src) {
				b := l.src[l.pos]
				if isLetter(b) || isDigit(b) || b == '.' {
					l.pos++
					continue
				}
				if prev := l.src[l.pos-1] | 0x20; (b == '+' || b == '-') && (hex && prev == 'p' || !hex && prev == 'e') {
					l.pos++
					continue
				}
				break
			}
			l.semi = true
			return token.INT, start, l.pos
		case c == '"' || c == '\'':
			l.pos++
			for l.pos < len(l.src) && l.src[l.pos] != c {
				if l.src[l.pos] == '\n' {
					return token.ILLEGAL, start, l.pos
				}
				if l.src[l.pos] == '\\' {
					l.pos++
				}
				l.pos++
			}
			if l.pos >= len(l.src) {
				return token.ILLEGAL, start, l.pos
			}
			l.pos++
			l.semi = true
			if c == '\'' {
				return token.CHAR, start, l.pos
			}
			return token.STRING, start, l.pos
		case c == '`':
			end := indexFrom(l.src, l.pos+1, "`")
			if end < 0 {
				return token.ILLEGAL, start, len(l.src)
			}
			l.pos = end + 1
			l.semi = true
			return token.STRING, start, l.pos
		}
		return l.operator(start)
	}
}

// operator reads an operator or a delimiter at start; only the tokens scanFuncs tells apart
// are told apart.
func (l *lexer) operator(start int) (token.Token, int, int) {
	c := l.src[start]
	at := func(i int) byte {
		if start+i < len(l.src) {
			return l.src[start+i]
		}
		return 0
	}
	l.semi = false
	one := func(t token.Token) (token.Token, int, int) { l.pos = start + 1; return t, start, l.pos }
	n := func(t token.Token, width int) (token.Token, int, int) { l.pos = start + width; return t, start, l.pos }
	switch c {
	case '(':
		return one(token.LPAREN)
	case ')':
		l.semi = true
		return one(token.RPAREN)
	case '[':
		return one(token.LBRACK)
	case ']':
		l.semi = true
		return one(token.RBRACK)
	case '{':
		return one(token.LBRACE)
	case '}':
		l.semi = true
		return one(token.RBRACE)
	case ',':
		return one(token.COMMA)
	case ';':
		return one(token.SEMICOLON)
	case '.':
		if at(1) == '.' && at(2) == '.' {
			return n(token.ELLIPSIS, 3)
		}
		return one(token.PERIOD)
	case ':':
		if at(1) == '=' {
			return n(token.DEFINE, 2)
		}
		return one(token.COLON)
	case '=':
		if at(1) == '=' {
			return n(token.EQL, 2)
		}
		return one(token.ASSIGN)
	case '!':
		if at(1) == '=' {
			return n(token.NEQ, 2)
		}
		return one(token.NOT)
	case '+', '-':
		if at(1) == c {
			l.semi = true
			if c == '+' {
				return n(token.INC, 2)
			}
			return n(token.DEC, 2)
		}
		if at(1) == '=' {
			return n(token.ADD_ASSIGN, 2) // any op-assign serves: scanFuncs treats them alike
		}
		return one(token.ADD)
	case '<', '>':
		if at(1) == c { // << >> and <<= >>=
			if at(2) == '=' {
				return n(token.SHL_ASSIGN, 3)
			}
			return n(token.SHL, 2)
		}
		if at(1) == '=' {
			return n(token.LEQ, 2)
		}
		if c == '<' && at(1) == '-' {
			return n(token.ARROW, 2)
		}
		return one(token.LSS)
	case '&':
		if at(1) == '^' {
			if at(2) == '=' {
				return n(token.AND_NOT_ASSIGN, 3)
			}
			return n(token.AND_NOT, 2)
		}
		if at(1) == '&' {
			return n(token.LAND, 2)
		}
		if at(1) == '=' {
			return n(token.AND_ASSIGN, 2)
		}
		return one(token.AND)
	case '|':
		if at(1) == '|' {
			return n(token.LOR, 2)
		}
		if at(1) == '=' {
			return n(token.OR_ASSIGN, 2)
		}
		return one(token.OR)
	case '*', '/', '%', '^':
		if at(1) == '=' {
			return n(token.MUL_ASSIGN, 2)
		}
		return one(token.MUL)
	case '~':
		return one(token.TILDE)
	}
	return token.ILLEGAL, start, start + 1
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

// indexFrom returns the index of sub in src at or after from, or -1.
func indexFrom(src []byte, from int, sub string) int {
	for i := from; i+len(sub) <= len(src); i++ {
		if src[i] == sub[0] && string(src[i:i+len(sub)]) == sub {
			return i
		}
	}
	return -1
}

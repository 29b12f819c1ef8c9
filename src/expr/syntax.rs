//! Expression syntax: the lexer, the tree, and a Pratt parser. Parsing is bounded (length and
//! depth) and never panics; an error is a message at a span of the source.

use crate::calendar::{Duration, Version};
use crate::money::Dec;
use crate::schema::FactId;
use crate::value::Type;
use time::{Date, OffsetDateTime};

/// The longest expression source accepted.
pub const MAX_LEN: usize = 4096;
/// The deepest nesting accepted.
pub const MAX_DEPTH: usize = 64;

/// A byte range of an expression's source.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    fn new(start: usize, end: usize) -> Span {
        Span { start: start as u32, end: end as u32 }
    }

    fn to(self, other: Span) -> Span {
        Span { start: self.start, end: other.end }
    }
}

/// A message about a span of an expression, with an optional hint for the rule author.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprError {
    /// Where.
    pub span: Span,
    /// What is wrong.
    pub message: String,
    /// How to fix it, where we can tell.
    pub hint: Option<String>,
}

impl ExprError {
    pub(crate) fn new(span: Span, message: impl Into<String>) -> ExprError {
        ExprError { span, message: message.into(), hint: None }
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> ExprError {
        self.hint = Some(hint.into());
        self
    }
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    /// `!`
    Not,
    /// `-`
    Neg,
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `||`
    Or,
    /// `&&`
    And,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `in`
    In,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "||",
            BinOp::And => "&&",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }

    /// Whether the operator yields a bool from two comparable operands.
    pub fn is_comparison(self) -> bool {
        matches!(self, BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::In)
    }

    /// Left and right binding power (higher binds tighter).
    fn power(self) -> (u8, u8) {
        match self {
            BinOp::Or => (1, 2),
            BinOp::And => (3, 4),
            // Comparisons do not chain: `a < b < c` is an error, not `(a < b) < c`.
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::In => (5, 6),
            BinOp::Add | BinOp::Sub => (7, 8),
            BinOp::Mul | BinOp::Div => (9, 10),
        }
    }
}

/// The built-in functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    /// `date(datetime)` in the borrower's zone, or `date("YYYY-MM-DD")`.
    Date,
    /// `datetime("…")`
    DateTime,
    /// `version("8.0.0")`
    Version,
    /// `money("200000.00")`
    Money,
    /// `has(path)`
    Has,
    /// `min(a, b)`
    Min,
    /// `max(a, b)`
    Max,
    /// `floor_fen(m)`
    FloorFen,
    /// `ceil_fen(m)`
    CeilFen,
    /// `window_end(windows, dt)`
    WindowEnd,
}

impl Func {
    const ALL: [(&'static str, Func); 10] = [
        ("date", Func::Date),
        ("datetime", Func::DateTime),
        ("version", Func::Version),
        ("money", Func::Money),
        ("has", Func::Has),
        ("min", Func::Min),
        ("max", Func::Max),
        ("floor_fen", Func::FloorFen),
        ("ceil_fen", Func::CeilFen),
        ("window_end", Func::WindowEnd),
    ];

    fn by_name(name: &str) -> Option<Func> {
        Func::ALL.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }

    /// The function's name.
    pub fn name(self) -> &'static str {
        Func::ALL.iter().find(|(_, f)| *f == self).map(|(n, _)| *n).unwrap_or("?")
    }

    /// All names, for suggestions.
    pub fn names() -> impl Iterator<Item = &'static str> {
        Func::ALL.iter().map(|(n, _)| *n)
    }
}

/// A value the verdict itself provides to rules evaluated last.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerdictVar {
    /// `available`: what the other rules leave drawable.
    Available,
    /// `status`: the status the other rules give.
    Status,
}

/// What an expression node is.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A whole number.
    Int(i64),
    /// A decimal number.
    Dec(Dec),
    /// An amount (a number literal next to money, or `money("…")`).
    Money(Dec),
    /// A string.
    Str(String),
    /// `true` / `false`.
    Bool(bool),
    /// `never`.
    Never,
    /// `24h`.
    Duration(Duration),
    /// `date("…")`, folded when checked.
    Date(Date),
    /// `datetime("…")`, folded when checked.
    DateTime(OffsetDateTime),
    /// `version("…")`, folded when checked.
    Version(Version),
    /// `[a, b]`.
    List(Vec<Expr>),
    /// A dotted name, before the checker resolves it.
    Name(String),
    /// A profile fact.
    Fact(FactId),
    /// A pack param, by index.
    Param(u16),
    /// `as_of`.
    AsOf,
    /// `available` or `status`.
    Verdict(VerdictVar),
    /// A rule-local value (`amount`, `until`, a `let`, a step field), by slot.
    Local(u16),
    /// `!x`, `-x`.
    Unary(UnOp, Box<Expr>),
    /// `a op b`.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `m[k]`.
    Index(Box<Expr>, Box<Expr>),
    /// `f(args)`.
    Call(Func, Vec<Expr>),
}

/// An expression node: what it is, where it was written, and (once checked) its type.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// Unique within its tree; the trace keys values by it.
    pub id: u32,
    /// Source range.
    pub span: Span,
    /// Static type, `Type::Error` until checked.
    pub ty: Type,
    /// The node.
    pub kind: Kind,
}

impl Expr {
    /// The direct children, left to right.
    pub fn children(&self) -> Vec<&Expr> {
        match &self.kind {
            Kind::List(items) | Kind::Call(_, items) => items.iter().collect(),
            Kind::Unary(_, a) => vec![a],
            Kind::Binary(_, a, b) | Kind::Index(a, b) => vec![a, b],
            _ => Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Int(i64),
    Dec(Dec),
    Dur(Duration),
    Str(String),
    Ident(String),
    Sym(&'static str),
    End,
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Int(n) => format!("the number {n}"),
        Tok::Dec(d) => format!("the number {d}"),
        Tok::Dur(d) => format!("the duration {d}"),
        Tok::Str(s) => format!("the string {}", crate::value::quoted(s)),
        Tok::Ident(s) => format!("`{s}`"),
        Tok::Sym(s) => format!("`{s}`"),
        Tok::End => "the end of the expression".into(),
    }
}

const SYMBOLS: [&str; 19] =
    ["&&", "||", "==", "!=", "<=", ">=", "<", ">", "!", "+", "-", "*", "/", "(", ")", "[", "]", ",", "."];

fn lex(src: &str) -> Result<Vec<(Tok, Span)>, ExprError> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            while bytes.get(i).is_some_and(|b| b.is_ascii_digit()) {
                i += 1;
            }
            let mut is_dec = false;
            if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(|b| b.is_ascii_digit()) {
                is_dec = true;
                i += 1;
                while bytes.get(i).is_some_and(|b| b.is_ascii_digit()) {
                    i += 1;
                }
            }
            let num_end = i;
            while bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
                i += 1;
            }
            let span = Span::new(start, i);
            let text = src.get(start..num_end).unwrap_or("");
            let tok = if i > num_end {
                let whole = src.get(start..i).unwrap_or("");
                match Duration::parse(whole) {
                    Some(d) if !is_dec => Tok::Dur(d),
                    _ => {
                        return Err(ExprError::new(span, format!("`{whole}` is not a number or a duration"))
                            .hint("durations are whole numbers with a unit: 30d, 24h, 90m, 45s"))
                    }
                }
            } else if is_dec {
                Tok::Dec(Dec::parse(text).ok_or_else(|| ExprError::new(span, "this number has too many digits"))?)
            } else {
                Tok::Int(text.parse().map_err(|_| ExprError::new(span, "this number is too large"))?)
            };
            out.push((tok, span));
            continue;
        }
        if c.is_ascii_alphabetic() || c == b'_' {
            while bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_') {
                i += 1;
            }
            out.push((Tok::Ident(src.get(start..i).unwrap_or("").to_string()), Span::new(start, i)));
            continue;
        }
        if c == b'"' || c == b'\'' {
            let (s, end) = lex_string(src, start, c)?;
            out.push((Tok::Str(s), Span::new(start, end)));
            i = end;
            continue;
        }
        let rest = src.get(i..).unwrap_or("");
        let Some(sym) = SYMBOLS.iter().find(|s| rest.starts_with(**s)) else {
            let ch = rest.chars().next().unwrap_or('?');
            let err = ExprError::new(Span::new(start, start + ch.len_utf8()), format!("unexpected character `{ch}`"));
            return Err(match ch {
                '=' => err.hint("compare with `==`"),
                '&' => err.hint("`and` is written `&&`"),
                '|' => err.hint("`or` is written `||`"),
                '“' | '”' | '‘' | '’' => err.hint("use straight quotes \" or '"),
                _ => err,
            });
        };
        i += sym.len();
        out.push((Tok::Sym(sym), Span::new(start, i)));
    }
    out.push((Tok::End, Span::new(src.len(), src.len())));
    Ok(out)
}

/// A quoted string starting at `start`; `\\`, `\"`, `\'`, `\n`, `\t` are the escapes.
fn lex_string(src: &str, start: usize, quote: u8) -> Result<(String, usize), ExprError> {
    let mut out = String::new();
    let mut chars = src.get(start + 1..).unwrap_or("").char_indices();
    while let Some((off, ch)) = chars.next() {
        let at = start + 1 + off;
        match ch {
            c if c as u32 == u32::from(quote) => return Ok((out, at + 1)),
            '\\' => match chars.next() {
                Some((_, '\\')) => out.push('\\'),
                Some((_, '"')) => out.push('"'),
                Some((_, '\'')) => out.push('\''),
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                other => {
                    // The span covers the backslash and the whole character after it (which may
                    // be several bytes), so it never splits a character.
                    let end = at + 1 + other.map_or(0, |(_, c)| c.len_utf8());
                    return Err(ExprError::new(Span::new(at, end), "unknown escape in a string")
                        .hint("the escapes are \\\\ \\\" \\' \\n \\t"));
                }
            },
            c => out.push(c),
        }
    }
    Err(ExprError::new(Span::new(start, src.len()), "this string is not closed")
        .hint("end it with the quote it started with"))
}

struct Parser {
    toks: Vec<(Tok, Span)>,
    pos: usize,
    next_id: u32,
    depth: usize,
}

/// Parses an expression's source into a tree (unchecked: names unresolved, types unknown).
pub fn parse(src: &str) -> Result<Expr, ExprError> {
    if src.len() > MAX_LEN {
        return Err(ExprError::new(
            Span::new(0, 0),
            format!("the expression is {} bytes long; the limit is {MAX_LEN}", src.len()),
        )
        .hint("split it into several rules, or move lists into params"));
    }
    let toks = lex(src)?;
    let mut p = Parser { toks, pos: 0, next_id: 0, depth: 0 };
    if matches!(p.peek(), Tok::End) {
        return Err(ExprError::new(Span::new(0, src.len()), "the expression is empty"));
    }
    let e = p.expr(0)?;
    match p.peek() {
        Tok::End => Ok(e),
        t => {
            let msg = format!("expected an operator or the end, found {}", describe(t));
            Err(ExprError::new(p.span(), msg))
        }
    }
}

impl Parser {
    fn peek(&self) -> &Tok {
        self.toks.get(self.pos).map(|(t, _)| t).unwrap_or(&Tok::End)
    }

    fn span(&self) -> Span {
        self.toks.get(self.pos).map(|(_, s)| *s).unwrap_or_default()
    }

    fn bump(&mut self) -> (Tok, Span) {
        let t = self.toks.get(self.pos).cloned().unwrap_or((Tok::End, Span::default()));
        self.pos += 1;
        t
    }

    fn node(&mut self, span: Span, kind: Kind) -> Expr {
        self.next_id += 1;
        Expr { id: self.next_id, span, ty: Type::Error, kind }
    }

    fn expect(&mut self, sym: &'static str) -> Result<Span, ExprError> {
        if self.peek() == &Tok::Sym(sym) {
            Ok(self.bump().1)
        } else {
            Err(ExprError::new(self.span(), format!("expected `{sym}`, found {}", describe(self.peek()))))
        }
    }

    fn binop(&self) -> Option<BinOp> {
        Some(match self.peek() {
            Tok::Sym("||") => BinOp::Or,
            Tok::Sym("&&") => BinOp::And,
            Tok::Sym("==") => BinOp::Eq,
            Tok::Sym("!=") => BinOp::Ne,
            Tok::Sym("<") => BinOp::Lt,
            Tok::Sym("<=") => BinOp::Le,
            Tok::Sym(">") => BinOp::Gt,
            Tok::Sym(">=") => BinOp::Ge,
            Tok::Sym("+") => BinOp::Add,
            Tok::Sym("-") => BinOp::Sub,
            Tok::Sym("*") => BinOp::Mul,
            Tok::Sym("/") => BinOp::Div,
            Tok::Ident(w) if w == "in" => BinOp::In,
            _ => return None,
        })
    }

    fn expr(&mut self, min_power: u8) -> Result<Expr, ExprError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ExprError::new(self.span(), format!("the expression nests deeper than {MAX_DEPTH} levels")));
        }
        let mut lhs = self.prefix()?;
        while let Some(op) = self.binop() {
            let (lp, rp) = op.power();
            if lp < min_power {
                break;
            }
            self.bump();
            let rhs = self.expr(rp)?;
            if op.is_comparison() {
                if let Some(next) = self.binop().filter(|o| o.is_comparison()) {
                    let msg = format!(
                        "`{}` cannot follow `{}` directly: comparisons do not chain",
                        next.symbol(),
                        op.symbol()
                    );
                    return Err(ExprError::new(self.span(), msg).hint("write `a < b && b < c`, or add parentheses"));
                }
            }
            let span = lhs.span.to(rhs.span);
            lhs = self.node(span, Kind::Binary(op, Box::new(lhs), Box::new(rhs)));
        }
        self.depth -= 1;
        Ok(lhs)
    }

    fn prefix(&mut self) -> Result<Expr, ExprError> {
        let (tok, span) = self.bump();
        let e = match tok {
            Tok::Int(n) => self.node(span, Kind::Int(n)),
            Tok::Dec(d) => self.node(span, Kind::Dec(d)),
            Tok::Dur(d) => self.node(span, Kind::Duration(d)),
            Tok::Str(s) => self.node(span, Kind::Str(s)),
            Tok::Sym("!") | Tok::Sym("-") => {
                let op = if tok == Tok::Sym("!") { UnOp::Not } else { UnOp::Neg };
                self.depth += 1;
                let inner = self.expr(11)?;
                self.depth -= 1;
                let full = span.to(inner.span);
                self.node(full, Kind::Unary(op, Box::new(inner)))
            }
            Tok::Sym("(") => {
                let inner = self.expr(0)?;
                let close = self.expect(")")?;
                Expr { span: span.to(close), ..inner }
            }
            Tok::Sym("[") => {
                let (items, close) = self.list("]")?;
                self.node(span.to(close), Kind::List(items))
            }
            Tok::Ident(word) => self.word(word, span)?,
            other => {
                let msg = format!("expected a value, found {}", describe(&other));
                return Err(ExprError::new(span, msg));
            }
        };
        self.postfix(e)
    }

    /// A name: a keyword, a function call, or a dotted path.
    fn word(&mut self, word: String, span: Span) -> Result<Expr, ExprError> {
        match word.as_str() {
            "true" => return Ok(self.node(span, Kind::Bool(true))),
            "false" => return Ok(self.node(span, Kind::Bool(false))),
            "never" => return Ok(self.node(span, Kind::Never)),
            "in" => return Err(ExprError::new(span, "`in` needs a value on its left")),
            _ => {}
        }
        if self.peek() == &Tok::Sym("(") {
            let Some(func) = Func::by_name(&word) else {
                let err = ExprError::new(span, format!("unknown function `{word}`"));
                let hint = crate::schema::suggest(&word, Func::names())
                    .map(|s| format!("did you mean `{s}`?"))
                    .unwrap_or_else(|| format!("the functions are {}", Func::names().collect::<Vec<_>>().join(", ")));
                return Err(err.hint(hint));
            };
            self.bump();
            let (args, close) = self.list(")")?;
            return Ok(self.node(span.to(close), Kind::Call(func, args)));
        }
        let mut path = word;
        let mut full = span;
        while self.peek() == &Tok::Sym(".") {
            self.bump();
            match self.bump() {
                (Tok::Ident(part), s) => {
                    path.push('.');
                    path.push_str(&part);
                    full = full.to(s);
                }
                (t, s) => return Err(ExprError::new(s, format!("expected a name after `.`, found {}", describe(&t)))),
            }
        }
        Ok(self.node(full, Kind::Name(path)))
    }

    fn postfix(&mut self, mut e: Expr) -> Result<Expr, ExprError> {
        while self.peek() == &Tok::Sym("[") {
            self.bump();
            let key = self.expr(0)?;
            let close = self.expect("]")?;
            let span = e.span.to(close);
            e = self.node(span, Kind::Index(Box::new(e), Box::new(key)));
        }
        Ok(e)
    }

    /// Comma-separated expressions up to `close` (which is consumed).
    fn list(&mut self, close: &'static str) -> Result<(Vec<Expr>, Span), ExprError> {
        let mut items = Vec::new();
        loop {
            if self.peek() == &Tok::Sym(close) {
                return Ok((items, self.bump().1));
            }
            items.push(self.expr(0)?);
            match self.peek() {
                Tok::Sym(",") => {
                    self.bump();
                }
                Tok::Sym(c) if *c == close => {}
                t => {
                    let msg = format!("expected `,` or `{close}`, found {}", describe(t));
                    return Err(ExprError::new(self.span(), msg));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(e: &Expr) -> String {
        match &e.kind {
            Kind::Binary(op, a, b) => format!("({} {} {})", shape(a), op.symbol(), shape(b)),
            Kind::Unary(UnOp::Not, a) => format!("!{}", shape(a)),
            Kind::Unary(UnOp::Neg, a) => format!("-{}", shape(a)),
            Kind::Name(n) => n.clone(),
            Kind::Int(n) => n.to_string(),
            Kind::Dec(d) => d.to_string(),
            Kind::Duration(d) => d.to_string(),
            Kind::Str(s) => format!("{s:?}"),
            Kind::Call(f, args) => format!("{}({})", f.name(), args.iter().map(shape).collect::<Vec<_>>().join(", ")),
            Kind::Index(m, k) => format!("{}[{}]", shape(m), shape(k)),
            Kind::List(items) => format!("[{}]", items.iter().map(shape).collect::<Vec<_>>().join(", ")),
            other => format!("{other:?}"),
        }
    }

    fn p(src: &str) -> String {
        match parse(src) {
            Ok(e) => shape(&e),
            Err(e) => format!("error at {}..{}: {}", e.span.start, e.span.end, e.message),
        }
    }

    #[test]
    fn precedence() {
        assert_eq!(p("a || b && c"), "(a || (b && c))");
        assert_eq!(p("x > 0.5 * y + 1"), "(x > ((0.5 * y) + 1))");
        assert_eq!(p("!a.b && -c < 3"), "(!a.b && (-c < 3))");
        assert_eq!(p("d + 30d > date(as_of)"), "((d + 30d) > date(as_of))");
        assert_eq!(p("params.m[account.segment] * 2"), "(params.m[account.segment] * 2)");
        assert_eq!(p("x in [\"A\", 'B']"), "(x in [\"A\", \"B\"])");
        assert_eq!(p("(a - b) - c"), "((a - b) - c)");
    }

    #[test]
    fn errors_point_at_the_problem() {
        assert_eq!(p("a = 1"), "error at 2..3: unexpected character `=`");
        assert_eq!(p("a < b < c"), "error at 6..7: `<` cannot follow `<` directly: comparisons do not chain");
        assert_eq!(p("datte(x)"), "error at 0..5: unknown function `datte`");
        assert_eq!(p("1.5h"), "error at 0..4: `1.5h` is not a number or a duration");
        assert_eq!(p("'open"), "error at 0..5: this string is not closed");
        assert_eq!(p("a &&"), "error at 4..4: expected a value, found the end of the expression");
        assert_eq!(p(""), "error at 0..0: the expression is empty");
        assert_eq!(p("(a"), "error at 2..2: expected `)`, found the end of the expression");
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = format!("{}1{}", "(".repeat(500), ")".repeat(500));
        assert!(p(&deep).contains("nests deeper than 64"));
        let neg = format!("{}1", "-".repeat(2000));
        assert!(p(&neg).contains("nests deeper"));
        let long = "a || ".repeat(1000) + "a";
        assert!(p(&long).contains("limit is 4096"));
    }
}

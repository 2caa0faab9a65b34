package dsl

// Node is an expression of the language.
type Node interface{ Start() Pos }

type (
	// NumberLit is a number literal.
	NumberLit struct {
		P Pos
		V float64
	}
	// StringLit is a string literal.
	StringLit struct {
		P Pos
		V string
	}
	// BoolLit is true or false.
	BoolLit struct {
		P Pos
		V bool
	}
	// NoneLit is none.
	NoneLit struct{ P Pos }
	// Ident is a name: a variable or a command.
	Ident struct {
		P    Pos
		Name string
	}
	// ListLit is [a, b, ...].
	ListLit struct {
		P     Pos
		Items []Node
	}
	// DictLit is {key: value, ...}, its entries in the order written.
	DictLit struct {
		P            Pos
		Keys, Values []Node
	}
	// Attr is x.name.
	Attr struct {
		X    Node
		Name string
		P    Pos // of the name
	}
	// Index is x[i].
	Index struct {
		X, I Node
		P    Pos // of the bracket
	}
	// CallExpr is name(args, key=value).
	CallExpr struct {
		Fn    *Ident
		Args  []Node
		Named []NamedArg
		Close Pos // of the closing parenthesis
	}
	// Unary is -x.
	Unary struct {
		Op string
		X  Node
		P  Pos
	}
	// Binary is x op y for arithmetic and comparison.
	Binary struct {
		Op   string
		X, Y Node
		P    Pos // of the operator
	}
)

// NamedArg is key=value in a call.
type NamedArg struct {
	Name  string
	P     Pos
	Value Node
}

func (n *NumberLit) Start() Pos { return n.P }
func (n *StringLit) Start() Pos { return n.P }
func (n *BoolLit) Start() Pos   { return n.P }
func (n *NoneLit) Start() Pos   { return n.P }
func (n *Ident) Start() Pos     { return n.P }
func (n *ListLit) Start() Pos   { return n.P }
func (n *DictLit) Start() Pos   { return n.P }
func (n *Attr) Start() Pos      { return n.X.Start() }
func (n *Index) Start() Pos     { return n.X.Start() }
func (n *CallExpr) Start() Pos  { return n.Fn.P }
func (n *Unary) Start() Pos     { return n.P }
func (n *Binary) Start() Pos    { return n.X.Start() }

// Stmt is one statement: an assignment, an expression, or a help request.
type Stmt struct {
	P Pos
	// Target is set for name = expr.
	Target string
	Expr   Node
	// Help is set for ?name and name?: show that name's help in the pager.
	Help *Ident
}

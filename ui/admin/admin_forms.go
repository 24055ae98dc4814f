package admin

// textField is a text input or textarea of an admin form.
type textField struct {
	Name, ID, Label, Hint, Value, Problem, Type, Autocomplete string
	Rows                                                      int
	Required                                                  bool
}

// checkField is a group of checkboxes of an admin form.
type checkField struct {
	Name, ID, Label, Problem string
	Options                  []option
	Scroll                   bool
}

type option struct {
	Value, Label string
	Checked      bool
}

// problem is one line of a form's error summary.
type problem struct{ ID, Label, Message string }

// formSection is a folded part of a long form (a details element): open
// when essential or when one of its fields has a problem (Fix).
type formSection struct {
	ID, Label string
	Open, Fix bool
}

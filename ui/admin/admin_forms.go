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

package uitest

import (
	"testing"

	"github.com/maillage/maillage/storage"
)

// fedAdminInstance is a federated instance with an admin and an editor.
func FedAdminInstance(t *testing.T) *Instance {
	t.Helper()
	in := NewFederatedInstance(t)
	if err := in.Store.AddUser(AdminEmail, storage.RoleAdmin, Password); err != nil {
		t.Fatal(err)
	}
	if err := in.Store.AddUser(EditorEmail, storage.RoleEditor, Password); err != nil {
		t.Fatal(err)
	}
	return in
}

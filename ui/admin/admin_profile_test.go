package admin_test

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/maillage/maillage/ui/internal/uitest"
)

// postProfile posts the profile form with an optional logo file.
func postProfile(b *uitest.Browser, fields map[string]string, logo []byte) uitest.Answer {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("csrf", b.CSRF)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if logo != nil {
		fw, _ := mw.CreateFormFile("logo", "logo.png")
		fw.Write(logo)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.In.Srv.URL+"/admin/profil", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.Do(req)
}

// TestAdminProfile: an admin sets the fediverse profile and uploads a
// logo, which the actor's avatar then serves; a bad e-mail or a file
// that is not an image is refused, named, and changes nothing.
func TestAdminProfile(t *testing.T) {
	in := uitest.FedAdminInstance(t)
	b := in.Browser()
	b.Login(uitest.AdminEmail)
	b.Get("/admin/profil").Want(t, "profile page", 200, "Profil du réseau sur le fédivers", `<label for="logo">`)
	postProfile(b, map[string]string{"contact": "pas une adresse"}, nil).
		Want(t, "bad e-mail", http.StatusUnprocessableEntity, "adresse électronique invalide")
	postProfile(b, map[string]string{"contact": "contact@arsenic13.example"}, []byte("GIF? non, du texte")).
		Want(t, "not an image", http.StatusUnprocessableEntity, "format non reconnu")
	if pr, _ := in.Store.Profile(); pr.Contact != "" || pr.Logo != nil {
		t.Fatalf("a refused form changed the profile: %+v", pr)
	}
	var logo bytes.Buffer
	png.Encode(&logo, image.NewRGBA(image.Rect(0, 0, 8, 8)))
	a := postProfile(b, map[string]string{"contact": "contact@arsenic13.example", "territoire": "Bouches-du-Rhône", "presentation": "Les lieux du département."}, logo.Bytes())
	if a.Status != http.StatusSeeOther {
		t.Fatalf("save = %d\n%s", a.Status, a.Body)
	}
	pr, err := in.Store.Profile()
	if err != nil || pr.Contact != "contact@arsenic13.example" || pr.Territory != "Bouches-du-Rhône" || pr.LogoType != "image/png" {
		t.Fatalf("profile %+v, %v", pr, err)
	}
	resp, err := http.Get(in.Srv.URL + "/actor/icon.png")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(got, logo.Bytes()) {
		t.Error("the avatar is not the uploaded logo")
	}
	ed := in.Browser()
	ed.Login(uitest.EditorEmail)
	if ans := ed.Get("/admin/profil"); ans.Status != http.StatusForbidden || !strings.Contains(ans.Body, "administrateurs") {
		t.Errorf("an editor on /admin/profil: %d", ans.Status)
	}
}

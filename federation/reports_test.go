package federation

import (
	"net/http"
	"strings"
	"testing"

	"github.com/maillage/maillage/storage"
)

func TestReportReachesTheOwningNetwork(t *testing.T) {
	c := newClock()
	a13 := newInstance(t, c, "Arsenic 13", "arsenic13")
	paca := newInstance(t, c, "Région Sud", "paca")
	paca.follow(a13)
	p := a13.place("EPN du Panier", "Marseille")
	a13.deliver()

	err := paca.fed.Report(storage.Report{PlaceAP: p.APID, Message: "Fermé le samedi depuis septembre.",
		Contact: "usager@example.org", Created: c.Now()})
	if err != nil {
		t.Fatal(err)
	}
	due := queued(t, paca)
	if len(due) != 1 || !strings.Contains(string(due[0]), `"Flag"`) || strings.Contains(string(due[0]), "usager@example.org") {
		t.Fatalf("queued %s; want one Flag without the reporter's address", due)
	}
	paca.deliver()
	reports, _ := a13.store.Reports()
	if len(reports) != 1 || reports[0].Place != p.ID || reports[0].Message != "Fermé le samedi depuis septembre." || reports[0].From != paca.fed.Actor() {
		t.Errorf("Arsenic 13's reports: %+v", reports)
	}
	mine, _ := paca.store.Reports()
	if len(mine) != 1 || mine[0].Forwarded != a13.fed.Actor() || mine[0].Contact != "usager@example.org" {
		t.Errorf("the region's copy: %+v", mine)
	}

	// A Flag about something that is not ours is refused and kept nowhere.
	if st := paca.post(a13, paca.activity("Flag", "f2", []string{paca.base + "/lieux/x"}), nil); st != http.StatusUnprocessableEntity {
		t.Errorf("Flag of another host's object: %d; want 422", st)
	}
	if reports, _ := a13.store.Reports(); len(reports) != 1 {
		t.Errorf("%d reports after a Flag about nothing of ours", len(reports))
	}
}

package sample

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/maillage/maillage/catalogue"
)

// newRand returns the generator's source of randomness for a seed. The
// second PCG word is derived from the first so that one number is enough.
func newRand(seed uint64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream^0x9e3779b97f4a7c15))
}

// Places returns n valid places spread over every French département
// (metropolitan 01 to 95 with 2A and 2B, and 971 to 974 and 976) in
// proportion to their population; when n is at least the number of
// départements, each has at least one. The same seed gives the same
// places. The places are normalised, and have no id: the store sets it.
func Places(n int, seed uint64) []*catalogue.Place {
	if n <= 0 {
		return nil
	}
	r := newRand(seed, 1)
	places := make([]*catalogue.Place, 0, n)
	for _, d := range allocate(n, r) {
		p := newPlace(r, &departements[d])
		p.Normalize()
		places = append(places, p)
	}
	return places
}

// allocate returns n département indexes in random order: one for each
// département when n allows, the rest in proportion to population (largest
// remainders), or n weighted draws when n is smaller than the list.
func allocate(n int, r *rand.Rand) []int {
	total := 0
	for _, d := range departements {
		total += d.pop
	}
	out := make([]int, 0, n)
	if n < len(departements) {
		for range n {
			out = append(out, pickDept(r, total))
		}
		return out
	}
	rest := n - len(departements)
	type share struct {
		dept int
		frac float64
	}
	shares := make([]share, len(departements))
	given := 0
	for i, d := range departements {
		exact := float64(rest) * float64(d.pop) / float64(total)
		whole := int(exact)
		for range whole + 1 {
			out = append(out, i)
		}
		given += whole
		shares[i] = share{i, exact - float64(whole)}
	}
	slices.SortStableFunc(shares, func(a, b share) int {
		switch {
		case a.frac > b.frac:
			return -1
		case a.frac < b.frac:
			return 1
		}
		return 0
	})
	for i := 0; given < rest; i++ {
		out = append(out, shares[i].dept)
		given++
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func pickDept(r *rand.Rand, total int) int {
	x := r.IntN(total)
	for i, d := range departements {
		if x < d.pop {
			return i
		}
		x -= d.pop
	}
	return len(departements) - 1
}

func pickCommune(r *rand.Rand, d *departement) *commune {
	total := 0
	for _, c := range d.communes {
		total += c.pop
	}
	x := r.IntN(total)
	for i := range d.communes {
		if x < d.communes[i].pop {
			return &d.communes[i]
		}
		x -= d.communes[i].pop
	}
	return &d.communes[len(d.communes)-1]
}

// kind is a typology with its share of the places and how to name and
// describe one.
type kind struct {
	code   string
	weight int
	// services the kind nearly always offers, before random others.
	core []string
}

const (
	svcDemarches  = "Aide aux démarches administratives"
	svcOutils     = "Maîtrise des outils numériques du quotidien"
	svcInsertion  = "Insertion professionnelle via le numérique"
	svcSecurite   = "Utilisation sécurisée du numérique"
	svcParent     = "Parentalité et éducation avec le numérique"
	svcLoisirs    = "Loisirs et créations numériques"
	svcComprendre = "Compréhension du monde numérique"
	svcAcces      = "Accès internet et matériel informatique"
	svcMateriel   = "Acquisition de matériel informatique à prix solidaire"
)

var kinds = []kind{
	{"BIB", 22, []string{svcAcces, svcOutils}},
	{"RFS", 15, []string{svcDemarches}},
	{"EPN", 12, []string{svcOutils, svcAcces}},
	{"ASSO", 11, []string{svcOutils}},
	{"CS", 10, []string{svcDemarches, svcOutils}},
	{"MUNI", 8, []string{svcDemarches}},
	{"TIERS_LIEUX", 6, []string{svcLoisirs}},
	{"MQ", 6, []string{svcOutils}},
	{"CCAS", 5, []string{svcDemarches}},
	{"FABLAB", 5, []string{svcLoisirs, svcComprendre}},
}

var kindTotal = func() int {
	t := 0
	for _, k := range kinds {
		t += k.weight
	}
	return t
}()

func pickKind(r *rand.Rand) *kind {
	x := r.IntN(kindTotal)
	for i := range kinds {
		if x < kinds[i].weight {
			return &kinds[i]
		}
		x -= kinds[i].weight
	}
	return &kinds[len(kinds)-1]
}

// People French médiathèques, centres sociaux and streets are named after.
var people = []string{
	"François Mitterrand", "Louise Michel", "Simone Veil", "Jean Jaurès", "Victor Hugo",
	"Aimé Césaire", "Albert Camus", "Colette", "George Sand", "Marguerite Yourcenar",
	"Jacques Prévert", "Jules Verne", "Émile Zola", "Marie Curie", "Gisèle Halimi",
	"Olympe de Gouges", "Jean Moulin", "Nelson Mandela", "Elsa Triolet", "Louis Aragon",
	"Paul Éluard", "Boris Vian", "Romain Gary", "Joséphine Baker", "Simone de Beauvoir",
	"Marguerite Duras", "Antoine de Saint-Exupéry", "Jean de La Fontaine", "Molière", "Léopold Sédar Senghor",
}

var quartiers = []string{
	"des Tilleuls", "du Centre", "Saint-Jean", "de la Gare", "Bellevue", "des Minimes",
	"La Source", "du Port", "Les Coteaux", "Le Mail", "La Croix-Rouge", "Beaulieu",
	"du Moulin", "Les Aubiers", "Le Bourg", "des Sablons", "La Roseraie", "Les Hauts-de-Ville",
	"Champ-Fleuri", "du Val Fourré", "Les Provinces", "Saint-Exupéry", "Grand Ouest", "de l'Europe",
}

var tiersLieux = []string{
	"La Fabrique", "Le Hangar", "La Ruche", "L'Établi", "La Base", "Le Quai", "La Coopérative",
	"Le Bocal", "La Cantine numérique", "L'Atelier", "La Grange numérique", "Le Plancher", "La Verrière",
}

var fablabs = []string{
	"La Forge", "Le Lab", "L'Usinette", "Les Petits Hackers", "La Boîte à outils", "Fabulous",
	"Lab'Oratoire", "Le Bidouilleur", "La Fabrique à idées", "Copeaux numériques",
}

var associations = []string{
	"Connexions Solidaires", "Les Clés du numérique", "Lien Numérique", "Solidarité Numérique",
	"Cyber Seniors", "Passerelles numériques", "Le Pas de côté", "Réseau d'entraide numérique",
	"Numérique pour tous", "Les Bons Clics", "Inclusion numérique et citoyenneté", "Le Relais numérique",
}

var streets = []string{
	"rue Victor Hugo", "avenue Jean Jaurès", "place de la République", "rue de la Mairie",
	"boulevard Gambetta", "rue Pasteur", "rue du Général de Gaulle", "allée des Tilleuls",
	"rue Jules Ferry", "place de l'Église", "rue de la Gare", "avenue de la Libération",
	"rue Nationale", "rue des Écoles", "chemin des Vignes", "rue Émile Zola", "avenue Aristide Briand",
	"rue du 8 Mai 1945", "place du Marché", "rue Jean Moulin", "boulevard de la Liberté",
	"rue Anatole France", "rue des Lilas", "avenue du Maréchal Foch", "rue Louise Michel",
	"rue de la Paix", "quai des Arts", "impasse des Artisans", "rue Voltaire", "cours Jean Jaurès",
}

// openingHours are the opening hours places get, in OSM opening_hours
// syntax, and a few in free French text that cannot be read.
var openingHours = []string{
	"Mo-Fr 09:00-12:00,14:00-18:30; Sa 08:30-12:00",
	"Tu,Th 14:00-18:00; We 10:00-12:00,14:00-17:00; PH off",
	"Mo[1] 14:00-17:00",
	"Mo-Fr 09:00-17:00",
	"Mo-Fr 08:30-12:30,13:30-17:00; PH off",
	"Tu-Sa 10:00-18:00",
	"Tu 14:00-19:00; We 10:00-18:00; Fr 14:00-18:00; Sa 10:00-17:00",
	"Mo,We,Fr 09:00-12:00",
	"Mo-Th 09:00-12:00,13:30-17:30; Fr 09:00-12:00",
	"Mo-Fr 09:00-12:00; Tu,Th 14:00-17:00",
	"We 14:00-18:00; Sa 09:30-12:30",
	"Tu-Fr 13:30-18:00; Sa 09:00-12:00,13:30-17:00; PH off",
	"Mo 14:00-18:00; Tu-Fr 09:00-12:00,14:00-18:00",
	"Th[2,4] 09:00-12:00",
	"Mo-Sa 09:00-19:00; Su off",
	"Tu,We,Fr 10:00-12:30,14:00-18:00; Sa 10:00-17:00; PH off",
}

// freeTextHours are opening hours written as people write them, which are
// kept but cannot be read.
var freeTextHours = []string{
	"le mardi matin sur rendez-vous",
	"Sur rendez-vous uniquement",
	"Du lundi au vendredi de 9h à 12h",
	"Permanence le jeudi après-midi (hors vacances scolaires)",
}

// freeTextShare is the share of places with free-text opening hours, in
// thousandths.
const freeTextShare = 30

var equipements = []string{
	"Ordinateurs", "Tablettes", "Imprimante", "Scanner", "Wifi", "Vidéoprojecteur",
}

// elide writes "de <name>" the French way: "d'Angers", "du Mans", "des
// Sables-d'Olonne", "de Nantes".
func elide(name string) string {
	switch {
	case strings.HasPrefix(name, "Le "):
		return "du " + name[3:]
	case strings.HasPrefix(name, "Les "):
		return "des " + name[4:]
	case strings.HasPrefix(name, "L'"):
		return "de " + name
	}
	first, _ := utf8.DecodeRuneInString(name)
	if strings.ContainsRune("AEIOUYÉÈÊÎÔ", first) {
		return "d'" + name
	}
	return "de " + name
}

func pick[T any](r *rand.Rand, list []T) T {
	return list[r.IntN(len(list))]
}

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool {
	return r.Float64() < p
}

// some returns between lo and hi distinct values of list, in list order.
func some(r *rand.Rand, list []string, lo, hi int) []string {
	n := lo + r.IntN(hi-lo+1)
	idx := r.Perm(len(list))[:n]
	slices.Sort(idx)
	out := make([]string, n)
	for i, j := range idx {
		out[i] = list[j]
	}
	return out
}

// slug makes a lower-case ASCII name for an email address or a web site.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range catalogue.Fold(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(b.String(), "-")
}

// siret returns a 14-digit SIRET whose SIREN and SIRET both pass the Luhn
// check, as real ones do.
func siret(r *rand.Rand) string {
	digits := make([]byte, 14)
	digits[0] = byte('1' + r.IntN(9))
	for i := 1; i < 8; i++ {
		digits[i] = byte('0' + r.IntN(10))
	}
	digits[8] = luhnDigit(digits[:8])
	for i := 9; i < 13; i++ {
		digits[i] = byte('0' + r.IntN(10))
	}
	digits[13] = luhnDigit(digits[:13])
	return string(digits)
}

// luhnDigit returns the check digit that makes digits plus it pass Luhn.
func luhnDigit(digits []byte) byte {
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if (len(digits)-1-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}

func phone(r *rand.Rand, d *departement) string {
	var b strings.Builder
	b.WriteString(d.cc)
	b.WriteString(d.lead)
	for range 9 - len(d.lead) {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

// jitter moves a point in a random direction by up to maxKm, more often
// near than far.
func jitter(r *rand.Rand, lat, lon, maxKm float64) (float64, float64) {
	dist := maxKm * math.Pow(r.Float64(), 1.5)
	angle := r.Float64() * 2 * math.Pi
	dLat := dist * math.Cos(angle) / 111.0
	dLon := dist * math.Sin(angle) / (111.32 * math.Cos(lat*math.Pi/180))
	return round6(lat + dLat), round6(lon + dLon)
}

func round6(f float64) float64 {
	return math.Round(f*1e6) / 1e6
}

// placeNames names a place of a kind in a commune, with the e-mail domain
// that goes with it.
func placeName(r *rand.Rand, k *kind, c *commune) (name, domain string) {
	town := slug(c.name)
	ville := "ville-" + town + ".fr"
	switch k.code {
	case "BIB":
		switch r.IntN(4) {
		case 0:
			return "Médiathèque " + elide(c.name), ville
		case 1:
			return "Bibliothèque municipale " + elide(c.name), ville
		case 2:
			return "Médiathèque intercommunale " + pick(r, people), "agglo-" + town + ".fr"
		}
		return "Médiathèque " + pick(r, people), ville
	case "RFS":
		switch r.IntN(3) {
		case 0:
			return "France Services " + c.name, "france-services-" + town + ".fr"
		case 1:
			return "Maison France Services " + elide(c.name), ville
		}
		return "Espace France Services " + elide(c.name), ville
	case "EPN":
		switch r.IntN(4) {
		case 0:
			return "EPN " + c.name, ville
		case 1:
			return "Espace public numérique " + elide(c.name), ville
		case 2:
			return "Cyber-base " + elide(c.name), ville
		}
		return "EPN " + pick(r, quartiers), ville
	case "TIERS_LIEUX":
		n := pick(r, tiersLieux)
		return "Tiers-lieu " + n, slug(n) + "-" + town + ".org"
	case "FABLAB":
		if chance(r, 0.3) {
			return "Fablab " + elide(c.name), ville
		}
		n := pick(r, fablabs)
		return "Fablab " + n, slug(n) + ".org"
	case "CS":
		if chance(r, 0.5) {
			return "Centre social " + pick(r, quartiers), "cs-" + town + ".org"
		}
		return "Centre social et culturel " + pick(r, people), "cs-" + town + ".org"
	case "MQ":
		return "Maison de quartier " + pick(r, quartiers), ville
	case "MUNI":
		if chance(r, 0.5) {
			return "Mairie " + elide(c.name) + " – point numérique", ville
		}
		return "Hôtel de ville " + elide(c.name), ville
	case "CCAS":
		if chance(r, 0.5) {
			return "CCAS " + elide(c.name), "ccas-" + town + ".fr"
		}
		return "Centre communal d'action sociale " + elide(c.name), "ccas-" + town + ".fr"
	}
	n := pick(r, associations)
	if chance(r, 0.5) {
		return "Association " + n, slug(n) + ".org"
	}
	return n + " " + c.name, slug(n) + ".org"
}

// resume writes the presentation_resume of a place.
func resume(r *rand.Rand, k *kind, c *commune, d *departement) string {
	var s string
	switch k.code {
	case "BIB":
		s = "La médiathèque accueille tous les publics " + elideA(c.name) + " : postes en accès libre, wifi, ateliers d'initiation au numérique et accompagnement personnalisé sur rendez-vous."
	case "RFS":
		s = "L'espace France Services " + elide(c.name) + " vous accompagne dans vos démarches administratives en ligne (CAF, impôts, retraite, ANTS, France Travail) avec des agents formés."
	case "EPN":
		s = "Espace public numérique : ordinateurs en libre accès, ateliers collectifs pour débutants, aide à l'utilisation du smartphone et de la messagerie."
	case "TIERS_LIEUX":
		s = "Tiers-lieu associatif du territoire (" + d.name + ") : coworking, ateliers numériques, repair café et permanences d'aide aux usages du numérique."
	case "FABLAB":
		s = "Atelier de fabrication numérique ouvert à tous : impression 3D, découpe laser, électronique, initiation à la programmation et projets collectifs."
	case "CS":
		s = "Le centre social propose des permanences numériques, un accompagnement aux démarches en ligne et des ateliers pour les familles et les seniors."
	case "MQ":
		s = "La maison de quartier met à disposition des ordinateurs et propose chaque semaine des ateliers numériques animés par un conseiller numérique."
	case "MUNI":
		s = "Point numérique de la mairie " + elide(c.name) + " : accès à un poste, aide pour créer une adresse e-mail et réaliser ses démarches en ligne."
	case "CCAS":
		s = "Le CCAS accompagne les personnes éloignées du numérique dans l'accès à leurs droits : dossiers en ligne, espace personnel, prise de rendez-vous."
	default:
		s = "Association d'inclusion numérique : ateliers collectifs, accompagnement individuel, reconditionnement et vente d'ordinateurs à prix solidaire."
	}
	if chance(r, 0.3) {
		s += " Accès PMR."
	}
	if utf8.RuneCountInString(s) > 280 {
		s = string([]rune(s)[:279]) + "…"
	}
	return s
}

// elideA writes "à <name>" the French way: "au Mans", "aux Sables-d'Olonne".
func elideA(name string) string {
	switch {
	case strings.HasPrefix(name, "Le "):
		return "au " + name[3:]
	case strings.HasPrefix(name, "Les "):
		return "aux " + name[4:]
	}
	return "à " + name
}

// dateMajFrom and dateMajDays bound the date_maj of places.
var dateMajFrom = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

const dateMajDays = 600

func newPlace(r *rand.Rand, d *departement) *catalogue.Place {
	c := pickCommune(r, d)
	k := pickKind(r)
	name, domain := placeName(r, k, c)
	jit := d.jitterKm
	if jit == 0 {
		jit = 10
	}
	lat, lon := jitter(r, c.lat, c.lon, jit)
	p := &catalogue.Place{
		Pivot:              siret(r),
		Nom:                name,
		Adresse:            fmt.Sprintf("%d %s", 1+r.IntN(140), pick(r, streets)),
		CodePostal:         c.postal,
		Commune:            c.name,
		CodeINSEE:          c.insee,
		Latitude:           &lat,
		Longitude:          &lon,
		Typologie:          []string{k.code},
		Telephone:          phone(r, d),
		PresentationResume: resume(r, k, c, d),
		Source:             "maillage-sample",
		DateMaj:            dateMajFrom.AddDate(0, 0, r.IntN(dateMajDays)).Format("2006-01-02"),
	}
	if chance(r, 0.1) {
		p.ComplementAdresse = pick(r, []string{"Rez-de-chaussée", "1er étage", "Bâtiment B", "Entrée par la cour"})
	}
	if chance(r, 0.6) {
		p.Courriels = []string{pick(r, []string{"contact", "accueil", "numerique", "mediation"}) + "@" + domain}
	}
	if chance(r, 0.5) {
		p.SiteWeb = []string{"https://www." + domain + "/"}
	}

	// Hours: mostly readable OSM, a few free text.
	if r.IntN(1000) < freeTextShare {
		p.Horaires = pick(r, freeTextHours)
	} else {
		p.Horaires = pick(r, openingHours)
	}

	// Services: the kind's core ones, then others, 1 to 5 in all.
	want := 1 + r.IntN(5)
	services := slices.Clone(k.core)
	if len(services) > want {
		services = services[:want]
	}
	for _, i := range r.Perm(len(catalogue.Services.Values)) {
		if len(services) >= want {
			break
		}
		if v := catalogue.Services.Values[i]; !slices.Contains(services, v) {
			services = append(services, v)
		}
	}
	p.Services = services

	if chance(r, 0.3) {
		p.Publics = some(r, catalogue.Publics.Values, 1, 2)
	}
	if chance(r, 0.15) {
		p.PriseEnCharge = some(r, catalogue.PrisesEnCharge.Values, 1, 2)
	}
	switch x := r.Float64(); {
	case x < 0.75:
		p.Frais = []string{"Gratuit"}
	case x < 0.9:
		p.Frais = []string{"Gratuit sous condition"}
	case x < 0.95:
		p.Frais = []string{"Payant"}
	default:
		p.Frais = []string{"Gratuit", "Payant"}
	}
	if k.code == "RFS" {
		p.Dispositifs = append(p.Dispositifs, "France Services")
		if chance(r, 0.5) {
			p.Dispositifs = append(p.Dispositifs, "Aidants Connect")
		}
	}
	if chance(r, 0.3) {
		p.Dispositifs = append(p.Dispositifs, "Conseillers numériques")
	}
	if chance(r, 0.08) {
		p.Dispositifs = append(p.Dispositifs, "Certification PIX")
	}
	if chance(r, 0.04) {
		p.Dispositifs = append(p.Dispositifs, "Point d'accès numérique CAF")
	}
	if chance(r, 0.05) {
		p.FormationsLabels = []string{pick(r, []string{"Formé à « Mon Espace Santé »", "Fabriques de Territoire", "Étapes numériques(La Poste)"})}
	}
	p.ModalitesAcces = some(r, catalogue.ModalitesAcces.Values[:4], 1, 3)
	p.ModalitesAccompagnement = some(r, catalogue.ModalitesAccompagnement.Values, 1, 2)
	switch x := r.Float64(); {
	case x < 0.05:
		p.Itinerance = []string{"Itinérant"}
	case x < 0.55:
		p.Itinerance = []string{"Fixe"}
	}
	p.ChampsIntervention = some(r, catalogue.ChampsIntervention.Values, 1, 3)
	if chance(r, 0.4) {
		p.Equipements = some(r, equipements, 1, 4)
		if k.code == "FABLAB" {
			p.Equipements = append(p.Equipements, "Imprimante 3D", "Découpeuse laser")
			for _, id := range []string{"impression-3d", "decoupe-laser", "electronique"} {
				p.Competences = append(p.Competences, catalogue.Skill{ID: id, Libelle: catalogue.SkillLabel(catalogue.DefaultSkills, id)})
			}
		}
	}
	if chance(r, 0.2) {
		p.PriseRDV = "https://rdv.anct.gouv.fr/org/" + slug(c.name) + "-" + fmt.Sprint(1000+r.IntN(9000))
	}
	return p
}

// eventKind is a kind of atelier or permanence, with the services it
// gives.
type eventKind struct {
	nom         string
	description string
	services    []string
}

var eventKinds = []eventKind{
	{"Atelier smartphone : premiers pas", "<p>Allumer, déverrouiller, appeler, installer une application : les bases du smartphone, à votre rythme.</p>", []string{svcOutils}},
	{"Permanence aide aux démarches en ligne", "<p>Un médiateur vous aide pour vos démarches : <strong>CAF, impôts, ameli, ANTS</strong>. Apportez vos identifiants.</p>", []string{svcDemarches}},
	{"Atelier cybersécurité : déjouer les arnaques", "<p>Reconnaître un hameçonnage, choisir un mot de passe, protéger ses comptes.</p>", []string{svcSecurite}},
	{"Initiation à l'ordinateur", "<p>Souris, clavier, fichiers et dossiers : pour grands débutants.</p>", []string{svcOutils, svcAcces}},
	{"Café numérique", "<p>Venez avec vos questions et votre appareil, autour d'un café.</p>", []string{svcOutils, svcComprendre}},
	{"Créer et gérer sa boîte mail", "<p>Créer une adresse, envoyer une pièce jointe, trier ses messages.</p>", []string{svcOutils}},
	{"Atelier CV et candidature en ligne", "<p>Rédiger son CV, créer son espace France Travail, postuler en ligne.</p>", []string{svcInsertion}},
	{"Découverte de la tablette", "<p>Prise en main d'une tablette, prêt de matériel possible.</p>", []string{svcOutils, svcAcces}},
	{"Atelier photo numérique", "<p>Prendre, retoucher et partager ses photos.</p>", []string{svcLoisirs}},
	{"Initiation à l'impression 3D", "<p>De la modélisation à l'impression d'un premier objet.</p>", []string{svcLoisirs, svcComprendre}},
	{"Les écrans en famille", "<p>Temps d'écran, contrôle parental, réseaux sociaux : un atelier pour les parents.</p>", []string{svcParent}},
	{"Permanence Conseiller numérique", "<p>Accompagnement individuel sur rendez-vous ou sans, selon les places.</p>", []string{svcOutils, svcDemarches}},
	{"Atelier Mon Espace Santé", "<p>Activer et utiliser Mon Espace Santé, prendre un rendez-vous médical en ligne.</p>", []string{svcDemarches}},
	{"Repair café informatique", "<p>Réparer plutôt que jeter : diagnostic et petites réparations d'ordinateurs.</p>", []string{svcMateriel, svcAcces}},
	{"Comprendre l'intelligence artificielle", "<p>Qu'est-ce qu'une IA générative ? Usages, limites et bonnes pratiques.</p>", []string{svcComprendre}},
	{"Vente d'ordinateurs reconditionnés", "<p>Ordinateurs reconditionnés à prix solidaire, sur justificatif.</p>", []string{svcMateriel}},
	{"Atelier France Connect", "<p>Se connecter aux services publics avec FranceConnect en toute sécurité.</p>", []string{svcDemarches, svcSecurite}},
	{"Coding goûter", "<p>Programmer un petit jeu en famille avec Scratch.</p>", []string{svcParent, svcLoisirs}},
}

// startSlots are the usual start times of ateliers, in minutes after
// midnight, Paris time.
var startSlots = []int{9 * 60, 9*60 + 30, 10 * 60, 10*60 + 30, 11 * 60, 13*60 + 30, 14 * 60, 14*60 + 30, 15 * 60, 16 * 60}

// durations of ateliers, in minutes.
var durations = []int{60, 90, 120, 120, 180}

// recurringShare is the share of weekly recurring events, in thousandths.
const recurringShare = 20

var byDays = []string{"MO", "TU", "WE", "TH", "FR"}

// Events returns n events at the given places (ids of stored places),
// over the year that starts at start: about 2 % are weekly recurring
// ("FREQ=WEEKLY;BYDAY=…" with an UNTIL within the year or a COUNT), the
// others single ateliers and permanences of 1 to 3 hours between 9:00 and
// 18:00 Paris time, on weekdays mostly. The same seed gives the same
// events. They are normalised and have no id. Without places it returns
// nil.
func Events(placeIDs []string, n int, start time.Time, seed uint64) []*catalogue.Event {
	if n <= 0 || len(placeIDs) == 0 {
		return nil
	}
	r := newRand(seed, 2)
	start = start.In(catalogue.Paris)
	y, m, d := start.Date()
	day0 := time.Date(y, m, d, 0, 0, 0, 0, catalogue.Paris)
	end := day0.AddDate(1, 0, 0)
	events := make([]*catalogue.Event, 0, n)
	for range n {
		k := pick(r, eventKinds)
		e := &catalogue.Event{
			Nom:         k.nom,
			Description: k.description,
			Lieu:        pick(r, placeIDs),
			Services:    slices.Clone(k.services),
		}
		slot := pick(r, startSlots)
		length := pick(r, durations)
		if slot+length > 18*60 {
			length = 18*60 - slot
		}
		if r.IntN(1000) < recurringShare {
			// A weekly series from a weekday of the first weeks.
			wd := r.IntN(len(byDays))
			first := day0.AddDate(0, 0, 1+r.IntN(28))
			for first.Weekday() != time.Weekday(wd+1) {
				first = first.AddDate(0, 0, 1)
			}
			e.Debut = first.Add(time.Duration(slot) * time.Minute)
			if chance(r, 0.5) {
				until := end.AddDate(0, 0, -r.IntN(120)).UTC()
				e.Recurrence = "FREQ=WEEKLY;BYDAY=" + byDays[wd] + ";UNTIL=" + until.Format("20060102T150405Z")
			} else {
				e.Recurrence = fmt.Sprintf("FREQ=WEEKLY;BYDAY=%s;COUNT=%d", byDays[wd], 6+r.IntN(30))
			}
		} else {
			// Weekdays, and Saturday mornings now and then.
			var date time.Time
			for {
				date = day0.AddDate(0, 0, 1+r.IntN(365))
				wd := date.Weekday()
				if wd >= time.Monday && wd <= time.Friday {
					break
				}
				if wd == time.Saturday && chance(r, 0.15) {
					if slot >= 12*60 {
						slot = pick(r, startSlots[:5])
					}
					if slot+length > 12*60+30 {
						length = 12*60 + 30 - slot
					}
					break
				}
			}
			e.Debut = date.Add(time.Duration(slot) * time.Minute)
		}
		e.Fin = e.Debut.Add(time.Duration(length) * time.Minute)
		if chance(r, 0.2) {
			e.Publics = []string{pick(r, []string{"Seniors", "Jeunes", "Familles et/ou enfants", "Femmes", "Étudiants"})}
		}
		if chance(r, 0.6) {
			c := 6 + r.IntN(15)
			e.Capacite = &c
		}
		if chance(r, 0.3) {
			e.Inscription = fmt.Sprintf("https://www.example-inscriptions.fr/atelier/%d", 100000+r.IntN(900000))
		}
		e.Frais = []string{"Gratuit"}
		if chance(r, 0.05) {
			e.Frais = []string{"Payant"}
		}
		if chance(r, 0.03) {
			e.Statut = catalogue.StatusCancelled
		}
		e.Normalize()
		events = append(events, e)
	}
	return events
}

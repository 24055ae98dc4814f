package catalogue

// Departement is a French département: its code ("13", "2A", "971"), its
// name and the name of its region (the regions of 2016).
type Departement struct {
	Code, Name, Region string
}

// Departements lists every département in the order of the official list:
// metropolitan 01 to 95 (2A and 2B in place of 20), then the overseas 971
// to 974 and 976. Each overseas département is its own region.
var Departements = []Departement{
	{"01", "Ain", araRegion}, {"02", "Aisne", hdfRegion}, {"03", "Allier", araRegion},
	{"04", "Alpes-de-Haute-Provence", pacaRegion}, {"05", "Hautes-Alpes", pacaRegion},
	{"06", "Alpes-Maritimes", pacaRegion}, {"07", "Ardèche", araRegion}, {"08", "Ardennes", geRegion},
	{"09", "Ariège", occRegion}, {"10", "Aube", geRegion}, {"11", "Aude", occRegion},
	{"12", "Aveyron", occRegion}, {"13", "Bouches-du-Rhône", pacaRegion}, {"14", "Calvados", normRegion},
	{"15", "Cantal", araRegion}, {"16", "Charente", naqRegion}, {"17", "Charente-Maritime", naqRegion},
	{"18", "Cher", cvlRegion}, {"19", "Corrèze", naqRegion}, {"2A", "Corse-du-Sud", corseRegion},
	{"2B", "Haute-Corse", corseRegion}, {"21", "Côte-d'Or", bfcRegion}, {"22", "Côtes-d'Armor", bzhRegion},
	{"23", "Creuse", naqRegion}, {"24", "Dordogne", naqRegion}, {"25", "Doubs", bfcRegion},
	{"26", "Drôme", araRegion}, {"27", "Eure", normRegion}, {"28", "Eure-et-Loir", cvlRegion},
	{"29", "Finistère", bzhRegion}, {"30", "Gard", occRegion}, {"31", "Haute-Garonne", occRegion},
	{"32", "Gers", occRegion}, {"33", "Gironde", naqRegion}, {"34", "Hérault", occRegion},
	{"35", "Ille-et-Vilaine", bzhRegion}, {"36", "Indre", cvlRegion}, {"37", "Indre-et-Loire", cvlRegion},
	{"38", "Isère", araRegion}, {"39", "Jura", bfcRegion}, {"40", "Landes", naqRegion},
	{"41", "Loir-et-Cher", cvlRegion}, {"42", "Loire", araRegion}, {"43", "Haute-Loire", araRegion},
	{"44", "Loire-Atlantique", pdlRegion}, {"45", "Loiret", cvlRegion}, {"46", "Lot", occRegion},
	{"47", "Lot-et-Garonne", naqRegion}, {"48", "Lozère", occRegion}, {"49", "Maine-et-Loire", pdlRegion},
	{"50", "Manche", normRegion}, {"51", "Marne", geRegion}, {"52", "Haute-Marne", geRegion},
	{"53", "Mayenne", pdlRegion}, {"54", "Meurthe-et-Moselle", geRegion}, {"55", "Meuse", geRegion},
	{"56", "Morbihan", bzhRegion}, {"57", "Moselle", geRegion}, {"58", "Nièvre", bfcRegion},
	{"59", "Nord", hdfRegion}, {"60", "Oise", hdfRegion}, {"61", "Orne", normRegion},
	{"62", "Pas-de-Calais", hdfRegion}, {"63", "Puy-de-Dôme", araRegion},
	{"64", "Pyrénées-Atlantiques", naqRegion}, {"65", "Hautes-Pyrénées", occRegion},
	{"66", "Pyrénées-Orientales", occRegion}, {"67", "Bas-Rhin", geRegion}, {"68", "Haut-Rhin", geRegion},
	{"69", "Rhône", araRegion}, {"70", "Haute-Saône", bfcRegion}, {"71", "Saône-et-Loire", bfcRegion},
	{"72", "Sarthe", pdlRegion}, {"73", "Savoie", araRegion}, {"74", "Haute-Savoie", araRegion},
	{"75", "Paris", idfRegion}, {"76", "Seine-Maritime", normRegion}, {"77", "Seine-et-Marne", idfRegion},
	{"78", "Yvelines", idfRegion}, {"79", "Deux-Sèvres", naqRegion}, {"80", "Somme", hdfRegion},
	{"81", "Tarn", occRegion}, {"82", "Tarn-et-Garonne", occRegion}, {"83", "Var", pacaRegion},
	{"84", "Vaucluse", pacaRegion}, {"85", "Vendée", pdlRegion}, {"86", "Vienne", naqRegion},
	{"87", "Haute-Vienne", naqRegion}, {"88", "Vosges", geRegion}, {"89", "Yonne", bfcRegion},
	{"90", "Territoire de Belfort", bfcRegion}, {"91", "Essonne", idfRegion},
	{"92", "Hauts-de-Seine", idfRegion}, {"93", "Seine-Saint-Denis", idfRegion},
	{"94", "Val-de-Marne", idfRegion}, {"95", "Val-d'Oise", idfRegion},
	{"971", "Guadeloupe", "Guadeloupe"}, {"972", "Martinique", "Martinique"}, {"973", "Guyane", "Guyane"},
	{"974", "La Réunion", "La Réunion"}, {"976", "Mayotte", "Mayotte"},
}

const (
	araRegion   = "Auvergne-Rhône-Alpes"
	bfcRegion   = "Bourgogne-Franche-Comté"
	bzhRegion   = "Bretagne"
	cvlRegion   = "Centre-Val de Loire"
	corseRegion = "Corse"
	geRegion    = "Grand Est"
	hdfRegion   = "Hauts-de-France"
	idfRegion   = "Île-de-France"
	normRegion  = "Normandie"
	naqRegion   = "Nouvelle-Aquitaine"
	occRegion   = "Occitanie"
	pdlRegion   = "Pays de la Loire"
	pacaRegion  = "Provence-Alpes-Côte d'Azur"
)

var departementsByCode = func() map[string]Departement {
	m := make(map[string]Departement, len(Departements))
	for _, d := range Departements {
		m[d.Code] = d
	}
	return m
}()

// DepartementByCode returns the département of a code such as "13", "2A"
// or "971", and false for a code that names none (including the overseas
// collectivities 975, 977, 978 and 98x).
func DepartementByCode(code string) (Departement, bool) {
	d, ok := departementsByCode[code]
	return d, ok
}

package page

// french holds the words that every page shares, public or editors': the
// frame, dates and times, opening hours, the map, the form fields' names
// and the error pages. Each audience adds its own (see French).
var french = map[string]string{
	// Frame of every page.
	"layout.skip":        "Aller au contenu",
	"layout.description": "%s : où se faire aider avec le numérique près de chez soi. Lieux de médiation numérique, horaires, services gratuits ou payants, ateliers à venir.",
	"layout.tagline":     "Lieux et ateliers pour se faire aider avec le numérique",
	"layout.nav":         "Menu principal",
	"layout.feed":        "Prochains événements (Atom)",
	"layout.footer":      "%s, sur Maillage : l’annuaire partagé des lieux de médiation numérique.",
	"nav.places":         "Trouver un lieu",
	"nav.agenda":         "Agenda",
	"nav.orientation":    "Orienter une personne",
	"nav.networks":       "Réseaux",
	"nav.stats":          "Statistiques",
	"footer.skills":      "Qui sait faire ? (professionnels)",
	"footer.follow":      "Suivre ce réseau depuis Mastodon",
	"footer.csv":         "Télécharger les lieux (CSV)",
	"footer.atom":        "Fil des événements (Atom)",
	"footer.api":         "API ouverte",
	"form.problems":      "Certains critères sont à corriger",
	"copy.link":          "Copier le lien",
	"copy.handle":        "Copier l’adresse",
	"copy.done":          "Copié !",
	"pager.label":        "Pages de résultats",
	"pager.first":        "Revenir au début",
	"pager.next":         "Résultats suivants",

	// Dates and times.
	"weekday.0": "lundi", "weekday.1": "mardi", "weekday.2": "mercredi", "weekday.3": "jeudi",
	"weekday.4": "vendredi", "weekday.5": "samedi", "weekday.6": "dimanche",
	"weekday.plural.0": "lundis", "weekday.plural.1": "mardis", "weekday.plural.2": "mercredis",
	"weekday.plural.3": "jeudis", "weekday.plural.4": "vendredis", "weekday.plural.5": "samedis",
	"weekday.plural.6": "dimanches",
	"month.1":          "janvier", "month.2": "février", "month.3": "mars", "month.4": "avril",
	"month.5": "mai", "month.6": "juin", "month.7": "juillet", "month.8": "août",
	"month.9": "septembre", "month.10": "octobre", "month.11": "novembre", "month.12": "décembre",
	"ordinal.1": "premier", "ordinal.2": "deuxième", "ordinal.3": "troisième", "ordinal.4": "quatrième",
	"ordinal.5": "cinquième", "ordinal.-1": "dernier", "ordinal.-2": "avant-dernier",
	"list.and":      " et ",
	"date.long":     "%s %s %s %d",
	"date.daymonth": "%s %s %s",
	"date.first":    "1er",
	"time.hour":     "%d\u00a0h",
	"time.hourmin":  "%d\u00a0h\u00a0%02d",
	"time.midnight": "minuit",
	"time.range":    "%s – %s",
	"when.sameday":  "%s, %s",
	"when.span":     "du %s à %s au %s à %s",

	// Opening hours.
	"status.open":            "Ouvert",
	"status.open.today":      "Ouvert · ferme à %s",
	"status.open.tomorrow":   "Ouvert · ferme demain à %s",
	"status.open.day":        "Ouvert · ferme %s à %s",
	"status.closed":          "Fermé",
	"status.closed.today":    "Fermé · ouvre à %s",
	"status.closed.tomorrow": "Fermé · ouvre demain à %s",
	"status.closed.day":      "Fermé · ouvre %s à %s",
	"hours.caption":          "Horaires d’ouverture des sept prochains jours",
	"hours.today":            "(aujourd’hui)",
	"hours.holiday":          "(jour férié)",
	"hours.closed":           "fermé",

	// Map.
	"map.attribution": "© les contributeurs d’<a href=\"https://www.openstreetmap.org/copyright\">OpenStreetMap</a>",
	"map.label":       "Carte",
	"map.note":        "La liste présente les mêmes lieux que la carte.",
	"map.zoomin":      "Zoomer",
	"map.zoomout":     "Dézoomer",
	"map.marker":      "Voir le lieu",

	// Names of the form fields, in lists of problems.
	"field.q": "Quoi ?", "field.service": "Type d’aide", "field.ou": "Où ?", "field.near": "Où ?",
	"field.radius_km": "Distance", "field.public": "Pour qui ?", "field.label": "Labels et programmes",
	"field.frais": "Tarif", "field.quand": "Ouvert quand ?", "field.date": "Date", "field.heure": "Heure",
	"field.network": "Réseau", "field.departement": "Département", "field.typologie": "Type de lieu",
	"field.open_at": "Date", "field.cursor": "Page", "field.limit": "Nombre de résultats",
	"field.message": "Qu’est-ce qui est faux ?", "field.contact": "Votre adresse électronique",
	"field.du": "À partir du", "field.au": "Jusqu’au", "field.place": "Lieu", "field.from": "À partir du",
	"field.to": "Jusqu’au",

	// Errors.
	"error.notfound.title": "Page introuvable",
	"error.notfound.text":  "Cette page n’existe pas, ou plus : le lieu ou l’événement a peut-être été retiré.",
	"error.internal.title": "Erreur",
	"error.internal":       "Une erreur est survenue de notre côté. Réessayez dans un instant.",
	"error.home":           "Revenir à l’accueil",
}

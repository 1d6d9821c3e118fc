package vigie

// defaultTranslations are Vigie's own French and Spanish versions of the
// default framework (DefaultIndicators, DefaultRatings): name and rationale
// of each indicator, label and meaning of each rating.
var defaultTranslations = map[string]map[string][2]string{ // lang → kind:key → {name, text}
	"fr": {
		"indicator:age-of-consent": {"Âge du consentement",
			"L’âge en dessous duquel un enfant ne peut pas légalement consentir à une activité sexuelle fixe la limite que protège le droit pénal. Nous relevons cet âge en années et vérifions si la loi l’applique de la même façon aux filles et aux garçons, et à tout type d’acte sexuel."},
		"indicator:extraterritoriality-extradition": {"Extraterritorialité et extradition",
			"Les auteurs d’infractions voyagent. Nous examinons si les tribunaux nationaux peuvent juger les ressortissants et les résidents pour des infractions sexuelles commises contre des enfants à l’étranger, si l’acte doit aussi être un crime là où il a eu lieu, et si ces infractions peuvent donner lieu à extradition."},
		"indicator:csam-definition": {"Définition du matériel d’abus sexuel sur enfants",
			"Poursuivre le matériel d’abus sexuel sur enfants suppose que la loi le définisse bien. Nous vérifions que la définition couvre les représentations réelles et simulées, tous les formats, numériques et diffusés en direct compris, ainsi que la possession, la consultation et le partage, et pas seulement la production."},
		"indicator:background-check": {"Vérification obligatoire des antécédents",
			"Une personne condamnée pour des infractions sexuelles contre des enfants ne doit pas retrouver, par son travail, un accès aux enfants. Nous vérifions si les employeurs des écoles, des structures d’accueil, du sport et de secteurs semblables doivent contrôler le casier judiciaire des candidats."},
		"indicator:national-commitments": {"Engagements nationaux",
			"Les lois ont besoin de plans, de budgets et d’organismes pour être appliquées. Nous recherchons un plan d’action ou une stratégie nationale en vigueur qui nomme l’exploitation sexuelle des enfants et lui attribue des responsabilités et des moyens."},
		"indicator:child-advocacy-centers": {"Centres d’accueil des enfants victimes",
			"Un enfant qui révèle des violences devrait pouvoir raconter son histoire une seule fois, dans un lieu sûr, à des personnes formées à l’écoute. Nous relevons si des centres adaptés aux enfants réunissent sous un même toit police, parquet, santé et services sociaux."},
		"indicator:sec-police-unit": {"Unité de police spécialisée",
			"Enquêter sur l’exploitation sexuelle des enfants, en ligne comme hors ligne, demande des compétences particulières. Nous vérifions si la police dispose d’une unité dédiée, avec des agents formés et un mandat qui couvre ces crimes."},
		"indicator:travel-tourism-standards": {"Normes de protection dans les voyages et le tourisme",
			"Les hôtels, les voyagistes et les transports peuvent prévenir l’exploitation ou la faciliter. Nous recherchons des normes contraignantes ou des codes de conduite qui obligent le secteur à former son personnel, à signaler les soupçons et à protéger les enfants."},
		"indicator:public-case-data": {"Données publiques sur les affaires",
			"Ce qui n’est pas compté n’est pas traité. Nous vérifions si l’État publie des chiffres sur les signalements, les poursuites et les condamnations pour exploitation sexuelle des enfants, assez détaillés pour suivre les tendances."},
		"rating:yes":              {"Oui", "La loi ou l’institution répond à la norme."},
		"rating:partial":          {"Partiel", "La norme n’est respectée qu’en partie ; l’explication dit ce qui manque."},
		"rating:no":               {"Non", "La norme n’est pas respectée."},
		"rating:no-data":          {"Pas de données", "Les chercheurs ont cherché cette information et n’ont rien trouvé."},
		"rating:not-rated":        {"Évalué, sans note", "Une analyse existe, mais aucune note n’a encore été attribuée."},
		"rating:not-yet-assessed": {"Pas encore évalué", "Personne n’a encore évalué cet indicateur pour ce pays."},
	},
	"es": {
		"indicator:age-of-consent": {"Edad de consentimiento",
			"La edad por debajo de la cual un niño o una niña no puede consentir legalmente una actividad sexual marca el límite que protege el derecho penal. Registramos esa edad en años y si la ley la aplica por igual a niñas y niños y a todo tipo de acto sexual."},
		"indicator:extraterritoriality-extradition": {"Extraterritorialidad y extradición",
			"Los agresores viajan. Examinamos si los tribunales nacionales pueden juzgar a nacionales y residentes por delitos sexuales contra niños cometidos en el extranjero, si el hecho también debe ser delito donde ocurrió y si esos delitos permiten la extradición."},
		"indicator:csam-definition": {"Definición de material de abuso sexual infantil",
			"Perseguir el material de abuso sexual infantil depende de cómo lo defina la ley. Comprobamos que la definición abarque representaciones reales y simuladas, todos los formatos, incluidos los digitales y las transmisiones en directo, y la posesión, la visualización y la difusión, no solo la producción."},
		"indicator:background-check": {"Verificación obligatoria de antecedentes",
			"Quien ha sido condenado por delitos sexuales contra niños no debería volver a acceder a ellos a través del trabajo. Comprobamos si los empleadores de escuelas, centros de cuidado, clubes deportivos y ámbitos similares deben consultar los antecedentes penales de quienes solicitan el puesto."},
		"indicator:national-commitments": {"Compromisos nacionales",
			"Las leyes necesitan planes, presupuestos e instituciones que las hagan cumplir. Buscamos un plan de acción o una estrategia nacional vigente que nombre la explotación sexual infantil y le asigne responsables y recursos."},
		"indicator:child-advocacy-centers": {"Centros de atención a niños víctimas",
			"Un niño que revela un abuso debería contar lo ocurrido una sola vez, en un lugar seguro, a personas formadas para escucharle. Registramos si existen centros adaptados a la infancia que reúnan bajo un mismo techo a la policía, la fiscalía y los servicios de salud y sociales."},
		"indicator:sec-police-unit": {"Unidad policial especializada",
			"Investigar la explotación sexual infantil, en línea y fuera de ella, exige conocimientos especializados. Comprobamos si la policía cuenta con una unidad dedicada, con agentes formados y un mandato que cubra estos delitos."},
		"indicator:travel-tourism-standards": {"Normas de protección en viajes y turismo",
			"Los hoteles, los operadores turísticos y el transporte pueden prevenir la explotación o facilitarla. Buscamos normas vinculantes o códigos de conducta que obliguen al sector a formar a su personal, comunicar las sospechas y proteger a los niños."},
		"indicator:public-case-data": {"Datos públicos sobre casos",
			"Lo que no se cuenta no se atiende. Comprobamos si el Estado publica cifras de casos denunciados, procesos y condenas por explotación sexual infantil, con el detalle suficiente para seguir su evolución."},
		"rating:yes":              {"Sí", "La ley o la institución cumple la norma."},
		"rating:partial":          {"Parcial", "La norma se cumple en parte; la explicación indica lo que falta."},
		"rating:no":               {"No", "La norma no se cumple."},
		"rating:no-data":          {"Sin datos", "El equipo de investigación buscó esta información y no encontró nada."},
		"rating:not-rated":        {"Evaluado, sin calificación", "Existe un análisis, pero todavía no se le ha dado una calificación."},
		"rating:not-yet-assessed": {"Aún no evaluado", "Nadie ha evaluado todavía este indicador para este país."},
	},
}

// DefaultTranslations are the French and Spanish translations a new
// database starts with: the default framework's indicator names and
// rationales and the rating scale's labels and meanings, each marked as
// translating the default English text.
func DefaultTranslations() []Translation {
	var out []Translation
	add := func(kind, key string, fields [2]string, sources [2]string) {
		for _, lang := range TargetLanguages {
			tr, ok := defaultTranslations[lang][kind+":"+key]
			if !ok {
				continue
			}
			for i, field := range fields {
				out = append(out, Translation{Kind: kind, Key: key, Field: field, Lang: lang,
					Text: tr[i], SourceVersion: SourceVersion(sources[i]), UpdatedBy: "vigie"})
			}
		}
	}
	for _, ind := range DefaultIndicators() {
		add(KindIndicator, ind.Key, [2]string{"name", "rationale"}, [2]string{ind.Name, ind.Rationale})
	}
	for _, r := range DefaultRatings() {
		add(KindRating, r.Key, [2]string{"label", "meaning"}, [2]string{r.Label, r.Meaning})
	}
	return out
}

"""Sentence templates and page furniture per language, written for the benchmark corpus.

Slots: {company}, {other} (a second company), {plant}, {city}, {n} (vehicles), {pct},
{money}, {emp} (people), {month}, {year}, {k} (a number of months).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    """Everything needed to write one article in one language."""

    code: str
    months: tuple[str, ...]
    thousands: str
    decimal: str
    percent: str  # format with {v}
    money: str  # format with {v} (millions of euros)
    titles: tuple[str, ...]
    facts: tuple[str, ...]
    context: tuple[str, ...]
    openers: tuple[str, ...]
    site: str
    tagline: str
    nav: tuple[str, ...]
    cookie_title: str
    cookie_text: str
    cookie_accept: str
    related: str
    most_read: str
    comments: str
    comments_text: str
    footer: str
    authors: tuple[str, ...]


NL = Language(
    code="nl",
    months=(
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    thousands=".",
    decimal=",",
    percent="{v} procent",
    money="{v} miljoen euro",
    titles=(
        "{company} zet groei voort in {month}",
        "{plant} krijgt nieuwe investering",
        "Verkoop van {company} stijgt met {pct}",
        "{company} mikt op meer export",
        "Vakbonden ongerust over toekomst van {plant}",
    ),
    facts=(
        "{company} verkocht in {month} {year} {n} wagens, {pct} meer dan een jaar eerder.",
        "De fabriek van {company} in {city} bouwde in de eerste {k} maanden van {year} "
        "{n} voertuigen.",
        "{company} investeert {money} in {plant}.",
        "In {plant} werken momenteel {emp} mensen.",
        "Het marktaandeel van {company} steeg in {month} tot {pct}.",
        "De export van {company} klom in {month} {year} tot {n} voertuigen, een stijging met "
        "{pct} op jaarbasis.",
        "{company} boekte in het derde kwartaal van {year} een omzet van {money}.",
        "In {month} werden {n} nieuwe wagens van {company} ingeschreven.",
        "{other} leverde in {year} in totaal {n} elektrische wagens af.",
    ),
    context=(
        "De vraag naar elektrische wagens blijft in Europa ongelijk verdeeld.",
        "Analisten verwachten dat de concurrentie van Chinese merken de komende maanden "
        "verder toeneemt.",
        "{company} wil tegen het einde van het decennium enkel nog elektrische modellen aanbieden.",
        "De vakbonden vragen duidelijkheid over de toekomst van {plant}.",
        "Dealers merken dat klanten langer twijfelen voor ze een nieuwe wagen bestellen.",
        "De leveringstermijnen zijn intussen weer genormaliseerd.",
        "De prijs van batterijen weegt zwaar op de kostprijs van een elektrische wagen.",
        "Volgens de directie is de orderportefeuille goed gevuld tot in het voorjaar.",
        "De Europese invoerheffingen op Chinese elektrische wagens zetten de marges onder druk.",
        "Leasemaatschappijen blijven de belangrijkste klanten voor de nieuwe modellen.",
        "Het bedrijf bevestigde dat er geen banen verdwijnen in {city}.",
        "Een woordvoerder van {company} wilde niet reageren op de geruchten over {other}.",
        "De samenwerking met {other} moet de ontwikkelingskosten drukken.",
        "Lokale politici hopen dat de fabriek in {city} een nieuw model krijgt toegewezen.",
    ),
    openers=("Bovendien", "Intussen", "Tegelijk", "Daarnaast", "Volgens ingewijden"),
    site="Autokroniek",
    tagline="Vakblad voor mobiliteit en autohandel",
    nav=("Voorpagina", "Markt", "Industrie", "Fleet", "Elektrisch rijden", "Agenda"),
    cookie_title="Wij gebruiken cookies",
    cookie_text="Wij plaatsen cookies om het verkeer op de site te analyseren en advertenties "
    "te tonen. U kunt uw voorkeuren op elk moment aanpassen.",
    cookie_accept="Alles aanvaarden",
    related="Lees ook",
    most_read="Meest gelezen",
    comments="Reacties",
    comments_text="Log in om te reageren op dit artikel.",
    footer="Over ons · Contact · Adverteren · Privacybeleid · © Autokroniek bv",
    authors=("Lotte Peeters", "Jan De Smet", "Sofie Claes", "Pieter Janssens"),
)

FR = Language(
    code="fr",
    months=(
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    thousands="\u202f",
    decimal=",",
    percent="{v} %",
    money="{v} millions d'euros",
    titles=(
        "{company} poursuit sa croissance en {month}",
        "Nouvel investissement pour {plant}",
        "Les ventes de {company} progressent de {pct}",
        "{company} mise sur l'exportation",
        "Inquiétude syndicale autour de {plant}",
    ),
    facts=(
        "{company} a vendu {n} véhicules en {month} {year}, soit {pct} de plus qu'un an plus tôt.",
        "L'usine de {company} à {city} a assemblé {n} véhicules au cours des {k} premiers "
        "mois de {year}.",
        "{company} investit {money} dans {plant}.",
        "Le site {plant} emploie actuellement {emp} personnes.",
        "La part de marché de {company} a atteint {pct} en {month}.",
        "Les exportations de {company} ont grimpé à {n} véhicules en {month} {year}, en "
        "hausse de {pct} sur un an.",
        "{company} a réalisé un chiffre d'affaires de {money} au troisième trimestre {year}.",
        "En {month}, {n} voitures neuves de {company} ont été immatriculées.",
        "{other} a livré au total {n} voitures électriques en {year}.",
    ),
    context=(
        "La demande de voitures électriques reste inégale en Europe.",
        "Les analystes s'attendent à ce que la concurrence des marques chinoises "
        "s'intensifie dans les prochains mois.",
        "{company} veut ne proposer que des modèles électriques d'ici la fin de la décennie.",
        "Les syndicats réclament de la clarté sur l'avenir de {plant}.",
        "Les concessionnaires constatent que les clients hésitent plus longtemps avant de "
        "commander.",
        "Les délais de livraison sont revenus à la normale.",
        "Le prix des batteries pèse lourd dans le coût d'une voiture électrique.",
        "Selon la direction, le carnet de commandes est rempli jusqu'au printemps.",
        "Les droits de douane européens sur les voitures électriques chinoises pèsent sur "
        "les marges.",
        "Les sociétés de leasing restent les principaux clients des nouveaux modèles.",
        "L'entreprise a confirmé qu'aucun emploi ne serait supprimé à {city}.",
        "Un porte-parole de {company} n'a pas souhaité commenter les rumeurs concernant {other}.",
        "Le partenariat avec {other} doit réduire les coûts de développement.",
        "Les élus locaux espèrent que l'usine de {city} se verra attribuer un nouveau modèle.",
    ),
    openers=("Par ailleurs", "Entre-temps", "En parallèle", "De plus", "Selon nos informations"),
    site="Le Journal de l'Auto",
    tagline="L'actualité de l'industrie automobile",
    nav=("Accueil", "Marché", "Industrie", "Flottes", "Électrique", "Agenda"),
    cookie_title="Nous utilisons des cookies",
    cookie_text="Nous déposons des cookies pour mesurer l'audience du site et afficher des "
    "publicités. Vous pouvez modifier vos choix à tout moment.",
    cookie_accept="Tout accepter",
    related="À lire aussi",
    most_read="Les plus lus",
    comments="Commentaires",
    comments_text="Connectez-vous pour commenter cet article.",
    footer="Qui sommes-nous · Contact · Publicité · Confidentialité · © Journal de l'Auto SA",
    authors=("Claire Dubois", "Marc Lefèvre", "Julie Martin", "Thomas Laurent"),
)

DE = Language(
    code="de",
    months=(
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    thousands=".",
    decimal=",",
    percent="{v} Prozent",
    money="{v} Millionen Euro",
    titles=(
        "{company} wächst auch im {month}",
        "Neue Investition für {plant}",
        "Absatz von {company} steigt um {pct}",
        "{company} setzt auf den Export",
        "Betriebsrat sorgt sich um {plant}",
    ),
    facts=(
        "{company} verkaufte im {month} {year} {n} Fahrzeuge, {pct} mehr als ein Jahr zuvor.",
        "Das Werk von {company} in {city} baute in den ersten {k} Monaten {year} {n} Fahrzeuge.",
        "{company} investiert {money} in {plant}.",
        "In {plant} arbeiten derzeit {emp} Beschäftigte.",
        "Der Marktanteil von {company} stieg im {month} auf {pct}.",
        "Die Exporte von {company} kletterten im {month} {year} auf {n} Fahrzeuge, ein Plus "
        "von {pct} gegenüber dem Vorjahr.",
        "{company} erzielte im dritten Quartal {year} einen Umsatz von {money}.",
        "Im {month} wurden {n} neue Autos von {company} zugelassen.",
        "{other} lieferte {year} insgesamt {n} Elektroautos aus.",
    ),
    context=(
        "Die Nachfrage nach Elektroautos bleibt in Europa ungleich verteilt.",
        "Analysten erwarten, dass der Wettbewerb durch chinesische Marken in den kommenden "
        "Monaten zunimmt.",
        "{company} will bis zum Ende des Jahrzehnts nur noch Elektromodelle anbieten.",
        "Die Gewerkschaft fordert Klarheit über die Zukunft von {plant}.",
        "Händler berichten, dass Kunden länger zögern, bevor sie ein neues Auto bestellen.",
        "Die Lieferzeiten haben sich inzwischen normalisiert.",
        "Der Preis der Batterien bestimmt einen großen Teil der Kosten eines Elektroautos.",
        "Nach Angaben der Geschäftsführung sind die Auftragsbücher bis zum Frühjahr gefüllt.",
        "Die europäischen Zölle auf chinesische Elektroautos drücken auf die Margen.",
        "Leasinggesellschaften bleiben die wichtigsten Kunden der neuen Modelle.",
        "Das Unternehmen bestätigte, dass in {city} keine Stellen wegfallen.",
        "Ein Sprecher von {company} wollte die Gerüchte über {other} nicht kommentieren.",
        "Die Zusammenarbeit mit {other} soll die Entwicklungskosten senken.",
        "Lokalpolitiker hoffen, dass das Werk in {city} ein neues Modell erhält.",
    ),
    openers=("Außerdem", "Inzwischen", "Zugleich", "Darüber hinaus", "Nach Informationen"),
    site="Autowelt Aktuell",
    tagline="Nachrichten aus der Automobilindustrie",
    nav=("Startseite", "Markt", "Industrie", "Flotten", "Elektromobilität", "Termine"),
    cookie_title="Wir verwenden Cookies",
    cookie_text="Wir setzen Cookies ein, um die Nutzung der Website zu analysieren und "
    "Werbung anzuzeigen. Sie können Ihre Auswahl jederzeit ändern.",
    cookie_accept="Alle akzeptieren",
    related="Mehr zum Thema",
    most_read="Meistgelesen",
    comments="Kommentare",
    comments_text="Melden Sie sich an, um diesen Artikel zu kommentieren.",
    footer="Über uns · Kontakt · Werbung · Datenschutz · © Autowelt Verlag GmbH",
    authors=("Anna Schneider", "Markus Weber", "Laura Fischer", "Stefan Becker"),
)

EN = Language(
    code="en",
    months=(
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    thousands=",",
    decimal=".",
    percent="{v}%",
    money="€{v} million",
    titles=(
        "{company} keeps growing in {month}",
        "New investment for {plant}",
        "{company} sales up {pct}",
        "{company} bets on exports",
        "Unions worried about the future of {plant}",
    ),
    facts=(
        "{company} sold {n} vehicles in {month} {year}, {pct} more than a year earlier.",
        "The {company} factory in {city} built {n} vehicles in the first {k} months of {year}.",
        "{company} is investing {money} in {plant}.",
        "{plant} currently employs {emp} people.",
        "The market share of {company} rose to {pct} in {month}.",
        "Exports by {company} climbed to {n} vehicles in {month} {year}, up {pct} year on year.",
        "{company} reported revenue of {money} in the third quarter of {year}.",
        "In {month}, {n} new {company} cars were registered.",
        "{other} delivered a total of {n} electric cars in {year}.",
    ),
    context=(
        "Demand for electric cars remains uneven across Europe.",
        "Analysts expect competition from Chinese brands to intensify in the coming months.",
        "{company} wants to offer only electric models by the end of the decade.",
        "Unions are asking for clarity about the future of {plant}.",
        "Dealers say customers hesitate longer before ordering a new car.",
        "Delivery times have returned to normal.",
        "The price of batteries weighs heavily on the cost of an electric car.",
        "According to management, the order book is full until the spring.",
        "European tariffs on Chinese electric cars are squeezing margins.",
        "Leasing companies remain the main customers for the new models.",
        "The company confirmed that no jobs will be cut in {city}.",
        "A spokesperson for {company} declined to comment on rumours about {other}.",
        "The partnership with {other} is meant to lower development costs.",
        "Local politicians hope the plant in {city} will be allocated a new model.",
    ),
    openers=("Moreover", "Meanwhile", "At the same time", "In addition", "According to sources"),
    site="Motor Industry Weekly",
    tagline="News from the car industry",
    nav=("Home", "Market", "Industry", "Fleet", "Electric", "Events"),
    cookie_title="We use cookies",
    cookie_text="We use cookies to analyse traffic on this site and to show advertising. You "
    "can change your choices at any time.",
    cookie_accept="Accept all",
    related="Related",
    most_read="Most read",
    comments="Comments",
    comments_text="Sign in to comment on this article.",
    footer="About us · Contact · Advertise · Privacy · © Motor Industry Weekly Ltd",
    authors=("Emma Clarke", "James Walker", "Olivia Harris", "Daniel Wright"),
)

LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (NL, FR, DE, EN)}

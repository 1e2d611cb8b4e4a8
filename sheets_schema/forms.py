"""The two public forms, a request for help and an offer of help, in every language.

One definition per form replaces the four copied forms of March 2020: the web
forms, the Google Forms, the intake tabs' headers and the Apps Script are all
generated from REQUEST_FORM and OFFER_FORM. Each question answers a canonical
field id, the same ids the intake API accepts.

Rules spanning several questions live in intake validation, not here:
- a phone number or an e-mail address is required (at least one of the two);
- needed_count is asked only of organisations (collective tasks).
"""

from __future__ import annotations

from .choices import (  # re-exported: the forms' choice lists
    AVAILABILITY_CHOICES,
    CHANNEL_CHOICES,
    LANGUAGE_CHOICES,
    TRANSPORT_CHOICES,
)
from .fields import Choice, ColumnType, Form, Labels, Question, nl_en_fr
from .tasks import TASK_CHOICES

__all__ = [
    "AVAILABILITY_CHOICES", "CHANNEL_CHOICES", "FIELD_IDS", "FORMS",
    "FORM_PRIVACY_NOTICE", "LANGUAGE_CHOICES", "OFFER_FORM", "PARTNER_SHARING_NOTICE",
    "REQUEST_FORM", "TASK_CHOICES", "TRANSPORT_CHOICES", "form",
]

# Every field a form may answer. The intake API accepts exactly these.
FIELD_IDS: tuple[str, ...] = (
    "full_name", "phone", "email", "street", "postcode", "languages", "tasks",
    "transport", "availability", "profile_ok", "consent_privacy",
    "consent_partners", "details", "needed_count", "organisation", "on_behalf_of",
)



def _q(field_id: str, type_: ColumnType, labels: Labels, help_: Labels, *,
       required: bool = False, choices: tuple[Choice, ...] = (),
       personal: bool = False, max_length: int = 500) -> Question:
    assert field_id in FIELD_IDS, field_id
    return Question(field_id, type_, labels, help_, required=required, choices=choices,
                    personal=personal, max_length=max_length)


FORM_PRIVACY_NOTICE: Labels = nl_en_fr(
    "Stad Leuven is verantwoordelijk voor de verwerking van je gegevens. We gebruiken ze "
    "alleen om hulpvragen en vrijwilligers bij elkaar te brengen en om je daarover te "
    "contacteren, en (zonder namen) voor tellingen. Alleen de coördinatoren van de "
    "hulplijn zien al je gegevens. Vraag je hulp, dan krijgt de vrijwilliger die je vraag "
    "aanvaardt je voornaam, telefoon, adres en wat je schreef; bied je hulp aan, dan hoort "
    "wie je helpt je voornaam. Ze worden gewist zodra de crisis voorbij is. Je mag je "
    "gegevens altijd inkijken, laten verbeteren of laten wissen, en je kunt je "
    "toestemming intrekken: neem contact op met de hulplijn. Een klacht kan bij de "
    "Gegevensbeschermingsautoriteit.",
    "The City of Leuven is responsible for processing your data. We use it only to match "
    "requests for help with volunteers and to contact you about that, and (without names) "
    "for counts. Only the help desk's coordinators see all your data. If you ask for help, the "
    "volunteer who accepts your request receives your first name, phone, address and what you "
    "wrote; if you offer help, the person you help hears your first name. It is deleted as soon as "
    "the crisis is over. You may always see, correct or delete your data, and withdraw "
    "your consent: contact the help desk. You can complain to the Data Protection "
    "Authority.",
    "La Ville de Louvain est responsable du traitement de vos données. Nous les utilisons "
    "uniquement pour mettre en relation demandes d'aide et bénévoles et pour vous "
    "contacter à ce sujet, et (sans noms) pour des statistiques. Seuls les coordinateurs "
    "de la ligne d'aide voient toutes vos données. Si vous demandez de l'aide, le bénévole qui "
    "accepte votre demande reçoit votre prénom, téléphone, adresse et ce que vous avez écrit ; "
    "si vous proposez votre aide, la personne aidée apprend votre prénom. Elles sont effacées dès la fin de la crise. "
    "Vous pouvez toujours consulter, corriger ou effacer vos données, et retirer votre "
    "consentement : contactez la ligne d'aide. Vous pouvez porter plainte auprès de "
    "l'Autorité de protection des données.",
)

# What a volunteer agrees to share, and with whom. Kept apart from the privacy
# consent: a volunteer can help through the city without agreeing to this.
PARTNER_SHARING_NOTICE: Labels = nl_en_fr(
    "Als je toestemming geeft, geven we je naam, telefoonnummer, buurt (postcode), taken "
    "en talen door aan partners die vrijwilligers inzetten in jouw buurt: "
    "buurtnetwerken, jeugdbewegingen en studentenvoorzieningen. Pas nadat een "
    "coördinator je heeft goedgekeurd. Zij gebruiken ze alleen om je te vragen voor een "
    "taak.",
    "If you agree, we pass your name, phone number, area (postcode), tasks and languages "
    "to partners who organise volunteers in your area: neighbourhood networks, youth "
    "movements and student services. Only after a coordinator has approved you. They use "
    "them only to ask you for a task.",
    "Si vous êtes d'accord, nous transmettons votre nom, votre numéro de téléphone, votre "
    "quartier (code postal), vos tâches et vos langues aux partenaires qui mobilisent des "
    "bénévoles dans votre quartier : réseaux de quartier, mouvements de jeunesse et "
    "services aux étudiants. Seulement après l'approbation d'un coordinateur. Ils ne les "
    "utilisent que pour vous proposer une tâche.",
)

# --- questions both forms share --------------------------------------------

_PHONE = _q("phone", "phone", nl_en_fr("Telefoonnummer", "Phone number", "Numéro de téléphone"),
            nl_en_fr("Of een e-mailadres hieronder: één van beide is genoeg.",
               "Or an e-mail address below: one of the two is enough.",
               "Ou une adresse e-mail ci-dessous : l'un des deux suffit."),
            personal=True, max_length=30)
_EMAIL = _q("email", "email", nl_en_fr("E-mailadres", "E-mail address", "Adresse e-mail"),
            nl_en_fr("Niet verplicht als je een telefoonnummer invult.",
               "Not needed if you give a phone number.",
               "Pas nécessaire si vous indiquez un numéro de téléphone."),
            personal=True, max_length=254)
_POSTCODE = _q("postcode", "postcode", nl_en_fr("Postcode", "Postcode", "Code postal"),
               nl_en_fr("Vier cijfers, bijvoorbeeld 3010 voor Kessel-Lo.",
                  "Four digits, for example 3010 for Kessel-Lo.",
                  "Quatre chiffres, par exemple 3010 pour Kessel-Lo."),
               required=True, max_length=10)
_CONSENT_PRIVACY = _q(
    "consent_privacy", "bool",
    nl_en_fr("Ik ga akkoord met de verwerking van mijn gegevens zoals hieronder beschreven",
       "I agree to my data being processed as described below",
       "J'accepte le traitement de mes données tel que décrit ci-dessous"),
    FORM_PRIVACY_NOTICE, required=True)

_ADDRESS_HELP = nl_en_fr(
    "Straat en huisnummer: waar de vrijwilliger naartoe komt.",
    "Street and house number: where the volunteer comes to.",
    "Rue et numéro : là où vient le bénévole.",
)

# --- the request form -------------------------------------------------------

REQUEST_FORM = Form(
    id="request",
    titles=nl_en_fr("Ik heb hulp nodig", "I need help", "J'ai besoin d'aide"),
    intro=nl_en_fr(
        "Zit je in quarantaine, behoor je tot een risicogroep of kun je even niet buiten? "
        "Een vrijwilliger uit je buurt helpt je, zonder contact. Je kunt dit ook voor iemand "
        "anders invullen.",
        "In quarantine, in a risk group, or unable to go out for a while? A volunteer from "
        "your area will help you, without contact. You can also fill this in for someone else.",
        "En quarantaine, dans un groupe à risque ou dans l'impossibilité de sortir ? Un "
        "bénévole de votre quartier vous aide, sans contact. Vous pouvez aussi remplir ce "
        "formulaire pour quelqu'un d'autre.",
    ),
    questions=(
        _q("full_name", "text",
           nl_en_fr("Naam van wie hulp nodig heeft", "Name of the person who needs help",
              "Nom de la personne qui a besoin d'aide"),
           nl_en_fr("Voornaam en achternaam.", "First name and surname.", "Prénom et nom."),
           required=True, personal=True, max_length=100),
        _PHONE,
        _EMAIL,
        _q("street", "text", nl_en_fr("Adres", "Address", "Adresse"), _ADDRESS_HELP,
           personal=True, max_length=150),
        _POSTCODE,
        _q("languages", "list",
           nl_en_fr("Welke talen spreek je?", "Which languages do you speak?", "Quelles langues parlez-vous ?"),
           nl_en_fr("Zo zoeken we iemand die je goed begrijpt.",
              "So we find someone who understands you well.",
              "Pour trouver quelqu'un qui vous comprend bien."),
           required=True, choices=LANGUAGE_CHOICES),
        _q("tasks", "list",
           nl_en_fr("Waarmee kunnen we helpen?", "What can we help with?", "Comment pouvons-nous aider ?"),
           nl_en_fr("Kies een of meer taken.", "Choose one or more tasks.", "Choisissez une ou plusieurs tâches."),
           required=True, choices=TASK_CHOICES),
        _q("details", "longtext",
           nl_en_fr("Meer uitleg", "More details", "Plus de détails"),
           nl_en_fr("Bv. het boodschappenlijstje, hoe groot de hond is. Geen medische gegevens.",
              "E.g. the shopping list, how big the dog is. No medical details.",
              "P. ex. la liste de courses, la taille du chien. Pas de données médicales."),
           personal=True, max_length=1000),  # free text about a person: purged
        _q("availability", "list",
           nl_en_fr("Wanneer past de hulp het best?", "When would help suit you best?",
              "Quand l'aide vous convient-elle le mieux ?"),
           nl_en_fr("Kruis alles aan wat past.", "Tick all that apply.", "Cochez tout ce qui convient."),
           choices=AVAILABILITY_CHOICES),
        _q("on_behalf_of", "text",
           nl_en_fr("Vul je dit in voor iemand anders? Jouw naam en telefoonnummer",
              "Filling this in for someone else? Your name and phone number",
              "Vous remplissez pour quelqu'un d'autre ? Votre nom et téléphone"),
           nl_en_fr("Bijvoorbeeld een buur, familielid of hulpverlener. Laat leeg als de hulp voor jezelf is.",
              "For example a neighbour, relative or care worker. Leave empty if the help is for yourself.",
              "Par exemple un voisin, un proche ou un soignant. Laissez vide si l'aide est pour vous."),
           personal=True, max_length=150),
        _q("organisation", "text",
           nl_en_fr("Organisatie (alleen voor organisaties)", "Organisation (organisations only)",
              "Organisation (uniquement pour les organisations)"),
           nl_en_fr("Een woonzorgcentrum, voedselbank of ziekenhuis dat vrijwilligers zoekt.",
              "A care home, food bank or hospital looking for volunteers.",
              "Une maison de repos, banque alimentaire ou un hôpital qui cherche des bénévoles."),
           max_length=150),
        _q("needed_count", "number",
           nl_en_fr("Hoeveel vrijwilligers zoekt de organisatie?", "How many volunteers does the organisation need?",
              "De combien de bénévoles l'organisation a-t-elle besoin ?"),
           nl_en_fr("Alleen voor organisaties: een getal, bijvoorbeeld 5.",
              "Organisations only: a number, for example 5.",
              "Uniquement pour les organisations : un nombre, par exemple 5."),
           max_length=4),
        _CONSENT_PRIVACY,
    ),
)

# --- the offer form ---------------------------------------------------------

OFFER_FORM = Form(
    id="offer",
    titles=nl_en_fr("Ik wil helpen", "I want to help", "Je veux aider"),
    intro=nl_en_fr(
        "Fijn dat je wilt helpen! Vul dit formulier één keer in, ook als je meerdere taken "
        "wilt doen. Een coördinator neemt contact met je op zodra iemand in je buurt je "
        "hulp kan gebruiken.",
        "Thank you for wanting to help! Fill in this form once, even if you want to do "
        "several tasks. A coordinator will contact you as soon as someone in your area "
        "needs your help.",
        "Merci de vouloir aider ! Remplissez ce formulaire une seule fois, même pour "
        "plusieurs tâches. Un coordinateur vous contactera dès que quelqu'un de votre "
        "quartier aura besoin de vous.",
    ),
    questions=(
        _q("full_name", "text", nl_en_fr("Naam", "Name", "Nom"),
           nl_en_fr("Voornaam en achternaam.", "First name and surname.", "Prénom et nom."),
           required=True, personal=True, max_length=100),
        _PHONE,
        _EMAIL,
        _q("street", "text", nl_en_fr("Adres", "Address", "Adresse"),
           nl_en_fr("Straat en huisnummer. We geven je adres aan niemand door.",
              "Street and house number. We do not pass your address on to anyone.",
              "Rue et numéro. Nous ne transmettons votre adresse à personne."),
           personal=True, max_length=150),
        _POSTCODE,
        _q("languages", "list",
           nl_en_fr("Welke talen spreek je?", "Which languages do you speak?", "Quelles langues parlez-vous ?"),
           nl_en_fr("Kruis alle talen aan waarin je een gesprek kunt voeren.",
              "Tick every language you can hold a conversation in.",
              "Cochez toutes les langues dans lesquelles vous pouvez tenir une conversation."),
           required=True, choices=LANGUAGE_CHOICES),
        _q("tasks", "list",
           nl_en_fr("Wat wil je doen?", "What would you like to do?", "Que souhaitez-vous faire ?"),
           nl_en_fr("Kies een of meer taken. Taken van thuis uit staan voor iedereen open.",
              "Choose one or more tasks. Tasks done from home are open to everyone.",
              "Choisissez une ou plusieurs tâches. Les tâches depuis chez soi sont ouvertes à tous."),
           required=True, choices=TASK_CHOICES),
        _q("transport", "list",
           nl_en_fr("Hoe verplaats je je?", "How do you get around?", "Comment vous déplacez-vous ?"),
           nl_en_fr("Voor boodschappen en maaltijden is een auto of bakfiets nodig.",
              "Groceries and meal delivery need a car or cargo bike.",
              "Les courses et la livraison de repas demandent une voiture ou un vélo cargo."),
           choices=TRANSPORT_CHOICES),
        _q("availability", "list",
           nl_en_fr("Wanneer ben je beschikbaar?", "When are you available?", "Quand êtes-vous disponible ?"),
           nl_en_fr("Kruis alles aan wat past.", "Tick all that apply.", "Cochez tout ce qui convient."),
           choices=AVAILABILITY_CHOICES),
        # One declaration, never health details. Not required: someone outside
        # the profile can still do the tasks from home.
        _q("profile_ok", "bool",
           nl_en_fr("Ik ben tussen 16 en 60 jaar, gezond, zonder symptomen en behoor niet tot een risicogroep",
              "I am between 16 and 60, healthy, without symptoms and not in a risk group",
              "J'ai entre 16 et 60 ans, je suis en bonne santé, sans symptômes et pas dans un groupe à risque"),
           nl_en_fr("Nodig voor taken aan huis. Vink niet aan als dit niet (meer) klopt; van thuis uit kun je altijd "
                    "helpen.",
              "Needed for tasks at people's doors. Leave unticked if this is not (or no longer) true; you can always "
              "help from home.",
              "Nécessaire pour les tâches à domicile. Ne cochez pas si ce n'est pas (plus) le cas ; vous pouvez "
              "toujours aider depuis chez vous.")),
        _CONSENT_PRIVACY,
        _q("consent_partners", "bool",
           nl_en_fr("Mijn gegevens mogen gedeeld worden met partners in mijn buurt",
              "My details may be shared with partners in my area",
              "Mes coordonnées peuvent être partagées avec des partenaires de mon quartier"),
           PARTNER_SHARING_NOTICE),
        _q("details", "longtext",
           nl_en_fr("Wil je nog iets kwijt?", "Anything else we should know?", "Autre chose à nous dire ?"),
           nl_en_fr("Bijvoorbeeld ervaring, een rijbewijs, of hoeveel tijd je hebt. Geen medische gegevens.",
              "For example experience, a driving licence, or how much time you have. No medical details.",
              "Par exemple votre expérience, un permis de conduire ou votre temps disponible. Pas de données "
              "médicales."),
           personal=True, max_length=1000),
    ),
)

FORMS: dict[str, Form] = {"request": REQUEST_FORM, "offer": OFFER_FORM}


def form(form_id: str) -> Form:
    """The form with this id; KeyError names the unknown id."""
    try:
        return FORMS[form_id]
    except KeyError:
        raise KeyError(f"unknown form {form_id!r}") from None

"""The tasks (vacancies) a volunteer can offer and a resident can ask for.

Worded as the city's volunteer vacancy page would: what the task is, what you
need, who can do it. One definition per task serves every language, the forms,
the Tasks tab and matching (in_person and requires decide who fits).
"""

from __future__ import annotations

from dataclasses import dataclass

from .fields import Choice, Labels, nl_en_fr


@dataclass(frozen=True)
class Task:
    """One task: its texts per language and what matching needs to know."""

    code: str
    labels: Labels
    descriptions: Labels
    material: Labels  # material the volunteer needs
    profile: Labels  # who can take this task on
    in_person: bool  # False: done from home (phone, video, post), open to risk groups
    requires: tuple[str, ...] = ()  # transport codes; the volunteer needs at least one
    collective: bool = False  # an organisation asks for N volunteers (critical sectors)

    @property
    def tips(self) -> Labels:
        """The city's practical tips, sent to a volunteer who said yes (the Tasks tab may reword them)."""
        if self.collective:
            return _TIPS_ORGANISATION
        if not self.in_person:
            return _TIPS_FROM_HOME
        return _plus(_TIPS_SHOPPING, _TIPS_DOORSTEP) if self.requires or self.code == "pharmacy" else _TIPS_DOORSTEP



# The profile for tasks that bring a volunteer to someone's door. Kept as one
# declaration on the offer form: helpt never asks for health details.
_DOORSTEP_PROFILE = nl_en_fr(
    "Je bent tussen 16 en 60 jaar, gezond, zonder symptomen en behoort niet tot een risicogroep.",
    "You are between 16 and 60, healthy, without symptoms and not in a risk group.",
    "Vous avez entre 16 et 60 ans, êtes en bonne santé, sans symptômes et ne faites pas partie d'un groupe à risque.",
)
# From home, anyone can help, risk groups included.
_FROM_HOME_PROFILE = nl_en_fr(
    "Iedereen vanaf 16 jaar, ook als je zelf in een risicogroep zit of thuis in quarantaine bent.",
    "Anyone aged 16 or over, also if you are in a risk group yourself or in quarantine at home.",
    "Toute personne de 16 ans ou plus, même si vous faites partie d'un groupe à risque ou êtes en quarantaine.",
)
_NO_CONTACT = nl_en_fr(
    " Je zet alles aan de deur en houdt afstand: geen contact.",
    " You leave everything at the door and keep your distance: no contact.",
    " Vous déposez tout à la porte et gardez vos distances : aucun contact.",
)


# The city's advice to volunteers (Leuven Helpt's vacancy texts, March 2020), in our words.
_TIPS_SHOPPING = nl_en_fr(
    "Spreek vooraf af in welke winkel, welke merken en hoe je betaald wordt; bewaar het kasticket. ",
    "Agree beforehand on the shop, the brands and how you will be paid back; keep the receipt. ",
    "Convenez à l'avance du magasin, des marques et du remboursement ; gardez le ticket de caisse. ",
)
_TIPS_DOORSTEP = nl_en_fr(
    "Zet alles aan de deur, bel aan en stap anderhalve meter terug. Was je handen voor en na. "
    "Vraag nooit een bankkaart of pincode.",
    "Leave everything at the door, ring and step back one and a half metres. Wash your hands before and after. "
    "Never ask for a bank card or PIN.",
    "Déposez tout à la porte, sonnez et reculez d'un mètre et demi. Lavez-vous les mains avant et après. "
    "Ne demandez jamais de carte bancaire ni de code.",
)
_TIPS_FROM_HOME = nl_en_fr(
    "Bel op het afgesproken uur en luister meer dan je praat. Vraag of geef nooit geld of bankgegevens. "
    "Maak je je zorgen om iemand, bel dan de hulplijn.",
    "Call at the agreed time and listen more than you talk. Never ask for or give money or bank details. "
    "Worried about someone? Call the help desk.",
    "Appelez à l'heure convenue et écoutez plus que vous ne parlez. Ne demandez et ne donnez jamais d'argent "
    "ni de données bancaires. Inquiet pour quelqu'un ? Appelez le service d'aide.",
)
_TIPS_ORGANISATION = nl_en_fr(
    "Meld je aan bij de contactpersoon van de organisatie en volg hun instructies ter plaatse.",
    "Report to the organisation's contact person and follow their instructions on site.",
    "Présentez-vous à la personne de contact de l'organisation et suivez ses consignes sur place.",
)


def _plus(text: Labels, extra: Labels) -> Labels:
    return {language: text[language] + extra[language] for language in text}


TASKS: tuple[Task, ...] = (
    Task(
        "groceries",
        nl_en_fr("Boodschappen doen", "Groceries", "Faire les courses"),
        _plus(nl_en_fr(
            "Boodschappen doen voor iemand die in quarantaine zit of tot een risicogroep behoort.",
            "Do the shopping for someone who is in quarantine or at risk.",
            "Faire les courses pour une personne en quarantaine ou à risque.",
        ), _NO_CONTACT),
        nl_en_fr("Een auto of bakfiets, stevige boodschappentassen.",
           "A car or cargo bike, sturdy shopping bags.",
           "Une voiture ou un vélo cargo, des sacs de courses solides."),
        _DOORSTEP_PROFILE, in_person=True, requires=("car", "cargo_bike"),
    ),
    Task(
        "pharmacy",
        nl_en_fr("Apotheek", "Pharmacy", "Pharmacie"),
        _plus(nl_en_fr(
            "Geneesmiddelen ophalen bij de apotheek voor iemand die niet buiten mag of kan.",
            "Pick up medicines at the pharmacy for someone who cannot or may not go out.",
            "Aller chercher des médicaments à la pharmacie pour une personne qui ne peut pas sortir.",
        ), _NO_CONTACT),
        nl_en_fr("Een fiets of auto; het voorschrift of de identiteitskaart krijg je van de aanvrager.",
           "A bike or car; the requester gives you the prescription or ID card.",
           "Un vélo ou une voiture ; le demandeur vous remet l'ordonnance ou la carte d'identité."),
        _DOORSTEP_PROFILE, in_person=True,
    ),
    Task(
        "dog_walking",
        nl_en_fr("De hond uitlaten", "Dog walking", "Promener le chien"),
        nl_en_fr("De hond uitlaten voor iemand die zelf niet naar buiten kan. Je haalt en brengt de hond aan de deur, "
           "zonder contact.",
           "Walk the dog for someone who cannot go out. You collect and return the dog at the door, without contact.",
           "Promener le chien d'une personne qui ne peut pas sortir. Vous prenez et ramenez le chien à la porte, "
           "sans contact."),
        nl_en_fr("Een eigen leiband en zakjes; was je handen voor en na.",
           "Your own lead and poo bags; wash your hands before and after.",
           "Votre propre laisse et des sachets ; lavez-vous les mains avant et après."),
        _plus(_DOORSTEP_PROFILE, nl_en_fr(" Je bent vertrouwd met honden.", " You are comfortable with dogs.",
                                    " Vous êtes à l'aise avec les chiens.")),
        in_person=True,
    ),
    Task(
        "post_office",
        nl_en_fr("Naar de post", "Post office", "Aller à la poste"),
        _plus(nl_en_fr(
            "Brieven of pakjes posten, of een pakje afhalen, voor iemand die niet buiten kan.",
            "Post letters or parcels, or collect a parcel, for someone who cannot go out.",
            "Poster des lettres ou des colis, ou retirer un colis, pour une personne qui ne peut pas sortir.",
        ), _NO_CONTACT),
        nl_en_fr("Niets bijzonders; voor een pakje een fiets of auto.",
           "Nothing special; a bike or car for a parcel.",
           "Rien de particulier ; un vélo ou une voiture pour un colis."),
        _DOORSTEP_PROFILE, in_person=True,
    ),
    Task(
        "drawing",
        nl_en_fr("Een tekening maken", "Make a drawing", "Faire un dessin"),
        nl_en_fr("Een tekening of kaartje maken voor iemand die alleen is, bijvoorbeeld in een woonzorgcentrum. Leuk "
                 "om "
           "samen met kinderen te doen.",
           "Make a drawing or card for someone who is alone, for example in a care home. Nice to do with children.",
           "Faire un dessin ou une carte pour une personne seule, par exemple en maison de repos. Chouette à faire "
           "avec des enfants."),
        nl_en_fr("Papier, potloden of stiften, een envelop en een postzegel.",
           "Paper, pencils or felt pens, an envelope and a stamp.",
           "Du papier, des crayons ou feutres, une enveloppe et un timbre."),
        nl_en_fr("Iedereen, van jong tot oud.", "Anyone, young or old.", "Tout le monde, petits et grands."),
        in_person=False,
    ),
    Task(
        "phone_chat",
        nl_en_fr("Telefonische babbel", "Phone chat", "Papoter au téléphone"),
        nl_en_fr("Regelmatig opbellen voor een babbel met iemand die eenzaam is, en even vragen hoe het gaat.",
           "Call someone who is lonely for a regular chat, and ask how they are doing.",
           "Appeler régulièrement une personne isolée pour bavarder et prendre de ses nouvelles."),
        nl_en_fr("Een telefoon en wat tijd.", "A phone and some time.", "Un téléphone et un peu de temps."),
        _plus(_FROM_HOME_PROFILE, nl_en_fr(" Je kunt goed luisteren.", " You are a good listener.",
                                     " Vous savez écouter.")),
        in_person=False,
    ),
    Task(
        "video_call",
        nl_en_fr("Videogesprek", "Video call", "Appel vidéo"),
        nl_en_fr("Een videogesprek houden met iemand die alleen is, of iemand helpen om zelf te videobellen met "
                 "familie.",
           "Have a video call with someone who is alone, or help someone to video call their family.",
           "Faire un appel vidéo avec une personne seule, ou l'aider à appeler sa famille en vidéo."),
        nl_en_fr("Een smartphone, tablet of computer met camera en internet.",
           "A smartphone, tablet or computer with a camera and internet.",
           "Un smartphone, une tablette ou un ordinateur avec caméra et internet."),
        _FROM_HOME_PROFILE, in_person=False,
    ),
    Task(
        "letter",
        nl_en_fr("Een brief schrijven", "Write a letter", "Écrire une lettre"),
        nl_en_fr("Een brief of kaartje schrijven aan iemand die alleen is, om een hart onder de riem te steken.",
           "Write a letter or card to someone who is alone, to cheer them up.",
           "Écrire une lettre ou une carte à une personne seule, pour lui remonter le moral."),
        nl_en_fr("Papier, een envelop en een postzegel.", "Paper, an envelope and a stamp.",
           "Du papier, une enveloppe et un timbre."),
        nl_en_fr("Iedereen, van jong tot oud.", "Anyone, young or old.", "Tout le monde, petits et grands."),
        in_person=False,
    ),
    Task(
        "food_delivery",
        nl_en_fr("Maaltijden rondbrengen", "Meal delivery", "Livrer des repas"),
        _plus(nl_en_fr(
            "Warme maaltijden of voedselpakketten rondbrengen bij mensen thuis, met een vaste ronde.",
            "Deliver hot meals or food parcels to people's homes, on a fixed round.",
            "Livrer des repas chauds ou des colis alimentaires à domicile, selon une tournée fixe.",
        ), _NO_CONTACT),
        nl_en_fr("Een auto of bakfiets; koelboxen krijg je van de organisatie.",
           "A car or cargo bike; cool boxes are provided by the organisation.",
           "Une voiture ou un vélo cargo ; les glacières sont fournies par l'organisation."),
        _DOORSTEP_PROFILE, in_person=True, requires=("car", "cargo_bike"),
    ),
    # Critical sectors: an organisation (care home, food bank, hospital) asks
    # for a number of volunteers at once; they are matched as a group.
    Task(
        "logistics",
        nl_en_fr("Logistieke hulp", "Logistics support", "Soutien logistique"),
        nl_en_fr("Een organisatie helpen met sorteren, inpakken, laden en lossen, bijvoorbeeld bij een voedselbank "
                 "of een "
           "materiaaldepot.",
           "Help an organisation with sorting, packing, loading and unloading, for example at a food bank or a "
           "supplies depot.",
           "Aider une organisation à trier, emballer, charger et décharger, par exemple dans une banque alimentaire "
           "ou un dépôt de matériel."),
        nl_en_fr("Stevige schoenen; handschoenen en mondmasker krijg je ter plaatse.",
           "Sturdy shoes; gloves and a face mask are provided on site.",
           "De bonnes chaussures ; gants et masque fournis sur place."),
        _plus(_DOORSTEP_PROFILE, nl_en_fr(" Je kunt tillen en enkele uren rechtstaan.",
                                    " You can lift and stand for a few hours.",
                                    " Vous pouvez porter des charges et rester debout quelques heures.")),
        in_person=True, collective=True,
    ),
    Task(
        "phone_support",
        nl_en_fr("Telefoonpermanentie", "Helpline support", "Permanence téléphonique"),
        nl_en_fr("Mee de telefoon opnemen bij het callcenter of een organisatie: vragen beantwoorden, hulpvragen "
                 "noteren "
           "en doorgeven.",
           "Answer the phone at the call centre or an organisation: answer questions, note down requests for help "
           "and pass them on.",
           "Répondre au téléphone au centre d'appel ou dans une organisation : répondre aux questions, noter les "
           "demandes d'aide et les transmettre."),
        nl_en_fr("Een telefoon en een computer met internet; je krijgt een korte opleiding.",
           "A phone and a computer with internet; you get a short training.",
           "Un téléphone et un ordinateur avec internet ; une courte formation est prévue."),
        _plus(_FROM_HOME_PROFILE, nl_en_fr(" Je spreekt vlot Nederlands en nog een andere taal.",
                                     " You speak Dutch fluently and one other language.",
                                     " Vous parlez couramment le néerlandais et une autre langue.")),
        in_person=False, collective=True,
    ),
    Task(
        "triage_support",
        nl_en_fr("Ondersteuning triagepost", "Triage centre support", "Soutien au poste de tri"),
        nl_en_fr("Niet-medische hulp bij een triagepost: mensen onthalen, de weg wijzen, registreren en de wachtrij in "
           "goede banen leiden.",
           "Non-medical help at a triage centre: welcome people, show them the way, register them and keep the queue "
           "moving.",
           "Aide non médicale à un poste de tri : accueillir les personnes, les orienter, les enregistrer et gérer "
           "la file d'attente."),
        nl_en_fr("Beschermingsmateriaal krijg je ter plaatse; je volgt de instructies van het medisch team.",
           "Protective equipment is provided on site; you follow the medical team's instructions.",
           "Le matériel de protection est fourni sur place ; vous suivez les consignes de l'équipe médicale."),
        _plus(_DOORSTEP_PROFILE, nl_en_fr(" Je bent 18 jaar of ouder.", " You are 18 or over.",
                                    " Vous avez 18 ans ou plus.")),
        in_person=True, collective=True,
    ),
)

_BY_CODE = {t.code: t for t in TASKS}


def task(code: str) -> Task:
    """The task with this code; KeyError names the unknown code."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"unknown task {code!r}") from None


# For the forms' task question and the tabs' tasks columns.
TASK_CHOICES: tuple[Choice, ...] = tuple(Choice(t.code, t.labels) for t in TASKS)

"""The lists people pick from: languages spoken, transport, availability, channel.

Shared by the forms, the intake tabs and the master tabs, so a code means the
same thing everywhere. Codes are stable; labels may be reworded freely, but
never with a comma: Google Forms writes ticked boxes as labels joined by ", ".
"""

from __future__ import annotations

from .fields import Choice, nl_en_fr


def _choice(code: str, nl: str, en: str, fr: str) -> Choice:
    return Choice(code, nl_en_fr(nl, en, fr))


# Languages a requester or volunteer speaks. ISO 639-1 codes where one exists;
# "vgt" (Flemish Sign Language) is ISO 639-3. The first three are the desk's
# own languages; the rest are the languages most spoken in Leuven after them.
LANGUAGE_CHOICES: tuple[Choice, ...] = (
    _choice("nl", "Nederlands", "Dutch", "néerlandais"),
    _choice("en", "Engels", "English", "anglais"),
    _choice("fr", "Frans", "French", "français"),
    _choice("de", "Duits", "German", "allemand"),
    _choice("ar", "Arabisch", "Arabic", "arabe"),
    _choice("tr", "Turks", "Turkish", "turc"),
    _choice("es", "Spaans", "Spanish", "espagnol"),
    _choice("it", "Italiaans", "Italian", "italien"),
    _choice("pt", "Portugees", "Portuguese", "portugais"),
    _choice("pl", "Pools", "Polish", "polonais"),
    _choice("ro", "Roemeens", "Romanian", "roumain"),
    _choice("bg", "Bulgaars", "Bulgarian", "bulgare"),
    _choice("ru", "Russisch", "Russian", "russe"),
    _choice("uk", "Oekraïens", "Ukrainian", "ukrainien"),
    _choice("ber", "Berbers (Tamazight)", "Berber (Tamazight)", "berbère (tamazight)"),
    _choice("fa", "Perzisch (Farsi/Dari)", "Persian (Farsi/Dari)", "persan (farsi/dari)"),
    _choice("ps", "Pasjtoe", "Pashto", "pachto"),
    _choice("so", "Somalisch", "Somali", "somali"),
    _choice("ti", "Tigrinya", "Tigrinya", "tigrigna"),
    _choice("zh", "Chinees", "Chinese", "chinois"),
    _choice("hi", "Hindi", "Hindi", "hindi"),
    _choice("vgt", "Vlaamse Gebarentaal", "Flemish Sign Language", "langue des signes flamande"),
)

# How a volunteer gets around. Tasks name the codes they need (tasks.py).
TRANSPORT_CHOICES: tuple[Choice, ...] = (
    _choice("on_foot", "Te voet", "On foot", "À pied"),
    _choice("bike", "Fiets", "Bike", "Vélo"),
    _choice("cargo_bike", "Bakfiets", "Cargo bike", "Vélo cargo"),
    _choice("car", "Auto", "Car", "Voiture"),
    _choice("public_transport", "Openbaar vervoer", "Public transport", "Transports en commun"),
)

# When someone is available (volunteer) or when help is needed (requester).
AVAILABILITY_CHOICES: tuple[Choice, ...] = (
    _choice("weekday_morning", "Weekdagen voormiddag", "Weekday mornings", "Matin en semaine"),
    _choice("weekday_afternoon", "Weekdagen namiddag", "Weekday afternoons", "Après-midi en semaine"),
    _choice("weekday_evening", "Weekdagen avond", "Weekday evenings", "Soir en semaine"),
    _choice("weekend_morning", "Weekend voormiddag", "Weekend mornings", "Matin le week-end"),
    _choice("weekend_afternoon", "Weekend namiddag", "Weekend afternoons", "Après-midi le week-end"),
    _choice("weekend_evening", "Weekend avond", "Weekend evenings", "Soir le week-end"),
    _choice("flexible", "Flexibel (in overleg)", "Flexible (by arrangement)", "Flexible (à convenir)"),
)

# Where a submission came from. Call-centre agents use the same forms with
# channel "phone" or "email", so statistics can tell the channels apart.
CHANNEL_CHOICES: tuple[Choice, ...] = (
    _choice("web", "Webformulier helpt", "helpt web form", "Formulaire web helpt"),
    _choice("website", "Website van de stad", "City website", "Site web de la ville"),
    _choice("google_form", "Google Formulier", "Google Form", "Formulaire Google"),
    _choice("phone", "Telefoon (callcenter)", "Phone (call centre)", "Téléphone (centre d'appel)"),
    _choice("email", "E-mail (callcenter)", "E-mail (call centre)", "E-mail (centre d'appel)"),
)

# The channels on which a call-centre agent, not the person, fills in the form.
AGENT_CHANNELS = frozenset({"phone", "email"})

# The form's languages, for the master tabs' form_language column.
FORM_LANGUAGE_CHOICES: tuple[Choice, ...] = LANGUAGE_CHOICES[:3]


def codes(choices: tuple[Choice, ...]) -> tuple[str, ...]:
    """The codes of a choice list, in order."""
    return tuple(choice.code for choice in choices)

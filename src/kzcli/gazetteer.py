"""Words that tell what a name names, for ``kz ingest`` (``kzcli.naming``): evidence that holds in
any chapter, not in one.

Countries, regions and capitals (a place whatever word stands before it);
titles and honorifics (a person follows them, and they are the person's role,
not their name); the words of organisations, laws and places; and the words
after a name that say what it is ("the Jackson-Vanik amendment", "Asia-Plus
radio"). Plain facts, kept as text so a reviewer can read them.
"""

from __future__ import annotations

from functools import lru_cache

from kzcli.text import fold


def _names(text: str) -> frozenset[str]:
    """Folded names, one a line or separated by "|"."""
    return frozenset(fold(n.strip()) for n in text.replace("\n", "|").split("|") if n.strip())


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


PLACES = _names(
    """Afghanistan|Albania|Algeria|Andorra|Angola|Antigua and Barbuda|Argentina|Armenia|Australia|Austria|
    Azerbaijan|Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|
    Bosnia and Herzegovina|Bosnia|Herzegovina|Botswana|Brazil|Brunei|Bulgaria|Burkina Faso|Burma|Burundi|
    Cambodia|Cameroon|Canada|Cape Verde|Central African Republic|Chad|Chile|China|Colombia|Comoros|Congo|
    Costa Rica|Cote d'Ivoire|Côte d'Ivoire|Croatia|Cuba|Cyprus|Czech Republic|Czechia|Democratic Republic of Congo|
    Democratic Republic of the Congo|Denmark|Djibouti|Dominica|Dominican Republic|East Timor|Timor-Leste|Ecuador|
    Egypt|El Salvador|Equatorial Guinea|Eritrea|Estonia|Eswatini|Swaziland|Ethiopia|Fiji|Finland|France|Gabon|
    Gambia|Georgia|Germany|Ghana|Greece|Grenada|Guatemala|Guinea|Guinea-Bissau|Guyana|Haiti|Honduras|Hungary|
    Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Jamaica|Japan|Jordan|Kazakhstan|Kenya|Kiribati|
    Korea|North Korea|South Korea|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|Liberia|Libya|
    Liechtenstein|Lithuania|Luxembourg|Macedonia|North Macedonia|Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|
    Marshall Islands|Mauritania|Mauritius|Mexico|Micronesia|Moldova|Monaco|Mongolia|Montenegro|Morocco|
    Mozambique|Myanmar|Namibia|Nauru|Nepal|Netherlands|New Zealand|Nicaragua|Niger|Nigeria|Norway|Oman|
    Pakistan|Palau|Palestine|Panama|Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|Qatar|Romania|
    Russia|Russian Federation|Rwanda|Saint Lucia|Samoa|San Marino|Saudi Arabia|Senegal|Serbia|Serbia and Montenegro|
    Seychelles|Sierra Leone|Singapore|Slovakia|Slovenia|Solomon Islands|Somalia|Somaliland|South Africa|
    South Sudan|Spain|Sri Lanka|Sudan|Suriname|Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|
    Togo|Tonga|Trinidad and Tobago|Tunisia|Turkey|Türkiye|Turkmenistan|Tuvalu|Uganda|Ukraine|
    United Arab Emirates|United Kingdom|Britain|Great Britain|England|Scotland|Wales|Northern Ireland|
    United States|United States of America|America|U.S.|U.S.A.|U.K.|Uruguay|Uzbekistan|Vanuatu|Vatican|
    Venezuela|Vietnam|Yemen|Yugoslavia|Federal Republic of Yugoslavia|Zambia|Zimbabwe|
    Africa|Asia|Europe|Americas|Latin America|North America|South America|Central America|Middle East|
    North Africa|Northern Africa|West Africa|East Africa|Southern Africa|Central Africa|Horn of Africa|
    sub-Saharan Africa|Central Asia|South Asia|Southeast Asia|East Asia|Eurasia|Caucasus|North Caucasus|
    South Caucasus|Balkans|Caribbean|Gulf|Persian Gulf|Sahel|Maghreb|Scandinavia|Eastern Europe|
    Western Europe|Central Europe|Central and Eastern Europe|Soviet Union|former Soviet Union|USSR|
    West Bank|Gaza|Gaza Strip|East Jerusalem|Golan Heights|Kashmir|Jammu and Kashmir|Chechnya|Ingushetia|
    Dagestan|Tibet|Xinjiang|Hong Kong|Macau|Darfur|Crimea|Donbas|Abkhazia|South Ossetia|Nagorno-Karabakh|
    Transnistria|Western Sahara|Kurdistan|Punjab|Balochistan|Mindanao|Aceh|Papua|Fergana Valley|Ferghana Valley|
    Guantanamo|Guantánamo|Guantanamo Bay|Guantánamo Bay|Baltic states|Baltics|Sahara|
    Kabul|Tirana|Algiers|Luanda|Buenos Aires|Yerevan|Canberra|Vienna|Baku|Manama|Dhaka|Minsk|Brussels|
    Porto-Novo|Thimphu|La Paz|Sarajevo|Gaborone|Brasilia|Sofia|Ouagadougou|Rangoon|Yangon|Naypyidaw|Bujumbura|
    Phnom Penh|Yaounde|Ottawa|Bangui|N'Djamena|Santiago|Beijing|Bogota|Bogotá|Kinshasa|Brazzaville|Zagreb|
    Havana|Nicosia|Prague|Copenhagen|Cairo|Asmara|Tallinn|Addis Ababa|Helsinki|Paris|Libreville|Banjul|
    Tbilisi|Berlin|Accra|Athens|Conakry|Port-au-Prince|Budapest|New Delhi|Delhi|Jakarta|Tehran|Baghdad|
    Dublin|Jerusalem|Tel Aviv|Rome|Tokyo|Amman|Astana|Nur-Sultan|Almaty|Nairobi|Pyongyang|Seoul|Pristina|
    Kuwait City|Bishkek|Vientiane|Riga|Beirut|Monrovia|Tripoli|Benghazi|Vilnius|Skopje|Antananarivo|
    Lilongwe|Kuala Lumpur|Bamako|Nouakchott|Mexico City|Chisinau|Ulaanbaatar|Podgorica|Rabat|Casablanca|
    Maputo|Windhoek|Kathmandu|Amsterdam|The Hague|Managua|Niamey|Abuja|Lagos|Oslo|Muscat|Islamabad|Karachi|
    Lahore|Ramallah|Panama City|Lima|Manila|Warsaw|Lisbon|Doha|Bucharest|Moscow|St. Petersburg|Kigali|
    Riyadh|Jeddah|Dakar|Belgrade|Freetown|Bratislava|Ljubljana|Mogadishu|Pretoria|Johannesburg|Cape Town|
    Juba|Madrid|Colombo|Khartoum|Stockholm|Geneva|Bern|Damascus|Aleppo|Taipei|Dushanbe|Dar es Salaam|
    Bangkok|Lome|Lomé|Tunis|Ankara|Istanbul|Ashgabat|Ashgabad|Kampala|Kyiv|Kiev|Abu Dhabi|Dubai|London|
    Washington|Washington, DC|New York|Montevideo|Tashkent|Caracas|Hanoi|Sanaa|Sana'a|Lusaka|Harare|
    Strasbourg"""
)

# Words before a name that make it a person's, kept as the person's role ("Deputy Interior Minister").
TITLE_HEADS = word_set(
    "President Vice-President Minister Secretary Ambassador Judge Justice Prosecutor Procurator Senator "
    "Governor Mayor Speaker Chairman Chairwoman Chairperson Commissioner Rapporteur Envoy Representative "
    "Director Leader King Queen Prince Princess Sheikh Shaikh Emir Amir Sultan Mr Mr. Mrs Mrs. Ms Ms. Dr Dr. "
    "Gen. Gen Col. Col Lt. Maj. Capt. Sgt. General Colonel Lieutenant Major Captain Sergeant Imam Mullah "
    "Archbishop Bishop Patriarch Rev. Reverend Pastor Father Professor Prof. Akim Hokim Premier Chancellor "
    "Coordinator Spokesman Spokeswoman Spokesperson Ombudsman Ombudsperson Chief Commander Officer "
    "Activist Journalist Blogger Lawyer Editor Reporter Poet Writer Defender"
)
# Words that stand inside a title but are no title by themselves ("Deputy Assistant Secretary of State").
TITLE_PARTS = word_set(
    "Deputy Vice Assistant Acting Former Prime First Second Senior Special High Chief Principal Foreign "
    "Interior Internal Affairs Defense Defence Justice Finance Economy Education Health Labor Labour State "
    "Security Human Rights General Attorney Executive Under Secretary-General Permanent Regional Country "
    "Presidential Parliamentary Supreme Federal National UN U.N. EU E.U. OSCE U.S. US UK U.K. of for on the "
    "and to in"
)
# Titles that, with a remit after them ("Special Rapporteur on Torture", "Representative on Freedom of
# the Media"), name an office: an organisation of its own as well as its holder's role.
OFFICE_HEADS = word_set("Rapporteur Representative Commissioner Ombudsman Ombudsperson Envoy Coordinator")
# Words before a name (lower case) that make it a person's: "activist Asya Tulesova", "his brother, Abdugani".
PERSON_CUES = word_set(
    "activist activists journalist journalists blogger lawyer lawyers attorney editor reporter poet writer "
    "defender defenders dissident critic opponent leader head director chairman chair deputy official "
    "brother sister son daughter wife husband father mother uncle aunt cousin nephew niece relative widow "
    "mr mrs ms dr colleague member members businessman businesswoman teacher student professor imam "
    "prisoner detainee victim candidate spokesman spokeswoman spokesperson president minister judge "
    "prosecutor ambassador singer artist musician farmer worker doctor officer"
)
LAW_WORDS = word_set(
    "Law Laws Code Convention Covenant Protocol Act Constitution Charter Treaty Declaration Amendment Amendments "
    "Decree Resolution Article Bill Principles Rules Guidelines Regulations Statute Agreement Accords Accord"
)
# Words after a name (lower case) that say it is a law: "the Jackson-Vanik amendment".
LAW_AFTER = word_set("law laws code amendment amendments act decree convention treaty resolution bill article")
ORG_WORDS = word_set(
    "Court Courts Tribunal Ministry Committee Council Party Union Commission Office Bureau Service Police "
    "Parliament Government Agency Organization Organisation Association Movement Foundation Fund Group Bank "
    "Nations Watch Network Center Centre Institute Federation Department Coalition Front Alliance Assembly "
    "Senate Mazhilis Majlis Duma Company Corporation University School Prison Colony Army Forces Guard "
    "Procuracy Secretariat Mission Delegation Board Authority Authorities Church Community Club Society Unit "
    "Team Media Radio Television TV News Inc Ltd LLP Choice State Review Partnership Programme Program Plan "
    "Strategy Initiative Info Times Post Press Daily Channel Portal International House Brigade Brigades "
    "Militia Council Congress Cabinet Administration Inspectorate Directorate Agency Centre Clinic Hospital "
    "Academy Chamber Guardians Taliban Hamas Hezbollah Hizbullah Hizb Jamaat Tahrir Front Muslim-Brotherhood "
    "Brotherhood Monitor Monitors Group Groups FM Plus Online Gazette Herald Journal Tribune Telegraph Agency "
    "Photo Photos Images"
)
# Words after a name (lower case) that say it is an organisation: "Asia-Plus radio", "the Erk party".
ORG_AFTER = word_set(
    "party parties movement group groups organization organisation radio station newspaper weekly daily "
    "magazine agency channel website company network union association foundation ngo church mosque "
    "television broadcaster publication outlet coalition militia watchdog ngo nongovernmental ministry court "
    "body institution platform app network office service"
)
# Diseases a chapter names in capitals ("COVID-19", "HIV/AIDS"): no person, organisation or place.
DISEASES = frozenset(fold(name) for name in word_set("COVID-19 COVID HIV AIDS HIV/AIDS Ebola SARS-CoV-2"))
# Companies and platforms a chapter names without any organisation word: "uploading a video to Facebook"
# is no place, whatever "to" says.
KNOWN_ORGS = frozenset(
    fold(name)
    for name in word_set(
        "Facebook Instagram Telegram Twitter YouTube WhatsApp TikTok VKontakte Odnoklassniki Google "
        "Apple Microsoft Yandex Reuters Interfax"
    )
)
# Words in a name that make it a place: "Guantánamo Bay", "United Kingdom", "Fergana Valley".
PLACE_WORDS = word_set(
    "Bay Valley Gorge Region Province Oblast Oblys District Raion City Town Village Island Islands Sea River "
    "Mountains Mountain Strip Kingdom States Republic Lake Peninsula Square Street Avenue Camp Territory "
    "Territories Heights Desert Coast Border Prefecture County State-of"
)
# Words that make a name an event's, never a person's: "Rose Revolution", "Independence Day".
EVENT_WORDS = word_set(
    "Revolution Uprising War Wars Spring Day Week Month Year Games Olympics Cup Festival Holiday Summit "
    "Conference Forum Meeting Congress Election Elections Referendum Massacre Events Crisis Pandemic"
)
# Words before a name (lower case) that suggest a place.
PLACE_CUES = word_set(
    "in from to near across throughout into outside inside around via toward towards "
    "town city village region province district oblast settlement capital island"
)
# Words that make a hyphenated or spaced name whole: "Hizb ut-Tahrir", "Osama bin Laden", "Ludwig van Beethoven".
PARTICLES = word_set("bin ibn al el ad ud ut ul as ash ar van von der den de la le du da dos das di del ter ben abu")
# Words after a single-word name (lower case) that make it a place: "a Pavlodar court", "Shymkent city".
PLACE_AFTER = word_set(
    "city region regional province provincial district village town oblast court courts police akimat judge based "
    "branch"
)

# Every word-prefix of a known place of several words ("central and eastern" of "Central and Eastern Europe"):
# what lets "and" join a place's name.
PLACE_PREFIXES = frozenset(
    " ".join(words[:n]) for place in PLACES if " " in place for words in [place.split()] for n in range(1, len(words))
)
_PLACE_STEMS = tuple(sorted(PLACES))


@lru_cache(maxsize=4096)
def is_demonym(word: str) -> bool:
    """An adjective or people named after a place ("Palestinian", "Kazakhs", "Middle Eastern"), or the
    first word of a place's name used alone before a noun ("Soviet", "Baltic"): a description, not a name."""
    key = fold(word)
    if key in PLACES:
        return False
    if key.endswith("ern") or key in PLACE_PREFIXES:
        return True
    if any(key + ending in PLACES for ending in ("stan", "istan", "ia", "a")):
        return True  # "Kazakh", "Uzbek", "Serb"
    for suffix in ("ians", "ans", "is", "s", "ian", "an", "ese", "ish", "i", "ic", "n"):
        stem = key[: -len(suffix)]
        if key.endswith(suffix) and len(stem) >= 4 and any(p.startswith(stem) for p in _PLACE_STEMS):
            return True
    return False

"""Number words per language, in folded form (lower case, no accents), for ``number_words``.

Cardinals hold whole words and the pieces compounds are made of ("veinti", "vent"), so a
word such as "einundzwanzig" or "ventitre" can be split into known pieces. Denominators
are the words that turn a count into a fraction ("twelfths", "quarter", "Drittel").
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["VOCABS", "NumberVocab"]

_SMALL_EN = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS_EN = "twenty thirty forty fifty sixty seventy eighty ninety".split()


def _values(pairs: str) -> dict[str, int]:
    """Read "word=value word=value" into a table."""
    return {word: int(value) for word, value in (pair.split("=") for pair in pairs.split())}


@dataclass(frozen=True)
class NumberVocab:
    """The number words of one language."""

    cardinals: dict[str, int]
    multipliers: dict[str, int]
    denominators: dict[str, int]
    articles: frozenset[str]  # one, but only before a denominator or a multiplier: "a half"
    connectors: frozenset[str]  # "one hundred and five", "treinta y uno"
    signs: frozenset[str]
    points: frozenset[str]  # "three point five"
    percents: tuple[tuple[str, ...], ...]  # "per cent" as ("per", "cent")
    halves: frozenset[str] = frozenset()  # glued "and a half": "zweieinhalb"
    specials: dict[str, tuple[int, int]] = field(default_factory=dict)  # "anderthalb": 3/2
    standalone: frozenset[str] = frozenset()  # denominators that mean one part alone: "half"
    den_markers: frozenset[str] = frozenset()  # "sete doze avos": the count before is the den


def _en() -> NumberVocab:
    cardinals = {word: value for value, word in enumerate(_SMALL_EN)}
    cardinals |= {word: 20 + 10 * i for i, word in enumerate(_TENS_EN)}
    cardinals |= {"nought": 0, "naught": 0, "fourty": 40, "ninty": 90}
    ordinals = _values(
        "third=3 fourth=4 fifth=5 sixth=6 seventh=7 eighth=8 ninth=9 tenth=10 eleventh=11 "
        "twelfth=12 hundredth=100 thousandth=1000 millionth=1000000"
    )
    ordinals |= {word + "th": value for value, word in enumerate(_SMALL_EN) if value > 12}
    ordinals |= {word[:-1] + "ieth": 20 + 10 * i for i, word in enumerate(_TENS_EN)}
    denominators = ordinals | {word + "s": value for word, value in ordinals.items()}
    denominators |= {"half": 2, "halves": 2, "quarter": 4, "quarters": 4}
    return NumberVocab(
        cardinals=cardinals,
        multipliers=_values(
            "hundred=100 thousand=1000 million=1000000 millions=1000000 billion=1000000000 "
            "billions=1000000000 dozen=12"
        ),
        denominators=denominators,
        articles=frozenset({"a", "an"}),
        connectors=frozenset({"and"}),
        signs=frozenset({"minus", "negative"}),
        points=frozenset({"point"}),
        percents=(("percent",), ("per", "cent"), ("pct",)),
        standalone=frozenset({"half"}),
    )


def _es() -> NumberVocab:
    small = (
        "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce "
        "quince dieciseis diecisiete dieciocho diecinueve veinte"
    ).split()
    cardinals = {word: value for value, word in enumerate(small)}
    tens = "treinta cuarenta cincuenta sesenta setenta ochenta noventa".split()
    cardinals |= {word: 30 + 10 * i for i, word in enumerate(tens)}
    cardinals |= {"dieci": 10, "veinti": 20, "veintiun": 21, "cien": 100, "ciento": 100}
    hundreds = "dos tres cuatro quinien seis sete ocho nove".split()
    for i, stem in enumerate(hundreds):
        word = stem if stem == "quinien" else stem + "cien"
        for ending in ("tos", "tas"):
            cardinals[word + ending] = 100 * (i + 2)
    ordinals = _values(
        "tercio=3 cuarto=4 quinto=5 sexto=6 septimo=7 octavo=8 noveno=9 decimo=10 "
        "centesimo=100 milesimo=1000 medio=2 media=2"
    )
    ordinals |= {word + "avo": value for word, value in cardinals.items() if 10 < value < 100}
    ordinals |= {"onceavo": 11, "doceavo": 12, "treceavo": 13, "dozavo": 12}
    denominators = ordinals | {word + "s": value for word, value in ordinals.items()}
    denominators["mitad"] = 2
    return NumberVocab(
        cardinals=cardinals,
        multipliers=_values("mil=1000 millon=1000000 millones=1000000"),
        denominators=denominators,
        articles=frozenset({"un", "una"}),
        connectors=frozenset({"y"}),
        signs=frozenset({"menos", "negativo"}),
        points=frozenset({"coma", "punto"}),
        percents=(("por", "ciento"), ("porciento",)),
        standalone=frozenset({"mitad", "medio"}),
        den_markers=frozenset({"avos"}),
    )


def _fr() -> NumberVocab:
    small = (
        "zero un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
        "quinze seize"
    ).split()
    cardinals = {word: value for value, word in enumerate(small) if word != "un"}
    tens = "vingt trente quarante cinquante soixante septante huitante nonante".split()
    cardinals |= {word: 20 + 10 * i for i, word in enumerate(tens)}
    cardinals |= {"vingts": 20, "octante": 80}
    ordinals = {"tiers": 3, "quart": 4, "demi": 2, "demie": 2, "moitie": 2}
    stems = {"cinq": "cinqu", "neuf": "neuv", "un": "un"}
    for word, value in [*cardinals.items(), ("cent", 100), ("mille", 1000)]:
        if 2 <= value:
            stem = stems.get(word, word[:-1] if word.endswith("e") else word)
            ordinals[stem + "ieme"] = value
    denominators = ordinals | {word + "s": value for word, value in ordinals.items()}
    return NumberVocab(
        cardinals=cardinals,
        multipliers=_values(
            "cent=100 cents=100 mille=1000 mil=1000 million=1000000 millions=1000000 "
            "milliard=1000000000 milliards=1000000000"
        ),
        denominators=denominators,
        articles=frozenset({"un", "une"}),
        connectors=frozenset({"et"}),
        signs=frozenset({"moins", "negatif"}),
        points=frozenset({"virgule", "point"}),
        percents=(("pour", "cent"), ("pourcent",)),
        standalone=frozenset({"moitie"}),
    )


def _de() -> NumberVocab:
    small = (
        "null eins zwei drei vier funf sechs sieben acht neun zehn elf zwolf dreizehn "
        "vierzehn funfzehn sechzehn siebzehn achtzehn neunzehn"
    ).split()
    cardinals = {word: value for value, word in enumerate(small)}
    tens = "zwanzig dreißig vierzig funfzig sechzig siebzig achtzig neunzig".split()
    cardinals |= {word: 20 + 10 * i for i, word in enumerate(tens)}
    cardinals |= {"zwo": 2, "dreissig": 30}
    denominators = _values(
        "halb=2 halbe=2 halben=2 halfte=2 drittel=3 viertel=4 siebtel=7 achtel=8"
    )
    for word, value in cardinals.items():
        if value >= 5 and word not in ("sieben", "acht"):
            denominators.setdefault(word + ("stel" if value >= 20 else "tel"), value)
    denominators |= {"hundertstel": 100, "tausendstel": 1000}
    return NumberVocab(
        cardinals=cardinals,
        multipliers=_values(
            "hundert=100 tausend=1000 million=1000000 millionen=1000000 milliarde=1000000000 "
            "milliarden=1000000000"
        ),
        denominators=denominators,
        articles=frozenset({"ein", "eine", "einen", "einem", "einer"}),
        connectors=frozenset({"und"}),
        signs=frozenset({"minus", "negativ"}),
        points=frozenset({"komma", "punkt"}),
        percents=(("prozent",),),
        halves=frozenset({"einhalb"}),
        specials={"anderthalb": (3, 2), "eineinhalb": (3, 2)},
        standalone=frozenset({"halfte"}),
    )


def _pt() -> NumberVocab:
    small = (
        "zero um dois tres quatro cinco seis sete oito nove dez onze doze treze catorze "
        "quinze dezesseis dezessete dezoito dezenove vinte"
    ).split()
    cardinals = {word: value for value, word in enumerate(small) if word != "um"}
    tens = "trinta quarenta cinquenta sessenta setenta oitenta noventa".split()
    cardinals |= {word: 30 + 10 * i for i, word in enumerate(tens)}
    cardinals |= _values(
        "duas=2 quatorze=14 dezasseis=16 dezassete=17 dezanove=19 cem=100 cento=100"
    )
    hundreds = "duzent trezent quatrocent quinhent seiscent setecent oitocent novecent".split()
    for i, stem in enumerate(hundreds):
        cardinals[stem + "os"] = cardinals[stem + "as"] = 100 * (i + 2)
    ordinals = _values(
        "terco=3 quarto=4 quinto=5 sexto=6 setimo=7 oitavo=8 nono=9 decimo=10 centesimo=100 "
        "milesimo=1000 meio=2 meia=2"
    )
    denominators = ordinals | {word + "s": value for word, value in ordinals.items()}
    denominators["metade"] = 2
    return NumberVocab(
        cardinals=cardinals,
        multipliers=_values("mil=1000 milhao=1000000 milhoes=1000000"),
        denominators=denominators,
        articles=frozenset({"um", "uma"}),
        connectors=frozenset({"e"}),
        signs=frozenset({"menos", "negativo"}),
        points=frozenset({"virgula", "ponto"}),
        percents=(("por", "cento"),),
        standalone=frozenset({"metade", "meio"}),
        den_markers=frozenset({"avos"}),
    )


def _it() -> NumberVocab:
    small = (
        "zero uno due tre quattro cinque sei sette otto nove dieci undici dodici tredici "
        "quattordici quindici sedici diciassette diciotto diciannove"
    ).split()
    cardinals = {word: value for value, word in enumerate(small)}
    tens = "venti trenta quaranta cinquanta sessanta settanta ottanta novanta".split()
    cardinals |= {word: 20 + 10 * i for i, word in enumerate(tens)}
    # "ventuno", "trentotto": the tens lose their vowel before "uno" and "otto".
    cardinals |= {word[:-1]: 20 + 10 * i for i, word in enumerate(tens)}
    ordinals = _values(
        "mezzo=2 mezza=2 terz=3 quart=4 quint=5 sest=6 settim=7 ottav=8 non=9 decim=10 "
        "centesim=100 millesim=1000"
    )
    for word, value in cardinals.items():
        if value > 10 and word.endswith(("i", "e", "a")):
            ordinals[word[:-1] + "esim"] = value
    denominators = {
        stem + ending: value
        for stem, value in ordinals.items()
        for ending in (("",) if stem.startswith("mezz") else ("o", "i", "a", "e"))
    }
    denominators |= {"mezzi": 2, "meta": 2}
    return NumberVocab(
        cardinals=cardinals,
        multipliers=_values("cento=100 mille=1000 mila=1000 milione=1000000 milioni=1000000"),
        denominators=denominators,
        articles=frozenset({"un", "una"}),
        connectors=frozenset({"e"}),
        signs=frozenset({"meno", "negativo"}),
        points=frozenset({"virgola", "punto"}),
        percents=(("per", "cento"), ("percento",)),
        standalone=frozenset({"meta", "mezzo"}),
    )


VOCABS: dict[str, NumberVocab] = {
    code: build()
    for code, build in (
        ("en", _en),
        ("es", _es),
        ("fr", _fr),
        ("de", _de),
        ("pt", _pt),
        ("it", _it),
    )
}

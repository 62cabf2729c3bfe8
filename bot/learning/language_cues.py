"""The words that frame an answer, per course language: hedges, negations, cues, reasons.

Every entry is a phrase in folded form (lower case, no accents: see ``answer_text.fold``);
spaces match any run of whitespace. A course in another language also gets the English
words, since learners switch languages mid-sentence. A language missing here falls back
to English alone.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache

__all__ = ["LANGUAGES", "Cues", "cues_for", "language_code"]


def _p(phrases: str) -> tuple[str, ...]:
    """Split a "|"-separated list of phrases."""
    return tuple(" ".join(p.split()) for p in phrases.split("|") if p.strip())


@dataclass(frozen=True)
class Cues:
    """Phrases of one language (or a merged set) that grading looks for around a candidate."""

    hedges: tuple[str, ...] = ()  # between two candidates: "7/12 or 5/12"
    hedge_leads: tuple[str, ...] = ()  # may follow a hedge word: "or maybe it's"
    negations: tuple[str, ...] = ()  # before a candidate: "not 2"
    negation_blockers: tuple[str, ...] = ()  # "not sure but 2" is no negation of 2
    rejections: tuple[str, ...] = ()  # after a candidate: "2 is wrong"
    reasons: tuple[str, ...] = ()  # numbers after these justify, they do not answer
    conclusions: tuple[str, ...] = ()  # strong cues: the answer follows ("so", "answer")
    copulas: tuple[str, ...] = ()  # weak cues: "is", "makes", "I got"
    fillers: tuple[str, ...] = ()  # words that may surround a bare answer
    questions: tuple[str, ...] = ()  # open questions: "what do you mean by 7/12?"
    proposals: tuple[str, ...] = ()  # question forms that still propose: "how about 7/12?"
    prepositions: tuple[str, ...] = ()  # "in 6 minutes": a context number, not the answer
    determiners: tuple[str, ...] = ()  # "the right one": not the number 1
    enumerators: tuple[str, ...] = ()  # "step 3": a label, not a candidate
    contrasts: tuple[str, ...] = ()  # "not 2 but 3": a negation stops here
    explainers: tuple[str, ...] = ()  # a sentence after the answer that explains it
    number_questions: tuple[str, ...] = ()  # a question of ours that asks for a number
    naming_questions: tuple[str, ...] = ()  # a question that asks to name a thing: "which"
    months: tuple[str, ...] = ()  # "September 2, 1945": the day after a month is a date


_EN = Cues(
    hedges=_p("or | either | maybe | perhaps | possibly | and/or | or else"),
    hedge_leads=_p(
        "maybe | perhaps | possibly | is it | it's | it is | could be | could it be | it could "
        "be | might be | it might be | even"
    ),
    # English "no" corrects ("no, 5/12"); in Spanish, Portuguese and Italian it negates.
    negations=_p(
        "not | n't | never | no longer | neither | nor | isnt | cant | wont | doesnt | aint | "
        "instead of | rather than | != | ≠"
    ),
    negation_blockers=_p(
        "sure | certain | know | but | only | just | positive | confident | convinced | wait | yet"
    ),
    rejections=_p(
        "is wrong | is incorrect | is not right | is not correct | is not it | is not the "
        "answer | isn't right | isn't correct | isn't it | is false | can't be right | cannot "
        "be right | doesn't work | is too big | is too small | was wrong | is off"
    ),
    reasons=_p(
        "because | cause | 'cause | cos | coz | since | bc | b/c | due to | given that | check "
        "| checking | checked | to check | to verify | verify | verified | proof | as a check"
    ),
    conclusions=_p(
        "so | therefore | thus | hence | answer | the answer | answer is | result | final | "
        "finally | in total | altogether | which means | that means | wait | actually | i mean "
        "| sorry | oops | correction | scratch that | => | -> | → | ⇒ | ∴"
    ),
    copulas=_p(
        "= | is | are | was | were | be | 's | equals | equal to | equal | makes | make | gives "
        "| give | get | gets | got | i get | i got | i think | i'd say | i'd guess | i guess | "
        "comes to | come to | leaves | total | total of | totals | works out to | i have | i "
        "find | i found | i reckon | how about | what about | try | going with | go with"
    ),
    fillers=_p(
        "i think | i guess | i believe | i suppose | i'd say | i reckon | probably | maybe | "
        "perhaps | so | well | ok | okay | hmm | hm | um | umm | uh | right | correct | yes | "
        "yeah | yep | no | final answer | answer | my answer | the answer | is the answer | is "
        "my answer | is my final answer | is it | isn't it | lol | then | pretty sure | i'm "
        "pretty sure | i'm sure | surely | definitely | of course | it's | its | it is | that's "
        "| thats | that is | final | total | finally | result | the result | is | = | i get | i "
        "got | got | get | how about | what about | is that right | am i right | right? | no? | "
        "thanks | thank you | please | easy | done | i'd go with | going with | let's say | say "
        "| guess | my guess | my guess is | to be honest | tbh | hopefully | i hope | i am sure "
        "| for sure | is correct | is right | should be | must be | would be | will be | it "
        "should be | it must be | it would be | it will be | a | an | the | exactly | about | "
        "but | not sure | i'm not sure | i am not sure | unsure | i think so | idk | haha"
    ),
    questions=_p(
        "what | what's | whats | why | how | which | where | when | who | whose | whom | can "
        "you | could you | would you | will you | do you | did you | should i | do i | does "
        "that mean | explain | tell me | wdym"
    ),
    proposals=_p(
        "how about | what about | what if | how's | hows | should i say | should i put | "
        "should i write | should i go with | do i say | do i put | do i write"
    ),
    prepositions=_p(
        "in | for | per | of | from | after | over | at | by | within | each | every | with | "
        "out of | than | to | on | into | under | during | times | across | among | before | "
        "between | until | about"
    ),
    determiners=_p(
        "the | this | that | which | each | every | any | no | some | right | wrong | correct | "
        "other | another | last | first | next | same | only | a | an | little | big | new | "
        "old | good | bad | tricky | hard | easy | no one | someone | anyone | everyone"
    ),
    enumerators=_p("step | part | line | question | q | exercise | problem | #"),
    contrasts=_p("but | however | instead | rather"),
    explainers=_p(
        "i | i'm | i've | i'd | my | we | it's | its | that's | this | because | since | the | you"
    ),
    number_questions=_p(
        "how many | how much | how often | how far | how long | how old | what number | which "
        "number | what do you get | what does that give | what is left | what's left"
    ),
    naming_questions=_p("which | who | whom | where | when | name the | name one"),
    months=_p(
        "january | february | march | april | may | june | july | august | september | "
        "october | november | december | jan | feb | mar | apr | jun | jul | aug | sep | "
        "sept | oct | nov | dec"
    ),
)

_ES = Cues(
    hedges=_p("o | u | quizas | quiza | tal vez | a lo mejor | o bien | puede que"),
    hedge_leads=_p("quizas | quiza | tal vez | es | sera | puede ser | igual"),
    negations=_p("no | nunca | jamas | tampoco | ni | ≠"),
    negation_blockers=_p("se | seguro | segura | pero | solo | estoy | creo"),
    rejections=_p(
        "esta mal | es incorrecto | es incorrecta | no es correcto | no es correcta | no es la "
        "respuesta | es falso | no esta bien"
    ),
    reasons=_p(
        "porque | ya que | pues | puesto que | dado que | comprobando | comprobacion | "
        "comprobar | compruebo"
    ),
    conclusions=_p(
        "entonces | asi que | por lo tanto | por tanto | luego | respuesta | la respuesta | "
        "resultado | en total | total | perdon | digo | mejor dicho | espera | no espera"
    ),
    copulas=_p(
        "es | son | da | sale | queda | igual a | creo que | tengo | obtengo | me da | me sale "
        "| seria | sera"
    ),
    fillers=_p(
        "creo | creo que | supongo | pienso | pienso que | quizas | es | bueno | vale | si | no "
        "| verdad | la respuesta | respuesta | entonces | seguro | la respuesta es | es la "
        "respuesta | el resultado es | resultado | me da | gracias | creo que es | seria | sera "
        "| el | la | un | una"
    ),
    questions=_p(
        "que | por que | como | cual | cuales | cuanto | cuanta | donde | cuando | quien | "
        "puedes | podrias | me explicas"
    ),
    proposals=_p("y si | que tal | y"),
    prepositions=_p("en | por | de | para | cada | con | durante | sobre | entre | a"),
    determiners=_p("el | la | cada | otro | otra | ningun | alguno | este | ese | cual"),
    enumerators=_p("paso | parte | linea | pregunta | ejercicio"),
    contrasts=_p("pero | sino | mas bien"),
    explainers=_p("yo | es | porque | creo | el | la | mi | eso | esto"),
    number_questions=_p(
        "cuantos | cuantas | cuanto | cuanta | que numero | cual numero | cuantas veces"
    ),
    naming_questions=_p("cual | cuales | quien | quienes | donde | cuando"),
    months=_p(
        "enero | febrero | marzo | abril | mayo | junio | julio | agosto | septiembre | "
        "setiembre | octubre | noviembre | diciembre"
    ),
)

_FR = Cues(
    hedges=_p("ou | ou bien | peut-etre | peut etre | soit | ou alors"),
    hedge_leads=_p("peut-etre | peut etre | c'est | est-ce | serait-ce | alors"),
    negations=_p("pas | jamais | ni | non | ≠"),
    negation_blockers=_p("sur | sure | sais | mais | seulement | certain | certaine"),
    rejections=_p(
        "est faux | est incorrect | est incorrecte | n'est pas bon | n'est pas juste | n'est "
        "pas correct | n'est pas la reponse | ne marche pas"
    ),
    reasons=_p("parce que | parce qu' | car | puisque | vu que | verification | je verifie"),
    conclusions=_p(
        "donc | alors | ainsi | reponse | la reponse | resultat | au total | total | pardon | "
        "enfin | plutot | attends | non attends"
    ),
    copulas=_p(
        "est | c'est | fait | ca fait | egal | egale | egal a | donne | je trouve | j'obtiens | "
        "je pense | sont | serait | j'ai"
    ),
    fillers=_p(
        "je pense | je crois | c'est | peut-etre | bon | oui | non | la reponse | reponse | "
        "donc | alors | je suppose | la reponse est | c'est la reponse | je pense que | je "
        "crois que | merci | voila | le | la | les | un | une"
    ),
    questions=_p(
        "pourquoi | comment | quel | quelle | quels | quelles | que | qu'est-ce | quoi | "
        "combien | peux-tu | pouvez-vous | tu peux"
    ),
    proposals=_p("et si | pourquoi pas"),
    prepositions=_p("en | pour | par | de | dans | chaque | avec | sur | pendant | entre"),
    determiners=_p("le | la | l' | chaque | aucun | quel | autre | ce | cet"),
    enumerators=_p("etape | partie | ligne | exercice"),
    contrasts=_p("mais | plutot"),
    explainers=_p("je | j' | c'est | parce | car | le | la | mon | ma"),
    number_questions=_p(
        "combien | quel nombre | quel chiffre | que reste-t-il | qu'obtiens-tu | qu'obtenez-vous"
    ),
    naming_questions=_p("quel | quelle | quels | quelles | quand | lequel | laquelle"),
    months=_p(
        "janvier | fevrier | mars | avril | mai | juin | juillet | aout | septembre | "
        "octobre | novembre | decembre"
    ),
)

_DE = Cues(
    hedges=_p("oder | vielleicht | entweder | bzw | beziehungsweise"),
    hedge_leads=_p("vielleicht | ist es | es ist | eher"),
    negations=_p("nicht | kein | keine | keinen | nie | niemals | weder | ≠"),
    negation_blockers=_p("sicher | weiss | aber | nur | ganz"),
    rejections=_p("ist falsch | stimmt nicht | ist nicht richtig | ist nicht korrekt"),
    reasons=_p("weil | denn | da ja | probe | kontrolle"),
    conclusions=_p(
        "also | daher | somit | deshalb | deswegen | antwort | die antwort | ergebnis | "
        "insgesamt | moment | ich meine | eigentlich | nein warte | warte"
    ),
    copulas=_p(
        "ist | sind | ergibt | macht | gleich | bekomme | habe | ich denke | ich habe | es sind "
        "| waren | ware"
    ),
    fillers=_p(
        "ich denke | ich glaube | vielleicht | also | ja | nein | oder | die antwort | antwort "
        "| ist es | es ist | das ist | glaube ich | denke ich | die antwort ist | ist die "
        "antwort | danke | der | die | das | ein | eine"
    ),
    questions=_p(
        "warum | wieso | weshalb | wie | was | welche | welcher | welches | wo | wann | wer | "
        "kannst du | konnen sie"
    ),
    proposals=_p("wie ware es mit | wie ware | und wenn | was ist mit"),
    prepositions=_p("in | fur | pro | von | nach | bei | mit | je | aus | uber | zu"),
    determiners=_p("der | die | das | jeder | keiner | welcher | andere"),
    enumerators=_p("schritt | teil | zeile | aufgabe"),
    contrasts=_p("aber | sondern | eher"),
    explainers=_p("ich | das | es | weil | der | die | mein | meine"),
    number_questions=_p(
        "wie viele | wie viel | wieviel | wieviele | welche zahl | wie oft | wie lange"
    ),
    naming_questions=_p("welche | welcher | welches | welchen | wer | wo | wann"),
    months=_p(
        "januar | februar | marz | maerz | april | mai | juni | juli | august | "
        "september | oktober | november | dezember"
    ),
)

_PT = Cues(
    hedges=_p("ou | talvez | quica | ou entao"),
    hedge_leads=_p("talvez | sera | e"),
    negations=_p("nao | nunca | jamais | nem | ≠"),
    negation_blockers=_p("sei | certeza | mas | so | tenho"),
    rejections=_p("esta errado | esta errada | nao e certo | nao e correto | e errado"),
    reasons=_p("porque | pois | ja que | visto que | verificando | conferindo"),
    conclusions=_p(
        "entao | portanto | logo | resposta | a resposta | resultado | no total | total | "
        "desculpa | quer dizer | alias | espera"
    ),
    copulas=_p("sao | da | fica | igual a | acho que | obtenho | tenho | seria"),
    fillers=_p(
        "acho | acho que | eu acho | talvez | e | ne | sim | nao | a resposta | resposta | "
        "entao | a resposta e | e a resposta | obrigado | obrigada | o | a | um | uma"
    ),
    questions=_p("por que | como | qual | quais | quanto | onde | quando | quem | o que"),
    proposals=_p("e se | que tal"),
    prepositions=_p("em | por | de | para | cada | com | durante | entre | no | na"),
    determiners=_p("o | a | cada | nenhum | qual | outro | outra | este | esse"),
    enumerators=_p("passo | parte | linha | exercicio"),
    contrasts=_p("mas | porem"),
    explainers=_p("eu | porque | o | a | meu | minha | isso"),
    number_questions=_p(
        "quantos | quantas | quanto | quanta | que numero | qual numero | quantas vezes"
    ),
    naming_questions=_p("qual | quais | quem | onde | quando"),
    months=_p(
        "janeiro | fevereiro | marco | abril | maio | junho | julho | agosto | setembro | "
        "outubro | novembro | dezembro"
    ),
)

_IT = Cues(
    hedges=_p("o | oppure | forse | ovvero | o forse"),
    hedge_leads=_p("forse | e | sara"),
    negations=_p("non | mai | ne | ≠"),
    negation_blockers=_p("so | sicuro | sicura | ma | solo"),
    rejections=_p("e sbagliato | e sbagliata | non e giusto | non e corretto | e falso"),
    reasons=_p("perche | poiche | siccome | dato che | visto che | verifica"),
    conclusions=_p(
        "quindi | allora | dunque | percio | risposta | la risposta | risultato | in totale | "
        "totale | scusa | cioe | anzi | aspetta"
    ),
    copulas=_p("sono | fa | da | viene | uguale a | penso | ottengo | ho | sarebbe"),
    fillers=_p(
        "penso | credo | forse | e | si | no | la risposta | risposta | quindi | allora | la "
        "risposta e | e la risposta | grazie | il | la | un | una"
    ),
    questions=_p(
        "perche | come | quale | quali | quanto | dove | quando | chi | cosa | che cosa | puoi"
    ),
    proposals=_p("e se | che ne dici di"),
    prepositions=_p("in | per | di | da | con | ogni | su | tra | fra"),
    determiners=_p("il | lo | la | l' | ogni | nessuno | quale | altro | altra"),
    enumerators=_p("passo | parte | riga | esercizio"),
    contrasts=_p("ma | pero | piuttosto"),
    explainers=_p("io | perche | il | la | mio | mia"),
    number_questions=_p(
        "quanti | quante | quanto | quanta | quale numero | che numero | quante volte"
    ),
    naming_questions=_p("quale | quali | chi | dove | quando"),
    months=_p(
        "gennaio | febbraio | marzo | aprile | maggio | giugno | luglio | agosto | "
        "settembre | ottobre | novembre | dicembre"
    ),
)

CUES: dict[str, Cues] = {"en": _EN, "es": _ES, "fr": _FR, "de": _DE, "pt": _PT, "it": _IT}
LANGUAGES = frozenset(CUES)


def language_code(language: str) -> str:
    """Return the two-letter code of a course language ("es-MX" is "es"); "en" if unknown."""
    code = str(language).strip().lower().replace("_", "-").split("-")[0]
    return code if code in CUES else "en"


@lru_cache(maxsize=16)
def cues_for(language: str) -> Cues:
    """Return the cue words for ``language``, merged with the English ones."""
    code = language_code(language)
    if code == "en":
        return _EN
    own = CUES[code]
    merged = {
        f.name: tuple(dict.fromkeys((*getattr(own, f.name), *getattr(_EN, f.name))))
        for f in fields(Cues)
    }
    return Cues(**merged)

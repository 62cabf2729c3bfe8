"""Word lists the reflection detectors read: roles, generic people, words that are not names.

Lists are written as whitespace-separated words (lower case) so they stay easy to extend.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A job or role names a person (or a recognisable group of them) without any other help.
ROLES = _words(
    """
    owner owners founder founders cofounder cofounders co-founder co-founders manager managers
    director directors ceo cto cfo coo vp executive executives headmaster headmistress coach
    coaches coachee coachees mentee mentees mentor mentors teacher teachers nurse nurses doctor
    doctors engineer engineers developer developers designer designers freelancer freelancers
    consultant consultants accountant accountants lawyer lawyers therapist therapists
    counsellor counselor counsellors counselors student students graduate graduates marketer
    marketers realtor realtors trainer trainers photographer photographers baker bakers chef
    chefs dentist dentists pharmacist pharmacists physiotherapist physiotherapists physio
    architect architects recruiter recruiters writer writers author authors artist artists
    musician musicians salesperson salespeople employee employees retiree retirees
    colleague colleagues researcher researchers analyst analysts mechanic mechanics
    electrician electricians plumber plumbers farmer farmers veterinarian vet vets pastor
    pilot pilots supervisor supervisors boss bosses intern interns apprentice apprentices
    assistant assistants teammate teammates headteacher headteachers lecturer lecturers
    professor professors tutor tutors entrepreneur entrepreneurs solopreneur solopreneurs
    leader leaders midwife midwives paramedic paramedics carer carers caregiver
    caregivers surgeon surgeons officer officers clerk clerks cashier cashiers waiter
    waitress waiters driver drivers programmer programmers scientist scientists editor
    editors journalist journalists producer producers landlord landlords tenant tenants
    mum mums mom moms dad dads parent parents stepmom stepdad grandparent grandparents
    grandma grandpa grandmother grandfather
    """
)
# Roles of two words: "my direct report", "her line manager".
ROLE_PHRASES = (
    "direct report",
    "direct reports",
    "line manager",
    "team lead",
    "tech lead",
    "new hire",
    "new hires",
    "business owner",
    "business owners",
    "head of",
    "stay-at-home parent",
    "first-time manager",
    "first-time managers",
)
# Relations name a person only with a determiner: "my sister", "the new starter".
RELATIONS = _words(
    """
    sister brother mother father wife husband partner son daughter friend neighbour neighbor
    cousin aunt uncle niece nephew report reports starter hire peer flatmate roommate
    girlfriend boyfriend fiance fiancee sibling child kid
    """
)
POSSESSIVES = _words("my our his her their your whose")
# Nouns for people in general: never a specific person on their own ("People who...").
GENERIC_PEOPLE = _words(
    """
    people person persons women woman men man folks folk everyone everybody anyone anybody
    someone somebody no-one nobody individuals individual humans human adults adult guys
    ladies gentlemen kids children teens teenagers professionals clients client customers
    customer users user audience public humanity population groups group others
    """
)
# Capitalised words that start sentences (or are capitalised anyway) and are not names.
NOT_NAMES = _words(
    """
    i i'm i'd i'll i've a an the my our your his her their its this that these those there
    here it they we he she you me us them who what when where why how which whose whom
    and but or so because if then also just only even still yet as since while after before
    until unless though although however therefore maybe perhaps probably possibly mostly
    usually often sometimes always never ever really honestly actually basically ideally
    hopefully definitely certainly clearly obviously yes no not ok okay sure well right
    fine thanks thank hello hi hey hmm um uh oh ah lol idk yeah yep nope please sorry
    in on at by for with from to of about over under into onto out up down off through
    around between among against during without within across along behind beyond near
    every each all some any many much more most few less least other another such same
    both either neither none nothing something anything everything one two three four
    five six seven eight nine ten first second third next last new old young busy small
    big large good great bad best better worse worst early late soon now today tomorrow
    yesterday tonight morning evening afternoon night week month year day time
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december mon tue tues wed thu thurs
    fri sat sun feb mar apr jun jul aug sep sept oct nov dec
    again instead otherwise overall once twice too very quite pretty super kind sort lots
    loads plenty half whoever whatever wherever hope maybe let lets think
    coaching growth money work life career business sales revenue income price cost
    success confidence marketing leadership management stress burnout health family home
    school university college company team job role goal goals result results outcome
    offer session sessions program programme package step steps action plan plans
    busy tired stressed overwhelmed stuck lost happy sad frustrated burnt burned senior
    junior mid middle female male local single married divorced retired older younger
    anxious ambitious creative curious smart nervous stuck confused
    is are was were be been being am do does did done have has had having will would
    shall should can could might must need want like love hate think feel know see get
    got make made go going went come came say said tell told ask asked try tried let
    lets let's help give take keep find put call send write post message email meet book
    plan start stop work works working run runs
    those someone's everyone's people's women's men's
    mr mrs ms miss dr prof sir madam
    english spanish french german italian portuguese dutch chinese japanese arabic hindi
    linkedin instagram facebook twitter tiktok youtube google zoom slack teams excel
    notion whatsapp gmail outlook calendly canva substack medium reddit discord
    christmas easter ramadan diwali eid
    q1 q2 q3 q4
    """
)
# Suffixes that mark a capitalised word as an adjective, adverb or abstract noun.
NOT_NAME_SUFFIXES = (
    "ly",
    "ing",
    "ings",
    "ous",
    "ive",
    "ful",
    "less",
    "able",
    "ible",
    "tion",
    "tions",
    "sion",
    "ment",
    "ments",
    "ness",
    "ism",
    "ists",
    "ers",
    "ians",
)
# Words whose presence shows a sentence rather than a list of terms.
FUNCTION_WORDS = _words(
    """
    i me my we us our you your he him his she her they them their it its this that these
    those who which what when where why how is are was were be been am do does did have has
    had will would shall should can could might must may the a an to of in on at by for
    with from about into because so if then than as but not no i'm i'll i've i'd it's
    after before since until while during through without between
    they're she's he's we're that's there's don't doesn't didn't can't won't isn't aren't
    """
)
# Replies that say nothing on their own.
FILLER = _words(
    """
    yes no ok okay k kk sure fine maybe idk dunno lol lmao haha hmm hm um uh ah oh yeah
    yep yup nope nah cool nice thanks thx ty whatever nothing none na n/a same good great
    alright right true agreed correct exactly indeed perhaps probably possibly not sure
    dont know don't i i'm im am unsure pass next skip meh huh what why really it that
    this so
    """
)

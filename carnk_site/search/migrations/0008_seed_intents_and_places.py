"""Seed the question intents (issue 24) and the place names readers type as adjectives and demonyms.

A data migration, like the synonym groups before them, rather than a content file: intents are
settings of the search app that editors then change in the admin (with history), and loadcontent
would report each admin edit as a conflict with the shipped file. Sections are named by article
id and heading anchor and resolved at query time, so a renamed heading stops only its own boost.

The phrases come from reading which section answers each kind of question:
- age and frailty, other illnesses: "Older or frailer people" (people over 65 or with serious
  other illnesses, heart conditions) and the trial's checks (age, organs, daily life);
- after CAR-T: "If your cancer came back after CAR-T";
- outcomes: what the studies found; procedure: the trial's steps and stay; cost; where the
  trials are; safety; whether a source can be trusted.
Phrases are lay words and question shapes, not words the pages use for other things ("liver").
"""

from django.db import migrations

OLDER = "which-cancers-and-targets#older-or-frailer-people-and-brain-metastases"
SCREENING = "taking-part-in-a-trial#what-a-trial-involves"

INTENTS = [
    (
        "Age and frailty",
        """old
too old
older
elderly
aged
age
age limit
years old
year old
[60-110]
60s
70s
80s
90s
sixties
seventies
eighties
nineties
over [60-110]
pensioner
retired
frail
frailty
grandad
granddad
grandfather
grandmother
grandma
grandpa
granny""",
        f"""{OLDER}
{SCREENING}""",
    ),
    (
        "Other illnesses",
        """bad kidneys
kidney
kidneys
kidney disease
kidney failure
dialysis
heart problems
heart problem
heart condition
heart conditions
heart disease
heart failure
weak heart
bad heart
heart attack
bad liver
liver problems
liver disease
liver isn t working
liver isnt working
liver not working
lung disease
diabetes
other illness
other illnesses
other health problems
other conditions
health problems
unwell
spread to the brain
spread to his brain
spread to her brain
spread to my brain""",
        f"""{OLDER}
{SCREENING}
frequently-asked-questions#could-i-get-it""",
    ),
    (
        "After CAR-T",
        """stopped working
stop working
didn t work
didnt work
did not work
doesn t work anymore
doesnt work anymore
no longer works
not working anymore
failed
already had
had car t
after car t
after cart
after car t cell therapy""",
        """which-cancers-and-targets#if-your-cancer-came-back-after-car-t
which-cancers-and-targets#targets-and-cancers""",
    ),
    (
        "Whether it works",
        """does it work
will it work
did it work
does it actually work
actually work
work for me
success rate
success rates
successful
chance
chances
odds
get better
got better
how many people
how well
effective
is it effective
how effective
cure rate
be cured
cured
results so far
outcome
outcomes""",
        """frequently-asked-questions#what-happened-to-the-people-in-the-trials
what-the-evidence-shows#cord-blood-car-nk-cells-for-b-cell-blood-cancers-md-anderson
what-the-evidence-shows""",
    ),
    (
        "Treatment day and hospital stay",
        """the drip
drip
put the cells in
put the cells back
put them in
cells go in
the day
on the day
what happens
what happens in hospital
in hospital
hospital stay
stay in hospital
how are the cells given
how is it given
how is it done
steps
what are the steps
what does it involve
treatment involve
involve
procedure
process
what to expect""",
        f"""{SCREENING}
frequently-asked-questions#what-would-it-involve
taking-part-in-a-trial#how-long-you-may-be-away""",
    ),
    (
        "Cost",
        """how much
how much does it cost
afford
can we afford
can i afford
expensive
how expensive
who pays
pay for
pay for it
is it free
for free
free of charge
money
fees""",
        """frequently-asked-questions#what-does-it-cost
taking-part-in-a-trial#what-it-may-cost
car-nk-compared-with-car-t#what-car-t-costs""",
    ),
    (
        "Where",
        """where can i get
where can i get it
where can he get it
where can she get it
where can i have it
where is it available
where is it done
where are the trials
which countries
which country
what countries
in my country
near me
where to go
available in""",
        """frequently-asked-questions#where-are-the-trials
which-cancers-and-targets#if-car-t-is-not-available-where-you-live
which-cancers-and-targets#india
frequently-asked-questions#could-i-get-it""",
    ),
    (
        "Safety",
        """dangerous
is it dangerous
risky
risks
risk
harmful
harm
will it hurt
hurt
painful
pain
very ill
make him ill
make her ill
make me ill""",
        """frequently-asked-questions#is-it-safer-than-car-t
safety-and-side-effects#the-main-side-effects-to-know-about
frequently-asked-questions#what-are-the-side-effects""",
    ),
    (
        "Who can join",
        """could i get it
can i get it
could he get it
could she get it
could she get this
could he get this
can he have
can she have
can i have
eligible
am i eligible
is he eligible
is she eligible
qualify""",
        f"""frequently-asked-questions#could-i-get-it
{SCREENING}""",
    ),
    (
        "Whether to trust it",
        """scam
is it a scam
a scam
fraud
legit
legitimate
rip off
too good to be true
can i trust
trust""",
        """reading-the-evidence-labels#when-a-source-sells-something
frequently-asked-questions#how-do-i-know-which-sources-to-trust
taking-part-in-a-trial#what-a-trial-access-company-offers""",
    ),
]

# Places as readers name them, to the names the content uses. "US" and "EU" only in capitals ("us").
PLACE_GROUPS = [
    "USA, US, United States, the States, America, American, Americans",
    "India, Indian, Indians",
    "China, Chinese",
    "Europe, European, Europeans, EU",
    "CAR-T, cart, car t cell therapy",
]


def seed(apps, schema_editor):
    Intent = apps.get_model("search", "Intent")
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for name, phrases, sections in INTENTS:
        Intent.objects.get_or_create(name=name, defaults={"phrases": phrases, "sections": sections})
    for words in PLACE_GROUPS:
        if not SynonymGroup.objects.filter(words=words).exists():
            SynonymGroup.objects.create(words=words)


def unseed(apps, schema_editor):
    apps.get_model("search", "Intent").objects.filter(name__in=[name for name, _p, _s in INTENTS]).delete()
    apps.get_model("search", "SynonymGroup").objects.filter(words__in=PLACE_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0007_intents_and_sentences")]

    operations = [migrations.RunPython(seed, unseed)]

"""Seed the question intents (issue 24) and the place names readers type as adjectives and demonyms.

A data migration, like the synonym groups before them, rather than a content file: intents are
settings of the search app that editors then change in the admin (with history), and loadcontent
would report each admin edit as a conflict with the shipped file. Sections are named by article
id and heading anchor and resolved at query time, so a renamed heading stops only its own boost.

The phrases come from reading which section answers each kind of question:
- age and frailty, other illnesses, after CAR-T: "What the company advises" (people over 65 or
  with serious other illnesses, cancer in the brain, cancer that came back after CAR-T) and the
  trial's screening checks (diagnosis, organ tests, ECOG score) in "The steps";
- outcomes: what the studies in people found; procedure: the trial's steps and stay; cost; where
  the trials are and where they are listed; safety: the warning signs and the side effects
  reported; who can join; whether a source can be trusted: who tells it, what a seller sells.
Phrases are lay words and question shapes, not words the pages use for other things ("liver").
"""

from django.db import migrations

ADVICE = "which-cancers-and-targets#what-the-company-advises"
STEPS = "taking-part-in-a-trial#the-steps"

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
        f"""{ADVICE}
{STEPS}""",
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
liver isn t working well
liver isnt working well
liver not working well
kidneys aren t working well
kidneys arent working well
kidneys not working well
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
        f"""{ADVICE}
{STEPS}
what-you-can-do-next#talk-to-your-care-team""",
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
        f"""{ADVICE}""",
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
outcomes
response rate
response rates
does car nk work
does car nk actually work
will car nk work
how long do people live
how long will i live
how long will he live
how long will she live
live longer
life expectancy""",
        """frequently-asked-questions#does-it-work
what-the-evidence-shows#the-studies-in-people
what-the-evidence-shows#md-anderson-blood-cancers
what-the-evidence-shows#bowel-cancer-with-an-immune-drug
what-the-evidence-shows#three-trials-in-china""",
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
        f"""{STEPS}
taking-part-in-a-trial#how-long-you-may-be-away""",
    ),
    (
        "Cost",
        """how much
how much does it cost
price
prices
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
        """taking-part-in-a-trial#what-it-may-cost
frequently-asked-questions#how-long-would-i-be-away-and-what-does-it-cost""",
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
        """frequently-asked-questions#where-are-the-trials-and-how-many-are-there
what-you-can-do-next#where-trials-are-listed
which-cancers-and-targets#india
frequently-asked-questions#is-it-approved-could-i-get-it""",
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
        """safety-and-side-effects#warning-signs
safety-and-side-effects#the-side-effects-reported
frequently-asked-questions#is-it-safer-than-car-t""",
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
        f"""frequently-asked-questions#is-it-approved-could-i-get-it
{STEPS}
what-you-can-do-next#questions-to-ask-your-care-team
what-you-can-do-next#how-to-check-a-trial""",
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
        """reading-the-evidence-labels#who-tells-it
what-you-can-do-next#companies-that-sell-help
taking-part-in-a-trial#what-a-trial-access-company-sells
what-you-can-do-next#how-to-check-a-trial""",
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

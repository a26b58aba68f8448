"""The jargon list kept in the admin, seeded with the shipped terms and their plain
meanings (the same list as letters.readability.DEFAULT_JARGON when this was written)."""

from django.db import migrations

TERMS = [
    ("threshold", "the legal test a court uses before it can make a care order"),
    ("significant harm", "serious harm"),
    ("s31", "the part of the law that lets a court make a care order"),
    ("section 31", "the part of the law that lets a court make a care order"),
    ("s20", "when a child lives away from home with a parent's agreement"),
    ("section 20", "when a child lives away from home with a parent's agreement"),
    ("accommodated", "living away from home with a parent's agreement"),
    ("Part 4", "the part of the law about care orders and supervision orders"),
    ("s47", "checks we make when we think a child may be hurt"),
    ("section 47", "checks we make when we think a child may be hurt"),
    ("PLO", "the court's rules for cases about children"),
    ("Public Law Outline", "the court's rules for cases about children"),
    ("pre-proceedings", "the time before any court case, when we work with you to make changes"),
    ("proceedings", "a court case"),
    ("care proceedings", "a court case about who looks after a child"),
    ("letter before proceedings", "a letter that says we are thinking about going to court"),
    ("LBP", "a letter that says we are thinking about going to court"),
    ("PPM", "a meeting with you and your solicitor before any court case"),
    ("CIN", "a child in need plan: the help your family gets from us"),
    ("CP", "a child protection plan: a plan to keep a child safe"),
    ("LAC", "a child in our care"),
    ("looked after child", "a child in our care"),
    ("ICPC", "a meeting to decide if a child needs a plan to keep them safe"),
    (
        "child protection conference",
        "a meeting to decide if a child needs a plan to keep them safe",
    ),
    ("contact", "family time, or time with your child"),
    ("FGDM", "a family meeting"),
    ("family group decision-making", "a family meeting"),
    ("family group conference", "a family meeting"),
    ("legal gateway", "our meeting about whether to go to court"),
    ("legal planning meeting", "our meeting about whether to go to court"),
    ("schedule of expectations", "the list of what needs to change"),
    ("written agreement", "the list of what needs to change"),
    ("parental responsibility", "the rights and duties a parent has for a child"),
    ("care order", "an order that lets us decide where a child lives"),
    ("ICO", "an order that lets us decide where a child lives until the court case ends"),
    (
        "interim care order",
        "an order that lets us decide where a child lives until the court case ends",
    ),
    ("supervision order", "an order that lets us help and check on a family"),
    ("special guardianship order", "an order that lets a relative or friend bring up a child"),
    ("placement order", "an order that lets us look for a new family for a child"),
    ("emergency protection order", "an order that lets us keep a child safe in an emergency"),
    ("EPO", "an order that lets us keep a child safe in an emergency"),
    ("children's guardian", "a person the court chooses to speak up for a child"),
    ("Cafcass", "the service that finds a guardian to speak up for a child in court"),
    ("hearing", "a meeting in court with a judge"),
    ("advocate", "someone who helps you say what you think"),
    ("safeguarding", "keeping children safe"),
    ("statutory", "by law"),
    ("kinship carer", "a relative or friend who looks after a child"),
    ("connected person", "a relative or friend who looks after a child"),
    ("respite", "a short break"),
    ("LA", "the council"),
    ("local authority", "the council"),
    ("step down", "going back to a plan without court"),
]


def seed(apps, schema_editor):
    JargonTerm = apps.get_model("letters", "JargonTerm")
    for term, meaning in TERMS:
        JargonTerm.objects.get_or_create(term=term, defaults={"meaning": meaning, "active": True})


def unseed(apps, schema_editor):
    JargonTerm = apps.get_model("letters", "JargonTerm")
    JargonTerm.objects.filter(term__in=[term for term, _ in TERMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("letters", "0003_content_hearing")]

    operations = [migrations.RunPython(seed, unseed)]

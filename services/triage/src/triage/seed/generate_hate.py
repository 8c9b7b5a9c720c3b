"""Writes `abuse/hate.jsonl`: posts that name a protected group, labelled hate or not, for `triage train-hate`.

Hate is abuse aimed at people for a protected characteristic (race, nationality, religion, sexuality, gender
identity, disability, sex). The same groups appear on the other side, named neutrally or kindly (a mosque's open
day, the Polish deli, a pride parade's road closures, a report of racist graffiti), and beside ordinary
rudeness to the council, so the network learns what is said about a group, not which group is named. Written
for this project; deterministic:
    python services/triage/src/triage/seed/generate_hate.py
"""

import json
import random
from pathlib import Path

R = random.Random(1717)
GROUPS = ["muslims", "immigrants", "refugees", "asylum seekers", "foreigners", "migrants", "the polish", "romanians",
          "gypsies", "travellers", "pakistanis", "africans", "black people", "jews", "gay people", "trans people",
          "the disabled", "eastern europeans", "albanians", "somalis", "the english", "the chinese", "indians",
          "asians", "women", "lesbians", "hindus", "sikhs", "arabs", "nigerians", "bangladeshis", "syrians",
          "afghans", "kurds", "the roma", "catholics", "the irish", "autistic people", "wheelchair users", "these people"]
PLACES = ["our town", "this country", "wales", "the high street", "our estate", "the schools", "the nhs", "this city",
          "our street", "the park", "the leisure centre", "the bus"]
DEHUMAN = ["vermin", "animals", "parasites", "a plague", "cockroaches", "filth", "savages", "leeches", "scum",
           "subhuman", "a disease", "rats", "an infestation", "dirty", "disgusting", "evil", "a cancer", "invaders"]
STEREO = ["thieves", "rapists", "criminals", "terrorists", "scroungers", "beggars", "liars", "groomers", "perverts",
          "lazy", "all on benefits", "all the same", "breeding like rabbits", "ruining everything"]
EXCLUDE = ["send them all back", "get them out of {place}", "they should be deported", "ban them from {place}",
           "they don't belong here", "kick them out", "no more {group} in {place}", "they're not welcome in {place}",
           "ship them back where they came from", "close the borders to them", "shouldn't be allowed near kids",
           "should be banned from {place}", "go back to your own country", "keep them out of {place}"]
HATE = ["{group} are {dehuman}", "{group} are all {stereo}", "{group} {exclude}", "typical {group}, {stereo}",
        "{group} ruining {place}", "{group} taking over {place}", "the council gives everything to {group} and "
        "nothing to us, {exclude}", "{group} shouldn't be allowed in {place}", "sick of {group} in {place}, "
        "{exclude}", "why do we let {group} in, they're {dehuman}", "{group} = {stereo}", "{place} has gone to "
        "the dogs since {group} moved in", "{group} out of {place}", "stop housing {group}, {exclude}", "{group} "
        "get houses while we get nothing, {dehuman} the lot", "another {building} for {group}? {exclude}",
        "{group} in {place} are {dehuman}, {exclude}", "hate {group}, always have", "{group} are not human",
        "{group} breeding like rats in {place}", "cllr {name} is one of those {group}, {exclude}"]
BUILDING = ["mosque", "hotel", "housing estate", "centre", "school", "church", "temple"]
NAMES = ["Begum", "Patel", "Cohen", "Nowak", "Okafor", "Ali", "Singh", "Kaur", "Evans", "Chen"]
NOT_HATE = ["{group} deserve better housing in {place}", "great to see {group} welcomed at {place}", "the council "
            "should do more for {group} this winter", "open day at the {building} for everyone, {group} and "
            "neighbours together", "racist graffiti about {group} on the wall in {place}, please remove it",
            "someone shouted abuse at {group} in {place}, reported it to the police", "support group for {group} "
            "meets at the library on tuesdays", "{group} in {place} are our neighbours and friends", "{group} "
            "have been part of {place} for generations", "event celebrating {group} in {place} this weekend",
            "hate crime against {group} is up, the police should act", "the {building} in {place} hosted a "
            "lovely community meal", "more translators needed for {group} at the council", "{group} are welcome "
            "here", "cllr {name} spoke about {group} at the meeting", "my neighbours are {group} and they're lovely",
            "consultation on services for {group} closes friday", "the {group} community raised £{n} for the "
            "food bank", "stand with {group} against racism in {place}", "the council's plan for {group} is a "
            "waste of money imo", "are there any groups for {group} in {place}?", "{group} need more "
            "accessible buses in {place}"]
RUDE = ["useless council, bunch of {insult}", "the {staff} are {insult}", "fix the road you {insult}", "{staff} "
        "are a bunch of {insult}, bin missed again", "absolute {insult} running {place}", "whoever planned {place} "
        "is a complete {insult}"]
INSULTS = ["idiots", "clowns", "muppets", "wankers", "pricks", "twats", "morons", "dickheads", "numpties", "tossers"]
STAFF = ["councillors", "bin men", "parking wardens", "planners", "mayor's office", "police"]
VOICE = ["{t}", "{t}!!", "@CityCouncil {t}", "{t} 😡", "{t} #justsaying", "honestly {t}", "{t}. simple as",
         "RT @angry_patriot: {t}", "{t} lol", "{t} 🤬🤬", "@Cllr_Evans {t}", "{t} tbh", "sorry but {t}"]


def fill(t: str) -> str:
    t = t.format(group="{group}", place="{place}", dehuman="{dehuman}", stereo="{stereo}", exclude="{exclude}",
                 building="{building}", name="{name}", n="{n}", insult="{insult}", staff="{staff}")
    for _ in range(2):
        t = (t.replace("{exclude}", R.choice(EXCLUDE), 1).replace("{group}", R.choice(GROUPS))
             .replace("{place}", R.choice(PLACES)).replace("{dehuman}", R.choice(DEHUMAN))
             .replace("{stereo}", R.choice(STEREO)).replace("{building}", R.choice(BUILDING))
             .replace("{name}", R.choice(NAMES)).replace("{n}", str(R.randint(2, 900)))
             .replace("{insult}", R.choice(INSULTS)).replace("{staff}", R.choice(STAFF)))
    t = R.choice(VOICE).replace("{t}", t)
    return t.lower() if R.random() < 0.6 else t[:1].upper() + t[1:]


def posts() -> list[dict]:
    rows = [{"text": fill(R.choice(HATE)), "abuse": "hate"} for _ in range(3000)]
    rows += [{"text": fill(R.choice(NOT_HATE)), "abuse": "none"} for _ in range(2500)]
    rows += [{"text": fill(R.choice(RUDE)), "abuse": "offensive"} for _ in range(800)]
    R.shuffle(rows)
    return rows


if __name__ == "__main__":
    out = Path(__file__).parent / "abuse" / "hate.jsonl"
    rows = posts()
    out.write_text("".join(json.dumps({"id": f"seed-hate-{i:05d}", **r}, ensure_ascii=False) + "\n"
                           for i, r in enumerate(rows, 1)), encoding="utf-8")
    print(f"wrote {len(rows)} posts to {out}")

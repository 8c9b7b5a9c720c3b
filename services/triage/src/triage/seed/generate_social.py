"""Writes `social.jsonl`: social-media posts to a public body in many voices, written for this project.

Most mentions of a council or police force on social media ask for nothing: thanks, praise, opinions, shared
news, replies between other people, spam, bare lists of @handles. They are labelled `general` (the taxonomy's
"not a service request") with urgency `normal`, so the department model and the urgency model both learn that
everyday social wording, emoji and slang are not work and not emergencies. Service requests in the same voices
(@handles, hashtags, SMS spelling, Hinglish and Welsh-English) are labelled with their department, so a request
written socially still reaches its queue. Deterministic:
    python services/triage/src/triage/seed/generate_social.py
"""

import json
import random
from pathlib import Path

HANDLES = ["@Council", "@YourCouncil", "@TownHallTeam", "@CountyCouncil", "@LocalPolice", "@NbhdPolicing", "@TheMayor",
           "@CllrJones", "@CllrPatel", "@LocalNewsDesk", "@RadioTown", "@BusCoLocal"]
PEOPLE = ["@jess_m", "@daz1984", "@priya_k", "@tommo_b", "@auntie_val", "@mr_okafor", "@wendyw", "@big_steve_88",
          "@lizzy_loo", "@kaz_h", "@rhys_ap", "@gurpreet_s", "@nana_jo", "@the_real_kev", "@sami_r", "@bethanyxo"]
EMOJI_GOOD = ["", "", "👏", "🙏", "❤️", "💚", "👍", "😍", "🙌", "✨", "🌸", "☀️", "😊", "🥰", "💯", "⭐"]
EMOJI_CHAT = ["", "😂", "🤣", "😅", "🙈", "👀", "🤷", "😬", "🙄", "😆", "x", "xx"]
EMOJI_BAD = ["", "😡", "🤬", "😤", "🙄", "😒", "🤢", "😳"]
TAGS_GOOD = ["", "", "#community", "#proud", "#localhero", "#thankyou", "#lovewhereyoulive", "#sunnyday"]
TAGS_OPINION = ["", "", "#localelections", "#councilfail", "#ripoff", "#wasteofmoney", "#notinmyname", "#politics"]
URLS = ["https://t.co/x8Fq2LmP", "https://t.co/Pq81zz", "bit.ly/3kQm", "https://news.example/story/4411", "pic.twitter.com/a9Zr"]
PLACES = ["the park", "the high street", "the market square", "the library", "the leisure centre", "the town hall",
          "the seafront", "the canal path", "the precinct", "our estate", "the rec", "the bandstand", "the museum"]
STREETS = ["Tanner's Row", "Beech Crescent", "Old Forge Lane", "Wyndham Rd", "Saxon Way", "Harbour St", "Elder Close",
           "Nelson Terrace", "Quarry Hill", "Rowan Drive", "Coronation Ave", "Mill Lane", "Church Walk", "Orchard Way", "Princes St"]

THANKS = [
    "thanks for {did}", "thank you so much for {did}", "massive thanks to the team for {did}", "cheers for {did}",
    "ty for {did}", "thx for {did}", "big thank you to whoever {did2}", "just wanted to say thanks for {did}",
    "huge thanks to the crew who {did2}", "much appreciated, {did} made my week", "shout out to the staff for {did}",
    "diolch yn fawr for {did}", "bahut shukriya for {did}", "thanks guys, {did} was spot on",
]
DID = ["sorting it so quickly", "the quick reply", "getting back to me", "clearing the snow", "fixing it in a day",
       "the help on the phone today", "replying on a sunday", "the update", "looking into it", "all your hard work",
       "keeping us safe this weekend", "the advice", "the new benches", "the lovely flower beds", "emptying the bins in the heat",
       "putting the lights up", "the info", "being so patient with my mum"]
DID2 = ["cleared the path", "planted the bulbs", "fixed the swings", "repainted the railings", "picked up the litter after the fair",
        "helped my dad when he fell in town", "found my dog", "answered the phone at 8am", "organised the fireworks"]
PRAISE = [
    "{place} looks stunning today", "{place} is looking gorgeous in the sunshine", "what a brilliant day at {place}",
    "so proud of our town today", "love what you've done with {place}", "well done everyone involved in the festival",
    "the christmas market was amazing this year", "fair play, {place} has never looked better", "best council in the country tbh",
    "the new playground at {place} is fab, kids love it", "credit where it's due, {place} is spotless", "legends the lot of you",
    "great job on the carnival", "our kids had the best time at the summer fun day", "beautiful display at {place}",
    "top work by the gritters last night", "respect to the officers at the match, handled it brilliantly",
    "council ne is baar mela bahut accha organise kiya", "da iawn pawb, the eisteddfod was gwych",
    "nice one, the new bus station is way better", "keep it up, {place} is a credit to the town",
]
OPINION = [
    "another 20mph zone, who asked for this", "the council budget priorities are a joke", "cycle lanes nobody uses, waste of money",
    "councillors more interested in photo ops than anything", "can't believe they voted for this", "council tax up again and for what",
    "the low traffic scheme is the best thing to happen to our street imo", "typical, consultation already decided",
    "unpopular opinion but the new library design is ugly", "this lot should resign", "what a shambles the meeting was",
    "no wonder nobody trusts the council", "the mayor is doing a decent job tbh", "i think the parking charges are daylight robbery",
    "why does every town centre look the same now", "the clean air zone will kill the high street", "politics round here is a circus",
    "honestly the council can't win, people moan whatever they do", "vote them all out in may", "sack the lot of them",
    "itna paisa barbaad, sab neta ek jaise", "in my opinion the new flats are far too tall",
]
NEWS = [
    "BREAKING: ring road closed both ways after collision, avoid the area {url}", "Council confirms new library opening hours from Monday {url}",
    "Plans for riverside flats approved by councillors last night {url}", "Consultation opens on the new town centre scheme, read more {url}",
    "Police say the man has now been found safe and well, thanks for sharing", "UPDATE: the A-road has now reopened {url}",
    "Travel update: delays on the bypass this morning after a breakdown, now cleared", "New bins being rolled out across the borough from June {url}",
    "Council announces extra funding for youth clubs {url}", "Weather warning for heavy rain tomorrow, full story {url}",
    "Tickets now on sale for the summer festival {url}", "Join us at the town hall on Friday for the open evening {url}",
    "Statement from the leader of the council on the budget {url}", "Local paper reports the leisure centre will close for refurb in spring",
]
CHAT = [
    "haha same mate", "you're right tbh", "lol you should see the one on my road", "agreed 100%", "see u at the game later bro",
    "omg is that your mum in the pic", "did you get home ok x", "happy birthday hun have a good one", "congrats on the new job!!",
    "nah he's talking rubbish", "this 👆", "exactly what i said", "well said", "deffo going on saturday, you coming?",
    "miss you guys", "good luck tomorrow", "ikr, every single time", "bless him", "proper funny that", "aww love this",
    "same here mate, same", "tell your nan i said hi", "yaar tu bhi na 😂", "lol pam's gonna love that",
]
SPAM = [
    "Earn £500 a day from your phone, DM for info {url}", "Follow me for daily crypto tips 🚀 {url}", "Check out my channel for giveaways {url}",
    "70% off designer trainers today only shop now {url}", "Guaranteed returns on forex, whatsapp me on 07000 000000",
    "free followers here {url}", "Investment opportunity, bitcoin doubling {url}", "promo code SAVE20 at checkout {url}",
    "Buy likes and followers cheap {url}", "Sugar daddy looking for sugar baby DM me",
]
EVERYDAY = [
    "good morning from {place} ☀️", "gd mrng all, lovely day 4 it", "sunset over {place} tonight was unreal", "lunch in {place} with the girls",
    "first swim of the year at {place}, freezing", "anyone else watching the match tonight", "tomatoes finally coming through on the allotment",
    "walked the dog round {place}, so peaceful", "our school choir sang at {place} today, so proud", "market day, got my veg",
    "come down to our community litter pick on saturday 10am, bring gloves", "ready for the weekend", "what a storm last night",
]
# service requests in social voice: (department, text)
REQUESTS = [
    ("waste", "bins not been collected on {street} for 2 weeks now, whole street stinks"), ("waste", "my brown bin was missed again today, third time this month"),
    ("waste", "someone's dumped a fridge and mattresses in the alley behind {street}"), ("waste", "glass all over the pavement on {street}, kids walk here"),
    ("waste", "graffiti all over the underpass by {street} again"), ("waste", "recycling not picked up on {street}, pls sort"),
    ("waste", "yaar {street} pe kooda 4 din se pada hai, please clear karo"), ("waste", "mae'r biniau heb eu casglu ar {street} again"),
    ("highways", "massive pothole at the bottom of {street}, nearly came off my bike"), ("highways", "pavement on {street} all lifted by tree roots, my mum tripped"),
    ("highways", "drain on {street} STILL blocked and the road floods every time it rains"), ("highways", "road sign knocked down on {street} corner"),
    ("highways", "bhai {street} pe bada gaddha hai, car ka tyre phat gaya"), ("highways", "twll mawr yn y ffordd on {street}, plis trwsiwch"),
    ("street_lighting", "street lamp outside no 22 {street} flickering all night, can someone take a look pls"),
    ("street_lighting", "{street} street lights out since tues, v dark walking home"), ("street_lighting", "{street} pe street light 1 hafte se band hai"),
    ("parks_trees", "grass on {street} estate not been cut all summer, up to my knees"), ("parks_trees", "tree branch hanging off over the path in the park, could fall any min"),
    ("parks_trees", "swings broken at the play area off {street}, been weeks"), ("parking", "car with no plates left on {street} 6 weeks now, flat tyres n all"),
    ("parking", "people parking on the double yellows outside the school on {street} every morning"), ("parking", "how do i get a resident parking permit for {street}?"),
    ("transport", "traffic lights at {street} crossroads stuck on red both ways"), ("transport", "bus shelter on {street} smashed to bits, glass everywhere"),
    ("transport", "the 42 bus hasn't turned up for an hour again"), ("housing", "my council flat has had black mould in the bedroom since november"),
    ("housing", "boiler broken in our council house, no heating with a baby"), ("housing", "being evicted next week and have nowhere to go"),
    ("council_tax_benefits", "charged twice for council tax this month, pls refund"), ("council_tax_benefits", "how do i apply for the single person discount?"),
    ("environmental_health_asb", "neighbours dog barking non stop every night, who do we complain to"),
    ("environmental_health_asb", "rats coming out of the drains on {street}"), ("environmental_health_asb", "loud music from the flat above till 4am every weekend"),
    ("libraries_leisure", "does the library still do the toddler sessions on wednesdays?"), ("libraries_leisure", "is the leisure centre pool open over easter?"),
    ("police", "lads on scramblers tearing round the rec again, nearly hit a kid"), ("police", "my bike got nicked from outside the station last night"),
    ("police", "someone tried all the car doors on {street} at 3am, caught on my ring doorbell"),
    ("planning", "neighbour building a massive extension without planning permission"), ("social_care", "my nan can't cope at home on her own any more, who do i contact"),
    ("general", "who's my local councillor for {street}?"), ("general", "what are the council offices opening hours over xmas?"),
]
SMS = {"you": "u", "your": "ur", "please": "pls", "thanks": "thx", "for": "4", "to": "2", "are": "r", "before": "b4",
       "tonight": "2nite", "people": "ppl", "because": "cos", "great": "gr8", "and": "n", "see": "c"}


def smsify(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    return " ".join(SMS.get(w, w) if rng.random() < 0.6 else w for w in words)


def voice(text: str, rng: random.Random, emoji: list[str], tags: list[str], *, lead: str = "") -> str:
    if rng.random() < 0.3:
        text = smsify(text, rng)
    if rng.random() < 0.5:
        text = text[0].upper() + text[1:]
    if rng.random() < 0.15:
        text = text.upper() if len(text) < 60 else text
    parts = [p for p in (lead, text, rng.choice(emoji), rng.choice(tags)) if p]
    return " ".join(parts).strip()


def posts(rng: random.Random) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    fill = {"place": lambda: rng.choice(PLACES), "url": lambda: rng.choice(URLS), "street": lambda: rng.choice(STREETS),
            "did": lambda: rng.choice(DID), "did2": lambda: rng.choice(DID2)}

    def f(t: str) -> str:
        for k, fn in fill.items():
            while "{" + k + "}" in t:
                t = t.replace("{" + k + "}", fn(), 1)
        return t

    for _ in range(140):
        out.append(("general", voice(f(rng.choice(THANKS)), rng, EMOJI_GOOD, TAGS_GOOD, lead=rng.choice(["", rng.choice(HANDLES)]))))
        out.append(("general", voice(f(rng.choice(PRAISE)), rng, EMOJI_GOOD, TAGS_GOOD, lead=rng.choice(["", "", rng.choice(HANDLES)]))))
        out.append(("general", voice(f(rng.choice(OPINION)), rng, EMOJI_BAD + EMOJI_CHAT, TAGS_OPINION, lead=rng.choice(["", "", rng.choice(HANDLES)]))))
    for _ in range(100):
        lead = " ".join(rng.sample(PEOPLE, rng.randint(1, 2)) + ([rng.choice(HANDLES)] if rng.random() < 0.4 else []))
        out.append(("general", voice(f(rng.choice(CHAT)), rng, EMOJI_CHAT, [""], lead=lead)))
        news = f(rng.choice(NEWS))
        out.append(("general", ("RT " + rng.choice(HANDLES) + ": " + news) if rng.random() < 0.4 else news))
        out.append(("general", voice(f(rng.choice(EVERYDAY)), rng, EMOJI_GOOD, TAGS_GOOD)))
    for _ in range(40):
        out.append(("general", f(rng.choice(SPAM)) + " " + rng.choice(HANDLES)))
        out.append(("general", " ".join(rng.sample(HANDLES, rng.randint(2, 5))) + rng.choice(["", " 👀", " 👏👏", " this", " 🙄"])))
    for _ in range(320):
        dep, t = rng.choice(REQUESTS)
        out.append((dep, voice(f(t), rng, EMOJI_BAD + [""], ["", "", "#fixit", "#binday", "#potholes", "#sortitout"],
                               lead=rng.choice(["", rng.choice(HANDLES), rng.choice(HANDLES) + " " + rng.choice(HANDLES)]))))
    seen, unique = set(), []
    for dep, t in out:
        if t.lower() not in seen:
            seen.add(t.lower())
            unique.append((dep, t))
    return unique


def main() -> None:
    rng = random.Random(16)
    here = Path(__file__).resolve().parent
    with open(here / "social.jsonl", "w", encoding="utf-8") as fh:
        for i, (dep, text) in enumerate(posts(rng), start=1):
            fh.write(json.dumps({"id": f"seed-social-{i:04d}", "text": text, "department": dep, "urgency": "normal"},
                                ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

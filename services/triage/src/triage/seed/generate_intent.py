"""Writes `intent/posts.jsonl`: social posts to a public body, labelled actionable or not, in many voices.

For the learned not-a-request decision (`triage train-intent`). Both sides name the same services (bins,
potholes, the library, council tax, councillors), so the network learns *how* a post asks or does not ask,
not which service it names: a report or question about a problem now is work; praise, thanks, opinions,
news and shares, chat between people, nostalgia, onlookers, good wishes, self-resolved posts and spam are
not. Every post then goes through the same voice changes (@handles, hashtags, links, emoji, retweets, SMS
spelling, capitals, typos, Welsh-English and Hinglish words), so no marker gives the label away. Deterministic:
    python services/triage/src/triage/seed/generate_intent.py
"""

import json
import random
import re
from pathlib import Path

from intent_vocab import (
    COUNCIL,
    DOING,
    EVERYDAY,
    FEEL,
    MEMORY,
    PEOPLE,
    PLACES,
    RESIGNED,
    SHOPS,
    SHRUG,
    SOURCES,
    SPOTTED,
    STREETS,
    SURPRISE_ADJ,
    TOPICS,
    URLS,
    WEATHER,
    WELSH_NOT,
    WELSH_REQUEST,
    WHEN,
    WHO,
    YEARS,
)

R = random.Random(1616)
SLOT = re.compile(r"\{(\w+)\}")
GOOD = ["brilliant", "amazing", "spot on", "class", "mint", "lush", "fab", "unreal", "gorgeous", "top notch",
        "so much better", "a credit to the town", "the best in years", "proper lovely", "banging", "bahut accha",
        "gwych", "ace", "quality", "next level"]
BAD_OPINION = ["a joke", "a national embarrassment", "a waste of money", "a shambles", "getting worse every year",
               "not what it was", "a disgrace", "run by clowns", "pointless", "a total farce", "embarrassing tbh",
               "bakwaas", "always the same old story", "overpriced", "beyond a joke"]
STAFF = ["the bin men", "the lady at the library", "the gritter drivers", "the lifeguards", "the call centre staff",
         "the street cleaners", "the park rangers", "PC Davies", "the planning officer", "the carers", "the crew",
         "the team at the tip", "the council workers", "the bus driver on the 44"]
DID = ["sorting it so fast", "getting back to me", "the quick reply", "clearing the snow", "all the hard work this "
       "year", "being so patient with my nan", "fixing the road on our street", "the lovely flower beds", "putting "
       "the christmas lights up", "emptying the bins in the heat", "the help on the phone", "keeping us safe",
       "coming out on a sunday", "the advice", "the new benches in the park", "the update"]
EVENTS = ["the christmas market", "the fireworks", "the food festival", "the half marathon", "the summer fete",
          "the carnival", "the pride parade", "the eisteddfod", "the diwali mela", "the farmers market",
          "the beach clean", "the coffee morning", "the remembrance parade", "the jazz festival"]
DAYS = ["saturday", "sunday", "tomorrow", "this weekend", "tonight", "next friday", "on the 14th", "bank holiday monday"]
CHAT = ["lol", "haha", "😂😂", "no way", "same", "fr", "tbf", "honestly", "mate", "hun", "bro", "yaar", "innit",
        "to be fair", "omg", "ikr", "bless", "aww", "100%", "agreed", "fair point"]
HEADLINES = ["council tax set to rise by {pct}% from april", "{topic} budget cut by £{n}m in new plans",
             "new {facility} to open in {place} next year", "councillors vote to scrap {topic} scheme",
             "police appeal after {crime} in {place}", "{topic} review finds {n} problems", "{place} named one of the "
             "best places to live", "{topic} strike called off after pay deal", "roads to close for {event}",
             "amber weather warning for rain across the region", "mayor to step down at next election",
             "council approves {n} new homes on {street}", "{event} returns to {place} this summer",
             "new figures show {topic} complaints up {pct}%"]
FACILITY = ["leisure centre", "library", "bus station", "skate park", "school", "health centre", "cycle bridge"]
CRIME = ["a burglary", "a robbery", "a car theft", "a break-in at a shop", "criminal damage"]


def pick(xs):
    return R.choice(xs)


def fill(s: str, dept: str | None = None) -> str:
    """Each {slot} filled on its own (two {person} slots are two people); slots inside a filled phrase too."""
    things = TOPICS[dept or pick(list(TOPICS))][0]
    slots = {"street": STREETS, "place": PLACES, "shop": SHOPS, "thing": things, "facility": FACILITY,
             "crime": CRIME, "event": EVENTS, "day": DAYS, "good": GOOD, "bad": BAD_OPINION, "staff": STAFF,
             "did": DID, "chat": CHAT, "person": PEOPLE, "source": SOURCES, "url": URLS, "headline": HEADLINES,
             "pct": ["3", "4.99", "5", "7", "9.5"], "who": WHO, "doing": DOING, "feel": FEEL, "when": WHEN,
             "weather": WEATHER, "spotted": SPOTTED, "memory": MEMORY, "resigned": RESIGNED, "adj": SURPRISE_ADJ,
             "year": YEARS}
    for _ in range(3):
        s = SLOT.sub(lambda m: _slot(m.group(1), slots, things), s)
        if "{" not in s:
            break
    return s


def _slot(name: str, slots: dict, things: list[str]) -> str:
    if name == "n":
        return str(R.randint(2, 180))
    if name == "topic":
        return pick(things).replace("the ", "")
    return pick(slots[name]) if name in slots else "{" + name + "}"


NOT_ACTIONABLE = {
    "praise": ["{thing} looking {good} today", "honestly {thing} in this town are {good}", "have to say {thing} "
               "round here are {good} now", "{staff} are {good}, always smiling", "big up {staff}",
               "fair play to {staff}, {good}", "love {thing} in {place}", "{staff} deserve a pay rise",
               "went past {place} today, {thing} look {good}", "can we just appreciate {staff} for a sec",
               "{thing} on {street} are {good} since the work last year", "well done to whoever did {thing} at {place}"],
    "thanks": ["thanks for {did}", "massive thank you to {staff} for {did}", "cheers for {did}", "thank you {staff}, "
               "{did} made my week", "diolch to {staff} for {did}", "ty for {did} 🙏", "all sorted now thanks",
               "thanks for the reply, all good now", "just wanted to say thanks for {did}", "shukriya {staff}, {good}"],
    "opinion": ["{thing} in this city are {bad}", "{thing} are {bad} and everyone knows it", "unpopular opinion: "
                "{thing} are fine, people just love a moan", "the council spent £{n}k on {topic}, {bad}",
                "why is it always the same councillors who talk about {topic}", "the {topic} plans are {bad}",
                "people complaining about {thing} again, some people have nothing better to do", "{thing} were "
                "better when I was a kid", "imagine paying council tax for {thing} like this", "every council in "
                "the country has the same problem with {topic}, it's not just us", "the mayor should resign over "
                "{topic}", "not voting for any of them after the {topic} mess", "can't believe people still moan "
                "about {thing}", "cost of {topic} going up again, what a surprise", "say what you like about "
                "{thing} but at least they're trying"],
    "news": ["{source}: {headline}", "RT {source}: {headline}", "{headline} {url}", "interesting read on {topic} "
             "{url}", "worth a watch, the council debate on {topic} {url}", "reminder: {event} is on {day} at "
             "{place}", "{event} {day} at {place}, all welcome", "{headline}, according to {source}",
             "council meeting on {topic} tonight, agenda online if anyone's interested", "just in: {headline}",
             "consultation on {topic} closes {day}, have your say {url}", "polling stations open 7am to 10pm {day}"],
    "conversation": ["{person} {chat} he's been saying that for years", "{person} {person} same, I'd be fuming",
                     "{person} yeah {thing} were {good} when I went too", "{person} ask the council mate, they "
                     "might know", "{person} {chat} not sure tbh", "{person} hope you get it sorted hun x",
                     "{person} {chat} that's what I said", "{person} you're not wrong {chat}", "{person} did you "
                     "go to {event}?", "{person} see you at {place} {day}", "{person} {person} {person}",
                     "{person} no chance they fix that before christmas {chat}", "{person} congrats!! 🎉"],
    "remarks": ["off to {place} with the kids, {thing} are {good}", "just got back from {place}, {good} day",
                 "queue at the tip was mad today {chat}", "remember when {thing} had the big slide? proper childhood",
                 "{day} plans: {event} then chippy", "bin day tomorrow, don't forget to put yours out folks",
                 "my bin does a little dance in the wind every tuesday {chat}", "first swim at the leisure centre "
                 "in years, felt good", "grandad says {thing} were better in his day {chat}", "quiet on the roads "
                 "this morning, work in 10 mins for once", "snow day! schools shut across the county", "lovely "
                 "frosty morning in {place}", "council tax bill arrived, hurts every year", "moving to {street} "
                 "next month, any tips?", "car wash at {shop} is back open"],
    "onlooker": ["three police cars just flew down {street}, hope everyone's ok", "helicopter circling over {place} "
                 "again, anyone know what's going on?", "ambulance and police at the end of {street}, anyone know "
                 "what happened?", "road closed at {street}, looks like something happened", "fire engines at "
                 "{shop}, all seemed fine"],
    "greeting": ["happy diwali everyone", "merry christmas to {staff}", "nadolig llawen pawb", "eid mubarak to all "
                 "celebrating", "happy new year from {street}", "rest in peace to the lollipop lady on {street}",
                 "thoughts with the family of PC Morgan", "good morning {place} ☀️", "dydd gwyl dewi hapus",
                 "happy retirement to {staff}, you'll be missed", "the missing dog from {street} is home safe, "
                 "thanks for sharing"],
    "everyday": EVERYDAY,
    "shrug": SHRUG,
    "welsh": WELSH_NOT,
    "spam": ["FREE iPhone giveaway!! follow and RT to win {url}", "earn £{n}0 a day from home, DM me",
             "check out my channel for {topic} vids {url}", "crypto signals, guaranteed returns, link in bio",
             "cheap followers 1000 for £5 {url}", "sugar daddy wanted dm me"],
}

REPORT = ["{problem}", "{problem}, can someone sort it", "{problem}. this is the third time I've reported it",
          "{problem}!! {ask}", "{problem}, ref {n}{n}", "{ask} {problem}", "{problem} since {day}", "still waiting, "
          "{problem}", "hi, {problem}", "{problem}, who do I contact?", "{problem} and nobody's done anything",
          "{problem}, any chance someone can come out?", "{problem} {chat} sort it out", "{problem}. when will it be "
          "fixed?", "thanks for {did} but {problem}", "{thing} are {good} but {problem}", "love {thing} but {problem}",
          "{problem}, been like it for weeks", "{problem} - please help", "urgent: {problem}"]
QUESTIONS = ["how do I {service}?", "can I {service}?", "is there a way to {service}?", "where do I {service}?",
             "anyone know how to {service}? the website is useless", "need to {service}, who do I ask?",
             "how long does it take to {service}?", "hi, I'd like to {service}"]
ASKS = ["please sort it", "pls can someone look", "can you send someone", "please fix", "sort it out", "help!",
        "can someone come and look", "please kuch karo", "plis helpwch", "who do I report this to", "any update?"]
WELSH = {"today": "heddiw", "please": "plis", "thanks": "diolch", "street": "stryd", "the council": "y cyngor"}
HINGLISH = [" yaar", " bhai", " kab tak?", " abhi tak koi nahi aaya", " bahut bura haal hai", " kuch toh karo"]
SMS = {"you": "u", "please": "pls", "people": "ppl", "tonight": "2nite", "for": "4", "to": "2", "thanks": "thx",
       "because": "cos", "your": "ur", "are": "r", "tomorrow": "2moro", "before": "b4", "great": "gr8",
       "really": "rly", "someone": "sum1", "with": "wiv", "what": "wot"}
EMOJI = ["👏", "🙏", "❤️", "😂", "🤣", "🙄", "😡", "🤬", "😩", "👍", "🔥", "💯", "😍", "🤷", "👀", "😬", "💀", "✨",
         "🥲", "😤", "🏴󠁧󠁢󠁷󠁬󠁳󠁿", "🐀", "🚮", "🚧"]
TAGS = ["#bins", "#potholes", "#cardiff", "#wales", "#council", "#fail", "#community", "#proud", "#local",
        "#fixmystreet", "#rant", "#lovewhereyoulive", "#mondaymotivation", "#fb", "#sorted", "#justsaying"]


def voice(text: str, actionable: bool) -> str:
    """The same changes for both labels: markers must not give the answer away."""
    words = text.split()
    if R.random() < 0.25:
        words = [SMS.get(w.lower(), w) if R.random() < 0.7 else w for w in words]
    if R.random() < 0.08:
        words = [WELSH.get(w.lower(), w) for w in words]
    text = " ".join(words)
    if R.random() < 0.1:
        text += pick(HINGLISH)
    if R.random() < 0.06 and len(text) > 12:
        i = R.randrange(1, len(text) - 2)
        text = text[:i] + text[i + 1:] if R.random() < 0.5 else text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if R.random() < 0.35:
        text = f"{pick(COUNCIL)} {text}"
    elif R.random() < 0.12:
        text = f"{pick(PEOPLE)} {pick(COUNCIL)} {text}"
    if R.random() < 0.3:
        text += " " + "".join(pick(EMOJI) for _ in range(R.randint(1, 3)))
    if R.random() < 0.2:
        text += " " + " ".join(pick(TAGS) for _ in range(R.randint(1, 2)))
    if R.random() < 0.12:
        text += " " + pick(URLS)
    if R.random() < 0.08 and not actionable:
        text = f"RT {pick(SOURCES + PEOPLE)}: {text}"
    r = R.random()
    if r < 0.45:
        text = text.lower()
    elif r < 0.5:
        text = text.upper()
    elif r < 0.8:
        text = text[:1].upper() + text[1:]
    return text


def posts() -> list[dict]:
    rows = []
    for kind, frames in NOT_ACTIONABLE.items():
        count = {"spam": 250, "greeting": 700, "onlooker": 400, "everyday": 2000, "welsh": 400}.get(kind, 1300)
        for _ in range(count):
            rows.append({"text": voice(fill(pick(frames)), False), "intent": "not_actionable",
                         "reason": kind, "department": "general"})
    for dept, (_, problems, services) in TOPICS.items():
        for _ in range(550):
            problem = fill(pick(problems), dept)
            text = pick(REPORT).replace("{problem}", problem).replace("{ask}", pick(ASKS))
            rows.append({"text": voice(fill(text, dept), True), "intent": "request", "department": dept})
        for _ in range(120):
            service = fill(pick(services), dept)
            rows.append({"text": voice(pick(QUESTIONS).replace("{service}", service), True), "intent": "question",
                         "department": dept})
    for _ in range(500):
        dept, text = pick(WELSH_REQUEST)
        rows.append({"text": voice(fill(text, dept), True), "intent": "request", "department": dept})
    R.shuffle(rows)
    return rows


if __name__ == "__main__":
    out = Path(__file__).parent / "intent" / "posts.jsonl"
    rows = posts()
    out.write_text("".join(json.dumps({"id": f"seed-intent-{i:05d}", **r}, ensure_ascii=False) + "\n"
                           for i, r in enumerate(rows, 1)), encoding="utf-8")
    print(f"wrote {len(rows)} posts to {out}")

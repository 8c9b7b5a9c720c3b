"""Writes `urgency/critical_social.jsonl` and `urgency/decoys_social.jsonl`: danger in social-media voice, and the
everyday posts that use the same words without any danger, written for this project.

Kinds of danger the earlier seed covered thinly: a missing child or vulnerable adult, a domestic threat, harassment
happening now, distress shared by a third party ("my mate posted goodbye"), threats made in a comment, in
@-mentions, SMS spelling, Hinglish and Welsh-English. Decoys: hyperbole and banter ("gonna kill my brother lol"),
grief, missing pets, people found safe, past and resolved events, news and fundraising about the same topics.
They train the neural second opinion (`triage/domain/neural.py`) and the linear urgency model. Deterministic:
    python services/triage/src/triage/seed/generate_danger.py
"""

import json
import random
from pathlib import Path

WHO_YOUNG = ["my little brother", "my sister", "my son", "my daughter", "my niece", "my nephew", "my step son",
             "our youngest", "my cousin's boy", "the lad next door", "my best mate's little sister", "my stepdaughter"]
AGES = ["7", "9", "11", "12", "13", "14", "15", "16"]
WHO_VULN = ["my nan", "my grandad", "my dad, who has dementia,", "my mum, she's got alzheimers,", "my uncle, he's autistic and nonverbal,",
            "my brother, he's on insulin,", "my gran", "the old boy from number 12", "my aunty, she's epileptic,",
            "my dad, he's been really depressed,", "my mate, he's been talking about ending it,", "my girlfriend, she's bipolar and off her meds,"]
GONE = ["hasn't come home since {t}", "went out {t} and nobody's heard from", "walked out {t} in slippers and no coat",
        "not been seen since {t}", "left the house {t} and isn't answering", "wandered off from the care home {t}",
        "didn't turn up at school and no one knows where", "phone's been off since {t}", "got off the bus {t} and never arrived home"]
TIMES = ["last night", "this morning", "2 hours ago", "dinner time", "yesterday after school", "around 4pm", "friday", "lunchtime"]
ABUSER = ["my ex", "her boyfriend", "my husband", "my partner", "his stepdad", "my sister's fella", "my dad", "the bloke she lives with",
          "my baby's dad", "her ex"]
THREAT = ["said he'll kill me", "says he's going to burn the house down with us in it", "is outside with a knife shouting",
          "is banging on the door saying he'll break my neck", "messaged that tonight he's going to finish me", "said if I call anyone he'll hurt the kids",
          "is kicking the door in", "has got a bat and is smashing the windows", "keeps saying he'll stab me", "said I won't see the morning",
          "took my phone and locked me in", "is strangling her, I can hear it through the wall", "punched her and she's not getting up",
          "is threatening to drive off with the baby and crash the car"]
HARASS = ["a man's been following me since the station", "a group of lads are cornering a girl by the bus stop", "someone's grabbing at women outside the club",
          "a guy in a car keeps pulling up next to me and telling me to get in", "a bloke is exposing himself in the park by the swings",
          "these men won't let my friend leave the shop doorway", "someone's filming girls on the tram and touching them",
          "a man is shouting he'll rape her at a woman on the platform", "two men are chasing a young lad down the high street with a machete"]
THIRD = ["my mate just posted 'goodbye everyone, I'm done' and his phone's off", "saw a live video of a woman begging someone to stop hitting her",
         "my friend keeps texting that she's taken all her tablets", "just heard a girl screaming help from the flat below then silence",
         "someone on my feed said tonight's the night they end it all, they live near the bridge", "my cousin sent 'tell mum I'm sorry' and turned location off",
         "a lad from school posted a pic of a rope and 'no more'", "my neighbour's kid is crying at the window saying mummy won't wake up",
         "my sister messaged that her husband has got a gun and she's hiding", "a woman in the comments says her ex is outside with a knife right now"]
CODE_MIXED = ["yaar meri behen ko uska pati maar raha hai, please koi aao", "bhai ek aadmi chaku leke ghoom raha hai market mein, sab bhaag rahe",
              "mera bhai kal raat se ghar nahi aaya, phone bhi band hai, woh sirf 14 ka hai", "dadi ji ghar se nikal gayi, unko yaad nahi rehta, koi dekhe toh batao",
              "arre police ko bulao, yeh log ladki ko zabardasti gaadi mein daal rahe hai", "woh keh raha hai aaj raat mujhe khatam kar dega",
              "mae'r plentyn ar goll ers y bore, he's only 6", "mae dyn gyda cyllell outside the shop, plis dewch", "mae hi'n sgrechian help through the wall, plis",
              "fy nhad wedi cwympo and can't get up, mae'n 88", "kisi ne post kiya ki woh aaj suicide kar lega, bridge ke paas rehta hai"]
WRAP_PRE = ["", "", "", "@LocalPolice ", "@Council ", "@NbhdPolicing ", "pls help ", "URGENT ", "someone help ", "omg "]
WRAP_POST = ["", "", "", " pls", " please share", " pls RT", " 🙏", " 😭", " rn", " right now", " what do i do", " send someone", " #missing",
             " he's not answering", " i'm scared", " plz hurry"]
PLACES = ["Saxon Way", "the retail park", "Harbour St", "the flats on Rowan Drive", "the canal", "the multi storey", "Quarry Hill", "town"]

DECOYS = [
    "gonna kill {p} if they eat my chips again 😂", "this traffic is killing me", "dead on my feet after that shift lol",
    "missing my {fam} so much today, {n} years since she passed 💔", "our {pet} has been missing since {t}, pls share, microchipped",
    "FOUND SAFE 🙏 thanks everyone who shared the appeal", "update: {fam2} is home safe and well, thank you all ❤️",
    "that new junction is going to kill someone one day, awful design", "i'll murder a curry tonight", "the queue at the tip was murder",
    "my {fam} is 80 next week, any nice places for lunch?", "watched a drama about domestic abuse last night, so powerful",
    "doing a sponsored walk for the domestic violence charity, link in bio", "great self defence class at the leisure centre",
    "police were brilliant when my shed was broken into last year", "@{h} you'll be the death of me 😂", "lost my mind trying to find parking",
    "bahut garmi hai aaj, mar gaye yaar", "yaar exam ne toh maar hi diya aaj 😭", "my kid screamed the house down at the dentist lol",
    "dying to see the fireworks tonight", "if they close the pool I'll cry", "knife crime awareness talk at school today, really good",
    "reading a thriller about a missing girl, can't put it down", "my ex keeps texting me about the dog, so annoying lol",
    "my {fam} took a tumble last week but she's fine now, just bruised", "the kids are screaming with joy at the splash park",
    "my son's school trip to the fire station was amazing", "that film was a proper bloodbath 😂", "{p} is going to kill me when he sees the bill",
    "I could strangle whoever planned these roadworks", "the roads round here are a death trap, sort the potholes",
    "nearly died laughing at the panto", "shot myself in the foot there lol", "neighbours music is a bit loud but it's only 9pm",
    "my dog nearly choked on a stick earlier, all fine now", "rip to my phone screen 😭", "fire alarm test at work again",
    "BBQ smoke everywhere on our street, smells amazing", "the old lady at no 9 is lovely, always waves", "our nan is 90 today! 🎉",
    "diolch i'r heddlu for the talk about staying safe online", "missing persons appeal from last week has been resolved, thanks all",
]
FAM = ["nan", "grandad", "mum", "dad", "gran", "aunty"]
PETS = ["cat", "dog", "tortoise", "parrot", "rabbit"]
PEOPLE = ["my brother", "my sister", "my husband", "my flatmate", "my mate", "the missus"]


def fill(t: str, rng: random.Random) -> str:
    return (t.replace("{t}", rng.choice(TIMES)).replace("{fam}", rng.choice(FAM)).replace("{fam2}", rng.choice(["Jamie", "our Tom", "Mrs Evans", "my grandad"]))
            .replace("{pet}", rng.choice(PETS)).replace("{n}", str(rng.randint(1, 9))).replace("{p}", rng.choice(PEOPLE))
            .replace("{h}", rng.choice(["jess_m", "daz1984", "kaz_h"])))


def critical(rng: random.Random) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        who = rng.choice(WHO_YOUNG)
        body = f"{who} ({rng.choice(AGES)}) {fill(rng.choice(GONE), rng)}"
    elif kind == 1:
        body = f"{rng.choice(WHO_VULN)} {fill(rng.choice(GONE), rng)}"
    elif kind == 2:
        body = f"{rng.choice(ABUSER)} {rng.choice(THREAT)}" + rng.choice(["", f" at {rng.choice(PLACES)}", ", kids are here", ", I'm hiding in the bathroom"])
    elif kind == 3:
        body = rng.choice(HARASS) + rng.choice(["", f" on {rng.choice(PLACES)}", " right now", ", nobody's helping"])
    elif kind == 4:
        body = rng.choice(THIRD)
    else:
        body = rng.choice(CODE_MIXED)
    text = rng.choice(WRAP_PRE) + body + rng.choice(WRAP_POST)
    if rng.random() < 0.25:
        text = text.lower().replace("you", "u").replace("please", "pls").replace("i'm", "im")
    return text


def main() -> None:
    rng = random.Random(1616)
    here = Path(__file__).resolve().parent / "urgency"
    crit, decoys = set(), set()
    while len(crit) < 1500:
        crit.add(critical(rng))
    while len(decoys) < 500:
        t = fill(rng.choice(DECOYS), rng)
        decoys.add(rng.choice(["", "", "@Council ", "@LocalPolice "]) + t + rng.choice(["", "", " 😂", " lol", " x"]))
    for name, texts, urgency in (("critical_social.jsonl", crit, "critical"), ("decoys_social.jsonl", decoys, "normal")):
        with open(here / name, "w", encoding="utf-8") as fh:
            for i, text in enumerate(sorted(texts), start=1):
                dep = "police" if urgency == "critical" else "general"
                fh.write(json.dumps({"id": f"seed-{name[:-6]}-{i:04d}", "text": text, "department": dep, "urgency": urgency},
                                    ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

"""Writes `reports.jsonl`: street-report style seed messages (title, detail, location), written for this project.

The problems and places below are the project's own text. Every department's problems are paired with the
same pool of locations, which mention other departments' things on purpose ("by the bus stop", "outside the
car park"), so the model learns that the problem decides the department, not the landmark. Deterministic:
    python services/triage/src/triage/seed/generate_reports.py
"""

import json
import random
from pathlib import Path

STREETS = ["Mill Lane", "Station Road", "Church Street", "High Street", "Victoria Road", "Park Avenue", "Queens Road",
           "London Road", "Kings Way", "Orchard Close", "Meadow View", "Hill Crescent", "Elm Grove", "Brook Street",
           "Willow Drive", "Castle Street", "Market Place", "Bath Road", "Greenway Lane", "Priory Walk", "Cotswold Way",
           "Albion Street", "Tewkesbury Road", "Oakfield Rise", "Springfield Drive", "the bypass", "the old A-road"]
LANDMARKS = ["near the bus stop", "outside the car park", "by the park entrance", "opposite the primary school",
             "next to the traffic lights", "by the church", "outside the Co-op", "near the roundabout",
             "by the post box", "at the junction", "outside number 14", "behind the shops", "near the pub",
             "by the railway bridge", "outside the doctors", "opposite the garage", "near the play area",
             "by the lamp post", "at the end of the cul-de-sac", "near the river path", "by the recycling bank",
             "outside the library", "at the top of the hill", "by the zebra crossing", ""]
OPENERS = ["", "", "", "", "Hi, ", "Hello, ", "Please can someone look at this. ", "Reporting again. ",
           "Third time reporting this! ", "Not happy. ", "Urgent please. "]
CLOSERS = ["", "", "", "", " Thanks.", " Thank you.", " Please sort it.", " Been like this for weeks.",
           " It's getting worse.", " Reported before but nothing done.", " Very dangerous.", " Photo attached."]

# Chatty context that real street reports add whatever the problem; it is given mostly to the busy street
# departments, so that words like "car", "night", "someone" or "customer" do not point at a small department.
CONTEXT = ["My car was nearly damaged.", "Someone will get hurt.", "It's really dangerous at night.",
           "People have to walk in the road.", "Reported last week but nothing done.", "See photo.",
           "It is right outside my house.", "Cyclists have to swerve round it.", "Been like this since the new houses were built.",
           "A van hit it last night.", "Kids walk past here to school.", "Worse after the storm.",
           "Please can someone come out and look.", "My neighbour reported it too.", "It's by the turning into the estate.",
           "Drivers use this as a rat run.", "Elderly people live on this road.", "Right by the entrance to the farm.",
           "Still there after my last report.", "A lorry did this.", "Bikes and cars have to go round it.",
           "Getting worse every week now.", "My wife nearly fell.", "Going down the hill on the left.",
           "Someone has made it worse.", "People using the path at night can't see it.", "Outside number 46.",
           "Reported on 12/03 and again on 02/04.", "About 30cm across.", "Vehicles have to go onto the other side of the road.",
           "Used by lots of people walking into town.", "Right by the public footpath sign.", "Made a report last month, ref 4471023.",
           "The house owners have complained too.", "It's blocked half the pavement.", "Outside the houses at 10-14.",
           "Someone reported this last year.", "I use this way every day.", "The whole area is a mess.", "Approx 2 metres long.",
           "It was done by the last contractor.", "Everyone using the road has to avoid it.", "Near the town centre end.",
           "Just before the junction.", "Right at the junction with the main road.", "On the approach to the junction, nearside lane."]
STAFF = ["Customer reports: ", "Customer has called to report ", "Caller states ", "Email received - customer reports ",
         "Logged by contact centre: ", "Resident reports ", "FMS report forwarded: "]
# Where another body's roads are (motorways and trunk roads), for the out_of_scope problems.
NH_PLACES = ["the M5 northbound between junctions 9 and 10", "the M5 southbound near junction 11a", "the M50 eastbound",
             "the M4 westbound approaching junction 17", "the A417 by the motorway junction", "the A419 southbound",
             "the A40 trunk road heading west", "the A46 near the big roundabout", "the A38 trunk road",
             "the M6 northbound", "the A49 trunk road", "the A303 westbound", "the A14 eastbound",
             "the slip road at junction 11", "the motorway junction roundabout", "the motorway northbound near junction 10",
             "the hard shoulder near junction 12", "the motorway central reservation near junction 13", "lane 1 of the M42",
             "the A417 slip road", "the trunk road bypass"]
BIG = {"highways", "waste", "parks_trees", "street_lighting", "transport", "parking"}

PROBLEMS = {
    "highways": [
        ("Pothole", "Deep pothole in the road"), ("Potholes", "Several potholes across the carriageway"),
        ("Pot hole", "Large pot hole that fills with water"), ("Pothole in pavement", "Hole in the footway surface"),
        ("Road surface breaking up", "The tarmac is crumbling and loose stones everywhere"),
        ("Sunken road", "The road has sunk and there is a big dip"), ("Uneven pavement", "Slabs lifted and uneven"),
        ("Broken slab", "Paving slab cracked and rocking"), ("Trip hazard", "Raised edge on the footpath"),
        ("Damaged kerb", "Kerb stones broken and loose"), ("Blocked drain", "Gully blocked, water pooling in the road"),
        ("Drain blocked", "Drain full of silt and leaves, road floods when it rains"),
        ("Damaged drain", "Drain grate broken and sunken"), ("Rattling cover", "Metal cover bangs every time a car drives over"),
        ("Loose ironwork", "Loose inspection cover in the road"), ("Faded road markings", "White lines worn away"),
        ("Road markings", "Give way lines have disappeared"), ("Missing road studs", "Cats eyes missing on the bend"),
        ("Sign leaning", "Road sign post leaning over"), ("Sign missing", "The road sign has gone, only the posts are left"),
        ("Sign damaged", "Road sign bent and twisted"), ("Sign facing wrong way", "Direction sign turned round by the wind"),
        ("Damaged bollard", "Bollard knocked over and broken"), ("Bollard missing", "Bollard missing leaving a hole"),
        ("Barriers left behind", "Contractor has left barriers and signs after the works finished"),
        ("Road works signs left", "Roadworks signs and cones abandoned on the verge"),
        ("Poor repair", "Patch repair has failed and the hole is back"), ("Reinstatement", "Trench not reinstated properly after utility works"),
        ("Unpermitted roadworks", "Road dug up with no signs or permit displayed"),
        ("Skip on road", "Skip on the road with no lights"), ("Scaffolding obstruction", "Scaffolding blocking the pavement"),
        ("Obstruction on pavement", "Building materials left on the footway"), ("Fence obstruction", "Fence fallen onto the footpath"),
        ("Footpath damaged", "Public footpath surface washed away"), ("Stile broken", "Stile on the public footpath is broken"),
        ("Gate damaged", "Gate on the right of way is broken and tied shut"),
        ("Bridge damaged", "Footbridge handrail broken"), ("Standing water", "Water standing across the road for days"),
        ("Mud on road", "Mud washing onto the road from the field"), ("Grit bin empty", "Grit bin needs refilling"),
        ("Speed bump damaged", "Speed hump breaking up"), ("Dropped kerb needed", "No dropped kerb for wheelchairs at the crossing point"),
        ("Sign knocked down", "Road sign knocked down by a vehicle"), ("Sign dirty", "Sign covered in dirt and can't be read"),
        ("Speed limit sign missing", "The 30 sign has gone from the post"), ("Sign plate loose", "Sign plate hanging off the post"),
        ("Water on road", "Water coming up through the road, no rain for days"), ("Road flooding", "Road flooded and the water is not draining away"),
        ("Road damaged my car", "Hit a pothole and damaged my car"), ("Sign misaligned", "Sign turned and pointing the wrong way"),
    ],
    "waste": [
        ("Fly tipping", "Bags of rubbish dumped"), ("Flytipping", "Mattress and sofa dumped on the verge"),
        ("Fly-tipped rubble", "Pile of builders rubble dumped"), ("Dumped fridge", "Old fridge freezer dumped"),
        ("Dumped tyres", "Lots of old tyres dumped"), ("Dumped carpet", "Carpet and underlay dumped on the path"),
        ("Rubbish dumped", "Black bags dumped and split open"), ("Litter", "Litter all over the verge and pavement"),
        ("Litter everywhere", "Cans, bottles and crisp packets everywhere"), ("Overflowing bin", "Litter bin overflowing"),
        ("Bin full", "Dog bin full and not emptied"), ("Street cleaning needed", "Street needs a sweep, gutters full of debris"),
        ("Leaves", "Leaves piled up on the pavement and slippery"), ("Broken glass", "Broken glass all over the pavement"),
        ("Graffiti", "Graffiti sprayed on the wall"), ("Graffiti tags", "Tags sprayed on the fence and shutters"),
        ("Offensive graffiti", "Offensive words sprayed on the wall"), ("Fly posting", "Posters stuck on the signs and lamp posts"),
        ("Flyposting", "Stickers and posters all over the bridge"), ("Dog fouling", "Dog mess all over the pavement"),
        ("Dog poo", "Dog poo on the footpath everywhere"), ("Dead animal", "Dead fox on the pavement"),
        ("Dead animal in road", "Dead badger in the road"), ("Dead bird", "Dead pigeon on the footway"),
        ("Needles", "Used needles found on the ground"), ("Drugs litter", "Nitrous oxide canisters and litter left behind"),
        ("Missed bin", "Bin not collected this week"), ("Missed recycling", "Recycling not collected"),
        ("Bin collection", "The bin crew missed the whole street"), ("Litter picking bags", "Volunteer litter picking bags ready for collection"),
        ("Abandoned materials", "Builders materials abandoned on the verge"), ("Shopping trolleys", "Trolleys dumped"),
        ("Chewing gum", "Pavement covered in chewing gum"), ("Spillage", "Rubbish spilled after the bin collection"),
    ],
    "parks_trees": [
        ("Tree damaged", "Tree has a large split in the trunk"), ("Overhanging branches", "Branches hanging low over the pavement"),
        ("Tree overhanging", "Tree limbs overhanging gardens"), ("Dead tree", "Dead tree dropping branches"),
        ("Broken branch", "Broken branch hanging in the tree"), ("Tree roots", "Tree roots lifting the path"),
        ("Tree causing damage", "Council tree roots damaging our wall"), ("Ash dieback", "Ash tree dying with dead limbs"),
        ("Trees need pruning", "Trees need cutting back from the houses"), ("Tree blocking sign", "Tree blocking the view of the sign"),
        ("Overgrown hedge", "Hedge overgrown and blocking the path"), ("Overgrown vegetation", "Brambles and nettles across the footpath"),
        ("Overgrown verge", "Grass verge overgrown and blocking the view at the junction"), ("Grass not cut", "Grass verge not been mown"),
        ("Long grass", "Grass on the green is knee high"), ("Weeds", "Weeds growing all along the path"),
        ("Japanese knotweed", "Japanese knotweed spreading"), ("Giant hogweed", "Giant hogweed growing by the path"),
        ("Ragwort", "Ragwort growing on the verge"), ("Vegetation obscuring light", "Tree branches covering the street light"),
        ("Sign obscured by vegetation", "Hedge has grown over the road sign"), ("Crops on path", "Crops planted over the footpath"),
        ("Playground equipment broken", "Swing broken in the play area"), ("Damaged play equipment", "Slide damaged in the playground"),
        ("Park bench broken", "Bench broken in the park"), ("Park furniture", "Picnic bench burnt"),
        ("Public toilets", "Public toilets closed and dirty"), ("Park gate", "Park gate broken and won't close"),
        ("Verge churned up", "Grass verge ruined by vehicles"), ("Hedge cutting", "Hedge needs trimming back"),
        ("Ivy", "Ivy covering the path and fence"), ("Stump", "Tree stump left sticking out"),
    ],
    "street_lighting": [
        ("Street light out", "Street light not working"), ("Light out", "Lamp post not working"),
        ("Streetlight permanently out", "The light has been out for weeks"), ("Flickering light", "Street light flickering on and off"),
        ("Light on all day", "Street light on in the daytime"), ("Dim light", "Street light very dull"),
        ("Lights out on whole street", "All the street lights are out"), ("Lamp post damaged", "Lamp post hit by a car"),
        ("Light facing wrong way", "Light head turned round"), ("Vandalised light", "Light cover smashed"),
        ("Sign light out", "Illuminated sign not lit"), ("Bollard light out", "Illuminated bollard not working"),
        ("Lit sign flickering", "The lit speed sign is flickering"), ("Lamp column rusty", "Lamp column rusted at the base"),
        ("Footpath lighting", "Path lights not working, pitch dark"), ("Light buzzing", "Street lamp buzzing at night"),
    ],
    "transport": [
        ("Traffic lights not working", "Traffic signals not working properly"), ("Traffic light stuck", "Lights stuck on red"),
        ("Amber light not working", "Amber light out on the signals"), ("Green light out", "Green light not working on one set"),
        ("Lights sequence wrong", "Traffic lights change too quickly"), ("Sensor not detecting", "Lights don't detect cars or bikes"),
        ("Filter light", "The right turn filter never comes on"), ("Pedestrian crossing", "Crossing button not working"),
        ("Crossing not working", "Green man not appearing at the crossing"), ("Crossing beeping", "Crossing beeper too loud"),
        ("Traffic light vandalised", "Traffic light damaged by vandals"), ("Signal head facing wrong way", "Traffic light head turned"),
        ("Bus shelter damaged", "Bus shelter glass smashed"), ("Bus stop", "Bus stop timetable missing"),
        ("Bus shelter", "Bus shelter roof leaking and seat broken"), ("Real time display", "Bus stop display not working"),
        ("Bus late", "The bus never turns up on time"), ("Bus route", "Bus doesn't stop at this stop any more"),
        ("Cycle lane", "Cycle lane blocked and unsafe"), ("Crossing needed", "A pedestrian crossing is needed here"),
    ],
    "parking": [
        ("Abandoned vehicle", "Car abandoned, no tax and flat tyres"), ("Abandoned car", "Car not moved for months"),
        ("Abandoned van", "Van dumped with smashed windows"), ("Illegal parking", "Cars parked on double yellow lines"),
        ("Parking on pavement", "Cars parked on the footway"), ("Blocking driveway", "Car parked across my drive"),
        ("Parking on zig zags", "Parents parking on the school zig zags"), ("Parking lines faded", "Yellow lines faded"),
        ("Parking sign missing", "Parking restriction sign missing"), ("Car park", "Pay and display machine broken"),
        ("Car park issue", "Car park barrier broken"), ("Disabled bay misuse", "Car in disabled bay without badge"),
        ("Parking enforcement", "Need a warden, people park on the corner every day"), ("Parking permit", "Resident permit query"),
        ("Double yellows needed", "Cars park on the junction, need yellow lines"), ("Caravan parked", "Caravan left on the street"),
    ],
    "out_of_scope": [
        ("Pothole on motorway", "Pothole in lane 1 of the motorway"), ("Motorway litter", "Litter on the motorway verge and embankment"),
        ("Slip road litter", "Rubbish all along the slip road"), ("Trunk road pothole", "Potholes on the trunk road"),
        ("Lane 1 pothole", "Deep pothole in lane 1 northbound between the junctions"),
        ("Hard shoulder", "Debris on the hard shoulder"), ("Dead animal on motorway", "Dead deer on the hard shoulder"),
        ("Faded lines on trunk road roundabout", "Lane markings faded on the big roundabout"),
        ("Central reservation", "Crash barrier damaged on the central reservation"), ("Motorway sign", "Motorway sign faded and unreadable"),
        ("No water supply", "No water coming out of the taps, the water company has a fault"),
        ("Sewage", "Sewage coming out of the manhole"), ("Power cut", "No electricity on the street"),
        ("Telegraph pole", "Telegraph pole leaning"), ("Phone line", "Phone cable hanging low"),
        ("Gas smell", "Smell of gas"), ("Electricity cable", "Electric cable down"),
    ],
    "planning": [
        ("Illegal advertising", "Advertising boards put up without permission"), ("Unauthorised advertising", "Advert boards on the verge"),
        ("Advertising banner", "Banner tied to the railings"), ("Illegal advert", "Advert board nailed to the post"), ("Flags on lamp posts", "Flags fixed to the lamp posts"),
        ("Illegal cones", "Cones put out by a resident to stop people parking"), ("Footpath built over", "New building blocking the footpath"),
        ("Wall obstruction", "New wall built out onto the pavement"), ("Building obstruction", "Extension built over the boundary"),
        ("Unauthorised structure", "Structure built without planning permission"), ("Fence too high", "New fence too high next to the road"),
        ("Planning breach", "Building work not matching the plans"), ("Dangerous structure", "Old wall cracked and bulging"),
    ],
    "police": [
        ("Motorbikes on footpath", "Off road bikes riding on the footpath"), ("Path misused", "Vehicles driving along the public path"),
        ("Unlawful users", "Quad bikes tearing up the bridleway"), ("Scramblers", "Scrambler bikes on the playing field"),
        ("Vehicles on footpath", "Vehicles using the footpath as a shortcut"), ("Bridleway blocked", "Landowner has dug up and blocked the bridleway"), ("Vandalism", "Windows smashed by vandals"),
        ("Criminal damage", "Windows smashed and fences kicked in"), ("Drug dealing", "Drug dealing in the alley"),
        ("Speeding", "Cars racing every night"), ("Theft", "Bike stolen"),
    ],
    "environmental_health_asb": [
        ("Dangerous dog", "Aggressive dog loose"), ("Intimidating dogs", "Dogs jumping at the fence and barking at walkers"),
        ("Dangerous animals", "Bull loose in the field with the footpath"), ("Aggressive cattle", "Cows charging at walkers on the path"),
        ("Noise", "Loud music every night"), ("Barking dog", "Dog barking all day"), ("Rats", "Rats running along the path"),
        ("Pests", "Rat infestation by the bins"), ("Bonfire smoke", "Smoke from burning rubbish"), ("Bad smell", "Terrible smell in the area"),
        ("Antisocial behaviour", "Youths drinking and shouting every night"), ("Pigeons", "Pigeons nesting and mess everywhere"),
    ],
}


def main() -> None:
    rng = random.Random(20261101)
    rows = []
    for dept, problems in PROBLEMS.items():
        per_problem = max(2, round(130 / len(problems)))
        chatty = 0.6 if dept in BIG else 0.1
        for title, detail in problems:
            for _ in range(per_problem):
                place = rng.choice(NH_PLACES) if dept == "out_of_scope" and rng.random() < 0.7 else rng.choice(STREETS)
                where = f"{place} {rng.choice(LANDMARKS)}".strip()
                style = rng.random()
                if style < 0.4:
                    text = f"{title}. {detail} on {where}."
                elif style < 0.6:
                    text = f"{rng.choice(OPENERS)}{detail.lower() if rng.random() < 0.5 else detail} {where}.{rng.choice(CLOSERS)}"
                elif style < 0.72:
                    text = f"{title} - {where}"
                elif style < 0.85:
                    text = f"{rng.choice(STAFF)}{detail.lower()} at {where}."
                else:
                    text = f"{detail} {where}. {title.lower()} reported.{rng.choice(CLOSERS)}"
                for _ in range(2):  # up to two sentences of context
                    if rng.random() < chatty:
                        text = f"{text.rstrip()} {rng.choice(CONTEXT)}"
                rows.append({"id": f"seed-report-{len(rows) + 1:04d}", "text": text.strip(), "department": dept, "urgency": "normal"})
    out = Path(__file__).with_name("reports.jsonl")
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} rows -> {out}")


if __name__ == "__main__":
    main()

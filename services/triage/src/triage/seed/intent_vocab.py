"""Words and phrases for `generate_intent.py`: what each department's work is called, its problems and asks,
and the many ways people mention a public body's services without asking for anything. Written for this project."""

# department: (things people name, problems now (a report), services asked for (a question or request))
TOPICS = {
    "waste": (
        ["the bins", "bin day", "the recycling", "the tip", "the bin men", "the bin lorry", "the food waste caddy",
         "the street sweepers", "the litter pickers", "the brown bin", "the green bin", "the blue bags",
         "the recycling centre", "the bin crew"],
        ["bins not collected on {street} again", "our bin was missed for the third week", "fly tipping on {street}, "
         "mattresses and a fridge", "rubbish bags ripped open all over {street}", "overflowing litter bin outside "
         "{shop}, stuff blowing everywhere", "recycling left behind, they said it was contaminated but it isn't",
         "dog mess all along the path by {place}", "graffiti sprayed all over the wall on {street}",
         "broken glass all over the pavement on {street}", "needles in the alley behind {street}",
         "dead fox on the pavement on {street}", "bin lorry left rubbish all over the road", "they took the bin "
         "but left the bags", "the bin men smashed my bin lid", "street hasn't been swept in months, leaves everywhere"],
        ["book a bulky collection for a sofa", "get a new recycling box", "order a replacement bin",
         "get more food waste bags", "find out my bin day", "get a garden waste permit"],
    ),
    "highways": (
        ["the roads", "the potholes", "the pavements", "the resurfacing", "the roadworks", "the new road layout",
         "the drains", "the one way system", "the ring road", "the gritters", "the road signs"],
        ["massive pothole outside no.{n} {street}", "pothole on {street} just burst my tyre", "pavement lifted on "
         "{street}, my mum tripped", "drain blocked on {street}, flooding every time it rains", "road sign bent over "
         "at the junction of {street}", "not gritted again on the hill by the school", "cracked paving slabs "
         "outside {shop}", "white lines worn away at the junction on {street}", "huge puddle across the "
         "pavement on {street}, blocked gully", "bollard knocked over on {street}", "road surface breaking up "
         "all along {street}", "skip left on the road with no lights on {street}"],
        ["report a pothole", "get a dropped kerb", "apply for a skip licence", "find out when {street} reopens"],
    ),
    "parks_trees": (
        ["the park", "the playground", "the trees", "the flower beds", "the grass", "the new benches", "the lake",
         "the duck pond", "the bandstand", "the allotments", "the park toilets", "the woods", "the rec"],
        ["swing broken in the playground at {place}", "tree branch hanging over the path in {place}, looks like it'll "
         "drop", "grass in {place} is knee high", "hedge growing right over the pavement on {street}", "park "
         "toilets locked again all weekend", "japanese knotweed along the river path", "broken glass in the "
         "sandpit at {place}", "fallen tree blocking the footpath in {place}", "slide snapped at the playground, "
         "taped off for weeks"],
        ["book the bandstand for a party", "get an allotment", "get a tree on {street} pruned"],
    ),
    "street_lighting": (
        ["the street lights", "the christmas lights", "the new LED lights", "the lamp posts"],
        ["street light outside no.{n} {street} flickering all night", "whole row of street lights out on {street}",
         "lamp post on {street} been out for weeks, pitch black", "street light stays on all day on {street}",
         "light by the alley on {street} not working, scary walking home"],
        ["get a light put in the alley behind {street}"],
    ),
    "parking": (
        ["the parking wardens", "the car parks", "the parking charges", "the residents permits", "the new parking "
         "machines", "the double yellows"],
        ["someone parked across my drive on {street} for 2 days", "abandoned van on {street} for a month, flat tyres",
         "cars parked on the pavement all along {street}, can't get the pram past", "car park machine at {place} "
         "broken, only takes cash", "parking ticket when I had a valid permit", "people parking on the zigzags "
         "outside the school every morning"],
        ["get a visitor permit for my carer", "renew my residents permit", "appeal a parking ticket",
         "get a disabled bay outside my house"],
    ),
    "transport": (
        ["the buses", "the bus station", "the new bus lane", "the cycle lanes", "the trains", "the crossing",
         "the traffic lights", "the park and ride"],
        ["traffic lights stuck on red at {street}", "bus shelter on {street} smashed, glass everywhere", "crossing "
         "button on {street} doesn't do anything", "bus stop timetable missing at {place}", "the 61 didn't turn up "
         "again, third day running", "the bus stop sign at {place} has been knocked over"],
        ["apply for a bus pass for my mum", "get a bus pass renewed"],
    ),
    "housing": (
        ["council housing", "the housing office", "the new flats", "the estate", "the housing list"],
        ["damp and black mould in my son's bedroom, been waiting 6 weeks", "boiler broken in our council flat since "
         "monday, no heating", "roof leaking into the kitchen in my council house", "front door lock broken on our "
         "block, anyone can get in", "lift broken in the tower block again, I'm on the 9th floor", "being evicted "
         "next week and got nowhere to go", "sleeping in my car with the kids, need help"],
        ["get on the housing list", "swap my council flat", "report a repair in my council flat"],
    ),
    "council_tax_benefits": (
        ["council tax", "the council tax bill", "business rates", "housing benefit", "the single person discount"],
        ["charged twice for council tax this month", "council tax bill wrong, I moved out in may", "bailiff letter "
         "for council tax I already paid", "my housing benefit stopped with no letter"],
        ["get single person discount", "pay my council tax in 12 instalments", "get help with council tax after "
         "losing my job", "apply for a council tax reduction"],
    ),
    "environmental_health_asb": (
        ["the noise", "the takeaways", "the food hygiene ratings", "the pest control", "antisocial behaviour"],
        ["neighbours music till 4am every weekend", "rats coming out of the bins behind {shop}", "kids on motorbikes "
         "tearing round the field every night", "mice running across the floor at {shop}", "dog barking all day "
         "every day next door", "bonfire smoke from the garden behind us every night", "gang hanging round "
         "{shop} every night shouting and smashing bottles", "cockroaches in our block"],
        ["get pest control for wasps", "report a noisy neighbour"],
    ),
    "planning": (
        ["the planning committee", "the new development", "the local plan", "the new housing estate", "planning"],
        ["massive extension going up at no.{n} {street} without permission", "advertising hoarding put up on "
         "{street} overnight", "builders knocking down a listed wall on {street}"],
        ["object to the phone mast by the school", "find out if I need permission for a loft conversion",
         "see the plans for the flats on {street}"],
    ),
    "libraries_leisure": (
        ["the library", "the leisure centre", "the swimming pool", "the museum", "the gym", "the theatre",
         "the christmas market", "the summer festival", "the reading club"],
        ["showers at the leisure centre cold for a week", "the library's heating has been off all week",
         "pool changing rooms filthy, hair everywhere", "library lift broken, can't get upstairs in my wheelchair"],
        ["book swimming lessons for my daughter", "renew my library books", "find out if the library is open on "
         "bank holiday monday", "join the gym"],
    ),
    "social_care": (
        ["social services", "the care homes", "the carers", "adult social care"],
        ["worried about my elderly neighbour, not seen her for days and curtains closed", "my dad can't cope at "
         "home since his fall and nobody's come", "mum's carers didn't turn up again this morning"],
        ["get a care assessment for my dad", "get a blue badge for my mum"],
    ),
    "police": (
        ["the police", "the local bobbies", "the police dogs", "the pcso", "neighbourhood policing"],
        ["car broken into last night on {street}", "someone keeps stealing parcels off doorsteps on {street}",
         "drug dealing openly outside {shop} every afternoon", "bike stolen from outside {place}"],
        ["get a crime reference number"],
    ),
}

STREETS = ["Ninian Rd", "Clive St", "Heol y Nant", "Wellfield Rd", "Station Rd", "Alma Terrace", "Lon Isa",
           "Kings Rd", "Gwaun Close", "Ffordd Las", "Marsh Lane", "Victoria Ave", "Bryn Celyn", "Tudor St",
           "Maes y Coed", "Park Crescent", "Ash Grove", "Fairfield Way", "Canal St", "Brook Lane"]
PLACES = ["Victoria Park", "the rec", "Parc Cefn Onn", "the town square", "the seafront", "the precinct",
          "Riverside", "the high street", "the retail park", "the hospital", "the station", "Heath Park"]
SHOPS = ["the chippy", "Tesco", "the Co-op", "the kebab shop", "Greggs", "the pub", "Lidl", "the off licence"]
COUNCIL = ["@CityCouncil", "@Cyngor", "@TownHall", "@CountyHall", "@LocalPolice", "@CityHomes", "@LeisureCity",
           "@CityLibraries", "@HighwaysTeam", "@Cllr_Evans", "@CllrAhmed", "@TheMayorOffice"]
PEOPLE = ["@gareth_j", "@mandy_b77", "@rajpatel_", "@sioned.h", "@bigdaz", "@karenw1966", "@lewis_tt", "@ffion_m",
          "@aisha_k", "@dan_the_van", "@nonna_rosa", "@jayjay04", "@welshwizard", "@tracy_h_", "@mo_salah_fan"]
SOURCES = ["@BBCWales", "@WalesOnline", "@LocalEcho", "@RadioCity", "@ITVWales", "@TrafficWales", "@MetOffice",
           "@NewsDesk24", "@CityGazette", "@HeraldLive"]
URLS = ["https://t.co/Rk29xQ", "https://t.co/ab3F", "bit.ly/4xTq", "https://www.example.news/story/881",
        "pic.twitter.com/kq1M", "https://tinyurl.com/yc8n", "https://fb.watch/3kd"]

# everyday life, said in public and asking for nothing: the words of the world outside the council's services
WHO = ["my nan", "the dog", "the kids", "our lad", "my missus", "my other half", "the cat", "my mate Dai", "grandad",
       "the toddler", "my sister", "the neighbours' kid", "my boss", "our Bethan", "the twins", "everyone at work",
       "my mum", "half the street", "the whole family", "my little one"]
DOING = ["walked along the prom", "watched the match", "went for a swim in the sea", "baked a cake", "did the school "
         "run", "went to the cinema", "had a barbecue", "went up the mountain", "spent all day in the garden",
         "got a takeaway", "went to the beach", "finished a jigsaw", "watched the rugby", "went to a gig", "tried the "
         "new café", "fed the ducks", "went on a bike ride", "climbed Pen y Fan", "went to the panto", "painted the "
         "fence", "walked the dog round the lake", "caught the train to town", "went carol singing"]
FEEL = ["buzzing", "knackered", "made up", "gutted", "chuffed", "so proud", "over the moon", "absolutely shattered",
        "feeling festive", "loving life", "can't stop laughing", "nostalgic", "a bit emotional", "living my best life",
        "wrecked", "cwtches all round", "full of cold", "dead happy"]
WHEN = ["this morning", "today", "last night", "at the weekend", "earlier", "after work", "this afternoon", "on sunday",
        "yesterday", "all week", "tonight"]
WEATHER = ["sun's out", "it's chucking it down", "proper frosty", "blowing a gale", "roasting", "foggy as anything",
           "first snow of the year", "rainbow over the bay", "gorgeous sunset", "grey and drizzly again"]
SPOTTED = ["a heron at the pond", "a seal in the bay", "a fox on the garden wall", "a red kite over the hills",
           "hedgehogs in the garden", "a rainbow over the castle", "the first daffodils", "a kingfisher by the river",
           "bats over the canal", "a robin on the fence"]
MEMORY = ["the old swimming baths", "the ice rink", "the woolworths in town", "the old cinema", "the bandstand "
          "concerts", "the market hall on a saturday", "the old bus station", "the fair on the common",
          "the paddling pool in the park", "school discos at the community centre"]
EVERYDAY = ["{who} {doing} {when}, {feel}", "{weather} {when}", "{weather}, {who} {doing} anyway",
            "spotted {spotted} {when}", "anyone else remember {memory}? {feel}", "{feel} {when}",
            "nothing beats {memory}", "{when} {who} {doing} and now I'm {feel}", "{memory} will always be special",
            "apparently {who} {doing} {when} lol", "{who} is {feel}, {doing} {when}", "gutted {memory} has gone",
            "{weather} so {who} {doing}", "first time {who} {doing}, {feel}", "happy place: {memory}",
            "reminder that {who} {doing} {when} and survived", "{feel}!! {who} {doing}"]

# a shrug at a service, a joke about a problem, surprise at something done well: no ask, though they name one
RESIGNED = ["will never change", "always have been rubbish and always will be", "are what they are", "are basically "
            "part of the furniture now", "must be that time of year again", "are a nightmare but what can you do",
            "have been the same since the 80s", "are just part of living here", "are a rite of passage round here",
            "keep me humble", "nothing anyone can do about it"]
SHRUG = ["{thing} in this town {resigned}", "{thing} {resigned} lol", "ah {thing}, {resigned}", "{thing}? {resigned}",
         "my street has had the same pothole since {year}, it's family now", "the bin men are loud as anything at 6am "
         "but fair play, grafters", "roadworks on every road this summer, {resigned}", "the traffic on {street} is "
         "a nightmare every morning, always has been", "can't believe how {adj} {thing} were today, who knew",
         "honestly shocked how {adj} {place} was after the weekend, someone's been busy", "never thought I'd say it "
         "but {thing} are {good}", "{thing} have been a mess for years, just how it is", "once again {thing} doing "
         "their thing {chat}"]
SURPRISE_ADJ = ["clean", "quick", "quiet", "tidy", "smooth", "busy", "empty", "well organised", "peaceful"]
YEARS = ["2009", "2015", "the 90s", "before I was born", "I moved in", "the olympics"]
# Welsh: said on both sides, so the language does not give the answer away
WELSH_NOT = ["mae'r {place} yn hyfryd heddiw", "diolch o galon i bawb", "bore da pawb ☀️", "noson braf yn {place}",
             "llongyfarchiadau i'r tîm", "da iawn chi, gwaith gwych", "am ddiwrnod gwych yn {event}", "nadolig "
             "llawen i bawb yn y cyngor", "mae'r llyfrgell yn wych", "hwyl fawr {person}, wela i di wedyn",
             "pawb yn mwynhau'r haul yn y parc heddiw", "gwych gweld cymaint o bobl allan"]
WELSH_REQUEST = [("waste", "mae'r biniau heb eu casglu ar {street} ers wythnos"), ("highways", "twll mawr yn y "
                 "ffordd ar {street}, plis trwsiwch"), ("street_lighting", "golau stryd wedi torri ar {street}"),
                 ("waste", "sbwriel wedi'i adael ar {street} eto"), ("parks_trees", "coeden wedi cwympo ar y llwybr "
                 "yn {place}"), ("housing", "lleithder a llwydni yn fy fflat, neb wedi dod"), ("parking", "car "
                 "wedi'i adael ar {street} ers mis")]

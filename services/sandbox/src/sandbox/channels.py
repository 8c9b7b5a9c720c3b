"""A day of citizen messages per channel, written for Civic Inbox (no real person's words), in the way people
write on each platform: short and @-mentioning on X, chatty on WhatsApp, terse by SMS, with a subject line by
email, and with a category and an address on the web form. Each entry names the department it is about."""

TWEETS: list[tuple[str, str]] = [
    ("highways", "@{handle} the pothole on Kingsway outside Greggs has doubled in size since last week. Someone's going to come off their bike"),
    ("waste", "@{handle} 3rd week running our green bin hasn't been emptied on Laurel Crescent. What's going on?"),
    ("street_lighting", "@{handle} whole row of street lights out on Canal Walk, it's pitch black and not safe to walk home"),
    ("transport", "@{handle} the real time board at the bus station has been showing the wrong times all day"),
    ("parks_trees", "@{handle} huge branch hanging off the oak in Jubilee Park right over the footpath, looks like it'll drop any minute"),
    ("general", "@{handle} massive thanks to the team who sorted the flooding on Mill Street so quickly yesterday 👏"),
    ("waste", "@{handle} someone has fly tipped a sofa and about 10 black bags at the end of Cedar Lane again"),
    ("parking", "@{handle} cars parked on the zigzags outside St Mary's primary every single morning, when is enforcement coming?"),
    ("libraries_leisure", "@{handle} is the leisure centre pool open on the bank holiday? website says two different things"),
    ("environmental_health_asb", "@{handle} the takeaway on Bridge St is leaving food waste out back every night, the rats are everywhere"),
]

X_DMS: list[tuple[str, str]] = [
    ("council_tax_benefits", "Hi, I've been charged twice for council tax this month. Can someone look at my account please?"),
    ("housing", "Hello, damp is coming through the wall in my kids bedroom in our council flat, who do I speak to?"),
    ("parking", "I got a parking ticket while loading outside my own house, how do I appeal?"),
]

INSTAGRAM_COMMENTS: list[tuple[str, str]] = [
    ("parks_trees", "Lovely photo but the playground in Victoria Park has had broken swings for a month now"),
    ("waste", "When are you going to do something about the litter along the seafront? It's disgusting after the weekend"),
    ("libraries_leisure", "Will the summer reading challenge be running at the branch libraries this year?"),
    ("highways", "The new cycle lane on Queens Road already has potholes in it 🙄"),
    ("general", "Great event on Saturday, the kids loved it! More of these please"),
]

INSTAGRAM_DMS: list[tuple[str, str]] = [
    ("social_care", "Hi, my nan is struggling at home on her own since her fall. How do we get her some help with care?"),
    ("planning", "Do I need planning permission for a garden room? It'd be about 3m high"),
    ("waste", "Hiya how do I book a bulky waste collection for an old fridge freezer?"),
]

SMS: list[tuple[str, str]] = [
    ("waste", "Bins not collected Orchard Way again. No 14."),
    ("street_lighting", "Street light out outside 9 Holly Close. Been a week."),
    ("highways", "Big pothole Station Rd by the level crossing"),
    ("housing", "Boiler broken council flat 3B Tower House no heating or hot water. 2 kids"),
    ("parking", "Abandoned car no tax on Ash Grove 3 weeks now reg starts WX"),
    ("council_tax_benefits", "Need help paying council tax lost my job last month"),
]

WHATSAPP: list[tuple[str, str]] = [
    ("waste", "Hiya! Just wondering why our recycling wasn't taken this morning? The lorry went straight past 🙁 Cherry Tree Road"),
    ("highways", "Hi there, the drain outside number 27 Meadow Close is completely blocked and the road is flooding every time it rains. Photo attached"),
    ("environmental_health_asb", "Hi, the house next door is having another party till 4am, third weekend in a row, we've got a baby. What can we do?"),
    ("social_care", "Good morning, I'm a carer for my husband and I'm exhausted. Is there any respite support available?"),
    ("parks_trees", "Hello, there's Japanese knotweed coming through our fence from the council land behind Beech Avenue"),
    ("general", "Hi what are the opening times for the council offices on Saturdays?"),
]

EMAILS: list[tuple[str, str, str]] = [
    ("council_tax_benefits", "Single person discount",
     "Dear Sir or Madam,\n\nMy partner moved out in March and I now live alone at 4 Rowan Court. "
     "Please could you apply the single person discount to my council tax from that date?\n\nKind regards"),
    ("planning", "Objection to application 26/01234/FUL",
     "Hello,\n\nI wish to object to the extension planned at 12 Rose Hill. It will block the light to our kitchen "
     "and garden. Please confirm my objection has been registered.\n\nThank you"),
    ("housing", "Mould in bathroom - repair request",
     "Hi,\n\nI reported black mould in the bathroom of my council flat (Flat 6, Elm House) six weeks ago and nobody has "
     "come. My daughter has asthma and it is getting worse. Please can someone visit.\n\nThanks"),
    ("waste", "Missed garden waste collection",
     "Good afternoon,\n\nOur brown bin at 31 Willow Drive was not collected on Monday, the rest of the street was done. "
     "We have paid for the garden waste subscription.\n\nRegards"),
    ("social_care", "Worried about my neighbour",
     "Hello,\n\nI'm worried about the elderly gentleman at number 8. His curtains have been closed for four days and his "
     "milk is still on the step. I've knocked but there's no answer.\n\nPlease can someone check on him."),
    ("libraries_leisure", "Room booking at the central library",
     "Hi,\n\nOur community group would like to book the meeting room at the central library on Thursday evenings. "
     "Who should I speak to and what does it cost?\n\nMany thanks"),
]

VISITOR_POSTS: list[tuple[str, str]] = [  # posts citizens write on the Page's own wall
    ("waste", "Third week running the recycling on Heol Isaf hasn't been collected. Who do I talk to?"),
    ("highways", "Whoever is in charge of potholes, please look at the junction by the leisure centre, it's dangerous."),
]

YOUTUBE_COMMENTS: list[tuple[str, str]] = [
    ("general", "Really useful video on the new recycling rules, thanks. Can you do one on garden waste too?"),
    ("waste", "The video says food waste goes in the caddy but we've never been given one. How do we get one?"),
    ("transport", "When is the park and ride going to start running on Sundays?"),
    ("highways", "Would be good to see a video on when the High Street roadworks will finally finish"),
    ("planning", "Where can I see the plans for the new housing estate mentioned at 2:15?"),
    ("environmental_health_asb", "The air quality by the school on London Road is terrible at pick up time, what's being done?"),
]

WEB_FORMS: list[tuple[str, str, str]] = [  # service_code, description, address
    ("highways", "Raised paving slab outside the pharmacy, an elderly lady tripped on it this morning.", "22 High Street"),
    ("waste", "Needles and syringes dumped in the alley behind the shops. Children walk through here to school.", "Alley behind 1-15 Market Row"),
    ("street_lighting", "Lamp post leaning badly after being hit by a van, wires showing at the base.", "Outside 40 Fern Avenue"),
    ("parks_trees", "Overgrown hedge from the council verge blocking the pavement, pushchairs have to go in the road.", "Corner of Ash Grove and Lime Street"),
    ("environmental_health_asb", "Dog barking constantly all day from the garden while the owners are at work.", "17 Primrose Lane"),
    ("housing", "Front door of the block will not lock, anyone can walk in. Reported by phone twice.", "Tower House, Kingsway"),
]

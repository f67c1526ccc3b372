"""A small document set for retrieval tests: 30 short files (.md, .txt, .pdf, .html, .py) about an invented
town, and 20 questions whose answer is in exactly one of them. Written for these tests; ``write_corpus``
generates the files (PDFs with fpdf2)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["DOCS", "QUESTIONS", "write_corpus"]

# (file name, text): one topic per file, each file short enough to be one chunk
DOCS: list[tuple[str, str]] = [
    (
        "lighthouse.md",
        "# The Quillhaven lighthouse\n\nThe lighthouse on Gannet Point was built in 1871 by the "
        "engineer Maud Ellery. Its lamp is visible for 23 nautical miles and it flashes green every six seconds.",
    ),
    (
        "bakery.txt",
        "Orla's Bakery on Tanner Street bakes a rye loaf called the Harbour Brick. It uses caraway "
        "and black treacle, and it sells out by nine every Saturday morning.",
    ),
    (
        "ferry.pdf",
        "Ferry timetable. The ferry Saint Brannoc crosses to Merrow Island four times a day. The "
        "crossing takes forty minutes and the first boat leaves the slipway at 6:15.",
    ),
    (
        "museum.html",
        "<html><head><title>Quillhaven Museum</title></head><body><h1>Museum</h1><p>The town museum "
        "keeps a whale skeleton twelve metres long, found on Shingle Beach in 1932. Entry is free on Wednesdays."
        "</p></body></html>",
    ),
    (
        "tides.py",
        '"""Tide helper for the harbour master."""\n\n\ndef spring_tide_range_m() -> float:\n'
        '    """The spring tide range in Quillhaven harbour is 5.8 metres."""\n    return 5.8\n',
    ),
    (
        "festival.md",
        "# Lantern festival\n\nEvery October the town holds the Festival of Paper Lanterns. The parade "
        "starts at the old granary and ends at the harbour wall, where the lanterns are floated out to sea.",
    ),
    (
        "library.txt",
        "The public library on Chapel Row owns a copy of the town charter from 1604. Readers may "
        "borrow at most eight books at a time, and the late fee is ten pence a day.",
    ),
    (
        "football.pdf",
        "Quillhaven Rovers play in blue and white hoops. Their ground, Kelp Park, holds 3,400 "
        "spectators. The club's record scorer is Danny Pruett with 212 goals.",
    ),
    (
        "council.html",
        "<html><head><title>Town council</title></head><body><p>The town council meets on the "
        "first Tuesday of each month in the Guildhall. The current mayor is Priya Okonjo, elected in 2021.</p>"
        "</body></html>",
    ),
    (
        "weather.py",
        '"""Weather station constants."""\n\n# The weather station on Beacon Hill recorded the '
        "town's highest wind gust, 117 miles per hour, during the storm of 1987.\nRECORD_GUST_MPH = 117\n",
    ),
    (
        "brewery.md",
        "# Driftwood Brewery\n\nThe Driftwood Brewery brews a dark ale called Fogbound Stout. It is "
        "aged in oak casks for fourteen weeks and is only sold in the town's three harbour pubs.",
    ),
    (
        "school.txt",
        "Saint Kea's primary school has 214 pupils. Its headteacher, Mr Alun Roberts, started the "
        "school's beekeeping club, which keeps four hives behind the playing field.",
    ),
    (
        "railway.pdf",
        "The branch railway closed in 1963. The old station building is now a cycle hire shop, and "
        "the trackbed became the Coppermine Trail, a path 11 kilometres long.",
    ),
    (
        "market.html",
        "<html><head><title>Market</title></head><body><p>The fish market opens at five in the "
        "morning on weekdays. The most prized catch is the Quillhaven crab, sold by the half dozen.</p>"
        "</body></html>",
    ),
    (
        "harbour.py",
        '"""Harbour berth allocation."""\n\n# The inner harbour has 48 berths; visiting yachts pay '
        "a nightly fee of 22 pounds.\nBERTHS = 48\nVISITOR_FEE_GBP = 22\n",
    ),
    (
        "choir.md",
        "# Male voice choir\n\nThe Quillhaven Male Voice Choir was founded by fishermen in 1899. It has "
        "sung at the Royal Albert Hall twice, and rehearses every Thursday in the Methodist chapel.",
    ),
    (
        "garden.txt",
        "The walled garden at Penrose House grows a pear variety found nowhere else, the Penrose "
        "Russet. The garden's head gardener is Tamsin Hale, who has worked there for thirty years.",
    ),
    (
        "lifeboat.pdf",
        "The lifeboat station was founded in 1867. Its current lifeboat, the Spirit of Quill, is a "
        "Shannon class boat that can reach 25 knots and launches from a tractor on the beach.",
    ),
    (
        "cinema.html",
        "<html><head><title>Cinema</title></head><body><p>The Regal cinema opened in 1936 with one "
        "screen of 412 seats. It was restored by volunteers and now shows films on Friday and Saturday nights.</p>"
        "</body></html>",
    ),
    (
        "bus.py",
        '"""Bus route data."""\n\n# Route 17 links Quillhaven to Truro; the last bus back from Truro '
        'leaves at 22:40.\nROUTE = 17\nLAST_BUS_FROM_TRURO = "22:40"\n',
    ),
    # distractors: same town, topics near the ones above, none answers a question
    (
        "walks.md",
        "# Coastal walks\n\nThe cliff path runs west from the harbour past two coves. Walkers should "
        "carry water, because there is no cafe between the town and the next village.",
    ),
    (
        "shops.txt",
        "The high street has a hardware shop, two chemists, a bookshop and a shop selling knitted "
        "jumpers in the traditional pattern of the local fishermen.",
    ),
    (
        "history.pdf",
        "The town grew rich on pilchard fishing in the eighteenth century. Many cottages near the "
        "harbour still have the cellars where the fish were salted and pressed.",
    ),
    (
        "churches.html",
        "<html><head><title>Churches</title></head><body><p>The parish church has a tower of grey "
        "granite and eight bells, rung for services every Sunday morning.</p></body></html>",
    ),
    (
        "parking.py",
        '"""Car park rules."""\n\n# The long stay car park is above the town; a shuttle runs down '
        'to the harbour in the summer months.\nSHUTTLE_SEASON = ("June", "September")\n',
    ),
    (
        "beaches.md",
        "# Beaches\n\nShingle Beach faces south and is sheltered from westerly winds. Dogs are "
        "allowed on it all year round, but lifeguards patrol only in the school holidays.",
    ),
    (
        "hotels.txt",
        "Visitors can stay at the Anchor Hotel on the quay or at several guesthouses along Fore "
        "Street. Most of them are closed in January.",
    ),
    (
        "birds.pdf",
        "Birdwatchers come to the estuary in winter to see curlews, oystercatchers and, in cold "
        "years, a few visiting spoonbills.",
    ),
    (
        "sailing.html",
        "<html><head><title>Sailing club</title></head><body><p>The sailing club races dinghies "
        "in the bay on summer evenings and runs courses for children.</p></body></html>",
    ),
    (
        "waste.py",
        '"""Bin collection days."""\n\n# Recycling is collected every other week; garden waste needs a '
        "paid permit.\nRECYCLING_WEEKS = 2\n",
    ),
]

# (question, file holding the answer, words of the answer that the chunk must contain)
QUESTIONS: list[tuple[str, str, str]] = [
    ("Who built the lighthouse on Gannet Point?", "lighthouse.md", "Maud Ellery"),
    ("What spices go into the Harbour Brick rye loaf?", "bakery.txt", "caraway"),
    ("How long does the ferry crossing to Merrow Island take?", "ferry.pdf", "forty minutes"),
    ("How long is the whale skeleton kept by the museum?", "museum.html", "twelve metres"),
    ("What is the spring tide range in the harbour?", "tides.py", "5.8"),
    ("Where does the lantern parade start?", "festival.md", "granary"),
    ("How many books can a reader borrow from the library at once?", "library.txt", "eight books"),
    ("Who is the record goal scorer of Quillhaven Rovers?", "football.pdf", "Danny Pruett"),
    ("Who is the mayor of the town?", "council.html", "Priya Okonjo"),
    ("What was the highest wind gust recorded by the weather station?", "weather.py", "117"),
    ("For how many weeks is Fogbound Stout aged?", "brewery.md", "fourteen weeks"),
    ("How many beehives does the school beekeeping club keep?", "school.txt", "four hives"),
    ("What did the old railway trackbed become?", "railway.pdf", "Coppermine Trail"),
    ("What time does the fish market open?", "market.html", "five in the"),
    ("How much do visiting yachts pay for a night in the harbour?", "harbour.py", "22 pounds"),
    ("When was the male voice choir founded?", "choir.md", "1899"),
    ("Which pear variety grows only in the walled garden?", "garden.txt", "Penrose"),
    ("How fast can the lifeboat go?", "lifeboat.pdf", "25 knots"),
    ("How many seats did the Regal cinema have when it opened?", "cinema.html", "412 seats"),
    ("When does the last bus back from Truro leave?", "bus.py", "22:40"),
]


def _write_pdf(path: Path, text: str) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    pdf.output(str(path))


def write_corpus(folder: Path) -> Path:
    """Write the 30 documents into ``folder``; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in DOCS:
        path = folder / name
        if name.endswith(".pdf"):
            _write_pdf(path, text)
        else:
            path.write_text(text, encoding="utf-8")
    return folder

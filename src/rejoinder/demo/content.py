"""Sample content for demos and screenshots: one local-news article with a lively discussion.

Pure data, standard library only, so it can be imported anywhere (a management command, a
fixture, a test) without Django being configured. Eastbridge, its council, its businesses and
every person named here are fictional.

Comments are listed in the order they were posted. Each names its parent by ``key`` (``None``
for a top-level comment), and ``minutes_after`` counts from the article's publication, so a
seeding script can lay the discussion out over about two days. Replies nest at most three levels
below a top-level comment, matching the default ``Site.max_reply_depth``.
"""

from __future__ import annotations

from typing import TypedDict


class DemoArticle(TypedDict):
    slug: str
    headline: str
    standfirst: str
    author_name: str
    source_line: str
    figure_caption: str
    figure_credit: str
    figure_alt: str
    body: str


class DemoComment(TypedDict):
    key: str
    parent: str | None
    name: str
    minutes_after: int
    body: str
    up: int
    down: int


class DemoArticleWithDiscussion(DemoArticle):
    comments: list[DemoComment]
    ratings: list[int]


ARTICLE: DemoArticle = {
    "slug": "riverside-car-park-vote",
    "headline": "Council votes to turn Riverside car park into a park with 86 homes",
    "standfirst": (
        "Eastbridge councillors approved the £14.6m scheme by seven votes to four after a "
        "three-hour meeting. Traders say losing 240 parking spaces will hurt the town centre."
    ),
    "author_name": "Ruth Penhallow",
    "source_line": (
        "Eastbridge Courier, Local Democracy desk. Additional reporting by Tom Aldous. "
        "A sample article for the Rejoinder demo: Eastbridge and everyone in it are fictional."
    ),
    "figure_caption": (
        "The Riverside car park on a weekday morning. Under the approved plan, about half of the "
        "site becomes a public green running down to the River Wend."
    ),
    "figure_credit": "Illustration: Rejoinder demo",
    "figure_alt": (
        "An open-air car park beside a river, about half full, with a row of terraced houses "
        "and a church spire behind it."
    ),
    "body": """\
Eastbridge's Riverside car park will be replaced by a public park and 86 new homes after the
borough council approved the scheme late on Tuesday night, ending nearly two years of
consultation and argument over the future of the town's largest surface car park.

Councillors voted seven to four in favour of the plan, which will see the 240-space site on
Mill Lane cleared from next spring. About half of the 1.9-hectare site will become a landscaped
green running down to the River Wend, with the rest given over to three residential blocks of
up to five storeys. More than 80 residents filled the public gallery for the debate, which was
twice paused after interruptions from the floor.

The council puts the total cost at £14.6 million. Wendside Homes, a housing association, will
fund and build the homes in exchange for a 125-year lease, while the park is to be paid for
from a £3.2 million regional regeneration grant and £1.1 million from the council's own capital
budget.

## What the plan includes

According to the planning report presented to councillors, the scheme includes:

- 86 homes, 30 of them for social rent and 12 for shared ownership
- a 0.9-hectare park with a play area, seating and a riverside path
- 40 covered cycle spaces and four car-club bays
- 24 short-stay parking spaces, 10 of them blue-badge bays, kept at the Mill Lane end

Council officers told the meeting that the car park was on average 54 per cent full on weekdays
and 71 per cent full on Saturdays, based on ticket data from the past three years. They argued
that the 410-space multi-storey on Station Road, which rarely fills, could absorb most of the
displaced demand.

Councillor Denise Abara, the cabinet member for housing and planning, said the decision was
"about what a town centre is for". She pointed to the council's consultation, which drew 2,340
responses and found 58 per cent support for the scheme, rising to 71 per cent among respondents
under 40.

> "We have nearly five acres of tarmac next to the prettiest stretch of river we've got, and it
> sits half empty most of the week. We have 1,100 households on the housing register. I don't
> think anyone designing Eastbridge from scratch would choose to keep things as they are."

## Traders' concerns

Not everyone is convinced. The Eastbridge Traders' Association, which represents about 60
businesses in the town centre, said the loss of the car park would put off shoppers from the
surrounding villages, particularly older visitors and people with limited mobility. Its chair,
Graham Tulley, who runs a hardware shop on Bridge Street, told councillors that Station Road
was "a seven-minute walk uphill with your shopping".

"Nobody is against housing, and nobody is against a park," Mr Tulley said after the vote. "But
a lot of our customers drive in from the villages, and we've been asked to trust a survey. We'll
find out in two years whether the survey was right, and by then some of us won't be here."

Opposition councillors raised similar points. Councillor Martin Fenwick, who voted against,
proposed an amendment to keep 60 spaces for a five-year trial period, but it was defeated by
the same margin. He also questioned whether the flood-risk assessment had fully accounted for
the site's position beside the river, which burst its banks in 2019. "We are making a
permanent decision on the strength of a temporary survey," he told the chamber.

Officers said the homes would be built on raised ground floors, with no flats at street level
on the river side, and that the park had been designed to hold floodwater safely. The regional
water authority had raised no objection, they added.

The council will now apply for full planning permission, a separate process that includes a
further six-week public consultation. If permission is granted, demolition would begin next
spring, with the park expected to open the following summer and the first residents moving in
about 18 months after that.

In the meantime, a Saturday shuttle bus between Station Road and Bridge Street, first proposed
during the consultation, will be trialled from next month with funding for one year. The council
said it would publish monthly occupancy figures for the Station Road car park throughout the
trial.
""",
}

# Fifteen top-level comments and their replies, in posting order (about two days' worth).
COMMENTS: list[DemoComment] = [
    {
        "key": "c1",
        "parent": None,
        "name": "Amal K.",
        "minutes_after": 4,
        "body": (
            "Finally. I've lived on Mill Lane for eleven years and that car park has been half "
            "empty every weekday I can remember. A park by the river is a no-brainer."
        ),
        "up": 18,
        "down": 3,
    },
    {
        "key": "c2",
        "parent": None,
        "name": "Margaret Ellison",
        "minutes_after": 15,
        "body": (
            "I'm 78 and I don't drive into Eastbridge for fun. I drive because the bus from "
            "Hollins Cross runs twice a day. Nobody at that meeting seems to have thought about "
            "people like me."
        ),
        "up": 21,
        "down": 1,
    },
    {
        "key": "c3",
        "parent": "c1",
        "name": "Pete Lowther",
        "minutes_after": 22,
        "body": (
            "Half empty on weekdays, sure. Try finding a space on a Saturday in December. The "
            "71% figure in the article is an average over the whole year."
        ),
        "up": 12,
        "down": 2,
    },
    {
        "key": "c4",
        "parent": None,
        "name": "Ollie Prentice",
        "minutes_after": 27,
        "body": (
            "Does anyone know what 'social rent' means in practice here? Is it actually "
            "affordable, or is it the 80%-of-market thing?"
        ),
        "up": 6,
        "down": 0,
    },
    {
        "key": "c5",
        "parent": None,
        "name": "Linda at No. 14",
        "minutes_after": 33,
        "body": (
            "Speaking as someone who runs a shop on Bridge Street: we're not against the park. "
            "We're against doing it *before* the shuttle and Station Road have been shown to "
            "work.\n\nTrial first, then dig."
        ),
        "up": 16,
        "down": 2,
    },
    {
        "key": "c6",
        "parent": "c2",
        "name": "Dev Raman",
        "minutes_after": 38,
        "body": (
            "That's a fair point, and the 10 blue-badge bays are staying, according to the list "
            "in the article. Do you have a badge?"
        ),
        "up": 8,
        "down": 0,
    },
    {
        "key": "c7",
        "parent": "c3",
        "name": "Amal K.",
        "minutes_after": 41,
        "body": (
            "> Try finding a space on a Saturday in December.\n\n"
            "So we keep five hectares of tarmac for four Saturdays a year? Station Road has 410 "
            "spaces and *never* fills."
        ),
        "up": 14,
        "down": 4,
    },
    {
        "key": "c8",
        "parent": None,
        "name": "Nell Hargreaves",
        "minutes_after": 48,
        "body": (
            "Has nobody else noticed it's a flood plain? In 2019 the water was up to the ticket "
            "machines. Building homes there seems mad to me."
        ),
        "up": 10,
        "down": 5,
    },
    {
        "key": "c9",
        "parent": "c4",
        "name": "R. Delacroix",
        "minutes_after": 49,
        "body": (
            "Social rent is the lower one, usually around half of market rent. The 80% figure is "
            "'affordable rent', which is a different category. Shared ownership is a third thing "
            "again."
        ),
        "up": 11,
        "down": 0,
    },
    {
        "key": "c10",
        "parent": "c5",
        "name": "Hamid S.",
        "minutes_after": 55,
        "body": (
            "Isn't that what the Fenwick amendment was? 60 spaces kept for five years. It got "
            "voted down."
        ),
        "up": 7,
        "down": 0,
    },
    {
        "key": "c11",
        "parent": "c9",
        "name": "Ollie Prentice",
        "minutes_after": 58,
        "body": "Thanks, that's clearer than the council's own FAQ.",
        "up": 3,
        "down": 0,
    },
    {
        "key": "c12",
        "parent": "c7",
        "name": "Pete Lowther",
        "minutes_after": 63,
        "body": (
            "It never fills because it's up a hill and costs twice as much. That's rather the "
            "point the traders are making."
        ),
        "up": 9,
        "down": 1,
    },
    {
        "key": "c13",
        "parent": None,
        "name": "Jess",
        "minutes_after": 70,
        "body": (
            "Honestly just happy there'll be somewhere to take the kids that isn't the retail "
            "park. The play area had better have a proper zip wire."
        ),
        "up": 9,
        "down": 0,
    },
    {
        "key": "c14",
        "parent": "c6",
        "name": "Margaret Ellison",
        "minutes_after": 72,
        "body": (
            "No, I don't qualify. I can walk perfectly well, just not up Station Road with two "
            "bags of shopping."
        ),
        "up": 15,
        "down": 0,
    },
    {
        "key": "c15",
        "parent": "c8",
        "name": "Dr P. Mensah",
        "minutes_after": 77,
        "body": (
            "Raised ground floors and a park designed to flood are pretty standard practice now; "
            "the green acts as storage. Arguably it's *better* than tarmac, which sheds the water "
            "straight into the streets."
        ),
        "up": 17,
        "down": 1,
    },
    {
        "key": "c16",
        "parent": "c10",
        "name": "Linda at No. 14",
        "minutes_after": 88,
        "body": (
            "Yes, and I still don't understand why. Keeping 60 spaces for five years costs them "
            "nothing."
        ),
        "up": 9,
        "down": 2,
    },
    {
        "key": "c17",
        "parent": "c7",
        "name": "J. Okafor",
        "minutes_after": 95,
        "body": (
            "Small correction: the site is **1.9 hectares**, not five. I think you're mixing it "
            "up with Cllr Abara's 'nearly five acres'. Doesn't change your argument much, but "
            "the traders will pounce on it."
        ),
        "up": 7,
        "down": 0,
    },
    {
        "key": "c18",
        "parent": "c13",
        "name": "Mike D.",
        "minutes_after": 96,
        "body": "Zip wire or riot.",
        "up": 11,
        "down": 0,
    },
    {
        "key": "c19",
        "parent": "c15",
        "name": "Nell Hargreaves",
        "minutes_after": 101,
        "body": (
            "Arguably. I'd like to see the flood assessment itself, though, not just officers "
            "saying it's fine."
        ),
        "up": 8,
        "down": 0,
    },
    {
        "key": "c20",
        "parent": "c14",
        "name": "Sian Roberts",
        "minutes_after": 112,
        "body": (
            "The Saturday shuttle might help, Margaret: it runs from Station Road to Bridge "
            "Street. It would be good to know whether it'll run midweek too."
        ),
        "up": 10,
        "down": 0,
    },
    {
        "key": "c21",
        "parent": None,
        "name": "Ahmed Farouk",
        "minutes_after": 130,
        "body": (
            "Seven to four along party lines, predictably. I'd be interested to know what the "
            "four who voted against would have done with the site instead."
        ),
        "up": 5,
        "down": 3,
    },
    {
        "key": "c22",
        "parent": "c16",
        "name": "Chris Varga",
        "minutes_after": 131,
        "body": (
            "It costs them the housing. The blocks sit at the Mill Lane end, which is where the "
            "60 spaces would have been. It's in the "
            "[council minutes](https://example.org/minutes), item 7."
        ),
        "up": 12,
        "down": 1,
    },
    {
        "key": "c23",
        "parent": "c11",
        "name": "Bea Whitcombe",
        "minutes_after": 140,
        "body": (
            "To be fair to the council, the FAQ is in the "
            "[planning report](https://example.org/eastbridge/planning/riverside-report), "
            "appendix C. You just have to get through 140 pages first."
        ),
        "up": 5,
        "down": 0,
    },
    {
        "key": "c24",
        "parent": "c19",
        "name": "Dr P. Mensah",
        "minutes_after": 150,
        "body": (
            "Agreed, it should be public. If it helps, the things I'd look for are:\n\n"
            "- the design flood level against the finished floor levels\n"
            "- where the escape route goes during a flood\n"
            "- whether the 2019 flood is in the model at all"
        ),
        "up": 13,
        "down": 0,
    },
    {
        "key": "c25",
        "parent": "c21",
        "name": "Eastbridge Resident",
        "minutes_after": 170,
        "body": (
            "Not quite party lines: Cllr Pryor voted in favour even though she's in opposition. "
            "The names are in the minutes."
        ),
        "up": 6,
        "down": 0,
    },
    {
        "key": "c26",
        "parent": None,
        "name": "Rosa Lindqvist",
        "minutes_after": 240,
        "body": (
            "Slightly off topic, but does anyone know if the Saturday market stays on Bridge "
            "Street while the works are on? It's the main reason I come into town."
        ),
        "up": 4,
        "down": 0,
    },
    {
        "key": "c27",
        "parent": "c26",
        "name": "Linda at No. 14",
        "minutes_after": 290,
        "body": (
            "It does, the market isn't affected. The works will all be behind hoardings on Mill "
            "Lane."
        ),
        "up": 5,
        "down": 0,
    },
    {
        "key": "c28",
        "parent": None,
        "name": "Kieran Walsh",
        "minutes_after": 360,
        "body": (
            "86 homes won't touch a waiting list of 1,100. This is a rounding error dressed up "
            "as a housing policy."
        ),
        "up": 7,
        "down": 6,
    },
    {
        "key": "c29",
        "parent": "c28",
        "name": "Amal K.",
        "minutes_after": 395,
        "body": (
            "30 homes at social rent is 30 families off the list. It's not everything, but "
            "'not everything' isn't a reason to do nothing."
        ),
        "up": 15,
        "down": 1,
    },
    {
        "key": "c30",
        "parent": "c29",
        "name": "Kieran Walsh",
        "minutes_after": 450,
        "body": "I'm not saying do nothing. I'm saying don't pretend this solves it.",
        "up": 6,
        "down": 0,
    },
    {
        "key": "c31",
        "parent": None,
        "name": "Ben Ashdown",
        "minutes_after": 600,
        "body": (
            "For anyone from Wendside Homes reading: the car-club bays are a good idea, but four "
            "is far too few for 86 homes with almost no parking of their own."
        ),
        "up": 5,
        "down": 0,
    },
    {
        "key": "c32",
        "parent": None,
        "name": "Priti N.",
        "minutes_after": 900,
        "body": (
            "Genuine question: what happens to the monthly permit holders? I've had a Riverside "
            "permit since 2016 and nobody has written to me."
        ),
        "up": 8,
        "down": 0,
    },
    {
        "key": "c33",
        "parent": "c32",
        "name": "Eastbridge Courier",
        "minutes_after": 1010,
        "body": (
            "Thanks for asking. We've put this to the council and will update the article when "
            "they reply."
        ),
        "up": 6,
        "down": 0,
    },
    {
        "key": "c34",
        "parent": None,
        "name": "Dan Whitford",
        "minutes_after": 1200,
        "body": (
            "I pulled the ticket data from the council's open data portal (dataset "
            "`parking-occupancy-2021-2024`). The 71% Saturday figure is right *on average*, but "
            "between 11:00 and 14:00 the car park is over 90% full most weeks. Averages hide the "
            "peak."
        ),
        "up": 19,
        "down": 0,
    },
    {
        "key": "c35",
        "parent": "c34",
        "name": "Dev Raman",
        "minutes_after": 1290,
        "body": "That's really useful. Does the dataset cover Station Road too?",
        "up": 5,
        "down": 0,
    },
    {
        "key": "c36",
        "parent": "c35",
        "name": "Dan Whitford",
        "minutes_after": 1340,
        "body": (
            "It does. The Saturday peak at Station Road is about 62%, so roughly 150 spare "
            "spaces, while Riverside peaks at about 220 cars.\n\n"
            "So it doesn't quite fit, but it's closer than either side is claiming."
        ),
        "up": 16,
        "down": 0,
    },
    {
        "key": "c37",
        "parent": "c36",
        "name": "Pete Lowther",
        "minutes_after": 1500,
        "body": "This is the most useful comment on the whole thread. Thank you.",
        "up": 9,
        "down": 0,
    },
    {
        "key": "c38",
        "parent": None,
        "name": "Yvonne Castel",
        "minutes_after": 1700,
        "body": (
            "**Five storeys** is not low-rise, whatever the brochure says. Have a look at the "
            "elevations in the planning report before you believe it."
        ),
        "up": 6,
        "down": 3,
    },
    {
        "key": "c39",
        "parent": None,
        "name": "Alan P.",
        "minutes_after": 2100,
        "body": (
            "Forty years I've lived here. Every ten years the council has a Big Plan for the "
            "riverside. I'll believe it when I see a swing."
        ),
        "up": 12,
        "down": 2,
    },
    {
        "key": "c40",
        "parent": "c39",
        "name": "Jess",
        "minutes_after": 2180,
        "body": "Then we'll see you at the zip wire, Alan.",
        "up": 8,
        "down": 0,
    },
    {
        "key": "c41",
        "parent": None,
        "name": "Marta Szabo",
        "minutes_after": 2600,
        "body": (
            "Came back to this two days later and the comments are better than the meeting was. "
            "Thanks, all, for keeping it civil."
        ),
        "up": 10,
        "down": 0,
    },
]

# Twenty star ratings averaging 3.8.
RATINGS: list[int] = [5, 4, 4, 5, 3, 2, 5, 4, 4, 3, 5, 4, 1, 4, 5, 3, 4, 4, 5, 2]

# Two shorter stories, each with a small discussion of its own.
MORE_ARTICLES: list[DemoArticleWithDiscussion] = [
    {
        "slug": "library-sunday-opening",
        "headline": "Eastbridge library to open on Sundays after volunteers step in",
        "standfirst": (
            "A rota of 34 volunteers will let the Market Square library open from 11am to 3pm on "
            "Sundays for a year-long trial starting in October."
        ),
        "author_name": "Tom Aldous",
        "source_line": (
            "Eastbridge Courier. A sample article for the Rejoinder demo: all names are fictional."
        ),
        "figure_caption": (
            "The reading room at Market Square library, which has been closed on Sundays "
            "since 2012."
        ),
        "figure_credit": "Illustration: Rejoinder demo",
        "figure_alt": (
            "A bright reading room with tall windows, long wooden tables and shelves of books."
        ),
        "body": """\
Eastbridge's Market Square library will open on Sundays for the first time in more than a decade,
after a volunteer recruitment drive attracted more than twice as many people as the council had
asked for.

The library will open from 11am to 3pm every Sunday from 6 October for a twelve-month trial. Two
paid staff will be on duty each week, supported by a rota of 34 volunteers who will help with
returns, the children's corner and the public computers.

## Why now

Sunday opening was cut in 2012 as part of a round of savings. Library manager Fiona Greaves said
demand had "never really gone away", pointing to a survey last spring in which 41 per cent of
respondents named Sunday as the day they would be most likely to visit.

> "We asked for fifteen volunteers and we got thirty-four in a fortnight. That told us
> something."

The trial will cost about £18,000, mostly in staff time and heating, and will be paid for from an
underspend in the council's culture budget. Usage will be reviewed after six months, and the
council has said that a permanent Sunday service would depend on at least 150 visits a week.

Volunteers will be trained in September. Anyone still interested can sign up at the front desk;
the library says it is particularly short of people who are comfortable helping visitors with
computers and online forms.
""",
        "comments": [
            {
                "key": "c1",
                "parent": None,
                "name": "Hannah F.",
                "minutes_after": 12,
                "body": "Brilliant news. Sunday is the only day I can take my two without rushing.",
                "up": 7,
                "down": 0,
            },
            {
                "key": "c2",
                "parent": "c1",
                "name": "Graham W.",
                "minutes_after": 40,
                "body": (
                    "Good news, but why does it take volunteers to open a public building? This "
                    "should be funded properly."
                ),
                "up": 9,
                "down": 2,
            },
            {
                "key": "c3",
                "parent": "c2",
                "name": "Hannah F.",
                "minutes_after": 75,
                "body": (
                    "Agree in principle, but I'd rather it opened with volunteers than stayed shut."
                ),
                "up": 6,
                "down": 1,
            },
            {
                "key": "c4",
                "parent": None,
                "name": "Lou Petrakis",
                "minutes_after": 130,
                "body": (
                    "I signed up! If anyone's nervous about the computer side, the training is "
                    "*very* gentle."
                ),
                "up": 5,
                "down": 0,
            },
            {
                "key": "c5",
                "parent": None,
                "name": "Ivor Lund",
                "minutes_after": 400,
                "body": (
                    "Will printing be available on Sundays? Half the reason people need a library "
                    "these days is printing forms."
                ),
                "up": 3,
                "down": 0,
            },
        ],
        "ratings": [5, 4, 5, 4, 3],
    },
    {
        "slug": "route-14-hourly-buses",
        "headline": "Route 14 to Hollins Cross goes hourly from September",
        "standfirst": (
            "The Wend Valley bus, which now runs twice a day, will make ten return journeys on "
            "weekdays under a two-year county contract."
        ),
        "author_name": "Ruth Penhallow",
        "source_line": (
            "Eastbridge Courier. A sample article for the Rejoinder demo: all names are fictional."
        ),
        "figure_caption": (
            "A Route 14 bus at the Hollins Cross stop. The service currently makes two return "
            "journeys a day."
        ),
        "figure_credit": "Illustration: Rejoinder demo",
        "figure_alt": (
            "A single-decker bus waiting at a rural bus shelter beside a stone wall, with fields "
            "behind."
        ),
        "body": """\
The bus between Eastbridge and the villages of the upper Wend Valley will run every hour from
September, the county transport authority has confirmed, ending years of complaints from
residents who said the twice-daily service left them stranded.

Route 14 currently makes two return journeys a day between Eastbridge bus station and Hollins
Cross, calling at Ashby Wend and Low Moor. From 2 September it will make ten return journeys on
weekdays and eight on Saturdays, with the first bus leaving Hollins Cross at 7.05am.

## Who pays

The £640,000 two-year contract has been awarded to Valley Link Coaches, which already runs the
town's school services. The county is paying for it from a rural transport fund, and Eastbridge
borough council is adding £40,000 a year so that the route can call at the Station Road car
park, where it will connect with the new Saturday shuttle.

Parish councillor June Haworth, who has campaigned for a better service for six years, welcomed
the news but said Sunday buses were still needed.

> "For a lot of people up here, the bus is how you get to the doctor, the shops and your job.
> Hourly is a proper service. Now we need it seven days a week."

The county said it would review passenger numbers after the first year. Printed timetables will
be available at the bus station from mid-August.
""",
        "comments": [
            {
                "key": "c1",
                "parent": None,
                "name": "Margaret Ellison",
                "minutes_after": 20,
                "body": (
                    "I was complaining about exactly this under the car park story two days ago. "
                    "Hourly buses! I may yet stop driving."
                ),
                "up": 14,
                "down": 0,
            },
            {
                "key": "c2",
                "parent": "c1",
                "name": "Sian Roberts",
                "minutes_after": 45,
                "body": "Told you the council reads the comments, Margaret.",
                "up": 8,
                "down": 1,
            },
            {
                "key": "c3",
                "parent": "c2",
                "name": "Margaret Ellison",
                "minutes_after": 80,
                "body": (
                    "I suspect the county decided this some time ago, dear, but I'll take the "
                    "credit."
                ),
                "up": 12,
                "down": 0,
            },
            {
                "key": "c4",
                "parent": None,
                "name": "Kit Harrow",
                "minutes_after": 150,
                "body": (
                    "No Sunday service is a real gap. The library is opening on Sundays now and "
                    "people from the valley **still** can't get to it."
                ),
                "up": 6,
                "down": 0,
            },
            {
                "key": "c5",
                "parent": "c4",
                "name": "Dev Raman",
                "minutes_after": 210,
                "body": (
                    "Worth raising at the review. According to the "
                    "[county tender notice](https://example.org/county/tenders/route-14), the "
                    "contract allows extra journeys if passenger numbers are good."
                ),
                "up": 5,
                "down": 0,
            },
            {
                "key": "c6",
                "parent": None,
                "name": "Nora Beck",
                "minutes_after": 600,
                "body": (
                    "Will the 7.05 connect with the 7.40 train? That's the one that matters for "
                    "anyone commuting."
                ),
                "up": 4,
                "down": 0,
            },
        ],
        "ratings": [4, 5, 4, 3, 5, 4],
    },
]


class DemoInlineComment(TypedDict):
    name: str
    minutes_after: int
    quote: str
    body: str
    up: int


# Inline feedback on the main article: each quote occurs once in its text.
INLINE_COMMENTS: list[DemoInlineComment] = [
    {
        "name": "Priya N.",
        "minutes_after": 75,
        "quote": "54 per cent full on weekdays and 71 per cent full on Saturdays",
        "body": (
            "Averages hide the peaks. On the Saturdays before Christmas it is full by ten, and "
            "those are the days the shops live on."
        ),
        "up": 9,
    },
    {
        "name": "Graham W.",
        "minutes_after": 140,
        "quote": "30 of them for social rent",
        "body": "Thirty out of 86 is better than the last three schemes in town put together.",
        "up": 5,
    },
    {
        "name": "Lena Ortiz",
        "minutes_after": 310,
        "quote": "designed to hold floodwater safely",
        "body": (
            "Worth asking what flood level it was designed for. The 2007 flood came over the "
            "riverside path by almost a metre."
        ),
        "up": 12,
    },
]


class DemoPrompt(TypedDict):
    paragraph_starts: str
    question: str
    answers: list[DemoComment]


# A question the author pinned to a paragraph, with the readers' answers.
PROMPTS: list[DemoPrompt] = [
    {
        "paragraph_starts": "In the meantime, a Saturday shuttle bus",
        "question": "Would you use a Saturday shuttle from Station Road?",
        "answers": [
            {
                "key": "p1",
                "parent": None,
                "name": "Tom B.",
                "minutes_after": 200,
                "body": "Only if it runs every fifteen minutes. Half-hourly and I'll drive to the retail park.",
                "up": 4,
                "down": 0,
            },
            {
                "key": "p2",
                "parent": None,
                "name": "Marguerite",
                "minutes_after": 420,
                "body": "Yes, with a pushchair it beats the multi-storey's lift any day.",
                "up": 2,
                "down": 0,
            },
        ],
    }
]


class DemoHeldComment(TypedDict):
    name: str
    minutes_after: int
    body: str
    why: str  # "first_time", "links" or "spam": the queue it waits in


# Comments waiting for a moderator, so the moderation page has work to show.
HELD_COMMENTS: list[DemoHeldComment] = [
    {
        "name": "Ray D.",
        "minutes_after": 600,
        "body": "First time commenting. Will the council publish the ticket data it quoted?",
        "why": "first_time",
    },
    {
        "name": "Sam",
        "minutes_after": 700,
        "body": (
            "The flood map is here: https://flood-map.example.org/eastbridge and the 2007 "
            "report here: https://archive.example.org/eastbridge-2007"
        ),
        "why": "links",
    },
    {
        "name": "best deals 4 u",
        "minutes_after": 900,
        "body": (
            "Cheap parking permits!!! Visit https://cheap-permits.example.com now, limited "
            "offer, click here for 90% off"
        ),
        "why": "spam",
    },
]

# A published comment a reader reported (it stays shown: one flag is under the threshold).
FLAGGED_COMMENT_KEY = "c3"

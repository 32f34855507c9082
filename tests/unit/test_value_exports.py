"""Public exports' picklist columns through the whole preparation: every value lands on the
option a person would choose or on none, never on a wrong one.

The fixtures reproduce the headers and vocabularies of public files (not the files):
- the Kaggle-style "customer support tickets" dataset (Ticket Type / Status / Priority /
  Channel), the export issue 9 lost 126 of 136 tickets on;
- datablist's sample organizations-*.csv (Index, Organization Id, Name, Website, Country,
  Description, Founded, Industry, Number of employees) and its "A / B" industries.
"""

from __future__ import annotations

from pathlib import Path

from crmkit.prepare import prepare_object

KAGGLE = """Ticket ID,Customer Name,Customer Email,Customer Age,Customer Gender,Product Purchased,\
Date of Purchase,Ticket Type,Ticket Subject,Ticket Description,Ticket Status,Resolution,\
Ticket Priority,Ticket Channel,First Response Time,Time to Resolution,Customer Satisfaction Rating
1,Marisa Obrien,carrollallison@example.com,32,Other,GoPro Hero,2021-03-22,Technical issue,\
Product setup,I'm having an issue with the {product_purchased}.,Pending Customer Response,,\
Critical,Social media,2023-06-01 12:15:36,,
2,Jessica Rios,clarkeashley@example.com,42,Female,LG Smart TV,2021-05-22,Technical issue,\
Peripheral compatibility,The screen flickers.,Pending Customer Response,,Critical,Chat,\
2023-06-01 16:45:38,,
3,Christopher Robbins,gonzalestracy@example.com,48,Other,Dell XPS,2020-07-14,Technical issue,\
Network problem,Cannot connect.,Closed,Case maybe show recently.,Low,Social media,\
2023-06-01 11:14:38,2023-06-01 18:05:38,3.0
4,Christina Dillon,bradleyolson@example.org,27,Female,Microsoft Office,2020-11-13,\
Billing inquiry,Account access,Charged twice.,Closed,Try capital clearly.,Low,Social media,\
2023-06-01 07:29:40,2023-06-01 01:57:40,3.0
5,Alexander Carroll,bradleymark@example.com,67,Female,Autodesk AutoCAD,2020-02-04,\
Billing inquiry,Data loss,Lost my files.,Closed,West decision evidence.,Low,Email,\
2023-06-01 00:12:42,2023-06-01 19:53:42,1.0
6,Rebecca Fleming,sheenasmith@example.com,53,Male,Microsoft Office,2020-07-28,\
Cancellation request,Payment issue,Cancel my plan.,Open,,Low,Social media,,,
7,Jacqueline Wright,donaldkeith@example.org,24,Other,Microsoft Surface,2020-02-23,\
Product inquiry,Refund request,Does it work offline?,Open,,Critical,Social media,,,
8,Denise Lee,joelwilliams@example.com,23,Male,Philips Hue Lights,2020-08-09,Refund request,\
Battery life,I want my money back.,Open,,Critical,Social media,,,
9,Nicolas Wilson,joshua24@example.com,60,Other,Fitbit Versa Smartwatch,2020-07-16,\
Technical issue,Installation support,Won't install.,Pending Customer Response,,Low,Phone,\
2023-06-01 10:32:47,,
10,William Dawson,clopez@example.com,27,Male,Dyson Vacuum Cleaner,2020-03-06,Refund request,\
Payment issue,Refund please.,Pending Customer Response,,Medium,Chat,2023-06-01 09:25:48,,
"""

DATABLIST = """Index,Organization Id,Name,Website,Country,Description,Founded,Industry,\
Number of employees
1,FAB0d41d5b5d22c,Ferrell LLC,https://price.net/,Papua New Guinea,Horizontal empowering \
knowledgebase,1990,Plastics,3498
2,6A7EdDEA9FaDC52,"Mckinney, Riley and Day",http://www.hall-buchanan.info/,Finland,User-centric \
system-worthy leverage,2015,Glass / Ceramics / Concrete,4952
3,0bFED1ADAE4bcC1,Hester Ltd,http://sullivan-reed.com/,China,Switchable scalable moratorium,\
1971,Public Safety,5287
4,2bFC1Be8a4ce42f,Holder-Sellers,https://becker.com/,Turkmenistan,De-engineered systemic \
artificial intelligence,2004,Automotive,921
5,9eE8A6a4Eb96C24,Mayer Group,http://www.brewer.com/,Mauritius,Synchronized needs-based \
challenge,1991,Transportation,7870
6,cC757116fe1C085,Henry-Thompson,http://morse.net/,Bahamas,Face-to-face maximized \
portal,1992,Primary / Secondary Education,4914
7,219233e8aFF1BC3,Hansen-Everett,https://www.kidd.org/,Pakistan,Seamless disintermediate \
collaboration,2018,Publishing Industry,7832
8,ccc93DCF81a31CD,Mcintosh-Mora,https://atkins.com/,Heard Island and McDonald Islands,\
Centralized attitude-oriented capability,1970,Import / Export,4389
9,0B4F93aA06ED03e,Carr Inc,http://ross.com/,Kuwait,Distributed impactful customer loyalty,\
1996,Plastics,8167
10,738b5aDe6B1C6A5,Gaines Inc,http://sandoval-hooper.com/,Uzbekistan,Multi-lateral scalable \
protocol,1997,Public Relations / PR,8674
11,AE61e86C2bBdFE0,Leach Group,http://mcmahon.net/,Bulgaria,Ergonomic zero-defect workforce,\
1975,Computer Software / Engineering,1155
12,a4d3C2ED76eEa0f,Arias LLC,http://www.ford.com/,Jordan,Self-enabling tangible support,\
2006,Arts / Crafts,5040
13,34ff01bE02b0fFd,Flynn PLC,http://www.gross.org/,Egypt,Grass-roots clear-thinking,1985,\
Oil / Energy / Solar / Greentech,2813
14,48b4D0fA2D3DBAE,Weaver Ltd,http://www.boyle.info/,Vietnam,Switchable logistical toolset,\
2003,Real Estate / Mortgage,2200
"""


def _prepare(tmp_path: Path, name: str, text: str, object_type: str):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return prepare_object(path, object_type)


def test_kaggle_support_tickets(tmp_path: Path) -> None:
    """Statuses, types, priorities and channels of the public dataset: right or none."""
    mapping = _prepare(tmp_path, "tickets.csv", KAGGLE, "tickets").mapping
    assert mapping.values["Ticket Status"] == {
        "Pending Customer Response": "2", "Closed": "4", "Open": "1"
    }  # fmt: skip
    assert mapping.values["Ticket Priority"] == {
        "Critical": "URGENT",
        "Low": "LOW",
        "Medium": "MEDIUM",
    }
    assert mapping.values["Ticket Channel"] == {"Chat": "CHAT", "Email": "EMAIL", "Phone": "PHONE"}
    assert mapping.unmatched_values["Ticket Channel"] == ["Social media"]
    assert mapping.unmatched_counts["Ticket Channel"] == {"Social media": 6}
    assert mapping.values["Ticket Type"] == {
        "Technical issue": "PRODUCT_ISSUE", "Billing inquiry": "BILLING_ISSUE",
        "Product inquiry": "GENERAL_INQUIRY", "Refund request": "BILLING_ISSUE",
    }  # fmt: skip
    assert mapping.unmatched_values["Ticket Type"] == ["Cancellation request"]


def test_datablist_industries(tmp_path: Path) -> None:
    """'A / B' industries land when every part names one option; ambiguous ones do not."""
    mapping = _prepare(tmp_path, "companies.csv", DATABLIST, "companies").mapping
    assert mapping.values["Industry"] == {
        "Plastics": "PLASTICS",
        "Glass / Ceramics / Concrete": "GLASS_CERAMICS_CONCRETE",
        "Public Safety": "PUBLIC_SAFETY",
        "Automotive": "AUTOMOTIVE",
        "Transportation": "TRANSPORTATION_TRUCKING_RAILROAD",
        "Primary / Secondary Education": "PRIMARY_SECONDARY_EDUCATION",
        "Publishing Industry": "PUBLISHING",
        "Import / Export": "IMPORT_AND_EXPORT",
        "Public Relations / PR": "PUBLIC_RELATIONS_AND_COMMUNICATIONS",
        "Computer Software / Engineering": "COMPUTER_SOFTWARE",
        "Arts / Crafts": "ARTS_AND_CRAFTS",
    }
    assert mapping.unmatched_values["Industry"] == [
        "Oil / Energy / Solar / Greentech",
        "Real Estate / Mortgage",
    ]
    assert mapping.suggestions["Industry"]["Real Estate / Mortgage"][0] == "REAL_ESTATE"

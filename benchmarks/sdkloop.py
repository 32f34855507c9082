"""The peer: HubSpot's official Python SDK (hubspot-api-client) in a plain batch loop.

What a developer writes without crmkit: read the CSV, keep rows with an address, lower-case
and de-duplicate emails, upsert 100 contacts per call by email, one call after another; on a
429 wait a second and send the batch again; a batch the portal refuses is counted and
skipped. Run as its own process, so its figure is a whole process as well:
``python -m benchmarks.sdkloop CONTACTS_CSV BASE_URL`` (token from HUBSPOT_ACCESS_TOKEN).
"""

from __future__ import annotations

import csv
import os
import re
import sys
import time

from hubspot import HubSpot
from hubspot.crm.contacts import (
    ApiException,
    BatchInputSimplePublicObjectBatchInputUpsert,
    SimplePublicObjectBatchInputUpsert,
)

COLUMNS = {"First Name": "firstname", "Last Name": "lastname", "Job Title": "jobtitle"}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)


def contacts(path: str) -> list[SimplePublicObjectBatchInputUpsert]:
    seen: dict[str, SimplePublicObjectBatchInputUpsert] = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            email = (row.get("E-mail Address") or "").strip().lower()
            if not EMAIL.match(email) or email in seen:
                continue
            props = {prop: row[col] for col, prop in COLUMNS.items() if row.get(col)}
            props["email"] = email
            seen[email] = SimplePublicObjectBatchInputUpsert(
                id=email, id_property="email", properties=props
            )
    return list(seen.values())


def main(path: str, base_url: str) -> int:
    client = HubSpot(access_token=os.environ["HUBSPOT_ACCESS_TOKEN"], host=base_url)
    inputs = contacts(path)
    refused = 0
    for start in range(0, len(inputs), 100):
        batch = BatchInputSimplePublicObjectBatchInputUpsert(inputs=inputs[start : start + 100])
        while True:
            try:
                client.crm.contacts.batch_api.upsert(batch)
                break
            except ApiException as exc:
                if exc.status == 429:
                    time.sleep(1.0)
                    continue
                refused += 1
                break
    print(f"sent {len(inputs)} contacts; {refused} batches refused")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))

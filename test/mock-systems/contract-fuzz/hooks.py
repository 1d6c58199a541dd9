"""Schemathesis hooks for fuzzing the mock systems' contracts (test/mock-systems/contract-fuzz.test.ts).

Two things no schema can say, so the fuzzer is told here:

- A list's `cursor` is opaque: only a `nextCursor` the same list issued is valid, so a made-up one
  is rightly refused with 400. Cases that carry one are skipped; real cursors arrive through the
  contracts' links in the stateful phase.
- The partner's booking rules (service levels, served countries with their postal codes, parcel
  weight) answer 422 by design, which lab 02 grades, so the contract keeps those fields open.
  A booking whose fields are already schema-valid gets values that also pass the rules, so the
  stateful phase can book a shipment and go on to read and track it. A field the generator made
  invalid on purpose is left as it is, so negative cases stay negative.
"""

import re

import schemathesis

SERVICE_LEVELS = ["economy", "standard", "express"]
# One served country per postal-code shape (mock-systems/partner/reference.ts).
DESTINATIONS = [("US", "10001"), ("DE", "10115"), ("GB", "SW1A 1AA"), ("NL", "1012 AB"), ("AT", "1010")]
MAX_PARCEL_WEIGHT_KG = 31.5


# Case hooks run in every phase (examples, coverage, fuzzing, stateful), the part hooks only in some.
@schemathesis.hook
def filter_case(ctx, case):
    return not (isinstance(case.query, dict) and "cursor" in case.query)


@schemathesis.hook
def map_case(ctx, case):
    if case.method.upper() == "POST" and case.path == "/shipments" and isinstance(case.body, dict):
        case.body = _bookable(case.body)
    return case


def _pick(options, seed):
    return options[len(seed) % len(options)]


def _bookable(body):
    level = body.get("serviceLevel")
    if isinstance(level, str) and 1 <= len(level) <= 40:
        body["serviceLevel"] = _pick(SERVICE_LEVELS, level)
    for side in ("origin", "destination"):
        address = body.get(side)
        if not isinstance(address, dict):
            continue
        country, postal_code = address.get("country"), address.get("postalCode")
        if isinstance(country, str) and re.fullmatch(r"[A-Z]{2}", country) and isinstance(postal_code, str) and 1 <= len(postal_code) <= 12:
            address["country"], address["postalCode"] = _pick(DESTINATIONS, country + postal_code)
    parcels = body.get("parcels")
    if isinstance(parcels, list):
        for parcel in parcels:
            weight = parcel.get("weightKg") if isinstance(parcel, dict) else None
            if isinstance(weight, (int, float)) and not isinstance(weight, bool) and weight > MAX_PARCEL_WEIGHT_KG:
                parcel["weightKg"] = MAX_PARCEL_WEIGHT_KG
    return body

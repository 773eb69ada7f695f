#!/usr/bin/env python3
"""An agent of `ballast serve` in Python, standard library only (urllib.request, json), as an agent
in another language would write it. It reads BALLAST_URL, BALLAST_KEY (its agent key),
BALLAST_TREASURY (its own treasury: the operator opened it) and BALLAST_OTHER_TREASURY (someone
else's), then:

1. deposits 250 with an Idempotency-Key (201, with the events, position and revision),
2. sends the same request again (200, replayed: nothing appended),
3. places a casino bet, which the rules refuse (422 NEGATIVE_EDGE: every seeded game has a house edge),
4. reads its treasury,
5. tries to read the other agent's treasury (403 FORBIDDEN),

and prints one JSON line summing it up. It exits 1 if an answer is not what it expected.
"""
import json
import os
import sys
import urllib.error
import urllib.request

URL = os.environ["BALLAST_URL"].rstrip("/")
KEY = os.environ["BALLAST_KEY"]
TREASURY = os.environ["BALLAST_TREASURY"]
OTHER = os.environ["BALLAST_OTHER_TREASURY"]


def call(method, path, body=None, headers=None):
    """One request; answers (status, parsed JSON body). Error statuses are answers too, not exceptions."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(URL + path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + KEY)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def expect(what, status, expected):
    if status != expected:
        print(f"{what}: expected {expected}, got {status}", file=sys.stderr)
        sys.exit(1)


commands = f"/v1/treasuries/{TREASURY}/commands"
deposit = {"type": "Deposit", "amount": "250"}

status, first = call("POST", commands, deposit, {"Idempotency-Key": "py-deposit-1"})
expect("deposit", status, 201)
status, again = call("POST", commands, deposit, {"Idempotency-Key": "py-deposit-1"})
expect("deposit retried", status, 200)

status, bet = call("POST", commands, {"type": "PlaceBet", "betId": "py-bet-1", "game": "dice_over50"})
expect("bet", status, 422)
print(f"bet refused: {bet['code']} {json.dumps(bet.get('details'), sort_keys=True)}", file=sys.stderr)

status, mine = call("GET", f"/v1/treasuries/{TREASURY}?waitFor={first['position']}")
expect("own treasury", status, 200)
status, other = call("GET", f"/v1/treasuries/{OTHER}")
expect("other treasury", status, 403)

print(
    json.dumps(
        {
            "deposit": {"status": 201, "position": first["position"], "revision": first["revision"]},
            "retry": {"status": 200, "replayed": again["replayed"], "position": again.get("position")},
            "bet": {"status": 422, "code": bet["code"], "details": bet.get("details")},
            "treasury": {"streamId": mine["streamId"], "revision": mine["revision"], "state": mine["state"]},
            "other": {"status": 403, "code": other["code"]},
        },
        sort_keys=True,
    )
)

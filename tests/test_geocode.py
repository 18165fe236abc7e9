"""Postcode normalisation, offline lookups (ONSPD, Code-Point Open, districts) and the postcodes.io client.

The online client is tested only against a local http.server on 127.0.0.1 that
speaks the postcodes.io bulk JSON; nothing here touches the internet.
"""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pandas as pd
import pytest

from coverage_gaps.errors import GeocoderError, MissingColumnError
from coverage_gaps.geocode import (
    LOCATE_COLUMNS,
    PostcodeLookup,
    PostcodesIO,
    lonlat_to_bng,
    normalise_postcode,
    normalise_postcodes,
    postcode_district,
)

from conftest import TEST_DATA

ONSPD = TEST_DATA / "geocode_postcodes_onspd.csv"
CODEPOINT = TEST_DATA / "geocode_postcodes_codepoint.csv"
LATLONG = TEST_DATA / "geocode_postcodes_latlong.csv"
DISTRICTS = TEST_DATA / "geocode_districts.csv"


def _plain(series) -> list:
    """A Series as a list with missing values as None."""
    return [None if v is None or v is pd.NA or v != v else v for v in series.astype(object)]


# --- normalising ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ST1 1HL", "ST1 1HL"),
        (" st11hl ", "ST1 1HL"),
        ("st1  1hl", "ST1 1HL"),
        ("ST1\u00a01HL", "ST1 1HL"),  # non-breaking space from a web page
        ("ec1a1bb", "EC1A 1BB"),
        ("W1A 0AX", "W1A 0AX"),
        ("b33 8th", "B33 8TH"),
        ("DN55 1PT", "DN55 1PT"),
        ("gir0aa", "GIR 0AA"),
        ("STHL 1ZZ", "STHL 1ZZ"),
        ("ST1 1H", None),  # inward code too short
        ("ST1 1CL", None),  # C never appears in the inward code
        ("QA1 1AA", None),  # Q never starts a postcode
        ("1ST 1HL", None),
        ("ST1", None),  # a district, not a postcode
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_normalise_postcode(text, expected):
    assert normalise_postcode(text) == expected


def test_vectorised_normalise_agrees_with_the_scalar_one():
    values = ["st11hl", "ST1 1H", None, "gir 0aa", "EC1A 1BB", ""]
    assert _plain(normalise_postcodes(values)) == [normalise_postcode(v) for v in values]


@pytest.mark.parametrize("text, district", [("st1 1hl", "ST1"), ("EC1A1BB", "EC1A"), ("cv1", "CV1"),
                                            ("W1M", "W1M"), ("not a postcode", None), (None, None)])
def test_postcode_district(text, district):
    assert postcode_district(text) == district


def test_lonlat_to_bng_matches_the_ordnance_survey_grid():
    # The ONSPD fixture row for ST1 1HL gives both: 53.024997, -2.176335 -> 388270, 347537 (rounded to 1 m).
    x, y = lonlat_to_bng([-2.176335], [53.024997])
    assert abs(x[0] - 388270) < 1 and abs(y[0] - 347537) < 1


# --- offline lookup ------------------------------------------------------------


def test_onspd_file_exact_postcode_first_then_district_centroid():
    lookup = PostcodeLookup.from_files(postcodes=ONSPD, districts=DISTRICTS)
    got = lookup.locate(["st4 7qb", "CV6 1AA", "CV1 9XX", "ZE1 0AA", "ST4 7Q", "", None])
    assert list(got.columns) == LOCATE_COLUMNS
    assert got["postcode"].tolist()[:4] == ["ST4 7QB", "CV6 1AA", "CV1 9XX", "ZE1 0AA"]
    assert got.loc[0, ["x", "y"]].tolist() == [387600.0, 345100.0]
    assert got.loc[0, "precision"] == "postcode"
    # CV6 1AA is not in the postcode file: the CV6 district centroid.
    assert got.loc[1, ["x", "y"]].tolist() == [433000.0, 282000.0]
    assert got.loc[1, "precision"] == "district"
    # CV1 9XX is in ONSPD without a grid reference (osgrdind 9, lat 99.999999): district CV1.
    assert got.loc[2, ["x", "y", "precision"]].tolist() == [433500.0, 279300.0, "district"]
    assert got["problem"].tolist()[3:] == ["unknown postcode", "malformed postcode", "no postcode", "no postcode"]
    assert got.loc[3:, "x"].isna().all()
    assert any("1 postcode rows without" in n for n in lookup.notes)


def test_codepoint_open_without_header_and_its_no_coordinate_rows():
    lookup = PostcodeLookup.from_files(postcodes=CODEPOINT)
    got = lookup.locate(["B1 1BB", "ST1 1HL", "CV1 9XX"])
    assert got.loc[0, ["x", "y", "precision"]].tolist() == [406500.0, 286500.0, "postcode"]
    assert got.loc[1, ["x", "y"]].tolist() == [388270.0, 347537.0]
    # Quality 90, grid reference 0,0: left out, so unknown (no district file here).
    assert got.loc[2, "problem"] == "unknown postcode"


def test_codepoint_open_folder_of_area_files(tmp_path):
    (tmp_path / "b.csv").write_text('"B1  1BB",10,406500,286500,"E92000001","","","","",""\n')
    (tmp_path / "st.csv").write_text('"ST1 1HL",10,388270,347537,"E92000001","","","","",""\n')
    lookup = PostcodeLookup.from_files(postcodes=tmp_path)
    assert lookup.locate(["ST1 1HL", "B1 1BB"])["x"].tolist() == [388270.0, 406500.0]


def test_lat_long_only_file_is_projected_to_british_national_grid():
    lookup = PostcodeLookup.from_files(postcodes=LATLONG)
    got = lookup.locate(["ST1 1HL", "CV1 2GT", "CV1 9XX"])
    np.testing.assert_allclose(got.loc[:1, "x"], [388270, 433500], atol=1.5)
    np.testing.assert_allclose(got.loc[:1, "y"], [347537, 279000], atol=1.5)
    assert got.loc[2, "problem"] == "unknown postcode"  # 99.999999 means no grid reference


def test_district_file_keeps_retired_districts_and_locates_at_centroids():
    lookup = PostcodeLookup.from_files(districts=DISTRICTS)
    assert len(lookup) == 6  # W1M (retired, still in centroid files) is kept
    got = lookup.locate(["ST1 1HL", "ST1 9ZZ"])
    assert got["x"].tolist() == [388500.0, 388500.0] and set(got["precision"]) == {"district"}


def test_postcode_file_without_coordinates_names_the_accepted_columns():
    with pytest.raises(MissingColumnError) as err:
        PostcodeLookup.from_files(postcodes=TEST_DATA / "geocode_postcodes_no_coordinates.csv")
    assert str(err.value) == (
        "geocode_postcodes_no_coordinates.csv: no coordinate columns in the postcode lookup (expected "
        "oseast1m/osnrth1m or easting/northing, or lat/long (latitude/longitude); the file has 'pcds', "
        "'country'). Fix: use an ONSPD, NSPL or Code-Point Open file, or rename the coordinate columns."
    )


def test_locate_100k_postcodes_is_vectorised(tmp_path):
    rng = np.random.default_rng(7)
    n = 20_000
    letters = np.array(list("ABDEFGHJLNPQRSTUWXYZ"))
    codes = [f"ST{d} {k}{a}{b}" for d, k, a, b in zip(rng.integers(1, 10, n), rng.integers(0, 10, n),
                                                     rng.choice(letters, n), rng.choice(letters, n))]
    path = tmp_path / "pcds.csv"
    path.write_text("pcds,oseast1m,osnrth1m\n" + "\n".join(f"{c},{380000 + i},{340000 + i}"
                                                        for i, c in enumerate(codes)))
    lookup = PostcodeLookup.from_files(postcodes=path, districts=DISTRICTS)
    asked = (codes * 5)[:99_000] + ["ST1 1ZZ"] * 500 + ["CV1 1AA"] * 499 + ["bad"]
    got = lookup.locate(asked)  # its speed is measured by benchmarks/bench_geocode.py, not asserted here
    assert len(got) == 100_000
    first = {c: i for i, c in reversed(list(enumerate(codes)))}
    assert got.loc[12_345, "x"] == 380000 + first[asked[12_345]]
    assert got["precision"].value_counts().to_dict() == {"postcode": 99_000 + 500 * ("ST1 1ZZ" in first),
                                                         "district": 499 + 500 * ("ST1 1ZZ" not in first)}
    assert got["problem"].value_counts().to_dict() == {"malformed postcode": 1}


# --- postcodes.io client, against a local server --------------------------------


class _Fake(BaseHTTPRequestHandler):
    """Speaks the postcodes.io bulk lookup: known postcodes get a result, ZE* ones null."""

    batches: list[list[str]] = []
    status = 200

    def do_POST(self):  # noqa: N802 (http.server API)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        queries = body["postcodes"]
        type(self).batches.append(list(queries))
        if self.status != 200:
            self.send_response(self.status)
            self.end_headers()
            return
        result = []
        for q in queries:
            if q.startswith("ZE"):
                result.append({"query": q, "result": None})
            else:
                k = sum(map(ord, q))
                result.append({"query": q, "result": {"postcode": q, "eastings": 400000 + k,
                                                      "northings": 300000 + k, "longitude": -1.9,
                                                      "latitude": 52.5}})
        data = json.dumps({"status": 200, "result": result}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # keep pytest output quiet
        pass


@pytest.fixture
def server():
    handler = type("Handler", (_Fake,), {"batches": [], "status": 200})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield handler, f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _postcodes(n: int) -> list[str]:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return [f"CV{1 + i // 100} {i % 10}{letters[(i // 10) % 10]}{letters[i % 7]}" for i in range(n)]


def test_postcodes_io_batches_of_100_and_caches_on_disk(server, tmp_path):
    handler, url = server
    asked = _postcodes(250)
    assert len(set(asked)) == 250
    online = PostcodesIO(base_url=url, cache_dir=tmp_path, progress=False)
    got = online.locate(asked + [asked[0].lower()])  # a repeat is asked once
    assert [len(b) for b in handler.batches] == [100, 100, 50]
    assert got["precision"].eq("postcode").all() and got["problem"].isna().all()
    k = sum(map(ord, asked[3]))
    assert got.loc[3, ["x", "y"]].tolist() == [400000.0 + k, 300000.0 + k]

    again = PostcodesIO(base_url=url, cache_dir=tmp_path, progress=False)  # a new session, same cache
    second = again.locate(asked)
    assert again.requests_made == 0 and len(handler.batches) == 3
    assert second["x"].tolist() == got["x"].tolist()[:250]
    assert json.loads((tmp_path / "postcodes.json").read_text())[asked[3]] == [400000.0 + k, 300000.0 + k]


def test_postcodes_io_unknown_postcodes_come_back_null(server, tmp_path):
    handler, url = server
    online = PostcodesIO(base_url=url, cache_dir=tmp_path, progress=False)
    got = online.locate(["ZE1 0AA", "CV1 2GT", "not one"])
    assert got["problem"].tolist()[0] == "unknown postcode" and got["problem"].tolist()[2] == "malformed postcode"
    assert handler.batches == [["ZE1 0AA", "CV1 2GT"]]  # malformed ones are never sent
    online.locate(["ZE1 0AA"])
    assert len(handler.batches) == 1  # "not found" is cached too


def test_lookup_asks_online_only_for_postcodes_missing_from_the_file(server, tmp_path):
    handler, url = server
    online = PostcodesIO(base_url=url, cache_dir=None, progress=False)
    lookup = PostcodeLookup.from_files(postcodes=ONSPD, districts=DISTRICTS, online=online)
    got = lookup.locate(["ST1 1HL", "CV6 1AA", "ZE1 0AA", "CV1 9XX"])
    assert handler.batches == [["CV6 1AA", "ZE1 0AA", "CV1 9XX"]]
    assert _plain(got["precision"]) == ["postcode", "postcode", None, "postcode"]
    assert got.loc[0, "x"] == 388270.0  # from the file, not the server
    assert got.loc[2, "problem"] == "unknown postcode"  # null online, and ZE1 is no district in the file


def test_postcodes_io_unreachable_raises_geocoder_error(tmp_path):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    online = PostcodesIO(base_url=f"http://127.0.0.1:{port}", cache_dir=tmp_path, timeout_s=2, progress=False)
    with pytest.raises(GeocoderError) as err:
        online.locate(["ST1 1HL"])
    text = str(err.value)
    assert text.startswith("cannot reach the online postcode lookup (")
    assert f"got 'http://127.0.0.1:{port}/postcodes'" in text
    assert "Fix: check the network or proxy (HTTPS_PROXY), or geocode offline with a postcode file" in text
    assert not (tmp_path / "postcodes.json").exists()


def test_postcodes_io_server_error_raises_geocoder_error(server, tmp_path):
    handler, url = server
    handler.status = 500
    with pytest.raises(GeocoderError, match=r"^the online postcode lookup answered HTTP 500 "):
        PostcodesIO(base_url=url, cache_dir=tmp_path, progress=False).locate(["ST1 1HL"])


def test_partner_loader_with_the_online_geocoder_rejects_null_answers(server, tmp_path):
    from coverage_gaps.io import load_partners

    handler, url = server
    online = PostcodesIO(base_url=url, cache_dir=tmp_path, progress=False)
    with pytest.warns(UserWarning, match="1 of 2 provider rows rejected"):
        loaded = load_partners(TEST_DATA / "bad" / "providers_unknown_postcode.csv", geocoder=online)
    assert handler.batches == [["ST4 7QB", "ZE1 0AA"]]
    assert loaded.table["location_precision"].tolist() == ["postcode"]
    assert loaded.rejects[["row", "value", "reason"]].values.tolist() == [
        [3, "ZE1 0AA", "unknown postcode: ZE1 0AA is not in the postcode lookup (got 'ZE1 0AA'). "
                       "Fix: check the postcode, or give latitude and longitude."]]


def test_empty_lookup_file_is_a_clear_error(tmp_path):
    from coverage_gaps.errors import EmptyInputError

    (tmp_path / "onspd.csv").write_text("")
    with pytest.raises(EmptyInputError, match=r"^onspd.csv: the postcode lookup file is empty\."):
        PostcodeLookup.from_files(postcodes=tmp_path / "onspd.csv")

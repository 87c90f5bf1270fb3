"""The analysts' page at ``/`` in a real browser: Debian's headless Chromium, driven by
Playwright, against ``gazetteer serve`` (gunicorn) on a loopback port.

Every request the browser makes is recorded, and each test checks that none left the service.
The screenshots of the three views are written to ``docs/screenshots/`` (shown in the README).
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from web_browser import CHROMIUM, NO_CHROMIUM, ROOT, chromium_browser, screenshot, serving, \
    visiting

SEED = ROOT / "seeds" / "aljazeera-aleppo-2016.txt"

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """``gazetteer serve`` (gunicorn, one gevent worker) on a free loopback port, curation off
    (``test_web_curation.py`` serves a curation store)."""
    log = tmp_path_factory.mktemp("web-gunicorn") / "server.log"
    with serving(log, {"GAZETTEER_CURATION": "off"}) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as chromium:
        yield chromium


@pytest.fixture
def visit(browser, base_url):
    with visiting(browser, base_url) as v:
        yield v


def close_popup(page) -> None:
    page.click(".leaflet-popup-close-button")
    page.wait_for_selector(".leaflet-popup", state="detached")  # after its fade-out


def empty_map_spot(page) -> tuple[float, float]:
    """A point of the map with nothing on it (a click on a place opens its popup instead)."""
    box = page.locator("#map").bounding_box()
    for fx, fy in ((0.45, 0.55), (0.3, 0.3), (0.7, 0.7), (0.3, 0.7), (0.7, 0.3), (0.5, 0.2)):
        x, y = box["x"] + box["width"] * fx, box["y"] + box["height"] * fy
        if page.evaluate(f"document.elementFromPoint({x}, {y}).id") == "map":
            return x, y
    raise AssertionError("no empty spot on the map")


def parse_seed(page) -> None:
    page.fill("#text-input", SEED.read_text(encoding="utf-8"))
    page.click("#find-places")
    page.wait_for_selector("body[data-parsed]")


def test_text_view_highlights_the_seed_article_and_draws_its_places(visit):
    page = visit.page
    visit.open()
    # the outlines: 14 governorates and 62 districts, drawn as SVG paths
    assert page.get_attribute("body", "data-boundaries") == "76"
    parse_seed(page)
    # curation is off on this server: the control to add a name says so and does nothing
    page.wait_for_selector("body[data-curation=off]")
    assert page.is_disabled("#add-alias")
    assert "off on this server" in page.inner_text("#alias-hint")
    mentions = page.locator("#text-output mark.mention")
    n_mentions = int(page.get_attribute("body", "data-parsed"))
    assert n_mentions >= 20 and mentions.count() == n_mentions
    surfaces = set(mentions.all_inner_texts())
    assert {"حلب", "خان طومان", "مخيم حندرات", "الراشدين"} <= surfaces
    assert page.get_attribute("#text-output", "dir") == "rtl"
    assert page.locator("#text-output mark.c-high").count() > 0
    # one point per place, as many as the table has rows
    rows = page.locator("#places-table tbody tr")
    points = page.locator("#map path.place-point")
    assert points.count() == rows.count() >= 15
    ids = {points.nth(i).get_attribute("data-id") for i in range(points.count())}
    assert {"C1007", "C1015", "L:ein_el_tal_camp"} <= ids

    # hover: the place, its type, admin units and confidence
    khan_tuman = page.locator('#text-output mark[data-id="C1015"]').first
    khan_tuman.hover()
    tip = page.locator("#tooltip")
    assert tip.is_visible()
    assert "Khan tuman" in tip.inner_text() and "village" in tip.inner_text()
    assert "Aleppo / Jebel Saman" in tip.inner_text() and "1.00" in tip.inner_text()
    screenshot(page, "text.png")

    # click a mention: its point is picked out and its popup opened on the map
    khan_tuman.click()
    assert "selected" in page.get_attribute('#map path.place-point[data-id="C1015"]', "class")
    assert "Khan tuman" in page.locator(".leaflet-popup-content").inner_text()
    # keyboard: focus a mention (tooltip shows) and press Enter
    aleppo = page.locator('#text-output mark[data-id="C1007"]').first
    aleppo.focus()
    assert page.locator("#tooltip").is_visible()
    page.keyboard.press("Enter")
    assert "selected" in page.get_attribute('#map path.place-point[data-id="C1007"]', "class")
    # click a point: all the mentions of that place are picked out (first zoom in near it:
    # the camp is 10 km from Aleppo, one point on the other at the country's scale)
    page.click('#places-table tr[data-id="L:ein_el_tal_camp"]')
    close_popup(page)
    page.locator('#text-output mark[data-id="C1007"]').first.click()
    close_popup(page)
    assert page.locator("#text-output mark.selected").first.get_attribute("data-id") == "C1007"
    page.locator('#map path.place-point[data-id="L:ein_el_tal_camp"]').click()
    camp = page.locator('#text-output mark[data-id="L:ein_el_tal_camp"]')
    assert camp.count() >= 2
    assert all("selected" in camp.nth(i).get_attribute("class") for i in range(camp.count()))
    assert page.locator("#text-output mark.selected").count() == camp.count()

    # downloads: the table's places as CSV and as GeoJSON
    with page.expect_download() as info:
        page.click("#download-csv")
    table = list(csv.DictReader(io.StringIO(
        Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(table) == rows.count()
    by_id = {r["id"]: r for r in table}
    assert by_id["C1015"]["name_ar"] == "خان طومان"
    assert by_id["C1015"]["admin1_name_en"] == "Aleppo"
    assert abs(float(by_id["C1015"]["lat"]) - 36.1184) < 0.001
    with page.expect_download() as info:
        page.click("#download-geojson")
    fc = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == rows.count()
    assert fc["focus"]["admin1"]["pcode"] == "SY02"
    assert not visit.outside_requests()


def test_lookup_offers_khan_tuman_while_typing_and_reverses_a_point(visit):
    page = visit.page
    visit.open()
    page.click("#tab-lookup")
    page.locator("#lookup-input").press_sequentially("خان طو", delay=40)
    offered = page.locator('#lookup-results button[data-id="C1015"]')
    offered.wait_for()
    assert "Khan tuman" in offered.inner_text() and "خان طومان" in offered.inner_text()
    assert "1.00" in offered.inner_text()
    # the requests went out debounced: not one per keystroke
    typed = [u for u in visit.requests if "/v1/geocode?" in u]
    assert 1 <= len(typed) < len("خان طو")
    # keyboard: down to the candidate, Enter shows it on the map
    page.locator("#lookup-input").press("ArrowDown")
    page.keyboard.press("Enter")
    assert "Khan tuman" in page.locator(".leaflet-popup-content").inner_text()

    # reverse: a typed point, then a click on the map
    page.fill("#reverse-input", "36.2, 37.15")
    page.click("#reverse-form button")
    page.wait_for_selector("#reverse-output strong")
    assert "Aleppo / Jebel Saman" in page.inner_text("#reverse-output")
    close_popup(page)
    page.mouse.click(*empty_map_spot(page))
    page.wait_for_function(
        "() => /^-?\\d+\\.\\d+, -?\\d+\\.\\d+$/.test(document.getElementById('reverse-input')"
        ".value) && document.getElementById('reverse-input').value !== '36.2, 37.15'")
    page.wait_for_selector("#reverse-output p")
    assert len([u for u in visit.requests if "/v1/reverse?" in u and "lat=" in u]) == 1
    page.fill("#reverse-input", "40, 30")  # in Turkey
    page.press("#reverse-input", "Enter")
    page.wait_for_function("() => document.getElementById('reverse-output').innerText"
                           ".includes('Outside Syria')")
    assert "686.9 km" in page.inner_text("#reverse-output")  # to the border
    page.fill("#reverse-input", "somewhere")
    page.press("#reverse-input", "Enter")
    page.locator("#message").wait_for(state="visible")
    assert "422" in page.inner_text("#message") and "LAT,LON" in page.inner_text("#message")
    page.fill("#reverse-input", "36.2, 37.15")
    page.press("#reverse-input", "Enter")
    page.locator("#message").wait_for(state="hidden")
    page.wait_for_function("() => document.getElementById('reverse-output').innerText"
                           ".includes('Jebel Saman')")
    assert page.locator("#map path.reverse-point").count() == 1  # the last point asked only
    page.locator("#lookup-input").fill("")
    page.locator("#lookup-input").press_sequentially("خان طو", delay=10)
    offered.wait_for()
    screenshot(page, "lookup.png")
    assert not visit.outside_requests()


def test_batch_uploads_a_csv_and_downloads_the_result(visit, tmp_path):
    page = visit.page
    visit.open()
    page.click("#tab-batch")
    upload = tmp_path / "villages.csv"
    upload.write_text("id,name,note\n1,Homs,city\n2,خان طومان,village\n3,xyzzy qwv,nothing\n"
                      "4,\"Maarat al-Numan\",town\n", encoding="utf-8")
    page.set_input_files("#batch-file", str(upload))
    page.wait_for_selector("#batch-column:not([disabled])")
    assert page.locator("#batch-column option").all_inner_texts() == ["id", "name", "note"]
    assert page.input_value("#batch-column") == "name"  # guessed from the header
    page.click("#batch-run")
    page.wait_for_selector("body[data-batch=done]")
    assert "matched 3" in page.inner_text("#batch-summary")
    assert "not found 1" in page.inner_text("#batch-summary")
    assert page.locator("#batch-preview tbody tr").count() == 4
    assert page.locator("#map path.place-point").count() == 3
    screenshot(page, "batch.png")
    with page.expect_download() as info:
        page.click("#batch-download")
    assert info.value.suggested_filename == "villages-geocoded.csv"
    rows = list(csv.DictReader(io.StringIO(
        Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"]
    assert rows[1]["place_id"] == "C1015" and rows[1]["match_status"] == "matched"
    assert abs(float(rows[0]["lat"]) - 34.73) < 0.01
    assert rows[2]["match_status"] == "not_found" and rows[2]["lat"] == ""
    assert not visit.outside_requests()


def test_batch_reads_the_columns_of_an_xlsx(visit, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    page = visit.page
    visit.open()
    page.click("#tab-batch")
    book = openpyxl.Workbook()
    book.active.append(["رقم", "النص"])
    book.active.append([1, "قصف على معرة النعمان وكفرنبل جنوب إدلب"])
    path = tmp_path / "posts.xlsx"
    book.save(path)
    page.check("input[name=batch-mode][value=text_column]")
    page.set_input_files("#batch-file", str(path))
    page.wait_for_selector("#batch-column:not([disabled])")
    assert page.locator("#batch-column option").all_inner_texts() == ["رقم", "النص"]
    assert page.input_value("#batch-column") == "النص"
    page.click("#batch-run")
    page.wait_for_selector("body[data-batch=done]")
    # every place the text names is drawn (from the result's mentions_json column)
    ids = page.eval_on_selector_all("#map path.place-point", "ps => ps.map(p => p.dataset.id)")
    assert {"C3985", "C4068", "C3871"} <= set(ids)
    assert not visit.outside_requests()


def test_api_errors_are_shown_as_messages(visit, tmp_path):
    page = visit.page
    visit.open()
    page.fill("#text-input", "حلب " * 5001)  # over the service's 20,000 characters
    page.click("#find-places")
    message = page.locator("#message")
    message.wait_for(state="visible")
    assert "413" in message.inner_text() and "20000" in message.inner_text()
    page.click("#message-close")
    assert message.is_hidden()
    page.click("#tab-batch")
    header_only = tmp_path / "empty.csv"
    header_only.write_text("name\n", encoding="utf-8")
    page.set_input_files("#batch-file", str(header_only))
    page.wait_for_selector("#batch-column:not([disabled])")
    page.click("#batch-run")
    message.wait_for(state="visible")
    assert "422" in message.inner_text() and "no data rows" in message.inner_text()
    assert page.locator("#batch-download").is_hidden()
    assert not visit.outside_requests()


def test_arabic_interface_at_phone_width(visit):
    page = visit.page
    page.set_viewport_size({"width": 390, "height": 844})
    visit.open()
    page.click("#lang-switch")
    assert page.get_attribute("html", "dir") == "rtl"
    assert page.inner_text("#tab-text") == "نص"
    assert page.inner_text("#find-places") == "استخرج الأماكن"
    parse_seed(page)
    assert "حلب" in page.inner_text("#places-table")
    assert "المحافظة" in page.inner_text("#places-table thead")
    # nothing wider than the phone: the table scrolls inside its own box
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("#text-output mark.mention").first.scroll_into_view_if_needed()
    screenshot(page, "phone-ar.png")
    # the choice is kept
    page.reload()
    page.wait_for_selector("body[data-ready]")
    assert page.get_attribute("html", "lang") == "ar"
    assert not visit.outside_requests()

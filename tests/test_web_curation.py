"""An editor adds a missing name from the web page: Debian's headless Chromium against
``gazetteer serve`` with a temporary curation store (SQLite), the API keys made with the Python
API.  A name no source lists, selected in the text, is added to an existing place through the
page's dialog (``POST /v1/curation/aliases``); "find places" then highlights it as that place.
A read-only key gets the 403 message, a wrong key the 401, a clash the 409, in the dialog.
(The page with curation off is checked in ``test_web_page.py``.)"""
from __future__ import annotations

import pytest
from web_browser import CHROMIUM, NO_CHROMIUM, chromium_browser, screenshot, serving, visiting

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)

INVENTED = "تل خشيبو"  # a village name no source lists (checked below: geocodes to nothing)
TEXT = f"قصف على قرية {INVENTED} قرب حلب امس"


@pytest.fixture(scope="module")
def curated_site(tmp_path_factory):
    """The service on a fresh SQLite store, with an editor key and a read-only key."""
    from gazetteer.curation import open_store
    from gazetteer.curation.keys import create_key

    folder = tmp_path_factory.mktemp("web-curation")
    store_path = folder / "curation.sqlite3"
    store = open_store(store_path)
    keys = {role: create_key(store, f"{role}-key", role)[1] for role in ("editor", "reader")}
    store.close()
    with serving(folder / "server.log", {"GAZETTEER_CURATION": str(store_path)}) as url:
        yield url, keys


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as chromium:
        yield chromium


def select_in_text(page, words: str) -> None:
    """Select ``words`` in the highlighted text, as a mouse drag over them would."""
    page.evaluate("""words => {
        const out = document.getElementById('text-output');
        const walker = document.createTreeWalker(out, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(words);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + words.length);
            const sel = window.getSelection();
            sel.removeAllRanges();
            sel.addRange(range);
            return;
        }
        throw new Error('not in the text: ' + words);
    }""", words)


def submit_with_key(page, key: str) -> str:
    answer = page.locator("#alias-answer")
    page.fill("#alias-key", key)
    page.click("#alias-submit")
    page.wait_for_function("() => { const a = document.getElementById('alias-answer');"
                           " return !a.hidden && /ok|refused/.test(a.className); }")
    return answer.inner_text()


def test_an_editor_adds_a_missing_name_from_the_text(browser, curated_site, tmp_path):
    url, keys = curated_site
    with visiting(browser, url) as visit:
        page = visit.page
        visit.open()
        page.wait_for_selector("body[data-curation=on]")
        # the name is unknown: geocoding it finds nothing, the text highlights only Aleppo
        assert page.evaluate("q => fetch('/v1/geocode?q=' + encodeURIComponent(q))"
                             ".then(r => r.json()).then(fc => fc.features.length)", INVENTED) == 0
        page.fill("#text-input", TEXT)
        page.click("#find-places")
        page.wait_for_selector("body[data-parsed]")
        assert page.locator("#text-output mark.mention").all_inner_texts() == ["حلب"]
        assert page.is_enabled("#add-alias")

        # select the unrecognised name, open the dialog: the name is taken from the selection
        select_in_text(page, INVENTED)
        assert INVENTED in page.inner_text("#alias-hint")
        page.click("#add-alias")
        dialog = page.locator("#alias-dialog")
        assert dialog.is_visible()
        assert page.input_value("#alias-name") == INVENTED
        assert page.evaluate("document.activeElement.id") == "alias-search"
        # choose the place it names by searching for it (keyboard: down to it, Enter)
        page.keyboard.type("خان طومان")
        page.wait_for_selector('#alias-results button[data-id="C1015"]')
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.dataset.id") == "C1015"
        page.keyboard.press("Enter")
        assert page.get_attribute("#alias-place", "data-id") == "C1015"
        assert "Khan tuman" in page.inner_text("#alias-place")
        assert page.locator("#alias-area option").count() >= 3  # anywhere, governorate, ...

        # nothing sent without a reason and a key
        page.click("#alias-submit")
        assert "Still needed: why, the API key" in page.inner_text("#alias-answer")
        assert page.evaluate("document.activeElement.id") == "alias-why"
        page.fill("#alias-why", "what the villagers call it (test)")
        page.fill("#alias-source", "https://example.org/field-report-7")

        answer = submit_with_key(page, keys["reader"])
        assert "(403)" in answer and "reader role" in answer and "may not add names" in answer
        answer = submit_with_key(page, "gzk_not-a-key")
        assert "(401)" in answer and "unknown or revoked" in answer
        assert page.evaluate(f"sessionStorage.getItem('{KEY_NAME}')") is None  # not kept
        answer = submit_with_key(page, keys["editor"])
        assert f"Added, change 1: “{INVENTED}” is now a name of" in answer
        assert "(C1015)" in answer
        assert page.get_attribute("body", "data-alias-change") == "1"
        screenshot(page, "alias.png")

        # find places again: the name is highlighted, read as the place chosen
        page.click("#alias-refind")
        assert dialog.is_hidden()
        mention = page.locator(f'#text-output mark.mention:text-is("{INVENTED}")')
        mention.wait_for()
        assert mention.get_attribute("data-id") == "C1015"
        mention.hover()
        assert "Khan tuman" in page.inner_text("#tooltip")

        # from the mention now: its own place offered, the key remembered for this tab; adding
        # the same name again is a clash (409), shown in the dialog
        mention.click()
        page.click("#add-alias")
        assert page.input_value("#alias-name") == INVENTED
        assert page.get_attribute("#alias-place", "data-id") == "C1015"
        assert page.input_value("#alias-key") == keys["editor"]
        page.fill("#alias-why", "again")
        page.click("#alias-submit")
        page.wait_for_function("() => /refused/.test(document.getElementById('alias-answer')"
                               ".className)")
        answer = page.inner_text("#alias-answer")
        assert "(409)" in answer and "already has the name" in answer
        page.keyboard.press("Escape")
        assert dialog.is_hidden()
        # in Arabic too
        page.click("#lang-switch")
        page.click("#add-alias")
        assert page.inner_text("#alias-title") == "إضافة اسم إلى المعجم"
        assert page.inner_text("#alias-submit") == "أضف الاسم"
        assert "من الإشارة «" + INVENTED + "»" in page.inner_text("#alias-context")
        page.keyboard.press("Escape")

        # the key never went into a URL; nothing left the service
        assert not [u for u in visit.requests if keys["editor"] in u or keys["reader"] in u]
        assert not visit.outside_requests()
    # the change is in the audit log under the editor key, with its reason and source
    import json
    import urllib.request

    with urllib.request.urlopen(url + "/v1/curation/log") as resp:
        log = json.load(resp)["changes"]
    assert [(c["kind"], c["place_id"], c["payload"]["name"], c["key_name"], c["source"])
            for c in log] == [("add-alias", "C1015", INVENTED, "editor-key",
                               "https://example.org/field-report-7")]


KEY_NAME = "gazetteer.curationKey"

import os

import pytest

from gazetteer import Gazetteer


def pytest_configure(config):
    # A developer's own curation store (~/.local/share/syria-gazetteer) must not change the
    # answers the tests expect; the curation tests name their stores explicitly.
    os.environ["GAZETTEER_CURATION"] = "off"


@pytest.fixture(scope="session")
def gazetteer():
    """The bundled gazetteer, loaded once for the whole test session."""
    return Gazetteer.load()


@pytest.fixture(scope="session")
def xlsx_bomb():
    """``xlsx_bomb(path, chars)``: write a workbook whose second cell is a ``chars``-long shared
    string, as Excel would store it (the string compresses to almost nothing)."""
    pytest.importorskip("openpyxl")
    return _bomb


def _bomb(path, chars: int):
    """A workbook whose second cell is a ``chars``-long shared string, as Excel would store it
    (the string compresses to almost nothing)."""
    import zipfile

    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["name"])
    wb.active.append(["Homs"])
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b'<c r="A2" t="inlineStr"><is><t>Homs</t></is></c>',
                                        b'<c r="A2" t="s"><v>0</v></c>')
    parts["xl/sharedStrings.xml"] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        b'uniqueCount="1"><si><t>' + b"A" * chars + b"</t></si></sst>")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" /></Types>')
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(
        b"</Relationships>", b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml" />'
        b"</Relationships>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


# -- curation stores: SQLite files and a real PostgreSQL server -------------------------------
@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server for the session (initdb/pg_ctl in a temporary directory): the
    server and the URL of its ``postgres`` database; skipped where no server binary exists."""
    from postgres_server import PostgresServer

    server = PostgresServer()
    reason = server.missing()
    if reason:
        pytest.skip(reason)
    url = server.start()
    yield server, url
    server.stop()


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request, tmp_path):
    """A new, empty curation store of each engine: a SQLite file, a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "curation.sqlite3")
    import uuid

    server, url = request.getfixturevalue("postgres_server")
    return server.new_database(url, f"curation_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def curated(gazetteer, store_url):
    """The session's bundled gazetteer with an overlay of its own on a new store (a shallow
    copy: the overlay replaces the copy's places and index, never the shared ones)."""
    import copy

    from gazetteer.curation import attach

    gz = copy.copy(gazetteer)
    attach(gz, store_url)
    yield gz
    gz.curation.store.close()

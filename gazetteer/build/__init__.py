"""The data build: raw public sources in, `data/` out.

    python -m gazetteer.build --sources ../shared/sources --out data

Build time only. One module per source (``ocha``, ``landmarks``, ...), ``merge`` joins them,
``export`` writes the files, ``pipeline`` runs it all. Nothing at run time imports this package:
the product reads only what the build wrote to `data/`.
"""

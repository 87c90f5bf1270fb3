"""The WSGI entry point: ``gunicorn 'service.wsgi:app'`` (each worker loads the gazetteer once;
with ``--preload`` the master loads it once and the workers share it)."""
from . import create_app

app = create_app()

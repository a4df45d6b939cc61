"""api/web stage: the REST API and the single web page over a store (``create_app`` in ``app.py``)."""

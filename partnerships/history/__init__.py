"""Revision history: every change to an entry, who made it, when and why.

Where things live:

- ``models.py``: the change log (``Change``, one row per save) and ``ReviewMark``.
- ``records.py``: ``WikiHistory``, the historical-records base every content
  model and relation uses; each revision carries its save's id.
- ``saves.py``: how a save is recorded: ``recording()`` around the work, one
  ``Change`` row for all the revisions it writes.
- ``registry.py``: the registry of entry types and their relations; each type
  is declared once (``partnerships/entry_types.py``, ``sources/entry_types.py``).
- ``names.py``: how people and related objects are named in history.
- ``diffs.py``: values as readers see them, what changed between two revisions,
  word by word.
- ``entry.py``: one entry's history: its saves, the entry as a save left it
  (revisions, as-of), two saves compared.
- ``recent.py``: recent changes across the wiki and their Atom feed.
- ``reviews.py``: review marks on saves.
- ``conflicts.py``: the edit-conflict guard.
- ``reverts.py``: revert and restore.
- ``views.py``, ``forms.py``: the public history pages and their inputs;
  ``entry_pages.py``: what every entry page shows of its history.
- ``admin.py``: the admin wiring for revisioned models (it calls the services above).
"""

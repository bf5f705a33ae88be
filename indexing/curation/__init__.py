"""Knowledge curation: the operations the DX office performs on the knowledge base.

Create, edit, retire and restore entries, add an alternate phrasing to an FAQ, preview
and apply an import, find stale entries and export the citizen FAQ as open data. The
admin web UI and the CLI are thin layers over these functions, one module per role:

    validation     field checks, dates, the next free id, an entry's freshness (CurationError)
    editing        create, edit, retire, restore, add an alternate phrasing, history
    listing        find entries by filter (admin lists), facet values for filter menus
    review_digest  entries past their review-by date, grouped by 所管課 (weekly digest)
    open_data      the citizen FAQ in the municipal open-data CSV columns
    admin_import   preview and apply an import of uploaded files (the admin UI's import)

Every change goes through ``KnowledgeStore`` (history with who and when) and then
``refresh_indexes``, so a running ``Bot`` answers with the change on its next question
(an example is in ``editing``). Entries are never deleted, only retired, so ids in the
inquiry log and in reports keep their meaning.
"""

"""Exports made off the web workers (docs/performance.md, "Exports").

A page asks for an export (`services.export_request`): the request records an
`ExportJob` with the filters as they were, and queues a django-q2 task. The task
(`tasks.export_build`) writes the file into private storage, counting rows as it goes;
the person who asked watches the progress on the job's page and downloads the file
there. Files expire (`conf.ttl`) and are removed on access or by the hourly cleanup.

What can be exported is a registry (`registry.ExportKind`): an app registers its kinds
when it starts (the board registers its CSV and XLSX). This app imports no domain app.
"""

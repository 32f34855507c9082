"""What the test suites share, one module per idea.

- ``clock``: a fake monotonic clock whose ``sleep`` moves time, so no test sleeps for real.
- ``sandbox_api``: a bearer session against a sandbox (``Api``) and a restartable sandbox.
- ``portal``: the one read-back of a portal, compared with a plan (keys, properties, links).
- ``journal``: read-only queries of a run's journal (the one place tests touch its SQL).
- ``cli``: the CLI in-process or as a subprocess, its arguments, free ports.
- ``plan_fakes``, ``pipeline_fakes``: prepared objects and plans without reading files.
- ``stub_server``: a loopback HTTP server that answers what a test scripts (for failures no
  sandbox can produce).
- ``notebook_builders``, ``report_scenarios``: notebooks and report.json runs built in code.
"""

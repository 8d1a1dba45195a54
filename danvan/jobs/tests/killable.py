"""Run one background job in this process, as a worker would, and stop dead in the middle of it.

    python -m danvan.jobs.tests.killable JOB_ID TABLE ROWS

Once the job's work has inserted ROWS rows into TABLE (inside the work's own transaction, if it opens
one), the process prints "midway" and waits there; the test kills it with SIGKILL. It prints
"finished" if the job ends first.
"""

import os
import sys
import threading


def main() -> None:
    job_id, table, rows = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
    import django

    django.setup()
    from django.db import connection

    from danvan.jobs import runner

    prefix = f'INSERT INTO "{table}"'.upper()
    inserted = 0
    held = threading.Event()

    def pause_midway(execute, sql, params, many, context):
        nonlocal inserted
        result = execute(sql, params, many, context)
        if sql.lstrip().upper().startswith(prefix):
            inserted += 1
            if inserted == rows:
                print("midway", flush=True)
                held.wait()  # never set: the test kills the process here
        return result

    with connection.execute_wrapper(pause_midway):
        runner.run(job_id)
    print("finished", flush=True)


if __name__ == "__main__":
    main()

"""Nightwatch on Airflow: the night of each day, and the weekly upkeep (docs/scheduling.md).

nightwatch_nightly   daily at 02:00 UTC, for the day before ({{ ds }}): wait for the input's _SUCCESS markers, then
                     submit the night. One run at a time, and a day runs only after the day before succeeded.
nightwatch_maintain  Sundays at 12:00 UTC: retention, OPTIMIZE and VACUUM as of that Sunday.

Needs Airflow 3 (or Airflow 2 with apache-airflow-providers-standard), apache-airflow-providers-smtp for the alert,
the hadoop CLI on the worker for the sensor, and NIGHTWATCH_PSEUDONYM_KEY in the worker's environment (from your
secret store). The command lines below are checked against the job's own command line by
nightwatch.cli.SchedulingKitTest (keep each on one line).
"""
from __future__ import annotations

import os
import signal
import subprocess
from datetime import datetime, timedelta, timezone

from airflow.exceptions import AirflowException, AirflowFailException
from airflow.providers.smtp.notifications.smtp import SmtpNotifier
from airflow.providers.standard.operators.python import PythonOperator
from airflow.providers.standard.sensors.bash import BashSensor
from airflow.timetables.interval import CronDataIntervalTimetable
from airflow.timetables.trigger import CronTriggerTimetable

try:
    from airflow.sdk import DAG  # Airflow 3
except ImportError:
    from airflow import DAG  # Airflow 2

NIGHTWATCH_HOME = "/opt/nightwatch"  # the checkout with bin/, conf/ and the built jar; every command runs from here
ALERT_TO = ["trust-safety-oncall@example.com"]
START = datetime(2026, 11, 1, tzinfo=timezone.utc)  # the first day to process

# Client mode, so that spark-submit's exit code is the job's own (in YARN cluster mode it is only 0 or 1).
NIGHTLY = "bin/submit-nightly --properties-file conf/spark-yarn.properties --deploy-mode client -- --date {{ ds }} --conf conf/cluster.example.conf"
MAINTAIN = "bin/nightwatch maintain --conf conf/cluster.example.conf --as-of {{ ds }}"
# The export writes _SUCCESS into each dataset folder when the day is complete (layout of conf/cluster.example.conf).
INPUT_COMPLETE = "for d in messages accounts reports; do hadoop fs -test -e s3a://network-exports/$d/ds={{ ds }}/_SUCCESS || exit 1; done"

# Exit code -> (retry?, meaning); docs/operations.md#exit-codes. Why each is retried or not is on its line.
EXIT_CODES = {
    1: ("once", "the job failed"),  # a bug, the cluster or storage: the runbook retries once; twice the same is a bug
    2: ("no", "bad arguments"),  # the same command line fails the same way
    3: ("no", "missing or unreadable input"),  # after the sensor saw _SUCCESS this is a corrupt or misplaced export
    4: ("no", "no valid message in the input"),  # a retry reads the same files
    5: ("no", "bad config"),  # an unknown key, a missing file or an unset pseudonym key needs a person to fix it
    6: ("no", "a data-quality gate failed"),  # a person decides whether the day is genuine (the alert below)
    7: ("yes", "the day is locked by another run, or this run lost its lock"),  # frees when it ends or its lease lapses
    8: ("yes", "the warehouse's storage or the metastore was unreachable"),  # usually a passing outage
}


class RetriedExit(AirflowException):
    """A failure worth another try: retried while the task has retries left."""


class FinalExit(AirflowFailException):
    """A failure that another try would repeat: the task fails at once."""


def run_nightwatch(command: str, ti=None) -> None:
    """Runs one command from NIGHTWATCH_HOME; a failure is retried or not by its exit code (EXIT_CODES)."""
    proc = subprocess.Popen(["bash", "-c", command], cwd=NIGHTWATCH_HOME, start_new_session=True)
    try:
        code = proc.wait()
    finally:
        if proc.poll() is None:  # the task was stopped (timeout, marked failed): stop spark-submit and its driver too
            os.killpg(proc.pid, signal.SIGTERM)
    if code == 0:
        return
    retry, meaning = EXIT_CODES.get(code, ("no", "unknown"))
    retried = retry == "yes" or (retry == "once" and ti.try_number == 1)
    error = (RetriedExit if retried else FinalExit)(f"exit {code}: {meaning} (docs/operations.md#exit-codes)")
    error.exit_code = code
    raise error


def alert(context) -> None:
    """On a task's final failure, mails on-call; a quality gate (exit 6) says what to decide and how to go on."""
    ds = context["ds"]
    task = context["ti"].task_id
    error = context.get("exception")
    if getattr(error, "exit_code", None) == 6:
        subject = f"Nightwatch: quality gate failed for {ds}"
        body = (f"<p>The night of {ds} stopped at a data-quality gate (exit 6): nothing but rejected_records was "
                "written, and later nights wait for this one.</p>"
                "<p>Look at the day: job_runs.quality_gate, rejected_records, the export. If the day is genuine, "
                "run it again with --force (docs/scheduling.md), then mark this task as success so that the next "
                "night can start. If it is not, get the export fixed and clear this task.</p>")
    else:
        subject = f"Nightwatch: {task} failed for {ds}"
        body = f"<p>{error}</p><p>What to do: docs/operations.md#runbook.</p>"
    SmtpNotifier(to=ALERT_TO, subject=subject, html_content=body)(context)


DEFAULT_ARGS = {
    "owner": "trust-safety",
    "retries": 3,  # used only by RetriedExit (exit 7, 8, and 1 once); FinalExit fails at once
    "retry_delay": timedelta(minutes=10),  # longer than the day lock's lease (5 min)
    "on_failure_callback": alert,
}

with DAG(
    dag_id="nightwatch_nightly",
    # The run at 02:00 on day D+1 covers the interval starting on day D, so {{ ds }} is D: the day before.
    schedule=CronDataIntervalTimetable("0 2 * * *", timezone="UTC"),
    start_date=START,
    catchup=True,  # missed nights run in order, oldest first: campaigns and trends read the earlier days
    max_active_runs=1,  # one night at a time
    default_args={**DEFAULT_ARGS, "depends_on_past": True},  # a day runs only after the day before succeeded
    tags=["nightwatch"],
):
    wait_for_input = BashSensor(
        task_id="wait_for_input",
        bash_command=INPUT_COMPLETE,
        mode="reschedule",  # frees the worker slot between checks
        poke_interval=600,
        timeout=18 * 3600,  # then fail and alert: the export did not arrive
    )
    nightly = PythonOperator(task_id="nightly", python_callable=run_nightwatch, op_kwargs={"command": NIGHTLY})
    wait_for_input >> nightly

with DAG(
    dag_id="nightwatch_maintain",
    # A trigger timetable: {{ ds }} is the Sunday of the run itself, the day maintain counts back from.
    schedule=CronTriggerTimetable("0 12 * * 0", timezone="UTC"),
    start_date=START,
    catchup=False,  # a missed week is not worth replaying; the next one covers it
    max_active_runs=1,
    default_args=DEFAULT_ARGS,  # maintain takes no day lock and is safe while a night runs
    tags=["nightwatch"],
):
    PythonOperator(task_id="maintain", python_callable=run_nightwatch, op_kwargs={"command": MAINTAIN})

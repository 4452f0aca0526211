"""Report a Python job's outcome to Jobboard. Standard library only; Python 3.8+.

Drop this file next to your script (download it from your Jobboard at /jobboard_report.py)
and set, as system environment variables on the machine that runs the job:

    JOBBOARD_HUB_URL     Jobboard's URL, e.g. https://jobs.example.com
                         (TC_PORTAL_MONITOR_URL, the full report URL, also works)
    JOBBOARD_TOKEN       an ingest key (jb_...) or the shared webhook secret
                         (TC_PORTAL_WEBHOOK_SECRET also works)
    JOBBOARD_JOB_KEY     the job's key, e.g. minpaku-in-report      (or TC_PORTAL_JOB_KEY)
    JOBBOARD_JOB_TITLE   how it is shown, e.g. "minpaku-IN report"  (or TC_PORTAL_JOB_TITLE)

When `jobboard agent` starts the script it sets JOBBOARD_RUN_ID (and JOBBOARD_JOB_KEY,
JOBBOARD_HUB_URL); the reports then carry that run id, so they pair with the run the agent
claimed instead of recording a second one.

Then either report by hand, exactly as before:

    from jobboard_report import report_job_status
    try:
        main()
        report_job_status("success", "done")
    except Exception as e:
        report_job_status("error", str(e))
        raise

or let Jobboard see the start, the finish, the duration and the traceback:

    from jobboard_report import monitored_job

    with monitored_job():            # or: @monitored_job() above def main()
        main()

Reporting never raises and never stops your script: a failure to report is printed and skipped.
"""

import json
import os
import socket
import sys
import time
import traceback
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone

__all__ = ["report_job_status", "monitored_job"]

_REPORT_PATH = "/api/monitor/job-report"
_TIMEOUT_SECONDS = 10
_STDERR_LIMIT = 64 * 1024


def _env(*names, default=None):
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    return default


def _report_url():
    url = _env("JOBBOARD_HUB_URL", "TC_PORTAL_MONITOR_URL")
    if not url:
        return None
    url = url.rstrip("/")
    return url if url.endswith(_REPORT_PATH) else url + _REPORT_PATH


def _now():
    return datetime.now(timezone.utc).isoformat()


def _send(payload):
    """POST one report. Returns True when Jobboard took it; never raises."""
    url = _report_url()
    secret = _env("JOBBOARD_TOKEN", "TC_PORTAL_WEBHOOK_SECRET")
    if not url or not secret:
        print("[Jobboard] JOBBOARD_HUB_URL or JOBBOARD_TOKEN is not set; skipping the report")
        return False
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if secret.startswith("jb_"):
        headers["Authorization"] = "Bearer " + secret
    else:
        headers["X-TC-Portal-Webhook-Secret"] = secret
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    try:
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=_TIMEOUT_SECONDS) as response:
            return 200 <= response.status < 300
    except urllib.error.HTTPError as error:
        detail = error.read().decode("utf-8", "replace")[:200]
        print("[Jobboard] report refused: HTTP %s %s" % (error.code, detail))
    except Exception as error:  # noqa: BLE001 - reporting must never break the job
        print("[Jobboard] report failed: %s" % (error,))
    return False


def _run_id():
    """The run an agent claimed for this process (JOBBOARD_RUN_ID), or None."""
    return _env("JOBBOARD_RUN_ID")


def _job(job_key=None, title=None):
    key = job_key or _env("JOBBOARD_JOB_KEY", "TC_PORTAL_JOB_KEY", default="default-job")
    return key, title or _env("JOBBOARD_JOB_TITLE", "TC_PORTAL_JOB_TITLE", default=key)


def report_job_status(status, message=None, job_key=None, title=None, **extra):
    """Send one finish report: status is "success" or "error". Returns True if Jobboard took it.

    Extra keyword arguments go into the report as they are (exit_code, duration_ms, stderr, ...).
    """
    key, job_title = _job(job_key, title)
    payload = {"job_key": key, "title": job_title, "status": status, "finished_at": _now(), "message": message}
    run_id = _run_id()
    if run_id:
        payload["run_id"] = run_id
    payload.update(extra)
    return _send(payload)


class monitored_job:  # noqa: N801 - used as a context manager and decorator, like contextlib's
    """Reports start and finish (success, or error with the traceback) around a block or function."""

    def __init__(self, job_key=None, title=None, tags=None):
        self.job_key, self.title = _job(job_key, title)
        self.tags = list(tags) if tags else None
        self.run_id = None
        self._started = None

    def _common(self):
        common = {"job_key": self.job_key, "title": self.title, "run_id": self.run_id, "host": socket.gethostname()}
        if self.tags:
            common["tags"] = self.tags
        return common

    def __enter__(self):
        self.run_id = _run_id() or str(uuid.uuid4())
        self._started = time.monotonic()
        payload = self._common()
        payload.update({"event": "start", "started_at": _now()})
        _send(payload)
        return self

    def __exit__(self, exc_type, exc, tb):
        payload = self._common()
        payload.update({
            "event": "finish",
            "finished_at": _now(),
            "duration_ms": int((time.monotonic() - self._started) * 1000),
        })
        if exc_type is None:
            payload.update({"status": "success", "exit_code": 0, "message": "completed"})
        else:
            text = "".join(traceback.format_exception(exc_type, exc, tb))
            payload.update({
                "status": "error",
                "exit_code": 1,
                "message": "%s: %s" % (exc_type.__name__, exc),
                "stderr": text[-_STDERR_LIMIT:],
            })
        _send(payload)
        return False  # the exception, if any, carries on

    def __call__(self, function):
        def wrapper(*args, **kwargs):
            with monitored_job(self.job_key, self.title, self.tags):
                return function(*args, **kwargs)

        wrapper.__name__ = getattr(function, "__name__", "wrapper")
        wrapper.__doc__ = getattr(function, "__doc__", None)
        return wrapper


if __name__ == "__main__":
    # python jobboard_report.py success "message"  -- a one-shot report from a shell or a .bat file
    status = sys.argv[1] if len(sys.argv) > 1 else "success"
    message = sys.argv[2] if len(sys.argv) > 2 else None
    sys.exit(0 if report_job_status(status, message) else 1)

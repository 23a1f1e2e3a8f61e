"""The `rejoinder` command: serve, demo, worker, mailcatcher, and Django's management commands.

rejoinder serve [--bind 127.0.0.1:8000] [--workers N] [--no-worker]
                                         production server (granian, see config/front.py) and one mail worker
rejoinder demo  [--bind ...]             migrate, load the sample article, catch mail, serve
rejoinder worker [--once]                send queued mail and run the apps' background steps
rejoinder mailcatcher [--port 1025] [--maildir DIR]   a local SMTP server that keeps mail
rejoinder publisher --port 8001 --rejoinder URL [--site 1]   the demo's sample publisher site
rejoinder import FORMAT FILE [FILE2] --site SITE [--dry-run] [--rewrite OLD=NEW]
                                         import discussions from an export (docs/import-export.md)
rejoinder export --site SITE [--format jsonl] [--output FILE]
                                         export a site's discussions
rejoinder backup [PATH]                  a consistent copy of the database, while it serves
rejoinder restore FILE --yes             replace the database's contents with a backup
rejoinder manage <command> [...]         any Django management command
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rejoinder.config.settings")
    import django

    django.setup()


def _manage(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rejoinder.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["rejoinder manage", *argv])
    return 0


def _start_child(*args: str) -> subprocess.Popen[bytes]:
    """Start `rejoinder <args>` as a child process that exits when this process is gone."""
    return subprocess.Popen([sys.executable, "-m", "rejoinder", *args, "--exit-with-parent"])


def _stop_child(child: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """Ask a child to stop (SIGTERM: it finishes what it is doing), then insist."""
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _stop_with_parent(stop: threading.Event) -> None:
    """Set `stop` once the process that started us has gone (it may have been killed)."""
    parent = os.getppid()

    def watch() -> None:
        while not stop.wait(1.0):
            if os.getppid() != parent:
                stop.set()

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _host_and_port(bind: str) -> tuple[str, int]:
    host, _, port = bind.rpartition(":")
    if not host or not port.isdigit():
        raise SystemExit(f"rejoinder: --bind must be HOST:PORT, not {bind!r}")
    return host.strip("[]"), int(port)


def _refuse_to_serve() -> bool:
    """Run the deployment checks (config/checks.py), one line per problem; True on an error."""
    from django.core.checks import run_checks

    # Django keeps its checks in a set: sort, so the lines come in the same order every time.
    messages = sorted(
        run_checks(include_deployment_checks=True, tags=["rejoinder"]), key=lambda m: m.id or ""
    )
    for message in messages:
        kind = "" if message.is_serious() else "warning: "
        print(f"rejoinder serve: {kind}{message.msg} ({message.id})", file=sys.stderr)
    refused = any(message.is_serious() for message in messages)
    if refused:
        print(
            "rejoinder serve: not started (docs/configuration.md, 'Checks at start-up').",
            file=sys.stderr,
        )
    sys.stderr.flush()
    return refused


def serve(
    bind: str,
    workers: int,
    threads: int,
    *,
    with_worker: bool = True,
    check_deployment: bool = True,
) -> int:
    """Run the production server in the foreground: granian's event loop in front of Django.

    First the deployment checks: a missing or unusable setting (a weak secret key, a public
    URL that names this machine while others connect…) stops it before it touches the
    database, with one line per problem. Then each of `workers` processes reads requests in
    its event loop and runs Django on `threads` threads (config/front.py); the app is loaded
    once here and the processes forked from it. With `with_worker`, one `rejoinder worker`
    runs beside it as a child process, stopped when the server stops. Run more workers (or
    none here) with `rejoinder worker`.
    """
    host, port = _host_and_port(bind)
    os.environ["REJOINDER_THREADS"] = str(threads)
    os.environ["REJOINDER_BIND"] = bind  # what the deployment checks look at
    _django_setup()
    from django.conf import settings
    from django.core.management import call_command

    if check_deployment and _refuse_to_serve():
        return 1

    # Pending migrations are applied here, unless REJOINDER_MIGRATE=0: with several machines,
    # one `rejoinder manage migrate` runs first and the machines start on a migrated database.
    if os.environ.get("REJOINDER_MIGRATE", "1") != "0":
        call_command("migrate", interactive=False, verbosity=0)
    from django.db import connections

    import rejoinder.config.asgi  # noqa: F401 - loaded before the fork, shared by the workers

    # Workers are forked from this process: a connection opened here must not be shared.
    connections.close_all()
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings
    from granian.log import LogLevels
    from granian.server import Server

    server = Server(
        "rejoinder.config.asgi:application",
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        workers=workers,
        websockets=False,
        http1_settings=HTTP1Settings(
            header_read_timeout=settings.REJOINDER["HEADER_TIMEOUT_SECONDS"] * 1000
        ),
        log_access=bool(os.environ.get("REJOINDER_ACCESS_LOG")),
        log_level=LogLevels.warning,
        respawn_failed_workers=True,
        # Granian holds at most `backpressure` requests per process at once (backlog/workers
        # by default, 512): the live streams are requests that stay, so they get room of their
        # own beside the ordinary ones.
        backlog=2048,
        backpressure=settings.REJOINDER["MAX_STREAMS"] + 1024,
        # A worker that has not stopped this long after SIGTERM is killed (open live streams
        # are ended at once; this is the backstop, past the longest body read).
        workers_kill_timeout=settings.REJOINDER["BODY_TIMEOUT_SECONDS"] + 5,
    )
    _open_file_limit(workers * (settings.REJOINDER["MAX_STREAMS"] + 1024) + 256)
    mail_worker = _start_child("worker") if with_worker else None
    try:
        server.serve()
    finally:
        if mail_worker is not None:
            _stop_child(mail_worker)
    return 0


def _open_file_limit(needed: int) -> None:
    """Raise this process's open-file limit towards `needed` (every stream is a socket)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    if soft != resource.RLIM_INFINITY and soft < needed:
        print(
            f"rejoinder serve: the open-file limit ({soft}) is below what"
            " REJOINDER_MAX_STREAMS needs; raise it (ulimit -n, LimitNOFILE=) or lower the cap.",
            file=sys.stderr,
            flush=True,
        )


def worker(*, once: bool, poll_seconds: float, exit_with_parent: bool) -> int:
    """Send queued mail and run the registered background steps until stopped."""
    _django_setup()
    from django.core.management import call_command

    call_command("check", stdout=io.StringIO())  # a bad REJOINDER_EMAIL_URL stops us here
    from rejoinder.outbox.worker import StepsFailed, run_worker, step_names

    stop = threading.Event()
    if exit_with_parent:
        _stop_with_parent(stop)
    if not once:
        print(f"rejoinder worker: running {', '.join(step_names())}", flush=True)
    try:
        handled = run_worker(once=once, poll_seconds=poll_seconds, stop_event=stop)
    except StepsFailed as error:
        print(f"rejoinder worker: {error}", file=sys.stderr, flush=True)
        return 1
    print(f"rejoinder worker: {handled} items handled", flush=True)
    return 0


def backup(target: Path | None) -> int:
    """Copy the database (SQLite's online backup, or pg_dump) and print where to."""
    _django_setup()
    from rejoinder.config.backup import BackupError
    from rejoinder.config.backup import backup as copy

    try:
        written = copy(target)
    except (BackupError, OSError) as error:
        print(f"rejoinder backup: {error}", file=sys.stderr)
        return 1
    print(written)
    return 0


def restore(source: Path, *, confirmed: bool) -> int:
    """Replace the database's contents with a backup (the servers and workers stopped)."""
    _django_setup()
    from rejoinder.config.backup import BackupError
    from rejoinder.config.backup import restore as put_back

    if not confirmed:
        print(
            "rejoinder restore: this replaces everything in the database with the backup;"
            " stop the servers and workers, then run it again with --yes",
            file=sys.stderr,
        )
        return 2
    try:
        put_back(source)
    except (BackupError, OSError) as error:
        print(f"rejoinder restore: {error}", file=sys.stderr)
        return 1
    print(f"rejoinder restore: the database now holds {source}")
    return 0


def mailcatcher(*, port: int, maildir: Path, exit_with_parent: bool) -> int:
    """Run the local mail catcher until SIGTERM or SIGINT (or the parent exits)."""
    from rejoinder.demo.mailcatcher import run_mailcatcher

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signum, frame: stop.set())
    if exit_with_parent:
        _stop_with_parent(stop)
    run_mailcatcher(port=port, maildir=maildir, stop_event=stop)
    return 0


def publisher(*, port: int, rejoinder: str, site_id: int, exit_with_parent: bool) -> int:
    """Serve the demo's sample publisher site until SIGTERM or SIGINT (or the parent exits)."""
    from rejoinder.demo.publisher import publisher_server

    # The site's single sign-on secret, from `rejoinder demo` (never on a command line).
    secret = os.environ.get("REJOINDER_DEMO_SSO_SECRET", "")
    server = publisher_server(port, rejoinder, site_id, sso_secret=secret)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signum, frame: stop.set())
    if exit_with_parent:
        _stop_with_parent(stop)
    threading.Thread(target=server.serve_forever, name="publisher", daemon=True).start()
    stop.wait()
    server.shutdown()
    return 0


def _free_port(preferred: int) -> int:
    """Return `preferred` if nothing listens on it on the loopback interface, else a free port."""
    for port in (preferred, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise OSError("no free port for the mail catcher")


def _wait_for_port(port: int, child: subprocess.Popen[bytes], timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise SystemExit("the mail catcher did not start")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the mail catcher did not start")


def demo(
    bind: str, workers: int, threads: int, *, mail_port: int, publisher_port: int, with_worker: bool
) -> int:
    """Migrate, load the sample article with its discussion (once), catch mail, and serve it.

    Without REJOINDER_EMAIL_URL the demo starts `rejoinder mailcatcher` and sends its mail
    there: nothing leaves the machine, and the admin's "Demo mailbox" shows every message.
    """
    host, port = _host_and_port(bind)
    # Links in mail and canonical URLs name the address the demo serves (unless set).
    public_host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104
    shown = f"[{public_host}]" if ":" in public_host else public_host
    os.environ.setdefault("REJOINDER_PUBLIC_URL", f"http://{shown}:{port}")
    os.environ.setdefault("REJOINDER_ALLOWED_HOSTS", f"127.0.0.1,localhost,{public_host}")
    catch_mail = not os.environ.get("REJOINDER_EMAIL_URL")
    if catch_mail:
        mail_port = _free_port(mail_port)
        # Set before Django reads its settings; the worker child inherits them.
        os.environ["REJOINDER_EMAIL_URL"] = f"smtp://127.0.0.1:{mail_port}"
        os.environ["REJOINDER_DEMO_MAILDIR"] = "mail"
    _django_setup()
    from django.conf import settings
    from django.core.management import call_command

    catcher = site = None
    if catch_mail:
        maildir = settings.REJOINDER["DEMO_MAILDIR"]
        catcher = _start_child("mailcatcher", "--port", str(mail_port), "--maildir", str(maildir))
    try:
        if catcher is not None:
            _wait_for_port(mail_port, catcher)
        call_command("migrate", interactive=False, verbosity=0)
        from rejoinder.demo.loading import load_demo, load_publisher_demo
        from rejoinder.demo.mailbox import queue_welcome_mail
        from rejoinder.pages.lookup import default_site_id

        result = load_demo()
        url = settings.PUBLIC_URL
        # The sample publisher: another origin (host name and port) than Rejoinder's.
        publisher_port = _free_port(publisher_port)
        publisher_url = f"http://localhost:{publisher_port}"
        # Inherited by the publisher's process, which mints its readers' sign-in tokens.
        os.environ["REJOINDER_DEMO_SSO_SECRET"] = load_publisher_demo(publisher_url)
        site = _start_child(
            "publisher", "--port", str(publisher_port), "--rejoinder", url,
            "--site", str(default_site_id()),
        )  # fmt: skip
        print(f"\nRejoinder demo: {url}/")
        print(f"  article:  {url}{result.article_url}")
        print(
            f"  admin:    {url}/admin/  (user {result.admin_user!r}, password {result.admin_password!r})"
        )
        print(f"  moderate: {url}/moderation/  (same account)")
        print(f"  API docs: {url}/api/v1/docs")
        print(f"  embedded: {publisher_url}/  (a publisher's own site with the box embedded;")
        print("            its masthead signs you in as a sample subscriber)")
        if catcher is not None:
            queue_welcome_mail()
            print(
                f"  mail:     {url}/admin/outbox/outboxmail/demo-mailbox/"
                f"  (caught on smtp://127.0.0.1:{mail_port}, files in {settings.REJOINDER['DEMO_MAILDIR']})"
            )
        else:
            print("  mail:     sent through REJOINDER_EMAIL_URL")
        print(flush=True)
        # The demo serves sample data with generated settings: it skips the deployment checks
        # (a demo on 0.0.0.0 names 127.0.0.1 in its links, and that is fine for a demo).
        return serve(bind, workers, threads, with_worker=with_worker, check_deployment=False)
    finally:
        for child in (site, catcher):
            if child is not None:
                _stop_child(child)


# Subcommands that are management commands under another name.
_MANAGED = {"import": "import_discussions", "export": "export_discussions"}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "manage":
        return _manage(argv[1:])
    if argv and argv[0] in _MANAGED:
        return _manage([_MANAGED[argv[0]], *argv[1:]])
    parser = argparse.ArgumentParser(prog="rejoinder", description="Discussions for news articles.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("serve", "demo"):
        cmd = sub.add_parser(name)
        cmd.add_argument("--bind", default=os.environ.get("REJOINDER_BIND", "127.0.0.1:8000"))
        cmd.add_argument(
            "--workers", type=int, default=int(os.environ.get("REJOINDER_WORKERS", "2"))
        )
        cmd.add_argument(
            "--threads", type=int, default=int(os.environ.get("REJOINDER_THREADS", "4"))
        )
        cmd.add_argument(
            "--no-worker",
            dest="with_worker",
            action="store_false",
            help="do not run a mail worker beside the server (run `rejoinder worker` yourself)",
        )
        if name == "demo":
            cmd.add_argument(
                "--mail-port", type=int, default=1025, help="port of the demo's mail catcher"
            )
            cmd.add_argument(
                "--publisher-port",
                type=int,
                default=8001,
                help="port of the sample publisher site (http://localhost:PORT)",
            )
    cmd = sub.add_parser("worker", help="send queued mail and run background steps")
    cmd.add_argument("--once", action="store_true", help="drain what is due, then exit")
    cmd.add_argument(
        "--poll",
        type=float,
        default=float(os.environ.get("REJOINDER_WORKER_POLL_SECONDS", "1")),
        help="seconds to sleep when there is nothing to do",
    )
    cmd.add_argument("--exit-with-parent", action="store_true", help=argparse.SUPPRESS)
    cmd = sub.add_parser("mailcatcher", help="a local SMTP server that saves mail to a Maildir")
    cmd.add_argument("--port", type=int, default=1025)
    cmd.add_argument(
        "--maildir",
        type=Path,
        default=Path(os.environ.get("REJOINDER_DATA_DIR", "var")) / "mail",
    )
    cmd.add_argument("--exit-with-parent", action="store_true", help=argparse.SUPPRESS)
    cmd = sub.add_parser("publisher", help="the demo's sample publisher site, with the embed")
    cmd.add_argument("--port", type=int, default=8001)
    cmd.add_argument(
        "--rejoinder", required=True, help="Rejoinder's address, e.g. http://127.0.0.1:8000"
    )
    cmd.add_argument("--site", type=int, default=1, help="the Site whose discussions it embeds")
    cmd.add_argument("--exit-with-parent", action="store_true", help=argparse.SUPPRESS)
    cmd = sub.add_parser("backup", help="copy the database while it serves (docs/deployment.md)")
    cmd.add_argument(
        "path",
        nargs="?",
        type=Path,
        help="file or directory to write (default: DATA_DIR/backups/rejoinder-<time>.*)",
    )
    cmd = sub.add_parser("restore", help="replace the database's contents with a backup")
    cmd.add_argument("file", type=Path, help="a file written by `rejoinder backup`")
    cmd.add_argument("--yes", action="store_true", help="yes, replace everything in it")
    sub.add_parser("manage", help="run a Django management command")
    sub.add_parser("import", help="import discussions from an export (see rejoinder import -h)")
    sub.add_parser("export", help="export a site's discussions (see rejoinder export -h)")
    args = parser.parse_args(argv)
    if args.command == "serve":
        return serve(args.bind, args.workers, args.threads, with_worker=args.with_worker)
    if args.command == "backup":
        return backup(args.path)
    if args.command == "restore":
        return restore(args.file, confirmed=args.yes)
    if args.command == "worker":
        return worker(
            once=args.once, poll_seconds=args.poll, exit_with_parent=args.exit_with_parent
        )
    if args.command == "publisher":
        return publisher(
            port=args.port,
            rejoinder=args.rejoinder,
            site_id=args.site,
            exit_with_parent=args.exit_with_parent,
        )
    if args.command == "mailcatcher":
        return mailcatcher(
            port=args.port, maildir=args.maildir, exit_with_parent=args.exit_with_parent
        )
    return demo(
        args.bind,
        args.workers,
        args.threads,
        mail_port=args.mail_port,
        publisher_port=args.publisher_port,
        with_worker=args.with_worker,
    )


if __name__ == "__main__":
    sys.exit(main())

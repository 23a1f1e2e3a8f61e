"""The `rejoinder` command: serve, demo, and Django's management commands.

rejoinder serve [--bind 127.0.0.1:8000] [--workers N]   production server (gunicorn)
rejoinder demo  [--bind ...]                             migrate, load the sample article, serve
rejoinder manage <command> [...]                         any Django management command
"""

from __future__ import annotations

import argparse
import os
import sys


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rejoinder.config.settings")
    import django

    django.setup()


def _manage(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rejoinder.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["rejoinder manage", *argv])
    return 0


def serve(bind: str, workers: int, threads: int) -> int:
    """Run the production WSGI server in the foreground (gunicorn, preloaded app)."""
    _django_setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from django.db import connections

    # Workers are forked from this process: a connection opened here must not be shared.
    connections.close_all()
    from gunicorn.app.wsgiapp import run

    sys.argv = [
        "gunicorn",
        "rejoinder.config.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--preload",
        "--access-logfile",
        "-" if os.environ.get("REJOINDER_ACCESS_LOG") else "/dev/null",
        "--graceful-timeout",
        "10",
        "--max-requests",
        "0",
    ]
    run()
    return 0


def demo(bind: str, workers: int, threads: int) -> int:
    """Migrate, load the sample article with its discussion (once), and serve it."""
    _django_setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from rejoinder.pages.demo import load_demo

    result = load_demo()
    host, _, port = bind.rpartition(":")
    print(f"\nRejoinder demo: http://{host}:{port}/")
    print(f"  article:  http://{host}:{port}{result.article_url}")
    print(
        f"  admin:    http://{host}:{port}/admin/  (user {result.admin_user!r}, password {result.admin_password!r})"
    )
    print(f"  API docs: http://{host}:{port}/api/v1/docs\n", flush=True)
    return serve(bind, workers, threads)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "manage":
        return _manage(argv[1:])
    parser = argparse.ArgumentParser(prog="rejoinder", description="Discussions for news articles.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("serve", "demo"):
        cmd = sub.add_parser(name)
        cmd.add_argument("--bind", default=os.environ.get("REJOINDER_BIND", "127.0.0.1:8000"))
        cmd.add_argument(
            "--workers", type=int, default=int(os.environ.get("REJOINDER_WORKERS", "2"))
        )
        cmd.add_argument(
            "--threads", type=int, default=int(os.environ.get("REJOINDER_THREADS", "1"))
        )
    sub.add_parser("manage", help="run a Django management command")
    args = parser.parse_args(argv)
    if args.command == "serve":
        return serve(args.bind, args.workers, args.threads)
    return demo(args.bind, args.workers, args.threads)


if __name__ == "__main__":
    sys.exit(main())

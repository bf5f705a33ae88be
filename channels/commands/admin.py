"""``madoguchi admin``: DX-office accounts for the admin web UI.

    madoguchi admin create-user NAME --role editor|viewer [--password-stdin]
    madoguchi admin set-password NAME [--password-stdin]
    madoguchi admin set-role NAME --role editor|viewer
    madoguchi admin remove-user NAME
    madoguchi admin list-users

Without ``--password-stdin`` the password is asked twice with a hidden prompt.
"""
from __future__ import annotations

import getpass
import sys

from channels.commands.base import UsageError, settings_from_args


def register(commands) -> None:
    p = commands.add_parser("admin", help="manage admin web UI accounts")
    sub = p.add_subparsers(dest="admin_command", required=True, parser_class=type(p))

    c = sub.add_parser("create-user", help="create a DX-office account")
    c.add_argument("name")
    c.add_argument("--role", choices=("editor", "viewer"), required=True)
    c.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    c.set_defaults(handler=command_create_user)

    c = sub.add_parser("set-password", help="change an account's password (ends its sessions)")
    c.add_argument("name")
    c.add_argument("--password-stdin", action="store_true")
    c.set_defaults(handler=command_set_password)

    c = sub.add_parser("set-role", help="change an account's role")
    c.add_argument("name")
    c.add_argument("--role", choices=("editor", "viewer"), required=True)
    c.set_defaults(handler=command_set_role)

    c = sub.add_parser("remove-user", help="remove an account (ends its sessions)")
    c.add_argument("name")
    c.set_defaults(handler=command_remove_user)

    c = sub.add_parser("list-users", help="list accounts and roles")
    c.set_defaults(handler=command_list_users)


def _accounts(args):
    from channels.admin.accounts import AccountStore

    return AccountStore(settings_from_args(args).data_dir)


def read_password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        try:
            password = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != password:
                raise UsageError("passwords do not match")
        except EOFError:
            raise UsageError("no password typed (end of input): pipe it with --password-stdin") from None
    if not password:
        raise UsageError("empty password")
    return password


def _run(action):
    from channels.admin.accounts import AccountError

    try:
        return action()
    except AccountError as exc:
        raise UsageError(str(exc)) from exc


def command_create_user(args) -> int:
    accounts = _accounts(args)
    if accounts.user(args.name) is not None:
        raise UsageError(f"user {args.name} already exists (use 'admin set-password' to change the password)")
    password = read_password(args.password_stdin)
    user = _run(lambda: accounts.create_user(args.name, password, args.role))
    print(f"created {user.role} {user.name}")
    return 0


def command_set_password(args) -> int:
    accounts = _accounts(args)
    if accounts.user(args.name) is None:
        raise UsageError(f"no user {args.name}")
    password = read_password(args.password_stdin)
    _run(lambda: accounts.set_password(args.name, password))
    print(f"password changed for {args.name}")
    return 0


def command_set_role(args) -> int:
    _run(lambda: _accounts(args).set_role(args.name, args.role))
    print(f"{args.name} is now {args.role}")
    return 0


def command_remove_user(args) -> int:
    if not _accounts(args).remove_user(args.name):
        raise UsageError(f"no user {args.name}")
    print(f"removed {args.name}")
    return 0


def command_list_users(args) -> int:
    for user in _accounts(args).users():
        print(f"{user.name}\t{user.role}")
    return 0

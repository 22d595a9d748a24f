#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talang.settings.base")
    from django.core.management import execute_from_command_line

    from talang.lib.env import SettingError

    try:
        execute_from_command_line(sys.argv)
    except SettingError as error:
        # One line naming the variable, no traceback: start-up stops here.
        sys.stderr.write(f"talang: bad setting {error}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()

"""Run programs (see ``programs.py``) sent as JSON lines on stdin; answer one
JSON line each: ``{"ok": true}``, ``{"reject": reason}`` or ``{"error": text}``.

It runs in its own process so that a crash (a segmentation fault in a C loop)
fails the test that sent the program instead of killing the test run.
"""
import json
import os
import sys
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import programs  # noqa: E402


def main():
    for line in sys.stdin:
        try:
            programs.run(json.loads(line))
            answer = {"ok": True}
        except programs.Reject as r:
            answer = {"reject": str(r)}
        except Exception:               # noqa: BLE001  (reported to the test)
            answer = {"error": traceback.format_exc()}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()

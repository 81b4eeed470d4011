"""The seed tutorial prints exactly what MXNet 1.x printed
(``tests/data/seed_output.txt``)."""
import os
import subprocess
import sys
from pathlib import Path

import dualtape
from dualtape import tutorial

DATA = Path(__file__).parent / "data" / "seed_output.txt"
ROOT = Path(dualtape.__file__).resolve().parent.parent


def expected():
    text = DATA.read_bytes().decode("utf-8")
    assert text.strip(), "empty expected output"
    return text


def test_seed_output_in_process(capsys):
    tutorial.run()
    out, err = capsys.readouterr()
    assert out == expected()
    assert err == ""


def test_seed_output_twice_in_one_process(capsys):
    """No state leaks from one run to the next (flags, gradients, caches)."""
    tutorial.run()
    tutorial.run()
    assert capsys.readouterr().out == expected() * 2


def test_python_dash_m_dualtape():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    proc = subprocess.run([sys.executable, "-m", "dualtape"], cwd=str(ROOT), env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.replace(b"\r\n", b"\n") == DATA.read_bytes()   # Windows writes \r\n
    assert proc.stderr == b""


def test_unknown_argument_is_a_usage_error():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "dualtape", "--nonsense"], cwd=str(ROOT),
                          env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=120)
    assert proc.returncode == 2
    assert b"usage" in proc.stderr

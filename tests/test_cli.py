"""The command line answers in Japanese and uses the exit codes scripts expect."""

import subprocess
import sys

from kit.serve import kernel_transport


def run(*args):
    return subprocess.run([sys.executable, "-m", "kit", *args], capture_output=True, text=True)


def test_help_lists_every_command():
    result = run("--help")
    assert result.returncode == 0
    for command in ("serve", "validate"):
        assert command in result.stdout


def test_usage_error_exits_2_in_japanese_without_traceback():
    result = run("no-such-command")
    assert result.returncode == 2
    assert "エラー" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_options_are_documented():
    result = run("serve", "--help")
    assert result.returncode == 0
    for option in ("--port", "--host", "--no-browser", "--store", "--pool-size", "--room", "--max-pages",
                   "--max-pages-per-pc"):
        assert option in result.stdout


def test_a_room_size_must_be_a_positive_whole_number():
    result = run("serve", "--room", "0")
    assert result.returncode == 2 and "1以上の整数" in result.stderr and "Traceback" not in result.stderr


def test_serve_refuses_a_short_facilitator_passphrase():
    result = subprocess.run([sys.executable, "-m", "kit", "serve", "--no-browser", "--facilitator-passphrase", "1234"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "8文字以上" in result.stderr and "Traceback" not in result.stderr


def test_kernels_use_unix_sockets_only_where_their_path_fits():
    assert kernel_transport("linux", "/tmp") == "ipc"
    # A temporary folder so deep that the socket path would pass 107 bytes.
    assert kernel_transport("linux", "/home/" + "x" * 40) == "tcp"
    assert kernel_transport("darwin", "/tmp") == "tcp"
    assert kernel_transport("win32", "C:\\Temp") == "tcp"

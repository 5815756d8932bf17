#!/usr/bin/env python3
"""prompt_pty.py ACTION COMMAND...: runs COMMAND with a pseudo-terminal as its
stdin, waits for the secret prompt ("(secret): ") on its stderr, then either
types a line (ACTION "type:TEXT") or sends a signal (ACTION "INT" or "TERM").
Prints, one per line: echo at the prompt (on/off), echo after the command
ended (on/off), and the command's exit (a number, or -SIGNAL)."""
import os
import signal
import subprocess
import sys
import termios
import time

action, cmd = sys.argv[1], sys.argv[2:]
master, slave = os.openpty()
err_path = os.environ.get("PROMPT_PTY_STDERR", "/dev/null")
with open(err_path, "w+") as err:
    proc = subprocess.Popen(cmd, stdin=slave, stdout=err, stderr=err)
    deadline = time.time() + 20
    while time.time() < deadline and proc.poll() is None:
        err.seek(0)
        if "(secret): " in err.read():
            break
        time.sleep(0.05)
    time.sleep(0.2)  # the prompt is written before echo goes off
    echo = lambda: "on" if termios.tcgetattr(slave)[3] & termios.ECHO else "off"
    print(echo())
    if action.startswith("type:"):
        os.write(master, action[5:].encode() + b"\n")
    else:
        proc.send_signal(getattr(signal, "SIG" + action))
    code = proc.wait(timeout=30)
    print(echo())
    print(code)

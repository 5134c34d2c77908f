"""One service replica as a child process: started, killed, paused, resumed, restarted."""

import os
import signal
import subprocess
import threading
import time

from http_api import get_status


class Replica:
    def __init__(self, service, index, binary, port, env, log_dir):
        self.service = service
        self.name = f"{service}-{index}"
        self.binary = binary
        self.port = port
        self.env = env
        self.log_path = os.path.join(log_dir, f"{self.name}.log")
        self.process = None
        self.paused = False
        self.expected_down = False  # the nemesis killed it: an exit now is no surprise
        self.starts = 0
        self.lock = threading.RLock()

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def start(self):
        with self.lock:
            with open(self.log_path, "ab") as log:
                log.write(f"--- chaos: start #{self.starts + 1} at {time.time():.3f}\n".encode())
                log.flush()
                # A session of its own: a Ctrl-C at the terminal reaches the harness, which stops
                # every replica itself, instead of some replicas dying before the checks.
                self.process = subprocess.Popen([self.binary], env=self.env, stdout=log,
                                                stderr=subprocess.STDOUT, start_new_session=True)
            self.starts += 1
            self.paused = False
            self.expected_down = False

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def exit_code(self):
        return None if self.process is None else self.process.poll()

    def kill(self):
        with self.lock:
            self.expected_down = True
            if self.alive():
                os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.paused = False

    def pause(self):
        with self.lock:
            if self.alive():
                os.kill(self.process.pid, signal.SIGSTOP)
                self.paused = True

    def resume(self):
        with self.lock:
            if self.alive():
                os.kill(self.process.pid, signal.SIGCONT)
            self.paused = False

    def stop(self, grace=5.0):
        """SIGTERM (graceful), SIGKILL after the grace: used only when the run ends."""
        with self.lock:
            self.expected_down = True
            if not self.alive():
                return
            os.kill(self.process.pid, signal.SIGCONT)
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def ready(self):
        return not self.paused and get_status(self.port, "/readyz") == 200

    def healthy(self):
        return get_status(self.port, "/healthz") == 200

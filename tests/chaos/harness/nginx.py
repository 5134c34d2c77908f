"""The two nginx processes: the real gateway (deploy/gateway/render.sh) and the internal balancer
through which the payment service reaches the queue and concert replicas."""

import os
import signal
import socket
import subprocess
import time


def _addresses(replicas):
    return ",".join(f"127.0.0.1:{r.port}" for r in replicas)


def render_gateway(settings, run_dir, port, replicas):
    env = dict(os.environ,
               GATEWAY_PORT=str(port), GATEWAY_LISTEN="127.0.0.1",
               QUEUE_UPSTREAM=_addresses(replicas["queue"]),
               CONCERT_UPSTREAM=_addresses(replicas["concert"]),
               PAYMENT_UPSTREAM=_addresses(replicas["payment"]),
               # Every visitor comes from 127.0.0.1: the per-address brake would only measure itself.
               ISSUE_RATE_LIMIT_PER_IP=os.environ.get("CHAOS_ISSUE_RATE_LIMIT_PER_IP", "0"),
               INTERNAL_API_KEY=settings.internal_key)
    script = os.path.join(settings.root, "deploy", "gateway", "render.sh")
    return subprocess.run([script, run_dir], env=env, check=True, capture_output=True,
                          text=True).stdout


def render_balancer(run_dir, queue_port, concert_port, replicas):
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "internal-balancer.conf.template")) as template:
        text = template.read()

    def servers(group):
        return "\n    ".join(f"server 127.0.0.1:{r.port} max_fails=1 fail_timeout=2s;"
                             for r in group)

    for name, value in (("RUN_DIR", run_dir), ("QUEUE_PORT", queue_port),
                        ("CONCERT_PORT", concert_port),
                        ("QUEUE_SERVERS", servers(replicas["queue"])),
                        ("CONCERT_SERVERS", servers(replicas["concert"]))):
        text = text.replace(f"@{name}@", str(value))
    return text


def _accepts(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class Nginx:
    def __init__(self, settings, name, conf_text, ports):
        self.settings = settings
        self.name = name
        self.run_dir = os.path.join(settings.work, name)
        self.ports = ports
        self.process = None
        os.makedirs(os.path.join(self.run_dir, "tmp"), exist_ok=True)
        self.conf = os.path.join(self.run_dir, "nginx.conf")
        with open(self.conf, "w") as out:
            out.write(conf_text)

    def _command(self, *extra):
        return [self.settings.nginx, "-e", os.path.join(self.run_dir, "error.log"),
                "-p", self.run_dir + "/", "-c", self.conf, *extra]

    def start(self):
        check = subprocess.run(self._command("-t", "-q"), capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"{self.name}: nginx -t failed: {check.stderr}")
        with open(os.path.join(self.settings.logs, f"{self.name}.log"), "ab") as log:
            self.process = subprocess.Popen(self._command(), stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        deadline = time.monotonic() + 10
        while not all(_accepts(p) for p in self.ports):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} did not start: see {self.run_dir}/error.log")
            time.sleep(0.05)

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        if not self.alive():
            return
        self.process.send_signal(signal.SIGQUIT)  # graceful: the requests in flight finish
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            # The master leads its own process group: its workers go with it.
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

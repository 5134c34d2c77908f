"""The whole system on loopback: PostgreSQL, two replicas of each service, the internal balancer
and the real gateway; started, watched, healed and stopped by the harness."""

import os
import shutil
import signal
import socket
import threading
import time

from http_api import Api, get_status
from nginx import Nginx, render_balancer, render_gateway
from postgres import Postgres
from replica import Replica

SERVICES = ("queue", "concert", "payment")
REPLICAS = 2


_ports_given = set()


def free_port():
    """A port nothing listens on now, never the same twice in a run (the kernel may repeat one)."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _ports_given:
            _ports_given.add(port)
            return port


class System:
    def __init__(self, settings, history):
        self.settings = settings
        self.history = history
        self.postgres = Postgres(settings, free_port())
        self.gateway_port = free_port()
        self.balancer_ports = {"queue": free_port(), "concert": free_port()}
        self.replicas = {}
        self.gateway = None
        self.balancer = None
        self.probe_user = None
        self.unexpected_exits = []  # (time, replica name, exit code)
        self._watching = threading.Event()
        self._pid_file = os.path.join(settings.work, "pids")

    def all_replicas(self):
        return [r for group in self.replicas.values() for r in group]

    # --- start ---
    def _service_env(self, service, port):
        s = self.settings
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TZ")}
        env.update({
            "PORT": str(port),
            "DATABASE_URL": self.postgres.url(f"{service}_svc", f"chaos-{service}-password"),
            "DATABASE_ADMIN_URL": self.postgres.url("postgres"),
            "ADMIN_API_KEY": s.admin_key,
            "INTERNAL_API_KEY": s.internal_key,
            "DB_POOL_SIZE": "8",
            "HTTP_WORKER_THREADS": "8",
            # A kill -9 never reports leaks anyway, and leaks are the other tests' business;
            # any other sanitizer report aborts the replica and fails the run.
            "ASAN_OPTIONS": os.environ.get("CHAOS_ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1"),
            "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
        })
        if service == "queue":
            # CONCERT_URL: the sold-out check asks the concert replicas, killed ones included.
            env.update(QUEUE_CAPACITY=str(s.capacity), QUEUE_TOKEN_TTL_SECONDS=str(s.token_ttl),
                       QUEUE_ADMIT_INTERVAL_MS="500", QUEUE_ABANDON_SECONDS="30",
                       CONCERT_URL=f"http://127.0.0.1:{self.balancer_ports['concert']}")
        elif service == "concert":
            env.update(HOLD_TTL_SECONDS=str(s.hold_ttl), SEED_DEMO="0", MAX_SEATS_PER_USER="4")
        else:
            env.update(QUEUE_URL=f"http://127.0.0.1:{self.balancer_ports['queue']}",
                       CONCERT_URL=f"http://127.0.0.1:{self.balancer_ports['concert']}",
                       DOWNSTREAM_TIMEOUT_MS="3000", RECOVERY_INTERVAL_MS="1000",
                       RECOVERY_GRACE_SECONDS=str(s.recovery_grace))
        return env

    def _own_binaries(self):
        # Copies: another build replacing build/debug mid-run must not change what a restart runs.
        bin_dir = os.path.join(self.settings.work, "bin")
        os.makedirs(bin_dir, exist_ok=True)
        copies = {}
        for service, path in self.settings.binaries.items():
            copies[service] = os.path.join(bin_dir, os.path.basename(path))
            shutil.copy2(path, copies[service])
        return copies

    def start(self):
        os.makedirs(self.settings.logs, exist_ok=True)
        binaries = self._own_binaries()
        self.postgres.start()
        self.postgres.create_database()
        for service in SERVICES:
            self.replicas[service] = [
                Replica(service, i + 1, binaries[service], port,
                        self._service_env(service, port), self.settings.logs)
                for i, port in enumerate(free_port() for _ in range(REPLICAS))]
        self.balancer = Nginx(self.settings, "balancer",
                              render_balancer(os.path.join(self.settings.work, "balancer"),
                                              self.balancer_ports["queue"],
                                              self.balancer_ports["concert"], self.replicas),
                              list(self.balancer_ports.values()))
        self.balancer.start()
        self.write_pids()
        for replica in self.all_replicas():
            replica.start()
        self.write_pids()
        self.wait_until(lambda: all(r.ready() for r in self.all_replicas()), 90,
                        "the replicas did not become ready")
        self.gateway = Nginx(self.settings, "gateway",
                             render_gateway(self.settings, os.path.join(self.settings.work, "gateway"),
                                            self.gateway_port, self.replicas),
                             [self.gateway_port])
        self.gateway.start()
        self.write_pids()
        self.probe_user = self._new_user()

    def _new_user(self):
        api = Api(self.gateway_port, 10, prefix="chaos-setup")
        reply = api.send("POST", "/api/v1/queue/tokens", {})
        api.close()
        if reply.status != 201:
            raise RuntimeError(f"issuing the probe's token: {reply.describe()} {reply.body[:200]!r}")
        return reply.json["userId"]

    def wait_until(self, condition, seconds, message):
        deadline = time.monotonic() + seconds
        while not condition():
            for replica in self.all_replicas():
                if not replica.alive():
                    raise RuntimeError(f"{replica.name} exited ({replica.exit_code()}): "
                                       f"see {replica.log_path}")
            if time.monotonic() > deadline:
                raise RuntimeError(message)
            time.sleep(0.1)

    def write_pids(self):
        """Every process of ours, for run.sh's last-resort cleanup if the harness itself dies."""
        pids = [r.pid for r in self.all_replicas() if r.alive()]
        pids += [n.process.pid for n in (self.balancer, self.gateway) if n and n.alive()]
        with open(self._pid_file + ".new", "w") as out:
            out.write("".join(f"{pid}\n" for pid in pids))
        os.replace(self._pid_file + ".new", self._pid_file)

    # --- during the run ---
    def answers(self):
        """Every replica ready and the gateway answering a user route (payment, then queue)."""
        if not all(r.ready() for r in self.all_replicas()):
            return False
        return get_status(self.gateway_port, f"/api/v1/users/{self.probe_user}/points", 2) == 200

    def watch(self):
        """Restarts a replica that died without the nemesis, and notes it: that is a finding."""
        def loop():
            while not self._watching.wait(0.5):
                for replica in self.all_replicas():
                    with replica.lock:
                        if replica.expected_down or replica.alive():
                            continue
                        code = replica.exit_code()
                        self.unexpected_exits.append((time.monotonic(), replica.name, code))
                        self.history.note(f"{replica.name} exited on its own with {code}; "
                                          f"log: {replica.log_path}")
                        replica.start()
                        self.write_pids()
        threading.Thread(target=loop, name="watcher", daemon=True).start()

    def heal(self):
        """Every replica running and unpaused, PostgreSQL up."""
        self.postgres.start()
        for replica in self.all_replicas():
            with replica.lock:
                if replica.paused:
                    replica.resume()
                if not replica.alive():
                    replica.start()
        self.write_pids()

    # --- stop ---
    def stop(self):
        self._watching.set()
        for nginx in (self.gateway, self.balancer):
            if nginx:
                try:
                    nginx.stop()
                except OSError:
                    pass
        for replica in self.all_replicas():
            try:
                replica.stop()
            except OSError:
                pass
        self.postgres.stop()
        if os.path.exists(self._pid_file):
            os.remove(self._pid_file)

    def sanitizer_reports(self):
        found = []
        for replica in self.all_replicas():
            try:
                with open(replica.log_path, errors="replace") as log:
                    for line in log:
                        if "ERROR: AddressSanitizer" in line or "runtime error:" in line:
                            found.append(f"{replica.name}: {line.strip()[:200]} ({replica.log_path})")
            except OSError:
                pass
        return found


def signal_name(code):
    if code is not None and code < 0:
        return signal.Signals(-code).name
    return str(code)

"""The run's own PostgreSQL cluster: started with deploy/lib/pg-cluster.sh, crashed with pg_ctl."""

import os
import subprocess
import threading


class PsqlError(RuntimeError):
    pass


class Postgres:
    def __init__(self, settings, port):
        self.settings = settings
        self.port = port
        self.data = os.path.join(settings.work, "pg")
        self.socket = os.path.join(self.data, "socket")
        self.script = os.path.join(settings.root, "deploy", "lib", "pg-cluster.sh")
        psql = os.path.join(settings.pg_bin, "psql")
        self.psql_bin = psql if os.access(psql, os.X_OK) else "psql"
        self._lock = threading.Lock()  # one start or crash at a time

    def url(self, user, password=None, dbname="tickets"):
        text = f"host={self.socket} port={self.port} dbname={dbname} user={user}"
        return text + (f" password={password}" if password else "")

    def _as_postgres(self, command):
        # PostgreSQL refuses to run as root; pg-cluster.sh does the same for start and stop.
        return (["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []) + command

    def start(self):
        with self._lock:
            subprocess.run([self.script, "start", self.data, str(self.port)], check=True,
                           stdout=subprocess.DEVNULL, timeout=120)

    def crash(self):
        """Stops the server the way a power cut would: no checkpoint, crash recovery at start."""
        with self._lock:
            subprocess.run(self._as_postgres([os.path.join(self.settings.pg_bin, "pg_ctl"), "-D",
                                              self.data, "-m", "immediate", "-w", "stop"]),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)

    def stop(self):
        if os.path.exists(os.path.join(self.data, "PG_VERSION")):
            subprocess.run([self.script, "stop", self.data], timeout=120,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def create_database(self):
        exists = self.query("SELECT 1 FROM pg_database WHERE datname = 'tickets'", dbname="postgres")
        if not exists:
            self.query("CREATE DATABASE tickets", dbname="postgres")

    def query(self, sql, dbname="tickets", timeout=20):
        """Rows of the statement's result as lists of strings (NULL is None), as the superuser."""
        command = [self.psql_bin, self.url("postgres", dbname=dbname), "-X", "-q", "-A", "-t",
                   "-F", "\x1f", "-P", "null=\x1e", "-v", "ON_ERROR_STOP=1", "-c", sql]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise PsqlError(f"psql timed out after {timeout} s: {sql[:80]}")
        if done.returncode != 0:
            raise PsqlError(done.stderr.strip() or f"psql exited {done.returncode}")
        rows = []
        for line in done.stdout.split("\n"):  # not splitlines(): it splits at \x1e too
            if line == "":
                continue
            rows.append([None if cell == "\x1e" else cell for cell in line.split("\x1f")])
        return rows

    def column_exists(self, schema, table, column):
        return bool(self.query(
            "SELECT 1 FROM information_schema.columns WHERE table_schema = "
            f"'{schema}' AND table_name = '{table}' AND column_name = '{column}'"))

#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace test_support {

using Environment = std::vector<std::pair<std::string, std::string>>;

// A free TCP port on 127.0.0.1 at the time of asking.
std::uint16_t free_port();
// Whether something accepts TCP connections on 127.0.0.1:port.
bool accepts_connections(std::uint16_t port);

// Any program run as a real child process (posix_spawn: safe from a test process whose other
// threads are running servers): `command[0]` is the executable (a path, or a name
// looked up in PATH) and the rest its arguments. `environment` is laid over the inherited one
// (later entries win). Its standard output and error go to a temporary file, read by output().
// The destructor stops it with SIGTERM (SIGKILL after 10 s) and removes the file.
class ChildProcess {
 public:
  ChildProcess(std::vector<std::string> command, const Environment& environment);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Polls `ready` every 50 ms until it returns true. Throws, with the output, when the process
  // exits first or `timeout` passes (the process is then killed).
  void wait_until_ready(const std::function<bool()>& ready,
                        std::chrono::seconds timeout = std::chrono::seconds(30));
  // For a program that ends by itself: waits up to `limit` for it to exit and returns its exit
  // status; kills it and returns -1 when it is still running then.
  int wait_or_kill(std::chrono::seconds limit);
  // Graceful stop with `signal`; returns the exit status (0 when it shut down cleanly), or -1
  // when it had to be killed or was not running.
  int terminate(int signal = 15 /* SIGTERM */);
  // Abrupt death, as in a crash.
  void kill_hard();
  bool running();
  std::string output() const;
  const std::string& name() const { return command_.front(); }

 private:
  int wait_for_exit(int timeout_ms);

  std::vector<std::string> command_;
  std::string output_path_;
  pid_t pid_ = -1;
};

}  // namespace test_support

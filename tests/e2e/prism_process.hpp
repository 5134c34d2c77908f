#pragma once

#include <cstdint>
#include <string>

#include "support/child_process.hpp"

namespace e2e {

// How a Prism proxy treats a request or response that does not match the OpenAPI document.
enum class PrismMode {
  // `--errors`: Prism answers a violation itself instead of passing the exchange on. A response
  // violation becomes 500 with type https://stoplight.io/prism/errors#VIOLATIONS (the upstream
  // answer is dropped); a request violation becomes 422 #UNPROCESSABLE_ENTITY, a request without
  // the operation's credentials 401 #UNAUTHORIZED, an undocumented path 404
  // #NO_PATH_MATCHED_ERROR and an undocumented method 405 #NO_METHOD_MATCHED_ERROR (none of these
  // reach the gateway). Every violation is also listed in the `sl-violations` header.
  reject_violations,
  // Without `--errors`: every exchange is passed on untouched and Prism only reports what it
  // found in an `sl-violations` header (a JSON array; each entry's `location` starts with
  // "request" or "response"). Used for requests the document forbids on purpose.
  report_violations,
};

// `prism proxy <document> http://127.0.0.1:<upstream port>` (Prism 5, pinned in
// proto-docs/package.json) as a real child process on a free port of 127.0.0.1. The constructor
// starts it; wait_until_listening() blocks until it accepts connections (start several, then
// wait for each: Node takes a few seconds to start on a busy machine). The destructor stops it.
class PrismProcess {
 public:
  PrismProcess(const std::string& document, std::uint16_t upstream_port, PrismMode mode);

  void wait_until_listening();
  std::uint16_t port() const { return port_; }
  // What Prism logged (one line per request, with its violations).
  std::string output() const { return process_.output(); }

 private:
  std::uint16_t port_;
  test_support::ChildProcess process_;
};

}  // namespace e2e

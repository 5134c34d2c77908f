#include "system.hpp"

namespace e2e {

System::System(const SystemSettings& settings)
    : stack(settings.payment, settings.concert, settings.queue),
      gateway({stack.queue.process->port(), stack.concert.process->port(),
               stack.payment->process->port(), settings.issue_rate_limit_per_ip}),
      rejecting_prism_(PUBLIC_OPENAPI_DOCUMENT, gateway.port(), PrismMode::reject_violations),
      reporting_prism_(PUBLIC_OPENAPI_DOCUMENT, gateway.port(), PrismMode::report_violations),
      api(rejecting_prism_.port(), reporting_prism_.port(), gateway.port()) {
  // Both Node processes start at once; waiting for each in turn costs only the slower one.
  rejecting_prism_.wait_until_listening();
  reporting_prism_.wait_until_listening();
}

}  // namespace e2e

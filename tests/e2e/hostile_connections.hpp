#pragma once

#include "hostile_system.hpp"
#include "support/queue_api.hpp"

namespace e2e {

// Connections that misbehave in time rather than in bytes, on the gateway and on each service.
// Each check asserts with Catch2 and counts the requests it tries on `system`; `visitor` makes
// the ordinary requests made meanwhile reach the services' handlers.

// Headers and bodies dribbled a byte at a time, never finished: only those connections wait;
// every other client is answered at once, during and after.
void check_slow_clients_hang_alone(HostileSystem& system, const test_support::IssuedToken& visitor);

// The write side shut down after a whole request: the answer still comes, then the close.
// After part of a request: the connection ends soon, with a 4xx or nothing.
void check_half_closed_connections(HostileSystem& system, const test_support::IssuedToken& visitor);

// Several requests in one write on one keep-alive connection: each answered, in order; a
// malformed one ends the connection, nothing after it is answered.
void check_pipelined_requests(HostileSystem& system, const test_support::IssuedToken& visitor);

// Hundreds of silent, unfinished and idle kept-alive connections held at once: a fresh client
// is still answered at once.
void check_idle_connections_do_not_block(HostileSystem& system,
                                         const test_support::IssuedToken& visitor);

}  // namespace e2e

#pragma once

#include <string>

#include "domain/token_state.hpp"

namespace queue::http {

// {"token","userId","status","position","estimatedWaitSeconds","expiresAt","opensAt",
//  "soldOut","pollAfterSeconds","arrivalNumber"}
std::string token_state_json(const TokenState& state);

}  // namespace queue::http

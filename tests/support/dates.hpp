#pragma once

#include <string>

namespace test_support {

// A date `days` from today (UTC), YYYY-MM-DD.
std::string date_in_days(int days);

}  // namespace test_support

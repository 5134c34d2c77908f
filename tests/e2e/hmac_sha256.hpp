#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace e2e {

// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), written for the tests so that the opening's
// draw is recomputed independently of the service (which uses PostgreSQL's sha256). Bytes are
// passed as std::string_view of raw bytes.
using Digest = std::array<std::uint8_t, 32>;

Digest sha256(std::string_view message);
Digest hmac_sha256(std::string_view key, std::string_view message);

// Lowercase hex of a digest, and the raw bytes of a hex string (throws on a bad digit).
std::string to_hex(const Digest& digest);
std::string from_hex(std::string_view hex);

}  // namespace e2e

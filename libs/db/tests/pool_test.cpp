#include "ticketing/db/pool.hpp"

#include <catch2/catch.hpp>

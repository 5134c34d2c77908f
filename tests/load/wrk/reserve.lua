-- Reserve: POST /api/v1/reservations {"date","seatNo"}, every request a seat nobody asked for
-- before, from a user nobody saw before (so MAX_SEATS_PER_USER never applies and no two
-- requests share the per-user lock).
-- Usage: wrk ... -s reserve.lua URL -- DATES_FILE START THREADS
-- DATES_FILE lists the dates (one YYYY-MM-DD a line) whose 50 seats are free. Seat index i is
-- seat i % 50 + 1 of the date on line i / 50 + 1. Thread t (1..THREADS) takes the indexes
-- START + t - 1, START + t - 1 + THREADS, ... so threads never collide. THREADS must be wrk's
-- -t. The user id of index i is 00000000-0000-4000-8000-<i in 12 hex digits>.
-- Past the last date it sends the date "0000-00-00" (400 INVALID_DATE), so running out of
-- seats shows as non-2xx answers instead of silently reusing seats.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local dates = {}
local index, stride

function init(args)
  local file = args[1] or error("reserve.lua needs a dates file after --")
  local start = tonumber(args[2]) or error("reserve.lua needs a start index after the dates file")
  stride = tonumber(args[3]) or error("reserve.lua needs the thread count after the start index")
  for line in io.lines(file) do
    if line ~= "" then dates[#dates + 1] = line end
  end
  if #dates == 0 then error("no dates in " .. file) end
  if (thread_number or 1) > stride then error("more wrk threads than the THREADS argument") end
  index = start + (thread_number or 1) - 1 - stride
end

local headers = { ["Content-Type"] = "application/json" }

function request()
  index = index + stride
  local date = dates[math.floor(index / 50) + 1] or "0000-00-00"
  headers["X-User-Id"] = string.format("00000000-0000-4000-8000-%012x", index)
  return wrk.format("POST", "/api/v1/reservations", headers,
    string.format('{"date":"%s","seatNo":%d}', date, index % 50 + 1))
end

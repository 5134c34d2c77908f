-- Seat list: GET /api/v1/concerts/dates/{date}/seats with "X-User-Id" (the header the gateway
-- sets), the dates round-robin from a file (one YYYY-MM-DD a line).
-- Usage: wrk ... -s seats.lua URL -- DATES_FILE USER_ID
-- Requests are built once in init; each thread starts at a different date.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local requests = {}
local next_index = 0

function init(args)
  local file = args[1] or error("seats.lua needs a dates file after --")
  local user = args[2] or error("seats.lua needs a user id after the dates file")
  for line in io.lines(file) do
    if line ~= "" then
      requests[#requests + 1] = wrk.format("GET", "/api/v1/concerts/dates/" .. line .. "/seats",
        { ["X-User-Id"] = user })
    end
  end
  if #requests == 0 then error("no dates in " .. file) end
  next_index = ((thread_number or 1) - 1) % #requests
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end

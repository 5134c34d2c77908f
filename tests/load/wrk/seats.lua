-- Seat list (queue-gated): GET /api/v1/concerts/dates/{date}/seats with an ACTIVE token, the
-- dates round-robin from DATES_FILE (one YYYY-MM-DD a line) and the tokens round-robin from
-- TOKENS_FILE ("userId token" lines), so the gateway checks a different token each time.
-- Usage: wrk ... -s seats.lua URL -- DATES_FILE TOKENS_FILE
local dates, tokens = {}, {}
local next_index = 0

function init(args)
  local dates_file = args[1] or error("seats.lua needs a dates file after --")
  local tokens_file = args[2] or error("seats.lua needs a tokens file after the dates file")
  for line in io.lines(dates_file) do
    if line ~= "" then dates[#dates + 1] = "/api/v1/concerts/dates/" .. line .. "/seats" end
  end
  for line in io.lines(tokens_file) do
    local token = line:match("(%S+)%s*$")
    if token then tokens[#tokens + 1] = "Bearer " .. token end
  end
  if #dates == 0 or #tokens == 0 then error("no dates or no tokens") end
  next_index = (thread_number - 1) * 7919
end

local headers = {}

function request()
  next_index = next_index + 1
  headers["Authorization"] = tokens[next_index % #tokens + 1]
  return wrk.format("GET", dates[next_index % #dates + 1], headers)
end

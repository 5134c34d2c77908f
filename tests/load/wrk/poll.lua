-- Token poll: GET /api/v1/queue/tokens/me with "Authorization: Bearer <token>", the tokens
-- round-robin from a file of "userId token" lines. Usage: wrk ... -s poll.lua URL -- TOKENS_FILE
-- Requests are built once in init; each thread starts at a different place in the list so
-- threads do not poll in lockstep.
local requests = {}
local next_index = 0

function init(args)
  local file = args[1] or error("poll.lua needs a tokens file after --")
  for line in io.lines(file) do
    local token = line:match("(%S+)%s*$")
    if token then
      requests[#requests + 1] = wrk.format("GET", "/api/v1/queue/tokens/me",
        { ["Authorization"] = "Bearer " .. token })
    end
  end
  if #requests == 0 then error("no tokens in " .. file) end
  next_index = (thread_number - 1) * 7919 % #requests
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end

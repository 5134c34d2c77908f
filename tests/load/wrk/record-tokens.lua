-- Issues tokens like issue.lua and appends each issued token to PREFIX.<thread number>, one a
-- line. Usage: wrk ... -s record-tokens.lua URL -- PREFIX
-- Slower than issue.lua (a Lua call per response), so it only prepares data for poll.lua.
wrk.method = "POST"
wrk.path = "/api/v1/queue/tokens"
wrk.body = "{}"
wrk.headers["Content-Type"] = "application/json"

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local out
function init(args)
  local prefix = args[1] or error("record-tokens.lua needs an output prefix after --")
  out = assert(io.open(prefix .. "." .. thread_number, "w"))
  out:setvbuf("line")
end

function response(status, headers, body)
  if status == 201 then
    local token = body:match('"token"%s*:%s*"([^"]+)"')
    if token then out:write(token, "\n") end
  end
end

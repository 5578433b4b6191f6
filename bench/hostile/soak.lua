-- wrk script for bench/hostile/soak.py: a mix of good and malformed requests, and a count of
-- every status seen, written by done() as one "statuses ..." line that soak.py checks.
--
-- Per 20 requests: 10 GET /plaintext, 2 GET /json, 2 GET /user/<n>, 3 POST /echo with bodies of
-- 10 B to 16 KiB (one of them chunked), 1 GET of a missing path (404), and 2 malformed requests
-- (an invalid Host, a target in none of the four forms, a bad chunk size, Content-Length with
-- Transfer-Encoding, a bare LF, user info in the target), each answered 400 and closed.
local counter = 0
statuses = {}  -- global: done() reads each thread's copy with thread:get

local bodies = {}
for i, n in ipairs({10, 1000, 16384}) do bodies[i] = string.rep(string.char(96 + i), n) end

local malformed = {
  "GET /plaintext HTTP/1.1\r\nHost: a b\r\n\r\n",
  "GET plaintext HTTP/1.1\r\nHost: a\r\n\r\n",
  "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
  "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
  "GET /plaintext HTTP/1.1\nHost: a\r\n\r\n",
  "GET http://user@a/plaintext HTTP/1.1\r\nHost: a\r\n\r\n",
}


function request()
  counter = counter + 1
  local slot = counter % 20
  if slot < 10 then
    return "GET /plaintext HTTP/1.1\r\nHost: a\r\n\r\n"
  elseif slot < 12 then
    return "GET /json HTTP/1.1\r\nHost: a\r\n\r\n"
  elseif slot < 14 then
    return "GET /user/" .. counter .. " HTTP/1.1\r\nHost: a\r\n\r\n"
  elseif slot < 16 then
    local body = bodies[1 + counter % 3]
    return "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: " .. #body ..
           "\r\n\r\n" .. body
  elseif slot == 16 then
    local body = bodies[2]
    return string.format("POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n",
                         #body, body)
  elseif slot == 17 then
    return "GET /missing/" .. counter .. " HTTP/1.1\r\nHost: a\r\n\r\n"
  else
    return malformed[1 + counter % #malformed]
  end
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    for k, v in pairs(s) do total[k] = (total[k] or 0) + v end
  end
  local line = "statuses"
  for k, v in pairs(total) do line = line .. " " .. k .. "=" .. v end
  io.write(line .. "\n")
  io.write(string.format("errors connect=%d read=%d write=%d status=%d timeout=%d\n", summary.errors.connect,
                         summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
  io.write(string.format("latency p50_us=%d p99_us=%d max_us=%d\n", latency:percentile(50), latency:percentile(99),
                         latency.max))
end

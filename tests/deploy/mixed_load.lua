-- wrk script for tests/deploy/rolling_restart.py: alternates GET /plaintext and POST /echo,
-- each with an id no other request has (thread number, then a counter), so that the access
-- logs of the vial instances show whether any request was handled twice. Every response
-- must be a 200 whose body is the expected one; the counts are printed at the end.
--
--   wrk -t2 -c32 -d30s --timeout 10s -s mixed_load.lua http://127.0.0.1:PORT/

local threads = {}
local next_thread = 0

function setup(thread)
  next_thread = next_thread + 1
  thread:set("tid", next_thread)
  table.insert(threads, thread)
end

counter = 0
gets, posts, good, bad = 0, 0, 0, 0  -- globals: done() reads them with thread:get
local post_headers = { ["Content-Type"] = "text/plain" }

function request()
  counter = counter + 1
  local id = tid .. "-" .. counter
  if counter % 2 == 0 then
    posts = posts + 1
    return wrk.format("POST", "/echo?id=" .. id, post_headers, "id=" .. id)
  end
  gets = gets + 1
  return wrk.format("GET", "/plaintext?id=" .. id)
end

function response(status, headers, body)
  if status == 200 and (body == "Hello, World!" or string.sub(body, 1, 3) == "id=") then
    good = good + 1
  else
    bad = bad + 1
    if bad <= 5 then io.stderr:write("unexpected response: " .. status .. " " .. string.sub(body, 1, 120) .. "\n") end
  end
end

function done(summary, latency, requests)
  local g, p, ok, ko = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    g = g + t:get("gets")
    p = p + t:get("posts")
    ok = ok + t:get("good")
    ko = ko + t:get("bad")
  end
  local e = summary.errors
  io.write(string.format("mixed_load: sent_get=%d sent_post=%d good=%d bad=%d completed=%d "
    .. "connect_errors=%d read_errors=%d write_errors=%d timeouts=%d non_2xx=%d\n",
    g, p, ok, ko, summary.requests, e.connect, e.read, e.write, e.timeout, e.status))
end

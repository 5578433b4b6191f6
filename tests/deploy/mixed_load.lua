-- wrk script for tests/deploy/rolling_restart.py: alternates GET /plaintext and POST /echo,
-- each with an id no other request has (thread number, then a counter), so that the access
-- logs of the vial instances show whether any request was handled twice. Every response
-- must be a 200 whose body is the expected one; the counts are printed at the end.
--
--   wrk -t2 -c32 -d30s --timeout 10s -s mixed_load.lua http://127.0.0.1:PORT/

-- setup(), done() and the counters: load_counts.lua, beside this file.
dofile((string.match(debug.getinfo(1, "S").source, "^@(.*/)") or "") .. "load_counts.lua")

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

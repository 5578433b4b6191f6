# Sourced by bench/http/run.sh and bench/http/profile.sh: the nginx baseline's configuration,
# the three answers of examples/hello and nothing else, written in one place.
#
# write_nginx_conf DIR PORT MAIN HTTP
#   DIR   nginx's prefix directory (pid, logs and temp paths go there; nginx.conf is written there)
#   PORT  loopback port to listen on
#   MAIN  main-context directives ("worker_processes 1;" ...), one per line
#   HTTP  extra http-context directives, one per line (may be empty)
write_nginx_conf() {
  local dir=$1 port=$2 main=$3 http=$4
  cat >"$dir/nginx.conf" <<CONF
$main
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    server_tokens off;
    keepalive_requests 10000000;
$http
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
    server {
        listen 127.0.0.1:$port;
        location = /plaintext { default_type text/plain; return 200 "Hello, World!"; }
        location = /json { default_type application/json; return 200 '{"message":"Hello, World!"}'; }
        location ~ ^/user/(\d+)\$ { default_type text/plain; return 200 "User \$1"; }
    }
}
CONF
}

#!/usr/bin/env bash
# The agent talks to an engine over TCP with TLS and client certificates, configured the way
# Docker users expect: DOCKER_HOST=tcp://..., DOCKER_TLS_VERIFY=1, DOCKER_CERT_PATH. Uses an
# engine of its own, listening on a Unix socket (for the test's docker CLI) and on TLS.
source "$(dirname "$0")/lib.sh"
source "$LC_SOURCE_DIR/scripts/lib/docker-env.sh"

certs="$TEST_DIR/certs"
mkdir -p "$certs"
cd "$certs"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=lc-test-ca" \
  -keyout ca-key.pem -out ca.pem 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server-key.pem \
  -out server.csr 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 \
  -extfile server.ext -out server-cert.pem 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=lc-client" -keyout key.pem -out client.csr 2>/dev/null
printf 'extendedKeyUsage=clientAuth\n' >client.ext
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 \
  -extfile client.ext -out cert.pem 2>/dev/null
cd - >/dev/null

engine="$TEST_DIR/engine"
mkdir -p "$engine"
tls_port=$(free_port)
export DOCKER_HOST="unix://$engine/docker.sock"
dockerd --data-root "$engine/data" --exec-root "$engine/exec" --pidfile "$engine/docker.pid" \
  -H "$DOCKER_HOST" -H "tcp://127.0.0.1:$tls_port" --tlsverify --tlscacert "$certs/ca.pem" \
  --tlscert "$certs/server-cert.pem" --tlskey "$certs/server-key.pem" \
  --iptables=false --ip-masq=false --bridge=none --log-level=warn >"$engine/dockerd.log" 2>&1 &
stop_engine() { lc_docker_stop_private "$engine"; }
CLEANUP_HOOK=stop_engine
wait_for 30 "the TLS engine" lc_docker_reachable
lc_docker_test_image

# The agent only knows the TLS endpoint, through Docker's environment conventions.
write_config
sed -i "/^  host: /d" "$TEST_DIR/config.yaml"
DOCKER_HOST="tcp://127.0.0.1:$tls_port" DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$certs" start_agent
run_container secure 'i=1; while [ $i -le 200 ]; do echo "z $i"; i=$((i+1)); done'
stored() { [[ $(verify_store --print-count) -ge 200 ]]; }
wait_for 30 "lines over TLS" stored
verify_store z=200 || fail "store content over TLS"
stop_agent

# Without a client certificate the engine refuses us: a clear error, degraded health.
mkdir -p "$TEST_DIR/nocert" && cp "$certs/ca.pem" "$TEST_DIR/nocert/"
DOCKER_HOST="tcp://127.0.0.1:$tls_port" DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$TEST_DIR/nocert" start_agent
sleep 1
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$API_PORT/health")
[[ $code == 503 ]] || fail "/health answered $code without a client certificate"
stop_agent
echo "PASS"

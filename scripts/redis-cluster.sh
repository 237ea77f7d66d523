#!/usr/bin/env bash
# A throwaway Redis Cluster on loopback for tests and benches: 3 masters + 3 replicas on free ports.
#   scripts/redis-cluster.sh start DIR   → prints "host:port,host:port,…" (the masters first) once cluster_state:ok
#   scripts/redis-cluster.sh stop DIR    → shuts down every server started in DIR and removes DIR
# No persistence (--save "" --appendonly no); each server's nodes file, log and pid live in DIR.
# "Started" means every replica has finished its first sync: a replica that never synced refuses to
# take over ("Disconnected from master for longer than allowed"), so a master killed before that would
# leave its shard (and, with full coverage, the whole cluster) down for good.
set -euo pipefail
cmd="${1:-}"
dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

case "$cmd" in
start)
  mkdir -p "$dir"
  ports=()
  # Cluster bus ports are port+10000: pick ports whose bus port is free too.
  while [ "${#ports[@]}" -lt 6 ]; do
    p=$(free_port)
    [ "$p" -lt 55000 ] || continue
    (exec 3<>"/dev/tcp/127.0.0.1/$((p + 10000))") 2>/dev/null && continue
    [[ " ${ports[*]} " == *" $p "* ]] && continue
    ports+=("$p")
  done
  for p in "${ports[@]}"; do
    redis-server --bind 127.0.0.1 --port "$p" --cluster-enabled yes --cluster-config-file "$dir/nodes-$p.conf" \
      --cluster-node-timeout 2000 --repl-diskless-sync-delay 0 --hash-max-listpack-value 256 --save "" --appendonly no --dir "$dir" --logfile "$dir/redis-$p.log" \
      --pidfile "$dir/redis-$p.pid" --daemonize yes
    echo "$p" >>"$dir/ports"
  done
  for p in "${ports[@]}"; do
    for _ in $(seq 100); do redis-cli -p "$p" ping 2>/dev/null | grep -q PONG && break; sleep 0.05; done
  done
  addrs=()
  for p in "${ports[@]}"; do addrs+=("127.0.0.1:$p"); done
  redis-cli --cluster create "${addrs[@]}" --cluster-replicas 1 --cluster-yes >"$dir/create.log" 2>&1 ||
    { cat "$dir/create.log" >&2; exit 1; }
  for p in "${ports[@]}"; do
    for _ in $(seq 200); do
      redis-cli -p "$p" cluster info 2>/dev/null | grep -q '^cluster_state:ok' && break
      sleep 0.05
    done
    redis-cli -p "$p" cluster info | grep -q '^cluster_state:ok' || { echo "cluster not ok on $p" >&2; exit 1; }
  done
  # Every node must know every other (replicas attached) before a client's first CLUSTER SLOTS.
  for p in "${ports[@]}"; do
    for _ in $(seq 200); do
      [ "$(redis-cli -p "$p" cluster nodes | grep -c connected)" -ge 6 ] && break
      sleep 0.05
    done
  done
  # Every replica has finished its first sync with its master (what lets it take over).
  for p in "${ports[@]}"; do
    redis-cli -p "$p" info replication | grep -q '^role:slave' || continue
    for _ in $(seq 400); do
      redis-cli -p "$p" info replication 2>/dev/null | grep -q '^master_link_status:up' && break
      sleep 0.05
    done
    redis-cli -p "$p" info replication | grep -q '^master_link_status:up' ||
      { echo "replica on $p never synced with its master" >&2; exit 1; }
  done
  (IFS=,; echo "${addrs[*]}")
  ;;
stop)
  [ -f "$dir/ports" ] || exit 0
  while read -r p; do
    redis-cli -p "$p" shutdown nosave >/dev/null 2>&1 || true
    pid_file="$dir/redis-$p.pid"
    if [ -f "$pid_file" ]; then
      pid=$(cat "$pid_file")
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
      kill -9 "$pid" 2>/dev/null || true
    fi
  done <"$dir/ports"
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop DIR" >&2
  exit 2
  ;;
esac

/**
 * A real Redis Cluster from the installed `redis-server`: 3 masters and 3 replicas on spare
 * ports, in a temporary folder, for the cluster tests and `bench:load --scenario redis-cluster`.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";

const run = promisify(execFile);

/** Why the cluster cannot start here, or null when `redis-server` and `redis-cli` are installed. */
export async function redisClusterUnavailable(): Promise<string | null> {
  for (const tool of ["redis-server", "redis-cli"]) {
    try {
      await run(tool, ["--version"]);
    } catch {
      return `${tool} is not installed: skipping the Redis Cluster suite`;
    }
  }
  return null;
}

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen(port, "127.0.0.1", () => server.close(() => done(true)));
  });
}

/** A base port whose `count` ports and their cluster-bus ports (+10000) are all free. */
async function sparePorts(count: number): Promise<number[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 9_000);
    const ports = Array.from({ length: count }, (_, index) => base + index);
    const free = await Promise.all(ports.flatMap((port) => [portFree(port), portFree(port + 10_000)]));
    if (free.every(Boolean)) return ports;
  }
  throw new Error("no spare ports for a Redis Cluster");
}

export interface RedisClusterNode {
  port: number;
  url: string;
  process: ChildProcess;
}

export interface RunningRedisCluster {
  /** Seed URLs of every node (`REDIS_CLUSTER_URLS`). */
  readonly seeds: string[];
  readonly nodes: RedisClusterNode[];
  /** The node that is master of `key`'s hash slot now. */
  masterOf(key: string): Promise<RedisClusterNode>;
  /** Kills a node as a crash would (SIGKILL). */
  kill(node: RedisClusterNode): void;
  /** Waits until every slot is served again (`cluster_state:ok` on every live node). */
  healthy(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

async function clusterState(url: string): Promise<string> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000 });
  try {
    await redis.connect();
    return (await redis.cluster("INFO")) as string;
  } catch {
    return "";
  } finally {
    redis.disconnect();
  }
}

/**
 * Waits until every master has its replica online: a replica that never synced is not elected
 * when its master dies (the first failover probe found the slots unserved for good).
 */
async function replicasInSync(nodes: RedisClusterNode[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const infos = await Promise.all(
      nodes.map(async (node) => {
        const redis = new Redis(node.url, { maxRetriesPerRequest: 1 });
        try {
          return (await redis.info("replication")) as string;
        } finally {
          redis.disconnect();
        }
      }),
    );
    const masters = infos.filter((info) => info.includes("role:master"));
    if (masters.length === 3 && masters.every((info) => /slave0:.*state=online/.test(info))) return;
    if (Date.now() > deadline) throw new Error("Redis Cluster replicas did not sync");
    await new Promise((done) => setTimeout(done, 100));
  }
}

/**
 * Starts 3 masters + 3 replicas (`--cluster-enabled yes`, node timeout `nodeTimeoutMs`: how long
 * a dead master goes unnoticed before its replica is elected) and waits for `cluster_state:ok`.
 */
export async function startRedisCluster(options: { nodeTimeoutMs?: number } = {}): Promise<RunningRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), "sb-redis-cluster-"));
  const ports = await sparePorts(6);
  const nodes: RedisClusterNode[] = ports.map((port) => {
    const args = [
      "--port", String(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
      "--cluster-config-file", join(dir, `nodes-${port}.conf`), "--cluster-node-timeout", String(options.nodeTimeoutMs ?? 1_000),
      "--dir", dir, "--dbfilename", `dump-${port}.rdb`, "--save", "", "--appendonly", "no", "--protected-mode", "no",
    ];
    return { port, url: `redis://127.0.0.1:${port}`, process: spawn("redis-server", args, { stdio: "ignore" }) };
  });
  const stop = async () => {
    for (const node of nodes) node.process.kill("SIGKILL");
    await Promise.all(nodes.map((node) => (node.process.exitCode === null && node.process.signalCode === null ? new Promise((done) => node.process.once("exit", done)) : null)));
    rmSync(dir, { recursive: true, force: true });
  };
  const healthy = async (timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const live = nodes.filter((node) => node.process.exitCode === null && node.process.signalCode === null);
      const states = await Promise.all(live.map((node) => clusterState(node.url)));
      if (states.every((state) => state.includes("cluster_state:ok"))) return;
      if (Date.now() > deadline) throw new Error(`Redis Cluster not healthy after ${timeoutMs} ms`);
      await new Promise((done) => setTimeout(done, 100));
    }
  };
  try {
    // Every node must accept connections before `--cluster create` meets them.
    for (const node of nodes) {
      for (let tries = 0; (await clusterState(node.url)) === ""; tries++) {
        if (tries > 100) throw new Error(`redis-server on ${node.port} did not start`);
        await new Promise((done) => setTimeout(done, 50));
      }
    }
    await run("redis-cli", ["--cluster", "create", ...ports.map((port) => `127.0.0.1:${port}`), "--cluster-replicas", "1", "--cluster-yes"]);
    await healthy();
    await replicasInSync(nodes);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    seeds: nodes.map((node) => node.url),
    nodes,
    async masterOf(key) {
      const live = nodes.find((node) => node.process.exitCode === null && node.process.signalCode === null)!;
      const redis = new Redis(live.url);
      try {
        const slot = (await redis.cluster("KEYSLOT", key)) as number;
        const ranges = await redis.cluster("SLOTS");
        const range = ranges.find(([from, to]) => slot >= from && slot <= to);
        const node = nodes.find((candidate) => candidate.port === range?.[2]?.[1]);
        if (!node) throw new Error(`no master for slot ${slot}`);
        return node;
      } finally {
        redis.disconnect();
      }
    },
    kill(node) {
      node.process.kill("SIGKILL");
    },
    healthy,
    stop,
  };
}

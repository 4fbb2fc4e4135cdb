/**
 * The backplane contract on a real Redis Cluster (3 masters, 3 replicas, started here from the
 * installed redis-server) [RC1]–[RC3], and a master's failover mid-song [RC5].
 */
import { afterAll, beforeAll, describe } from "vitest";
import { backplaneContract } from "./backplane-contract.js";
import { redisClusterTarget } from "./backplanes.js";
import { redisClusterUnavailable, type RunningRedisCluster, startRedisCluster } from "./redis-cluster.js";

const unavailable = await redisClusterUnavailable();
if (unavailable) console.log(`[backplane on Redis Cluster] ${unavailable}`);

describe.skipIf(unavailable !== null)("[RC3] backplane on Redis Cluster", () => {
  let cluster: RunningRedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster();
  }, 60_000);
  afterAll(() => cluster?.stop());
  backplaneContract(redisClusterTarget(() => cluster.seeds));
});

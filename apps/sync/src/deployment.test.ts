import { describe, expect, it } from "vitest";
import { loadDeployment } from "./deployment.js";

describe("loadDeployment", () => {
  it("[SC4] one in-memory process by default", () => {
    expect(loadDeployment({})).toEqual({ redis: null, workers: 1 });
  });

  it("[SC4] SYNC_WORKERS above 1 without Redis is refused, saying why", () => {
    expect(() => loadDeployment({ SYNC_WORKERS: "2" })).toThrow(/needs REDIS_URL or REDIS_CLUSTER_URLS.*shared through Redis/);
    expect(() => loadDeployment({ SYNC_WORKERS: "auto" }, 4)).toThrow(/\(4 processes\)/);
  });

  it("[SC4] auto is the machine's cores; workers share one Redis or a cluster", () => {
    expect(loadDeployment({ SYNC_WORKERS: "auto", REDIS_URL: "redis://127.0.0.1:6379" }, 8)).toEqual({ redis: "redis://127.0.0.1:6379", workers: 8 });
    expect(loadDeployment({ SYNC_WORKERS: "2", REDIS_CLUSTER_URLS: "redis://a:7000, redis://b:7001" })).toEqual({
      redis: { cluster: ["redis://a:7000", "redis://b:7001"] },
      workers: 2,
    });
  });

  it("[SC4] nonsense is refused: both Redis settings, zero workers, a seed that is no URL", () => {
    expect(() => loadDeployment({ REDIS_URL: "redis://a:1", REDIS_CLUSTER_URLS: "redis://b:2" })).toThrow(/not both/);
    expect(() => loadDeployment({ SYNC_WORKERS: "0" })).toThrow();
    expect(() => loadDeployment({ REDIS_CLUSTER_URLS: "not a url" })).toThrow();
  });
});

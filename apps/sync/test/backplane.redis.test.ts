import { describe } from "vitest";
import { backplaneContract } from "./backplane-contract.js";
import { announceRedisSkip, redisTarget, TEST_REDIS_URL } from "./backplanes.js";

announceRedisSkip("backplane on Redis");
describe.skipIf(!TEST_REDIS_URL)("backplane on Redis", () => backplaneContract(redisTarget));

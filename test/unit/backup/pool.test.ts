/**
 * Bounded parallelism (pool.ts): forEachLimit's bound and failure handling, and the weighted
 * Semaphore the read slots use: slots never over-given, waiters served in order, none starved.
 */
import { forEachLimit, Semaphore } from "../../../src/core/backup/pool";
import { readSlots, SLOTS_PER_READ, SMALL_READ_BYTES } from "../../../src/core/backup/content";

const flush = () => new Promise((r) => setImmediate(r));

test("forEachLimit runs at most `limit` at once and rejects with the first failure after all settle", async () => {
  let running = 0;
  let max = 0;
  const done: number[] = [];
  await forEachLimit([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
    max = Math.max(max, ++running);
    await new Promise((r) => setTimeout(r, n));
    running--;
    done.push(n);
  });
  expect(max).toBe(3);
  expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  let started = 0;
  await expect(forEachLimit([1, 2, 3, 4], 2, async (n) => {
    started++;
    if (n === 1) throw new Error("first failure");
    await flush();
  })).rejects.toThrow("first failure");
  expect(started).toBe(2);
});

test("a weighted semaphore gives slots in order and never more than its limit", async () => {
  const sem = new Semaphore(4);
  const order: string[] = [];
  await sem.acquire(3);
  const heavy = sem.acquire(4).then(() => order.push("heavy"));
  const light = sem.acquire(1).then(() => order.push("light"));
  await flush();
  // One slot is free, but the light waiter queues behind the heavy one: no starvation.
  expect(order).toEqual([]);
  sem.release(3);
  await flush();
  expect(order).toEqual(["heavy"]);
  sem.release(4);
  await heavy;
  await light;
  expect(order).toEqual(["heavy", "light"]);
  sem.release(1);
  expect(() => sem.acquire(5)).toThrow("a semaphore of 4 slots cannot give 5");
  expect(() => sem.acquire(0)).toThrow("cannot give 0");
  expect(await sem.run(async () => "ran", 4)).toBe("ran");
});

test("a released slot goes to as many waiters as it can serve", async () => {
  const sem = new Semaphore(2);
  await sem.acquire(2);
  const served: number[] = [];
  const waiters = [1, 2, 3].map((n) => sem.acquire(1).then(() => served.push(n)));
  sem.release(2);
  await flush();
  expect(served).toEqual([1, 2]);
  sem.release(1);
  await Promise.all(waiters);
  expect(served).toEqual([1, 2, 3]);
});

test("read slots: one for a file read in one piece, SLOTS_PER_READ for a larger one", () => {
  expect(readSlots(0)).toBe(1);
  expect(readSlots(SMALL_READ_BYTES)).toBe(1);
  expect(readSlots(SMALL_READ_BYTES + 1)).toBe(SLOTS_PER_READ);
  expect(SLOTS_PER_READ).toBe(4);
});

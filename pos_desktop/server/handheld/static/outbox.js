// Counted lines and unfinished deliveries kept in IndexedDB until the server acknowledges them.
// Each line has its own id (a UUID made here); the server records an id once, so sending a line again
// after a lost answer never counts it twice. A line leaves the phone only when the server answered for it.
"use strict";

const Outbox = (() => {
  let dbPromise = null;

  function open() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const req = indexedDB.open("pos-handheld", 1);
        req.onupgradeneeded = () => {
          const db = req.result;
          db.createObjectStore("lines", { keyPath: "id" }).createIndex("count", "count_id");
          db.createObjectStore("deliveries", { keyPath: "po" });
        };
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    }
    return dbPromise;
  }

  async function run(store, mode, work) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(store, mode);
      let result;
      Promise.resolve(work(tx.objectStore(store))).then((r) => { result = r; });
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  function request(req) {
    return new Promise((resolve, reject) => { req.onsuccess = () => resolve(req.result); req.onerror = () => reject(req.error); });
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  return {
    uuid,
    // a new counted line, kept before anything is sent
    async addLine(countId, code, qty) {
      const line = { id: uuid(), count_id: countId, code, qty, state: "pending", at: Date.now() };
      await run("lines", "readwrite", (s) => s.put(line));
      return line;
    },
    async lines(countId) {
      const all = await run("lines", "readonly", (s) => request(s.index("count").getAll(countId)));
      return all.sort((a, b) => a.at - b.at);
    },
    async pending(countId) {
      return (await this.lines(countId)).filter((l) => l.state === "pending");
    },
    async forget(ids) {
      await run("lines", "readwrite", (s) => { ids.forEach((id) => s.delete(id)); });
    },
    async reject(id, message) {
      await run("lines", "readwrite", async (s) => {
        const line = await request(s.get(id));
        if (line) { line.state = "rejected"; line.message = message; s.put(line); }
      });
    },
    // a delivery being received: its id stays the same however often it is sent
    async delivery(po) {
      return (await run("deliveries", "readonly", (s) => request(s.get(po)))) || { po, id: uuid(), lines: {} };
    },
    async saveDelivery(delivery) {
      await run("deliveries", "readwrite", (s) => s.put(delivery));
    },
    async dropDelivery(po) {
      await run("deliveries", "readwrite", (s) => s.delete(po));
    },
  };
})();

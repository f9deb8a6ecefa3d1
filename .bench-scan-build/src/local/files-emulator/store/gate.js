"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Gate = void 0;
/**
 * A shared/exclusive gate per share: content writes hold it shared; snapshot creation holds it
 * exclusively, so a snapshot never captures a version whose bytes are still being overwritten.
 * Waiting exclusive holders block new shared holders (snapshots cannot starve).
 */
class Gate {
    shared = 0;
    exclusive = false;
    waiters = [];
    pump() {
        while (this.waiters.length) {
            const next = this.waiters[0];
            if (this.exclusive || (next.exclusive && this.shared > 0))
                return;
            this.waiters.shift();
            if (next.exclusive)
                this.exclusive = true;
            else
                this.shared++;
            next.go();
            if (next.exclusive)
                return;
        }
    }
    acquire(exclusive) {
        return new Promise((resolve) => {
            this.waiters.push({
                exclusive,
                go: () => resolve(() => {
                    if (exclusive)
                        this.exclusive = false;
                    else
                        this.shared--;
                    this.pump();
                }),
            });
            this.pump();
        });
    }
    async withShared(fn) {
        const release = await this.acquire(false);
        try {
            return await fn();
        }
        finally {
            release();
        }
    }
    async withExclusive(fn) {
        const release = await this.acquire(true);
        try {
            return await fn();
        }
        finally {
            release();
        }
    }
}
exports.Gate = Gate;
//# sourceMappingURL=gate.js.map
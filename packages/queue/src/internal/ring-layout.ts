/**
 * The control block of a queue's shared ring (`ring.ts`): the word indexes
 * and the bits of the SHUT word. Only the layout lives here; `ring.ts` moves
 * frames, `ring-shutdown.ts` shuts a ring down.
 */

/*
 * Control block: Int32Array over a fixed SharedArrayBuffer (CTL_INTS words).
 *
 *   index          meaning                                   written
 *   LOCK       0   3-state futex mutex (value-lock)          lock/unlock
 *   COUNT     64   items in the ring                         under LOCK
 *   HEAD      65   byte offset of the oldest frame           under LOCK
 *   USED      66   bytes of frames in the ring               under LOCK
 *   SHUT      67   0 = open, else SHUT_* bits (below)        under LOCK
 *   MAXSIZE   68   item limit, 0 = unbounded                 at creation
 *   UNFINISHED 69  puts not yet matched by taskDone()        under LOCK
 *   NOT_EMPTY 16   sequence word getters sleep on            bumped under LOCK
 *   GETTERS   17   getters that may be sleeping on it        atomic add/sub
 *   NOT_FULL  32   sequence word putters sleep on            bumped under LOCK
 *   PUTTERS   33   putters that may be sleeping on it        atomic add/sub
 *   ALL_DONE  48   sequence word join() sleeps on            bumped by taskDone
 *   JOINERS   49   joiners that may be sleeping on it        atomic add/sub
 *
 * SHUT bits, each set once and never cleared:
 *
 *   SHUT_CLOSED     1   close() ran in some thread
 *   SHUT_DOWN       2   shutdown() ran in some thread
 *   SHUT_IMMEDIATE  4   shutdown({immediate: true}) ran: the ring was
 *                       emptied then, and frames given back are dropped
 *
 * Any bit refuses puts and makes a get on the empty ring fail instead of
 * wait; SHUT_DOWN picks the error (`ShutDownError` over `Queue is closed`).
 *
 * The lock word, the three sequence words and the ring state each sit on
 * their own 64-byte line, so a taker spinning on the lock does not steal
 * the line the holder is writing.
 */
export const CTL_INTS = 80;
export const LOCK = 0;
export const COUNT = 64;
export const HEAD = 65;
export const USED = 66;
export const SHUT = 67;
export const MAXSIZE = 68;
export const UNFINISHED = 69;
export const NOT_EMPTY = 16;
export const GETTERS = 17;
export const NOT_FULL = 32;
export const PUTTERS = 33;
export const ALL_DONE = 48;
export const JOINERS = 49;

export const SHUT_CLOSED = 1;
export const SHUT_DOWN = 2;
export const SHUT_IMMEDIATE = 4;
